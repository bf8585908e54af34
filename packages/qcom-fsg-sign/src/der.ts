/**
 * A minimal DER reader and writer for X.509 certificates (docs/formats/fsg.md#chain…#certificates). Pure and browser-safe.
 * Hand-written on purpose: the modem compares DN bytes exactly, so names must be copied, never re-encoded.
 * @module
 */
import { NvError } from '@nv/core';
import { bytesToHex, concatBytes } from '@nv/core/bytes';

/** One DER element; offsets are absolute in the bytes given to {@link readTlv}. */
export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the content. */
  contentStart: number;
  /** Offset after the content. */
  end: number;
}

/** Hard limit on DER nesting (docs/formats/fsg.md#decisions). */
export const MAX_DER_DEPTH = 16;

function fail(message: string, offset: number, base: number, path?: string): never {
  throw new NvError('NV_FSG_CHAIN_PARSE', `DER: ${message}`, { offset: base + offset, path });
}

/**
 * Reads one DER TLV at `at` that must end by `limit`. Single-byte tags, definite lengths ≤ 4 length bytes, minimal.
 * @throws NvError `NV_FSG_CHAIN_PARSE` (with the absolute offset `base + at`).
 * @example
 * readTlv(der, 0, der.length).end
 */
export function readTlv(bytes: Uint8Array, at: number, limit: number, base = 0, path?: string): Tlv {
  if (at + 2 > limit) fail('element header runs past its container', at, base, path);
  const tag = bytes[at] as number;
  if ((tag & 0x1f) === 0x1f) fail(`multi-byte tag 0x${tag.toString(16)}`, at, base, path);
  const first = bytes[at + 1] as number;
  let length: number;
  let contentStart: number;
  if (first < 0x80) {
    length = first;
    contentStart = at + 2;
  } else {
    const n = first & 0x7f;
    if (n === 0) fail('indefinite length is not DER', at, base, path);
    if (n > 4) fail(`length of ${n} bytes`, at, base, path);
    if (at + 2 + n > limit) fail('length runs past its container', at, base, path);
    length = 0;
    for (let i = 0; i < n; i++) length = length * 256 + (bytes[at + 2 + i] as number);
    if (length < 0x80 || (n > 1 && bytes[at + 2] === 0)) fail('non-minimal length', at, base, path);
    contentStart = at + 2 + n;
  }
  const end = contentStart + length;
  if (end > limit) fail(`element of ${length} bytes runs past its container (ends at ${limit})`, at, base, path);
  return { tag, start: at, contentStart, end };
}

/**
 * The children of a constructed element.
 * @throws NvError `NV_FSG_CHAIN_PARSE`.
 * @example
 * children(der, readTlv(der, 0, der.length)).length // 3 for a certificate
 */
export function children(bytes: Uint8Array, tlv: Tlv, base = 0, path?: string): Tlv[] {
  const out: Tlv[] = [];
  let at = tlv.contentStart;
  while (at < tlv.end) {
    if (out.length > 4096) fail('too many elements', at, base, path);
    const c = readTlv(bytes, at, tlv.end, base, path);
    out.push(c);
    at = c.end;
  }
  return out;
}

/**
 * Checks DER nesting depth of constructed elements ≤ {@link MAX_DER_DEPTH} (walks every constructed element).
 * @throws NvError `NV_FSG_CHAIN_PARSE`.
 * @example
 * checkDepth(der, readTlv(der, 0, der.length))
 */
export function checkDepth(bytes: Uint8Array, tlv: Tlv, base = 0, path?: string, depth = 0): void {
  if (depth > MAX_DER_DEPTH) fail(`nesting deeper than ${MAX_DER_DEPTH}`, tlv.start, base, path);
  if ((tlv.tag & 0x20) === 0) return;
  for (const c of children(bytes, tlv, base, path)) checkDepth(bytes, c, base, path, depth + 1);
}

/**
 * Content bytes of an element (a view).
 * @example
 * content(der, readTlv(der, 0, der.length))
 */
export function content(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.contentStart, tlv.end);
}

/**
 * Whole element bytes (a view).
 * @example
 * whole(der, readTlv(der, 0, der.length))
 */
export function whole(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.subarray(tlv.start, tlv.end);
}

/**
 * Dotted text of an OBJECT IDENTIFIER's content.
 * @example
 * oidToString(hexToBytes('550403')) // '2.5.4.3'
 */
export function oidToString(c: Uint8Array): string {
  const parts: number[] = [];
  let v = 0;
  for (const b of c) {
    v = v * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) {
      parts.push(v);
      v = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

/**
 * Unsigned big-endian bigint of INTEGER content (sign byte dropped).
 * @example
 * bytesToBigInt(Uint8Array.of(1, 0, 1)) // 65537n
 */
export function bytesToBigInt(c: Uint8Array): bigint {
  return c.length === 0 ? 0n : BigInt(`0x${bytesToHex(c)}`);
}

// ------------------------------------------------------------------- writer

function lengthBytes(n: number): Uint8Array {
  if (n < 0x80) return Uint8Array.of(n);
  const out: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) out.unshift(v & 0xff);
  return Uint8Array.of(0x80 | out.length, ...out);
}

/**
 * Encodes one TLV.
 * @example
 * tlv(0x04, Uint8Array.of(1, 2)) // 04 02 01 02
 */
export function tlv(tag: number, ...parts: Uint8Array[]): Uint8Array<ArrayBuffer> {
  const body = concatBytes(...parts);
  return concatBytes(Uint8Array.of(tag), lengthBytes(body.length), body);
}

/**
 * SEQUENCE.
 * @example
 * seq(uint(2)) // 30 03 02 01 02
 */
export const seq = (...parts: Uint8Array[]): Uint8Array<ArrayBuffer> => tlv(0x30, ...parts);

/**
 * OBJECT IDENTIFIER from dotted text.
 * @example
 * oid('2.5.4.11') // 06 03 55 04 0b
 */
export function oid(dotted: string): Uint8Array<ArrayBuffer> {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out: number[] = [(a as number) * 40 + (b as number)];
  for (const v of rest) {
    const groups: number[] = [];
    let x = v;
    do {
      groups.unshift(x & 0x7f);
      x = Math.floor(x / 128);
    } while (x > 0);
    for (let i = 0; i < groups.length - 1; i++) groups[i] = (groups[i] as number) | 0x80;
    out.push(...groups);
  }
  return tlv(0x06, Uint8Array.from(out));
}

/**
 * INTEGER from unsigned big-endian bytes (adds a 00 sign byte when needed, strips leading zeros).
 * @example
 * uintBytes(Uint8Array.of(0x80)) // 02 02 00 80
 */
export function uintBytes(value: Uint8Array): Uint8Array<ArrayBuffer> {
  let i = 0;
  while (i < value.length - 1 && value[i] === 0) i++;
  const v = value.subarray(i);
  return tlv(
    0x02,
    ((v[0] ?? 0) & 0x80) !== 0 ? concatBytes(Uint8Array.of(0), v) : v.length === 0 ? Uint8Array.of(0) : v,
  );
}

/**
 * INTEGER from a small non-negative number.
 * @example
 * uint(65537) // 02 03 01 00 01
 */
export function uint(n: number | bigint): Uint8Array<ArrayBuffer> {
  let hex = BigInt(n).toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  return uintBytes(Uint8Array.from(hex.match(/../g) ?? [], (h) => parseInt(h, 16)));
}
