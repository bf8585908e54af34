import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';

// Issue 20.3: model.ts is the bottom of the package's import chain, and no two modules import each other, even
// type-only (model.ts ↔ elf.ts was such a loop: SignatureVerdict now lives in model.ts).
const SRC = new URL('../src/', import.meta.url);
const modules = readdirSync(SRC).filter((f) => f.endsWith('.ts'));
const importsOf = (file: string): string[] =>
  [...readFileSync(new URL(file, SRC), 'utf8').matchAll(/^(?:import|export)\b[^;]*?from '\.\/([\w-]+\.ts)'/gms)].map(
    (m) => m[1]!,
  );

describe('model.ts and the import graph', () => {
  it('model.ts imports nothing from the package', () => {
    expect(importsOf('model.ts')).toEqual([]);
  });
  it('no import cycle among the modules (type-only imports included)', () => {
    const graph = new Map(modules.map((m) => [m, importsOf(m)]));
    const cycles: string[] = [];
    const state = new Map<string, 'open' | 'done'>();
    const visit = (m: string, path: string[]): void => {
      if (state.get(m) === 'done') return;
      if (state.get(m) === 'open') {
        cycles.push([...path.slice(path.indexOf(m)), m].join(' → '));
        return;
      }
      state.set(m, 'open');
      for (const d of graph.get(m) ?? []) visit(d, [...path, m]);
      state.set(m, 'done');
    };
    // node-worker.ts ↔ node.ts is the worker entry and its host (a runtime pair by design), not a model loop.
    for (const m of modules) visit(m, []);
    expect(cycles.filter((c) => !/node(-worker)?\.ts → node(-worker)?\.ts/.test(c))).toEqual([]);
    expect(graph.get('build.ts')).toEqual(expect.arrayContaining(['items.ts', 'encode.ts']));
  });
});
