/// <reference path="./types/ext2fs.d.ts" />
/**
 * ext2/3/4 partition images (`nvdata`, `protect1`/`protect2`, `protect_f`/`protect_s`) read and patched without
 * mounting, through libext2fs compiled to WASM (`ext2fs`, loaded on first use). Every call works on a copy of the
 * image bytes: the caller's bytes and the image file are never changed.
 * @module
 */
import { NvError, SILENT_PROGRESS, type ProgressReporter } from '@nv/core';
import { readFileLimited } from '@nv/core/node';
import type { Ext2fsDisk, Ext2fsPromises, Ext2fsStats } from 'ext2fs';
import { ext4SelinuxLabel } from './ext4-xattr.ts';

/** Largest partition image read into memory (nvdata is 32–64 MiB on current phones). */
export const EXT4_IMAGE_MAX_BYTES: number = 1024 * 1024 * 1024;
/** Most entries listed from one image. */
export const EXT4_IMAGE_MAX_ENTRIES = 200_000;

/** One entry of an image ({@link listExt4Image}). */
export interface Ext4ImageEntry {
  /** Path inside the image, without a leading `/` (e.g. `md/NVRAM/NVD_IMEI/LD0B_001`). */
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'other';
  size: number;
  /** Permission bits (`st_mode & 0o7777`). */
  mode: number;
  uid: number;
  gid: number;
  inode: number;
  /** SELinux label (`security.selinux`, e.g. `u:object_r:nvdata_file:s0`); null when the inode has none. */
  label: string | null;
}

const SUPERBLOCK = 1024;
const MAGIC_AT = SUPERBLOCK + 56;

/** A copy-on-use disk over a byte array for ext2fs. */
class BytesDisk implements Ext2fsDisk {
  readonly bytes: Uint8Array;
  constructor(bytes: Uint8Array) {
    this.bytes = bytes;
  }
  async read(buffer: Uint8Array, bufferOffset: number, length: number, fileOffset: number): Promise<unknown> {
    const end = Math.min(fileOffset + length, this.bytes.length);
    const got = Math.max(0, end - fileOffset);
    buffer.set(this.bytes.subarray(fileOffset, fileOffset + got), bufferOffset);
    buffer.fill(0, bufferOffset + got, bufferOffset + length);
    return { bytesRead: length, buffer };
  }
  async write(buffer: Uint8Array, bufferOffset: number, length: number, fileOffset: number): Promise<unknown> {
    if (fileOffset + length > this.bytes.length) throw new RangeError('write beyond the image');
    this.bytes.set(buffer.subarray(bufferOffset, bufferOffset + length), fileOffset);
    return { bytesWritten: length, buffer };
  }
  async discard(): Promise<void> {}
  async flush(): Promise<void> {}
}

/**
 * Checks the ext superblock magic (0xEF53 at byte 1080) so a wrong file fails with an offset, not a WASM errno.
 * @throws NvError `NV_LID_IMAGE_BAD`.
 * @example checkExt4Magic(bytes, 'nvdata.img')
 */
export function checkExt4Magic(bytes: Uint8Array, path?: string): void {
  if (bytes.length < SUPERBLOCK + 1024 || bytes[MAGIC_AT] !== 0x53 || bytes[MAGIC_AT + 1] !== 0xef)
    throw new NvError(
      'NV_LID_IMAGE_BAD',
      bytes.length < SUPERBLOCK + 1024
        ? `${bytes.length} bytes are too few for an ext2/3/4 image`
        : bytes[0] === 0x3a && bytes[1] === 0xff && bytes[2] === 0x26 && bytes[3] === 0xed
          ? 'this is an Android sparse image: convert it with simg2img first'
          : 'no ext2/3/4 superblock magic 0xEF53 at byte 1080: not an nvdata/protect partition image',
      { path, offset: Math.min(MAGIC_AT, bytes.length) },
    );
}

const errnoOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

function imageError(error: unknown, what: string, path?: string): NvError {
  if (NvError.isInstance(error)) return error;
  const code = errnoOf(error);
  if (code === 'ENOENT' || code === 'ENOTDIR')
    return new NvError('NV_LID_IMAGE_NO_FILE', `${what}: no such file in the image`, { path, cause: error });
  if (code === 'ENOSPC') return new NvError('NV_LID_IMAGE_FULL', `${what}: the image is full`, { path, cause: error });
  return new NvError('NV_LID_IMAGE_BAD', `${what}: libext2fs failed (${code ?? String(error)})`, {
    path,
    cause: error,
  });
}

async function withImage<T>(bytes: Uint8Array, path: string | undefined, fn: (fs: Ext2fsPromises) => Promise<T>) {
  checkExt4Magic(bytes, path);
  const { withMountedDisk } = await import('ext2fs');
  const disk = new BytesDisk(bytes);
  let inner: unknown;
  try {
    return await withMountedDisk(disk, 0, async ({ promises }) => {
      try {
        return await fn(promises);
      } catch (error) {
        inner = error;
        throw error;
      }
    });
  } catch (error) {
    throw imageError(inner ?? error, inner === undefined ? 'cannot open the image' : 'image access', path);
  }
}

// ext2fs's readFile decodes to a string by default: read through a descriptor into a Buffer instead.
async function readWhole(fs: Ext2fsPromises, abs: string, size: number, path?: string): Promise<Uint8Array> {
  const buf = Buffer.alloc(size);
  const fd = (await fs.open(abs, 0)).fd; // O_RDONLY; a FileHandle whose close() is not awaitable
  try {
    let got = 0;
    while (got < size) {
      const { bytesRead } = await fs.read(fd, buf, got, size - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
    }
    if (got !== size)
      throw new NvError('NV_LID_IMAGE_BAD', `${abs}: the inode says ${size} bytes, ${got} could be read`, { path });
  } finally {
    await fs.close(fd);
  }
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Free blocks and block size from the superblock (for a clear "image full" before libext2fs fails). */
function freeSpace(bytes: Uint8Array): { blockSize: number; freeBlocks: number } {
  const dv = new DataView(bytes.buffer, bytes.byteOffset + SUPERBLOCK, 1024);
  const blockSize = 1024 << dv.getUint32(24, true);
  const is64 = (dv.getUint32(0x60, true) & 0x80) !== 0 && dv.getUint16(0xfe, true) >= 64;
  const freeBlocks = dv.getUint32(12, true) + (is64 ? dv.getUint32(0x158, true) * 2 ** 32 : 0);
  return { blockSize, freeBlocks };
}

const typeOf = (st: Ext2fsStats): Ext4ImageEntry['type'] =>
  st.isFile() ? 'file' : st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'symlink' : 'other';

async function statEntry(fs: Ext2fsPromises, abs: string): Promise<Ext2fsStats | undefined> {
  try {
    return await fs.lstat(abs);
  } catch (error) {
    if (errnoOf(error) === 'ELOOP') return undefined; // a symlink: lstat opens with O_NOFOLLOW
    throw error;
  }
}

async function walk(fs: Ext2fsPromises, dir: string, out: Ext4ImageEntry[], path?: string): Promise<void> {
  const names = (await fs.readdir(dir === '' ? '/' : `/${dir}`)).sort();
  for (const name of names) {
    if (name === '.' || name === '..') continue;
    const rel = dir === '' ? name : `${dir}/${name}`;
    const st = await statEntry(fs, `/${rel}`);
    if (out.length >= EXT4_IMAGE_MAX_ENTRIES)
      throw new NvError('NV_LIMIT', `more than ${EXT4_IMAGE_MAX_ENTRIES} entries in the image`, { path });
    if (!st) {
      out.push({ path: rel, type: 'symlink', size: 0, mode: 0o777, uid: 0, gid: 0, inode: 0, label: null });
      continue;
    }
    const type = typeOf(st);
    const e = { path: rel, type, size: st.size, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, inode: st.ino };
    out.push({ ...e, label: null });
    if (type === 'dir' && name !== 'lost+found') await walk(fs, rel, out, path);
  }
}

/**
 * Every entry of an ext image, depth-first in name order (`lost+found` not descended).
 * @throws NvError `NV_LID_IMAGE_BAD`, `NV_LIMIT`.
 * @example (await listExt4Image(bytes)).filter((e) => e.type === 'file')
 */
export async function listExt4Image(bytes: Uint8Array, options: { path?: string } = {}): Promise<Ext4ImageEntry[]> {
  const copy = Uint8Array.from(bytes);
  const out = await withImage(copy, options.path, async (fs) => {
    const out: Ext4ImageEntry[] = [];
    await walk(fs, '', out, options.path);
    return out;
  });
  // Labels from the caller's bytes by our own reader (ext2fs has no xattr API): ext4-xattr.ts.
  for (const e of out) if (e.inode !== 0) e.label = ext4SelinuxLabel(bytes, e.inode) ?? null;
  return out;
}

/**
 * Reads the regular files of an image (all, or those `filter` keeps) into a map by image path.
 * @throws NvError `NV_LID_IMAGE_BAD`, `NV_LIMIT`.
 * @example await readExt4Files(bytes, { filter: (p) => p.startsWith('md/NVRAM/') })
 */
export async function readExt4Files(
  bytes: Uint8Array,
  options: { path?: string; filter?: (path: string) => boolean; progress?: ProgressReporter } = {},
): Promise<Map<string, Uint8Array>> {
  const copy = Uint8Array.from(bytes);
  const progress = options.progress ?? SILENT_PROGRESS;
  return withImage(copy, options.path, async (fs) => {
    const entries: Ext4ImageEntry[] = [];
    await walk(fs, '', entries, options.path);
    const files = entries.filter((e) => e.type === 'file' && (options.filter?.(e.path) ?? true));
    const out = new Map<string, Uint8Array>();
    progress.start('reading image files', files.length, 'files');
    try {
      for (const f of files) {
        out.set(f.path, await readWhole(fs, `/${f.path}`, f.size, options.path));
        progress.update(out.size);
      }
    } finally {
      progress.end();
    }
    return out;
  });
}

/** Options of {@link putExt4File}. */
export interface Ext4PutOptions {
  /** File name for errors. */
  readonly path?: string;
  /** Create the file when it is not in the image (default: refuse; a created file gets no SELinux label). */
  readonly create?: boolean;
}

/** Owner, mode, inode and SELinux label of the target before and after {@link putExt4File}: the listing's fields. */
export type Ext4PutStat = Pick<Ext4ImageEntry, 'size' | 'mode' | 'uid' | 'gid' | 'inode' | 'label'>;

/** Result of {@link putExt4File}. */
export interface Ext4PutResult {
  /** The new image (same size as the input). */
  image: Uint8Array<ArrayBuffer>;
  /** `replaced` kept the inode (owner, mode, xattrs such as security.selinux); `created` is a new inode. */
  action: 'replaced' | 'created';
  before?: Ext4PutStat;
  after: Ext4PutStat;
  /** Non-fatal findings (`NV_LID_IMAGE_NO_LABEL` for a created file). */
  warnings: { code: string; message: string }[];
}

const pick = (st: Ext2fsStats): Ext4PutStat => ({
  size: st.size,
  mode: st.mode & 0o7777,
  uid: st.uid,
  gid: st.gid,
  inode: st.ino,
  label: null,
});

/**
 * Writes `body` to `target` (a path inside the image) in a copy of the image. An existing file is rewritten in place
 * (truncate + write on the same inode), so its owner, mode and extended attributes (the SELinux label) stay; a new
 * file (only with `create`) takes the owner, group and mode of its siblings (else of its folder, without x bits).
 * @throws NvError `NV_LID_IMAGE_NO_FILE`, `NV_LID_IMAGE_FULL`, `NV_LID_IMAGE_BAD`.
 * @example const { image } = await putExt4File(bytes, 'md/NVRAM/NVD_IMEI/LD0B_001', lid)
 */
export async function putExt4File(
  bytes: Uint8Array,
  target: string,
  body: Uint8Array,
  options: Ext4PutOptions = {},
): Promise<Ext4PutResult> {
  const image = Uint8Array.from(bytes);
  const rel = target.split('/').filter((x) => x !== '' && x !== '.');
  if (rel.length === 0 || rel.includes('..'))
    throw new NvError('NV_LID_IMAGE_NO_FILE', `"${target}" is not a file path inside the image`, {
      path: options.path,
    });
  const abs = `/${rel.join('/')}`;
  const dir = `/${rel.slice(0, -1).join('/')}`;
  const result = await withImage(image, options.path, async (fs) => {
    let before: Ext2fsStats | undefined;
    try {
      before = await fs.lstat(abs);
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT') throw error;
    }
    const warnings: Ext4PutResult['warnings'] = [];
    const { blockSize, freeBlocks } = freeSpace(image);
    // Data blocks plus one block of slack for an extent/indirect block per 1024 data blocks.
    const need = (n: number): number => Math.ceil(n / blockSize) + Math.ceil(n / blockSize / 1024);
    const extra = need(body.length) - (before ? need(before.size) : 0);
    if (extra > freeBlocks)
      throw new NvError(
        'NV_LID_IMAGE_FULL',
        `${abs} needs ${extra} more blocks of ${blockSize} bytes; the image has ${freeBlocks} free`,
        { path: options.path, data: { need: extra, free: freeBlocks } },
      );
    if (before && !before.isFile())
      throw new NvError('NV_LID_IMAGE_NO_FILE', `${abs} is not a regular file in the image`, { path: options.path });
    if (!before) {
      if (options.create !== true)
        throw new NvError(
          'NV_LID_IMAGE_NO_FILE',
          `${abs} is not in the image: give --create to add it (it gets no SELinux label)`,
          { path: options.path, data: { target: abs } },
        );
      let parent: Ext2fsStats;
      try {
        parent = await fs.stat(dir);
      } catch (error) {
        throw imageError(error, `folder ${dir}`, options.path);
      }
      let model: Ext2fsStats | undefined;
      for (const n of (await fs.readdir(dir)).sort()) {
        if (n === '.' || n === '..') continue;
        const st = await statEntry(fs, `${dir === '/' ? '' : dir}/${n}`);
        if (st?.isFile()) {
          model = st;
          break;
        }
      }
      await fs.writeFile(abs, Buffer.from(body.buffer, body.byteOffset, body.byteLength));
      await fs.chown(abs, (model ?? parent).uid, (model ?? parent).gid);
      await fs.chmod(abs, model ? model.mode & 0o7777 : parent.mode & 0o6666);
      warnings.push({
        code: 'NV_LID_IMAGE_NO_LABEL',
        message: `${abs} was created without an SELinux label: run restorecon on the device after flashing`,
      });
    } else await fs.writeFile(abs, Buffer.from(body.buffer, body.byteOffset, body.byteLength));
    const after = await fs.lstat(abs);
    const result: Ext4PutResult = {
      image,
      action: before ? 'replaced' : 'created',
      after: pick(after),
      warnings,
    };
    if (before) result.before = pick(before);
    return result;
  });
  // The rewrite keeps the inode, so its xattrs stay; checked with our reader, never assumed (README, Decisions).
  result.after.label = ext4SelinuxLabel(image, result.after.inode) ?? null;
  if (result.before) {
    result.before.label = ext4SelinuxLabel(bytes, result.before.inode) ?? null;
    const b = result.before;
    const a = result.after;
    if (b.label !== a.label || b.uid !== a.uid || b.gid !== a.gid || b.mode !== a.mode || b.inode !== a.inode)
      throw new NvError(
        'NV_LID_IMAGE_BAD',
        `${target}: owner, mode or SELinux label changed in the rewrite (${JSON.stringify(b)} → ${JSON.stringify(a)}); no image written`,
        { path: options.path },
      );
  }
  return result;
}

/**
 * Reads an image file (whole, up to {@link EXT4_IMAGE_MAX_BYTES}) and checks its magic.
 * @throws NvError `NV_NOT_FOUND`/`NV_IO`, `NV_LIMIT`, `NV_LID_IMAGE_BAD`.
 * @example const bytes = await readExt4ImageFile('nvdata.img')
 */
export async function readExt4ImageFile(path: string): Promise<Uint8Array> {
  const bytes = await readFileLimited(path, EXT4_IMAGE_MAX_BYTES);
  checkExt4Magic(bytes, path);
  return bytes;
}
