/**
 * Host folders ↔ EFS trees (with the `.nv-efs.json` manifest) and EFS image files: pack (in memory or streamed
 * tar → deflate → file) and read (tar, tar.gz, `.mbn`, `.img`, `fsg` dumps).
 * @module
 */
import { mkdir, open, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { IMG_MAGIC, IMG_SECTOR_SIZE, MBN_HEADER_SIZE, parseMbnHeader } from '@nv/qcom-fsg-sign/container';
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { NvError, SILENT_PROGRESS, checkLimit, type ProgressReporter } from '@nv/core';
import { concatBytes } from '@nv/core/bytes';
import { readFileLimited, toNvIoError, writeDirectoryAtomic, writeFileAtomic } from '@nv/core/node';
import { MAX_EFS_INFLATED_BYTES, type GzipOptions } from './gzip.ts';
import {
  listEfsTree,
  readEfsImage,
  unwrapFsgContainer,
  type EfsImage,
  type EfsListEntry,
  type ReadEfsImageOptions,
} from './image.ts';
import { MANIFEST_NAME, decodeManifest, encodeManifest } from './manifest.ts';
import { NODE_DEFLATE, gzipChunks, nodeGzip } from './node-zlib.ts';
import { streamEfsImage } from './node-image-stream.ts';
import { efsTarChunks, encodeEfsTar, type TarEncodeOptions } from './tar.ts';
import {
  DEFAULT_MODES,
  DEVICE_MTIME,
  defaultKind,
  normalizeEfsPath,
  normalizeEfsTree,
  type EfsEntry,
  type EfsTree,
  type EfsWarning,
} from './tree.ts';

/** Largest EFS tree read from a folder (512 MiB; real EFS trees are a few MiB). */
const MAX_TREE_BYTES = 512 * 1024 * 1024;

/** Trees with less data than this are packed in memory (64 MiB). */
const IN_MEMORY_BYTES = 64 * 1024 * 1024;

/** Scratch buffer of {@link readHostFile}. */
const SCRATCH = new Uint8Array(64 * 1024);

/**
 * A host file's bytes (issue 17: an EFS tree is thousands of files of a few bytes). open + read + close, without
 * the fstat and the fresh buffer of readFileSync: one read into a scratch buffer, copied out at its length; a file
 * that fills the buffer is read on to its end.
 */
function readHostFile(path: string): Uint8Array {
  const fd = openSync(path, 'r');
  try {
    let n = readSync(fd, SCRATCH, 0, SCRATCH.length, null);
    if (n < SCRATCH.length) return SCRATCH.slice(0, n);
    const parts = [SCRATCH.slice()];
    let total = n;
    while ((n = readSync(fd, SCRATCH, 0, SCRATCH.length, null)) > 0) {
      parts.push(SCRATCH.slice(0, n));
      total += n;
      checkLimit('EFS file size', total, MAX_TREE_BYTES, { path });
    }
    return concatBytes(...parts);
  } finally {
    closeSync(fd);
  }
}

/** Options of {@link readEfsFolder}. */
export interface ReadFolderOptions {
  /** mtime for entries the manifest does not list (default 315964800). */
  readonly mtime?: number;
}

/**
 * Reads a host folder into an EFS tree (docs/formats/efs-tar.md#manifest): `.nv-efs.json` gives kinds/modes/owners/symlinks; unlisted files
 * get {@link defaultKind}. Host symlinks are refused (EFS symlinks live only in the manifest).
 * @throws NvError `NV_EFS_BAD_MANIFEST`, `NV_EFS_BAD_PATH`, `NV_EFS_UNSAFE_PATH`, `NV_IO`
 * @example const { tree } = await readEfsFolder('efs/');
 */
export async function readEfsFolder(
  dir: string,
  options: ReadFolderOptions = {},
): Promise<{ tree: EfsTree; warnings: EfsWarning[] }> {
  const root = resolve(dir);
  const mtime = options.mtime ?? DEVICE_MTIME;
  let manifest: ReturnType<typeof decodeManifest> | undefined;
  try {
    const bytes = await readFile(join(root, MANIFEST_NAME));
    manifest = decodeManifest(bytes, join(dir, MANIFEST_NAME));
  } catch (error) {
    if (NvError.isInstance(error)) throw error;
    if ((error as { code?: string }).code !== 'ENOENT') throw toNvIoError(error, join(dir, MANIFEST_NAME));
  }
  const entries: EfsEntry[] = [];
  const meta = (path: string) => manifest?.entries[path];
  // Synchronous walk: thousands of tiny item files read far faster without a thread-pool round trip each.
  const walk = (host: string, efs: string, depth: number): void => {
    if (depth > 64) throw new NvError('NV_LIMIT', `${host}: folders nested deeper than 64`, { path: host });
    let dirents: Dirent[];
    try {
      dirents = readdirSync(host, { withFileTypes: true }).sort((a, b) =>
        a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
      );
    } catch (error) {
      throw toNvIoError(error, host);
    }
    for (const d of dirents) {
      const name = d.name;
      if (efs === '/' && name === MANIFEST_NAME) continue;
      const hostPath = join(host, name);
      const efsPath = normalizeEfsPath(efs === '/' ? `/${name}` : `${efs}/${name}`);
      const m = meta(efsPath);
      if (d.isSymbolicLink() && m?.type === 'symlink') continue; // made by unpack --links; the manifest has it
      if (d.isSymbolicLink())
        throw new NvError(
          'NV_EFS_UNSAFE_PATH',
          `${hostPath} is a host symlink; EFS symlinks are listed only in ${MANIFEST_NAME} (§3.9)`,
          { path: hostPath },
        );
      if (d.isDirectory()) {
        entries.push({
          path: efsPath,
          type: 'dir',
          mode: m?.mode ?? DEFAULT_MODES.dir,
          uid: m?.uid ?? 0,
          gid: m?.gid ?? 0,
          mtime: m?.mtime ?? mtime,
        });
        walk(hostPath, efsPath, depth + 1);
      } else if (d.isFile()) {
        let data: Uint8Array;
        try {
          data = readHostFile(hostPath);
        } catch (error) {
          throw toNvIoError(error, hostPath);
        }
        total += data.length;
        checkLimit('EFS tree size', total, MAX_TREE_BYTES, { path: hostPath });
        const type = m?.type === 'item' || m?.type === 'file' ? m.type : defaultKind(efsPath, data.length);
        entries.push({
          path: efsPath,
          type,
          mode: m?.mode ?? DEFAULT_MODES[type],
          uid: m?.uid ?? 0,
          gid: m?.gid ?? 0,
          mtime: m?.mtime ?? mtime,
          data,
        });
      }
    }
  };
  let total = 0;
  walk(root, '/', 0);
  const warnings: EfsWarning[] = [];
  if (manifest !== undefined) {
    const seen = new Set(entries.map((e) => e.path));
    for (const [path, m] of Object.entries(manifest.entries)) {
      if (m.type === 'symlink')
        entries.push({
          path,
          type: 'symlink',
          mode: m.mode,
          uid: m.uid,
          gid: m.gid,
          mtime: m.mtime,
          target: m.target ?? '',
        });
      else if (m.type === 'dir' && !seen.has(path))
        entries.push({ path, type: 'dir', mode: m.mode, uid: m.uid, gid: m.gid, mtime: m.mtime });
      else if (path === '/') entries.push({ path, type: 'dir', mode: m.mode, uid: m.uid, gid: m.gid, mtime: m.mtime });
    }
  }
  return { tree: normalizeEfsTree({ entries }, { mtime }), warnings };
}

/**
 * Writes an EFS tree into a new host folder (unpack, docs/formats/efs-tar.md#manifest): `/` maps to `dir`, the manifest is written, symlinks
 * are recorded in the manifest (and made as host links with `links`, only when they stay inside); refuses paths that
 * escape or collide case-insensitively. Atomic: on failure
 * no folder is left.
 * @throws NvError `NV_EFS_UNSAFE_PATH`, `NV_EXISTS`, `NV_IO`
 * @example await writeEfsFolder('out/', tree);
 */
export async function writeEfsFolder(
  dir: string,
  tree: EfsTree,
  options: WriteFolderOptions = {},
): Promise<{ files: number }> {
  return writeFolder(dir, tree, options);
}

/** Options of {@link writeEfsFolder}. */
export interface WriteFolderOptions {
  readonly force?: boolean;
  readonly links?: boolean;
  /** Files this command reads (the archive): `--force` refuses an output folder that holds one (issue 14.9). */
  readonly inputs?: readonly string[];
}

/**
 * {@link writeEfsFolder}, with the file data optionally written by `fill` (the streaming unpack: the tree has no
 * data, `fill` writes each file into the temporary folder, which holds every folder already).
 */
async function writeFolder(
  dir: string,
  tree: EfsTree,
  options: WriteFolderOptions,
  fill?: (tmp: string) => Promise<void>,
): Promise<{ files: number }> {
  const target = resolve(dir);
  if (options.force === true) await assertReplaceableFolder(target, options.inputs ?? []);
  const norm = normalizeEfsTree(tree);
  const lower = new Map<string, string>();
  for (const e of norm.entries) {
    const key = e.path.toLowerCase();
    const other = lower.get(key);
    if (other !== undefined && other !== e.path)
      throw new NvError(
        'NV_EFS_UNSAFE_PATH',
        `${e.path} and ${other} differ only in case; they would collide on a case-insensitive host`,
        { path: e.path },
      );
    lower.set(key, e.path);
    if (key === `/${MANIFEST_NAME}`)
      throw new NvError('NV_EFS_UNSAFE_PATH', `${e.path} would overwrite the manifest`, { path: e.path });
  }
  let files = 0;
  await writeDirectoryAtomic(
    target,
    async (tmp) => {
      const sorted = [...norm.entries].sort((a, b) => (a.path < b.path ? -1 : 1));
      for (const e of sorted) {
        if (e.path === '/') continue;
        const host = resolve(tmp, `.${e.path}`);
        if (!host.startsWith(tmp + sep))
          throw new NvError('NV_EFS_UNSAFE_PATH', `${e.path} escapes the output folder`, { path: e.path });
        if (e.type === 'dir') await mkdir(host, { recursive: true });
        else if (e.type === 'item' || e.type === 'file') {
          if (fill === undefined) await writeFile(host, e.data as Uint8Array, { flag: 'wx', mode: 0o644 });
          files++;
        }
      }
      if (fill !== undefined) await fill(tmp);
      if (options.links === true) {
        // Host links only on request, and only when the target stays inside the folder (docs/formats/efs-tar.md#manifest).
        for (const e of sorted) {
          if (e.type !== 'symlink') continue;
          const host = resolve(tmp, `.${e.path}`);
          const target = e.target ?? '';
          const dest = target.startsWith('/') ? resolve(tmp, `.${target}`) : resolve(dirname(host), target);
          if (!host.startsWith(tmp + sep) || (dest !== tmp && !dest.startsWith(tmp + sep))) {
            throw new NvError('NV_EFS_UNSAFE_PATH', `symlink ${e.path} -> ${target} points outside the output folder`, {
              path: e.path,
            });
          }
          await symlink(relative(dirname(host), dest) || '.', host);
        }
      }
      await writeFile(join(tmp, MANIFEST_NAME), encodeManifest(norm), { flag: 'wx' });
    },
    options,
  );
  return { files };
}

/**
 * `--force` replaces only what unpack/to-efs wrote (issue 14.9): the output folder must be absent, empty, or hold
 * exactly the paths its own `.nv-efs.json` lists, and never one of the command's input files.
 * @throws NvError `NV_EXISTS` naming the file that would be lost
 */
async function assertReplaceableFolder(target: string, inputs: readonly string[]): Promise<void> {
  let st;
  try {
    st = statSync(target);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return;
    throw toNvIoError(error, target);
  }
  if (!st.isDirectory()) return; // writeDirectoryAtomic reports "exists and is not a folder"
  for (const input of inputs) {
    const rel = relative(target, resolve(input));
    if (rel === '' || (rel.split(sep)[0] !== '..' && !isAbsolute(rel)))
      throw new NvError(
        'NV_EXISTS',
        `${target} holds the input ${input}; --force would delete it: choose another output folder`,
        { path: input },
      );
  }
  let names: string[];
  try {
    names = readdirSync(target);
  } catch (error) {
    throw toNvIoError(error, target);
  }
  if (names.length === 0) return;
  let listed: Readonly<Record<string, unknown>> | undefined;
  try {
    listed = decodeManifest(readFileSync(join(target, MANIFEST_NAME)), join(target, MANIFEST_NAME)).entries;
  } catch {
    listed = undefined;
  }
  if (listed === undefined)
    throw new NvError(
      'NV_EXISTS',
      `${target} is not empty and has no valid ${MANIFEST_NAME}: it was not written by unpack, so --force will not replace it; choose a new or empty folder`,
      { path: target },
    );
  const manifest = listed;
  const foreign: string[] = [];
  const walk = (host: string, efs: string, depth: number): void => {
    if (depth > 64 || foreign.length >= 5) return;
    for (const d of readdirSync(host, { withFileTypes: true })) {
      if (efs === '/' && d.name === MANIFEST_NAME) continue;
      const path = efs === '/' ? `/${d.name}` : `${efs}/${d.name}`;
      if (!Object.hasOwn(manifest, path)) foreign.push(join(host, d.name));
      else if (d.isDirectory() && !d.isSymbolicLink()) walk(join(host, d.name), path, depth + 1);
      if (foreign.length >= 5) return;
    }
  };
  try {
    walk(target, '/', 0);
  } catch (error) {
    throw toNvIoError(error, target);
  }
  if (foreign.length > 0)
    throw new NvError(
      'NV_EXISTS',
      `${target} holds files its ${MANIFEST_NAME} does not list (${foreign.join(', ')}); --force replaces only what unpack wrote: move them away or choose another folder`,
      { path: foreign[0] as string },
    );
}

/**
 * Packs an EFS tree into `fs_image.tar.gz` (or a plain `.tar` with `gzip: false`), streaming tar → deflate → file.
 * @throws NvError `NV_EFS_BAD_PATH`, `NV_EFS_TAR_NAME_TOO_LONG`, `NV_EXISTS`, `NV_IO`
 * @example await writeEfsImageFile('fs_image.tar.gz', tree);
 */
export async function writeEfsImageFile(
  path: string,
  tree: EfsTree,
  options: TarEncodeOptions &
    GzipOptions & { force?: boolean; gzip?: boolean; stream?: boolean; progress?: ProgressReporter } = {},
): Promise<{ entries: number; tarBytes: number; gzBytes: number; warnings: EfsWarning[] }> {
  const warnings: EfsWarning[] = [];
  const progress = options.progress ?? SILENT_PROGRESS;
  let entries = 0;
  let tarBytes = 0;
  let dataBytes = 0;
  for (const e of tree.entries) dataBytes += e.data?.length ?? 0;
  const counted = function* (): Generator<Uint8Array> {
    for (const c of efsTarChunks(tree, options, warnings)) {
      entries++;
      tarBytes += c.length;
      progress.update(Math.min(tarBytes, dataBytes));
      yield c;
    }
    entries--; // the end blocks
  };
  progress.start('packing EFS image', dataBytes, 'bytes');
  try {
    return await packTree(path, tree, options, dataBytes, counted, () => ({ entries, tarBytes, warnings }));
  } finally {
    progress.end();
  }
}

async function packTree(
  path: string,
  tree: EfsTree,
  options: TarEncodeOptions & GzipOptions & { force?: boolean; gzip?: boolean; stream?: boolean },
  dataBytes: number,
  counted: () => Generator<Uint8Array>,
  totals: () => { entries: number; tarBytes: number; warnings: EfsWarning[] },
): Promise<{ entries: number; tarBytes: number; gzBytes: number; warnings: EfsWarning[] }> {
  if (dataBytes < IN_MEMORY_BYTES && options.stream !== true) {
    // Small trees (every real EFS): one tar buffer and one deflate call are faster than a stream of 2 000 chunks.
    const { tar, entries: n, warnings: w } = encodeEfsTar(tree, options);
    const out = options.gzip === false ? tar : nodeGzip(tar, options);
    await writeFileAtomic(path, out, { force: options.force === true });
    return { entries: n, tarBytes: tar.length, gzBytes: options.gzip === false ? 0 : out.length, warnings: w };
  }
  // Validate before touching the file system (efsTarChunks would throw on bad names half-way through).
  normalizeEfsTree(tree, options);
  const stats = { inBytes: 0, outBytes: 0 };
  if (options.gzip === false) {
    await writeFileAtomic(path, counted(), { force: options.force === true });
    return { ...totals(), gzBytes: 0 };
  }
  await writeFileAtomic(path, gzipChunks(counted(), options, stats), { force: options.force === true });
  return { ...totals(), gzBytes: stats.outBytes };
}

/**
 * Reads an EFS image file: tar, tar.gz, `.mbn`, `.img`, or a whole `fsg` partition dump (of which only the sector
 * and the `.mbn` are read, so a 64 MB dump costs its image's size in memory, not 64 MB).
 * @throws NvError as {@link readEfsImage}, `NV_IO`, `NV_LIMIT`
 * @example const { chain, tree } = await readEfsImageFile('fs_image.tar.gz');
 */
export async function readEfsImageFile(path: string, options: ReadEfsImageOptions = {}): Promise<EfsImage> {
  let bytes: Uint8Array;
  let unwrapSigned = options.unwrapSigned;
  try {
    const head = await readPartitionHead(path);
    if (head !== undefined) {
      // A large fsg partition dump: read only the sector + .mbn, not the unused rest (bounded memory, docs/formats/efs-tar.md#containers).
      bytes = head;
      let first = true;
      unwrapSigned = (b) => {
        const r = unwrapFsgContainer(b);
        const relabel = first && r?.container === 'img';
        first = false;
        return relabel && r !== undefined ? { ...r, container: 'fsg' } : r;
      };
    } else {
      bytes = await readFileLimited(path);
    }
    return readEfsImage(bytes, NODE_DEFLATE, { ...options, ...(unwrapSigned !== undefined ? { unwrapSigned } : {}) });
  } catch (error) {
    throw NvError.isInstance(error) ? error.withPath(path) : error;
  }
}

/** Files above this size are checked for an `.img` sector before being read whole (16 MiB). */
const PARTITION_HEAD_THRESHOLD = 16 * 1024 * 1024;

/** The `.img` sector + `.mbn` of a large partition dump, or `undefined` when the file is not one (or is small). */
async function readPartitionHead(path: string): Promise<Uint8Array | undefined> {
  let fh;
  try {
    fh = await open(path, 'r');
    const size = (await fh.stat()).size;
    if (size <= PARTITION_HEAD_THRESHOLD) return undefined;
    const head = new Uint8Array(IMG_SECTOR_SIZE + MBN_HEADER_SIZE);
    await fh.read(head, 0, head.length, 0);
    if (!head.subarray(0x28, 0x28 + IMG_MAGIC.length).every((b, i) => b === IMG_MAGIC[i])) return undefined;
    const h = parseMbnHeader(head, IMG_SECTOR_SIZE, path);
    const needed = IMG_SECTOR_SIZE + MBN_HEADER_SIZE + h.imageSize;
    if (needed >= size) return undefined; // not padded: the normal path reports it
    checkLimit('.mbn size in the partition dump', needed, MAX_EFS_INFLATED_BYTES, { path });
    const out = new Uint8Array(needed);
    const { bytesRead } = await fh.read(out, 0, needed, 0);
    return bytesRead === needed ? out : undefined;
  } catch (error) {
    throw NvError.isInstance(error) ? error : toNvIoError(error, path);
  } finally {
    await fh?.close();
  }
}

/** What {@link listEfsImageFile} lists. */
export interface EfsListing {
  /** The container chain (`img>mbn>gzip>tar`), or `folder`. */
  readonly container: string;
  readonly entries: EfsListEntry[];
  readonly warnings: EfsWarning[];
}

/**
 * `nv qcom efs ls`: the entries of an EFS image file (any container `readEfsImageFile` reads) or folder. A big plain
 * `fs_image.tar.gz` or tar (over 16 MiB) is read as a stream, member by member, so memory stays bounded by its
 * largest file (issue 17); the rows are those of `listEfsTree` either way.
 * @throws NvError as {@link readEfsImageFile} and {@link readEfsFolder}
 * @example const { container, entries } = await listEfsImageFile('fs_image.tar.gz');
 */
export async function listEfsImageFile(path: string, options: ReadEfsImageOptions = {}): Promise<EfsListing> {
  if (await isDirectory(path)) {
    const { tree, warnings } = await readEfsFolder(path);
    return { container: 'folder', entries: listEfsTree(tree), warnings };
  }
  const rows = new Map<string, EfsListEntry>();
  const streamed = await streamEfsImage(path, options, (_m, e) => {
    if (e !== undefined) rows.set(e.path, listEfsTree({ entries: [e] })[0] as EfsListEntry);
  });
  if (streamed === undefined) {
    const image = await readEfsImageFile(path, options);
    return { container: image.chain.join('>'), entries: listEfsTree(image.tree), warnings: image.warnings };
  }
  for (const e of streamed.tree.entries)
    if (!rows.has(e.path)) rows.set(e.path, listEfsTree({ entries: [e] })[0] as EfsListEntry);
  return { container: streamed.chain.join('>'), entries: [...rows.values()], warnings: streamed.warnings };
}

/** Result of {@link unpackEfsImageFile}. */
export interface UnpackResult {
  readonly container: string;
  /** Files written. */
  readonly files: number;
  /** Entries of the tree (folders and symlinks included). */
  readonly entries: number;
  readonly warnings: EfsWarning[];
}

/**
 * `nv qcom efs unpack`: an EFS image file (any container) into a new folder, as {@link writeEfsFolder} writes a tree.
 * A big plain `fs_image.tar.gz` or tar (over 16 MiB) is read twice as a stream — once for the tree and its checks,
 * once for the data, each file written as it arrives — so memory stays bounded by its largest file (issue 17).
 * @throws NvError as {@link readEfsImageFile} and {@link writeEfsFolder}
 * @example await unpackEfsImageFile('fs_image.tar.gz', 'efs/');
 */
export async function unpackEfsImageFile(
  path: string,
  dir: string,
  options: WriteFolderOptions & ReadEfsImageOptions = {},
): Promise<UnpackResult> {
  // Pass 1: the tree (metadata) and which member is the last one of each path.
  const last = new Map<string, number>();
  let index = 0;
  const streamed = await streamEfsImage(path, options, (_m, e) => {
    if (e !== undefined) last.set(e.path, index);
    index++;
  });
  if (streamed === undefined) {
    const image = await readEfsImageFile(path, options);
    const { files } = await writeEfsFolder(dir, image.tree, options);
    return { container: image.chain.join('>'), files, entries: image.tree.entries.length, warnings: image.warnings };
  }
  const { files } = await writeFolder(dir, streamed.tree, options, async (tmp) => {
    // Pass 2: the data, each file written when its member arrives (the last of a repeated path wins).
    let i = 0;
    await streamEfsImage(path, options, async (_m, e) => {
      const mine = i++;
      if (e === undefined || (e.type !== 'item' && e.type !== 'file') || last.get(e.path) !== mine) return;
      await writeFile(resolve(tmp, `.${e.path}`), e.data as Uint8Array, { flag: 'wx', mode: 0o644 });
    });
  });
  return {
    container: streamed.chain.join('>'),
    files,
    entries: streamed.tree.entries.length,
    warnings: streamed.warnings,
  };
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}
