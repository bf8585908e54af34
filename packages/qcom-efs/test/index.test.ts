/**
 * Issue 20.2: the main entry's task-level calls that replaced the CLI's own code and the wide exports — QCN documents
 * (`readQcnDocument`/`writeQcnDocument`: format sniffing and stream listing), `decodeQcnValues`, `lint`,
 * `stripFactory`, `packEfsImage`, `parseNvDefinition` of text — imported from `src/index.ts` as users see them, each
 * checked against the lower-level calls it wraps; and the entry's size (≤ 20 runtime values).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FUZZ_RUNS, nvErrorCode as code } from '../../../scripts/test-tools.ts';
import { decodeCfb, encodeCfb } from '../src/cfb.ts';
import { encodeGzip } from '../src/gzip.ts';
import { lintEfsTree, lintQcn, stripFactoryFromQcnEntries } from '../src/lint.ts';
import { NODE_DEFLATE } from '../src/node-zlib.ts';
import { decodeQcnItem, qcnToJson } from '../src/qcn-doc.ts';
import { qcnToEntries } from '../src/qcn.ts';
import {
  decodeQcn,
  decodeQcnValues,
  encodeQcn,
  lint,
  packEfsImage,
  parseNvDefinition,
  readQcnDocument,
  stripFactory,
  writeQcnDocument,
  type Qcn,
} from '../src/index.ts';
import { encodeEfsTar } from '../src/tar.ts';
import type { EfsEntry } from '../src/tree.ts';
import { encodeXqcn } from '../src/xqcn.ts';

const pad = (bytes: number[]): Uint8Array => {
  const p = new Uint8Array(128);
  p.set(bytes);
  return p;
};
const qcn: Qcn = {
  model: 0,
  items: [
    { id: 10, index: 0, subscription: 0, payload: pad([0, 0x1f, 0]) },
    { id: 550, index: 0, subscription: 0, payload: pad([8, 0x3a]) },
  ],
  efs: [
    { store: 'NV_Items', path: '/nv/item_files/rfnv/00020000', data: Uint8Array.of(1, 2, 3) },
    { store: 'EFS_Backup', path: '/policyman/ue_mode', data: Uint8Array.of(1) },
  ],
  extra: [{ path: '00000000/default/Mystery', type: 'stream', data: Uint8Array.of(9, 9) }],
};
const DEF = `<NvDefinition>
  <NvItem id="10" name="NV_PREF_MODE_I"><Member name="nam" type="uint8" sizeOf="1"/><Member name="mode" type="uint16" sizeOf="1"/></NvItem>
  <NvItem id="20000" name="RFNV_X"><Member name="a" type="uint8" sizeOf="3"/></NvItem>
</NvDefinition>`;

describe('readQcnDocument / writeQcnDocument', () => {
  it('tells QCN, XQCN and the JSON model apart by their first byte (after a BOM) and reads the same model', () => {
    const bin = writeQcnDocument(qcn, 'qcn');
    expect(bin).toEqual(encodeQcn(qcn));
    const xml = writeQcnDocument(qcn, 'xqcn');
    expect(new TextDecoder().decode(xml)).toBe(encodeXqcn(qcn));
    const json = writeQcnDocument(qcn, 'json');
    expect(new TextDecoder().decode(json)).toBe(`${JSON.stringify(qcnToJson(qcn), null, 2)}\n`);
    const bom = Uint8Array.of(0xef, 0xbb, 0xbf, ...xml);
    const reads = [bin, xml, json, bom].map((b) => readQcnDocument(b));
    expect(reads.map((r) => r.format)).toEqual(['qcn', 'xqcn', 'json', 'xqcn']);
    for (const r of reads) expect(encodeQcn(r.qcn)).toEqual(bin);
  });

  it('lists every stream with whether the reader understood it (the unknown one is not)', () => {
    const bin = encodeQcn(qcn);
    const { streams, warnings } = readQcnDocument(bin);
    const cfbStreams = decodeCfb(bin).filter((e) => e.type === 'stream');
    expect(streams.map((s) => s.path)).toEqual(cfbStreams.map((e) => e.path));
    expect(streams.filter((s) => !s.known)).toEqual([{ path: '00000000/default/Mystery', size: 2, known: false }]);
    expect(warnings.map((w) => w.code)).toContain('NV_EFS_QCN_UNKNOWN_STREAM');
    // The XQCN view lists the streams the model would be written as.
    const x = readQcnDocument(writeQcnDocument(qcn, 'xqcn'));
    expect(x.streams.map((s) => s.path)).toEqual(
      qcnToEntries(x.qcn)
        .filter((e) => e.type === 'stream')
        .map((e) => e.path),
    );
    expect(x.streams.filter((s) => !s.known).map((s) => s.path)).toEqual(['00000000/default/Mystery']);
  });

  it('names the file in its errors: bad JSON is NV_EFS_BAD_QCN_JSON, anything else the QCN reader decides', () => {
    const bad = new TextEncoder().encode('{ "format": ');
    expect(code(() => readQcnDocument(bad, { file: 'x.json' }))).toBe('NV_EFS_BAD_QCN_JSON');
    expect(() => readQcnDocument(bad, { file: 'x.json' })).toThrow(/x\.json is not valid JSON/);
    expect(code(() => readQcnDocument(Uint8Array.of(1, 2, 3)))).toMatch(/^NV_/);
  });

  it('fuzz: readQcnDocument throws only NvError on arbitrary bytes and on mutated QCNs', () => {
    const bin = encodeQcn(qcn);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.nat(), (junk, at) => {
        const mutated = bin.slice();
        mutated.set(junk.subarray(0, 64), at % (bin.length - 64));
        for (const b of [junk, mutated]) {
          try {
            readQcnDocument(b);
          } catch (error) {
            expect(
              code(() => {
                throw error;
              }),
            ).toMatch(/^NV_/);
          }
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('decodeQcnValues', () => {
  const def = parseNvDefinition(DEF, { file: 'def.xml' });
  it('decodes every item and file, or only the given ids and their RFNV files', () => {
    const all = decodeQcnValues(qcn, def);
    expect(all.items.map((i) => i.id)).toEqual([10, 550]);
    expect(all.items[0]).toEqual({ id: 10, index: 0, subscription: 0, ...decodeQcnItem(qcn.items[0]!, def) });
    expect(all.items[0]?.fields).toEqual({ nam: 0, mode: 0x1f });
    expect(all.efs.map((f) => f.path)).toEqual(['/nv/item_files/rfnv/00020000', '/policyman/ue_mode']);
    const some = decodeQcnValues(qcn, def, { ids: [20000] });
    expect(some.items).toEqual([]);
    expect(some.efs.map((f) => [f.path, f.fields])).toEqual([['/nv/item_files/rfnv/00020000', { a: [1, 2, 3] }]]);
  });
  it('parseNvDefinition takes XML text as well as an element tree, and names the file in errors', () => {
    expect(() => parseNvDefinition('<NvSource/>', { file: 'd.xml' })).toThrow(/d\.xml: root is <NvSource>/);
  });
});

describe('lint and stripFactory', () => {
  const entries: EfsEntry[] = [
    { path: '/', type: 'dir', mode: 0o40777, uid: 0, gid: 0, mtime: 0 },
    { path: '/nvm/num/550', type: 'item', mode: 0o160777, uid: 0, gid: 0, mtime: 0, data: Uint8Array.of(8, 0x3a) },
    { path: '/policyman/ue_mode', type: 'item', mode: 0o160777, uid: 0, gid: 0, mtime: 0, data: Uint8Array.of(1) },
  ];
  it('lint(qcn) = lintQcn, lint({tree, warnings: []}) = lintEfsTree', () => {
    expect(lint(qcn)).toEqual(lintQcn(qcn));
    expect(lint({ tree: { entries }, warnings: [] })).toEqual(lintEfsTree({ entries }));
  });
  it('strips a QCN in place, byte for byte what the compound-file strip gives; XQCN in, XQCN out', () => {
    const bin = encodeQcn(qcn);
    const s = stripFactory(bin, { runtimePaths: ['/policyman/'] });
    const ref = stripFactoryFromQcnEntries(decodeCfb(bin), { runtimePaths: ['/policyman/'] });
    expect(s.bytes).toEqual(encodeCfb(ref.entries));
    expect(s.removed.map((r) => r.path)).toEqual(ref.removed.map((r) => r.path));
    expect(decodeQcn(s.bytes).qcn.items.map((i) => i.id)).toEqual([10]);
    const x = stripFactory(writeQcnDocument(qcn, 'xqcn'), { format: 'xqcn' });
    expect(readQcnDocument(x.bytes).format).toBe('xqcn');
    expect(readQcnDocument(x.bytes).qcn.items.map((i) => i.id)).toEqual([10]);
  });
  it('strips a tree', () => {
    expect(stripFactory({ entries }).removed).toEqual(['/nvm/num/550', '/policyman/ue_mode']);
  });
});

describe('packEfsImage', () => {
  it('is encodeGzip(encodeEfsTar) byte for byte, or the tar alone', () => {
    const tree = {
      entries: [
        { path: '/a', type: 'item' as const, mode: 0o160777, uid: 0, gid: 0, mtime: 0, data: Uint8Array.of(1) },
      ],
    };
    const { tar, entries } = encodeEfsTar(tree);
    const p = packEfsImage(tree, NODE_DEFLATE, { pad512: true });
    expect(p.bytes).toEqual(encodeGzip(tar, NODE_DEFLATE, { pad512: true }));
    expect([p.entries, p.tarBytes]).toEqual([entries, tar.length]);
    expect(packEfsImage(tree, NODE_DEFLATE, { gzip: false }).bytes).toEqual(tar);
  });
});

describe('the entry points stay narrow (issue 20.2)', () => {
  it('main, ./node and ./model export at most 20 runtime values each', async () => {
    for (const entry of ['index', 'node', 'model', 'errors']) {
      const mod = (await import(`../src/${entry}.ts`)) as Record<string, unknown>;
      expect(Object.keys(mod).length, entry).toBeLessThanOrEqual(20);
    }
  });
});
