/**
 * An empty ext filesystem image, the way `mke2fs -t ext2 -b 4096 -O ^resize_inode,^dir_index` lays it out: no root,
 * no native tool. This is a formatter, not a file writer: it writes only the metadata of an EMPTY filesystem
 * (superblock and its sparse backups, group descriptors, bitmaps, inode tables, the root folder and `lost+found`).
 * Every file put in the image afterwards goes through libext2fs (`ext2fs`, see `node-ext4-build.ts`).
 *
 * Features: revision 1, 4 KiB blocks, 256-byte inodes; compat `ext_attr` (xattr blocks, SELinux labels),
 * incompat `filetype`, ro_compat `sparse_super`, `large_file`, `extra_isize`. No journal, no extents, no
 * checksums: every ext2/3/4 reader (the Linux ext4 driver, e2fsck, debugfs, libext2fs) takes this feature set.
 * Pure: bytes out.
 * @module
 */
import { NvError } from '@nv/core';

/** Block size of formatted images (bytes). */
export const EXT4_FORMAT_BLOCK_SIZE = 4096;
/** Smallest image formatted (bytes): room for the metadata plus some files. */
export const EXT4_FORMAT_MIN_BYTES: number = 256 * 1024;
/**
 * Largest image formatted (bytes): the image is built in memory, and images are read whole up to the same 1 GiB
 * (`EXT4_IMAGE_MAX_BYTES`); nvdata is 32–64 MiB and protect1/2 10 MiB on current phones.
 */
export const EXT4_FORMAT_MAX_BYTES: number = 1024 * 1024 * 1024;

/** Options of {@link formatExt4Image}. */
export interface Ext4FormatOptions {
  /** Bytes of image per inode (default 8192: nvdata holds many small files). */
  readonly bytesPerInode?: number;
  /** Volume label, up to 16 bytes of UTF-8 (e.g. `nvdata`). */
  readonly label?: string;
  /** Filesystem UUID (16 bytes); default derived from the size and label, so output is reproducible. */
  readonly uuid?: Uint8Array;
  /** Creation time written in the superblock and the two folders (Unix seconds; default 0). */
  readonly time?: number;
  /** Owner and group of the root folder (default 0:0; Android's nvdata root is `system:system` 1000:1000). */
  readonly rootUid?: number;
  readonly rootGid?: number;
  /** Permission bits of the root folder (default 0o755). */
  readonly rootMode?: number;
}

const BS = EXT4_FORMAT_BLOCK_SIZE;
const BPG = BS * 8; // blocks per group: one bitmap block
const INODE_SIZE = 256;
const FIRST_INO = 11;
const ROOT_INO = 2;
const LPF_INO = 11;

// Group g holds a superblock backup under sparse_super: 0, 1 and the powers of 3, 5 and 7.
function hasSuper(g: number): boolean {
  if (g <= 1) return true;
  for (const p of [3, 5, 7]) {
    let x = p;
    while (x < g) x *= p;
    if (x === g) return true;
  }
  return false;
}

function fnv(bytes: Uint8Array, seed: number): number {
  let h = seed >>> 0;
  for (const b of bytes) h = Math.imul(h ^ b, 0x01000193) >>> 0;
  return h;
}

/**
 * Formats an empty filesystem of exactly `size` bytes (the partition size; the filesystem covers the whole 4 KiB
 * blocks, a last block group too small for its own metadata is left out as mke2fs does).
 * @throws NvError `NV_LIMIT` for a size out of range, `NV_BAD_INPUT` for bad options.
 * @example const empty = formatExt4Image(32 * 1024 * 1024, { label: 'nvdata' })
 */
export function formatExt4Image(size: number, options: Ext4FormatOptions = {}): Uint8Array<ArrayBuffer> {
  if (!Number.isInteger(size) || size < EXT4_FORMAT_MIN_BYTES || size > EXT4_FORMAT_MAX_BYTES)
    throw new NvError(
      'NV_LIMIT',
      `an image size must be a whole number of bytes from ${EXT4_FORMAT_MIN_BYTES} to ${EXT4_FORMAT_MAX_BYTES}, not ${size}`,
      { data: { size } },
    );
  const ratio = options.bytesPerInode ?? 8192;
  if (!Number.isInteger(ratio) || ratio < 1024 || ratio > 1 << 26)
    throw new NvError('NV_BAD_INPUT', `bytesPerInode ${ratio} is outside 1024…${1 << 26}`);
  const label = new TextEncoder().encode(options.label ?? '');
  if (label.length > 16) throw new NvError('NV_BAD_INPUT', `the volume label "${options.label}" is over 16 bytes`);
  if (options.uuid !== undefined && options.uuid.length !== 16)
    throw new NvError('NV_BAD_INPUT', `a UUID is 16 bytes, not ${options.uuid.length}`);
  const time = options.time ?? 0;
  for (const [what, v, max] of [
    ['time', time, 0xffffffff],
    ['rootUid', options.rootUid ?? 0, 0xffff],
    ['rootGid', options.rootGid ?? 0, 0xffff],
    ['rootMode', options.rootMode ?? 0o755, 0o7777],
  ] as const)
    if (!Number.isInteger(v) || v < 0 || v > max) throw new NvError('NV_BAD_INPUT', `${what} ${v} is outside 0…${max}`);

  let blocks = Math.floor(size / BS);
  let groups = Math.ceil(blocks / BPG);
  const gdtBlocks = Math.ceil((groups * 32) / BS);
  // Inodes per group: a multiple of 16 (whole 4 KiB inode-table blocks), at most one bitmap block.
  const ipgFor = (n: number): number => Math.min(BPG, Math.max(16, Math.ceil(n / groups / 16) * 16));
  let ipg = ipgFor(Math.floor(size / ratio));
  let itBlocks = (ipg * INODE_SIZE) / BS;
  const overhead = (g: number): number => (hasSuper(g) ? 1 + gdtBlocks : 0) + 2 + itBlocks;
  const last = blocks - (groups - 1) * BPG;
  if (groups > 1 && last < overhead(groups - 1) + 50) {
    blocks = (groups - 1) * BPG;
    groups -= 1;
    ipg = ipgFor(Math.floor(size / ratio));
    itBlocks = (ipg * INODE_SIZE) / BS;
  }
  const inodes = ipg * groups;
  const image = new Uint8Array(size);
  const dv = new DataView(image.buffer);

  // Per-group metadata positions; group 0 also holds the root folder and lost+found blocks.
  const start = (g: number): number => g * BPG;
  const bitmapAt = (g: number): number => start(g) + (hasSuper(g) ? 1 + gdtBlocks : 0);
  const rootBlock = bitmapAt(0) + 2 + itBlocks;
  const lpfBlock = rootBlock + 1;
  const groupBlocks = (g: number): number => Math.min(BPG, blocks - start(g));
  const used = (g: number): number => overhead(g) + (g === 0 ? 2 : 0);
  let freeBlocks = 0;
  for (let g = 0; g < groups; g++) freeBlocks += groupBlocks(g) - used(g);
  const freeInodes = inodes - FIRST_INO;

  const uuid =
    options.uuid ??
    (() => {
      const seed = new Uint8Array([...label, size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, size >>> 24]);
      const u = new Uint8Array(16);
      const v = new DataView(u.buffer);
      for (let i = 0; i < 4; i++) v.setUint32(i * 4, fnv(seed, 0x811c9dc5 + i));
      u[6] = ((u[6] as number) & 0x0f) | 0x40; // RFC 4122 version 4 layout
      u[8] = ((u[8] as number) & 0x3f) | 0x80;
      return u;
    })();

  // The superblock: field offsets as in the Linux ext4 on-disk layout (Documentation/filesystems/ext4, struct ext4_super_block).
  const sb = new Uint8Array(1024);
  const s = new DataView(sb.buffer);
  s.setUint32(0, inodes, true); // s_inodes_count
  s.setUint32(4, blocks, true); // s_blocks_count_lo
  s.setUint32(8, 0, true); // s_r_blocks_count_lo: no reserve (Android partitions have none)
  s.setUint32(12, freeBlocks, true);
  s.setUint32(16, freeInodes, true);
  s.setUint32(20, 0, true); // s_first_data_block: 0 with 4 KiB blocks
  s.setUint32(24, 2, true); // s_log_block_size: 1024 << 2
  s.setUint32(28, 2, true); // s_log_cluster_size
  s.setUint32(32, BPG, true);
  s.setUint32(36, BPG, true); // s_clusters_per_group
  s.setUint32(40, ipg, true);
  s.setUint32(44, 0, true); // s_mtime: never mounted
  s.setUint32(48, time, true); // s_wtime
  s.setUint16(52, 0, true); // s_mnt_count
  s.setUint16(54, 0xffff, true); // s_max_mnt_count: -1, no forced check
  s.setUint16(56, 0xef53, true);
  s.setUint16(58, 1, true); // s_state: clean
  s.setUint16(60, 1, true); // s_errors: continue
  s.setUint32(64, time, true); // s_lastcheck
  s.setUint32(72, 0, true); // s_creator_os: Linux
  s.setUint32(76, 1, true); // s_rev_level: dynamic
  s.setUint32(84, FIRST_INO, true);
  s.setUint16(88, INODE_SIZE, true);
  s.setUint32(92, 0x0008, true); // compat: ext_attr
  s.setUint32(96, 0x0002, true); // incompat: filetype
  s.setUint32(100, 0x0001 | 0x0002 | 0x0040, true); // ro_compat: sparse_super, large_file, extra_isize
  sb.set(uuid, 104);
  sb.set(label, 120);
  for (let i = 0; i < 4; i++) s.setUint32(236 + i * 4, fnv(uuid, 0x9e3779b9 + i), true); // s_hash_seed
  sb[252] = 1; // s_def_hash_version: half_md4
  s.setUint32(264, time, true); // s_mkfs_time
  s.setUint16(0x15c, 32, true); // s_min_extra_isize
  s.setUint16(0x15e, 32, true); // s_want_extra_isize
  s.setUint32(0x160, 0x2, true); // s_flags: unsigned directory hash

  // Group descriptors (32 bytes each).
  const gdt = new Uint8Array(gdtBlocks * BS);
  const gd = new DataView(gdt.buffer);
  for (let g = 0; g < groups; g++) {
    const o = g * 32;
    gd.setUint32(o, bitmapAt(g), true); // bg_block_bitmap
    gd.setUint32(o + 4, bitmapAt(g) + 1, true); // bg_inode_bitmap
    gd.setUint32(o + 8, bitmapAt(g) + 2, true); // bg_inode_table
    gd.setUint16(o + 12, groupBlocks(g) - used(g), true);
    gd.setUint16(o + 14, g === 0 ? ipg - FIRST_INO : ipg, true);
    gd.setUint16(o + 16, g === 0 ? 2 : 0, true); // bg_used_dirs_count: root and lost+found
  }

  const setBits = (at: number, from: number, to: number): void => {
    for (let i = from; i < to; i++) image[at + (i >> 3)]! |= 1 << (i & 7);
  };
  for (let g = 0; g < groups; g++) {
    if (hasSuper(g)) {
      s.setUint16(90, g, true); // s_block_group_nr of this copy
      image.set(sb, g === 0 ? 1024 : start(g) * BS);
      image.set(gdt, (start(g) + 1) * BS);
    }
    const bb = bitmapAt(g) * BS;
    setBits(bb, 0, used(g));
    setBits(bb, groupBlocks(g), BPG); // padding past the end of the filesystem
    const ib = (bitmapAt(g) + 1) * BS;
    if (g === 0) setBits(ib, 0, FIRST_INO);
    setBits(ib, ipg, BS * 8);
  }
  s.setUint16(90, 0, true);

  // Inodes: root (2) and lost+found (11), each one block of directory entries.
  const inode = (ino: number, mode: number, uid: number, gid: number, links: number, block: number): void => {
    const o = (bitmapAt(0) + 2) * BS + (ino - 1) * INODE_SIZE;
    dv.setUint16(o, mode, true);
    dv.setUint16(o + 2, uid, true);
    dv.setUint32(o + 4, BS, true); // i_size
    for (const t of [8, 12, 16]) dv.setUint32(o + t, time, true); // atime, ctime, mtime
    dv.setUint16(o + 24, gid, true);
    dv.setUint16(o + 26, links, true);
    dv.setUint32(o + 28, BS / 512, true); // i_blocks in 512-byte sectors
    dv.setUint32(o + 40, block, true); // i_block[0]
    dv.setUint16(o + 128, 32, true); // i_extra_isize
    dv.setUint32(o + 144, time, true); // i_crtime
  };
  inode(ROOT_INO, 0o040000 | (options.rootMode ?? 0o755), options.rootUid ?? 0, options.rootGid ?? 0, 3, rootBlock);
  inode(LPF_INO, 0o040700, 0, 0, 2, lpfBlock);
  const dirent = (at: number, ino: number, recLen: number, name: string): number => {
    dv.setUint32(at, ino, true);
    dv.setUint16(at + 4, recLen, true);
    image[at + 6] = name.length;
    image[at + 7] = 2; // EXT2_FT_DIR
    for (let i = 0; i < name.length; i++) image[at + 8 + i] = name.charCodeAt(i);
    return at + recLen;
  };
  let at = dirent(rootBlock * BS, ROOT_INO, 12, '.');
  at = dirent(at, ROOT_INO, 12, '..');
  dirent(at, LPF_INO, BS - 24, 'lost+found');
  at = dirent(lpfBlock * BS, LPF_INO, 12, '.');
  dirent(at, ROOT_INO, BS - 12, '..');
  return image;
}
