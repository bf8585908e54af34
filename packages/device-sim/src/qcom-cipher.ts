/**
 * The simulated EFS encryption of modemst copies. Real modems encrypt modemst1/modemst2 with a key derived from a
 * hardware secret that differs between fused and unfused secure boot (docs/formats/fsg.md#pitfalls, docs/formats/efs-tar.md#pitfalls #15).
 * The simulator uses a stand-in cipher, NOT a real one: an xorshift128 keystream seeded with SHA-256(key ‖ "ks") XORed
 * with the plaintext, plus an integrity tag SHA-256(key ‖ "tag" ‖ header ‖ 64-bit FNV-1a² digest of the plaintext ‖ length). What matters for the simulation is
 * that a copy sealed under one key is "not sane" under another, exactly like a real copy after a key change.
 * @module
 */
import { ByteReader, ByteWriter, bytesEqual, concatBytes, encodeLatin1 } from '@nv/core/bytes';
import { sha256 } from '@nv/core/hash';
import { isBlankPartition, readPartition, type QcomPartition } from './qcom-partition.ts';

/**
 * Magic of a simulated modemst copy.
 * @example new TextDecoder().decode(readPartition(dev.state.partitions.modemst1, 0, 8)) === MODEMST_MAGIC
 */
export const MODEMST_MAGIC = 'NVSIMST1';
const HEADER = 20;
const TAG = 32;

/**
 * The EFS key of a simulated device: from the device-unique secret (seed) and the secure-boot fuse state.
 * Fused devices derive it from the fused root hash too, so blowing the fuses changes the key.
 * @example const key = deriveEfsKey('unit-1', false)
 */
export function deriveEfsKey(seed: string, fused: boolean, fusedRootHash = ''): Uint8Array {
  return sha256(encodeLatin1(`nv-sim efs key|${seed}|${fused ? `fused|${fusedRootHash.toLowerCase()}` : 'unfused'}`));
}

/**
 * The key's keystream: xorshift128 seeded from SHA-256(key ‖ "ks"), one 32-bit word per 4 bytes. XORs windows in
 * order; every window but the last must be a multiple of 4 bytes (so that a word never spans two windows).
 */
class Keystream {
  #x: number;
  #y: number;
  #z: number;
  #w: number;
  constructor(key: Uint8Array) {
    const seed = new DataView(sha256(concatBytes(key, encodeLatin1('ks'))).buffer);
    this.#x = seed.getUint32(0) | 1;
    this.#y = seed.getUint32(4);
    this.#z = seed.getUint32(8);
    this.#w = seed.getUint32(12);
  }
  /** XOR the next `data.length` keystream bytes into `out` (may be `data`: each byte is read before it is written). */
  xor(data: Uint8Array, out: Uint8Array): void {
    let x = this.#x,
      y = this.#y,
      z = this.#z,
      w = this.#w;
    const n = data.length;
    let i = 0;
    // Four bytes per word, unrolled (issue 17: a 60 MB EFS is decrypted at every boot from modemst).
    for (; i + 4 <= n; i += 4) {
      const t = x ^ (x << 11);
      x = y;
      y = z;
      z = w;
      w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
      out[i] = (data[i] as number) ^ (w & 0xff);
      out[i + 1] = (data[i + 1] as number) ^ ((w >>> 8) & 0xff);
      out[i + 2] = (data[i + 2] as number) ^ ((w >>> 16) & 0xff);
      out[i + 3] = (data[i + 3] as number) ^ (w >>> 24);
    }
    if (i < n) {
      const t = x ^ (x << 11);
      x = y;
      y = z;
      z = w;
      w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
      for (let j = 0; i + j < n; j++) out[i + j] = (data[i + j] as number) ^ ((w >>> (8 * j)) & 0xff);
    }
    this.#x = x;
    this.#y = y;
    this.#z = z;
    this.#w = w;
  }
}

/** XOR with the key's keystream into `out` (may be `data` itself). */
function keystreamXor(key: Uint8Array, data: Uint8Array, out: Uint8Array = new Uint8Array(data.length)): Uint8Array {
  new Keystream(key).xor(data, out);
  return out;
}

/** Two FNV-1a lanes (64 bits): each byte step is a bijection, so any single-byte change changes the result. */
class Digest64 {
  #a = 0x811c9dc5;
  #b = 0x01000193 ^ 0x5bd1e995;
  update(data: Uint8Array): void {
    let a = this.#a,
      b = this.#b;
    for (let i = 0; i < data.length; i++) {
      const v = data[i] as number;
      a = Math.imul(a ^ v, 0x01000193);
      b = Math.imul(b ^ v, 0x5bd1e995);
      b = (b << 13) | (b >>> 19);
    }
    this.#a = a;
    this.#b = b;
  }
  digest(): Uint8Array {
    const out = new Uint8Array(8);
    new DataView(out.buffer).setUint32(0, this.#a >>> 0, true);
    new DataView(out.buffer).setUint32(4, this.#b >>> 0, true);
    return out;
  }
}

function digest64(data: Uint8Array): Uint8Array {
  const d = new Digest64();
  d.update(data);
  return d.digest();
}

function tagOf(key: Uint8Array, header: Uint8Array, plaintext: Uint8Array): Uint8Array {
  return tagOfDigest(key, header, digest64(plaintext), plaintext.length);
}

function tagOfDigest(key: Uint8Array, header: Uint8Array, digest: Uint8Array, length: number): Uint8Array {
  return sha256(concatBytes(key, encodeLatin1('tag'), header, digest, encodeLatin1(String(length))));
}

function headerOf(generation: number, length: number): Uint8Array {
  const w = new ByteWriter(HEADER);
  w.fixedString(MODEMST_MAGIC, 8)
    .u32le(1)
    .u32le(generation >>> 0)
    .u32le(length);
  return w.finish();
}

/** Offset of the ciphertext in a modemst copy (header + tag). */
export const MODEMST_BODY_OFFSET: number = HEADER + TAG;

/** Size of a modemst copy's header (magic, version, generation, length); the 32-B tag follows it. */
export const MODEMST_HEADER_SIZE: number = HEADER;

/**
 * The header of a modemst copy: `"NVSIMST1"`, u32 version 1, u32 generation, u32 length.
 * @example modemstHeader(1, body.length)
 */
export function modemstHeader(generation: number, length: number): Uint8Array {
  return headerOf(generation, length);
}

/** A modemst copy's sealed parts, each made when first asked for (see {@link modemstSealer}). */
export interface ModemstSealer {
  /** The tag of a copy with this header. */
  tag(header: Uint8Array): Uint8Array;
  /** The whole ciphertext (made once, then shared by every copy). */
  body(): Uint8Array;
  /** The ciphertext in windows of 1 MiB, made as they are taken (the whole body when it is already made). */
  bodyWindows(): Generator<Uint8Array>;
}

/** Window of {@link ModemstSealer.bodyWindows} and {@link checkModemst} (a multiple of 4: the keystream's word). */
const WINDOW = 1 << 20;

/**
 * Seals a plaintext of `length` bytes given as pieces (`pieces()` yields them again on every call), lazily: the
 * keystream depends on the key only, so every copy under one key shares the ciphertext; each copy has its own header
 * and tag. The copy is `header` at 0, `tag(header)` at {@link MODEMST_HEADER_SIZE} and the ciphertext at
 * {@link MODEMST_BODY_OFFSET}: the bytes {@link sealModemst} returns.
 * @example const s = modemstSealer(key, plain.length, () => [plain]); const h = modemstHeader(1, plain.length); concatBytes(h, s.tag(h), s.body())
 */
export function modemstSealer(key: Uint8Array, length: number, pieces: () => Iterable<Uint8Array>): ModemstSealer {
  let digest: Uint8Array | undefined;
  let body: Uint8Array | undefined;
  const digestOf = (): Uint8Array => {
    if (digest === undefined) {
      const d = new Digest64();
      for (const piece of pieces()) d.update(piece);
      digest = d.digest();
    }
    return digest;
  };
  return {
    tag: (header) => tagOfDigest(key, header, digestOf(), length),
    body: () => {
      if (body === undefined) {
        const b = new Uint8Array(length);
        let at = 0;
        for (const piece of pieces()) {
          b.set(piece, at);
          at += piece.length;
        }
        digest ??= digest64(b);
        keystreamXor(key, b, b);
        body = b;
      }
      return body;
    },
    *bodyWindows() {
      if (body !== undefined) {
        yield body;
        return;
      }
      const ks = new Keystream(key);
      let window = new Uint8Array(Math.min(WINDOW, length));
      let used = 0;
      let done = 0;
      for (const piece of pieces()) {
        for (let at = 0; at < piece.length;) {
          if (used === window.length) throw new RangeError(`the pieces hold more than the ${length} bytes planned`);
          const n = Math.min(piece.length - at, window.length - used);
          window.set(piece.subarray(at, at + n), used);
          used += n;
          at += n;
          if (used === window.length) {
            ks.xor(window, window);
            yield window;
            done += used;
            window = new Uint8Array(Math.min(WINDOW, length - done));
            used = 0;
          }
        }
      }
      if (done + used !== length) throw new RangeError(`sealed ${done + used} bytes, ${length} were planned`);
      if (used > 0) {
        ks.xor(window, window);
        yield window;
      }
    },
  };
}

/**
 * Seals an EFS image into a modemst copy: `"NVSIMST1"`, u32 version 1, u32 generation, u32 length, 32-B tag, ciphertext.
 * @example sealModemst(key, encodeEfs(efs), 1)
 */
export function sealModemst(key: Uint8Array, plaintext: Uint8Array, generation: number): Uint8Array {
  const header = headerOf(generation, plaintext.length);
  const tag = tagOf(key, header, plaintext);
  return concatBytes(header, tag, keystreamXor(key, plaintext));
}

/** Why a modemst copy is not sane. */
export type ModemstStatus = 'sane' | 'erased' | 'not-efs' | 'tag-mismatch';

/** Result of opening a modemst copy. */
export interface OpenedModemst {
  status: ModemstStatus;
  generation: number;
  plaintext?: Uint8Array;
}

/**
 * True when every byte is 0x00 or every byte is 0xFF (an erased or zeroed partition); one pass, early exit.
 * @example isBlank(dev.state.partitions.fsg) // true before fsg is flashed
 */
export function isBlank(bytes: Uint8Array): boolean {
  if (bytes.length === 0) return true;
  const first = bytes[0] as number;
  if (first !== 0 && first !== 0xff) return false;
  const words =
    bytes.byteOffset % 4 === 0 ? new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.length >>> 2) : undefined;
  const w = first === 0 ? 0 : 0xffffffff;
  let i = 0;
  if (words) {
    for (; i < words.length; i++) if (words[i] !== w) return false;
    i *= 4;
  }
  for (; i < bytes.length; i++) if (bytes[i] !== first) return false;
  return true;
}

/** The header of a copy, or the verdict when the header alone decides it. */
function modemstHead(
  partition: QcomPartition,
): { verdict: OpenedModemst } | { generation: number; length: number; head: Uint8Array } {
  if (isBlankPartition(partition)) return { verdict: { status: 'erased', generation: 0 } };
  if (partition.size < HEADER + TAG) return { verdict: { status: 'not-efs', generation: 0 } };
  const head = readPartition(partition, 0, HEADER + TAG);
  const r = new ByteReader(head);
  if (r.fixedString(8) !== MODEMST_MAGIC || r.u32le() !== 1) return { verdict: { status: 'not-efs', generation: 0 } };
  const generation = r.u32le();
  const length = r.u32le();
  if (length > partition.size - HEADER - TAG) return { verdict: { status: 'not-efs', generation } };
  return { generation, length, head };
}

/**
 * Opens a modemst copy with `key`: sane only when the magic, length and tag all check.
 * @example openModemst(currentEfsKey(dev.state), dev.state.partitions.modemst1).status // 'sane' (a sparse partition)
 */
export function openModemst(key: Uint8Array, partition: QcomPartition): OpenedModemst {
  const h = modemstHead(partition);
  if ('verdict' in h) return h.verdict;
  const { generation, length, head } = h;
  const plaintext = keystreamXor(key, readPartition(partition, HEADER + TAG, HEADER + TAG + length));
  const expect = tagOf(key, head.subarray(0, HEADER), plaintext);
  if (!bytesEqual(head.subarray(HEADER, HEADER + TAG), expect)) return { status: 'tag-mismatch', generation };
  return { status: 'sane', generation, plaintext };
}

/**
 * {@link openModemst}'s verdict without the plaintext: the copy is decrypted and digested 1 MiB at a time, so
 * checking both copies (every boot and every NV write picks one) holds no second EFS in memory (issue 17).
 * @example checkModemst(key, dev.state.partitions.modemst2) // { status: 'sane', generation: 2 }
 */
export function checkModemst(key: Uint8Array, partition: QcomPartition): { status: ModemstStatus; generation: number } {
  const h = modemstHead(partition);
  if ('verdict' in h) return { status: h.verdict.status, generation: h.verdict.generation };
  const { generation, length, head } = h;
  const ks = new Keystream(key);
  const digest = new Digest64();
  const window = new Uint8Array(Math.min(WINDOW, length));
  for (let at = 0; at < length; at += WINDOW) {
    const cipher = readPartition(partition, HEADER + TAG + at, HEADER + TAG + Math.min(length, at + WINDOW));
    const plain = window.subarray(0, cipher.length);
    ks.xor(cipher, plain);
    digest.update(plain);
  }
  const expect = tagOfDigest(key, head.subarray(0, HEADER), digest.digest(), length);
  return { status: bytesEqual(head.subarray(HEADER, HEADER + TAG), expect) ? 'sane' : 'tag-mismatch', generation };
}
