/**
 * Node-only: save a simulated Qualcomm device to a folder and load it back. Layout: `device.json` (everything but
 * the partitions) and `modemst1.bin`, `modemst2.bin`, `fsg.bin`, `fsc.bin` (raw partition bytes).
 * @module
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NvError, encodeUtf8 } from '@nv/core';
import { readFileLimited, toNvIoError, writeFileAtomic } from '@nv/core/node';
import { QCOM_PARTITIONS, type QcomDevice, type QcomDeviceState, type QcomPartitionName } from './qcom-device.ts';
import type { QcomFormats } from './qcom-formats.ts';

const MAX_PARTITION = 64 * 1024 * 1024;

/**
 * Writes the device state into `dir` (created if missing; files replaced atomically).
 * @example await saveQcomDevice(dev, './state')
 * @throws NvError `NV_IO` when the folder cannot be written.
 */
export async function saveQcomDevice(device: QcomDevice, dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw toNvIoError(e, dir);
  }
  const { partitions, ...rest } = device.state;
  for (const p of QCOM_PARTITIONS) await writeFileAtomic(join(dir, `${p}.bin`), partitions[p], { force: true });
  await writeFileAtomic(join(dir, 'device.json'), encodeUtf8(`${JSON.stringify(rest, null, 2)}\n`), { force: true });
}

/** True when `dir` holds a saved device (`device.json`). */
export async function hasQcomDevice(dir: string): Promise<boolean> {
  try {
    await readFile(join(dir, 'device.json'));
    return true;
  } catch {
    return false;
  }
}

/**
 * Loads a device saved by {@link saveQcomDevice}. The EFS is not in memory until the next boot.
 * @example const dev = await loadQcomDevice('./state', formats); bootQcom(dev)
 * @throws NvError `NV_SIM_QCOM_STATE` (malformed), `NV_NOT_FOUND`/`NV_IO`.
 */
export async function loadQcomDevice(dir: string, formats?: QcomFormats): Promise<QcomDevice> {
  const jsonPath = join(dir, 'device.json');
  const raw = await readFileLimited(jsonPath, 64 * 1024 * 1024);
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(raw));
  } catch (cause) {
    throw new NvError('NV_SIM_QCOM_STATE', `${jsonPath} is not valid JSON`, { path: jsonPath, cause });
  }
  const s = parsed as Partial<QcomDeviceState>;
  if (typeof s !== 'object' || s === null || s.version !== 1 || typeof s.seed !== 'string' || typeof s.build !== 'object' || typeof s.fuses !== 'object' || typeof s.pdc !== 'object' || !Array.isArray(s.slots)) {
    throw new NvError('NV_SIM_QCOM_STATE', `${jsonPath} is not a version-1 simulated Qualcomm device`, { path: jsonPath });
  }
  const partitions = {} as Record<QcomPartitionName, Uint8Array>;
  for (const p of QCOM_PARTITIONS) partitions[p] = await readFileLimited(join(dir, `${p}.bin`), MAX_PARTITION);
  const state = { ...(s as Omit<QcomDeviceState, 'partitions'>), partitions };
  return formats ? { state, formats } : { state };
}
