import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { cs2, cs2Raw, cs2Accepts, chk8, chk8View, ldiHeaderChecksum } from '../src/checksum.ts';
import {
  encodeLdiHeader,
  decodeLdiHeader,
  decodeLidFile,
  encodeLidFile,
  encodeLidFiles,
  detectLidGeneration,
  reconcileCopies,
  lidFileSize,
  type LidEntry,
} from '../src/lid-file.ts';

const vec = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./vectors/${name}`, import.meta.url)));
const sha = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
const KEY_A = { rc4Key: hexToBytes('12abcdef') };
const AES_DEFAULT = { aesKey: hexToBytes('3f06bd14d45fa985dd027410f0214d22') };
const IMEI_B = hexToBytes('00010121436587f00000');
const IMEI_A = hexToBytes('00010121436587f0ffff');
const FF10 = new Uint8Array(10).fill(0xff);
const imeiEntry: LidEntry = {
  lid: 0xef10,
  name: 'NVRAM_EF_IMEI_IMEISV_LID',
  size: 10,
  records: 10,
  attr: 0x400a,
  category: 0x2000,
  attributes: ['CONFIDENTIAL', 'WRITEPROTECT', 'COMMITTED'],
  prefix: 'LD0B',
  verno: '001',
};

const expectNvError = (fn: () => unknown, code: string): NvError => {
  try {
    fn();
  } catch (error) {
    expect(NvError.isInstance(error)).toBe(true);
    expect((error as NvError).code).toBe(code);
    return error as NvError;
  }
  throw new Error(`expected ${code}`);
};

describe('checksums (§4, §5, §16)', () => {
  it('cs2 known answers and the FF-default special case', () => {
    expect(cs2(Uint8Array.of(1, 2, 3))).toBe(0x0204);
    expect(cs2(new Uint8Array(10))).toBe(0xcdef);
    const ff512 = new Uint8Array(512).fill(0xff);
    expect(cs2Raw(ff512)).toBe(0x0000);
    expect(cs2(ff512)).toBe(0xcdef);
    expect(cs2Accepts(ff512, 0)).toBe(true);
    expect(cs2Accepts(ff512, 0xcdef)).toBe(true);
    expect(cs2Accepts(new Uint8Array(512), 0)).toBe(false); // zero record must carry 0xCDEF
    expect(cs2(hexToBytes('0500090041424344'))).toBe(0x8692);
  });
  it('chk8 known answers and the 2-byte view', () => {
    expect(bytesToHex(chk8(FF10))).toBe('21364f4123fc17c1');
    expect(bytesToHex(chk8(new Uint8Array(10)))).toBe('efcd000000000000');
    expect(chk8View(chk8(FF10))).toBe(0x34aa);
    expect(chk8View(chk8(new Uint8Array(4)))).toBe(0xcedf);
    expect(bytesToHex(chk8(hexToBytes('0500090041424344')))).toBe('15f36ed055496183');
  });
  it('header checksums equal the device values', () => {
    const h = (lid: number, n: number, size: number, attr: number, cat: number): number =>
      ldiHeaderChecksum(
        encodeLdiHeader({ lid, totalRecords: n, recordSize: size, attr, category: cat, writeTimes: 0 }),
      );
    expect(h(0xef10, 10, 10, 0x400a, 0x2000)).toBe(0x44a2);
    expect(h(0xef10, 10, 10, 0x402a, 0x2000)).toBe(0x44c2);
    expect(h(0x08c1, 1, 4096, 0x4000, 0x2000)).toBe(0x445f);
  });
});

describe('generation B (§5)', () => {
  it('decodes the §16 confidential IMEI file', () => {
    const bytes = vec('genb-imei-confidential.bin');
    expect(sha(bytes)).toBe('6848ff5db00f02d2eab4c8e1690081291939af751cbb691fe03891a3d3e4cd51');
    const d = decodeLidFile(bytes, imeiEntry, { key: AES_DEFAULT });
    expect(d.generation).toBe('B');
    expect(d.headerChecksumOk).toBe(true);
    expect(d.header).toEqual({
      lid: 0xef10,
      totalRecords: 10,
      recordSize: 10,
      attr: 0x400a,
      category: 0x2000,
      defvalChkrstH: '00'.repeat(10),
      checksum: 0x44a2,
      lastWriteTaskId: 0,
      defvalChkrstL: '00'.repeat(6),
      lastWriteTime: 0,
      writeTimes: 0,
      structChkrst: '00'.repeat(16),
    });
    expect(d.sectionSize).toBe(32);
    expect(d.records.map((r) => bytesToHex(r.bytes))).toEqual([bytesToHex(IMEI_B), ...Array(9).fill(bytesToHex(FF10))]);
    expect(d.badRecords).toEqual([]);
    expect(d.records[1]!.offset).toBe(96);
  });
  it('§16 vector has write_times 0: a decoder test; the encoder writes 1 (§5) unless told otherwise (issue 15.8)', () => {
    const spec = vec('genb-imei-confidential.bin'); // python-built from docs/formats/lid-files.md#test-vectors, write_times 0
    const d = decodeLidFile(spec, imeiEntry, { key: AES_DEFAULT });
    expect({ writeTimes: d.header!.writeTimes, headerOk: d.headerChecksumOk, bad: d.badRecords }).toEqual({
      writeTimes: 0,
      headerOk: true,
      bad: [],
    });
    const records = [IMEI_B, ...Array.from({ length: 9 }, () => FF10)];
    const ours = encodeLidFile(records, imeiEntry, { generation: 'B', key: AES_DEFAULT });
    expect(bytesToHex(ours.subarray(44, 48))).toBe('01000000');
    // Only write_times differs: it sits in the debug header, outside the header checksum (still 0x44A2).
    expect(bytesToHex(ours.subarray(30, 32))).toBe('a244');
    const diff = [...ours.keys()].filter((i) => ours[i] !== spec[i]);
    expect(diff).toEqual([44]);
    expect(sha(ours)).not.toBe('6848ff5db00f02d2eab4c8e1690081291939af751cbb691fe03891a3d3e4cd51');
    expect(decodeLidFile(ours, imeiEntry, { key: AES_DEFAULT }).header!.writeTimes).toBe(1);
  });
  it('decodes without an entry (header gives the layout) and re-encodes byte-exact', () => {
    const bytes = vec('genb-imei-confidential.bin');
    const d = decodeLidFile(bytes, undefined, { key: AES_DEFAULT });
    expect(d.records[0]!.bytes).toEqual(IMEI_B);
    const again = encodeLidFile(
      d.records.map((r) => r.bytes),
      imeiEntry,
      { generation: 'B', key: AES_DEFAULT, header: { writeTimes: 0 } },
    );
    expect(bytesToHex(again)).toBe(bytesToHex(bytes));
  });
  it('plain file with zero/FF/demo records', () => {
    const bytes = vec('genb-plain.bin');
    const entry: LidEntry = { lid: 0x0123, size: 8, records: 4, attr: 0, category: 0, attributes: [] };
    const d = decodeLidFile(bytes, entry);
    expect(d.records.map((r) => r.checksum)).toEqual([
      '15f36ed055496183',
      'efcd000000000000',
      bytesToHex(chk8(new Uint8Array(8).fill(0xff))),
      bytesToHex(chk8(new TextEncoder().encode('ABCDEFGH'))),
    ]);
    expect(
      bytesToHex(
        encodeLidFile(
          d.records.map((r) => r.bytes),
          entry,
          { generation: 'B' },
        ),
      ),
    ).toBe(bytesToHex(bytes));
  });
  it('needs a key, detects a wrong key by its padding', () => {
    const bytes = vec('genb-imei-confidential.bin');
    expectNvError(() => decodeLidFile(bytes, imeiEntry), 'NV_LID_KEY_REQUIRED');
    const e = expectNvError(
      () => decodeLidFile(bytes, imeiEntry, { key: { aesKey: new Uint8Array(16) } }),
      'NV_LID_BAD_PADDING',
    );
    expect(e.offset).toBeGreaterThanOrEqual(64 + 18);
    const enc = decodeLidFile(bytes, imeiEntry, { allowEncrypted: true });
    expect(enc.decrypted).toBe(false);
  });
  it('header checks: mismatch, bad header checksum still decodes records, MSP is HW bound', () => {
    const bytes = vec('genb-imei-confidential.bin');
    expectNvError(
      () => decodeLidFile(bytes, { ...imeiEntry, lid: 0xef11 }, { key: AES_DEFAULT }),
      'NV_LID_HEADER_MISMATCH',
    );
    const bad = bytes.slice();
    bad[20] = 1;
    expectNvError(() => decodeLidFile(bad, undefined, { key: AES_DEFAULT }), 'NV_LID_BAD_HEADER_CHECKSUM');
    const forced = decodeLidFile(bad, imeiEntry, { key: AES_DEFAULT, generation: 'B' });
    expect(forced.headerChecksumOk).toBe(false);
    expect(forced.badRecords).toEqual([]);
    const msp = encodeLdiHeader({ lid: 0xef10, totalRecords: 10, recordSize: 10, attr: 0x402a, category: 0x2000 });
    const mspFile = new Uint8Array(384);
    mspFile.set(msp);
    expectNvError(() => decodeLidFile(mspFile), 'NV_LID_HW_BOUND');
  });
});

describe('generation A (§4)', () => {
  it('decodes the §16 confidential IMEI file with key A', () => {
    const bytes = vec('gena-imei-confidential.bin');
    const entry: LidEntry = { ...imeiEntry, attributes: ['CONFIDENTIAL'] };
    expect(sha(bytes)).toBe('17167dd4286880b92b48726fc49a589a2c3d746b9b136e5526cc40d3ec14bd57');
    const d = decodeLidFile(bytes, entry, { key: KEY_A });
    expect(d.generation).toBe('A');
    expect(d.records[0]!.bytes).toEqual(IMEI_A);
    expect(d.records[0]!.checksum).toBe('3ce3');
    expect(d.records[9]!.checksum).toBe('d3ce');
    expect(d.badRecords).toEqual([]);
    expect(
      bytesToHex(
        encodeLidFile(
          d.records.map((r) => r.bytes),
          entry,
          { generation: 'A', key: KEY_A },
        ),
      ),
    ).toBe(bytesToHex(bytes));
    // Gen A checksums cover ciphertext: a wrong key still verifies but yields other plaintext (docs/formats/lid-files.md#gen-a).
    const wrong = decodeLidFile(bytes, entry, { key: { rc4Key: hexToBytes('12abcdee') } });
    expect(wrong.badRecords).toEqual([]);
    expect(wrong.records[0]!.bytes).not.toEqual(IMEI_A);
  });
  it('edge-case checksums 0x0204 / 0xCDEF / 0x0000 (FF default)', () => {
    const bytes = vec('gena-edge.bin');
    const d = decodeLidFile(bytes, { lid: null, size: 512, records: 3, attributes: [] });
    expect(d.records.map((r) => r.checksum)).toEqual(['0402', 'efcd', '0000']);
    expect(d.badRecords).toEqual([]);
    // Encoders write 0xCDEF for the FF record (inferred, docs/formats/lid-files.md#gen-a).
    const re = encodeLidFile(
      d.records.map((r) => r.bytes),
      { lid: null, size: 512, records: 3, attributes: [] },
      { generation: 'A' },
    );
    expect(bytesToHex(re.subarray(3 * 514 - 2))).toBe('efcd');
  });
  it('detects the layout without an entry, and reports ambiguity', () => {
    expect(detectLidGeneration(vec('gena-demo.bin')).entry).toMatchObject({ size: 8, records: 2 });
    // 5140 = 10×514 = 5×1028 with all-zero records: both layouts verify.
    const zeros = encodeLidFile(
      Array.from({ length: 10 }, () => new Uint8Array(512)),
      { lid: null, size: 512, records: 10, attributes: [] },
      { generation: 'A' },
    );
    // docs/formats/lid-files.md#detection example: 5140 = 10×514 = 5×1028, and an all-zero 10×514 file verifies under both layouts.
    const crafted = new Uint8Array(5140);
    for (let i = 0; i < 10; i++) crafted.set([0xef, 0xcd], i * 514 + 512);
    expect(zeros).toEqual(crafted);
    const e = expectNvError(() => detectLidGeneration(crafted), 'NV_LID_AMBIGUOUS_LAYOUT');
    expect(e.data).toEqual({
      layouts: [
        { records: 10, size: 512 },
        { records: 5, size: 1026 },
      ],
    });
    expect(detectLidGeneration(crafted, { lid: null, size: 512, records: 10, attributes: [] }).generation).toBe('A');
    const amb = new Uint8Array(12); // 00×10 + EFCD fits 1×12; 4×3 fails; craft 2×6 also valid: 00×4 EFCD ×2
    amb.set([0xef, 0xcd], 4);
    amb.set([0xef, 0xcd], 10);
    expectNvError(() => detectLidGeneration(amb), 'NV_LID_AMBIGUOUS_LAYOUT');
  });
});

const genEntry = (): fc.Arbitrary<{ entry: LidEntry; records: Uint8Array[] }> =>
  fc
    .record({
      size: fc.integer({ min: 1, max: 40 }),
      n: fc.integer({ min: 1, max: 6 }),
      conf: fc.boolean(),
      lid: fc.integer({ min: 0, max: 0xffff }),
    })
    .chain(({ size, n, conf, lid }) =>
      fc.array(fc.uint8Array({ minLength: size, maxLength: size }), { minLength: n, maxLength: n }).map((records) => ({
        entry: {
          lid,
          size,
          records: n,
          attr: conf ? 8 : 0,
          category: 0,
          attributes: conf ? ['CONFIDENTIAL'] : [],
        } as LidEntry,
        records,
      })),
    );

describe('properties', () => {
  for (const gen of ['A', 'B'] as const) {
    const key = gen === 'A' ? KEY_A : AES_DEFAULT;
    it(`gen ${gen}: encode → decode gives the records back`, () => {
      fc.assert(
        fc.property(genEntry(), ({ entry, records }) => {
          const bytes = encodeLidFile(records, entry, { generation: gen, key });
          expect(bytes.length).toBe(lidFileSize(entry, gen));
          const d = decodeLidFile(bytes, entry, { generation: gen, key });
          expect(d.badRecords).toEqual([]);
          expect(d.records.map((r) => bytesToHex(r.bytes))).toEqual(records.map(bytesToHex));
        }),
        { numRuns: FUZZ_RUNS },
      );
    });
    it(`gen ${gen}: every single-byte corruption of a record area is detected with its record index`, () => {
      const entry: LidEntry = { lid: 0x42, size: 12, records: 3, attr: 0, category: 0, attributes: [] };
      const records = [hexToBytes('0102030405060708090a0b0c'), new Uint8Array(12), new Uint8Array(12).fill(0xff)];
      const good = encodeLidFile(records, entry, { generation: gen });
      const base = gen === 'B' ? 64 : 0;
      const section = gen === 'B' ? 20 : 14;
      for (let off = base; off < good.length; off++) {
        for (const x of [0x01, 0x80, 0xff]) {
          const bad = good.slice();
          bad[off]! ^= x;
          const d = decodeLidFile(bad, entry, { generation: gen });
          expect(d.badRecords, `offset ${off} ^ ${x}`).toEqual([Math.floor((off - base) / section) + 1]);
        }
      }
    });
  }
  it('gen B confidential: every single-byte corruption fails exactly its record (no file-wide padding error)', () => {
    const entry: LidEntry = { lid: 0x42, size: 10, records: 3, attr: 8, category: 0, attributes: ['CONFIDENTIAL'] };
    const records = [hexToBytes('00010121436587f00000'), new Uint8Array(10), new Uint8Array(10).fill(0xff)];
    const good = encodeLidFile(records, entry, { generation: 'B', key: AES_DEFAULT });
    for (let off = 64; off < good.length; off++) {
      const bad = good.slice();
      bad[off] = bad[off]! ^ 0x5a;
      const d = decodeLidFile(bad, entry, { key: AES_DEFAULT });
      expect(d.badRecords, `offset ${off}`).toEqual([Math.floor((off - 64) / 32) + 1]);
    }
  });
  it('fuzz: mutated files only throw NvError', () => {
    const files = [
      'genb-imei-confidential.bin',
      'gena-imei-confidential.bin',
      'gena-edge.bin',
      'genb-plain.bin',
      'gena-demo.bin',
    ].map(vec);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }),
        fc.nat(),
        fc.boolean(),
        (fi, flips, cut, withKey) => {
          const src = files[fi]!;
          let m = src.slice();
          for (const [at, v] of flips) m[at % m.length] = v;
          if (cut % 3 === 0) m = m.subarray(0, cut % (m.length + 1));
          for (const opts of [
            {},
            { key: withKey ? AES_DEFAULT : KEY_A },
            { generation: 'B' as const, key: AES_DEFAULT },
            { generation: 'A' as const, allowEncrypted: true },
          ]) {
            for (const e of [undefined, imeiEntry]) {
              try {
                decodeLidFile(m, e, opts);
              } catch (error) {
                if (!NvError.isInstance(error)) throw error;
              }
            }
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('MULTIPLE copies (§7, §8.2)', () => {
  const entry: LidEntry = {
    lid: 0x10,
    size: 4,
    records: 2,
    attr: 4,
    category: 0,
    attributes: ['MULTIPLE'],
    prefix: 'MT79',
    verno: '003',
  };
  const files = encodeLidFiles([hexToBytes('01020304'), hexToBytes('05060708')], entry, { generation: 'B' });
  it('names both copies with identical bytes', () => {
    expect(files.map((f) => f.name)).toEqual(['MT79A003', 'MT79B003']);
    expect(files[0]!.bytes).toEqual(files[1]!.bytes);
  });
  it('reconciles one bad copy, reports both bad and mismatches', () => {
    const good = files[0]!.bytes;
    const bad = good.slice();
    bad[70] = bad[70]! ^ 1;
    expect(reconcileCopies(good, good, entry)).toMatchObject({ action: 'none', mismatch: false });
    expect(reconcileCopies(good, bad, entry)).toMatchObject({
      action: 'copy-a-to-b',
      mismatch: true,
      aOk: true,
      bOk: false,
    });
    expect(reconcileCopies(bad, good, entry)).toMatchObject({ action: 'copy-b-to-a', bytes: good });
    expect(reconcileCopies(undefined, good, entry).action).toBe('copy-b-to-a');
    expect(reconcileCopies(bad, bad, entry).action).toBe('both-bad');
    expect(reconcileCopies(bad, new Uint8Array(3), entry).action).toBe('both-bad');
  });
});

describe('header encode/decode', () => {
  it('keeps every field', () => {
    const h = encodeLdiHeader({
      lid: 1,
      totalRecords: 2,
      recordSize: 3,
      attr: 4,
      category: 5,
      defvalChkrstH: '0102030405060708090a',
      lastWriteTaskId: 7,
      defvalChkrstL: 'aabbccddeeff',
      lastWriteTime: 9,
      writeTimes: 10,
      structChkrst: 'ff'.repeat(16),
    });
    const d = decodeLdiHeader(h);
    expect(d).toMatchObject({
      lid: 1,
      totalRecords: 2,
      recordSize: 3,
      attr: 4,
      category: 5,
      defvalChkrstH: '0102030405060708090a',
      lastWriteTaskId: 7,
      defvalChkrstL: 'aabbccddeeff',
      lastWriteTime: 9,
      writeTimes: 10,
      structChkrst: 'ff'.repeat(16),
    });
    expect(d.checksum).toBe(ldiHeaderChecksum(h));
    expectNvError(() => decodeLdiHeader(h.subarray(0, 63)), 'NV_TRUNCATED');
  });
});
