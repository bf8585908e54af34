/**
 * `@nv/mtk-lid-file/node`: folders of LID files on disk, and the bin-region partition as a file.
 * @module
 */
import { mkdir, readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { NvError, bytesEqual } from '@nv/core';
import { readFileLimited, toNvIoError, writeDirectoryAtomic, writeFileAtomic } from '@nv/core/node';
import { BIN_REGION_MAX_BYTES, inspectBinRegion, scanBinRegionTitles, unpackBinRegion, binRegionChecksum, type BinRegionInspection, type BinRegionOptions } from './bin-region.ts';
import { LID_MAX_FILE_BYTES } from './lid-file.ts';
import { isLidFileName } from './names.ts';
import { verifyLidFiles, type LidVerifyOptions, type LidVerifyResult } from './verify.ts';

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
    if (out.length > MAX_FILES) throw new NvError('NV_LIMIT', `more than ${MAX_FILES} files under ${root}`, { path: root });
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
export async function writeLidFolderChanges(dir: string, store: ReadonlyMap<string, Uint8Array>, before: ReadonlyMap<string, Uint8Array>): Promise<string[]> {
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
  return verifyLidFiles(files, options);
}

/**
 * Inspects a bin-region partition image file (§11).
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
 * Extracts every backed-up file of a bin-region image into `outDir` (created atomically; full paths become
 * sub-folders, never escaping `outDir`), after verifying ulCheckSum.
 * @throws NvError `NV_LID_BIN_BAD_CHECKSUM`, `NV_LID_BIN_EMPTY`, and as `inspectBinRegion`.
 * @example await extractBinRegion('nvram.bin', 'out')
 */
export async function extractBinRegion(path: string, outDir: string, options: BinRegionOptions & { force?: boolean } = {}): Promise<{ files: string[] }> {
  const bytes = await readFileLimited(path, BIN_REGION_MAX_BYTES);
  const { allMap, allFile } = unpackBinRegion(bytes, { path, ...options });
  if (new DataView(allMap.buffer, allMap.byteOffset, 4).getUint32(0, true) !== binRegionChecksum(allFile)) {
    throw new NvError('NV_LID_BIN_BAD_CHECKSUM', 'ulCheckSum does not match AllFile: the backup is corrupt', { path });
  }
  const titles = scanBinRegionTitles(allMap, allFile.length, path);
  return writeDirectoryAtomic(outDir, async (tmp) => {
    const files: string[] = [];
    for (const t of titles) {
      const rel = t.name.split('/').filter((s) => s !== '' && s !== '.' && s !== '..').join('/');
      if (rel === '') continue;
      const target = join(tmp, rel);
      await mkdir(join(target, '..'), { recursive: true });
      await writeFileAtomic(target, allFile.subarray(t.start, t.start + t.size), { force: true });
      files.push(rel);
    }
    return { files };
  }, options.force === undefined ? {} : { force: options.force });
}
