/**
 * Issue 20 point 2: each entry point of each published package exports the task-level API only, so its typedoc
 * page is one screen. Internals stay in modules that are not entry points (tests import them by relative path).
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Runtime values (functions, classes, constants) one entry point may export. */
const MAX_VALUES_PER_ENTRY = 20;

interface Entry {
  pkg: string;
  subpath: string;
  source: string;
}

const entries: Entry[] = readdirSync(join(ROOT, 'packages'))
  .filter((p) => existsSync(join(ROOT, 'packages', p, 'package.json')))
  .flatMap((p) => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'packages', p, 'package.json'), 'utf8')) as {
      exports: Record<string, string | Record<string, string>>;
    };
    return Object.entries(manifest.exports)
      .filter(([, target]) => typeof target === 'object' && target['@nv/source']?.endsWith('.ts') === true)
      .map(([subpath, target]) => ({
        pkg: p,
        subpath,
        source: join(ROOT, 'packages', p, (target as Record<string, string>)['@nv/source']!),
      }));
  });

describe('public APIs are narrow (one typedoc page per entry point)', () => {
  it('finds the entry points of every package', () => {
    expect(entries.length).toBeGreaterThanOrEqual(16);
    expect(entries.some((e) => e.pkg === 'qcom-efs' && e.subpath === '.')).toBe(true);
  });
  it.each(entries.map((e) => [`@nv/${e.pkg}${e.subpath.slice(1)}`, e] as const))(
    `%s exports at most ${MAX_VALUES_PER_ENTRY} runtime values`,
    async (_name, e) => {
      const mod = (await import(pathToFileURL(e.source).href)) as Record<string, unknown>;
      const names = Object.keys(mod).sort();
      expect(names.length, names.join(', ')).toBeGreaterThan(0);
      expect(names.length, `${names.length}: ${names.join(', ')}`).toBeLessThanOrEqual(MAX_VALUES_PER_ENTRY);
    },
    60_000,
  );
  it('the API reference documents every entry point (typedoc entryPoints = the exported sources)', () => {
    for (const p of new Set(entries.map((e) => e.pkg))) {
      const typedoc = JSON.parse(readFileSync(join(ROOT, 'packages', p, 'typedoc.json'), 'utf8')) as {
        entryPoints: string[];
      };
      const sources = entries.filter((e) => e.pkg === p).map((e) => e.source);
      expect(typedoc.entryPoints.map((f) => join(ROOT, 'packages', p, f)).sort(), p).toEqual(sources.sort());
    }
  });
  it('no package or app imports another package past its entry points', () => {
    const offenders: string[] = [];
    for (const top of ['packages', 'apps']) {
      for (const dir of readdirSync(join(ROOT, top))) {
        const own = join(ROOT, top, dir) + sep;
        for (const sub of ['src', 'test', 'bench']) {
          const folder = join(own, sub);
          if (!existsSync(folder)) continue;
          for (const f of readdirSync(folder, { recursive: true, encoding: 'utf8' })) {
            if (!/\.(ts|mts)$/.test(f) || f.includes('node_modules')) continue;
            const file = join(folder, f);
            const text = readFileSync(file, 'utf8');
            for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*)'([^']+)'/g)) {
              const spec = m[1]!;
              const deep = /^@nv\/[a-z0-9-]+\/(src|dist|test)\//.test(spec);
              const target = spec.startsWith('.') ? resolve(dirname(file), spec) : '';
              const foreign =
                target !== '' &&
                !target.startsWith(own) &&
                (target.startsWith(join(ROOT, 'packages')) || target.startsWith(join(ROOT, 'apps')));
              if (deep || foreign) offenders.push(`${top}/${dir}/${sub}/${f}: ${spec}`);
            }
          }
        }
      }
    }
    expect(offenders).toEqual([]);
  });
});
