/**
 * The shipped CLI works outside the monorepo: build with turbo, `pnpm pack` the CLI and every @nv package it
 * depends on (workspace:* becomes exact versions), npm-install the tarballs into an empty folder, run `nv`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const PACKAGES = ['core', 'qcom-fsg-sign', 'qcom-efs', 'qcom-mbn', 'mtk-nvram-ltable', 'mtk-lid-file', 'device-sim'];

/** pnpm as the running `pnpm test` invoked it (npm_execpath), else the corepack shim on PATH. */
function pnpm(args: string[], cwd: string): string {
  const execPath = process.env['npm_execpath'];
  const [cmd, argv] = execPath && /pnpm/.test(execPath) ? [process.execPath, [execPath, ...args]] : ['pnpm', args];
  return execFileSync(cmd, argv, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, COREPACK_ENABLE_DOWNLOAD_PROMPT: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

let work: string;
let installDir: string;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'nv-pack-'));
  installDir = join(work, 'user');
  execFileSync(
    join(ROOT, 'node_modules/.bin/turbo'),
    ['run', 'build', '--filter=@nv/cli...', '--output-logs=errors-only'],
    {
      cwd: ROOT,
      env: { ...process.env, TURBO_TELEMETRY_DISABLED: '1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const tarballs: string[] = [];
  for (const dir of [...PACKAGES.map((p) => `packages/${p}`), 'apps/cli']) {
    const out = pnpm(['pack', '--pack-destination', work], join(ROOT, dir));
    const tgz = out
      .trim()
      .split('\n')
      .filter((l) => l.endsWith('.tgz'))
      .pop();
    if (!tgz) throw new Error(`pnpm pack printed no tarball for ${dir}: ${out}`);
    tarballs.push(tgz.startsWith('/') ? tgz : join(work, tgz));
  }
  await execFileSync('mkdir', ['-p', installDir]);
  await writeFile(
    join(installDir, 'package.json'),
    JSON.stringify({ name: 'nv-user', version: '1.0.0', private: true }),
  );
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs], {
    cwd: installDir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}, 600_000);

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

function nv(args: string[]) {
  return spawnSync(join(installDir, 'node_modules/.bin/nv'), args, {
    cwd: installDir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
}

describe('packed @nv/cli outside the monorepo', () => {
  it('workspace:* dependencies became exact versions', async () => {
    const manifest = JSON.parse(await readFile(join(installDir, 'node_modules/@nv/cli/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    for (const p of PACKAGES) expect(manifest.dependencies[`@nv/${p}`]).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it('ships only dist (no sources, no tests) and the bin has a shebang', async () => {
    const files = await readdir(join(installDir, 'node_modules/@nv/cli'), { recursive: true });
    expect(files.some((f) => String(f).startsWith('test'))).toBe(false);
    expect(files).toContain(join('dist', 'cli.mjs'));
    expect(
      (await readFile(join(installDir, 'node_modules/@nv/cli/dist/cli.mjs'), 'utf8')).startsWith('#!/usr/bin/env node'),
    ).toBe(true);
  });
  it('nv --help and nv --version run from the installed tarball', () => {
    const help = nv(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: nv');
    const version = nv(['--version']);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
  it('--json errors are the cli.md shape with exit 2', () => {
    const r = nv(['--json', 'no-such-command']);
    expect(r.status).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('NV_USAGE');
  });
  it('every command listed in help runs its --help from the installed build', () => {
    const names = nv(['--help'])
      .stdout.split('Commands:')[1]!
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[0])
      .filter((n): n is string => !!n && n !== 'help' && /^[a-z]/.test(n));
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(nv([name, '--help']).status, name).toBe(0);
  });
});
