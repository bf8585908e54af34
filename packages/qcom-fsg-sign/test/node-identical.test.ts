// Issue 17: the Node entry signs with node:crypto (SHA-256 fed in parts, privateEncrypt with PKCS#1 type-1
// padding); the pure, browser-safe code gives the same bytes (RSA PKCS#1 v1.5 is deterministic).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, concatBytes } from '@nv/core/bytes';
import { sha256 as sha } from '@nv/core/hash';
import { MBN_HEADER_SIZE } from '../src/container.ts';
import { imageHash } from '../src/hash.ts';
import { emsaPkcs1Type1, modPow } from '../src/rsa.ts';
import { readFsgKeyFolder, signFsgFile, signFsgImage, writeFsgKeys } from '../src/node.ts';

const HW = 0x009600e100000000n;
const SW = 0x1bn;
const TGZ = new Uint8Array(readFileSync(join(import.meta.dirname, 'vectors', 'fs_image.tar.gz')));
const big = (b64: string): bigint => BigInt(`0x${Buffer.from(b64, 'base64url').toString('hex')}`);

let tmp = '';
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), 'nv-fsg-perf-'));
  await writeFsgKeys(join(tmp, 'keys'), { hwId: HW, swId: SW, notBefore: new Date('2025-01-01T00:00:00Z') });
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

describe('node:crypto signing = the pure code, byte for byte', () => {
  it('H3 and the raw type-1 signature of signFsgImage equal pure SHA-256 and a bigint modPow', async () => {
    const folder = await readFsgKeyFolder(join(tmp, 'keys'));
    const { privateKey: attestKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
    const r = await signFsgImage(TGZ, {
      ...folder,
      hwId: HW,
      swId: SW,
      attestKey,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      serialSeed: 'perf',
    });
    const header = r.mbn.subarray(0, MBN_HEADER_SIZE);
    expect(bytesToHex(r.mbn.subarray(MBN_HEADER_SIZE, MBN_HEADER_SIZE + TGZ.length))).toBe(bytesToHex(TGZ));
    // Pure path: @nv/core's SHA-256 over one concatenated buffer.
    const h3 = imageHash(concatBytes(header, TGZ), SW, HW);
    expect(r.hash).toBe(bytesToHex(h3));
    const jwk = attestKey.export({ format: 'jwk' });
    const n = big(jwk.n as string);
    const m = BigInt(`0x${bytesToHex(emsaPkcs1Type1(h3, 256))}`);
    const pure = modPow(m, big(jwk.d as string), n)
      .toString(16)
      .padStart(512, '0');
    const at = MBN_HEADER_SIZE + TGZ.length;
    expect(bytesToHex(r.mbn.subarray(at, at + 256))).toBe(pure);
  });

  it('signFsgFile (payload read into the .mbn, hashed in parts) writes the bytes signFsgImage returns', async () => {
    const folder = await readFsgKeyFolder(join(tmp, 'keys'));
    const { privateKey: attestKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
    // Over 4 MiB, so the file is read and hashed in several parts.
    const payload = new Uint8Array(9 * 1024 * 1024 + 123);
    payload.set(TGZ);
    for (let i = TGZ.length; i < payload.length; i++) payload[i] = (i * 2654435761) >>> 24;
    await writeFile(join(tmp, 'big.tar.gz'), payload);
    const options = {
      ...folder,
      hwId: HW,
      swId: SW,
      attestKey,
      notBefore: new Date('2025-01-01T00:00:00Z'),
      serialSeed: 'file',
    };
    const inMemory = await signFsgImage(payload, options);
    const fromFile = await signFsgFile(join(tmp, 'big.tar.gz'), join(tmp, 'big.mbn'), options);
    const written = new Uint8Array(await readFile(join(tmp, 'big.mbn')));
    expect(bytesToHex(sha(written))).toBe(bytesToHex(sha(inMemory.mbn)));
    expect(bytesToHex(sha(fromFile.mbn))).toBe(bytesToHex(sha(inMemory.mbn)));
    expect(fromFile.hash).toBe(
      bytesToHex(imageHash(concatBytes(inMemory.mbn.subarray(0, MBN_HEADER_SIZE), payload), SW, HW)),
    );
    expect(fromFile.verify.ok || fromFile.verify.modemResult.ok).toBe(true);
  });
});

describe('the digests the Node entry installs (node:crypto) = the pure ones', () => {
  it('SHA-1 and SHA-256 agree on random data, and inspect/verify give the same result with either', async () => {
    const { sha1: pureSha1, sha256: pureSha256 } = await import('@nv/core/hash');
    const { nodeSha1, nodeSha256 } = await import('@nv/core/node');
    const digest = await import('../src/_digest.ts');
    const { inspectSignedImage, verifySignedImage } = await import('../src/verify.ts');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 3000 }), (d) => {
        expect(bytesToHex(digest.sha256(d))).toBe(bytesToHex(pureSha256(d)));
        expect(bytesToHex(digest.sha1(d))).toBe(bytesToHex(pureSha1(d)));
      }),
      { numRuns: FUZZ_RUNS },
    );
    const mbn = new Uint8Array(readFileSync(join(import.meta.dirname, 'vectors', 'fs.mbn')));
    const build = { rootHash: readFileSync(join(import.meta.dirname, 'vectors', 'root-sha256.txt'), 'utf8').trim() };
    const viaNode = [inspectSignedImage(mbn), verifySignedImage(mbn, { ...build, hwId: HW, swId: 0n })];
    digest.useDigests({ sha1: pureSha1, sha256: pureSha256 });
    try {
      expect([inspectSignedImage(mbn), verifySignedImage(mbn, { ...build, hwId: HW, swId: 0n })]).toEqual(viaNode);
    } finally {
      digest.useDigests({ sha1: nodeSha1, sha256: nodeSha256 });
    }
  });
});
