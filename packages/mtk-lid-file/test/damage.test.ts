import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { hexToBytes } from '@nv/core/bytes';
import { FUZZ_RUNS, nvErrorCode as codeOf } from '../../../scripts/test-tools.ts';
import { damageLidFile } from '../src/damage.ts';
import { decodeLidFile, encodeLidFile, type LidEntry } from '../src/lid-file.ts';

const AES = { aesKey: hexToBytes('3f06bd14d45fa985dd027410f0214d22') };
const entry = (attributes: string[] = []): LidEntry => ({
  lid: 0x20,
  size: 5,
  records: 3,
  attr: 0,
  category: 0,
  attributes,
});
const records = [Uint8Array.of(1, 2, 3, 4, 5), Uint8Array.of(6, 7, 8, 9, 10), Uint8Array.of(11, 12, 13, 14, 15)];

describe('damageLidFile (modem subpath): the on-flash states the boot checks meet', () => {
  it.each([
    ['A', []],
    ['B', []],
    ['B', ['CONFIDENTIAL']],
  ] as const)('gen %s %j: only the chosen records fail, the bytes read back unchanged', (generation, attributes) => {
    const e = entry([...attributes]);
    const opts = { generation, key: AES, bindToChip: false } as const;
    const good = encodeLidFile(records, e, opts);
    const bad = damageLidFile(good, e, { ...opts, records: [2, 3] });
    expect(bad).not.toEqual(good);
    expect(bad.length).toBe(good.length);
    const d = decodeLidFile(bad, e, opts);
    expect(d.badRecords).toEqual([2, 3]);
    expect(d.records.map((r) => [...r.bytes])).toEqual(records.map((r) => [...r]));
    expect(decodeLidFile(good, e, opts).badRecords).toEqual([]);
  });

  it('a gen-B header checksum that fails; the input is never changed', () => {
    const e = entry();
    const good = encodeLidFile(records, e, { generation: 'B' });
    const copy = Uint8Array.from(good);
    const bad = damageLidFile(good, e, { generation: 'B', header: true });
    expect(good).toEqual(copy);
    expect(decodeLidFile(bad, e, { generation: 'B' }).headerChecksumOk).toBe(false);
  });

  it('bad input: record out of range, ciphered section without a key', () => {
    const e = entry(['CONFIDENTIAL']);
    const file = encodeLidFile(records, e, { generation: 'B', key: AES });
    expect(codeOf(() => damageLidFile(file, e, { generation: 'B', key: AES, records: [4] }))).toBe('NV_BAD_INPUT');
    expect(codeOf(() => damageLidFile(file, e, { generation: 'B', key: AES, records: [0] }))).toBe('NV_BAD_INPUT');
    expect(codeOf(() => damageLidFile(file, e, { generation: 'B', records: [1] }))).toBe('NV_LID_KEY_REQUIRED');
  });

  it('fuzz: any record set damages exactly those records', () => {
    const e = entry();
    const good = encodeLidFile(records, e, { generation: 'A' });
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 3 })), (picked) => {
        const d = decodeLidFile(damageLidFile(good, e, { generation: 'A', records: picked }), e, { generation: 'A' });
        expect(d.badRecords).toEqual([...picked].sort());
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
