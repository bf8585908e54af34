#!/usr/bin/env node
// Root `postinstall` (issue 17): builds the CLI and its @nv/* dependencies through turbo's cache so that
// `pnpm -s nv` runs built code right after `pnpm install` (cli.md: no separate build step). Never fails the
// install: when the build cannot run, `pnpm -s nv` runs the sources through tsx and says so on stderr.
// NV_SKIP_BUILD=1 skips it. Also the root `pnpm build:cli`.
import { spawnSync } from 'node:child_process';
import { readdirSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliPackages } from './nv.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
if (process.env.NV_SKIP_BUILD) process.exit(0);
const turbo = join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? 'turbo.cmd' : 'turbo');
const result = spawnSync(turbo, ['run', 'build', '--filter=@nv/cli...', '--output-logs=errors-only'], {
  cwd: ROOT,
  stdio: ['ignore', 'ignore', 'inherit'],
  env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
});
if (result.status === 0) {
  // turbo leaves dist/ untouched on a cache hit whose outputs are already in place: date the built entries now so
  // that the launcher's mtime check sees them as at least as new as the sources they were built from.
  const now = new Date();
  for (const pkg of cliPackages(join(ROOT, 'apps', 'cli'))) {
    for (const name of readdirSync(join(pkg, 'dist')))
      if (name.endsWith('.mjs')) utimesSync(join(pkg, 'dist', name), now, now);
  }
} else
  process.stderr.write(
    `nv: building the CLI failed (${result.error?.message ?? `exit ${result.status}`}); \`pnpm -s nv\` will run the sources (slower)\n`,
  );
