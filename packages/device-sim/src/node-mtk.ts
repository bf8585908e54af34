/**
 * Node-only: save the simulated MediaTek device to a state folder and load it back (format: `mtk-state.ts`).
 * The lead re-exports these from `@nv/device-sim/node`.
 * @module
 */
import { mkdir, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NvError } from '@nv/core';
import { readFileLimited, toNvIoError, writeDirectoryAtomic } from '@nv/core/node';
import type { MtkDevice } from './mtk-device.ts';
import { LID_LIMITS } from '@nv/mtk-lid-file';
import {
  MTK_SIM_IMAGE_BYTES,
  MTK_SIM_IMAGE_FILES,
  mtkImagesToStateFiles,
  mtkStateFilesToImages,
} from './node-mtk-images.ts';
import {
  MTK_STATE_FILE,
  MTK_STATE_MAX_FILES,
  MTK_STATE_MAX_JSON,
  mtkDeviceFromFiles,
  mtkDeviceToFiles,
} from './mtk-state.ts';

/** True when the state folder `dir` keeps its partitions as images (it has `nvdata.img`). */
export async function mtkStateHasImages(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, MTK_SIM_IMAGE_FILES.nvdata))).isFile();
  } catch {
    return false;
  }
}

/**
 * Writes `device` to the folder `dir`, atomically (a temporary folder renamed into place). With `images` the
 * partitions are image files (`nvdata.img`, `protect1.img`, `protect2.img`, `nvram.bin`; `otp/` stays a folder)
 * next to `device.json`; without it, the folder keeps the layout it has (images when it has `nvdata.img`).
 * @throws NV_EXISTS when `dir` is not empty and `force` is not set; NV_IO; NV_LID_IMAGE_FULL.
 * @example await saveMtkDevice('state', device, { force: true });
 */
export async function saveMtkDevice(
  dir: string,
  device: MtkDevice,
  options: { force?: boolean; images?: boolean } = {},
): Promise<void> {
  const images = options.images ?? (await mtkStateHasImages(dir));
  let files = mtkDeviceToFiles(device);
  if (images)
    files = [
      ...files.filter((f) => f.path === MTK_STATE_FILE || f.path.startsWith('otp/')),
      ...(await mtkStateFilesToImages(files, device.binRegion === null)),
    ];
  const { images: _i, ...rest } = options;
  await writeDirectoryAtomic(
    dir,
    async (tmp) => {
      for (const f of files) {
        const target = join(tmp, ...f.path.split('/'));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, f.bytes);
      }
    },
    rest,
  );
}

/**
 * The partitions of `device` as a read-back gives them: `nvdata.img`, `protect1.img`, `protect2.img` (ext) and
 * `nvram.bin` (bin region), written into a new folder `outDir` (atomically).
 * @throws NV_EXISTS when `outDir` is not empty and `force` is not set; NV_IO; NV_LID_IMAGE_FULL.
 * @example await dumpMtkDevice(device, 'dump')
 */
export async function dumpMtkDevice(
  device: MtkDevice,
  outDir: string,
  options: { force?: boolean } = {},
): Promise<{ files: { name: string; size: number }[] }> {
  const images = await mtkStateFilesToImages(mtkDeviceToFiles(device), device.binRegion === null);
  await writeDirectoryAtomic(
    outDir,
    async (tmp) => {
      for (const f of images) await writeFile(join(tmp, f.path), f.bytes);
    },
    options,
  );
  return { files: images.map((f) => ({ name: f.path, size: f.bytes.length })) };
}

/**
 * Reads a device from the state folder `dir`.
 * @throws NV_NOT_FOUND when `dir/device.json` is missing; NV_SIM_MTK_BAD_STATE; NV_LIMIT.
 * @example const device = await loadMtkDevice('state');
 */
export async function loadMtkDevice(dir: string): Promise<MtkDevice> {
  const jsonPath = join(dir, MTK_STATE_FILE);
  let json: Uint8Array;
  try {
    json = await readFileLimited(jsonPath, MTK_STATE_MAX_JSON);
  } catch (error) {
    throw NvError.isInstance(error) ? error : toNvIoError(error, jsonPath);
  }
  // Collect the listed files first (the pure reader is synchronous); an --images state has them in its images.
  const listed = new Map<string, Uint8Array>();
  if (await mtkStateHasImages(dir)) {
    const images = new Map<string, Uint8Array>();
    for (const [where, name] of Object.entries(MTK_SIM_IMAGE_FILES)) {
      const limit = Math.max(MTK_SIM_IMAGE_BYTES[where as keyof typeof MTK_SIM_IMAGE_BYTES] * 4, 64 * 1024 * 1024);
      try {
        images.set(name, await readFileLimited(join(dir, name), limit));
      } catch (error) {
        if (!(NvError.isInstance(error) && error.code === 'NV_NOT_FOUND')) throw toNvIoError(error, join(dir, name));
      }
    }
    try {
      for (const [rel, bytes] of await mtkImagesToStateFiles((n) => images.get(n))) listed.set(rel, bytes);
    } catch (error) {
      // Image names in the errors are relative to the state folder.
      if (!NvError.isInstance(error)) throw error;
      throw new NvError(error.code, error.message, {
        path: join(dir, error.path ?? MTK_SIM_IMAGE_FILES.nvdata),
        offset: error.offset,
        data: error.data,
        cause: error.cause,
      });
    }
  }
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(json));
  } catch {
    doc = undefined; // mtkDeviceFromFiles reports the bad JSON.
  }
  const files = (doc as { files?: unknown } | undefined)?.files;
  if (Array.isArray(files)) {
    for (const m of files as { where?: unknown; path?: unknown }[]) {
      if (typeof m?.where !== 'string' || typeof m.path !== 'string' || m.path.includes('..') || m.where.includes('..'))
        continue;
      const rel = `${m.where}/${m.path}`;
      if (listed.has(rel) || listed.size > MTK_STATE_MAX_FILES) continue; // the pure reader reports the count limit
      try {
        // Size-checked: a listed path may name a huge file; no stored LID file is over LID_MAX_FILE_BYTES.
        listed.set(rel, await readFileLimited(join(dir, ...rel.split('/')), LID_LIMITS.fileBytes));
      } catch (error) {
        if (!(NvError.isInstance(error) && error.code === 'NV_NOT_FOUND')) throw toNvIoError(error, join(dir, rel));
      }
    }
  }
  try {
    return mtkDeviceFromFiles(json, (p) => listed.get(p));
  } catch (error) {
    // Paths in the pure reader are relative to the state folder.
    if (!NvError.isInstance(error)) throw error;
    throw new NvError(error.code, error.message, {
      path: join(dir, ...(error.path ?? MTK_STATE_FILE).split('/')),
      offset: error.offset,
      data: error.data,
      cause: error.cause,
    });
  }
}
