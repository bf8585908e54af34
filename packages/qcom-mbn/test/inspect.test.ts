import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { bytesToHex } from '@nv/core/bytes';
import { rehashMbn } from '../src/inspect.ts';
import { lintMbn } from '../src/lint.ts';
import { parseMbn } from '../src/parse.ts';

const katMbn = new Uint8Array(readFileSync(new URL('./vectors/kat-4.5.mbn', import.meta.url)));
const kat = parseMbn(katMbn);
const patch = (b: Uint8Array, at: number, value: number): Uint8Array => {
  const c = b.slice();
  for (let i = 0; i < 4; i++) c[at + i] = (value >>> (8 * i)) & 0xff;
  return c;
};
/** A v3 hash segment that claims a signature (sig size word), as a fake-signed container. */
const signed = patch(katMbn, 0x1000 + 28, 256);

describe('rehash after edits (§4.4)', () => {
  it('an edited version gets a valid hash; a signed container keeps its layout and warns', () => {
    const edited = rehashMbn({ ...kat, version: 0x0501050e });
    expect(lintMbn(edited).findings.map((f) => f.code)).toEqual(['NV_MBN_VERSION_MISMATCH']);
    const s = rehashMbn({ ...parseMbn(signed), version: 0x0501050e });
    expect(bytesToHex(s.subarray(0, 0x1000))).toBe(bytesToHex(signed.subarray(0, 0x1000)));
    expect(lintMbn(s).findings.map((f) => f.code)).toEqual([
      'NV_MBN_NONCANONICAL_CONTAINER',
      'NV_MBN_VERSION_MISMATCH',
    ]);
  });
});
