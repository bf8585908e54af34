import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { encodeLatin1 } from '@nv/core/bytes';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { decodeCfb, encodeCfb } from '../src/cfb.ts';
import { parseNvDefinition } from '../src/compile.ts';
import { parseLintLists, stripFactoryFromQcnEntries } from '../src/lint.ts';
import { decodeManifest } from '../src/manifest.ts';
import { parseNvInfo } from '../src/qcn-efs.ts';
import { decodeTar } from '../src/tar.ts';
import { parseXml, loadXml } from '../src/xml.ts';

const onlyNvError = (fn: () => unknown): void => {
  try {
    fn();
  } catch (e) {
    if (!NvError.isInstance(e)) throw e;
  }
};

describe('every parser throws only NvError (fuzz)', () => {
  it('parseNvInfo on any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (v) => onlyNvError(() => parseNvInfo(v))),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('parseLintLists on any JSON value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.jsonValue(),
          fc.record({ factoryIds: fc.array(fc.integer()), runtimePaths: fc.array(fc.string()) }, { requiredKeys: [] }),
        ),
        (v) => onlyNvError(() => parseLintLists(v)),
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('stripFactoryFromQcnEntries keeps every other record byte for byte, in order (property)', () => {
    const rec = fc.record({ id: fc.constantFrom(0, 5, 10, 447, 550, 855, 1943, 4678, 6828), index: fc.nat(3) });
    fc.assert(
      fc.property(fc.array(rec, { maxLength: 20 }), fc.uint8Array({ minLength: 1, maxLength: 16 }), (recs, fill) => {
        const bytes = (l: typeof recs): Uint8Array => {
          const out = new Uint8Array(l.length * 136);
          const v = new DataView(out.buffer);
          l.forEach((r, i) => {
            v.setUint16(i * 136, 136, true);
            v.setUint16(i * 136 + 2, 1, true);
            v.setUint16(i * 136 + 4, r.id, true);
            v.setUint16(i * 136 + 6, r.index, true);
            out.set(fill.subarray(0, 128), i * 136 + 8);
          });
          return out;
        };
        const path = '00000000/default/NV_NUMBERED_ITEMS/NV_ITEM_ARRAY';
        const other = { path: '00000000/default/Feature_Mask', type: 'stream' as const, data: fill };
        const { entries, removed } = stripFactoryFromQcnEntries([{ path, type: 'stream', data: bytes(recs) }, other]);
        const factory = new Set([0, 447, 550, 1943, 4678]);
        const kept = recs.filter((r) => !factory.has(r.id));
        expect(entries.find((e) => e.path === path)?.data).toEqual(bytes(kept));
        expect(entries.find((e) => e.path === other.path)?.data).toBe(fill);
        expect(removed.length).toBe(recs.length - kept.length);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('decodeManifest on any bytes and any JSON', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 200 }),
          fc.jsonValue().map((v) => encodeLatin1(JSON.stringify({ version: 1, entries: v }) ?? '')),
        ),
        (b) => onlyNvError(() => decodeManifest(b)),
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('parseXml + parseNvDefinition on XML-ish strings', () => {
    const piece = fc.constantFrom(
      '<NvDefinition>',
      '</NvDefinition>',
      '<DataType name="a" typeid="1">',
      '</DataType>',
      '<Member type="uint8" sizeOf="2"/>',
      '<Member type="a"/>',
      '<NvItem id="5" name="x">',
      '</NvItem>',
      '<NvEfsItem fullpathname="/a">',
      '</NvEfsItem>',
      'x',
      '<',
      '"',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 12 }), (parts) =>
        onlyNvError(() => parseNvDefinition(parseXml(parts.join(''), 'f.xml'))),
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('loadXml with random include graphs terminates with NvError or a result', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { maxLength: 6 }), (edges) => {
        const files: Record<string, string> = {};
        for (let i = 0; i < 4; i++) {
          const inc = edges
            .filter(([a]) => a === i)
            .map(([, b]) => `<xi:include href="f${b}.xml#xpointer(/NvSource/*)"/>`)
            .join('');
          files[`f${i}.xml`] = `<NvSource>${inc}</NvSource>`;
        }
        onlyNvError(() =>
          loadXml('f0.xml', { read: (p) => files[p.replace(/^\.\//, '')], list: () => Object.keys(files) }),
        );
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('decodeCfb on mutated files with big streams and many entries', () => {
    const base = encodeCfb([
      ...Array.from({ length: 40 }, (_, i) => ({
        path: `s/n${i}`,
        type: 'stream' as const,
        data: new Uint8Array(i * 13),
      })),
      { path: 'big', type: 'stream', data: new Uint8Array(9000).fill(3) },
    ]);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })), { maxLength: 10 }),
        fc.nat(base.length),
        (flips, cut) => {
          const b = base.slice(0, Math.max(1, cut));
          for (const [i, x] of flips) if (i < b.length) b[i] = (b[i] as number) ^ x;
          onlyNvError(() => decodeCfb(b));
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('regression: an include of 200 000 elements is read, not a RangeError (hand-made, hardening pass)', () => {
    // xi:include spliced the children with out.push(...children): a 10⁵-argument spread overflows the stack.
    const files: Record<string, string> = {
      'a.xml': '<NvSource><xi:include href="b.xml#xpointer(/NvSource/*)"/></NvSource>',
      'b.xml': `<NvSource>${'<a/>'.repeat(200_000)}</NvSource>`,
    };
    const root = loadXml('a.xml', { read: (p) => files[p.replace(/^\.\//, '')], list: () => Object.keys(files) });
    expect(root.children).toHaveLength(200_000);
    expect(root.children[199_999]?.name).toBe('a');
  });
  it('decodeTar on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (b) => onlyNvError(() => decodeTar(b))),
      { numRuns: FUZZ_RUNS },
    );
  });
});
