/**
 * node:crypto for the gen-B codec (docs/formats/lid-files.md#chk8, #gen-b-cipher): MD5 through the one-shot
 * `crypto.hash` and AES-128-ECB through OpenSSL; the same bytes as the pure `@noble` primitives, several times
 * faster on a whole nvdata folder (README, Benchmark).
 * @module
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { MD5_LATIN1, type LidCrypto } from './lid-file.ts';

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'latin1') => string;
// `crypto.hash` (Node ≥ 20.12) avoids a Hash object per record; createHash where it is missing.
const oneShot = (nodeCrypto as unknown as { hash?: OneShot }).hash;

// Plain Uint8Array views, never Buffers: records sliced from them must stay Uint8Array (a Buffer has its own toJSON).
const plain = (b: Buffer): Uint8Array => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

const ecb = (decrypt: boolean, key: Uint8Array, data: Uint8Array): Uint8Array => {
  const c = (decrypt ? createDecipheriv : createCipheriv)('aes-128-ecb', key, null).setAutoPadding(false);
  const head = c.update(data);
  const tail = c.final();
  return plain(tail.length === 0 ? head : Buffer.concat([head, tail]));
};

// The digest as a 16-character latin1 (`binary`) string (one character per byte): node:crypto's cheapest one-shot output — a
// Buffer result is an off-heap allocation that costs most of a call on a small record.
const md5Latin1 = (data: Uint8Array): string =>
  oneShot ? oneShot('md5', data, 'latin1') : createHash('md5').update(data).digest('binary');

/** MD5 and AES-128-ECB from node:crypto, for `LidCodecOptions.crypto`. */
export const NODE_LID_CRYPTO: LidCrypto = Object.freeze({
  md5: (data: Uint8Array): Uint8Array => {
    const s = md5Latin1(data);
    const out = new Uint8Array(16);
    for (let i = 0; i < 16; i++) out[i] = s.charCodeAt(i);
    return out;
  },
  aesEcbDecrypt: (key: Uint8Array, data: Uint8Array): Uint8Array => ecb(true, key, data),
  aesEcbEncrypt: (key: Uint8Array, data: Uint8Array): Uint8Array => ecb(false, key, data),
  // The codec's chk8 reads the latin1 digest itself: no array per record.
  [MD5_LATIN1]: md5Latin1,
});
