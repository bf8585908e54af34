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

// ---------------------------------------------------------------- manifests, dependencies, publishing (issue 20)

interface Manifest {
  name: string;
  version: string;
  private?: boolean;
  license?: string;
  keywords?: unknown;
  homepage?: string;
  bugs?: { url?: string };
  repository?: { type?: string; url?: string; directory?: string };
  files?: string[];
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

function manifestOf(dir: string): Manifest {
  return JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Manifest;
}

/** Every published workspace package, found on disk (a new package is covered without editing this file). */
const published = ['packages', 'apps']
  .flatMap((top) => readdirSync(join(ROOT, top)).map((p) => `${top}/${p}`))
  .filter((dir) => existsSync(join(ROOT, dir, 'package.json')) && manifestOf(dir).private !== true)
  .sort();
const privateApps = ['packages', 'apps']
  .flatMap((top) => readdirSync(join(ROOT, top)).map((p) => `${top}/${p}`))
  .filter((dir) => existsSync(join(ROOT, dir, 'package.json')) && manifestOf(dir).private === true);

const rootManifest = manifestOf('.');
const REPO_URL = rootManifest.repository!.url!.replace(/^git\+/, '').replace(/\.git$/, '');

/** Packages the source imports (bare specifiers, reduced to the package name), excluding node: built-ins. */
function importedPackages(dir: string): Set<string> {
  const names = new Set<string>();
  for (const file of filesUnder(join(ROOT, dir, 'src'))) {
    const text = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
    for (const m of text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"./][^'"]*)['"]/gm)) {
      const spec = m[1]!;
      if (spec.startsWith('node:')) continue;
      const parts = spec.split('/');
      names.add(spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
    }
  }
  return names;
}

describe('dependencies: every runtime dependency is used, every import is declared', () => {
  it('finds the published packages on disk', () => {
    expect(published).toContain('packages/core');
    expect(published).toContain('apps/cli');
    expect(published).not.toContain('apps/docs');
  });

  it.each(published)('%s: each dependency is imported somewhere in src', (dir) => {
    const m = manifestOf(dir);
    const used = importedPackages(dir);
    for (const dep of Object.keys(m.dependencies ?? {})) {
      expect(
        used.has(dep),
        `${dir} declares ${dep} but no file in src imports it (remove it or make it a devDependency)`,
      ).toBe(true);
    }
  });

  it.each(published)(
    '%s: each package src imports is declared (bundled devDependencies are named in tsdown.config.ts)',
    (dir) => {
      const m = manifestOf(dir);
      const tsdown = existsSync(join(ROOT, dir, 'tsdown.config.ts'))
        ? readFileSync(join(ROOT, dir, 'tsdown.config.ts'), 'utf8')
        : '';
      for (const name of importedPackages(dir)) {
        if (name === m.name) continue;
        const runtime = m.dependencies?.[name] ?? m.peerDependencies?.[name];
        const bundled = m.devDependencies?.[name] !== undefined && tsdown.includes(`'${name}'`);
        expect(
          runtime !== undefined || bundled,
          `${dir}/src imports ${name}, which package.json does not declare`,
        ).toBe(true);
      }
    },
  );

  it('the rule sees imports: a package importing nothing declared would be caught', () => {
    expect(importedPackages('packages/core').has('@noble/hashes')).toBe(true);
    expect(importedPackages('packages/mtk-lid-file')).toEqual(
      new Set(['@nv/core', '@nv/mtk-nvram-ltable', '@noble/hashes', '@noble/ciphers', 'ext2fs']),
    );
  });
});

describe('manifests and tarballs', () => {
  const rootLicense = readFileSync(join(ROOT, 'LICENSE'), 'utf8');

  it('the repository declares one licence and holds its text', () => {
    expect(rootManifest.license).toBe('Apache-2.0');
    expect(rootLicense).toContain('Apache License');
    expect(rootLicense).toContain('Version 2.0, January 2004');
    expect(REPO_URL).toMatch(/^https:\/\/github\.com\/[^/]+\/[^/]+$/);
  });

  it.each(published)('%s: repository, homepage, bugs, keywords, licence and a LICENSE file', (dir) => {
    const m = manifestOf(dir);
    expect(m.license).toBe(rootManifest.license);
    expect(m.repository).toEqual({ type: 'git', url: `git+${REPO_URL}.git`, directory: dir });
    expect(m.homepage).toBe(`${REPO_URL}/tree/main/${dir}#readme`);
    expect(m.bugs).toEqual({ url: `${REPO_URL}/issues` });
    expect(Array.isArray(m.keywords) && (m.keywords as unknown[]).length >= 3, `${dir} keywords`).toBe(true);
    expect(readFileSync(join(ROOT, dir, 'LICENSE'), 'utf8'), `${dir}/LICENSE is the repository's`).toBe(rootLicense);
  });

  it.each(published)('%s: files lists only what exists, ships LICENSE and no sources', (dir) => {
    const files = manifestOf(dir).files ?? [];
    expect(files).toContain('LICENSE');
    expect(files).not.toContain('src');
    for (const f of files) {
      if (f === 'dist') continue; // made by the build
      expect(existsSync(join(ROOT, dir, f)), `${dir}: files names ${f}, which does not exist`).toBe(true);
    }
  });

  it('source maps carry the sources, so tarballs need no src/', () => {
    const base = readFileSync(join(ROOT, 'tsdown.base.ts'), 'utf8');
    expect(base).toMatch(/sourcemap: true/);
    expect(base).not.toMatch(/sourcesContent: false/);
  });

  it.each(published)('%s: README links work on the npm site (absolute, into files that exist)', (dir) => {
    const mds = readdirSync(join(ROOT, dir)).filter((f) => /^README.*\.md$/.test(f));
    expect(mds).toContain('README.md');
    for (const md of mds) {
      const text = readFileSync(join(ROOT, dir, md), 'utf8');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        expect(/^(https?:|mailto:|#)/.test(target!), `${dir}/${md} links ${target} relatively`).toBe(true);
        const inRepo = /^https:\/\/github\.com\/[^/]+\/[^/]+\/(?:blob|tree)\/main\/([^#?]+)/.exec(target!);
        if (target!.startsWith(REPO_URL) && inRepo) {
          expect(existsSync(join(ROOT, decodeURIComponent(inRepo[1]!))), `${dir}/${md} links ${target}`).toBe(true);
        }
      }
    }
  });
});

describe('versions and changesets', () => {
  const config = JSON.parse(readFileSync(join(ROOT, '.changeset/config.json'), 'utf8')) as {
    privatePackages?: { version?: boolean; tag?: boolean };
    ignore?: string[];
  };
  /** package name → the bump types the pending changesets give it. */
  const bumps = new Map<string, string[]>();
  for (const f of readdirSync(join(ROOT, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md')) {
    const front = /^---\n([\s\S]*?)\n---/.exec(readFileSync(join(ROOT, '.changeset', f), 'utf8'));
    expect(front, `.changeset/${f} has a front matter`).not.toBeNull();
    for (const line of front![1]!.split('\n').filter((l) => l.trim())) {
      const m = /^['"]?([^'":]+)['"]?:\s*(major|minor|patch)\s*$/.exec(line.trim());
      expect(m, `.changeset/${f}: ${line}`).not.toBeNull();
      bumps.set(m![1]!, [...(bumps.get(m![1]!) ?? []), m![2]!]);
    }
  }

  it('the private docs app takes no version bumps', () => {
    expect(config.privatePackages?.version).toBe(false);
    for (const dir of privateApps) expect(bumps.has(manifestOf(dir).name), `a changeset bumps ${dir}`).toBe(false);
  });

  it.each(published)('%s: an unreleased package is 0.0.0 and its first release is 0.1.0', (dir) => {
    const m = manifestOf(dir);
    if (existsSync(join(ROOT, dir, 'CHANGELOG.md'))) return; // released: changesets owns the version from now on
    expect(m.version, `${dir} is unreleased`).toBe('0.0.0');
    const kinds = bumps.get(m.name) ?? [];
    expect(kinds, `${dir} needs a minor changeset for its first release`).toContain('minor');
    expect(kinds).not.toContain('major');
  });
});

// ---------------------------------------------------------------- error codes (issue 20.4)

/** Strings that look like codes but are not, each with its reason. */
const NOT_ERROR_CODES: Record<string, string> = {
  NV_LTABLE_GENERATION: 'C macro the LID-table C export writes and the importer reads as a hint',
  NV_LTABLE_ENUM_SET: 'C macro the LID-table C export writes and the importer reads as a hint',
  NV_NUMBERED_ITEMS: 'QCN storage name (qcom-efs: <MODEL>/default/NV_NUMBERED_ITEMS), not an error',
  NV_PROGRESS: 'environment variable of the CLI (progress bars: always or never), not an error',
};

const isTableFile = (file: string): boolean => /\/src\/errors[^/]*\.ts$/.test(file);

/** `NV_…` string literals in a folder's source (comments removed; prefixes ending in `_` are not codes). */
function codeLiterals(dir: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const file of filesUnder(join(ROOT, dir, 'src')).filter((f) => !isTableFile(f))) {
    const code = readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\/|(^|[^:'"`\\])\/\/.*$/gm, '$1');
    // Not after `=`: an XML attribute in sample data (`name="NV_PREF_MODE_I"`) names an NV item, not an error.
    for (const m of code.matchAll(/(?<![=\w])['"`](NV_[A-Z0-9_]*[A-Z0-9])['"`]/g))
      if (!found.has(m[1]!)) found.set(m[1]!, file);
  }
  return found;
}

/** The codes each published package declares, read from its `src/errors.ts` (every `*_ERROR_CODES` export). */
async function declaredCodes(): Promise<Map<string, Map<string, { meaning: string; fix: string }>>> {
  const all = new Map<string, Map<string, { meaning: string; fix: string }>>();
  for (const dir of published) {
    const entry = join(ROOT, dir, 'src/errors.ts');
    const table = new Map<string, { meaning: string; fix: string }>();
    if (existsSync(entry)) {
      const mod = (await import(entry)) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) {
        if (!name.endsWith('_ERROR_CODES')) continue;
        for (const [code, info] of Object.entries(value as Record<string, { meaning: string; fix: string }>))
          table.set(code, info);
      }
    }
    all.set(manifestOf(dir).name, table);
  }
  return all;
}

describe('error codes: typed tables in one style, every code used is declared, every declared code is used', () => {
  const tableFiles = published.flatMap((dir) => filesUnder(join(ROOT, dir, 'src')).filter(isTableFile));

  it('every package with codes has its table in src/errors.ts', () => {
    expect(tableFiles.length).toBeGreaterThanOrEqual(packages.length);
    for (const p of packages) expect(existsSync(join(ROOT, 'packages', p, 'src/errors.ts')), p).toBe(true);
  });

  it.each(tableFiles.map((f) => f.slice(ROOT.length)))('%s has the one table style', (rel) => {
    const text = readFileSync(join(ROOT, rel), 'utf8');
    if (!/^const CODES = \{$/m.test(text)) {
      // An aggregate of tables of the same package (device-sim): spreads only, typed with the union of their codes.
      expect(text, rel).toMatch(
        /: ErrorCodeTable<\w+ErrorCode> = defineErrorCodes\('NV_[A-Z0-9]*_?', \{\n(\s+\.\.\.\w+,\n)+\}\);/,
      );
      return;
    }
    const body = text.slice(text.indexOf('const CODES = {\n'), text.indexOf('\n};\n'));
    const entries = [...body.matchAll(/^ {2}(NV_[A-Z0-9_]+): /gm)].map((m) => m[1]!);
    expect(entries.length, rel).toBeGreaterThan(0);
    // Each entry is `{ meaning: '…', fix: '…' }` of string literals: no helper calls, no shared constants.
    const entryRe =
      /^ {2}NV_[A-Z0-9_]+: \{\s*meaning:\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"),\s*fix:\s*(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"),?\s*\},$/gm;
    expect(body.match(entryRe)?.length, `${rel}: entries not in { meaning: '…', fix: '…' } form`).toBe(entries.length);
    const type = /^export type (\w+ErrorCode) = keyof typeof CODES;$/m.exec(text)?.[1];
    expect(type, `${rel}: export type XyzErrorCode = keyof typeof CODES;`).toBeDefined();
    expect(text).toMatch(
      new RegExp(
        `^export const [A-Z_]+_ERROR_CODES: ErrorCodeTable<${type}> = defineErrorCodes\\('NV_[A-Z0-9]*_?', CODES\\);$`,
        'm',
      ),
    );
    if (!rel.includes('/core/'))
      expect(text, `${rel} registers its codes with NvError`).toContain(
        `declare module '@nv/core' {\n  interface NvErrorCodes extends Record<${type}, true> {}\n}`,
      );
  });

  it('every table entry has a meaning and a fix a person can act on', async () => {
    for (const [pkg, table] of await declaredCodes()) {
      for (const [code, info] of table) {
        expect(info.meaning.length, `${pkg} ${code} meaning`).toBeGreaterThan(10);
        expect(info.fix.length, `${pkg} ${code} fix`).toBeGreaterThan(5);
      }
    }
  });

  it.each(published)('%s uses only codes declared by core, itself or a package it depends on', async (dir) => {
    const declared = await declaredCodes();
    const m = manifestOf(dir);
    const allowed = new Set<string>([...declared.get('@nv/core')!.keys(), ...(declared.get(m.name)?.keys() ?? [])]);
    for (const dep of Object.keys(m.dependencies ?? {}))
      for (const code of declared.get(dep)?.keys() ?? []) allowed.add(code);
    for (const [code, file] of codeLiterals(dir)) {
      if (NOT_ERROR_CODES[code] !== undefined) continue;
      expect(allowed.has(code), `${file.slice(ROOT.length)} uses ${code}, which no table it may use declares`).toBe(
        true,
      );
    }
  });

  it.each(published)('%s: every declared code is used somewhere or documented in the README', async (dir) => {
    const table = (await declaredCodes()).get(manifestOf(dir).name)!;
    const used = new Set(published.flatMap((d) => [...codeLiterals(d).keys()]));
    const docs = readdirSync(join(ROOT, dir))
      .filter((f) => /^README.*\.md$/.test(f))
      .map((f) => readFileSync(join(ROOT, dir, f), 'utf8'))
      .join('\n');
    for (const code of table.keys()) {
      expect(used.has(code) || docs.includes(code), `${dir}: ${code} is declared but neither used nor documented`).toBe(
        true,
      );
    }
  });

  it('the rule sees code literals (and would flag an outcome named like a code)', () => {
    const cli = codeLiterals('apps/cli');
    expect(cli.has('NV_USAGE')).toBe(true);
    expect([...cli.keys()].some((c) => c.endsWith('_'))).toBe(false);
    expect(
      [...codeLiterals('packages/device-sim').keys()].filter((c) =>
        /^NV_SIM_MCFG_(LOADED|APPLIED|SELECTED_BY_IIN)$/.test(c),
      ),
    ).toEqual([]);
  });
});
