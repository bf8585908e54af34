/**
 * The EFS tree model (docs/formats/efs-tar.md#paths, docs/formats/efs-tar.md#manifest): absolute EFS paths with kind, full `st_mode`, owner,
 * mtime and bytes. JSON-ready except for the `Uint8Array` data.
 * @module
 */
import { NvError } from '@nv/core';

/** File kinds an EFS holds (docs/formats/efs-tar.md#paths): `item` = EFS item file (≤ 128 B, type bits `0160000`). */
export type EfsEntryType = 'item' | 'file' | 'dir' | 'symlink';

/** One EFS path. */
export interface EfsEntry {
  /** Absolute EFS path (`/nvm/num/10`); the root is `/`. */
  readonly path: string;
  readonly type: EfsEntryType;
  /** Full `st_mode` including the type bits (`0o160777`, `0o100777`, `0o40777`, `0o120777`). */
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Seconds since 1970 (device: 315964800 = 1980-01-06). */
  readonly mtime: number;
  /** File/item bytes; absent for dirs and symlinks. */
  readonly data?: Uint8Array | undefined;
  /** Symlink target. */
  readonly target?: string | undefined;
}

/** A whole EFS: entries in any order (pack sorts them into device order). */
export interface EfsTree {
  readonly entries: readonly EfsEntry[];
}

/** A warning with a stable code (docs/formats/qcn.md#validation "W"). */
export interface EfsWarning {
  readonly code: string;
  readonly message: string;
  readonly path?: string | undefined;
  readonly offset?: number | undefined;
}

/** Type bits of `st_mode` (docs/formats/efs-tar.md#paths). */
export const S_IFMT = 0o170000;
/** EFS item file type bits (docs/formats/efs-tar.md#paths). */
export const S_IFITM = 0o160000;
/** Regular file type bits. */
export const S_IFREG = 0o100000;
/** Directory type bits. */
export const S_IFDIR = 0o040000;
/** Symlink type bits. */
export const S_IFLNK = 0o120000;
/** The mtime the device dumper writes: 1980-01-06, the GPS epoch (docs/formats/efs-tar.md#tar). */
export const DEVICE_MTIME = 315964800;
/** Largest item file (docs/formats/efs-tar.md#paths). */
export const MAX_ITEM_BYTES = 128;

/** Default mode for each kind (docs/formats/efs-tar.md#paths, docs/formats/qcn.md#qcn-to-efs). */
export const DEFAULT_MODES: Readonly<Record<EfsEntryType, number>> = Object.freeze({
  item: 0o160777,
  file: 0o100777,
  dir: 0o040777,
  symlink: 0o120777,
});

/**
 * Checks an absolute EFS path (docs/formats/qcn.md#validation `NV_EFS_BAD_PATH`): leading `/`, no empty/`.`/`..` parts, printable ASCII, no NUL.
 * Returns it without a trailing `/` (the root stays `/`).
 * @throws NvError `NV_EFS_BAD_PATH`
 * @example normalizeEfsPath('/nvm/num/10/') // '/nvm/num/10'
 */
export function normalizeEfsPath(path: string): string {
  if (typeof path !== 'string') throw new TypeError('path must be a string');
  const bad = (why: string): never => {
    throw new NvError('NV_EFS_BAD_PATH', `EFS path ${JSON.stringify(path)} ${why}`, { path });
  };
  if (!path.startsWith('/')) bad('is not absolute (must start with /)');
  if (path === '/') return '/';
  const p = path.endsWith('/') ? path.slice(0, -1) : path;
  // One pass over the characters (issue 17: pack normalises every path of a 3 000-entry tree): the character check
  // wins over the part check, as before.
  let badChar = false;
  let badPart = false;
  let start = 1;
  for (let i = 1; i <= p.length; i++) {
    const c = i < p.length ? p.charCodeAt(i) : 0x2f;
    if (c < 0x20 || c > 0x7e) badChar = true;
    else if (c === 0x2f) {
      const n = i - start;
      if (n === 0 || (p.charCodeAt(start) === 0x2e && (n === 1 || (n === 2 && p.charCodeAt(start + 1) === 0x2e))))
        badPart = true;
      start = i + 1;
    }
  }
  if (badChar) bad('has a non-ASCII or control character');
  if (badPart) bad(`has an empty, "." or ".." part`);
  return p;
}

/**
 * Parent of an absolute path (`/a/b` → `/a`, `/a` → `/`).
 * @example parentPath('/nvm/num/10') // '/nvm/num'
 */
export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/**
 * The kind a file gets when nothing says otherwise (docs/formats/qcn.md#qcn-to-efs (3), inferred): regular if larger than 128 B, under
 * `/nv/item_files/conf/` or `/nv/item_store/`, or ending `.xml`/`.conf`/`.bl`; else an item.
 * @example defaultKind('/nvm/num/10', 2) // 'item'
 */
export function defaultKind(path: string, sizeBytes: number): 'item' | 'file' {
  if (sizeBytes > MAX_ITEM_BYTES) return 'file';
  if (path.startsWith('/nv/item_files/conf/') || path.startsWith('/nv/item_store/')) return 'file';
  if (/\.(xml|conf|bl)$/i.test(path)) return 'file';
  return 'item';
}

/** Options of {@link normalizeEfsTree}. */
export interface NormalizeOptions {
  /** mtime of directories that have to be added (default {@link DEVICE_MTIME}). */
  readonly mtime?: number;
}

/**
 * Normalises a tree (docs/formats/efs-tar.md#pack (1)): validates paths, adds `/` and every missing ancestor as `040777` dirs, checks
 * that no path is both a file and a dir, and that modes carry the type bits of their kind. Later duplicates win.
 * @throws NvError `NV_EFS_BAD_PATH`
 * @example normalizeEfsTree({ entries: [{ path: '/a/b', type: 'item', mode: 0o160777, uid: 0, gid: 0, mtime: 0, data: new Uint8Array(1) }] })
 */
export function normalizeEfsTree(tree: EfsTree, options: NormalizeOptions = {}): EfsTree {
  // Issue 17: pack normalised the tree readEfsFolder had just normalised. A normalised tree is a fixed point (every
  // ancestor present, paths and mode bits clean, so `options` change nothing); its entries array is remembered with
  // its length, and an array changed since (a different length) is normalised again.
  if (NORMALIZED.get(tree.entries) === tree.entries.length) return tree;
  const mtime = options.mtime ?? DEVICE_MTIME;
  const byPath = new Map<string, EfsEntry>();
  for (const e of tree.entries) {
    const path = normalizeEfsPath(e.path);
    if (!['item', 'file', 'dir', 'symlink'].includes(e.type))
      throw new TypeError(`unknown entry type ${String(e.type)}`);
    const typeBits = e.type === 'item' ? S_IFITM : e.type === 'file' ? S_IFREG : e.type === 'dir' ? S_IFDIR : S_IFLNK;
    const mode = (e.mode & 0o7777) | typeBits;
    if ((e.type === 'item' || e.type === 'file') && !(e.data instanceof Uint8Array))
      throw new TypeError(`${path}: a ${e.type} needs data`);
    if (e.type === 'symlink' && typeof e.target !== 'string') throw new TypeError(`${path}: a symlink needs a target`);
    if (path === '/' && e.type !== 'dir')
      throw new NvError('NV_EFS_BAD_PATH', 'the root / must be a directory', { path });
    byPath.set(path, { ...e, path, mode });
  }
  if (!byPath.has('/')) byPath.set('/', { path: '/', type: 'dir', mode: DEFAULT_MODES.dir, uid: 0, gid: 0, mtime });
  for (const path of [...byPath.keys()]) {
    let child = path;
    let p = parentPath(path);
    while (child !== '/') {
      const parent = byPath.get(p);
      if (parent !== undefined) {
        // An existing parent is checked here and walks its own ancestors (it is a key, or was added with them).
        if (parent.type !== 'dir')
          throw new NvError('NV_EFS_BAD_PATH', `${p} is a ${parent.type} but also the folder of ${child}`, { path: p });
        break;
      }
      byPath.set(p, { path: p, type: 'dir', mode: DEFAULT_MODES.dir, uid: 0, gid: 0, mtime });
      child = p;
      p = parentPath(p);
    }
  }
  const entries = [...byPath.values()];
  NORMALIZED.set(entries, entries.length);
  return { entries };
}

/** Entries arrays returned by {@link normalizeEfsTree}, with their length then. */
const NORMALIZED = new WeakMap<readonly EfsEntry[], number>();

/**
 * Bytewise comparison of ASCII strings (docs/formats/efs-tar.md#pack: `.efs_private` < `CGPS_ME` < `apn_throttle`).
 * @example ['apn_throttle', 'CGPS_ME'].sort(compareBytewise) // ['CGPS_ME', 'apn_throttle']
 */
export function compareBytewise(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Entries in the device's order (docs/formats/efs-tar.md#pack (2)): `/`, then breadth-first, each folder's children sorted bytewise.
 * `/safe/sfs` and below are skipped as the device dumper does (warning `NV_EFS_TAR_SUSPECT_ENTRY`).
 * @throws NvError `NV_EFS_BAD_PATH`
 * @example deviceOrder(tree).entries.map((e) => e.path)
 */
export function deviceOrder(
  tree: EfsTree,
  options: NormalizeOptions = {},
): { entries: EfsEntry[]; warnings: EfsWarning[] } {
  const norm = normalizeEfsTree(tree, options);
  const children = new Map<string, EfsEntry[]>();
  let root: EfsEntry | undefined;
  for (const e of norm.entries) {
    if (e.path === '/') {
      root = e;
      continue;
    }
    const p = parentPath(e.path);
    let list = children.get(p);
    if (list === undefined) children.set(p, (list = []));
    list.push(e);
  }
  const warnings: EfsWarning[] = [];
  const out: EfsEntry[] = [root as EfsEntry];
  const queue = ['/'];
  for (let qi = 0; qi < queue.length; qi++) {
    const list = children.get(queue[qi] as string) ?? [];
    // Paths are printable ASCII (normalizeEfsPath), so UTF-16 order is bytewise order.
    const names = list.map((e) => ({ e, key: e.path.slice(e.path.lastIndexOf('/') + 1) }));
    names.sort((x, y) => compareBytewise(x.key, y.key));
    for (const { e } of names) {
      if (e.path === '/safe/sfs') {
        warnings.push({
          code: 'NV_EFS_TAR_SUSPECT_ENTRY',
          message: '/safe/sfs and its contents are skipped, as the device dumper does (§3.10)',
          path: e.path,
        });
        continue;
      }
      out.push(e);
      if (e.type === 'dir') queue.push(e.path);
    }
  }
  return { entries: out, warnings };
}
