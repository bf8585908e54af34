/**
 * Bounds-checked binary reading and writing over `Uint8Array`, plus small byte helpers.
 * Every read past the end throws `NV_TRUNCATED` with the absolute file offset.
 * @module
 */
import { NvError } from './errors.ts';

const latin1Decoder = new TextDecoder('latin1');
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });
const utf8Encoder = new TextEncoder();

/** Where a reader sits in the original file, so sub-readers report absolute offsets. */
export interface ByteReaderOptions {
  /** Absolute file offset of `bytes[0]`. Default 0. */
  readonly base?: number;
  /** File name used in errors. */
  readonly path?: string;
}

/**
 * Reads integers and strings from a byte array. Endianness is in the method name; 64-bit reads give `bigint`.
 *
 * @example
 * const r = new ByteReader(bytes);
 * const magic = r.u32le();
 * const name = r.cstring(64);
 */
export class ByteReader {
  /** The bytes this reader covers. */
  readonly bytes: Uint8Array;
  /** Absolute file offset of `bytes[0]`. */
  readonly base: number;
  /** File name used in errors. */
  readonly path: string | undefined;
  private readonly view: DataView;
  private pos = 0;

  constructor(bytes: Uint8Array, options: ByteReaderOptions = {}) {
    this.bytes = bytes;
    this.base = options.base ?? 0;
    this.path = options.path;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Bytes in this reader. */
  get length(): number {
    return this.bytes.length;
  }
  /** Current position, relative to this reader. */
  get offset(): number {
    return this.pos;
  }
  /** Current position as an absolute file offset. */
  get absoluteOffset(): number {
    return this.base + this.pos;
  }
  /** Bytes left after the current position. */
  get remaining(): number {
    return this.bytes.length - this.pos;
  }
  /** True when every byte has been read. */
  get isAtEnd(): boolean {
    return this.pos >= this.bytes.length;
  }

  /** Throws `NV_TRUNCATED` unless `n` more bytes are available. */
  need(n: number, what = 'data'): void {
    if (!Number.isInteger(n) || n < 0) {
      throw new NvError('NV_LIMIT', `${what}: length ${n} is not a valid byte count`, {
        offset: this.absoluteOffset,
        path: this.path,
      });
    }
    if (n > this.remaining) {
      throw new NvError(
        'NV_TRUNCATED',
        `${what}: needs ${n} bytes at offset ${this.absoluteOffset} but only ${this.remaining} remain; the file is cut short`,
        { offset: this.absoluteOffset, path: this.path, data: { needed: n, available: this.remaining } },
      );
    }
  }

  /** Moves to a position relative to this reader (may equal `length`). */
  seek(position: number): this {
    if (!Number.isInteger(position) || position < 0 || position > this.bytes.length) {
      throw new NvError(
        'NV_TRUNCATED',
        `offset ${this.base + position} is outside the data (0..${this.base + this.bytes.length})`,
        {
          offset: this.base + Math.max(0, Math.min(position, Number.MAX_SAFE_INTEGER)),
          path: this.path,
        },
      );
    }
    this.pos = position;
    return this;
  }

  /** Skips `n` bytes. */
  skip(n: number, what = 'skipped bytes'): this {
    this.need(n, what);
    this.pos += n;
    return this;
  }

  private at(n: number, what: string): number {
    this.need(n, what);
    const p = this.pos;
    this.pos += n;
    return p;
  }

  u8(what = 'u8'): number {
    return this.view.getUint8(this.at(1, what));
  }
  i8(what = 'i8'): number {
    return this.view.getInt8(this.at(1, what));
  }
  u16le(what = 'u16'): number {
    return this.view.getUint16(this.at(2, what), true);
  }
  u16be(what = 'u16'): number {
    return this.view.getUint16(this.at(2, what), false);
  }
  i16le(what = 'i16'): number {
    return this.view.getInt16(this.at(2, what), true);
  }
  i16be(what = 'i16'): number {
    return this.view.getInt16(this.at(2, what), false);
  }
  u32le(what = 'u32'): number {
    return this.view.getUint32(this.at(4, what), true);
  }
  u32be(what = 'u32'): number {
    return this.view.getUint32(this.at(4, what), false);
  }
  i32le(what = 'i32'): number {
    return this.view.getInt32(this.at(4, what), true);
  }
  i32be(what = 'i32'): number {
    return this.view.getInt32(this.at(4, what), false);
  }
  u64le(what = 'u64'): bigint {
    return this.view.getBigUint64(this.at(8, what), true);
  }
  u64be(what = 'u64'): bigint {
    return this.view.getBigUint64(this.at(8, what), false);
  }
  i64le(what = 'i64'): bigint {
    return this.view.getBigInt64(this.at(8, what), true);
  }
  i64be(what = 'i64'): bigint {
    return this.view.getBigInt64(this.at(8, what), false);
  }

  /** A view (no copy) of the next `n` bytes. */
  bytesView(n: number, what = 'bytes'): Uint8Array {
    const p = this.at(n, what);
    return this.bytes.subarray(p, p + n);
  }
  /** A copy of the next `n` bytes. */
  copy(n: number, what = 'bytes'): Uint8Array<ArrayBuffer> {
    const p = this.at(n, what);
    return this.bytes.slice(p, p + n);
  }
  /** The rest of the bytes as a view. */
  rest(): Uint8Array {
    return this.bytesView(this.remaining);
  }

  /**
   * A fixed-width latin1 string field; trailing NULs are dropped, bytes after the first NUL are ignored.
   * Use {@link ByteReader.copy} when padding bytes must be kept for a byte-exact rewrite.
   */
  fixedString(n: number, what = 'string'): string {
    const raw = this.bytesView(n, what);
    const nul = raw.indexOf(0);
    return latin1Decoder.decode(nul === -1 ? raw : raw.subarray(0, nul));
  }

  /** A NUL-terminated latin1 string of at most `max` bytes before the NUL; the NUL is consumed and required. */
  cstring(max: number, what = 'string'): string {
    const limit = Math.min(this.remaining, max + 1);
    const window = this.bytes.subarray(this.pos, this.pos + limit);
    const nul = window.indexOf(0);
    if (nul === -1) {
      if (limit === this.remaining && this.remaining <= max) {
        throw new NvError('NV_TRUNCATED', `${what}: no terminating NUL before the end of the data`, {
          offset: this.base + this.bytes.length,
          path: this.path,
        });
      }
      throw new NvError('NV_LIMIT', `${what}: no terminating NUL within ${max} bytes`, {
        offset: this.absoluteOffset,
        path: this.path,
      });
    }
    const text = latin1Decoder.decode(window.subarray(0, nul));
    this.pos += nul + 1;
    return text;
  }

  /** A reader over the next `n` bytes that reports absolute offsets; this reader moves past them. */
  sub(n: number, what = 'sub-structure'): ByteReader {
    const p = this.at(n, what);
    return new ByteReader(this.bytes.subarray(p, p + n), {
      base: this.base + p,
      ...(this.path === undefined ? {} : { path: this.path }),
    });
  }

  /** A reader over `[start, start + n)` of this reader, without moving this one. */
  slice(start: number, n: number, what = 'range'): ByteReader {
    if (!Number.isInteger(start) || start < 0 || start > this.bytes.length) {
      throw new NvError(
        'NV_TRUNCATED',
        `${what}: offset ${this.base + start} is past the end of the data (${this.base + this.bytes.length})`,
        {
          offset: this.base + Math.max(0, start),
          path: this.path,
        },
      );
    }
    const saved = this.pos;
    this.pos = start;
    try {
      return this.sub(n, what);
    } finally {
      this.pos = saved;
    }
  }
}

const INTEGER_BOUNDS = {
  u8: [0, 0xff],
  i8: [-0x80, 0x7f],
  u16: [0, 0xffff],
  i16: [-0x8000, 0x7fff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
} as const;

const U64_MAX = (1n << 64n) - 1n;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;

/**
 * Growable little/big-endian writer. `finish()` returns exactly the bytes written.
 * Out-of-range values throw `NV_RANGE`; nothing is ever silently truncated.
 *
 * @example
 * const w = new ByteWriter();
 * w.u32le(0x73665345);
 * const sizeAt = w.offset; w.u32le(0);
 * w.bytes(body); w.patchU32le(sizeAt, body.length);
 * const out = w.finish();
 */
export class ByteWriter {
  private buf: Uint8Array<ArrayBuffer>;
  private view: DataView;
  private pos = 0;

  constructor(initialCapacity = 256) {
    this.buf = new Uint8Array(Math.max(16, initialCapacity));
    this.view = new DataView(this.buf.buffer);
  }

  /** Bytes written so far (the write position). */
  get offset(): number {
    return this.pos;
  }

  private grow(n: number): number {
    const end = this.pos + n;
    if (end > this.buf.length) {
      let cap = this.buf.length * 2;
      while (cap < end) cap *= 2;
      const next = new Uint8Array(cap);
      next.set(this.buf.subarray(0, this.pos));
      this.buf = next;
      this.view = new DataView(next.buffer);
    }
    const p = this.pos;
    this.pos = end;
    return p;
  }

  private checkInt(kind: keyof typeof INTEGER_BOUNDS, value: number): void {
    const [min, max] = INTEGER_BOUNDS[kind];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new NvError('NV_RANGE', `value ${value} does not fit in ${kind} (${min}..${max})`, {
        data: { kind, value },
      });
    }
  }

  private checkPatch(at: number, n: number): void {
    if (!Number.isInteger(at) || at < 0 || at + n > this.pos)
      throw new RangeError(`patch at ${at} (+${n}) is outside the ${this.pos} bytes written`);
  }

  u8(v: number): this {
    this.checkInt('u8', v);
    const p = this.grow(1);
    this.view.setUint8(p, v);
    return this;
  }
  i8(v: number): this {
    this.checkInt('i8', v);
    const p = this.grow(1);
    this.view.setInt8(p, v);
    return this;
  }
  u16le(v: number): this {
    this.checkInt('u16', v);
    const p = this.grow(2);
    this.view.setUint16(p, v, true);
    return this;
  }
  u16be(v: number): this {
    this.checkInt('u16', v);
    const p = this.grow(2);
    this.view.setUint16(p, v, false);
    return this;
  }
  i16le(v: number): this {
    this.checkInt('i16', v);
    const p = this.grow(2);
    this.view.setInt16(p, v, true);
    return this;
  }
  i16be(v: number): this {
    this.checkInt('i16', v);
    const p = this.grow(2);
    this.view.setInt16(p, v, false);
    return this;
  }
  u32le(v: number): this {
    this.checkInt('u32', v);
    const p = this.grow(4);
    this.view.setUint32(p, v, true);
    return this;
  }
  u32be(v: number): this {
    this.checkInt('u32', v);
    const p = this.grow(4);
    this.view.setUint32(p, v, false);
    return this;
  }
  i32le(v: number): this {
    this.checkInt('i32', v);
    const p = this.grow(4);
    this.view.setInt32(p, v, true);
    return this;
  }
  i32be(v: number): this {
    this.checkInt('i32', v);
    const p = this.grow(4);
    this.view.setInt32(p, v, false);
    return this;
  }
  u64le(v: bigint): this {
    if (v < 0n || v > U64_MAX)
      throw new NvError('NV_RANGE', `value ${v} does not fit in u64`, { data: { kind: 'u64', value: String(v) } });
    const p = this.grow(8);
    this.view.setBigUint64(p, v, true);
    return this;
  }
  u64be(v: bigint): this {
    if (v < 0n || v > U64_MAX)
      throw new NvError('NV_RANGE', `value ${v} does not fit in u64`, { data: { kind: 'u64', value: String(v) } });
    const p = this.grow(8);
    this.view.setBigUint64(p, v, false);
    return this;
  }
  i64le(v: bigint): this {
    if (v < I64_MIN || v > I64_MAX)
      throw new NvError('NV_RANGE', `value ${v} does not fit in i64`, { data: { kind: 'i64', value: String(v) } });
    const p = this.grow(8);
    this.view.setBigInt64(p, v, true);
    return this;
  }

  /** Appends bytes. */
  bytes(data: Uint8Array): this {
    const p = this.grow(data.length);
    this.buf.set(data, p);
    return this;
  }
  /** Appends `n` copies of `fill` (default 0). */
  fill(n: number, fill = 0): this {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`fill count ${n} must be a non-negative integer`);
    this.checkInt('u8', fill);
    const p = this.grow(n);
    this.buf.fill(fill, p, p + n);
    return this;
  }
  /** Pads with `fill` until the offset is a multiple of `alignment`. */
  align(alignment: number, fill = 0): this {
    if (!Number.isInteger(alignment) || alignment <= 0)
      throw new RangeError(`alignment ${alignment} must be a positive integer`);
    const rem = this.pos % alignment;
    return rem === 0 ? this : this.fill(alignment - rem, fill);
  }
  /** A latin1 string padded with NULs to exactly `n` bytes; `NV_RANGE` if it does not fit. */
  fixedString(text: string, n: number): this {
    const raw = encodeLatin1(text);
    if (raw.length > n)
      throw new NvError('NV_RANGE', `string "${text}" is ${raw.length} bytes, the field holds ${n}`, {
        data: { length: raw.length, max: n },
      });
    this.bytes(raw);
    return this.fill(n - raw.length);
  }
  /** A latin1 string followed by a NUL. */
  cstring(text: string): this {
    const raw = encodeLatin1(text);
    if (raw.includes(0)) throw new NvError('NV_RANGE', `string "${text}" contains a NUL and cannot be NUL-terminated`);
    return this.bytes(raw).u8(0);
  }

  /** Overwrites bytes already written. */
  patchBytes(at: number, data: Uint8Array): this {
    this.checkPatch(at, data.length);
    this.buf.set(data, at);
    return this;
  }
  patchU16le(at: number, v: number): this {
    this.checkInt('u16', v);
    this.checkPatch(at, 2);
    this.view.setUint16(at, v, true);
    return this;
  }
  patchU32le(at: number, v: number): this {
    this.checkInt('u32', v);
    this.checkPatch(at, 4);
    this.view.setUint32(at, v, true);
    return this;
  }
  patchU32be(at: number, v: number): this {
    this.checkInt('u32', v);
    this.checkPatch(at, 4);
    this.view.setUint32(at, v, false);
    return this;
  }

  /** Exactly the bytes written, as a fresh array. */
  finish(): Uint8Array<ArrayBuffer> {
    return this.buf.slice(0, this.pos);
  }
}

/** Lower-case hex of the bytes, no separators. */
export function bytesToHex(bytes: Uint8Array): string {
  // A table, not a toString per byte (issue 17: every LID record's checksum is printed as hex when decoded).
  let out = '';
  for (let i = 0; i < bytes.length; i++) out += HEX_BYTE[bytes[i] as number] as string;
  return out;
}

const HEX_BYTE: readonly string[] = Array.from({ length: 256 }, (_, b) => (b < 16 ? '0' : '') + b.toString(16));

/**
 * Parses hex (upper or lower case; spaces, colons and an optional leading `0x` allowed) into bytes.
 * @throws NvError `NV_BAD_HEX` on an odd digit count or a non-hex character.
 */
export function hexToBytes(hex: string, what = 'hex string'): Uint8Array<ArrayBuffer> {
  const clean = hex.trim().replace(/^0x/i, '').replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) {
    throw new NvError(
      'NV_BAD_HEX',
      `${what} "${hex.length > 40 ? `${hex.slice(0, 40)}…` : hex}" is not whole bytes of hex digits`,
    );
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** Concatenates byte arrays into a fresh one. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Byte-wise equality. */
export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Offset of the first differing byte, or -1 when equal (a length difference counts at the shorter length). */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}

/** Decodes bytes as latin1 (every byte maps to one code point; lossless). */
export function decodeLatin1(bytes: Uint8Array): string {
  return latin1Decoder.decode(bytes);
}

/** Encodes a string whose code points are all ≤ 0xFF as latin1; `NV_RANGE` otherwise. */
export function encodeLatin1(text: string): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff)
      throw new NvError(
        'NV_RANGE',
        `character U+${c.toString(16).toUpperCase().padStart(4, '0')} at position ${i} of "${text}" is not a single byte`,
      );
    out[i] = c;
  }
  return out;
}

/** Decodes strict UTF-8; `NV_BAD_INPUT` on invalid sequences. */
export function decodeUtf8(bytes: Uint8Array, where: { offset?: number; path?: string } = {}): string {
  try {
    return utf8Decoder.decode(bytes);
  } catch (cause) {
    throw new NvError('NV_BAD_INPUT', 'text is not valid UTF-8', { ...where, cause });
  }
}

/** Encodes a string as UTF-8. */
export function encodeUtf8(text: string): Uint8Array<ArrayBuffer> {
  return utf8Encoder.encode(text) as Uint8Array<ArrayBuffer>;
}
