/**
 * The primitives the LID formats need (docs/formats/lid-files.md#pitfalls: WebCrypto has no ECB, MD5 or RC4): MD5 from `@noble/hashes` (its
 * `legacy` module), AES-ECB both ways and AES-CBC encrypt (for the docs/formats/lid-files.md#key-derivation key derivation) from the audited
 * `@noble/ciphers`, and a hand-written RC4 output loop over a given state (no audited RC4 takes a raw,
 * possibly non-permutation state or a keystream skip; see the README's Decisions).
 * @module
 */
import { md5 as nobleMd5 } from '@noble/hashes/legacy.js';
import { cbc, ecb } from '@noble/ciphers/aes.js';

// ---------------------------------------------------------------- MD5 (RFC 1321)
/**
 * MD5 digest (RFC 1321) of `data`.
 * @example bytesToHex(md5(new Uint8Array())) // 'd41d8cd98f00b204e9800998ecf8427e'
 */
export function md5(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return nobleMd5(data) as Uint8Array<ArrayBuffer>;
}

// One hasher reset from a pristine one (`_cloneInto`, the `Hash` interface's own reuse, as noble's HMAC does) and one
// output block, for the decoder's per-record chk8: a record of a few bytes otherwise pays more for the hasher's
// construction (state, block buffer, view, output copy) than for its one compression.
const MD5_INITIAL = nobleMd5.create();
const md5Work = nobleMd5.create();
const md5Out = new Uint8Array(16);

/**
 * MD5 of `data` into a scratch block shared by every call: read it before the next call (the chk8 hot path;
 * {@link md5} returns a fresh array).
 * @example md5Scratch(record)[0]
 */
export function md5Scratch(data: Uint8Array): Uint8Array {
  MD5_INITIAL._cloneInto(md5Work);
  md5Work.update(data);
  md5Work.digestInto(md5Out);
  return md5Out;
}

// ---------------------------------------------------------------- AES (FIPS-197)
/** An AES key checked once (16, 24 or 32 bytes) and reused for every section of a file. */
export interface AesKey {
  /** 10, 12 or 14 rounds for a 128-, 192- or 256-bit key. */
  readonly rounds: number;
  /** A private copy of the key bytes. */
  readonly key: Uint8Array;
}

/**
 * Checks a 16-, 24- or 32-byte AES key and keeps a copy of it.
 * @throws RangeError for another key length (API misuse).
 * @example aesExpandKey(hexToBytes('3f06bd14d45fa985dd027410f0214d22'))
 */
export function aesExpandKey(key: Uint8Array): AesKey {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32)
    throw new RangeError(`AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  return Object.freeze({ rounds: key.length / 4 + 6, key: Uint8Array.from(key) });
}

function checkBlocks(data: Uint8Array): void {
  if (data.length % 16 !== 0)
    throw new RangeError(`AES-ECB/CBC without padding needs a multiple of 16 bytes, got ${data.length}`);
}

/**
 * AES-ECB encryption without padding.
 * @throws RangeError when `data.length` is not a multiple of 16.
 * @example aesEcbEncrypt(key, new Uint8Array(16))
 */
export function aesEcbEncrypt(key: Uint8Array | AesKey, data: Uint8Array): Uint8Array<ArrayBuffer> {
  checkBlocks(data);
  const k = key instanceof Uint8Array ? aesExpandKey(key) : key;
  return ecb(k.key, { disablePadding: true }).encrypt(data) as Uint8Array<ArrayBuffer>;
}

/**
 * AES-ECB decryption without padding.
 * @throws RangeError when `data.length` is not a multiple of 16.
 * @example aesEcbDecrypt(key, ciphertext)
 */
export function aesEcbDecrypt(key: Uint8Array | AesKey, data: Uint8Array): Uint8Array<ArrayBuffer> {
  checkBlocks(data);
  const k = key instanceof Uint8Array ? aesExpandKey(key) : key;
  return ecb(k.key, { disablePadding: true }).decrypt(data) as Uint8Array<ArrayBuffer>;
}

/**
 * AES-CBC encryption without padding (used by the docs/formats/lid-files.md#key-derivation key derivation).
 * @throws RangeError when `data.length` is not a multiple of 16 or the IV is not 16 bytes.
 * @example aesCbcEncrypt(key32, iv, table256)
 */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array<ArrayBuffer> {
  checkBlocks(data);
  if (iv.length !== 16) throw new RangeError(`CBC IV must be 16 bytes, got ${iv.length}`);
  const k = aesExpandKey(key);
  return cbc(k.key, iv, { disablePadding: true }).encrypt(data) as Uint8Array<ArrayBuffer>;
}

// ---------------------------------------------------------------- RC4
/**
 * Standard RC4 key schedule of `key` (1…256 bytes) → the 256-byte state.
 * @throws RangeError for an empty or over-long key.
 * @example rc4KeySchedule(Uint8Array.of(0x12, 0xab, 0xcd, 0xef))
 */
export function rc4KeySchedule(key: Uint8Array): Uint8Array<ArrayBuffer> {
  if (key.length < 1 || key.length > 256) throw new RangeError(`RC4 key must be 1…256 bytes, got ${key.length}`);
  const s = new Uint8Array(256);
  for (let i = 0; i < 256; i++) s[i] = i;
  for (let i = 0, j = 0; i < 256; i++) {
    j = (j + s[i]! + key[i % key.length]!) & 0xff;
    const t = s[i]!;
    s[i] = s[j]!;
    s[j] = t;
  }
  return s;
}

/**
 * The RC4 output loop over a copy of `state` (docs/formats/lid-files.md#gen-a: the state need not be a permutation for key B), skipping the
 * first `skip` bytes, XORed into `data` (a new array is returned; the state is not modified).
 * @throws RangeError when `state` is not 256 bytes.
 * @example rc4Xor(rc4KeySchedule(key), record)
 */
export function rc4Xor(state: Uint8Array, data: Uint8Array, skip = 0): Uint8Array<ArrayBuffer> {
  if (state.length !== 256) throw new RangeError(`RC4 state must be 256 bytes, got ${state.length}`);
  const s = Uint8Array.from(state);
  const out = new Uint8Array(data.length);
  let i = 0,
    j = 0;
  for (let n = -skip; n < data.length; n++) {
    i = (i + 1) & 0xff;
    j = (j + s[i]!) & 0xff;
    const t = s[i]!;
    s[i] = s[j]!;
    s[j] = t;
    if (n >= 0) out[n] = data[n]! ^ s[(s[i]! + s[j]!) & 0xff]!;
  }
  return out;
}
