/**
 * A small pure reader of ext2/3/4 extended attributes (docs/formats/lid-table.md#partitions), for the
 * SELinux label (`security.selinux`) of the files of `nvdata`/`protect*` images: the `ext2fs` package has no xattr
 * API. From the public ext4 on-disk layout: the superblock (block size, inodes per group, inode size, 64-bit
 * group descriptors), the group descriptor's inode table, and in the inode the in-inode attribute area after
 * `i_extra_isize` and the attribute block `i_file_acl`, both starting with the magic 0xEA020000.
 * @module
 */
import { NvError } from '@nv/core';

const SB = 1024;
const XATTR_MAGIC = 0xea020000;
/** Name prefixes by `e_name_index`. */
const PREFIXES: Readonly<Record<number, string>> = {
  1: 'user.',
  2: 'system.posix_acl_access',
  3: 'system.posix_acl_default',
  4: 'trusted.',
  6: 'security.',
  7: 'system.',
  8: 'system.richacl',
};
const INCOMPAT_META_BG = 0x10;
const INCOMPAT_64BIT = 0x80;

const bad = (message: string, offset: number): NvError =>
  new NvError('NV_LID_IMAGE_BAD', `extended attributes: ${message}`, { offset });

/** Reads the entries of one attribute area: `start` = first entry, `base` = where value offsets count from. */
function readEntries(
  bytes: Uint8Array,
  dv: DataView,
  start: number,
  end: number,
  base: number,
  out: Map<string, Uint8Array>,
): void {
  let p = start;
  const dec = new TextDecoder('latin1');
  while (p + 4 <= end && dv.getUint32(p, true) !== 0) {
    if (p + 16 > end) throw bad(`entry header past the end of its area`, p);
    const nameLen = bytes[p]!;
    const index = bytes[p + 1]!;
    const valueOffs = dv.getUint16(p + 2, true);
    const valueInum = dv.getUint32(p + 4, true);
    const valueSize = dv.getUint32(p + 8, true);
    if (p + 16 + nameLen > end) throw bad(`entry name past the end of its area`, p);
    const name = (PREFIXES[index] ?? `index${index}.`) + dec.decode(bytes.subarray(p + 16, p + 16 + nameLen));
    if (valueInum !== 0) {
      // The value lives in its own inode (ea_inode feature): not read; the name is still listed.
      out.set(name, new Uint8Array(0));
    } else {
      const v = base + valueOffs;
      if (v + valueSize > end || v < base) throw bad(`value of ${name} (${valueSize} bytes) outside its area`, p);
      out.set(name, bytes.slice(v, v + valueSize));
    }
    p += (16 + nameLen + 3) & ~3;
  }
}

/**
 * The extended attributes of inode `inode` of an ext2/3/4 image, by full name (`security.selinux` → value bytes).
 * Values kept in a separate inode (ea_inode) are listed with an empty value.
 * @throws NvError `NV_LID_IMAGE_BAD` (with the byte offset) for a structure outside the image or a bad inode number.
 * @example new TextDecoder().decode(readExt4Xattrs(image, 15).get('security.selinux'))
 */
export function readExt4Xattrs(bytes: Uint8Array, inode: number): Map<string, Uint8Array> {
  if (bytes.length < SB + 1024) throw bad('the image is shorter than its superblock', 0);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint16(SB + 56, true) !== 0xef53) throw bad('no ext superblock magic 0xEF53', SB + 56);
  const inodesCount = dv.getUint32(SB, true);
  const firstDataBlock = dv.getUint32(SB + 20, true);
  const logBlock = dv.getUint32(SB + 24, true);
  if (logBlock > 6) throw bad(`block size 1024 << ${logBlock}`, SB + 24);
  const blockSize = 1024 << logBlock;
  const perGroup = dv.getUint32(SB + 40, true);
  const inodeSize = dv.getUint32(SB + 76, true) === 0 ? 128 : dv.getUint16(SB + 88, true);
  const incompat = dv.getUint32(SB + 96, true);
  if (perGroup === 0 || inodeSize < 128) throw bad('superblock inode geometry', SB + 40);
  if ((incompat & INCOMPAT_META_BG) !== 0) throw bad('meta_bg images are not supported', SB + 96);
  if (!Number.isInteger(inode) || inode < 1 || inode > inodesCount) throw bad(`no inode ${inode}`, SB);
  const descSize = (incompat & INCOMPAT_64BIT) !== 0 ? Math.max(32, dv.getUint16(SB + 0xfe, true)) : 32;
  const group = Math.floor((inode - 1) / perGroup);
  const desc = (firstDataBlock + 1) * blockSize + group * descSize;
  if (desc + descSize > bytes.length) throw bad(`group descriptor ${group} outside the image`, desc);
  const tableBlock = dv.getUint32(desc + 8, true) + (descSize >= 64 ? dv.getUint32(desc + 0x28, true) * 2 ** 32 : 0);
  const at = tableBlock * blockSize + ((inode - 1) % perGroup) * inodeSize;
  if (at + inodeSize > bytes.length) throw bad(`inode ${inode} outside the image`, at);
  const out = new Map<string, Uint8Array>();
  // In-inode area: after the 128-byte base inode and i_extra_isize, a 4-byte magic, then entries; value offsets
  // count from the first entry.
  if (inodeSize > 128) {
    const extra = dv.getUint16(at + 0x80, true);
    const area = at + 128 + extra;
    if (extra % 4 === 0 && area + 4 <= at + inodeSize && dv.getUint32(area, true) === XATTR_MAGIC)
      readEntries(bytes, dv, area + 4, at + inodeSize, area + 4, out);
  }
  // Attribute block: 32-byte header (magic, refcount, blocks = 1, hash, checksum), entries, values from the block start.
  const acl = dv.getUint32(at + 0x68, true) + dv.getUint16(at + 0x76, true) * 2 ** 32;
  if (acl !== 0) {
    const blk = acl * blockSize;
    if (blk + blockSize > bytes.length)
      throw bad(`attribute block ${acl} of inode ${inode} outside the image`, at + 0x68);
    if (dv.getUint32(blk, true) !== XATTR_MAGIC) throw bad(`attribute block ${acl} has no magic 0xEA020000`, blk);
    readEntries(bytes, dv, blk + 32, blk + blockSize, blk, out);
  }
  return out;
}

/**
 * The SELinux label of inode `inode` (`security.selinux` without its trailing NUL), or undefined when it has none.
 * @throws NvError `NV_LID_IMAGE_BAD` as {@link readExt4Xattrs}.
 * @example ext4SelinuxLabel(image, 15) // 'u:object_r:nvdata_file:s0'
 */
export function ext4SelinuxLabel(bytes: Uint8Array, inode: number): string | undefined {
  const v = readExt4Xattrs(bytes, inode).get('security.selinux');
  if (v === undefined) return undefined;
  const end = v.indexOf(0);
  return new TextDecoder('latin1').decode(end < 0 ? v : v.subarray(0, end));
}
