/**
 * Reading a big plain `fs_image.tar.gz` or tar as a stream (issue 17: `ls` and `unpack` with bounded memory): the
 * file is read in chunks, inflated by node:zlib's stream, and the tar read incrementally ({@link TarReader}); the
 * gzip header, CRC-32, ISIZE and trailing-data rules are those of `decodeGzip`, the tar rules those of `decodeTar`.
 * Memory is bounded by the largest tar member, not the image.
 * @module
 */
import { open, type FileHandle } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { NvError } from '@nv/core';
import { toNvIoError } from '@nv/core/node';
import { detectSignedImage } from '@nv/qcom-fsg-sign';
import { hasGzipMagic, isTarHeader } from '@nv/qcom-fsg-sign/container';
import { MAX_EFS_INFLATED_BYTES, crc32, gzipHeaderEnd } from './gzip.ts';
import type { ReadEfsImageOptions } from './image.ts';
import { TarReader, TarTreeBuilder, type TarMember } from './tar.ts';
import type { EfsEntry, EfsTree, EfsWarning } from './tree.ts';

/** Image files above this size that are a plain tar or tar.gz are streamed (16 MiB; smaller ones are read whole). */
export const STREAM_THRESHOLD: number = 16 * 1024 * 1024;

const CHUNK = 256 * 1024;
const NO_DATA = new Uint8Array(0);

/** What {@link streamEfsImage} found. */
export interface StreamedImage {
  readonly chain: string[];
  /** The tree without file data (empty arrays): the data went to `onMember`. */
  readonly tree: EfsTree;
  readonly warnings: EfsWarning[];
}

/** node:zlib's CRC-32 (Node ≥ 20.15) with the pure one as fallback: the same numbers. */
const crc: (data: Uint8Array, value: number) => number =
  typeof zlib.crc32 === 'function' ? (d, v) => zlib.crc32(d, v) : (d, v) => crc32(d, v);

/** A growable byte window: appended chunks, consumed from the front. */
class Window {
  buf = new Uint8Array(CHUNK * 2);
  len = 0;
  push(c: Uint8Array): void {
    if (this.len + c.length > this.buf.length) {
      const next = new Uint8Array(Math.max(this.buf.length * 2, this.len + c.length));
      next.set(this.buf.subarray(0, this.len));
      this.buf = next;
    }
    this.buf.set(c, this.len);
    this.len += c.length;
  }
  consume(n: number): void {
    this.buf.copyWithin(0, n, this.len);
    this.len -= n;
  }
}

/**
 * Streams a plain tar or tar.gz file through the device tar rules, handing each member and the entry it makes (if
 * any) to `onMember`, which may be async (it is awaited before more is read). Returns `undefined` when the file is
 * not one to stream (small, or a signed container, ELF, or anything else `readEfsImageFile` handles).
 * @throws NvError the codes of `readEfsImage` for a tar/tar.gz, `NV_IO`
 */
export async function streamEfsImage(
  path: string,
  options: ReadEfsImageOptions,
  onMember: (m: TarMember, entry: EfsEntry | undefined) => void | Promise<void>,
): Promise<StreamedImage | undefined> {
  let fh: FileHandle | undefined;
  try {
    fh = await open(path, 'r');
    const size = (await fh.stat()).size;
    if (size <= STREAM_THRESHOLD) return undefined;
    const head = new Uint8Array(Math.min(size, 64 * 1024));
    await fh.read(head, 0, head.length, 0);
    if (detectSignedImage(head) !== undefined) return undefined;
    const gzip = hasGzipMagic(head);
    if (!gzip && !isTarHeader(head)) return undefined;
    const reader = new TarReader({ ...options, baseOffset: 0 });
    const builder = new TarTreeBuilder([]);
    const window = new Window();
    const pump = async (chunk: Uint8Array, final: boolean): Promise<void> => {
      window.push(chunk);
      const members: [TarMember, EfsEntry | undefined][] = [];
      const n = reader.feed(window.buf.subarray(0, window.len), final, (m) => members.push([m, builder.add(m)]));
      for (const [m, e] of members) await onMember(m, e);
      window.consume(n);
    };
    const gzWarnings: EfsWarning[] = [];
    if (gzip) {
      const start = gzipHeaderEnd(head, 0);
      const max = options.maxInflatedBytes ?? MAX_EFS_INFLATED_BYTES;
      const inflate = zlib.createInflateRaw();
      let value = 0;
      let out = 0;
      const feeder = (async () => {
        const buf = new Uint8Array(CHUNK);
        for (let pos = start; pos < size;) {
          const { bytesRead } = await (fh as FileHandle).read(buf, 0, Math.min(CHUNK, size - pos), pos);
          if (bytesRead === 0) break;
          pos += bytesRead;
          if (!inflate.write(buf.slice(0, bytesRead))) await new Promise<void>((r) => inflate.once('drain', () => r()));
          if (inflate.destroyed || inflate.writableEnded) break;
        }
        inflate.end();
      })();
      try {
        for await (const piece of inflate as AsyncIterable<Buffer>) {
          const c = new Uint8Array(piece.buffer, piece.byteOffset, piece.byteLength);
          out += c.length;
          if (out > max)
            throw new NvError('NV_LIMIT', `the gzip data inflates to more than ${max} bytes`, {
              data: { what: 'maxInflatedBytes', max },
            });
          value = crc(c, value);
          await pump(c, false);
        }
      } catch (cause) {
        inflate.destroy();
        await feeder.catch(() => undefined);
        if (NvError.isInstance(cause)) throw cause;
        throw new NvError('NV_EFS_BAD_GZIP_DATA', `the deflate data is damaged: ${(cause as Error).message}`, {
          offset: start,
          cause,
        });
      }
      await feeder;
      const end = start + inflate.bytesWritten;
      if (end + 8 > size)
        throw new NvError('NV_TRUNCATED', 'the gzip member has no CRC32/ISIZE trailer; the file was cut short', {
          offset: size,
        });
      const t = new Uint8Array(8);
      await fh.read(t, 0, 8, end);
      const v = new DataView(t.buffer);
      const stored = v.getUint32(0, true);
      if (stored !== value >>> 0)
        throw new NvError(
          'NV_EFS_BAD_GZIP_DATA',
          `gzip CRC32 is ${hex8(stored)} but the data has ${hex8(value >>> 0)}`,
          { offset: end },
        );
      if (v.getUint32(4, true) !== out % 2 ** 32)
        throw new NvError(
          'NV_EFS_BAD_GZIP_DATA',
          `gzip ISIZE is ${v.getUint32(4, true)} but the data has ${out} bytes`,
          {
            offset: end + 4,
          },
        );
      await pump(new Uint8Array(0), true);
      const memberBytes = end + 8;
      if (memberBytes < size) {
        const first = new Uint8Array(2);
        await fh.read(first, 0, 2, memberBytes);
        const second = hasGzipMagic(first);
        let zero = true;
        const buf = new Uint8Array(CHUNK);
        for (let pos = memberBytes; pos < size && zero;) {
          const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, size - pos), pos);
          if (bytesRead === 0) break;
          for (let i = 0; i < bytesRead; i++) if (buf[i] !== 0) zero = false;
          pos += bytesRead;
        }
        gzWarnings.push({
          code: 'NV_EFS_GZIP_TRAILING_DATA',
          message: `${size - memberBytes} bytes after the gzip member are ignored${second ? ' (a second gzip member: only the first is read)' : zero ? ' (zero padding)' : ' (normal for device dumps, padded to 512 B)'}`,
          offset: memberBytes,
        });
      }
    } else {
      const buf = new Uint8Array(CHUNK);
      for (let pos = 0; pos < size;) {
        const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, size - pos), pos);
        if (bytesRead === 0) break;
        pos += bytesRead;
        await pump(buf.subarray(0, bytesRead), false);
      }
      await pump(new Uint8Array(0), true);
    }
    // The members' data were views of the window, handed to onMember; the tree keeps the metadata only.
    const tree = { entries: builder.finish().entries.map((e) => (e.data !== undefined ? { ...e, data: NO_DATA } : e)) };
    return {
      chain: gzip ? ['gzip', 'tar'] : ['tar'],
      tree,
      warnings: [...gzWarnings, ...reader.warnings, ...builder.warnings],
    };
  } catch (error) {
    if (NvError.isInstance(error)) throw error.path === undefined ? error.withPath(path) : error;
    throw toNvIoError(error, path);
  } finally {
    await fh?.close();
  }
}

function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
