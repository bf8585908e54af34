/**
 * Start-up cost of the built `nv` (factory scripts run it thousands of times), as a ratio to a bare
 * `node -e 0` measured in the same run. Needs `pnpm build` first (turbo's bench task depends on build).
 */
import { bench, describe } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { printRatio } from '../../../scripts/bench-ratio.ts';

const CLI = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
const built = existsSync(CLI);
if (!built) console.warn(`skipping start-up bench: ${CLI} is missing (run pnpm build)`);

describe.skipIf(!built)('nv start-up (spawned, built CLI)', () => {
  bench(
    'nv --version (ours)',
    () => {
      spawnSync(process.execPath, [CLI, '--version']);
    },
    { iterations: 20 },
  );
  bench(
    'nv --help (ours)',
    () => {
      spawnSync(process.execPath, [CLI, '--help']);
    },
    { iterations: 20 },
  );
  bench(
    'node -e 0 (reference: bare Node start)',
    () => {
      spawnSync(process.execPath, ['-e', '0']);
    },
    { iterations: 20 },
  );
});

if (built)
  await printRatio(
    'nv --help start-up',
    'built CLI',
    () => spawnSync(process.execPath, [CLI, '--help']),
    () => spawnSync(process.execPath, ['-e', '0']),
  );
