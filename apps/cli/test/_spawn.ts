import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The source bin, run the way factory scripts run the built one: a separate Node process. */
export const CLI_BIN: string = fileURLToPath(new URL('../src/bin.ts', import.meta.url));
const TSX_LOADER = import.meta.resolve('tsx');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Spawns `nv` from source (`node --import tsx --conditions=@nv/source`), never through pnpm: the pnpm shim
 * is slow and fails outside the workspace (stack.md §2.7).
 */
export function runNv(
  args: readonly string[],
  options: { cwd?: string; env?: Record<string, string | undefined>; input?: string } = {},
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, '--conditions=@nv/source', CLI_BIN, ...args], {
      cwd: options.cwd ?? process.cwd(),
      env: { ...process.env, NO_COLOR: '1', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}
