#!/usr/bin/env node
// The root `pnpm -s nv` launcher (issue 17). Runs the built CLI (apps/cli/dist, built by `pnpm install`'s
// postinstall through turbo's cache) in this very process when it is fresh, that is when no file or folder under
// the sources of @nv/cli and its @nv/* dependencies is newer than that package's built dist; otherwise runs the
// sources through tsx with a one-line notice on stderr. Plain JavaScript, Node built-ins only: it must start in a
// few milliseconds and work before anything is built.
import { spawn } from 'node:child_process';
import module from 'node:module';
import { readdirSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'apps', 'cli');

/** Newest mtime (ms) of a folder, its files and sub-folders (a deleted file changes its folder's mtime). */
function newest(dir) {
  const stat = statSync(dir);
  let max = stat.mtimeMs;
  if (!stat.isDirectory()) return max;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    max = Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return max;
}

/** Oldest mtime (ms) of the built `.mjs` entries in `dist/`, or -Infinity when there are none. */
function oldestBuilt(pkg) {
  const dist = join(pkg, 'dist');
  let min = Infinity;
  for (const name of readdirSync(dist))
    if (name.endsWith('.mjs')) min = Math.min(min, statSync(join(dist, name)).mtimeMs);
  return min === Infinity ? -Infinity : min;
}

/** @nv/cli and the folders of its @nv/* dependencies, transitively (through the workspace links). */
export function cliPackages(cliDir = CLI) {
  const seen = [];
  const visit = (pkg) => {
    if (seen.includes(pkg)) return;
    seen.push(pkg);
    let scoped = [];
    try {
      scoped = readdirSync(join(pkg, 'node_modules', '@nv'));
    } catch {
      // no @nv dependencies
    }
    for (const name of scoped) visit(realpathSync(join(pkg, 'node_modules', '@nv', name)));
  };
  visit(cliDir);
  return seen;
}

/** Why the built CLI cannot be used (a short reason), or '' when it is fresh. */
export function staleReason(cliDir = CLI) {
  for (const pkg of cliPackages(cliDir)) {
    let built;
    try {
      built = oldestBuilt(pkg);
    } catch {
      built = -Infinity;
    }
    if (built === -Infinity) return `${pkg} is not built`;
    for (const input of ['src', 'package.json']) {
      if (newest(join(pkg, input)) > built) return `${join(pkg, input)} changed since the last build`;
    }
  }
  return '';
}

/** `name` of the workspace root package.json whose `nv` script is this launcher. */
export const WORKSPACE_PACKAGE_NAME = 'nv-toolkit';

/**
 * The folder the CLI runs in: the user's (cli.md: relative paths are relative to the folder the user typed the
 * command in). pnpm and npm run a root script at the workspace root and pass that folder as `INIT_CWD`; it is used
 * only when all of these hold, so it never redirects anything else: the script is this workspace's `nv`
 * (`npm_lifecycle_event` = `nv`, `npm_package_name` = {@link WORKSPACE_PACKAGE_NAME}); the process still runs at
 * that package's root (a script doing `cd x && …` means x); `INIT_CWD` is absolute. The installed `nv` never reads
 * `INIT_CWD`: called from another package's script it resolves paths against that script's folder, as every tool.
 */
export function userFolder(env, cwd) {
  const init = env.INIT_CWD;
  const pkgJson = env.npm_package_json;
  if (
    !init ||
    !isAbsolute(init) ||
    env.npm_lifecycle_event !== 'nv' ||
    env.npm_package_name !== WORKSPACE_PACKAGE_NAME ||
    !pkgJson ||
    resolve(dirname(pkgJson)) !== resolve(cwd)
  )
    return cwd;
  return resolve(init);
}

async function main() {
  const cwd = userFolder(process.env, process.cwd());
  let reason;
  try {
    reason = process.env.NV_FROM_SOURCE ? 'NV_FROM_SOURCE is set' : staleReason();
  } catch (error) {
    reason = String(error?.message ?? error);
  }
  if (!reason) {
    process.chdir(cwd);
    // Node ≥ 22.1 keeps compiled bytecode of the dist between runs (a no-op where it does not exist).
    module.enableCompileCache?.();
    await import(pathToFileURL(join(CLI, 'dist', 'cli.mjs')).href);
    return;
  }
  if (!process.env.NV_FROM_SOURCE)
    process.stderr.write(`nv: running the sources through tsx (slower): ${reason}; \`pnpm build\` makes it fast\n`);
  const tsx = import.meta.resolve('tsx', pathToFileURL(join(ROOT, 'package.json')).href);
  const child = spawn(
    process.execPath,
    ['--import', tsx, '--conditions=@nv/source', join(CLI, 'src', 'bin.ts'), ...process.argv.slice(2)],
    { cwd, stdio: 'inherit' },
  );
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => {
    if (signal) process.kill(process.pid, signal);
    else process.exit(code ?? 1);
  });
}

if (process.argv[1] && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
