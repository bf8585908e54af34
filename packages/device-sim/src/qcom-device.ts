/**
 * The simulated Qualcomm device: its persistent state (partitions, fuses, modem build, PDC, SIM slots), the EFS key,
 * flashing, writing the in-memory EFS back to the modemst copies, and the QPST-style calls on a running modem.
 * The first-boot state machine is in `qcom-boot.ts`; the saved-state format in `qcom-state.ts`.
 * @module
 */
import { NvError } from '@nv/core';
import { bytesToHex, encodeLatin1 } from '@nv/core/bytes';
import { sha256 } from '@nv/core/hash';
import { DUMMY_ROOT_SHA256 } from '@nv/qcom-fsg-sign';
import {
  MODEMST_BODY_OFFSET,
  MODEMST_HEADER_SIZE,
  deriveEfsKey,
  modemstHeader,
  checkModemst,
  modemstSealer,
} from './qcom-cipher.ts';
import {
  efsNvItems,
  efsWrite,
  planEfsEncoding,
  efsEncodingPieces,
  listEfs,
  nvItemPath,
  type QcomEfs,
  type QcomEfsListing,
} from './qcom-efs-store.ts';
import type { QcomFormats, QcomFsgTrust, QcomNvInfo, QcomTarEntry } from './qcom-formats.ts';
import type { QcomMcfgConfigJson } from './qcom-mcfg-config.ts';
import { erasedPartition, extentOf, headPartition, lazyExtent, type QcomPartition } from './qcom-partition.ts';

/** Partitions of the simulated device. */
export type QcomPartitionName = 'modemst1' | 'modemst2' | 'fsg' | 'fsc';
/**
 * Names in flash order.
 * @example for (const p of QCOM_PARTITIONS) erasePartition(dev, p)
 */
export const QCOM_PARTITIONS: readonly QcomPartitionName[] = Object.freeze(['modemst1', 'modemst2', 'fsg', 'fsc']);
/**
 * Default size of every partition: 1.5 MiB, as in known MSM8916-class devices (docs/formats/efs-tar.md#containers).
 * @example dev.state.partitions.fsg.size === QCOM_DEFAULT_PARTITION_SIZE
 */
export const QCOM_DEFAULT_PARTITION_SIZE = 0x180000;
/**
 * The modem's default (dummy) root: the public QDST root, refused unless `allowDummyKey` (docs/formats/fsg.md#modem-checks step 3).
 * @example createQcomDevice({ trust: { rootHash: QCOM_DUMMY_ROOT_HASH, hwId: 0n, swId: 0n } }) // refuses every golden copy
 */
export const QCOM_DUMMY_ROOT_HASH: string = DUMMY_ROOT_SHA256;

/** The modem software build: its FSG trust constants and its MCFG family. JSON-ready (ids as `0x…` hex strings). */
export interface QcomModemBuild {
  /** `FS_SIGNED_IMG_ROOT_HASH` (64 hex digits). */
  rootHash: string;
  /** `FS_SIGNED_IMG_MSM_HW_ID` as `0x%016X`. */
  hwId: string;
  /** `FS_SIGNED_IMG_SOFTWARE_ID` as `0x%016X`. */
  swId: string;
  /** `FEATURE_FS_TAR_ALLOW_DUMMY_KEY`. */
  allowDummyKey: boolean;
  /** `GOLDEN_RAM_SIZE` from `efs_image_meta.bin`; 0 = unknown (size check skipped). */
  goldenRamSize: number;
  /** MCFG family byte AA this modem accepts (5 = JO). */
  mcfgFamily: number;
  /** MCFG header format this modem accepts (3 for JO). */
  mcfgFormat: number;
  /** Value used when `mcfg_autoselect_by_uim` is absent (build default, often 0x80 = refresh only). */
  autoselectDefault: number;
}

/** Secure-boot fuses. When blown, the modem tries the fused root/HW_ID first and the EFS key changes. */
export interface QcomFuses {
  blown: boolean;
  /** Fused root hash (64 hex digits) when blown. */
  rootHash?: string;
  /** Fused HW_ID (`0x%016X`) when blown. */
  hwId?: string;
}

/** A SIM in a slot. */
export interface QcomSimCard {
  iccid: string;
  /** IMSI PLMN `MCC-MNC`. */
  plmn?: string;
}

/** An MCFG config as the modem stores it after PDC LOAD (see `qcom-mcfg.ts`). */
export interface QcomStoredConfig {
  /** PDC config id. */
  id: string;
  /** The parsed config (JSON-ready, `data` as hex). */
  config: QcomMcfgConfigJson;
}

/** Everything that survives a power cycle. Partitions are sparse (`qcom-partition.ts`); the rest is JSON-ready. */
export interface QcomDeviceState {
  version: 1;
  /** Device-unique secret (seed of the simulation). */
  seed: string;
  fuses: QcomFuses;
  build: QcomModemBuild;
  /** Sparse partitions: only the bytes written are held (see `qcom-partition.ts`). */
  partitions: Record<QcomPartitionName, QcomPartition>;
  /** Boot counter (derives online-mode values deterministically). */
  bootCount: number;
  /** Generation counter of modemst writes. */
  generation: number;
  /** PDC storage: loaded MCFG configs and their capacity. */
  pdc: { capacity: number; configs: QcomStoredConfig[]; active: { hw?: string; sw: Record<string, string> } };
  /** SIM slots (index = slot = subscription). */
  slots: (QcomSimCard | null)[];
  /**
   * Internal sizes of the legacy NV items this modem build knows (docs/formats/qcn.md#nv-info), learned from every item that
   * was ever in its EFS. Part of the software, so it survives an EFS loss; QPST backup/restore uses it.
   */
  nvInfo?: Record<string, { size: number; arraySize: number }>;
}

/** A powered simulated device: its persistent state plus the EFS in modem RAM after boot. */
export interface QcomDevice {
  state: QcomDeviceState;
  /** EFS in memory after a boot; undefined before boot. */
  efs?: QcomEfs;
  /** Format functions (from the format packages); needed for FSG boots and QCN backup/restore. */
  formats?: QcomFormats;
}

/** Options of {@link createQcomDevice}. */
export interface CreateQcomDeviceOptions {
  /** Device-unique seed; the same seed gives the same device. Default `"nv-sim"`. */
  seed?: string;
  /** Trust constants of the modem build. */
  trust: QcomFsgTrust;
  /** Build options beyond the trust constants. */
  build?: Partial<Omit<QcomModemBuild, 'rootHash' | 'hwId' | 'swId'>>;
  /** Secure-boot fuses already blown: the fused root and HW_ID. */
  fuses?: { rootHash: string; hwId: bigint };
  /** Partition size in bytes (default 1.5 MiB). */
  partitionSize?: number;
  /** PDC capacity (configs). Default 8. */
  pdcCapacity?: number;
}

const hex16 = (v: bigint): string => `0x${v.toString(16).toUpperCase().padStart(16, '0')}`;

function checkRootHash(hash: string, what: string): string {
  if (!/^[0-9a-fA-F]{64}$/.test(hash)) throw new RangeError(`${what} must be 64 hex digits`);
  return hash.toLowerCase();
}

function checkId(v: bigint, what: string): bigint {
  if (typeof v !== 'bigint' || v < 0n || v > 0xffff_ffff_ffff_ffffn)
    throw new RangeError(`${what} must be a bigint in 0…2^64−1`);
  return v;
}

/**
 * A factory-fresh simulated Qualcomm device: all partitions erased (0xFF), no EFS, fuses as given.
 *
 * @example
 * const dev = createQcomDevice({ trust: { rootHash, hwId: 0x009600E100000000n, swId: 0n }, formats });
 * @throws {RangeError} on a malformed root hash or id.
 */
export function createQcomDevice(options: CreateQcomDeviceOptions & { formats?: QcomFormats }): QcomDevice {
  const size = options.partitionSize ?? QCOM_DEFAULT_PARTITION_SIZE;
  if (!Number.isInteger(size) || size < 4096 || size > 64 * 1024 * 1024)
    throw new RangeError('partitionSize must be 4 KiB…64 MiB');
  // Sparse: an erased partition holds no bytes (qcom-partition.ts).
  const partitions = {} as Record<QcomPartitionName, QcomPartition>;
  for (const p of QCOM_PARTITIONS) partitions[p] = erasedPartition(size);
  const state: QcomDeviceState = {
    version: 1,
    seed: options.seed ?? 'nv-sim',
    fuses: options.fuses
      ? {
          blown: true,
          rootHash: checkRootHash(options.fuses.rootHash, 'fused root hash'),
          hwId: hex16(checkId(options.fuses.hwId, 'fused HW_ID')),
        }
      : { blown: false },
    build: {
      rootHash: checkRootHash(options.trust.rootHash, 'trust.rootHash'),
      hwId: hex16(checkId(options.trust.hwId, 'trust.hwId')),
      swId: hex16(checkId(options.trust.swId, 'trust.swId')),
      allowDummyKey: options.build?.allowDummyKey ?? false,
      goldenRamSize: options.build?.goldenRamSize ?? 0,
      mcfgFamily: options.build?.mcfgFamily ?? 5,
      mcfgFormat: options.build?.mcfgFormat ?? 3,
      autoselectDefault: options.build?.autoselectDefault ?? 0x80,
    },
    partitions,
    bootCount: 0,
    generation: 0,
    pdc: { capacity: options.pdcCapacity ?? 8, configs: [], active: { sw: {} } },
    slots: [null, null],
  };
  return options.formats ? { state, formats: options.formats } : { state };
}

/**
 * Flashes an image to a partition (rest of the partition zero-filled, as `fastboot flash` leaves it, inferred).
 * The partition keeps `image` itself (no copy): do not modify it afterwards.
 * @example flashPartition(dev, 'fsg', await readFile('fs_image.tar.gz.mbn.img'))
 */
export function flashPartition(device: QcomDevice, name: QcomPartitionName, image: Uint8Array): void {
  const part = device.state.partitions[name];
  if (image.length > part.size) {
    throw new NvError(
      'NV_SIM_QCOM_PARTITION_SIZE',
      `${name}: image of ${image.length} bytes does not fit the ${part.size}-byte partition`,
      { path: name, data: { size: image.length, partition: part.size } },
    );
  }
  device.state.partitions[name] = headPartition(part.size, image, 0x00);
  device.efs = undefined;
}

/**
 * Erases a partition (all 0xFF, like `fastboot erase`).
 * @example erasePartition(dev, 'modemst1'); erasePartition(dev, 'modemst2'); bootQcom(dev).source // 'fsg'
 */
export function erasePartition(device: QcomDevice, name: QcomPartitionName): void {
  device.state.partitions[name] = erasedPartition(device.state.partitions[name].size);
  device.efs = undefined;
}

/**
 * The EFS key the running software uses (changes when the fuses are blown).
 * @example bytesToHex(currentEfsKey(dev.state))
 */
export function currentEfsKey(state: QcomDeviceState): Uint8Array {
  return deriveEfsKey(state.seed, state.fuses.blown, state.fuses.rootHash ?? '');
}

/**
 * Writes the in-memory EFS back to the modemst copies, encrypted with the device key. `both` writes both copies
 * (after an FSG restore); otherwise the older copy is overwritten, as the modem alternates between them.
 * @example efsWrite(dev.efs!, '/nvm/num/10', bytes); syncEfs(dev)
 */
export function syncEfs(device: QcomDevice, both = false): void {
  const efs = requireEfs(device);
  learnNvInfo(device.state, efs);
  const key = currentEfsKey(device.state);
  // The EFS is encoded straight into the ciphertext buffer and sealed in place; both copies share it (the keystream
  // depends on the key only), each with its own header and tag (qcom-partition.ts). Sealing is lazy (issue 17):
  // the plan captures the EFS as it is now, and the ciphertext is made when a copy is first read (a boot that is
  // neither saved nor read back never holds it). The header is written now, so a copy is never "blank".
  const plan = planEfsEncoding(efs);
  const targets: QcomPartitionName[] = [];
  if (both) targets.push('modemst1', 'modemst2');
  else {
    const a = checkModemst(key, device.state.partitions.modemst1);
    const b = checkModemst(key, device.state.partitions.modemst2);
    targets.push(
      a.status !== 'sane'
        ? 'modemst1'
        : b.status !== 'sane'
          ? 'modemst2'
          : a.generation <= b.generation
            ? 'modemst1'
            : 'modemst2',
    );
  }
  const sealer = modemstSealer(key, plan.length, () => efsEncodingPieces(plan));
  for (const t of targets) {
    device.state.generation += 1;
    const sealedLength = MODEMST_BODY_OFFSET + plan.length;
    const part = device.state.partitions[t];
    if (sealedLength > part.size) {
      throw new NvError(
        'NV_SIM_QCOM_PARTITION_SIZE',
        `${t}: the EFS (${sealedLength} bytes sealed) does not fit the ${part.size}-byte partition`,
        { path: t },
      );
    }
    const header = modemstHeader(device.state.generation, plan.length);
    device.state.partitions[t] = {
      size: part.size,
      fill: 0xff,
      extents: [
        extentOf(0, header),
        lazyExtent(MODEMST_HEADER_SIZE, MODEMST_BODY_OFFSET - MODEMST_HEADER_SIZE, () => sealer.tag(header)),
        // Saving a state streams the ciphertext window by window (partitionChunks) instead of making it whole.
        lazyExtent(MODEMST_BODY_OFFSET, plan.length, sealer.body, sealer.bodyWindows),
      ],
    };
  }
}

const NUM_RE = /^\/nvm\/(?:num|context\d{1,2})\/(\d{1,5})(?:_(\d{1,3}))?$/;

function learnNvInfo(state: QcomDeviceState, efs: QcomEfs): void {
  const table = (state.nvInfo ??= {});
  for (const [p, n] of efs) {
    if (n.kind === 'dir' || n.kind === 'symlink') continue;
    const m = NUM_RE.exec(p);
    if (!m) continue;
    const k = m[2] === undefined ? 0 : Number(m[2]) + 1;
    const prev = table[m[1] as string];
    table[m[1] as string] = { size: n.data.length, arraySize: Math.max(prev?.arraySize ?? 0, k) };
  }
}

/**
 * The modem's NV size table as `{id, size, arraySize}` rows, sorted by id.
 * @example modemNvInfo(dev.state) // [{ id: 10, size: 2, arraySize: 2 }, …]
 */
export function modemNvInfo(state: QcomDeviceState): QcomNvInfo[] {
  return Object.entries(state.nvInfo ?? {})
    .map(([id, v]) => ({ id: Number(id), ...v }))
    .sort((a, b) => a.id - b.id);
}

/** The bound format functions; TypeError when the device was created without them. */
export function formatsOf(device: QcomDevice): QcomFormats {
  if (!device.formats)
    throw new TypeError('this operation needs the format functions: create the device with { formats }');
  return device.formats;
}

/** The EFS in modem RAM; `NV_SIM_QCOM_NOT_BOOTED` before a boot. */
export function requireEfs(device: QcomDevice): QcomEfs {
  if (device.efs === undefined)
    throw new NvError('NV_SIM_QCOM_NOT_BOOTED', 'the simulated modem has not booted: no EFS in memory');
  return device.efs;
}

/**
 * EFS → tar-like entries (for QCN backup and for tests).
 * @example efsEntries(dev.efs!).filter((e) => e.kind === 'item').length
 */
export function efsEntries(efs: QcomEfs): QcomTarEntry[] {
  return [...efs.keys()].sort().map((p) => {
    const n = efs.get(p) as NonNullable<ReturnType<QcomEfs['get']>>;
    return {
      path: p,
      kind: n.kind,
      mode: n.mode,
      data: n.data.slice(),
      ...(n.target !== undefined ? { target: n.target } : {}),
    };
  });
}

/**
 * Writes an NV item into the running modem (as QPST/diag would) and syncs EFS. `data` is the item's internal bytes.
 * @example writeNvItem(dev, 6828, hexToBytes('01'))
 */
export function writeNvItem(device: QcomDevice, id: number, data: Uint8Array, index = 0, subscription = 0): void {
  if (!Number.isInteger(id) || id < 0 || id > 65535) throw new RangeError('NV id must be 0…65535');
  const efs = requireEfs(device);
  // RFNV ids (≥ 20000) live as item files under /nv/item_files/rfnv (docs/formats/efs-tar.md#paths).
  const path = id >= 20000 ? `/nv/item_files/rfnv/${String(id).padStart(8, '0')}` : nvItemPath(id, index, subscription);
  efsWrite(efs, path, data, 'item');
  syncEfs(device);
}

/**
 * Writes an EFS file into the running modem and syncs.
 * @example writeEfsFile(dev, '/nv/item_files/mcfg/mcfg_autoselect_by_uim', new Uint8Array([0x81]), 'item')
 */
export function writeEfsFile(device: QcomDevice, path: string, data: Uint8Array, kind?: 'item' | 'file'): void {
  if (!path.startsWith('/')) throw new RangeError('EFS paths are absolute');
  efsWrite(requireEfs(device), path, data, kind);
  syncEfs(device);
}

/**
 * NV items and EFS listing of the running modem.
 * @example readModem(dev).nv['10'] // '1f00'
 */
export function readModem(device: QcomDevice): { nv: Record<string, string>; efs: QcomEfsListing[] } {
  const efs = requireEfs(device);
  return { nv: efsNvItems(efs), efs: listEfs(efs) };
}

/**
 * Installs another modem build (e.g. a secure-boot build). With `blowFuses`, the build blows the secure-boot fuses
 * on install: from then on the modem tries the fused root first and the EFS key changes, so the existing modemst
 * copies no longer decrypt and every NV written since the preload is lost (docs/formats/fsg.md#pitfalls).
 * @example installModemBuild(dev, { blowFuses: { rootHash, hwId } })
 */
export function installModemBuild(
  device: QcomDevice,
  options: { trust?: QcomFsgTrust; blowFuses?: { rootHash: string; hwId: bigint } } = {},
): void {
  const s = device.state;
  if (options.trust) {
    s.build = {
      ...s.build,
      rootHash: checkRootHash(options.trust.rootHash, 'trust.rootHash'),
      hwId: hex16(checkId(options.trust.hwId, 'trust.hwId')),
      swId: hex16(checkId(options.trust.swId, 'trust.swId')),
    };
  }
  if (options.blowFuses) {
    s.fuses = {
      blown: true,
      rootHash: checkRootHash(options.blowFuses.rootHash, 'fused root hash'),
      hwId: hex16(checkId(options.blowFuses.hwId, 'fused HW_ID')),
    };
  }
  device.efs = undefined;
}

/**
 * QPST-style backup of the running modem's EFS as a QCN (through `formats.toQcn`, i.e. `@nv/qcom-efs`).
 * @throws NvError `NV_SIM_QCOM_NOT_BOOTED`; TypeError when no QCN writer is bound.
 * @example const qcn = backupQcn(dev); installModemBuild(dev, { blowFuses }); bootQcom(dev); restoreQcn(dev, qcn)
 */
export function backupQcn(device: QcomDevice): Uint8Array {
  const efs = requireEfs(device);
  const f = formatsOf(device);
  if (!f.toQcn) throw new TypeError('formats.toQcn is not bound');
  learnNvInfo(device.state, efs);
  return f.toQcn(efsEntries(efs), modemNvInfo(device.state));
}

/**
 * QPST-style restore of a QCN into the running modem (files from the QCN overwrite, others stay), then sync.
 * @returns the paths restored.
 * @example restoreQcn(dev, await readFile('backup.qcn'))
 */
export function restoreQcn(device: QcomDevice, qcn: Uint8Array): string[] {
  const efs = requireEfs(device);
  const f = formatsOf(device);
  if (!f.fromQcn) throw new TypeError('formats.fromQcn is not bound');
  const entries = f.fromQcn(qcn, modemNvInfo(device.state));
  const paths: string[] = [];
  for (const e of entries) {
    if (e.kind !== 'item' && e.kind !== 'file') continue;
    efsWrite(efs, e.path, e.data, e.kind);
    paths.push(e.path);
  }
  syncEfs(device);
  return paths;
}

/**
 * A short, stable fingerprint of the device's NV content (sha256 of the sorted nv map), handy in scenario reports.
 * @example nvFingerprint(bootQcom(dev).nv) === nvFingerprint(before)
 */
export function nvFingerprint(nv: Record<string, string>): string {
  return bytesToHex(sha256(encodeLatin1(JSON.stringify(Object.entries(nv).sort())))).slice(0, 16);
}
