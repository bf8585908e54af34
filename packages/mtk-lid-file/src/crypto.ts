/**
 * Pure-TypeScript primitives the LID formats need (§15: WebCrypto has no ECB, MD5 or RC4): MD5, AES (ECB
 * encrypt/decrypt, CBC encrypt for the §6 key derivation) and the RC4 output loop over a given state.
 * @module
 */

// ---------------------------------------------------------------- MD5 (RFC 1321)
const MD5_S = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];
let md5K: Int32Array | undefined;

/**
 * MD5 digest (RFC 1321) of `data`.
 * @example bytesToHex(md5(new Uint8Array())) // 'd41d8cd98f00b204e9800998ecf8427e'
 */
export function md5(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const K = (md5K ??= Int32Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) | 0));
  const n = data.length;
  const blocks = ((n + 8) >>> 6) + 1;
  const buf = new Uint8Array(blocks * 64);
  buf.set(data);
  buf[n] = 0x80;
  const dv = new DataView(buf.buffer);
  dv.setUint32(blocks * 64 - 8, (n * 8) >>> 0, true);
  dv.setUint32(blocks * 64 - 4, Math.floor(n / 0x20000000), true);
  let a0 = 0x67452301,
    b0 = 0xefcdab89 | 0,
    c0 = 0x98badcfe | 0,
    d0 = 0x10325476;
  const M = new Int32Array(16);
  for (let blk = 0; blk < blocks; blk++) {
    for (let i = 0; i < 16; i++) M[i] = dv.getInt32(blk * 64 + i * 4, true);
    let a = a0,
      b = b0,
      c = c0,
      d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number, g: number;
      if (i < 16) ((f = (b & c) | (~b & d)), (g = i));
      else if (i < 32) ((f = (d & b) | (~d & c)), (g = (5 * i + 1) & 15));
      else if (i < 48) ((f = b ^ c ^ d), (g = (3 * i + 5) & 15));
      else ((f = c ^ (b | ~d)), (g = (7 * i) & 15));
      const t = d;
      d = c;
      c = b;
      const x = (a + f + K[i]! + M[g]!) | 0;
      const s = MD5_S[(i >>> 4) * 4 + (i & 3)]!;
      b = (b + ((x << s) | (x >>> (32 - s)))) | 0;
      a = t;
    }
    a0 = (a0 + a) | 0;
    b0 = (b0 + b) | 0;
    c0 = (c0 + c) | 0;
    d0 = (d0 + d) | 0;
  }
  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  ov.setInt32(0, a0, true);
  ov.setInt32(4, b0, true);
  ov.setInt32(8, c0, true);
  ov.setInt32(12, d0, true);
  return out;
}

// ---------------------------------------------------------------- AES (FIPS-197)
interface AesTables {
  sbox: Uint8Array;
  inv: Uint8Array;
  te: Uint32Array[];
  td: Uint32Array[];
}
let tables: AesTables | undefined;

function aesTables(): AesTables {
  if (tables) return tables;
  const sbox = new Uint8Array(256);
  const inv = new Uint8Array(256);
  // Generate the S-box from GF(2^8) inverses and the affine map (no copied table).
  let p = 1,
    q = 1;
  do {
    p = p ^ ((p << 1) & 0xff) ^ (p & 0x80 ? 0x1b : 0);
    q ^= q << 1;
    q ^= q << 2;
    q ^= q << 4;
    q &= 0xff;
    if (q & 0x80) q ^= 0x09;
    const x = q ^ ((q << 1) | (q >>> 7)) ^ ((q << 2) | (q >>> 6)) ^ ((q << 3) | (q >>> 5)) ^ ((q << 4) | (q >>> 4));
    sbox[p] = (x ^ 0x63) & 0xff;
  } while (p !== 1);
  sbox[0] = 0x63;
  for (let i = 0; i < 256; i++) inv[sbox[i]!] = i;
  const xt = (v: number): number => ((v << 1) ^ (v & 0x80 ? 0x1b : 0)) & 0xff;
  const mul = (a: number, b: number): number => {
    let r = 0;
    for (; b; b >>>= 1, a = xt(a)) if (b & 1) r ^= a;
    return r;
  };
  const te = [0, 1, 2, 3].map(() => new Uint32Array(256));
  const td = [0, 1, 2, 3].map(() => new Uint32Array(256));
  for (let i = 0; i < 256; i++) {
    const s = sbox[i]!;
    const w = ((mul(s, 2) << 24) | (s << 16) | (s << 8) | mul(s, 3)) >>> 0;
    const v = inv[i]!;
    const u = ((mul(v, 14) << 24) | (mul(v, 9) << 16) | (mul(v, 13) << 8) | mul(v, 11)) >>> 0;
    for (let r = 0; r < 4; r++) {
      te[r]![i] = ((w >>> (8 * r)) | (w << (32 - 8 * r))) >>> 0;
      td[r]![i] = ((u >>> (8 * r)) | (u << (32 - 8 * r))) >>> 0;
    }
  }
  return (tables = { sbox, inv, te, td });
}

/** An expanded AES key (encrypt and decrypt schedules). */
export interface AesKey {
  readonly rounds: number;
  readonly enc: Uint32Array;
  readonly dec: Uint32Array;
}

/**
 * Expands a 16-, 24- or 32-byte AES key.
 * @throws RangeError for another key length (API misuse).
 * @example aesExpandKey(hexToBytes('3f06bd14d45fa985dd027410f0214d22'))
 */
export function aesExpandKey(key: Uint8Array): AesKey {
  if (key.length !== 16 && key.length !== 24 && key.length !== 32)
    throw new RangeError(`AES key must be 16, 24 or 32 bytes, got ${key.length}`);
  const { sbox, td, te } = aesTables();
  const nk = key.length / 4;
  const rounds = nk + 6;
  const total = 4 * (rounds + 1);
  const enc = new Uint32Array(total);
  for (let i = 0; i < nk; i++)
    enc[i] = ((key[4 * i]! << 24) | (key[4 * i + 1]! << 16) | (key[4 * i + 2]! << 8) | key[4 * i + 3]!) >>> 0;
  const sub = (w: number): number =>
    ((sbox[w >>> 24]! << 24) | (sbox[(w >>> 16) & 0xff]! << 16) | (sbox[(w >>> 8) & 0xff]! << 8) | sbox[w & 0xff]!) >>>
    0;
  let rcon = 1;
  for (let i = nk; i < total; i++) {
    let t = enc[i - 1]!;
    if (i % nk === 0) {
      t = (sub(((t << 8) | (t >>> 24)) >>> 0) ^ (rcon << 24)) >>> 0;
      rcon = ((rcon << 1) ^ (rcon & 0x80 ? 0x1b : 0)) & 0xff;
    } else if (nk > 6 && i % nk === 4) t = sub(t);
    enc[i] = (enc[i - nk]! ^ t) >>> 0;
  }
  // Equivalent inverse cipher schedule: reversed round keys with InvMixColumns on the middle ones.
  const dec = new Uint32Array(total);
  for (let r = 0; r <= rounds; r++) {
    for (let c = 0; c < 4; c++) {
      const w = enc[4 * (rounds - r) + c]!;
      dec[4 * r + c] =
        r === 0 || r === rounds
          ? w
          : (td[0]![sbox[w >>> 24]!]! ^
              td[1]![sbox[(w >>> 16) & 0xff]!]! ^
              td[2]![sbox[(w >>> 8) & 0xff]!]! ^
              td[3]![sbox[w & 0xff]!]!) >>>
            0;
    }
  }
  void te;
  return { rounds, enc, dec };
}

function crypt(k: AesKey, data: Uint8Array, at: number, out: Uint8Array, decrypt: boolean): void {
  const { sbox, inv, te, td } = aesTables();
  const rk = decrypt ? k.dec : k.enc;
  const T = decrypt ? td : te;
  const S = decrypt ? inv : sbox;
  const T0 = T[0]!,
    T1 = T[1]!,
    T2 = T[2]!,
    T3 = T[3]!;
  const w = (o: number): number =>
    ((data[at + o]! << 24) | (data[at + o + 1]! << 16) | (data[at + o + 2]! << 8) | data[at + o + 3]!) >>> 0;
  let s0 = w(0) ^ rk[0]!,
    s1 = w(4) ^ rk[1]!,
    s2 = w(8) ^ rk[2]!,
    s3 = w(12) ^ rk[3]!;
  let o = 4;
  for (let r = 1; r < k.rounds; r++, o += 4) {
    let t0: number, t1: number, t2: number, t3: number;
    if (!decrypt) {
      t0 = T0[s0 >>> 24]! ^ T1[(s1 >>> 16) & 0xff]! ^ T2[(s2 >>> 8) & 0xff]! ^ T3[s3 & 0xff]! ^ rk[o]!;
      t1 = T0[s1 >>> 24]! ^ T1[(s2 >>> 16) & 0xff]! ^ T2[(s3 >>> 8) & 0xff]! ^ T3[s0 & 0xff]! ^ rk[o + 1]!;
      t2 = T0[s2 >>> 24]! ^ T1[(s3 >>> 16) & 0xff]! ^ T2[(s0 >>> 8) & 0xff]! ^ T3[s1 & 0xff]! ^ rk[o + 2]!;
      t3 = T0[s3 >>> 24]! ^ T1[(s0 >>> 16) & 0xff]! ^ T2[(s1 >>> 8) & 0xff]! ^ T3[s2 & 0xff]! ^ rk[o + 3]!;
    } else {
      t0 = T0[s0 >>> 24]! ^ T1[(s3 >>> 16) & 0xff]! ^ T2[(s2 >>> 8) & 0xff]! ^ T3[s1 & 0xff]! ^ rk[o]!;
      t1 = T0[s1 >>> 24]! ^ T1[(s0 >>> 16) & 0xff]! ^ T2[(s3 >>> 8) & 0xff]! ^ T3[s2 & 0xff]! ^ rk[o + 1]!;
      t2 = T0[s2 >>> 24]! ^ T1[(s1 >>> 16) & 0xff]! ^ T2[(s0 >>> 8) & 0xff]! ^ T3[s3 & 0xff]! ^ rk[o + 2]!;
      t3 = T0[s3 >>> 24]! ^ T1[(s2 >>> 16) & 0xff]! ^ T2[(s1 >>> 8) & 0xff]! ^ T3[s0 & 0xff]! ^ rk[o + 3]!;
    }
    ((s0 = t0), (s1 = t1), (s2 = t2), (s3 = t3));
  }
  const st = [s0, s1, s2, s3];
  for (let c = 0; c < 4; c++) {
    const a = st[c]!;
    const b = decrypt ? st[(c + 3) & 3]! : st[(c + 1) & 3]!;
    const cc = st[(c + 2) & 3]!;
    const d = decrypt ? st[(c + 1) & 3]! : st[(c + 3) & 3]!;
    const v =
      ((S[a >>> 24]! << 24) | (S[(b >>> 16) & 0xff]! << 16) | (S[(cc >>> 8) & 0xff]! << 8) | S[d & 0xff]!) ^ rk[o + c]!;
    out[at + 4 * c] = v >>> 24;
    out[at + 4 * c + 1] = (v >>> 16) & 0xff;
    out[at + 4 * c + 2] = (v >>> 8) & 0xff;
    out[at + 4 * c + 3] = v & 0xff;
  }
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
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 16) crypt(k, data, i, out, false);
  return out;
}

/**
 * AES-ECB decryption without padding.
 * @throws RangeError when `data.length` is not a multiple of 16.
 * @example aesEcbDecrypt(key, ciphertext)
 */
export function aesEcbDecrypt(key: Uint8Array | AesKey, data: Uint8Array): Uint8Array<ArrayBuffer> {
  checkBlocks(data);
  const k = key instanceof Uint8Array ? aesExpandKey(key) : key;
  const out = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i += 16) crypt(k, data, i, out, true);
  return out;
}

/**
 * AES-CBC encryption without padding (used by the §6 key derivation).
 * @throws RangeError when `data.length` is not a multiple of 16 or the IV is not 16 bytes.
 * @example aesCbcEncrypt(key32, iv, table256)
 */
export function aesCbcEncrypt(key: Uint8Array, iv: Uint8Array, data: Uint8Array): Uint8Array<ArrayBuffer> {
  checkBlocks(data);
  if (iv.length !== 16) throw new RangeError(`CBC IV must be 16 bytes, got ${iv.length}`);
  const k = aesExpandKey(key);
  const out = new Uint8Array(data.length);
  const block = new Uint8Array(16);
  let prev: Uint8Array = iv;
  for (let i = 0; i < data.length; i += 16) {
    for (let j = 0; j < 16; j++) block[j] = data[i + j]! ^ prev[j]!;
    crypt(k, block, 0, block, false);
    out.set(block, i);
    prev = out.subarray(i, i + 16);
  }
  return out;
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
 * The RC4 output loop over a copy of `state` (§4: the state need not be a permutation for key B), skipping the
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
