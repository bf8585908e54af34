/**
 * Rules that keep the house simple (architecture.md, stack.md §3): import direction, pure modules,
 * no default exports, manifest fields, no focused or skipped tests.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Which @nv packages each package may import (architecture.md "One owner per format"). */
const ALLOWED_IMPORTS: Record<string, readonly string[]> = {
  core: [],
  'qcom-fsg-sign': ['core'],
  'qcom-efs': ['core', 'qcom-fsg-sign'],
  'qcom-mbn': ['core'],
  'qcom-diag': ['core', 'qcom-efs'],
  'mtk-nvram-ltable': ['core'],
  'mtk-lid-file': ['core', 'mtk-nvram-ltable'],
  'device-sim': ['core', 'qcom-efs', 'qcom-fsg-sign', 'qcom-mbn', 'qcom-diag', 'mtk-nvram-ltable', 'mtk-lid-file'],
};

function filesUnder(dir: string, ext = '.ts'): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((f) => join(dir, f))
    .filter((f) => f.endsWith(ext) && statSync(f).isFile() && !f.includes('node_modules'));
}

const packages = readdirSync(join(ROOT, 'packages')).filter((p) =>
  existsSync(join(ROOT, 'packages', p, 'package.json')),
);

/** Node-only modules: the `node` entry and modules named `node-*.ts` / `_node-*.ts` that only it imports. */
function isNodeModule(file: string): boolean {
  return /(^|\/)(_?node(-[a-z0-9-]+)?)\.ts$/.test(file) || /\/src\/workers?\//.test(file);
}

describe('repository rules', () => {
  it('every package in the architecture table exists and no other', () => {
    expect(packages.sort()).toEqual(Object.keys(ALLOWED_IMPORTS).sort());
  });

  it.each(packages)('%s imports only the packages the architecture allows', (pkg) => {
    const allowed = new Set(ALLOWED_IMPORTS[pkg]);
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', pkg, 'package.json'), 'utf8')) as {
      dependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(manifest.dependencies ?? {})) {
      if (dep.startsWith('@nv/')) expect(allowed.has(dep.slice(4)), `${pkg} depends on ${dep}`).toBe(true);
    }
    for (const file of filesUnder(join(ROOT, 'packages', pkg, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/from\s+['"]@nv\/([a-z0-9-]+)/g)) {
        expect(allowed.has(m[1]!), `${file} imports @nv/${m[1]}`).toBe(true);
      }
      expect(text, `${file} reaches into another package by relative path`).not.toMatch(/from\s+['"]\.\.\/\.\.\//);
    }
  });

  it.each(packages)('%s: pure modules use no node:, Buffer or process', (pkg) => {
    for (const file of filesUnder(join(ROOT, 'packages', pkg, 'src')).filter((f) => !isNodeModule(f))) {
      const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code, `${file} imports a node: module`).not.toMatch(/from\s+['"]node:|import\(['"]node:/);
      expect(code, `${file} uses Buffer`).not.toMatch(/\bBuffer\b/);
      expect(code, `${file} uses process`).not.toMatch(/\bprocess\./);
    }
  });

  it('source has no default exports (configs and the reporter excepted)', () => {
    const sources = [
      ...packages.flatMap((p) => filesUnder(join(ROOT, 'packages', p, 'src'))),
      ...filesUnder(join(ROOT, 'apps', 'cli', 'src')),
    ];
    for (const file of sources) expect(readFileSync(file, 'utf8'), file).not.toMatch(/^export default\b/m);
  });

  it('no focused or skipped tests (skipIf with a visible reason is the only skip)', () => {
    const tests = [
      ...packages.flatMap((p) => filesUnder(join(ROOT, 'packages', p, 'test'))),
      ...filesUnder(join(ROOT, 'apps', 'cli', 'test')),
      ...filesUnder(join(ROOT, 'scripts')),
    ];
    for (const file of tests) {
      if (file.endsWith('repo-rules.test.ts')) continue;
      expect(readFileSync(file, 'utf8'), file).not.toMatch(/\b(it|test|describe|bench)\.(only|skip|todo)\(/);
    }
  });

  it.each([...packages.map((p) => `packages/${p}`), 'apps/cli'])(
    '%s manifest is publishable and runs from source',
    (dir) => {
      const m = JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Record<string, unknown> & {
        exports: Record<string, unknown>;
      };
      expect(m['type']).toBe('module');
      expect(m['sideEffects']).toBe(false);
      expect(m['engines']).toEqual({ node: '>=20.19' });
      expect(m['publishConfig']).toEqual({ access: 'public' });
      expect(m['files']).toContain('dist');
      expect(m['version']).toMatch(/^\d+\.\d+\.\d+/);
      for (const [sub, target] of Object.entries(m.exports)) {
        if (sub === './package.json') continue;
        expect(typeof target, `${dir} export ${sub}`).toBe('object');
        const keys = Object.keys(target as object);
        expect(keys[0], `${dir} export ${sub} must list @nv/source first`).toBe('@nv/source');
        const src = (target as Record<string, string>)['@nv/source']!;
        expect(existsSync(join(ROOT, dir, src)), `${dir} ${src}`).toBe(true);
      }
      expect(existsSync(join(ROOT, dir, 'README.md')), `${dir}/README.md`).toBe(true);
    },
  );

  it('the CLI depends on every library with workspace:*', () => {
    const cli = JSON.parse(readFileSync(join(ROOT, 'apps/cli/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    for (const p of packages) expect(cli.dependencies[`@nv/${p}`]).toBe('workspace:*');
    for (const dep of Object.keys(cli.devDependencies)) expect(dep.startsWith('@nv/')).toBe(false);
  });
});
