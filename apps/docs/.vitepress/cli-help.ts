// Captures `nv --help` for every command and sub-command by running the CLI in-process, so the CLI
// reference (and the guide test's "does this command exist" check) follows the program exactly.
import { Writable } from 'node:stream';
import { run } from '@nv/cli';

/** One command's help text, as `nv <path…> --help` prints it. */
export interface CliHelp {
  readonly path: readonly string[];
  readonly text: string;
}

async function helpOf(path: readonly string[]): Promise<{ code: number; text: string }> {
  let text = '';
  const sink = (): Writable =>
    new Writable({
      write(chunk: Buffer | string, _enc, done) {
        text += chunk.toString();
        done();
      },
    });
  const code = await run([...path, '--help'], {
    stdout: sink(),
    stderr: sink(),
    env: { NO_COLOR: '1' },
    cwd: process.cwd(),
  });
  return { code, text };
}

/** The sub-command names listed under `Commands:` in a help text (`help` itself excluded). */
export function subcommandsOf(help: string): string[] {
  const lines = help.split('\n');
  const start = lines.findIndex((l) => l.trim() === 'Commands:');
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (line.trim() === '') break;
    const m = /^ {2}([a-z][a-z0-9-]*)(?:\|[a-z0-9-]+)?\b/.exec(line);
    if (m && m[1] !== 'help') names.push(m[1]!);
  }
  return names;
}

/** Walks the command tree from `nv --help` down, depth first, in the CLI's own order. */
export async function collectCliHelp(): Promise<CliHelp[]> {
  const out: CliHelp[] = [];
  const visit = async (path: readonly string[]): Promise<void> => {
    const { code, text } = await helpOf(path);
    if (code !== 0) throw new Error(`nv ${path.join(' ')} --help exited ${code}`);
    out.push({ path, text });
    for (const name of subcommandsOf(text)) await visit([...path, name]);
  };
  await visit([]);
  return out;
}

/** Markdown for the CLI reference page: one heading and one help block per command. */
export function renderCliReference(help: readonly CliHelp[]): string {
  return help
    .map((h) => {
      const depth = Math.min(4, 2 + Math.max(0, h.path.length - 1));
      const title = h.path.length === 0 ? 'nv' : `nv ${h.path.join(' ')}`;
      return `${'#'.repeat(depth)} \`${title}\`\n\n\`\`\`text\n${h.text.trimEnd()}\n\`\`\`\n`;
    })
    .join('\n');
}
