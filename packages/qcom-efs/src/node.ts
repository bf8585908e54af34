/**
 * `@nv/qcom-efs/node`: node:zlib backend, host folders ↔ EFS trees (with the `.nv-efs.json` manifest), and
 * streaming `fs_image.tar.gz` pack.
 * @module
 */
import * as zlib from 'node:zlib';
import { createDeflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib';
import { mkdir, open, readFile, symlink, writeFile } from 'node:fs/promises';
import { IMG_MAGIC, IMG_SECTOR_SIZE, MBN_HEADER_SIZE, hasGzipMagic, parseMbnHeader } from '@nv/qcom-fsg-sign';
import { readFileSync, readdirSync, statSync, type Dirent } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { NvError, SILENT_PROGRESS, checkLimit, resolveLimits, type Limits, type ProgressReporter } from '@nv/core';

/** Largest EFS tree read from a folder (512 MiB; real EFS trees are a few MiB). */
const MAX_TREE_BYTES = 512 * 1024 * 1024;
import { readFileLimited, toNvIoError, writeDirectoryAtomic, writeFileAtomic } from '@nv/core/node';
import { compileNvFiles, type CompileOptions, type CompileResult } from './compile.ts';
import type { XmlResolver } from './xml.ts';
import {
  GZIP_HEADER,
  MAX_EFS_INFLATED_BYTES,
  crc32,
  encodeGzip,
  gzipTrailer,
  type DeflateBackend,
  type GzipOptions,
} from './gzip.ts';
import { readEfsImage, unwrapFsgContainer, type EfsImage, type ReadEfsImageOptions } from './image.ts';
import { MANIFEST_NAME, decodeManifest, encodeManifest } from './manifest.ts';
import { efsTarChunks, encodeEfsTar, type TarEncodeOptions } from './tar.ts';
import { extract as tarExtract } from 'tar-stream';
import { repackHostEntries, type HostTarEntry, type RepackOptions, type RepackRepair } from './repack.ts';
import { decodeGzip } from './gzip.ts';

/** Trees with less data than this are packed in memory (64 MiB). */
const IN_MEMORY_BYTES = 64 * 1024 * 1024;
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

/**
 * node:zlib as the deflate backend (docs/formats/index.md#libraries: byte-identical output, `maxOutputLength` → `NV_LIMIT`).
 * @example decodeGzip(bytes, NODE_DEFLATE)
 */
export const NODE_DEFLATE: DeflateBackend = {
  deflateRaw(data, { level, memLevel }) {
    const out = deflateRawSync(data, { level, memLevel, windowBits: 15 });
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  },
  inflateRaw(data, maxOutputBytes) {
    try {
      // Output chunks of up to 4 MiB (not 16 KiB): large chunks are returned to the OS once the output is joined, so a
      // 60 MB payload does not leave its size in the process's resident memory (issue 17, `sim qcom boot`).
      const chunkSize = Math.min(4 << 20, Math.max(64 << 10, data.length));
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
          const buf = readFileSync(hostPath);
          data = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
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
  options: {
    force?: boolean;
    links?: boolean;
    /** Files this command reads (the archive): `--force` refuses an output folder that holds one (issue 14.9). */
    inputs?: readonly string[];
  } = {},
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
          await writeFile(host, e.data as Uint8Array, { flag: 'wx', mode: 0o644 });
          files++;
        }
      }
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
    const out = options.gzip === false ? tar : encodeGzip(tar, NODE_DEFLATE, options);
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

/**
 * The file-system resolver for XML includes (docs/formats/qcn.md#nvsource (3)): reads UTF-8 files (≤ 16 MiB) and lists folders.
 * @example compileNvFiles('master.xml', 'def.xml', nodeXmlResolver())
 */
export function nodeXmlResolver(): XmlResolver {
  return {
    read(path) {
      try {
        const st = statSync(path);
        if (!st.isFile()) return undefined;
        if (st.size > 16 * 1024 * 1024) throw new NvError('NV_LIMIT', `${path} is over 16 MiB`, { path });
        return readFileSync(path, 'utf8');
      } catch (error) {
        if (NvError.isInstance(error)) throw error;
        return undefined;
      }
    },
    list(dir) {
      try {
        return readdirSync(dir);
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Compiles a master NvSource (with includes) and an NvDefinition from files into a QCN model, with node:zlib for
 * `compressed` items. Encode it with `encodeQcn`.
 * @throws NvError the compiler's codes, `NV_NOT_FOUND`
 * @example const { qcn } = compileNvSourceFiles('master.xml', 'NvDefinition.xml');
 */
export function compileNvSourceFiles(
  masterPath: string,
  definitionPath: string,
  options: CompileOptions = {},
): CompileResult {
  return compileNvFiles(masterPath, definitionPath, nodeXmlResolver(), { deflate: NODE_DEFLATE, ...options });
}

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
