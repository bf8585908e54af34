import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliPackages, staleReason, userFolder } from './nv.mjs';

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

const pnpmEnv = (root: string, init: string): Record<string, string> => ({
  INIT_CWD: init,
  npm_lifecycle_event: 'nv',
  npm_package_name: 'nv-toolkit',
  npm_package_json: join(root, 'package.json'),
});

describe("scripts/nv.mjs: the user's folder (issue 14.15)", () => {
  it("userFolder: INIT_CWD only for this workspace's nv script running at the workspace root", () => {
    const env = pnpmEnv('/repo', '/repo/packages/x');
    expect(userFolder(env, '/repo')).toBe('/repo/packages/x');
    expect(userFolder({}, '/repo')).toBe('/repo');
    // Another package's script: paths are that script's.
    expect(userFolder({ ...env, npm_lifecycle_event: 'build' }, '/repo')).toBe('/repo');
    expect(userFolder({ ...env, npm_package_name: 'my-app' }, '/repo')).toBe('/repo');
    // The script changed folder (`cd data && nv …`), or INIT_CWD is not absolute.
    expect(userFolder(env, '/repo/data')).toBe('/repo/data');
    expect(userFolder({ ...env, INIT_CWD: 'packages/x' }, '/repo')).toBe('/repo');
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
        env: { ...process.env, ...pnpmEnv(join(import.meta.dirname, '..'), here), NV_FROM_SOURCE: '1' },
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'NV_NOT_FOUND', path: join(here, 'missing.tar') } });
    expect(r.stderr).toBe('');
  }, 60_000);
});

describe('the installed CLI ignores INIT_CWD (only the workspace launcher reads it)', () => {
  it('bin resolves paths against its own working folder, even under the workspace nv script environment', () => {
    const root = join(import.meta.dirname, '..');
    const elsewhere = mkdtempSync(join(scratch, 'elsewhere-'));
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        'tsx',
        '--conditions=@nv/source',
        join(root, 'apps', 'cli', 'src', 'bin.ts'),
        'qcom',
        'efs',
        'ls',
        'missing.tar',
        '--json',
      ],
      { cwd: root, env: { ...process.env, ...pnpmEnv(root, elsewhere) }, encoding: 'utf8' },
    );
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ error: { code: 'NV_NOT_FOUND', path: join(root, 'missing.tar') } });
  }, 60_000);
});
