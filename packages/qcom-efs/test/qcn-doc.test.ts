/**
 * Issue 16 (1–3): QCN diff, the JSON model (convert round trips, QPST-style files through JSON, a differential
 * check with Debian libgsf-bin's `gsf`), and decode by definition (compiles back to the same bytes).
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@nv/core/bytes';
import { FUZZ_RUNS, hasTool, nvErrorCode as code } from '../../../scripts/test-tools.ts';
import { decodeCfb } from '../src/cfb.ts';
import { compileNvSource, layoutSize, parseNvDefinition } from '../src/compile.ts';
import { decodeQcnItem, decodeEfsFile, diffQcn, qcnFromJson, qcnToJson } from '../src/qcn-doc.ts';
import { decodeQcn, encodeQcn, type Qcn, type QcnEfsFile, type QcnItem } from '../src/qcn.ts';
import { parseXml } from '../src/xml.ts';
import { decodeXqcn, encodeXqcn } from '../src/xqcn.ts';

const pad = (bytes: number[]): Uint8Array => {
  const p = new Uint8Array(128);
  p.set(bytes);
  return p;
};
const item = (id: number, bytes: number[], index = 0, subscription = 0): QcnItem => ({
  id,
  index,
  subscription,
  payload: pad(bytes),
});
const efs = (store: QcnEfsFile['store'], path: string, data: number[]): QcnEfsFile => ({
  store,
  path,
  data: Uint8Array.from(data),
});
const base: Qcn = {
  model: 0,
  items: [item(10, [0, 0x1f, 0]), item(10, [1, 2, 0], 1), item(550, [8, 0x3a]), item(550, [9], 0, 1)],
  efs: [
    efs('NV_Items', '/nv/item_files/rfnv/00020000', [1, 2, 0x1c, 0xfd]),
    efs('Provisioning_Item_Files', '/nv/item_files/mcfg/mcfg_autoselect_by_uim', [7]),
    efs('EFS_Backup', '/policyman/ue_mode', [1]),
  ],
  extra: [],
};

const DEF = `<NvDefinition>
  <DataType name="pair"><Member name="lo" type="int8" sizeOf="1"/><Member name="hi" type="uint16" sizeOf="1"/></DataType>
  <NvItem id="10" name="NV_PREF_MODE_I" permission="rw"><Member name="nam" type="uint8" sizeOf="1"/><Member name="mode" type="uint16" sizeOf="1"/></NvItem>
  <NvItem id="20000" name="RFNV_B1" permission="rw"><Member name="a" type="uint8" sizeOf="2"/><Member name="b" type="int16" sizeOf="1"/></NvItem>
  <NvItem id="30" name="NESTED" permission="rw"><Member name="pairs" type="pair" sizeOf="2"/><Member name="big" type="int64" sizeOf="1"/></NvItem>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" name="autosel" permission="rw"><Member name="on" type="uint8" sizeOf="1"/></NvEfsItem>
</NvDefinition>`;
const def = parseNvDefinition(parseXml(DEF, 'def.xml'));

describe('diffQcn (16.1)', () => {
  it('same model: no differences; across QCN and XQCN as well', () => {
    const a = decodeQcn(encodeQcn(base)).qcn;
    const b = decodeXqcn(encodeXqcn(base)).qcn;
    expect(diffQcn(a, b)).toEqual({ added: [], removed: [], changed: [] });
  });

  it('keys items by (subscription, id, index) and files by (store, path); both values, fields with a definition', () => {
    const other: Qcn = {
      ...base,
      items: [item(10, [0, 0x20, 0]), item(10, [1, 2, 0], 1), item(550, [9], 0, 1), item(550, [8, 0x3a], 0, 2)],
      efs: [
        efs('NV_Items', '/nv/item_files/rfnv/00020000', [1, 2, 0x1c, 0xfd]),
        efs('EFS_Backup', '/nv/item_files/mcfg/mcfg_autoselect_by_uim', [7]),
        efs('EFS_Backup', '/policyman/ue_mode', [2]),
      ],
    };
    const a = decodeQcn(encodeQcn(base)).qcn;
    const b = decodeXqcn(encodeXqcn(other)).qcn;
    const d = diffQcn(a, b, { definition: def });
    expect(
      d.removed.map((e) => (e.kind === 'item' ? `${e.subscription}/${e.id}/${e.index}` : `${e.store} ${e.path}`)),
    ).toEqual(['0/550/0', 'Provisioning_Item_Files /nv/item_files/mcfg/mcfg_autoselect_by_uim']);
    expect(
      d.added.map((e) => (e.kind === 'item' ? `${e.subscription}/${e.id}/${e.index}` : `${e.store} ${e.path}`)),
    ).toEqual(['2/550/0', 'EFS_Backup /nv/item_files/mcfg/mcfg_autoselect_by_uim']);
    expect(d.changed).toEqual([
      {
        kind: 'item',
        subscription: 0,
        id: 10,
        index: 0,
        a: '001f',
        b: '0020',
        fieldsA: { nam: 0, mode: 31 },
        fieldsB: { nam: 0, mode: 32 },
      },
      { kind: 'efs', store: 'EFS_Backup', path: '/policyman/ue_mode', a: '01', b: '02' },
    ]);
  });
});

// Arbitrary QCN models the writer accepts.
const hex = (n: number) => fc.uint8Array({ maxLength: n });
const arbQcn: fc.Arbitrary<Qcn> = fc
  .record({
    model: fc.integer({ min: 0, max: 0xffff }),
    items: fc.uniqueArray(
      fc.record({
        id: fc.integer({ min: 0, max: 0xffff }),
        index: fc.integer({ min: 0, max: 3 }),
        subscription: fc.integer({ min: 0, max: 2 }),
        payload: hex(128),
      }),
      { selector: (i) => `${i.subscription}/${i.id}/${i.index}`, maxLength: 8 },
    ),
    efs: fc.uniqueArray(
      fc.record({
        store: fc.constantFrom('NV_Items' as const, 'Provisioning_Item_Files' as const, 'EFS_Backup' as const),
        path: fc.stringMatching(/^\/[a-z0-9_]{1,8}(\/[a-z0-9_.]{1,8}){0,2}$/),
        data: hex(300),
      }),
      { selector: (f) => `${f.store} ${f.path}`, maxLength: 8 },
    ),
    propertyInfo: fc.record({
      unknown: fc.integer({ min: 0, max: 0xffffffff }),
      modelNumber: fc.integer({ min: 0, max: 0xffff }),
      nvMajor: fc.integer({ min: 0, max: 255 }),
      nvMinor: fc.integer({ min: 0, max: 255 }),
      softwareVersion: fc.stringMatching(/^[ -~]{0,20}$/),
      producer: fc.stringMatching(/^[ -~]{0,20}$/),
    }),
    feature: fc.option(hex(77), { nil: undefined }),
  })
  .map(({ feature, items, ...q }) => ({
    ...q,
    items: items.map((i) => ({ ...i, payload: pad([...i.payload]) })),
    extra:
      feature === undefined
        ? []
        : [
            {
              path: `${String(q.model).padStart(8, '0')}/default/Feature_Mask`,
              type: 'stream' as const,
              data: feature,
            },
          ],
  }));

/** What a round trip must keep: items, EFS files, stores, property info, other streams. */
const content = (q: Qcn) => ({
  model: q.model,
  propertyInfo: q.propertyInfo,
  items: q.items.map((i) => `${i.subscription}/${i.id}/${i.index}=${bytesToHex(i.payload)}`).sort(),
  efs: q.efs.map((f) => `${f.store} ${f.path}=${bytesToHex(f.data)}`).sort(),
  extra: q.extra.map((e) => `${e.path}=${bytesToHex(e.data ?? new Uint8Array())}`).sort(),
});
const viaJson = (q: Qcn): Qcn => qcnFromJson(JSON.parse(JSON.stringify(qcnToJson(q))));

describe('diffQcn properties (16.1)', () => {
  it('a model against itself is empty; swapping the sides swaps added and removed', () => {
    fc.assert(
      fc.property(arbQcn, arbQcn, (a, b) => {
        expect(diffQcn(a, a)).toEqual({ added: [], removed: [], changed: [] });
        const ab = diffQcn(a, b);
        const ba = diffQcn(b, a);
        expect(ba.added).toEqual(ab.removed);
        expect(ba.removed).toEqual(ab.added);
        expect(ba.changed.map((c) => [c.b, c.a])).toEqual(ab.changed.map((c) => [c.a, c.b]));
      }),
      { numRuns: Math.min(FUZZ_RUNS, 100) },
    );
  });
});

describe('JSON model and convert round trips (16.2)', () => {
  it('QCN → JSON → QCN → XQCN → JSON → QCN keeps the content (property)', () => {
    fc.assert(
      fc.property(arbQcn, (q) => {
        const first = decodeQcn(encodeQcn(q)).qcn;
        const json = viaJson(first);
        expect(content(json)).toEqual(content(first));
        const back = decodeQcn(encodeQcn(json, { keepLayout: true })).qcn;
        expect(content(back)).toEqual(content(first));
        const x = decodeXqcn(encodeXqcn(viaJson(back), { keepLayout: true })).qcn;
        expect(content(x)).toEqual(content(first));
        expect(content(decodeQcn(encodeQcn(viaJson(x), { keepLayout: true })).qcn)).toEqual(content(first));
      }),
      { numRuns: Math.min(FUZZ_RUNS, 100) },
    );
  });

  it('payloads are stored without zero padding and padded back; hex may contain spaces', () => {
    const j = qcnToJson(decodeQcn(encodeQcn(base)).qcn);
    expect(j.items[0]?.payload).toBe('001f');
    const edited = { ...j, items: [{ id: 10, payload: '00 2A 00' }] };
    const q = qcnFromJson(edited);
    expect(bytesToHex(q.items[0]?.payload ?? new Uint8Array())).toBe(`002a${'00'.repeat(126)}`);
  });

  it('rejects a malformed model with NV_EFS_BAD_QCN_JSON naming the JSON path', () => {
    const j = qcnToJson(base);
    expect(code(() => qcnFromJson({ ...j, format: 'x' }))).toBe('NV_EFS_BAD_QCN_JSON');
    expect(() => qcnFromJson({ ...j, items: [{ id: 10, payload: 'abc' }] })).toThrow(/\$\.items\[0\]\.payload/);
    expect(() => qcnFromJson({ ...j, items: [{ id: 10, payload: '00'.repeat(129) }] })).toThrow(/at most 128/);
    expect(() => qcnFromJson({ ...j, efs: [{ store: 'Nope', path: '/a', data: '' }] })).toThrow(/\$\.efs\[0\]\.store/);
    expect(() => qcnFromJson({ ...j, model: 70000 })).toThrow(/\$\.model/);
  });

  it('fuzz: qcnFromJson throws only NvError on mutated models', () => {
    const j = qcnToJson(base) as unknown as Record<string, unknown>;
    fc.assert(
      fc.property(fc.constantFrom(...Object.keys(j)), fc.anything(), (k, v) => {
        try {
          qcnFromJson({ ...j, [k]: v });
        } catch (e) {
          expect(
            code(() => {
              throw e;
            }),
          ).toMatch(/^NV_EFS_/);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

const SCRIPT = new URL('../scripts/make-qpst-qcn.py', import.meta.url).pathname;
const tools = hasTool('gsf') && hasTool('python3');

describe.skipIf(!tools)(
  'QPST-style QCN through JSON; gsf reads what we write (needs Debian libgsf-bin, python3)',
  () => {
    let dir = '';
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'nv-q16-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('a QPST backup keeps every stream byte for byte (Feature_Mask, an unknown stream, <K> names, record order)', () => {
      const out = join(dir, 'vendor.qcn');
      execFileSync('python3', [SCRIPT, out, '--unknown'], { stdio: 'pipe' });
      const vendor = new Uint8Array(readFileSync(out));
      const back = encodeQcn(viaJson(decodeQcn(vendor).qcn), { keepLayout: true });
      const streams = (b: Uint8Array) =>
        Object.fromEntries(
          decodeCfb(b)
            .filter((e) => e.type === 'stream')
            .map((e) => [e.path.toLowerCase(), bytesToHex(e.data ?? new Uint8Array())]),
        );
      const want = streams(vendor);
      expect(Object.keys(want)).toContain('00004094/default/feature_mask');
      expect(Object.keys(want)).toContain('00004094/default/qpst_future_stream');
      expect(streams(back)).toEqual(want);
      // And through XQCN.
      const x = decodeXqcn(encodeXqcn(viaJson(decodeQcn(vendor).qcn), { keepLayout: true })).qcn;
      expect(streams(encodeQcn(x, { keepLayout: true }))).toEqual(want);
    });

    it('gsf list/cat read a QCN written from the JSON model: same streams, same bytes', () => {
      const q = viaJson(decodeQcn(encodeQcn(base)).qcn);
      const file = join(dir, 'ours.qcn');
      writeFileSync(file, encodeQcn(q));
      const listing = execFileSync('gsf', ['list', file], { encoding: 'utf8' });
      const ours = decodeCfb(encodeQcn(q)).filter((e) => e.type === 'stream');
      for (const e of ours) {
        expect(listing).toContain(e.path.split('/').at(-1));
        const got = new Uint8Array(execFileSync('gsf', ['cat', file, e.path]));
        expect(bytesToHex(got)).toBe(bytesToHex(e.data ?? new Uint8Array()));
      }
      const arr = new Uint8Array(
        execFileSync('gsf', ['cat', file, '00000000/default/NV_NUMBERED_ITEMS/NV_ITEM_ARRAY']),
      );
      expect(arr.length).toBe(3 * 136);
      expect(bytesToHex(arr.subarray(0, 11))).toBe('880001000a000000001f00');
    });
  },
);

describe('decode by definition (16.3)', () => {
  it('named fields: nested DataTypes, arrays, signed types; unknown items as bytes', () => {
    const p = pad([0xff, 0x34, 0x12, 0x80, 0x01, 0x00, 0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    const r = decodeQcnItem({ id: 30, index: 0, subscription: 0, payload: p }, def);
    expect(r.name).toBe('NESTED');
    expect(r.fields).toEqual({
      pairs: [
        { lo: -1, hi: 0x1234 },
        { lo: -128, hi: 1 },
      ],
      big: -2,
    });
    expect(r.values).toBe('-1,4660,-128,1,-2');
    expect(decodeQcnItem(item(999, [1, 2]), def)).toEqual({ bytes: '0102', reason: 'not in the definition' });
    expect(decodeEfsFile(base.efs[0] as QcnEfsFile, def).fields).toEqual({ a: [1, 2], b: -740 });
    expect(decodeEfsFile(base.efs[1] as QcnEfsFile, def).fields).toEqual({ on: 7 });
    // Non-zero bytes past the layout are reported, not dropped silently.
    expect(decodeQcnItem(item(10, [0, 1, 0, 9]), def).trailing).toBe('09');
  });

  // A random layout (primitives, a nested DataType, arrays) and random bytes: decode → NvSource → compile gives
  // the same bytes.
  const PRIM = ['uint8', 'int8', 'uint16', 'int16', 'uint32', 'int32', 'uint64', 'int64'] as const;
  const arbLayout = fc.record({
    inner: fc.array(fc.record({ type: fc.constantFrom(...PRIM), sizeOf: fc.integer({ min: 1, max: 3 }) }), {
      minLength: 1,
      maxLength: 3,
    }),
    outer: fc.array(
      fc.record({
        type: fc.oneof(fc.constantFrom(...PRIM), fc.constant('inner')),
        sizeOf: fc.integer({ min: 1, max: 3 }),
      }),
      { minLength: 1, maxLength: 4 },
    ),
  });
  it('decode output compiles back to the same bytes (property)', () => {
    fc.assert(
      fc.property(arbLayout, fc.uint8Array({ minLength: 1024, maxLength: 1024 }), ({ inner, outer }, raw) => {
        const m = (l: { type: string; sizeOf: number }[]) =>
          l.map((x, i) => `<Member name="m${i}" type="${x.type}" sizeOf="${x.sizeOf}"/>`).join('');
        const d = parseNvDefinition(
          parseXml(
            `<NvDefinition><DataType name="inner">${m(inner)}</DataType><NvItem id="77" name="X" permission="rw">${m(outer)}</NvItem><NvEfsItem fullpathname="/x/y" name="Y" permission="rw">${m(outer)}</NvEfsItem></NvDefinition>`,
            'def.xml',
          ),
        );
        const n = layoutSize(d, d.efsItems.get('/x/y')!);
        const bytes = raw.subarray(0, n);
        // EFS item file: the whole layout.
        const r = decodeEfsFile(efs('NV_Items', '/x/y', [...bytes]), d);
        expect(r.trailing).toBeUndefined();
        const back = compileNvSource(
          parseXml(
            `<NvSource><NvEfsItem fullpathname="/x/y" encoding="dec">${r.values}</NvEfsItem></NvSource>`,
            's.xml',
          ),
          d,
        ).qcn;
        expect(bytesToHex(back.efs.find((f) => f.path === '/x/y')?.data ?? new Uint8Array())).toBe(bytesToHex(bytes));
        // Numbered item: a 128-byte record whose layout fits.
        if (n <= 128) {
          const rec = decodeQcnItem(item(77, [...bytes]), d);
          const q = compileNvSource(
            parseXml(`<NvSource><NvItem id="77" encoding="dec">${rec.values}</NvItem></NvSource>`, 's.xml'),
            d,
          ).qcn;
          expect(bytesToHex(pad([...(q.items[0]?.payload ?? [])]))).toBe(bytesToHex(pad([...bytes])));
        }
      }),
      { numRuns: Math.min(FUZZ_RUNS, 100) },
    );
  });
});

describe('decode fuzz (16.3)', () => {
  it('short and odd-length data never throws; the decoded prefix compiles back, the rest is trailing', () => {
    const d = def;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 20 }), (data) => {
        const r = decodeEfsFile(efs('NV_Items', '/nv/item_files/rfnv/00020000', [...data]), d);
        const back = compileNvSource(
          parseXml(`<NvSource><NvItem id="20000" encoding="dec">${r.values}</NvItem></NvSource>`, 's.xml'),
          d,
        ).qcn.efs[0]?.data as Uint8Array;
        const used =
          r.values === '' ? 0 : Math.min(data.length, [1, 2, 4][Math.min(r.values!.split(',').length - 1, 2)]!);
        expect(bytesToHex(back.subarray(0, used))).toBe(bytesToHex(data.subarray(0, used)));
        const rest = data.subarray(used);
        expect(r.trailing !== undefined).toBe(rest.some((b) => b !== 0));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('qcn.schema.json (16.2)', () => {
  const schema = JSON.parse(readFileSync(new URL('../qcn.schema.json', import.meta.url), 'utf8'));
  it('describes every key of the model, its required keys are written, hex values match its pattern', () => {
    const j = qcnToJson(
      decodeQcn(
        encodeQcn({
          ...base,
          extra: [{ path: '00000000/default/Feature_Mask', type: 'stream', data: Uint8Array.of(1) }],
        }),
      ).qcn,
    );
    for (const k of Object.keys(j)) expect(Object.keys(schema.properties)).toContain(k);
    for (const k of schema.required) expect(j).toHaveProperty(k);
    const hexRe = new RegExp(schema.$defs.hex.pattern);
    for (const i of j.items) {
      for (const k of Object.keys(i)) expect(Object.keys(schema.properties.items.items.properties)).toContain(k);
      expect(i.payload).toMatch(hexRe);
    }
    for (const f of j.efs) {
      for (const k of Object.keys(f)) expect(Object.keys(schema.properties.efs.items.properties)).toContain(k);
      expect(f.data).toMatch(hexRe);
    }
    expect(j.extra).toEqual([{ path: '00000000/default/Feature_Mask', data: '01' }]);
    expect(schema.properties.format.const).toBe('nv-qcn');
  });
});
