/**
 * Node-only: save a simulated Qualcomm device to a folder and load it back. Layout: `device.json` (everything but
 * the partitions) and `modemst1.bin`, `modemst2.bin`, `fsg.bin`, `fsc.bin` (raw partition bytes).
 * @module
 */
import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeUtf8, decodeUtf8 } from '@nv/core/bytes';
import { readFileLimited, toNvIoError, writeFileAtomic } from '@nv/core/node';
import { QCOM_PARTITIONS, type QcomDevice, type QcomPartitionName } from './qcom-device.ts';
import { deserializeQcomState, serializeQcomState } from './qcom-state.ts';
import { partitionChunks, partitionFromBytes, type QcomPartition } from './qcom-partition.ts';
import type { QcomFormats } from './qcom-formats.ts';
import { NODE_DEFLATE } from '@nv/qcom-efs/node';
import { packageQcomFormats } from './qcom-package-formats.ts';

/**
 * The device's format functions in Node: `@nv/qcom-fsg-sign` containers and verifier, `@nv/qcom-efs` gzip (node:zlib),
 * tar and QCN.
 * @example const dev = createQcomDevice({ trust, formats: nodeQcomFormats() });
 */
export function nodeQcomFormats(): QcomFormats {
  return packageQcomFormats({ deflate: NODE_DEFLATE });
}

const MAX_PARTITION = 64 * 1024 * 1024;

/**
 * Writes the device state into `dir` (created if missing; each file replaced atomically).
 * @example await saveQcomDevice(dev, './state')
 * @throws NvError `NV_IO` when the folder cannot be written.
 */
export async function saveQcomDevice(device: QcomDevice, dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (e) {
    throw toNvIoError(e, dir);
  }
  const s = serializeQcomState(device);
  // Raw full-size partitions (the layout every version reads), written in chunks from the sparse partitions.
  for (const p of QCOM_PARTITIONS)
    await writeFileAtomic(join(dir, `${p}.bin`), partitionChunks(s.partitions[p]), { force: true });
  await writeFileAtomic(join(dir, 'device.json'), encodeUtf8(s.json), { force: true });
}

/**
 * True when `dir` holds a saved device (`device.json`).
 * @example if (await hasQcomDevice('./phone')) dev = await loadQcomDevice('./phone', nodeQcomFormats())
 */
export async function hasQcomDevice(dir: string): Promise<boolean> {
  try {
    return (await stat(join(dir, 'device.json'))).isFile();
  } catch {
    return false;
  }
}

/**
 * Loads a device saved by {@link saveQcomDevice}. The EFS is not in memory until the next boot.
 * @example const dev = await loadQcomDevice('./state', formats); bootQcom(dev)
 * @throws NvError `NV_SIM_QCOM_STATE` (malformed), `NV_NOT_FOUND`/`NV_IO`/`NV_LIMIT` from reading.
 */
export async function loadQcomDevice(dir: string, formats?: QcomFormats): Promise<QcomDevice> {
  const jsonPath = join(dir, 'device.json');
  const json = decodeUtf8(await readFileLimited(jsonPath, 64 * 1024 * 1024), { path: jsonPath });
  // Each raw partition becomes sparse as it is read (its trailing fill is not held).
  const partitions = {} as Record<QcomPartitionName, QcomPartition>;
  for (const p of QCOM_PARTITIONS)
    partitions[p] = partitionFromBytes(await readFileLimited(join(dir, `${p}.bin`), MAX_PARTITION));
  return deserializeQcomState(json, partitions, formats, jsonPath);
}
