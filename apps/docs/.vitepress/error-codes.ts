// Renders the error-code reference page from the CLI's registry of every package's table, so the docs
// can never list a code the toolkit does not have.
import { listErrorCodes } from '@nv/cli';

/** The Markdown reference table of every `NV_*` code: code, package, meaning and fix. */
export function renderErrorCodesMarkdown(): string {
  const escape = (s: string): string => s.replace(/\|/g, '\\|');
  const rows = listErrorCodes().map((r) => `| \`${r.code}\` | ${r.package} | ${escape(r.meaning)} | ${escape(r.fix)} |`);
  return ['| code | package | meaning | what to do |', '|---|---|---|---|', ...rows, ''].join('\n');
}
