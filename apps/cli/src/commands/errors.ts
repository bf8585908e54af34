import type { CommandRegistrar } from './registry.ts';
import { withExample } from './registry.ts';

/** `nv errors`: every error code the toolkit can print, with its meaning and fix. */
export const registerErrors: CommandRegistrar = (program, context) => {
  withExample(
    program
      .command('errors')
      .description('list every NV_* error code with its meaning and what to do')
      .argument('[code]', 'show only this code (e.g. NV_TRUNCATED)')
      .action(async (code) => {
        const { listErrorCodes } = await import('../error-tables.ts');
        const ctx = context();
        const rows = listErrorCodes().filter((r) => code === undefined || r.code === code.toUpperCase());
        if (code !== undefined && rows.length === 0) {
          const { usage } = await import('../options.ts');
          usage(`unknown error code ${code}; run nv errors to list them all`);
        }
        const { formatTable } = await import('../context.ts');
        ctx.result({ codes: rows }, () =>
          formatTable(
            rows.map((r) => [r.code, r.package, `${r.meaning} ${r.fix}`]),
            ['code', 'package', 'meaning / fix'],
          ),
        );
      }),
    'nv errors',
    'nv errors NV_TRUNCATED --json',
  );
};
