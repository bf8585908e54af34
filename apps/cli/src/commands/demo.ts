import type { CommandRegistrar } from './registry.ts';
import { withExample } from './registry.ts';

/** `nv demo`: the README's main job. */
export const registerDemo: CommandRegistrar = (program, context) => {
  withExample(
    program
      .command('demo')
      .description('run the whole flow end to end on built-in sample data and report each step')
      .option('--out <dir>', 'keep every artefact in this folder (created atomically)')
      .option('-o, --output <dir>', 'same as --out (the name every other command uses)')
      .option('--force', 'replace an existing --out folder')
      .action(async (flags) => {
        const { demo } = await import('../actions/demo.ts');
        const out = flags.out ?? flags.output;
        await demo(context(), {
          ...(out !== undefined ? { out } : {}),
          ...(flags.force !== undefined ? { force: flags.force } : {}),
        });
      }),
    'nv demo',
    'nv demo --out demo-out --json',
  );
};
