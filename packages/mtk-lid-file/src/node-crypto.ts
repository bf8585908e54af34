/**
 * node:crypto for the gen-B codec (docs/formats/lid-files.md#chk8, #gen-b-cipher): MD5 through the one-shot
 * `crypto.hash` and AES-128-ECB through OpenSSL; the same bytes as the pure `@noble` primitives, several times
 * faster on a whole nvdata folder (README, Benchmark).
 * @module
 */
import { createCipheriv, createDecipheriv, createHash } from 'node:crypto';
import * as nodeCrypto from 'node:crypto';
import { MD5_READ_AT_ONCE, type LidCrypto } from './lid-file.ts';

type OneShot = (algorithm: string, data: Uint8Array, encoding: 'buffer') => Buffer;
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

const md5Buffer = (data: Uint8Array): Buffer =>
  oneShot ? oneShot('md5', data, 'buffer') : createHash('md5').update(data).digest();

/** MD5 and AES-128-ECB from node:crypto, for `LidCodecOptions.crypto`. */
export const NODE_LID_CRYPTO: LidCrypto = Object.freeze({
  md5: (data: Uint8Array): Uint8Array => plain(md5Buffer(data)),
  aesEcbDecrypt: (key: Uint8Array, data: Uint8Array): Uint8Array => ecb(true, key, data),
  aesEcbEncrypt: (key: Uint8Array, data: Uint8Array): Uint8Array => ecb(false, key, data),
  // The codec's chk8 reads the digest at once and keeps nothing: the Buffer itself, no plain view per record.
  [MD5_READ_AT_ONCE]: md5Buffer,
});
