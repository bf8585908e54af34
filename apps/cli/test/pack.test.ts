/**
 * The shipped CLI works outside the monorepo: build with turbo, `pnpm pack` the CLI and every @nv package it
 * depends on (workspace:* becomes exact versions), npm-install the tarballs into an empty folder, run `nv`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
/** Every library the CLI depends on (read from its manifest, so a new package is packed too). */
const PACKAGES = Object.keys(
  (JSON.parse(readFileSync(join(ROOT, 'apps/cli/package.json'), 'utf8')) as { dependencies: Record<string, string> })
    .dependencies,
)
  .filter((d) => d.startsWith('@nv/'))
  .map((d) => d.slice('@nv/'.length));
/** Dependencies the packages used to declare without importing them (issue 20.5); none may be installed. */
const NEVER_INSTALLED = ['@peculiar/x509', 'reflect-metadata', 'web-tree-sitter', 'tree-sitter-c', 'valibot', 'cfb'];

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
  it('every tarball holds the LICENSE, no src/, and source maps that embed the sources', async () => {
    const license = await readFile(join(ROOT, 'LICENSE'), 'utf8');
    for (const name of [...PACKAGES, 'cli']) {
      const dir = join(installDir, 'node_modules/@nv', name);
      expect(await readFile(join(dir, 'LICENSE'), 'utf8'), `@nv/${name} LICENSE`).toBe(license);
      expect(existsSync(join(dir, 'src')), `@nv/${name} ships src/`).toBe(false);
      const maps = (await readdir(join(dir, 'dist'))).filter((f) => f.endsWith('.map'));
      expect(maps.length, `@nv/${name} maps`).toBeGreaterThan(0);
      for (const f of maps) {
        const map = JSON.parse(await readFile(join(dir, 'dist', f), 'utf8')) as {
          sources: string[];
          sourcesContent?: unknown[];
        };
        expect(map.sourcesContent?.length, `${name}/dist/${f}`).toBe(map.sources.length);
        expect(map.sourcesContent!.every((c) => typeof c === 'string')).toBe(true);
      }
    }
  });
  it('installing @nv/cli pulls no unused package: each dependency is imported by the built code', async () => {
    for (const dep of NEVER_INSTALLED) expect(existsSync(join(installDir, 'node_modules', dep)), dep).toBe(false);
    for (const name of [...PACKAGES, 'cli']) {
      const dir = join(installDir, 'node_modules/@nv', name);
      const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
        dependencies?: Record<string, string>;
      };
      let code = '';
      for (const f of (await readdir(join(dir, 'dist'))).filter((f) => f.endsWith('.mjs')))
        code += await readFile(join(dir, 'dist', f), 'utf8');
      const imported = new Set(
        [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)["']((?:@[^/"']+\/)?[^/"'.][^/"']*)/g)].map((m) => m[1]!),
      );
      for (const dep of Object.keys(manifest.dependencies ?? {})) {
        expect(imported.has(dep), `@nv/${name} depends on ${dep} but its dist never imports it`).toBe(true);
      }
    }
  });
  it('the published types check codes: each package registers its codes with NvError', async () => {
    await writeFile(
      join(installDir, 'consumer.ts'),
      [
        "import { NvError } from '@nv/core';",
        "import '@nv/mtk-lid-file';",
        "import '@nv/device-sim';",
        "export const a: NvError = new NvError('NV_LID_BAD_NAME', 'declared by @nv/mtk-lid-file');",
        "export const b: NvError = new NvError('NV_SIM_MCFG_NOT_LOADED', 'declared by @nv/device-sim');",
        '// @ts-expect-error -- declared by no table',
        "export const c: NvError = new NvError('NV_NOT_A_CODE', 'x');",
        '',
      ].join('\n'),
    );
    const tsconfig = {
      compilerOptions: { strict: true, module: 'nodenext', moduleResolution: 'nodenext', noEmit: true, types: [] },
      files: ['consumer.ts'],
    };
    await writeFile(join(installDir, 'tsconfig.json'), JSON.stringify(tsconfig));
    await writeFile(
      join(installDir, 'package.json'),
      JSON.stringify({ name: 'nv-user', version: '1.0.0', private: true, type: 'module' }),
    );
    const r = spawnSync(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', installDir], {
      encoding: 'utf8',
    });
    expect(r.stdout + r.stderr).toBe('');
    expect(r.status).toBe(0);
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
