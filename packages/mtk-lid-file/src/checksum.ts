/**
 * LID checksums: gen-A `cs2` (docs/formats/lid-files.md#gen-a), gen-B `chk8` and its 2-byte API view (docs/formats/lid-files.md#chk8), gen-B header checksum (docs/formats/lid-files.md#header-checksum).
 * @module
 */
import { md5Scratch } from './crypto.ts';

/** The value gen A stores instead of a zero sum, and gen B stores (LE) for an all-zero record. */
export const LID_ZERO_CHECKSUM = 0xcdef;

/**
 * Raw gen-A byte sums: `lo` = Σ even-offset bytes, `hi` = Σ odd-offset bytes (mod 256), as `lo | hi << 8`,
 * without the zero replacement (this is what the FF-default pointer path stores, docs/formats/lid-files.md#gen-a).
 * @example cs2Raw(Uint8Array.of(1, 2, 3)) // 0x0204
 */
export function cs2Raw(record: Uint8Array): number {
  let lo = 0,
    hi = 0;
  const n = record.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    lo += record[i]!;
    hi += record[i + 1]!;
  }
  if (i < n) lo += record[i]!;
  return (lo & 0xff) | ((hi & 0xff) << 8);
}

/**
 * Gen-A record checksum (docs/formats/lid-files.md#gen-a): byte sums with 0 replaced by `0xCDEF`; stored little-endian.
 * @example cs2(new Uint8Array(10)) // 0xCDEF
 */
export function cs2(record: Uint8Array): number {
  const c = cs2Raw(record);
  return c === 0 ? LID_ZERO_CHECKSUM : c;
}

/**
 * True when `stored` is an acceptable gen-A checksum of `record`: `cs2`, or `0x0000` for an all-`FF` record whose
 * sums are zero (FF-default pointer path, docs/formats/lid-files.md#gen-a).
 * @example cs2Accepts(new Uint8Array(512).fill(0xff), 0) // true
 */
export function cs2Accepts(record: Uint8Array, stored: number): boolean {
  if (stored === cs2(record)) return true;
  return stored === 0 && cs2Raw(record) === 0 && record.every((b) => b === 0xff);
}

/** An all-zero record: its chk8 is the fixed `EF CD 00…` instead of a digest. */
function isAllZero(record: Uint8Array): boolean {
  for (let i = 0; i < record.length; i++) if (record[i] !== 0) return false;
  return true;
}

/**
 * Gen-B 8-byte record checksum (docs/formats/lid-files.md#chk8): `EF CD 00…` for an all-zero record, else MD5 folded (`m[i] ^ m[i+8]`).
 * @example bytesToHex(chk8(new Uint8Array(10).fill(0xff))) // '21364f4123fc17c1'
 */
export function chk8(
  record: Uint8Array,
  digest: (data: Uint8Array) => Uint8Array = md5Scratch,
): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(8);
  const zero = isAllZero(record);
  if (zero) {
    out[0] = 0xef;
    out[1] = 0xcd;
    return out;
  }
  const m = digest(record);
  for (let i = 0; i < 8; i++) out[i] = m[i]! ^ m[i + 8]!;
  return out;
}

/**
 * Whether the 8 bytes of `area` at `at` are the {@link chk8} of `record`, without allocating (the decoder's hot
 * path: the stored checksum is read in place).
 * @example chk8Matches(record, chk8(record), 0) // true
 */
export function chk8Matches(
  record: Uint8Array,
  area: Uint8Array,
  at: number,
  digest: (data: Uint8Array) => Uint8Array = md5Scratch,
): boolean {
  if (isAllZero(record)) return isZeroChk8(area, at);
  const m = digest(record);
  for (let i = 0; i < 8; i++) if (area[at + i] !== (m[i]! ^ m[i + 8]!)) return false;
  return true;
}

/**
 * {@link chk8Matches} with an MD5 that returns its digest as a 16-character latin1 string (node:crypto's cheapest
 * one-shot output: no Buffer per record).
 * @example chk8MatchesLatin1(record, area, at, (d) => hash('md5', d, 'latin1'))
 */
export function chk8MatchesLatin1(
  record: Uint8Array,
  area: Uint8Array,
  at: number,
  digest: (data: Uint8Array) => string,
): boolean {
  if (isAllZero(record)) return isZeroChk8(area, at);
  const m = digest(record);
  for (let i = 0; i < 8; i++) if (area[at + i] !== (m.charCodeAt(i) ^ m.charCodeAt(i + 8))) return false;
  return true;
}

/** Whether the 8 bytes at `at` are the all-zero record's chk8 `EF CD 00…`. */
function isZeroChk8(area: Uint8Array, at: number): boolean {
  if (area[at] !== 0xef || area[at + 1] !== 0xcd) return false;
  for (let i = 2; i < 8; i++) if (area[at + i] !== 0) return false;
  return true;
}

/**
 * The 2-byte API view of a `chk8` (docs/formats/lid-files.md#chk8; never stored): sum of the four LE u16 mod 2¹⁶, `0xCDEF` → `0xCEDF`.
 * @example chk8View(chk8(new Uint8Array(10).fill(0xff))) // 0x34AA
 */
export function chk8View(c: Uint8Array): number {
  let s = 0;
  for (let i = 0; i + 1 < 8; i += 2) s += (c[i] ?? 0) | ((c[i + 1] ?? 0) << 8);
  s &= 0xffff;
  return s === 0xcdef ? 0xcedf : s;
}

/**
 * Gen-B header checksum as devices compute it (docs/formats/lid-files.md#header-checksum): `hi = byte[1]`, `lo = byte[0] + Σ byte[0…29]` (mod 256).
 * @throws RangeError when `header` is shorter than 30 bytes.
 * @example ldiHeaderChecksum(header) // 0x44A2 for the docs/formats/lid-files.md#test-vectors IMEI header
 */
export function ldiHeaderChecksum(header: Uint8Array): number {
  if (header.length < 30) throw new RangeError('a gen-B header checksum needs 30 bytes');
  let lo = header[0]!;
  for (let i = 0; i < 30; i++) lo += header[i]!;
  return (header[1]! << 8) | (lo & 0xff);
}
