/**
 * Node-only: save a simulated Qualcomm device to a folder and load it back. Layout: `device.json` (everything but
 * the partitions) and `modemst1.bin`, `modemst2.bin`, `fsg.bin`, `fsc.bin` (raw partition bytes).
 * @module
 */
import { mkdir, stat } from 'node:fs/promises';
import { NvError } from '@nv/core';
import { join } from 'node:path';
import { bytesEqual, encodeUtf8, decodeUtf8 } from '@nv/core/bytes';
import { openFileLimited, readFileLimited, toNvIoError, writeFileAtomic } from '@nv/core/node';
import { QCOM_PARTITIONS, type QcomDevice, type QcomPartitionName } from './qcom-device.ts';
import { MODEMST_BODY_OFFSET } from './qcom-cipher.ts';
import { deserializeQcomState, serializeQcomState } from './qcom-state.ts';
import { extentOf, headPartition, partitionChunks, type QcomPartition } from './qcom-partition.ts';
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
  // Each raw partition becomes sparse as it is read (its trailing fill is never read into memory), and a modemst
  // copy whose ciphertext equals the other's shares it, as it did before saving.
  const partitions = {} as Record<QcomPartitionName, QcomPartition>;
  for (const p of QCOM_PARTITIONS)
    partitions[p] = await readPartitionFile(join(dir, `${p}.bin`), MAX_PARTITION, {
      loaded: Object.values(partitions),
      // A modemst copy is read as its header + tag and its ciphertext, the extents it had before saving.
      ...(p === 'modemst1' || p === 'modemst2' ? { split: MODEMST_BODY_OFFSET } : {}),
    });
  return deserializeQcomState(json, partitions, formats, jsonPath);
}

const WINDOW = 1 << 20;

/**
 * A raw partition file as a sparse partition: what `partitionFromBytes(readFile(path))` gives, without reading the
 * trailing fill (0x00 when the last byte is 0x00, else 0xFF) into memory, and sharing the last extent of an
 * already loaded partition when the file holds the same bytes at the same offset (issue 17: a device saved after a
 * 60 MB first boot loads with one ciphertext for both modemst copies, not two). `split` cuts the data in two
 * extents at that offset (a modemst copy's header + tag and its ciphertext).
 * @throws NvError `NV_NOT_FOUND`, `NV_IO`, `NV_LIMIT`
 */
export async function readPartitionFile(
  path: string,
  maxBytes: number,
  options: { loaded?: readonly QcomPartition[]; split?: number } = {},
): Promise<QcomPartition> {
  const loaded = options.loaded ?? [];
  const { handle, size } = await openFileLimited(path, maxBytes);
  try {
    // `into`: a scratch buffer to read into (the scans below read the whole fill window by window; fresh windows
    // would pile up as garbage, tens of MB for a 64 MB partition of 0xFF).
    const read = async (start: number, end: number, into?: Uint8Array): Promise<Uint8Array> => {
      const out = into === undefined ? new Uint8Array(end - start) : into.subarray(0, end - start);
      for (let at = 0; at < out.length;) {
        const { bytesRead } = await handle.read(out, at, out.length - at, start + at);
        if (bytesRead === 0)
          throw new NvError('NV_IO', `${path} changed size while it was read`, { path, offset: start + at });
        at += bytesRead;
      }
      return out;
    };
    if (size === 0) return headPartition(0, new Uint8Array(0), 0xff);
    const fill: 0x00 | 0xff = (await read(size - 1, size))[0] === 0x00 ? 0x00 : 0xff;
    // The end of the data: scan back window by window for the last byte that is not the fill.
    let end = 0;
    const scratch = new Uint8Array(Math.min(WINDOW, size));
    for (let hi = size; hi > 0 && end === 0; hi -= WINDOW) {
      const lo = Math.max(0, hi - WINDOW);
      const w = await read(lo, hi, scratch);
      for (let i = w.length - 1; i >= 0; i--)
        if (w[i] !== fill) {
          end = lo + i + 1;
          break;
        }
    }
    // Share an extent that ends where this data ends, when the file holds the same bytes there.
    for (const other of loaded) {
      const x = other.extents[other.extents.length - 1];
      if (x === undefined || x.offset === 0 || x.offset + x.length !== end || x.length < WINDOW) continue;
      let same = true;
      for (let at = 0; at < x.length && same; at += WINDOW) {
        const n = Math.min(WINDOW, x.length - at);
        same = bytesEqual(await read(x.offset + at, x.offset + at + n, scratch), x.bytes.subarray(at, at + n));
      }
      if (same) return { size, fill, extents: [extentOf(0, await read(0, x.offset)), x] };
    }
    const split = options.split ?? 0;
    if (split > 0 && end > split)
      return { size, fill, extents: [extentOf(0, await read(0, split)), extentOf(split, await read(split, end))] };
    return headPartition(size, await read(0, end), fill);
  } catch (error) {
    throw toNvIoError(error, path);
  } finally {
    await handle.close().catch(() => undefined);
  }
}
