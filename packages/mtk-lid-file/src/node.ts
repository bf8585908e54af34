/**
 * `@nv/mtk-lid-file/node`: folders of LID files on disk, and the bin-region partition as a file.
 * @module
 */
import { readSync } from 'node:fs';
import { appendFile, mkdir, open, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { NvError, checkLimit } from '@nv/core';
import { bytesEqual } from '@nv/core/bytes';
import { readFileLimited, toNvIoError, writeDirectoryAtomic, writeFileAtomic } from '@nv/core/node';
import {
  BIN_REGION_MAX_BYTES,
  createBinRegionChecksum,
  inspectBinRegion,
  readBinRegionMap,
  scanBinRegionTitles,
  type BinRegionInspection,
  type BinRegionOptions,
} from './bin-region.ts';
import { LID_MAX_FILE_BYTES } from './lid-file.ts';
import { isLidFileName } from './names.ts';
import { verifyLidFiles, type LidVerifyOptions, type LidVerifyResult } from './verify.ts';
import { NODE_LID_CRYPTO } from './node-crypto.ts';

const MAX_FILES = 100_000;

async function listFiles(root: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(root, { withFileTypes: true });
  } catch (error) {
    throw toNvIoError(error, root);
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const p = join(root, e.name);
    if (e.isDirectory()) await listFiles(p, out);
    else if (e.isFile()) out.push(p);
    if (out.length > MAX_FILES)
      throw new NvError('NV_LIMIT', `more than ${MAX_FILES} files under ${root}`, { path: root });
  }
}

/**
 * Reads every file of a LID folder (non-recursive) into a `Map` by file name, usable as a `LidStore`.
 * @throws NvError `NV_NOT_FOUND`/`NV_IO`, `NV_LIMIT`.
 * @example const store = await readLidFolder('nvdata/md/NVRAM/NVD_IMEI')
 */
export async function readLidFolder(dir: string): Promise<Map<string, Uint8Array>> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw toNvIoError(error, dir);
  }
  const store = new Map<string, Uint8Array>();
  for (const e of entries) {
    if (!e.isFile()) continue;
    if (store.size >= MAX_FILES) throw new NvError('NV_LIMIT', `more than ${MAX_FILES} files in ${dir}`, { path: dir });
    store.set(e.name, await readFileLimited(join(dir, e.name), LID_MAX_FILE_BYTES));
  }
  return store;
}

/**
 * Writes the files of `store` that differ from `before` (or are new) back into `dir`, each atomically.
 * @returns the names written.
 * @example await writeLidFolderChanges(dir, store, before)
 */
export async function writeLidFolderChanges(
  dir: string,
  store: ReadonlyMap<string, Uint8Array>,
  before: ReadonlyMap<string, Uint8Array>,
): Promise<string[]> {
  const written: string[] = [];
  for (const [name, bytes] of store) {
    const old = before.get(name);
    if (old && bytesEqual(old, bytes)) continue;
    await writeFileAtomic(join(dir, name), bytes, { force: true });
    written.push(name);
  }
  return written;
}

/**
 * Verifies one LID file, or every LID-named file under a directory (recursively), A/B pairs included.
 * @throws NvError `NV_NOT_FOUND`/`NV_IO`, `NV_LIMIT`.
 * @example (await verifyLidPath('nvdata/md/NVRAM')).ok
 */
export async function verifyLidPath(path: string, options: LidVerifyOptions = {}): Promise<LidVerifyResult> {
  let st;
  try {
    st = await stat(path);
  } catch (error) {
    throw toNvIoError(error, path);
  }
  const paths: string[] = [];
  // A folder holds other files too (AllMap, APCFG…): only LID-named files are checked there; a single file always.
  if (st.isDirectory()) {
    await listFiles(path, paths);
    paths.splice(0, paths.length, ...paths.filter((p) => isLidFileName(basename(p))));
  } else paths.push(path);
  const files: { path: string; bytes: Uint8Array }[] = [];
  for (const p of paths) files.push({ path: p, bytes: await readFileLimited(p, LID_MAX_FILE_BYTES) });
  return verifyLidFiles(files, { crypto: NODE_LID_CRYPTO, ...options });
}

/**
 * Inspects a bin-region partition image file (docs/formats/bin-region.md#layout).
 * @throws NvError as `inspectBinRegion`, plus `NV_NOT_FOUND`/`NV_IO`.
 * @example (await inspectBinRegionFile('nvram.bin')).files
 */
export async function inspectBinRegionFile(path: string, options: BinRegionOptions = {}): Promise<BinRegionInspection> {
  const bytes = await readFileLimited(path, BIN_REGION_MAX_BYTES);
  try {
    return inspectBinRegion(bytes, { path, ...options });
  } catch (error) {
    throw NvError.isInstance(error) ? error.withPath(path) : error;
  }
}

/**
 * Extracts every backed-up file of a bin-region image into `outDir`, streaming: the image is read block by block
 * (never whole), AllFile blocks are appended to their files while ulCheckSum is computed; on a bad checksum the
 * folder is not created. Full paths become sub-folders that never escape `outDir`.
 * @throws NvError `NV_LID_BIN_BAD_CHECKSUM`, `NV_LID_BIN_EMPTY`, `NV_LID_BIN_BAD_HEADER`, `NV_LID_BIN_BAD_TITLE`, `NV_EXISTS`, `NV_IO`.
 * @example await extractBinRegion('nvram.bin', 'out')
 */
export async function extractBinRegion(
  path: string,
  outDir: string,
  options: BinRegionOptions & { force?: boolean } = {},
): Promise<{ files: string[] }> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (error) {
    throw toNvIoError(error, path);
  }
  try {
    const size = (await fh.stat()).size;
    checkLimit('bin region size', size, BIN_REGION_MAX_BYTES, { path });
    // Blank check, streamed.
    const chunk = new Uint8Array(1 << 20);
    let zero = true,
      ff = true;
    for (let o = 0; o < size && (zero || ff); o += chunk.length) {
      const { bytesRead } = await fh.read(chunk, 0, Math.min(chunk.length, size - o), o);
      for (let i = 0; i < bytesRead && (zero || ff); i++) {
        if (chunk[i] !== 0) zero = false;
        if (chunk[i] !== 0xff) ff = false;
      }
    }
    if (zero || ff) throw new NvError('NV_LID_BIN_EMPTY', 'the bin region is blank: nothing to restore', { path });
    const fd = fh.fd;
    const src = {
      size,
      read(offset: number, length: number): Uint8Array {
        const b = new Uint8Array(length);
        readSync(fd, b, 0, length, offset);
        return b;
      },
    };
    const map = readBinRegionMap(src, { path, ...options });
    const titles = scanBinRegionTitles(map.allMap, map.datSize, path);
    const stored = new DataView(map.allMap.buffer, map.allMap.byteOffset, 4).getUint32(0, true);
    return await writeDirectoryAtomic(
      outDir,
      async (tmp) => {
        const targets = titles.map((t) =>
          t.name
            .split('/')
            .filter((x) => x !== '' && x !== '.' && x !== '..')
            .join('/'),
        );
        for (const rel of targets) {
          if (rel === '') continue;
          await mkdir(dirname(join(tmp, rel)), { recursive: true });
          await writeFile(join(tmp, rel), new Uint8Array());
        }
        const sum = createBinRegionChecksum();
        let at = 0;
        for (const [offset, length] of map.dataRuns) {
          const block = new Uint8Array(length);
          const { bytesRead } = await fh.read(block, 0, length, offset);
          if (bytesRead !== length)
            throw new NvError('NV_TRUNCATED', `bin region ends inside AllFile at ${offset + bytesRead}`, {
              path,
              offset: offset + bytesRead,
            });
          sum.update(block);
          for (let i = 0; i < titles.length; i++) {
            const t = titles[i]!;
            const lo = Math.max(t.start, at),
              hi = Math.min(t.start + t.size, at + length);
            if (lo < hi && targets[i] !== '')
              await appendFile(join(tmp, targets[i]!), block.subarray(lo - at, hi - at));
          }
          at += length;
        }
        if (sum.digest() !== stored)
          throw new NvError(
            'NV_LID_BIN_BAD_CHECKSUM',
            `ulCheckSum is 0x${stored.toString(16)}, AllFile gives 0x${sum.digest().toString(16)}: the backup is corrupt`,
            { path },
          );
        return { files: targets.filter((r) => r !== '') };
      },
      options.force === undefined ? {} : { force: options.force },
    );
  } finally {
    await fh.close();
  }
}

export { NODE_LID_CRYPTO };
export {
  checkExt4Magic,
  listExt4Image,
  putExt4File,
  readExt4Files,
  readExt4ImageFile,
  type Ext4ImageEntry,
  type Ext4PutOptions,
  type Ext4PutResult,
  type Ext4PutStat,
} from './node-ext4.ts';
export { EXT4_BUILD_DEFAULTS, buildExt4Image, type Ext4BuildEntry, type Ext4BuildOptions } from './node-ext4-build.ts';
