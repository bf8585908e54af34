// issue 20.2: the entry points export the task-level API only (≤ 20 runtime values each); internals stay in their
// modules, and the modules import each other without a loop (issue 20.3).
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as main from '../src/index.ts';
import * as node from '../src/node.ts';
import * as container from '../src/container-api.ts';
import * as errors from '../src/errors.ts';

const src = join(import.meta.dirname, '..', 'src');

describe('public API (index.ts, node.ts, container-api.ts)', () => {
  it('each entry point exports at most 20 runtime values', () => {
    for (const [name, mod] of Object.entries({ main, node, container, errors }))
      expect(Object.keys(mod).length, name).toBeLessThanOrEqual(20);
  });
  it('the main entry has the pure task-level calls, buildFsgImg included', () => {
    expect(Object.keys(main).sort()).toEqual(
      [
        'FSG_ERROR_CODES',
        'DUMMY_ROOT_SHA256',
        'assertVerified',
        'buildFsgImg',
        'checkBootImage',
        'detectSignedImage',
        'inspectSignedImage',
        'normalizeRootHash',
        'parseEfsImageMeta',
        'parseHwId',
        'parseId',
        'rootHashC',
        'rootHashes',
        'unwrapFsgImage',
        'unwrapSignedImage',
        'verifySignedImage',
      ].sort(),
    );
  });
  it('the Node entry signs and makes keys; no package-local SHA adapter, no pure re-exports', () => {
    expect(Object.keys(node)).not.toContain('nodeSha256');
    expect(Object.keys(node)).not.toContain('buildFsgImg');
    for (const f of [
      'generateFsgKeys',
      'writeFsgKeys',
      'readFsgKeyFolder',
      'signFsgImage',
      'signFsgFile',
      'readRootCertificates',
    ])
      expect(Object.keys(node)).toContain(f);
  });
  it('internals are not exported from any entry', () => {
    const all = new Set([...Object.keys(main), ...Object.keys(node), ...Object.keys(container)]);
    for (const internal of [
      'modPow',
      'innerPad',
      'outerPad',
      'parseCertificate',
      'KNOWN_ROOTS',
      'emsaPkcs1Type1',
      'OID',
    ])
      expect(all.has(internal), internal).toBe(false);
  });
  it('the modules of src/ import each other without a cycle (type-only imports count)', () => {
    const files = readdirSync(src).filter((f) => f.endsWith('.ts'));
    const edges = new Map(
      files.map((f) => [
        f,
        [...readFileSync(join(src, f), 'utf8').matchAll(/from '\.\/([\w-]+\.ts)'/g)].map((m) => m[1] as string),
      ]),
    );
    const state = new Map<string, 'open' | 'done'>();
    const cycle: string[] = [];
    const visit = (f: string, path: string[]): void => {
      if (state.get(f) === 'done') return;
      if (state.get(f) === 'open') {
        cycle.push([...path, f].join(' → '));
        return;
      }
      state.set(f, 'open');
      for (const to of edges.get(f) ?? []) visit(to, [...path, f]);
      state.set(f, 'done');
    };
    for (const f of files) visit(f, []);
    expect(cycle).toEqual([]);
  });
});
