/**
 * Issue 16.5: the payload of a signed image exactly as signed, and the old root hash. The vectors are made by
 * scripts/make-vectors.sh with OpenSSL, GNU tar and gzip only (never by the code under test).
 */
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { bytesToHex } from '@nv/core/bytes';
import { FUZZ_RUNS, nvErrorCode as code } from '../../../scripts/test-tools.ts';
import { unwrapFsgImage } from '../src/unwrap.ts';

const vec = (n: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./vectors/${n}`, import.meta.url)));
const tarGz = vec('fs_image.tar.gz');
const root = new TextDecoder().decode(vec('root-sha256.txt')).trim();

describe('unwrapFsgImage', () => {
  it('.img, .mbn and an fsg partition dump give the tar.gz exactly as signed, and the signer root hash', () => {
    const img = vec('fs.mbn.img');
    const dump = new Uint8Array(img.length + 1536 * 1024).fill(0xff);
    dump.set(img);
    for (const [bytes, container, offset] of [
      [img, 'img', 552],
      [vec('fs.mbn'), 'mbn', 40],
      [dump, 'fsg', 552],
    ] as const) {
      const r = unwrapFsgImage(bytes);
      expect(r.container).toBe(container);
      expect(r.offset).toBe(offset);
      expect(bytesToHex(r.payload)).toBe(bytesToHex(tarGz));
      expect(r.size).toBe(tarGz.length);
      expect(r.format).toBe('gzip');
      expect(r.signed).toBe(true);
      expect(r.rootHash).toBe(root);
    }
    expect(unwrapFsgImage(dump).trailingBytes).toBe(1536 * 1024);
  });

  it('a plain tar.gz or an erased partition is refused with the container codes', () => {
    expect(code(() => unwrapFsgImage(tarGz))).toBe('NV_FSG_UNSIGNED');
    expect(code(() => unwrapFsgImage(new Uint8Array(4096).fill(0xff)))).toBe('NV_FSG_EMPTY');
    expect(code(() => unwrapFsgImage(vec('fs.mbn.img').subarray(0, 1000)))).toBe('NV_TRUNCATED');
  });

  it('fuzz: a mutated image unwraps or throws NvError', () => {
    const img = vec('fs.mbn.img');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: img.length - 1 }), fc.integer({ min: 0, max: 255 }), (at, v) => {
        const m = img.slice();
        m[at] = v;
        try {
          unwrapFsgImage(m);
        } catch (e) {
          expect(
            code(() => {
              throw e;
            }),
          ).toMatch(/^NV_/);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
