import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { verifyApFiles } from '../src/ap-verify.ts';

// Bytes written from the spec (docs/formats/lid-files.md#ap-files, docs/formats/lid-files.md#test-vectors vectors), not by encodeApFile: CheckNo(01 02 03 04) = 0x02.
const WIFI = Uint8Array.of(1, 2, 3, 4, 0xaa, 0x02);
const fileVer = (entries: [string, string][]): Uint8Array => {
  const out = new Uint8Array(entries.length * 74);
  entries.forEach(([n, v], i) => {
    for (let k = 0; k < n.length; k++) out[i * 74 + k] = n.charCodeAt(k);
    for (let k = 0; k < v.length; k++) out[i * 74 + 70 + k] = v.charCodeAt(k);
  });
  return out;
};

describe('verifyApFiles', () => {
  it('checks trailers, sizes from the AP table and FILE_VER; versions by name', () => {
    const r = verifyApFiles([
      { path: 'APCFG/APRDEB/WIFI', bytes: WIFI },
      { path: 'APCFG/APRDEB/BT_Addr', bytes: Uint8Array.of(1, 2, 3, 4, 0xaa, 0x03) },
      {
        path: 'APCFG/APRDCL/FILE_VER',
        bytes: fileVer([
          ['NVRAM_VER_INFO', '000'],
          ['WIFI', '001'],
        ]),
      },
      { path: 'APCFG/APRDEB/PLAIN', bytes: Uint8Array.of(9, 9, 9) },
    ]);
    expect(r.ok).toBe(false);
    expect(r.files.map((f) => [f.path, f.ok, f.kind, f.trailer, f.ver, f.code])).toEqual([
      ['APCFG/APRDCL/FILE_VER', true, 'filever', undefined, undefined, undefined],
      ['APCFG/APRDEB/WIFI', true, 'ap', 'ok', '001', undefined],
      ['APCFG/APRDEB/BT_Addr', false, 'ap', 'bad', undefined, 'NV_LID_AP_BAD_TRAILER'],
      ['APCFG/APRDEB/PLAIN', true, 'ap', 'unknown', undefined, undefined],
    ]);
    // With the table size: data-only is accepted, a wrong size is not.
    const s = verifyApFiles(
      [
        { path: 'PLAIN', bytes: Uint8Array.of(9, 9, 9) },
        { path: 'WIFI', bytes: WIFI },
      ],
      { sizes: { PLAIN: 3, WIFI: 5 } },
    );
    expect(s.files.map((f) => [f.trailer, f.code])).toEqual([
      ['none', undefined],
      [undefined, 'NV_LID_AP_BAD_SIZE'],
    ]);
    const badVer = verifyApFiles([{ path: 'FILE_VER', bytes: new Uint8Array(75) }]);
    expect(badVer.files[0]).toMatchObject({ ok: false, code: 'NV_LID_FILEVER_BAD_SIZE' });
    expect(verifyApFiles([{ path: 'FILE_VER', bytes: fileVer([['X', '1']]) }]).ok).toBe(false);
  });
  it('fuzz: never throws on content', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.constantFrom('WIFI', 'FILE_VER'), (bytes, name) => {
        const r = verifyApFiles([{ path: name, bytes }], { sizes: { WIFI: 10 } });
        expect(r.files).toHaveLength(1);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
