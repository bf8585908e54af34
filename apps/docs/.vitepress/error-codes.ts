// Renders the error-code reference page from the CLI's registry of every package's table, so the docs
// can never list a code the toolkit does not have.
import { listErrorCodes } from '@nv/cli';

/** The Markdown reference table of every `NV_*` code: code, package, meaning and fix. */
export function renderErrorCodesMarkdown(): string {
  // `|` would split a cell and `<` would open an HTML element in VitePress' Vue templates.
  const escape = (s: string): string => s.replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const rows = listErrorCodes().map(
    (r) => `| \`${r.code}\` | ${r.package} | ${escape(r.meaning)} | ${escape(r.fix)} |`,
  );
  return ['| code | package | meaning | what to do |', '|---|---|---|---|', ...rows, ''].join('\n');
}
