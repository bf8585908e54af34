// Issue 17: the Node entry signs with node:crypto (SHA-256 fed in parts, privateEncrypt with PKCS#1 type-1
// padding); the pure, browser-safe code gives the same bytes (RSA PKCS#1 v1.5 is deterministic).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, concatBytes } from '@nv/core';
import { MBN_HEADER_SIZE } from '../src/container.ts';
import { imageHash } from '../src/hash.ts';
import { emsaPkcs1Type1, modPow } from '../src/rsa.ts';
import { readFsgKeyFolder, signFsgImage, writeFsgKeys } from '../src/node.ts';

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
});
