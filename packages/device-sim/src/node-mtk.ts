/**
 * Node-only: save the simulated MediaTek device to a state folder and load it back (format: `mtk-state.ts`).
 * The lead re-exports these from `@nv/device-sim/node`.
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NvError } from '@nv/core';
import { readFileLimited, toNvIoError, writeDirectoryAtomic } from '@nv/core/node';
import type { MtkDevice } from './mtk-device.ts';
import { LID_LIMITS } from '@nv/mtk-lid-file';
import {
  MTK_STATE_FILE,
  MTK_STATE_MAX_FILES,
  MTK_STATE_MAX_JSON,
  mtkDeviceFromFiles,
  mtkDeviceToFiles,
} from './mtk-state.ts';

/**
 * Writes `device` to the folder `dir`, atomically (a temporary folder renamed into place).
 * @throws NV_EXISTS when `dir` is not empty and `force` is not set; NV_IO.
 * @example await saveMtkDevice('state', device, { force: true });
 */
export async function saveMtkDevice(dir: string, device: MtkDevice, options: { force?: boolean } = {}): Promise<void> {
  await writeDirectoryAtomic(
    dir,
    async (tmp) => {
      for (const f of mtkDeviceToFiles(device)) {
        const target = join(tmp, ...f.path.split('/'));
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, f.bytes);
      }
    },
    options,
  );
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
  // Collect the listed files first (the pure reader is synchronous).
  const listed = new Map<string, Uint8Array>();
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
