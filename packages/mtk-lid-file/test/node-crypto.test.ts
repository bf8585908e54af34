import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { hexToBytes } from '@nv/core/bytes';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { NODE_LID_CRYPTO } from '../src/node-crypto.ts';
import { aesEcbDecrypt, aesEcbEncrypt, md5 } from '../src/crypto.ts';
import { decodeLidFile, encodeLidFile, type LidEntry } from '../src/lid-file.ts';
import { verifyLidFiles } from '../src/verify.ts';

const KEY = Uint8Array.from({ length: 16 }, (_, i) => (i * 29 + 3) & 0xff);
const arbLid = fc
  .record({
    size: fc.integer({ min: 1, max: 300 }),
    records: fc.integer({ min: 1, max: 6 }),
    confidential: fc.boolean(),
    seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
    zeroRecord: fc.integer({ min: -1, max: 5 }),
  })
  .map(({ size, records, confidential, seed, zeroRecord }) => {
    let s = seed;
    const entry: LidEntry = {
      lid: 7,
      size,
      records,
      attr: confidential ? 8 : 0,
      category: 0,
      attributes: confidential ? ['CONFIDENTIAL'] : [],
    };
    const recs = Array.from({ length: records }, (_, r) =>
      Uint8Array.from({ length: size }, () =>
        r === zeroRecord ? 0 : ((s = (s * 1103515245 + 12345) >>> 0) >>> 16) & 0xff,
      ),
    );
    return { entry, recs };
  });

// The ./node path (node:crypto) and the pure path (@noble) must give the same bytes and the same verdicts.
describe('NODE_LID_CRYPTO (node:crypto) ≡ the pure @noble primitives', () => {
  it('MD5 and AES-128-ECB both ways agree on random inputs', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.integer({ min: 0, max: 40 }), (data, blocks) => {
        expect([...NODE_LID_CRYPTO.md5(data)]).toEqual([...md5(data)]);
        const b = new Uint8Array(blocks * 16).map((_, i) => data[i % Math.max(1, data.length)] ?? i);
        expect([...NODE_LID_CRYPTO.aesEcbEncrypt(KEY, b)]).toEqual([...aesEcbEncrypt(KEY, b)]);
        expect([...NODE_LID_CRYPTO.aesEcbDecrypt(KEY, b)]).toEqual([...aesEcbDecrypt(KEY, b)]);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('gen-B encode gives identical files; decode of intact and damaged files gives identical results', () => {
    fc.assert(
      fc.property(arbLid, fc.nat(), fc.integer({ min: 1, max: 255 }), ({ entry, recs }, at, flip) => {
        const opts = { generation: 'B', key: { aesKey: KEY } } as const;
        const pure = encodeLidFile(recs, entry, opts);
        const native = encodeLidFile(recs, entry, { ...opts, crypto: NODE_LID_CRYPTO });
        expect(native).toEqual(pure);
        expect(Object.getPrototypeOf(native)).toBe(Uint8Array.prototype);
        const damaged = Uint8Array.from(pure);
        damaged[64 + (at % (pure.length - 64))]! ^= flip;
        const outcome = (file: Uint8Array, crypto?: typeof NODE_LID_CRYPTO): unknown => {
          try {
            const d = decodeLidFile(file, entry, { ...opts, ...(crypto ? { crypto } : {}) });
            for (const r of d.records) expect(Object.getPrototypeOf(r.bytes)).toBe(Uint8Array.prototype);
            return d;
          } catch (e) {
            return { error: String(e), code: (e as { code?: string }).code };
          }
        };
        for (const file of [pure, damaged]) expect(outcome(file, NODE_LID_CRYPTO)).toEqual(outcome(file));
        expect((outcome(pure) as { badRecords: number[] }).badRecords).toEqual([]);
        const v = (crypto?: typeof NODE_LID_CRYPTO) =>
          verifyLidFiles([{ path: 'X/AB12_001', bytes: damaged }], { key: KEY, ...(crypto ? { crypto } : {}) });
        expect(v(NODE_LID_CRYPTO)).toEqual(v());
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('NODE_LID_CRYPTO on files our encoder did not make (test/vectors, python-built from the spec tables)', () => {
  const vec = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./vectors/${name}`, import.meta.url)));
  const AES_DEFAULT = { aesKey: hexToBytes('3f06bd14d45fa985dd027410f0214d22') };
  it.each([
    ['genb-imei-confidential.bin', AES_DEFAULT],
    ['genb-plain.bin', undefined],
  ] as const)('%s decodes to the same records, checksums and verdicts on both paths', (name, key) => {
    const bytes = vec(name);
    const pure = decodeLidFile(bytes, undefined, key ? { key } : {});
    const native = decodeLidFile(bytes, undefined, { ...(key ? { key } : {}), crypto: NODE_LID_CRYPTO });
    expect(native).toEqual(pure);
    expect(pure.headerChecksumOk).toBe(true);
    expect(pure.badRecords).toEqual([]);
    expect(pure.records.length).toBeGreaterThan(1);
  });
});
