/// <reference path="./types/ext2fs.d.ts" />
/**
 * A new ext partition image (nvdata, protect1/protect2) from files: {@link formatExt4Image} writes an empty
 * filesystem, then libext2fs (`ext2fs`, WASM) creates every folder and file in it, sets owners and modes. No file
 * byte is placed by this package. Node-only (`ext2fs` runs on Node buffers).
 * @module
 */
import { NvError } from '@nv/core';
import type { Ext2fsDisk, Ext2fsPromises } from 'ext2fs';
import { EXT4_FORMAT_BLOCK_SIZE, formatExt4Image, type Ext4FormatOptions } from './ext4-format.ts';

/** One entry to put in a new image. Parent folders not listed are created with the folder defaults. */
export interface Ext4BuildEntry {
  /** Path inside the image, `/`-separated, no leading `/` (e.g. `md/NVRAM/NVD_IMEI/LD0B_001`). */
  readonly path: string;
  readonly type: 'file' | 'dir';
  /** File content (files only; default empty). */
  readonly bytes?: Uint8Array;
  /** Permission bits (default {@link EXT4_BUILD_DEFAULTS}). */
  readonly mode?: number;
  readonly uid?: number;
  readonly gid?: number;
}

/** Options of {@link buildExt4Image}. */
export interface Ext4BuildOptions extends Omit<Ext4FormatOptions, 'rootUid' | 'rootGid' | 'rootMode'> {
  /** Image size in bytes (the partition size). Default: the files plus a quarter, at least 1 MiB, whole MiB. */
  readonly size?: number;
  /** Owner, group and mode of entries that name none, and of the root folder. */
  readonly defaults?: { uid?: number; gid?: number; dirMode?: number; fileMode?: number };
  /** File name for errors. */
  readonly path?: string;
}

/**
 * Owner and modes given to entries without their own: Android's `system:system` (1000:1000), folders 0771 and
 * files 0660, as MediaTek's init scripts create `/mnt/vendor/nvdata` and the NVRAM daemon its files.
 */
export const EXT4_BUILD_DEFAULTS = { uid: 1000, gid: 1000, dirMode: 0o771, fileMode: 0o660 } as const;

const MIB = 1024 * 1024;

/** The default image size for `entries`: data blocks, one inode each, plus a quarter, in whole MiB, at least 1 MiB. */
function fitSize(entries: readonly Ext4BuildEntry[]): number {
  let blocks = 0;
  for (const e of entries)
    blocks += e.type === 'dir' ? 1 : Math.ceil((e.bytes?.length ?? 0) / EXT4_FORMAT_BLOCK_SIZE) + 1;
  const bytes = blocks * EXT4_FORMAT_BLOCK_SIZE + entries.length * 256 + 512 * 1024;
  return Math.max(MIB, Math.ceil((bytes * 1.25) / MIB) * MIB);
}

function cleanPath(p: string, path?: string): string[] {
  const parts = p.split('/').filter((x) => x !== '' && x !== '.');
  if (parts.length === 0 || parts.includes('..') || parts.some((x) => x.length > 255 || x.includes('\0')))
    throw new NvError('NV_BAD_INPUT', `"${p}" is not a path inside an image`, { path });
  return parts;
}

const errnoOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

/**
 * Builds an image holding `entries`: formatted empty, then filled through libext2fs (mkdir, writeFile, chown, chmod).
 * @throws NvError `NV_LID_IMAGE_FULL` when the files do not fit `size`, `NV_BAD_INPUT` for a bad path or a path
 *   given twice, `NV_LIMIT` for a size out of range, `NV_LID_IMAGE_BAD` when libext2fs fails.
 * @example const img = await buildExt4Image([{ path: 'md/NVRAM/NVD_IMEI/LD0B_001', type: 'file', bytes }])
 */
export async function buildExt4Image(
  entries: readonly Ext4BuildEntry[],
  options: Ext4BuildOptions = {},
): Promise<Uint8Array<ArrayBuffer>> {
  const d = { ...EXT4_BUILD_DEFAULTS, ...options.defaults };
  const { size: wanted, defaults: _d, path, ...format } = options;
  const size = wanted ?? fitSize(entries);
  const image = formatExt4Image(size, { ...format, rootUid: d.uid, rootGid: d.gid, rootMode: d.dirMode });
  // Every folder and file once, parents first; a folder implied by a path takes the defaults.
  const byPath = new Map<string, Ext4BuildEntry>();
  for (const e of entries) {
    const key = cleanPath(e.path, path).join('/');
    if (byPath.has(key)) throw new NvError('NV_BAD_INPUT', `"${key}" is given twice`, { path });
    byPath.set(key, e);
  }
  const dirs = new Set<string>();
  for (const [key, e] of byPath) {
    const parts = key.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
    if (e.type === 'dir') dirs.add(key);
    else if (e.type !== 'file') throw new NvError('NV_BAD_INPUT', `"${key}": type must be file or dir`, { path });
  }
  for (const dir of dirs)
    if (byPath.get(dir)?.type === 'file')
      throw new NvError('NV_BAD_INPUT', `"${dir}" is a file and a folder`, { path });
  // Room check before libext2fs runs (it reports a full disk as a bare errno): data blocks with their indirect
  // blocks, one block per folder plus its entries, one inode each.
  const blocksOf = (n: number): number => {
    const data = Math.ceil(n / EXT4_FORMAT_BLOCK_SIZE);
    const per = EXT4_FORMAT_BLOCK_SIZE / 4;
    const ind = data > 12 ? 1 : 0;
    const dbl = data > 12 + per ? 1 + Math.ceil((data - 12 - per) / per) : 0;
    return data + ind + dbl;
  };
  let need = 0;
  const dirBytes = new Map<string, number>();
  for (const key of [...dirs, ...[...byPath.keys()].filter((k) => !dirs.has(k))]) {
    const parent = key.includes('/') ? key.slice(0, key.lastIndexOf('/')) : '';
    const name = key.slice(key.lastIndexOf('/') + 1);
    dirBytes.set(parent, (dirBytes.get(parent) ?? 24) + 8 + Math.ceil(name.length / 4) * 4);
    const e = byPath.get(key);
    if (e?.type === 'file') need += blocksOf(e.bytes?.length ?? 0);
  }
  for (const [dir, bytes] of dirBytes) need += Math.ceil(bytes / EXT4_FORMAT_BLOCK_SIZE) - (dir === '' ? 1 : 0);
  for (const dir of dirs) if (!dirBytes.has(dir)) need += 1;
  const sb = new DataView(image.buffer, 1024, 1024);
  const freeBlocks = sb.getUint32(12, true);
  const freeInodes = sb.getUint32(16, true);
  const inodes = dirs.size + [...byPath.values()].filter((e) => e.type === 'file').length;
  if (need > freeBlocks || inodes > freeInodes)
    throw new NvError(
      'NV_LID_IMAGE_FULL',
      `the files need ${need} blocks of ${EXT4_FORMAT_BLOCK_SIZE} bytes and ${inodes} inodes; an image of ${size} bytes has ${freeBlocks} and ${freeInodes} free: give a larger size`,
      { path, data: { size, needBlocks: need, freeBlocks, needInodes: inodes, freeInodes } },
    );
  const disk: Ext2fsDisk = {
    async read(buffer, bufferOffset, length, fileOffset) {
      buffer.set(image.subarray(fileOffset, fileOffset + length), bufferOffset);
      return { bytesRead: length, buffer };
    },
    async write(buffer, bufferOffset, length, fileOffset) {
      if (fileOffset + length > image.length) throw new RangeError('write beyond the image');
      image.set(buffer.subarray(bufferOffset, bufferOffset + length), fileOffset);
      return { bytesWritten: length, buffer };
    },
    async discard() {},
    async flush() {},
  };
  const { withMountedDisk } = await import('ext2fs');
  let current = '';
  const own = async (fs: Ext2fsPromises, key: string, e: Ext4BuildEntry | undefined, dir: boolean) => {
    await fs.chown(`/${key}`, e?.uid ?? d.uid, e?.gid ?? d.gid);
    await fs.chmod(`/${key}`, e?.mode ?? (dir ? d.dirMode : d.fileMode));
  };
  try {
    await withMountedDisk(disk, 0, async ({ promises: fs }) => {
      for (const dir of [...dirs].sort()) {
        current = dir;
        await fs.mkdir(`/${dir}`);
        await own(fs, dir, byPath.get(dir), true);
      }
      for (const [key, e] of [...byPath].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
        if (e.type !== 'file') continue;
        current = key;
        const b = e.bytes ?? new Uint8Array();
        await fs.writeFile(`/${key}`, Buffer.from(b.buffer, b.byteOffset, b.byteLength));
        await own(fs, key, e, false);
      }
    });
  } catch (error) {
    if (NvError.isInstance(error)) throw error;
    const code = errnoOf(error);
    // ENOSPC, or libext2fs's EXT2_ET_BLOCK_ALLOC_FAIL / EXT2_ET_INODE_ALLOC_FAIL as a bare errno.
    const errno = (error as { errno?: unknown } | null)?.errno;
    if (code === 'ENOSPC' || errno === 2133571400 || errno === 2133571399)
      throw new NvError(
        'NV_LID_IMAGE_FULL',
        `/${current} does not fit: ${size} bytes are too few (give a larger size)`,
        {
          path,
          cause: error,
          data: { size },
        },
      );
    throw new NvError('NV_LID_IMAGE_BAD', `/${current}: libext2fs failed (${code ?? String(error)})`, {
      path,
      cause: error,
    });
  }
  return image;
}
