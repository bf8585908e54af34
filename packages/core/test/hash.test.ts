import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { bytesToHex, encodeUtf8 } from '../src/bytes.ts';
import { createSha256, sha1, sha256, sha256Hex, sha384 } from '../src/hash.ts';
import { createNodeSha256 } from '../src/node.ts';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';

describe('hashes', () => {
  it('known answers (FIPS 180-2 "abc")', () => {
    expect(sha256Hex(encodeUtf8('abc'))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(bytesToHex(sha1(encodeUtf8('abc')))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(sha256Hex(new Uint8Array(0))).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(bytesToHex(sha384(encodeUtf8('abc')))).toBe(
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    );
  });
  it('incremental digest equals one-shot and node:crypto for any chunking', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 8 }), (chunks) => {
        const h = createSha256();
        const node = createHash('sha256');
        const ours = createNodeSha256();
        for (const c of chunks) {
          h.update(c);
          node.update(c);
          ours.update(c);
        }
        const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
        let at = 0;
        for (const c of chunks) {
          all.set(c, at);
          at += c.length;
        }
        const d = bytesToHex(h.digest());
        expect(d).toBe(node.digest('hex'));
        expect(d).toBe(bytesToHex(sha256(all)));
        expect(bytesToHex(ours.digest())).toBe(d);
        expect(bytesToHex(sha384(all))).toBe(createHash('sha384').update(all).digest('hex'));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('node digest adapters', () => {
  it('give the FIPS 180 "abc" digests', async () => {
    const { nodeSha1, nodeSha256, nodeSha384 } = await import('../src/node.ts');
    const abc = new TextEncoder().encode('abc');
    expect(bytesToHex(nodeSha1(abc))).toBe('a9993e364706816aba3e25717850c26c9cd0d89d');
    expect(bytesToHex(nodeSha256(abc))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(bytesToHex(nodeSha384(abc))).toBe(
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    );
  });
});
