/**
 * `nv qcom efs repack`: archives made by host tars, read with tar-stream, rewritten as the device tar.
 * @module
 */
import { NvError, checkLimit, resolveLimits, type Limits } from '@nv/core';
import { readFileLimited } from '@nv/core/node';
import { hasGzipMagic } from '@nv/qcom-fsg-sign/container';
import { extract as tarExtract } from 'tar-stream';
import { decodeGzip } from './gzip.ts';
import { writeEfsImageFile } from './node-efs.ts';
import { NODE_DEFLATE } from './node-zlib.ts';
import { repackHostEntries, type HostTarEntry, type RepackOptions, type RepackRepair } from './repack.ts';
import type { EfsWarning } from './tree.ts';

/**
 * Reads an archive made by a host tar (GNU, bsdtar, pax, Python `tarfile`; ustar, GNU long names, pax headers,
 * V7) with tar-stream (docs/formats/index.md#libraries: read-only use, errors wrapped). Used by `repack` only: the device reader is
 * `decodeTar`, which applies the modem's rules instead.
 * @throws NvError `NV_EFS_BAD_HOST_TAR` (tar-stream refused the archive), `NV_LIMIT`
 * @example const entries = await readHostTar(tarBytes);
 */
export async function readHostTar(tar: Uint8Array, limits: Partial<Limits> = {}): Promise<HostTarEntry[]> {
  const max = resolveLimits(limits).maxEntries;
  const out: HostTarEntry[] = [];
  const ex = tarExtract({ allowUnknownFormat: true, filenameEncoding: 'latin1' } as Parameters<typeof tarExtract>[0]);
  try {
    ex.end(Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength));
    for await (const entry of ex) {
      const h = entry.header;
      const chunks: Buffer[] = [];
      for await (const c of entry as AsyncIterable<Buffer>) chunks.push(c);
      const data = Buffer.concat(chunks);
      checkLimit('entries in the archive', out.length + 1, max, {});
      const mtime = h.mtime instanceof Date ? Math.floor(h.mtime.getTime() / 1000) : Number.NaN;
      out.push({
        name: h.name,
        type: h.type,
        mode: h.mode,
        uid: h.uid,
        gid: h.gid,
        mtime,
        linkname: h.linkname ?? null,
        data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
        pax: (h.pax as Record<string, string> | null | undefined) ?? null,
      });
    }
  } catch (error) {
    if (NvError.isInstance(error)) throw error;
    throw new NvError(
      'NV_EFS_BAD_HOST_TAR',
      `the archive cannot be read as a tar (${(error as Error).message}); give a .tar or .tar.gz made by GNU tar, bsdtar or pax`,
      { cause: error, data: { entries: out.length } },
    );
  }
  return out;
}

/** Result of {@link repackEfsArchiveFile}. */
export interface RepackResult {
  readonly entries: number;
  readonly repairs: RepackRepair[];
  readonly warnings: EfsWarning[];
  readonly tarBytes: number;
  readonly gzBytes: number;
}

/**
 * `nv qcom efs repack`: a host-made `.tar`/`.tar.gz` → the device `fs_image.tar.gz` (V7, absolute names, item
 * bits), every repair listed ({@link repackHostEntries}).
 * @throws NvError `NV_EFS_BAD_HOST_TAR`, `NV_EFS_TAR_NAME_TOO_LONG`, `NV_EFS_BAD_PATH`, gzip codes,
 *   `NV_EFS_CONTAINER_UNKNOWN` (bzip2/xz/zstd: decompress first), `NV_EXISTS`, `NV_IO`
 * @example const { repairs } = await repackEfsArchiveFile('host.tar.gz', 'fs_image.tar.gz');
 */
export async function repackEfsArchiveFile(
  input: string,
  output: string,
  options: RepackOptions & { force?: boolean; gzip?: boolean } = {},
): Promise<RepackResult> {
  const bytes = await readFileLimited(input);
  try {
    let tar: Uint8Array = bytes;
    const warnings: EfsWarning[] = [];
    if (hasGzipMagic(bytes)) {
      const gz = decodeGzip(bytes, NODE_DEFLATE);
      for (const w of gz.warnings) warnings.push(w);
      tar = gz.data;
    } else {
      const kind =
        bytes[0] === 0x42 && bytes[1] === 0x5a && bytes[2] === 0x68
          ? 'bzip2'
          : bytes[0] === 0xfd && bytes[1] === 0x37 && bytes[2] === 0x7a && bytes[3] === 0x58
            ? 'xz'
            : bytes[0] === 0x28 && bytes[1] === 0xb5 && bytes[2] === 0x2f && bytes[3] === 0xfd
              ? 'zstd'
              : undefined;
      if (kind !== undefined)
        throw new NvError(
          'NV_EFS_CONTAINER_UNKNOWN',
          `the archive is ${kind}-compressed; decompress it first (${kind} -d) or re-create it as .tar.gz`,
          { offset: 0 },
        );
    }
    const r = repackHostEntries(await readHostTar(tar), options);
    for (const w of r.warnings) warnings.push(w);
    const w = await writeEfsImageFile(output, r.tree, {
      force: options.force === true,
      gzip: options.gzip !== false,
    });
    for (const x of w.warnings) warnings.push(x);
    return { entries: w.entries, repairs: r.repairs, warnings, tarBytes: w.tarBytes, gzBytes: w.gzBytes };
  } catch (error) {
    throw NvError.isInstance(error) && error.path === undefined ? error.withPath(input) : error;
  }
}
