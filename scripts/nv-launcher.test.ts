import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPackages, staleReason } from './nv.mjs';

const scratch = mkdtempSync(join(tmpdir(), 'nv-launcher-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** A package folder with src/, package.json and dist/, every file dated `at` (seconds). */
function makePackage(dir: string, at: number): void {
  mkdirSync(join(dir, 'src', 'sub'), { recursive: true });
  mkdirSync(join(dir, 'dist'), { recursive: true });
  for (const f of ['src/index.ts', 'src/sub/a.ts', 'package.json', 'dist/index.mjs']) {
    writeFileSync(join(dir, f), '');
    utimesSync(join(dir, f), at, at);
  }
  for (const d of ['src/sub', 'src', 'dist']) utimesSync(join(dir, d), at, at);
}

describe('scripts/nv.mjs freshness (issue 17: the root `nv` runs dist only when it is not older than the sources)', () => {
  const cli = join(scratch, 'cli');
  const core = join(scratch, 'core');
  makePackage(cli, 1000);
  makePackage(core, 1000);
  mkdirSync(join(cli, 'node_modules', '@nv'), { recursive: true });
  symlinkSync(core, join(cli, 'node_modules', '@nv', 'core'));

  it('follows @nv/* dependencies', () => {
    expect(cliPackages(cli)).toEqual([cli, core]);
  });

  it('is fresh when every dist is at least as new as its sources', () => {
    utimesSync(join(cli, 'dist', 'index.mjs'), 2000, 2000);
    utimesSync(join(core, 'dist', 'index.mjs'), 2000, 2000);
    expect(staleReason(cli)).toBe('');
  });

  it('is stale when a dependency source file changed after the build', () => {
    utimesSync(join(core, 'src', 'sub', 'a.ts'), 3000, 3000);
    expect(staleReason(cli)).toContain(join(core, 'src'));
    utimesSync(join(core, 'dist', 'index.mjs'), 4000, 4000);
    expect(staleReason(cli)).toBe('');
  });

  it('is stale when a source file was deleted (its folder changed) or the dist is missing', () => {
    unlinkSync(join(cli, 'src', 'sub', 'a.ts'));
    expect(staleReason(cli)).toContain(join(cli, 'src'));
    utimesSync(join(cli, 'dist', 'index.mjs'), Date.now() / 1000 + 10, Date.now() / 1000 + 10);
    expect(staleReason(cli)).toBe('');
    unlinkSync(join(core, 'dist', 'index.mjs'));
    expect(staleReason(cli)).toBe(`${core} is not built`);
  });
});

describe('scripts/nv.mjs runs the CLI', () => {
  it('from the folder pnpm passes as INIT_CWD (cli.md: relative paths are those of the user)', () => {
    const here = mkdtempSync(join(scratch, 'cwd-'));
    const r = spawnSync(
      process.execPath,
      [join(import.meta.dirname, 'nv.mjs'), 'qcom', 'efs', 'ls', 'missing.tar', '--json'],
      {
        cwd: join(import.meta.dirname, '..'),
        env: { ...process.env, INIT_CWD: here, NV_FROM_SOURCE: '1' },
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'NV_NOT_FOUND', path: join(here, 'missing.tar') } });
    expect(r.stderr).toBe('');
  }, 60_000);
});
