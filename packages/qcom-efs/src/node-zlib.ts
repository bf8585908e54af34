/**
 * node:zlib for the pure modules: the {@link DeflateBackend} (byte-identical to the pure gzip framing) and the
 * streamed gzip of a chunk stream.
 * @module
 */
import * as zlib from 'node:zlib';
import { createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { NvError } from '@nv/core';
import { GZIP_HEADER, crc32, gzipTrailer, type DeflateBackend, type GzipOptions } from './gzip.ts';

/**
 * node:zlib as the deflate backend (docs/formats/index.md#libraries: byte-identical output, `maxOutputLength` → `NV_LIMIT`).
 * @example decodeGzip(bytes, NODE_DEFLATE)
 */
export const NODE_DEFLATE: DeflateBackend = {
  deflateRaw(data, { level, memLevel }) {
    const out = deflateRawSync(data, { level, memLevel, windowBits: 15 });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
  inflateRaw(data, maxOutputBytes, expectedBytes) {
    try {
      // Issue 17 (`sim qcom boot`): node:zlib joins its output pieces at the end, so a 60 MB payload briefly needs
      // twice its size. With the trailer's ISIZE as the piece size, a right hint gives one piece and no join (the
      // result is a view of it); a wrong one only costs the join again. The hint is capped by the limit and by what
      // deflate can expand this input to (1032:1), so a hostile ISIZE cannot reserve more than that. Without a
      // hint: pieces of up to 4 MiB (not 16 KiB), which are returned to the OS once joined.
      const plausible =
        expectedBytes !== undefined && expectedBytes > 0 && expectedBytes <= maxOutputBytes
          ? Math.min(expectedBytes, data.length * 1032)
          : 0;
      const chunkSize = plausible >= 64 << 10 ? plausible + 1 : Math.min(4 << 20, Math.max(64 << 10, data.length));
      const r = inflateRawSync(data, {
        info: true,
        chunkSize,
        maxOutputLength: Math.max(1, maxOutputBytes),
      } as Parameters<typeof inflateRawSync>[1] & { info: true }) as unknown as {
        buffer: Buffer;
        engine: { bytesWritten: number };
      };
      return {
        data: new Uint8Array(r.buffer.buffer, r.buffer.byteOffset, r.buffer.byteLength),
        consumed: r.engine.bytesWritten,
      };
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') {
        throw new NvError('NV_LIMIT', `the gzip data inflates to more than ${maxOutputBytes} bytes`, {
          data: { what: 'maxInflatedBytes', max: maxOutputBytes },
          cause: error,
        });
      }
      throw error;
    }
  },
};

/** node:zlib's CRC-32 (Node ≥ 20.15, native) with the pure one as fallback: the same numbers. */
const fastCrc32: (data: Uint8Array, crc: number) => number =
  typeof zlib.crc32 === 'function' ? (data, crc) => zlib.crc32(data, crc) : crc32;

/**
 * The gzip of a chunk stream, streamed through node:zlib with the packer's fixed header (docs/formats/efs-tar.md#compress).
 * @example await writeFileAtomic('f.tar.gz', gzipChunks(efsTarChunks(tree)));
 */
export async function* gzipChunks(
  chunks: Iterable<Uint8Array>,
  options: GzipOptions = {},
  stats: { inBytes: number; outBytes: number } = { inBytes: 0, outBytes: 0 },
): AsyncGenerator<Uint8Array, void, undefined> {
  const deflate = createDeflateRaw({ level: options.level ?? 6, memLevel: options.memLevel ?? 8, windowBits: 15 });
  let crc = 0;
  let size = 0;
  yield GZIP_HEADER;
  let out = GZIP_HEADER.length;
  // Issue 17: the tar comes as one small chunk per header and file; each write to the deflate stream costs a
  // round trip through the zlib binding, so they are gathered into 256 KiB batches (deflate's output does not
  // depend on how its input is split: the bytes stay those of encodeGzip, tested).
  const batch = new Uint8Array(256 * 1024);
  let used = 0;
  const write = async (c: Uint8Array): Promise<void> => {
    if (!deflate.write(c)) await new Promise<void>((r) => deflate.once('drain', () => r()));
  };
  const feeder = (async () => {
    for (const c of chunks) {
      crc = fastCrc32(c, crc);
      size += c.length;
      if (c.length >= batch.length) {
        if (used > 0) await write(batch.slice(0, used));
        used = 0;
        await write(c);
      } else {
        if (used + c.length > batch.length) {
          await write(batch.slice(0, used));
          used = 0;
        }
        batch.set(c, used);
        used += c.length;
      }
    }
    if (used > 0) await write(batch.slice(0, used));
    deflate.end();
  })();
  for await (const piece of deflate as AsyncIterable<Buffer>) {
    out += piece.length;
    yield new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength);
  }
  await feeder;
  yield gzipTrailer(crc, size);
  out += 8;
  if (options.pad512 === true && out % 512 !== 0) {
    const pad = 512 - (out % 512);
    out += pad;
    yield new Uint8Array(pad);
  }
  stats.inBytes = size;
  stats.outBytes = out;
}

/**
 * `encodeGzip(data, NODE_DEFLATE, options)` byte for byte, with node:zlib's native CRC-32 instead of the pure one
 * (issue 17: the pure CRC was a tenth of `efs pack`'s own work).
 * @example nodeGzip(tar) // the same bytes as encodeGzip(tar, NODE_DEFLATE)
 */
export function nodeGzip(data: Uint8Array, options: GzipOptions = {}): Uint8Array<ArrayBuffer> {
  const body = deflateRawSync(data, { level: options.level ?? 6, memLevel: options.memLevel ?? 8, windowBits: 15 });
  const total = GZIP_HEADER.length + body.length + 8;
  const out = new Uint8Array(options.pad512 === true ? Math.ceil(total / 512) * 512 : total);
  out.set(GZIP_HEADER, 0);
  out.set(body, GZIP_HEADER.length);
  out.set(gzipTrailer(fastCrc32(data, 0), data.length), GZIP_HEADER.length + body.length);
  return out;
}
