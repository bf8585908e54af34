/**
 * gzip members (docs/formats/efs-tar.md#gzip, docs/formats/efs-tar.md#compress) around a raw-deflate backend, so the pure code stays browser-safe:
 * the Node entry passes node:zlib (`NODE_DEFLATE` in `@nv/qcom-efs/node`).
 * @module
 */
import { NvError, checkLimit } from '@nv/core';
import { hasGzipMagic } from '@nv/qcom-fsg-sign/container';
import type { EfsWarning } from './tree.ts';

/** Raw deflate (RFC 1951) provided by the host: node:zlib in Node, pako in browsers. */
export interface DeflateBackend {
  /** Raw deflate, window 15. */
  deflateRaw(data: Uint8Array, options: { level: number; memLevel: number }): Uint8Array;
  /**
   * Raw inflate of the first deflate stream in `data`; `consumed` = input bytes it used. Must throw `NV_LIMIT`
   * (an `NvError`) when the output would exceed `maxOutputBytes`. `expectedBytes`, when given, is the size the
   * gzip trailer announces (a hint only: it may be wrong, the output must not depend on it); a backend may use it to
   * inflate into one buffer of that size instead of joining pieces (half the peak memory for a large payload).
   */
  inflateRaw(data: Uint8Array, maxOutputBytes: number, expectedBytes?: number): { data: Uint8Array; consumed: number };
}

/** The packer's gzip header (docs/formats/efs-tar.md#compress): no flags, MTIME 0, XFL 0, OS `FF`. */
export const GZIP_HEADER: Uint8Array = Uint8Array.of(0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff);

/** Inflation cap for device images (docs/formats/efs-tar.md#unwrap): 256 MiB. */
export const MAX_EFS_INFLATED_BYTES: number = 256 * 1024 * 1024;

const CRC_TABLE = ((): Uint32Array => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/**
 * CRC-32 (ISO-HDLC, as gzip), continuing from `crc`.
 * @example crc32(new TextEncoder().encode('123456789')) // 0xcbf43926
 */
export function crc32(data: Uint8Array, crc = 0): number {
  let c = ~crc >>> 0;
  for (let i = 0; i < data.length; i++) c = (CRC_TABLE[(c ^ (data[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** Options of {@link encodeGzip}. */
export interface GzipOptions {
  /** Deflate level (default 6, zlib's default, docs/formats/efs-tar.md#compress). */
  readonly level?: number;
  /** zlib memLevel (default 8; the device uses 4, inferred). */
  readonly memLevel?: number;
  /** Zero-pad the file to a multiple of 512 like device dumps (docs/formats/efs-tar.md#compress, harmless, inferred). */
  readonly pad512?: boolean;
}

/**
 * The 8-byte gzip trailer: CRC32 and ISIZE, little-endian.
 * @example gzipTrailer(crc32(data), data.length)
 */
export function gzipTrailer(crc: number, size: number): Uint8Array {
  const t = new Uint8Array(8);
  const v = new DataView(t.buffer);
  v.setUint32(0, crc >>> 0, true);
  v.setUint32(4, size >>> 0, true);
  return t;
}

/**
 * One gzip member with the fixed header `1F 8B 08 00 00000000 00 FF` (docs/formats/efs-tar.md#compress): same input, same bytes.
 * @example encodeGzip(tar, backend).subarray(0, 10) // 1f8b0800000000000 0ff
 */
export function encodeGzip(
  data: Uint8Array,
  backend: DeflateBackend,
  options: GzipOptions = {},
): Uint8Array<ArrayBuffer> {
  const body = backend.deflateRaw(data, { level: options.level ?? 6, memLevel: options.memLevel ?? 8 });
  const total = GZIP_HEADER.length + body.length + 8;
  const size = options.pad512 === true ? Math.ceil(total / 512) * 512 : total;
  const out = new Uint8Array(size);
  out.set(GZIP_HEADER, 0);
  out.set(body, 10);
  out.set(gzipTrailer(crc32(data), data.length), 10 + body.length);
  return out;
}

/** Options of {@link decodeGzip}. */
export interface GunzipOptions {
  /** Cap on the inflated size (default {@link MAX_EFS_INFLATED_BYTES}). */
  readonly maxInflatedBytes?: number;
  /** Offset of the gzip in the outer file (for error offsets). */
  readonly baseOffset?: number;
}

/**
 * Checks a gzip member's header as the modem does (CM 8, FLG bits 5–7 clear) and returns where the deflate data
 * starts (FEXTRA, FNAME, FCOMMENT, FHCRC skipped). Shared by {@link decodeGzip} and the Node streaming reader.
 * @throws NvError `NV_EFS_BAD_GZIP_HEADER`, `NV_TRUNCATED`
 */
export function gzipHeaderEnd(bytes: Uint8Array, base = 0): number {
  const bad = (msg: string, at: number): never => {
    throw new NvError('NV_EFS_BAD_GZIP_HEADER', msg, { offset: base + at });
  };
  if (bytes.length < 18) {
    if (!hasGzipMagic(bytes)) bad('not a gzip file (no 1F 8B)', 0);
    throw new NvError('NV_TRUNCATED', `a gzip member needs at least 18 bytes, the file has ${bytes.length}`, {
      offset: base + bytes.length,
    });
  }
  if (!hasGzipMagic(bytes)) bad('not a gzip file (no 1F 8B)', 0);
  if (bytes[2] !== 8) bad(`gzip compression method ${bytes[2]} is not 8 (deflate); the modem refuses it (§5 #10)`, 2);
  const flg = bytes[3] as number;
  if ((flg & 0xe0) !== 0)
    bad(`gzip FLG ${flg.toString(16).padStart(2, '0')} has reserved bits 5-7 set; the modem refuses it (§5 #10)`, 3);
  let at = 10;
  const need = (n: number): void => {
    if (at + n > bytes.length)
      throw new NvError('NV_TRUNCATED', 'the gzip header runs past the end of the file', {
        offset: base + bytes.length,
      });
  };
  if (flg & 4) {
    need(2);
    const xlen = (bytes[at] as number) | ((bytes[at + 1] as number) << 8);
    at += 2;
    need(xlen);
    at += xlen;
  }
  for (const bit of [8, 16]) {
    if (flg & bit) {
      while (true) {
        need(1);
        if (bytes[at++] === 0) break;
      }
    }
  }
  if (flg & 2) {
    need(2);
    at += 2;
  }
  return at;
}

/**
 * Reads the first gzip member (docs/formats/efs-tar.md#unwrap): header checks as the modem (CM 8, FLG bits 5–7 clear; FEXTRA, FNAME,
 * FCOMMENT, FHCRC skipped), then CRC32 and ISIZE verified. Bytes after the member are a warning (device dumps pad
 * to 512 B with garbage).
 * @throws NvError `NV_EFS_BAD_GZIP_HEADER`, `NV_EFS_BAD_GZIP_DATA`, `NV_LIMIT`, `NV_TRUNCATED`
 * @example const { data } = decodeGzip(bytes, backend);
 */
export function decodeGzip(
  bytes: Uint8Array,
  backend: DeflateBackend,
  options: GunzipOptions = {},
): { data: Uint8Array; memberBytes: number; warnings: EfsWarning[] } {
  const base = options.baseOffset ?? 0;
  const max = options.maxInflatedBytes ?? MAX_EFS_INFLATED_BYTES;
  const at = gzipHeaderEnd(bytes, base);
  checkLimit('maxInflatedBytes', max, Number.MAX_SAFE_INTEGER);
  let inflated: { data: Uint8Array; consumed: number };
  // The ISIZE of a member that ends the input (fs_image.tar.gz, an image's code segment): a size hint only.
  const hint =
    bytes.length >= at + 8
      ? new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true)
      : undefined;
  try {
    inflated = backend.inflateRaw(bytes.subarray(at), max, hint);
  } catch (cause) {
    if (NvError.isInstance(cause)) throw cause;
    throw new NvError('NV_EFS_BAD_GZIP_DATA', `the deflate data is damaged: ${(cause as Error).message}`, {
      offset: base + at,
      cause,
    });
  }
  const end = at + inflated.consumed;
  if (end + 8 > bytes.length)
    throw new NvError('NV_TRUNCATED', 'the gzip member has no CRC32/ISIZE trailer; the file was cut short', {
      offset: base + bytes.length,
    });
  const v = new DataView(bytes.buffer, bytes.byteOffset + end, 8);
  const crc = v.getUint32(0, true);
  const isize = v.getUint32(4, true);
  const actual = crc32(inflated.data);
  if (crc !== actual)
    throw new NvError('NV_EFS_BAD_GZIP_DATA', `gzip CRC32 is ${hex8(crc)} but the data has ${hex8(actual)}`, {
      offset: base + end,
    });
  if (isize !== inflated.data.length % 2 ** 32)
    throw new NvError('NV_EFS_BAD_GZIP_DATA', `gzip ISIZE is ${isize} but the data has ${inflated.data.length} bytes`, {
      offset: base + end + 4,
    });
  const warnings: EfsWarning[] = [];
  const memberBytes = end + 8;
  if (memberBytes < bytes.length) {
    const zero = bytes.subarray(memberBytes).every((b) => b === 0);
    const second = hasGzipMagic(bytes, memberBytes);
    warnings.push({
      code: 'NV_EFS_GZIP_TRAILING_DATA',
      message: `${bytes.length - memberBytes} bytes after the gzip member are ignored${second ? ' (a second gzip member: only the first is read)' : zero ? ' (zero padding)' : ' (normal for device dumps, padded to 512 B)'}`,
      offset: base + memberBytes,
    });
  }
  return { data: inflated.data, memberBytes, warnings };
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
