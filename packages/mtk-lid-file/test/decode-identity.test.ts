import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { createDecipheriv, createHash } from 'node:crypto';
import { NvError } from '@nv/core';
import { bytesToHex } from '@nv/core/bytes';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { NODE_LID_CRYPTO } from '../src/node-crypto.ts';
import { md5, md5Scratch, rc4KeySchedule, rc4Xor } from '../src/crypto.ts';
import { chk8 } from '../src/checksum.ts';
import {
  MD5_LATIN1,
  decodeLidFile,
  encodeLidFile,
  sectionSizeA,
  sectionSizeB,
  type LidCodecOptions,
  type LidCrypto,
  type LidDecoded,
  type LidEntry,
  type LidGeneration,
} from '../src/lid-file.ts';

// Issue 17: decodeLidFile's record loop was restructured for speed (one private copy of the record area with views
// into it, the stored checksum read in place, a reused MD5 hasher, table hex). This is the straightforward reading
// of docs/formats/lid-files.md#algorithms it must equal, record for record: one slice per record, node:crypto MD5 and
// AES (independent of our primitives), core's bytesToHex.
const AES_KEY = Uint8Array.from({ length: 16 }, (_, i) => (i * 41 + 5) & 0xff);
const WRONG_KEY = Uint8Array.from({ length: 16 }, (_, i) => (i * 13 + 1) & 0xff);
const RC4_KEY = Uint8Array.of(0x12, 0xab, 0xcd, 0xef);

type Outcome = { code: string; offset: number | undefined } | Pick<LidDecoded, 'records' | 'badRecords'>;

function referenceDecode(bytes: Uint8Array, entry: LidEntry, generation: LidGeneration, aesKey?: Uint8Array): Outcome {
  const conf = entry.attributes.includes('CONFIDENTIAL');
  const base = generation === 'B' ? 64 : 0;
  const section =
    generation === 'A' ? sectionSizeA(entry.size, entry.attributes) : sectionSizeB(entry.size, entry.attributes);
  const records: LidDecoded['records'] = [];
  const badRecords: number[] = [];
  let badPads = 0;
  let firstBadPad: number | undefined;
  for (let i = 0; i < entry.records; i++) {
    const off = base + i * section;
    let sec = bytes.slice(off, off + section);
    let ok: boolean;
    let rec: Uint8Array;
    let stored: Uint8Array;
    if (generation === 'A') {
      const body = sec.slice(0, entry.size);
      stored = sec.slice(entry.size, entry.size + 2);
      let lo = 0;
      let hi = 0;
      body.forEach((b, j) => (j % 2 === 0 ? (lo += b) : (hi += b)));
      const sum = (lo & 0xff) | ((hi & 0xff) << 8);
      const value = stored[0]! | (stored[1]! << 8);
      ok = value === (sum === 0 ? 0xcdef : sum) || (value === 0 && body.every((b) => b === 0xff));
      rec = conf ? rc4Xor(rc4KeySchedule(RC4_KEY), body) : body;
    } else {
      let padOk = true;
      if (conf && aesKey) {
        sec = new Uint8Array(createDecipheriv('aes-128-ecb', aesKey, null).setAutoPadding(false).update(sec));
        const p = sec.subarray(entry.size + 8).findIndex((b) => b !== 0);
        if (p >= 0) {
          padOk = false;
          badPads++;
          firstBadPad ??= off + entry.size + 8 + p;
        }
      }
      rec = sec.slice(0, entry.size);
      stored = sec.slice(entry.size, entry.size + 8);
      let expected: string;
      if (rec.every((b) => b === 0)) expected = 'efcd000000000000';
      else {
        const m = createHash('md5').update(rec).digest();
        expected = bytesToHex(Uint8Array.from({ length: 8 }, (_, j) => m[j]! ^ m[j + 8]!));
      }
      ok = padOk && !(conf && !aesKey) && bytesToHex(stored) === expected;
    }
    records.push({ index: i + 1, bytes: rec, checksumOk: ok, checksum: bytesToHex(stored), offset: off });
    if (!ok) badRecords.push(i + 1);
  }
  if (badPads > 0 && badPads === entry.records) return { code: 'NV_LID_BAD_PADDING', offset: firstBadPad };
  return { records, badRecords };
}

function actualDecode(bytes: Uint8Array, entry: LidEntry, options: LidCodecOptions): Outcome {
  try {
    const d = decodeLidFile(bytes, entry, options);
    return { records: d.records, badRecords: d.badRecords };
  } catch (error) {
    if (!NvError.isInstance(error)) throw error;
    return { code: error.code, offset: error.offset };
  }
}

const arbCase = fc
  .record({
    generation: fc.constantFrom<LidGeneration>('A', 'B'),
    size: fc.oneof(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 41, max: 700 })),
    records: fc.integer({ min: 1, max: 12 }),
    confidential: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    special: fc.array(fc.tuple(fc.nat(11), fc.constantFrom(0, 0xff)), { maxLength: 3 }),
    flips: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 4 }),
    wrongKey: fc.boolean(),
    withoutKey: fc.boolean(),
    native: fc.boolean(),
    repeat: fc.boolean(),
  })
  .map((c) => {
    let s = c.seed;
    const entry: LidEntry = {
      lid: 9,
      size: c.size,
      records: c.records,
      attr: c.confidential ? 8 : 0,
      category: 0,
      attributes: c.confidential ? ['CONFIDENTIAL'] : [],
    };
    const recs = Array.from({ length: c.records }, () =>
      Uint8Array.from({ length: c.size }, () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 0xff),
    );
    // Alike records (defaults) share one MD5 in the decoder; flips below make some differ again.
    if (c.repeat) for (let r = 1; r < c.records; r++) recs[r] = recs[0]!.slice();
    // All-zero and all-FF records take the special checksum paths.
    for (const [r, v] of c.special) if (r < c.records) recs[r]!.fill(v);
    const key = c.generation === 'A' ? { rc4Key: RC4_KEY } : { aesKey: AES_KEY };
    const file = encodeLidFile(recs, entry, { generation: c.generation, key });
    // Damage: bytes flipped inside the record area (bad checksums, garbled pad), never the gen-B header.
    const base = c.generation === 'B' ? 64 : 0;
    for (const [at, x] of c.flips) file[base + (at % (file.length - base))]! ^= x;
    return { ...c, entry, file };
  });

describe('decodeLidFile ≡ a straightforward record-by-record reading (issue 17 restructure)', () => {
  it('same records, checksums, verdicts, offsets, or the same NvError code and offset, over generated files', () => {
    fc.assert(
      fc.property(arbCase, (c) => {
        const conf = c.confidential;
        const aesKey = conf && c.generation === 'B' && !c.withoutKey ? (c.wrongKey ? WRONG_KEY : AES_KEY) : undefined;
        const options: LidCodecOptions = {
          generation: c.generation,
          ...(c.native ? { crypto: NODE_LID_CRYPTO } : {}),
          ...(c.generation === 'A' && conf ? { key: { rc4Key: RC4_KEY } } : {}),
          ...(aesKey ? { key: { aesKey } } : {}),
          ...(conf && c.generation === 'B' && c.withoutKey ? { allowEncrypted: true } : {}),
        };
        const input = c.file.slice();
        const actual = actualDecode(input, c.entry, options);
        expect(actual).toEqual(referenceDecode(c.file, c.entry, c.generation, aesKey));
        if ('records' in actual) {
          // No record aliases the caller's buffer or another record: overwrite the input and one record.
          input.fill(0x5a);
          actual.records[0]!.bytes.fill(0xa5);
          const again = referenceDecode(c.file, c.entry, c.generation, aesKey);
          if (!('records' in again)) throw new Error('reference changed its outcome');
          for (let i = 1; i < actual.records.length; i++)
            expect(actual.records[i]!.bytes).toEqual(again.records[i]!.bytes);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('a wrong AES key on every section is NV_LID_BAD_PADDING at the first bad pad, as the reference says', () => {
    const entry: LidEntry = { lid: 9, size: 10, records: 3, attr: 8, category: 0, attributes: ['CONFIDENTIAL'] };
    const recs = [1, 2, 3].map((v) => new Uint8Array(10).fill(v));
    const file = encodeLidFile(recs, entry, { generation: 'B', key: { aesKey: AES_KEY } });
    const expected = referenceDecode(file, entry, 'B', WRONG_KEY);
    expect(expected).toMatchObject({ code: 'NV_LID_BAD_PADDING' });
    expect(actualDecode(file, entry, { generation: 'B', key: { aesKey: WRONG_KEY } })).toEqual(expected);
    expect(actualDecode(file, entry, { generation: 'B', key: { aesKey: WRONG_KEY }, crypto: NODE_LID_CRYPTO })).toEqual(
      expected,
    );
  });

  it("a provider's reused output buffer never becomes a record: the deciphered area is copied once", () => {
    const entry: LidEntry = { lid: 9, size: 24, records: 2, attr: 8, category: 0, attributes: ['CONFIDENTIAL'] };
    const scratch = new Uint8Array(64);
    const reusing: LidCrypto = {
      md5: (d) => NODE_LID_CRYPTO.md5(d),
      aesEcbEncrypt: (k, d) => NODE_LID_CRYPTO.aesEcbEncrypt(k, d),
      aesEcbDecrypt: (k, d) => {
        scratch.set(NODE_LID_CRYPTO.aesEcbDecrypt(k, d));
        return scratch.subarray(0, d.length);
      },
    };
    const file = (v: number): Uint8Array =>
      encodeLidFile([new Uint8Array(24).fill(v), new Uint8Array(24).fill(v + 1)], entry, {
        generation: 'B',
        key: { aesKey: AES_KEY },
      });
    const options = { generation: 'B', key: { aesKey: AES_KEY }, crypto: reusing } as const;
    const first = decodeLidFile(file(1), entry, options);
    decodeLidFile(file(7), entry, options);
    expect(first.badRecords).toEqual([]);
    expect([...first.records[0]!.bytes]).toEqual(new Array(24).fill(1));
    expect([...first.records[1]!.bytes]).toEqual(new Array(24).fill(2));
  });

  it('the reused MD5 hasher (md5Scratch) gives RFC 1321 digests whatever the order of sizes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 8 }), (inputs) => {
        for (const data of inputs) {
          const want = createHash('md5').update(data).digest('hex');
          expect(bytesToHex(md5Scratch(data))).toBe(want);
          expect(bytesToHex(md5(data))).toBe(want);
          // NODE_LID_CRYPTO's latin1 MD5 (the chk8 path of the ./node decode) is node:crypto's digest, a char a byte.
          const latin1 = (NODE_LID_CRYPTO as { [MD5_LATIN1]?: (d: Uint8Array) => string })[MD5_LATIN1]!;
          expect(Buffer.from(latin1(data), 'latin1').toString('hex')).toBe(want);
          expect(bytesToHex(NODE_LID_CRYPTO.md5(data))).toBe(want);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
    // chk8 copies the scratch digest out: two results stay distinct.
    const a = chk8(Uint8Array.of(1));
    const b = chk8(Uint8Array.of(2));
    expect(bytesToHex(a)).not.toBe(bytesToHex(b));
    expect(bytesToHex(a)).toBe(bytesToHex(chk8(Uint8Array.of(1), md5)));
  });
});
