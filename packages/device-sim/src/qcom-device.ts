/**
 * The simulated Qualcomm device: partitions, fuses, EFS key, and the first-boot state machine of
 * docs/formats/fsg.md#modem-checks / docs/formats/qcn.md#overview, docs/formats/efs-tar.md#pitfalls.
 * @module
 */
import { NvError, bytesToHex, encodeLatin1, sha256 } from '@nv/core';
import { DUMMY_ROOT_SHA256, checkBootImage } from '@nv/qcom-fsg-sign';
import { MBN_HEADER_SIZE } from '@nv/qcom-fsg-sign/container';
import { deriveEfsKey, isBlank, openModemst, sealModemst, type ModemstStatus } from './qcom-cipher.ts';
import {
  QCOM_EFS_MODES,
  createEfs,
  decodeEfs,
  efsNvItems,
  efsWrite,
  encodeEfs,
  listEfs,
  nvItemPath,
  type QcomEfs,
  type QcomEfsListing,
} from './qcom-efs-store.ts';
import type { QcomFormats, QcomFsgCheck, QcomFsgTrust, QcomNvInfo, QcomTarEntry } from './qcom-formats.ts';

/** Partitions of the simulated device. */
export type QcomPartitionName = 'modemst1' | 'modemst2' | 'fsg' | 'fsc';
/**
 * Names in flash order.
 * @example for (const p of QCOM_PARTITIONS) erasePartition(dev, p)
 */
export const QCOM_PARTITIONS: readonly QcomPartitionName[] = Object.freeze(['modemst1', 'modemst2', 'fsg', 'fsc']);
/**
 * Default size of every partition: 1.5 MiB, as in known MSM8916-class devices (docs/formats/efs-tar.md#containers).
 * @example dev.state.partitions.fsg.length === QCOM_DEFAULT_PARTITION_SIZE
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
  config: import('./qcom-mcfg.ts').QcomMcfgConfigJson;
}

/** Everything that survives a power cycle. Partitions are bytes; the rest is JSON-ready. */
export interface QcomDeviceState {
  version: 1;
  /** Device-unique secret (seed of the simulation). */
  seed: string;
  fuses: QcomFuses;
  build: QcomModemBuild;
  partitions: Record<QcomPartitionName, Uint8Array>;
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
  const partitions = {} as Record<QcomPartitionName, Uint8Array>;
  for (const p of QCOM_PARTITIONS) partitions[p] = new Uint8Array(size).fill(0xff);
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
 * @example flashPartition(dev, 'fsg', await readFile('fs_image.tar.gz.mbn.img'))
 */
export function flashPartition(device: QcomDevice, name: QcomPartitionName, image: Uint8Array): void {
  const part = device.state.partitions[name];
  if (image.length > part.length) {
    throw new NvError(
      'NV_SIM_QCOM_PARTITION_SIZE',
      `${name}: image of ${image.length} bytes does not fit the ${part.length}-byte partition`,
      { path: name, data: { size: image.length, partition: part.length } },
    );
  }
  const next = new Uint8Array(part.length);
  next.set(image, 0);
  device.state.partitions[name] = next;
  device.efs = undefined;
}

/**
 * Erases a partition (all 0xFF, like `fastboot erase`).
 * @example erasePartition(dev, 'modemst1'); erasePartition(dev, 'modemst2'); bootQcom(dev).source // 'fsg'
 */
export function erasePartition(device: QcomDevice, name: QcomPartitionName): void {
  device.state.partitions[name] = new Uint8Array(device.state.partitions[name].length).fill(0xff);
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
  const plain = encodeEfs(efs);
  const targets: QcomPartitionName[] = [];
  if (both) targets.push('modemst1', 'modemst2');
  else {
    const a = openModemst(key, device.state.partitions.modemst1);
    const b = openModemst(key, device.state.partitions.modemst2);
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
  for (const t of targets) {
    device.state.generation += 1;
    const sealed = sealModemst(key, plain, device.state.generation);
    const part = device.state.partitions[t];
    if (sealed.length > part.length) {
      throw new NvError(
        'NV_SIM_QCOM_PARTITION_SIZE',
        `${t}: the EFS (${sealed.length} bytes sealed) does not fit the ${part.length}-byte partition`,
        { path: t },
      );
    }
    const next = new Uint8Array(part.length).fill(0xff);
    next.set(sealed, 0);
    device.state.partitions[t] = next;
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

function formatsOf(device: QcomDevice): QcomFormats {
  if (!device.formats)
    throw new TypeError('this operation needs the format functions: create the device with { formats }');
  return device.formats;
}

function requireEfs(device: QcomDevice): QcomEfs {
  if (device.efs === undefined)
    throw new NvError('NV_SIM_QCOM_NOT_BOOTED', 'the simulated modem has not booted: no EFS in memory');
  return device.efs;
}

/** Which copy the modem booted from. */
export type QcomBootSource = 'modemst1' | 'modemst2' | 'fsg';

/** Why the modem refused the golden copy, or crashed on it. */
export interface QcomBootError {
  /** `NV_FSG_*` (verification), `NV_EFS_*` (untar) or `NV_SIM_QCOM_*` code. */
  code: string;
  message: string;
  /** Name of the failing check. */
  check: string;
  /** secboot return value when secboot refused. */
  secboot?: number;
}

/** Options of {@link bootQcom}. */
export interface QcomBootOptions {
  /**
   * Boot online (the default on a real phone) rather than offline (factory/FTM). Online, the modem writes runtime
   * state (policyman state, serving-system NVs) that a QCN or EFS dump taken afterwards carries (docs/formats/efs-tar.md#pitfalls #12).
   */
  online?: boolean;
}

/** What the modem did at boot. JSON-ready. */
export interface QcomBootResult {
  /** The copy the EFS came from. */
  source: QcomBootSource;
  /** True when the golden copy was restored after its signature verified (false for modemst boots). */
  verified: boolean;
  /** Status of each modemst copy under the current key. */
  copies: Record<'modemst1' | 'modemst2', ModemstStatus>;
  /** With a fused device: whether the fused root/HW_ID passed (docs/formats/fsg.md#modem-checks step 2). */
  fusedRoot?: boolean;
  /** Checks in the modem's order (fsg boots only). */
  checks: QcomFsgCheck[];
  /** Why the golden copy was refused or crashed the modem. */
  error?: QcomBootError;
  /** True when the modem would assert/crash (and do so again on every boot). */
  crashed: boolean;
  online: boolean;
  /** NV items now in the modem: key → hex (see `nvKeyOfPath`). */
  nv: Record<string, string>;
  /** EFS files now in the modem. */
  efs: QcomEfsListing[];
  /** Files written by the modem itself because it booted online. */
  runtimeWrites: string[];
}

/**
 * Runtime state an online modem writes into EFS (docs/formats/efs-tar.md#pitfalls #12): policy-manager state and NVs written while
 * registered. Values are derived from the seed and boot count (deterministic).
 * @example bootQcom(dev, { online: true }).runtimeWrites // QCOM_ONLINE_RUNTIME_PATHS
 */
export const QCOM_ONLINE_RUNTIME_PATHS: readonly string[] = Object.freeze([
  '/policyman/ue_mode',
  '/policyman/rat_mask',
  '/policyman/svc_mode',
]);

const SECBOOT_FAILURE = 1;

function entriesToEfs(entries: readonly QcomTarEntry[]): QcomEfs {
  const efs = createEfs();
  for (const e of entries) {
    if (e.path === '/' || e.path === '') continue;
    if (e.kind === 'dir') efs.set(e.path, { kind: 'dir', mode: e.mode || QCOM_EFS_MODES.dir, data: new Uint8Array(0) });
    else if (e.kind === 'symlink')
      efs.set(e.path, {
        kind: 'symlink',
        mode: e.mode || QCOM_EFS_MODES.symlink,
        data: new Uint8Array(0),
        ...(e.target !== undefined ? { target: e.target } : {}),
      });
    else {
      efsWrite(efs, e.path, e.data, e.kind);
      (efs.get(e.path) as { mode: number }).mode = e.mode || QCOM_EFS_MODES[e.kind];
    }
  }
  return efs;
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

// NV_EFS codes that are an assertion / fatal error in the modem's untar (docs/formats/efs-tar.md#pitfalls #3–#5, #10), not a clean refusal.
const CRASH_CODES = new Set([
  'NV_EFS_BAD_TAR_CHECKSUM',
  'NV_EFS_BAD_TAR_PADDING',
  'NV_EFS_BAD_TAR_TYPEFLAG',
  'NV_EFS_BAD_GZIP_HEADER',
  'NV_EFS_BAD_TAR_NUMBER',
]);

/**
 * Boots the simulated modem. With a sane modemst copy (the newer of the two under the current key) the EFS comes
 * from it and fsg is ignored (docs/formats/fsg.md#modem-checks step 0, docs/formats/efs-tar.md#pitfalls #13). Otherwise the golden copy in fsg is checked in the
 * modem's order — sector, fused root first (if fused), dummy root, secboot steps 4–16, size, payload format, untar —
 * and restored into a fresh EFS, which is then written to both modemst copies. A refused golden copy leaves an empty
 * EFS (the modem starts without the preloaded NVs, docs/formats/fsg.md#modem-checks note) which is written back too.
 *
 * @example
 * flashPartition(dev, 'fsg', img); const r = bootQcom(dev); r.source === 'fsg' && r.verified;
 * @throws NvError `NV_SIM_QCOM_COPY_CORRUPT` when a sane-tagged copy holds malformed records.
 */
export function bootQcom(device: QcomDevice, options: QcomBootOptions = {}): QcomBootResult {
  const state = device.state;
  const online = options.online ?? false;
  state.bootCount += 1;
  const key = currentEfsKey(state);
  const c1 = openModemst(key, state.partitions.modemst1);
  const c2 = openModemst(key, state.partitions.modemst2);
  const copies = { modemst1: c1.status, modemst2: c2.status };
  const base = { copies, online, runtimeWrites: [] as string[] };

  let pick: 'modemst1' | 'modemst2' | undefined;
  if (c1.status === 'sane' && c2.status === 'sane') pick = c2.generation > c1.generation ? 'modemst2' : 'modemst1';
  else if (c1.status === 'sane') pick = 'modemst1';
  else if (c2.status === 'sane') pick = 'modemst2';
  if (pick !== undefined) {
    const plain = (pick === 'modemst1' ? c1 : c2).plaintext as Uint8Array;
    device.efs = decodeEfs(plain, { path: pick, baseOffset: 52 });
    const writes = online ? writeOnlineState(device) : [];
    return finish(device, {
      ...base,
      source: pick,
      verified: false,
      checks: [],
      crashed: false,
      runtimeWrites: writes,
    });
  }

  // Golden copy (fsg).
  const checks: QcomFsgCheck[] = [];
  const refuse = (check: string, code: string, message: string, crashed = false, secboot?: number): QcomBootResult => {
    device.efs = createEfs();
    if (!crashed) syncEfs(device, true);
    const error: QcomBootError = { code, message, check, ...(secboot !== undefined ? { secboot } : {}) };
    const writes = online && !crashed ? writeOnlineState(device) : [];
    return finish(device, { ...base, source: 'fsg', verified: false, checks, error, crashed, runtimeWrites: writes });
  };

  const fsg = state.partitions.fsg;
  if (isBlank(fsg)) {
    checks.push({ name: 'img-sector', ok: false, detail: 'fsg is erased', code: 'NV_SIM_QCOM_FSG_EMPTY' });
    return refuse(
      'img-sector',
      'NV_SIM_QCOM_FSG_EMPTY',
      'no sane modemst copy and fsg is erased: the modem starts with an empty EFS',
    );
  }
  let located;
  try {
    located = formatsOf(device).locateFsg(fsg);
    checks.push({ name: 'img-sector', ok: true, detail: `.mbn of ${located.mbn.length} bytes at 512` });
  } catch (e) {
    if (!NvError.isInstance(e)) throw e;
    checks.push({ name: 'img-sector', ok: false, detail: e.message, code: e.code });
    return refuse('img-sector', e.code, e.message);
  }
  // docs/formats/fsg.md#modem-checks steps 3, 17, 18: the checks of `@nv/qcom-fsg-sign` (its verifySignedImage runs the same ones).
  const code = located.mbn.subarray(MBN_HEADER_SIZE, MBN_HEADER_SIZE + located.codeSize);
  const boot = checkBootImage(code, {
    rootHash: state.build.rootHash,
    allowDummyKey: state.build.allowDummyKey,
    ...(state.build.goldenRamSize > 0 ? { ramSize: state.build.goldenRamSize } : {}),
  });

  // docs/formats/fsg.md#modem-checks step 2: a fused device tries the fused root and HW_ID first; success skips to step 17.
  let fusedRoot: boolean | undefined;
  let authenticated = false;
  const swId = BigInt(state.build.swId);
  if (state.fuses.blown) {
    const a = safeAuthenticate(device, located.mbn, {
      rootHash: state.fuses.rootHash as string,
      hwId: BigInt(state.fuses.hwId as string),
      swId,
    });
    fusedRoot = a.ok;
    const failed = a.checks.find((c) => !c.ok);
    checks.push({
      name: 'fuse',
      ok: a.ok,
      detail: a.ok
        ? 'verified with the fused root and HW_ID'
        : `fused root failed at ${failed?.name ?? '?'}: trying the configured root`,
      ...(failed?.code ? { code: failed.code } : {}),
    });
    authenticated = a.ok;
  }
  if (!authenticated) {
    // docs/formats/fsg.md#modem-checks step 3: the configured root is the public dummy key.
    if (!boot.dummyRoot.ok) {
      checks.push({
        name: 'dummy-root',
        ok: false,
        detail: 'the configured root is the public QDST dummy root',
        code: 'NV_FSG_DUMMY_ROOT',
      });
      return withFused(
        refuse(
          'dummy-root',
          'NV_FSG_DUMMY_ROOT',
          'the modem build is configured with the public QDST root (d58522cd…): it refuses the golden copy',
        ),
        fusedRoot,
      );
    }
    checks.push({ name: 'dummy-root', ok: true, detail: 'configured root is not the dummy root' });
    const a = safeAuthenticate(device, located.mbn, {
      rootHash: state.build.rootHash,
      hwId: BigInt(state.build.hwId),
      swId,
    });
    checks.push(...a.checks);
    if (!a.ok) {
      const failed = a.checks.find((c) => !c.ok);
      return withFused(
        refuse(
          failed?.name ?? 'auth',
          failed?.code ?? 'NV_FSG_IMAGE_SIGNATURE',
          failed?.detail ?? 'secboot refused the image',
          false,
          failed?.secboot ?? SECBOOT_FAILURE,
        ),
        fusedRoot,
      );
    }
  }

  // docs/formats/fsg.md#modem-checks step 17: code offset + code_size < buf_size (strict), buf_size = GOLDEN_RAM_SIZE − 512.
  if (!boot.size.skipped) {
    const ok = boot.size.ok;
    checks.push({ name: 'size', ok, detail: boot.size.detail, ...(ok ? {} : { code: 'NV_FSG_TOO_LARGE' }) });
    if (!ok)
      return withFused(refuse('size', 'NV_FSG_TOO_LARGE', `the payload does not fit: ${boot.size.detail}`), fusedRoot);
  }
  // docs/formats/fsg.md#modem-checks step 18: neither tar nor gzip → the modem crashes.
  const kind = boot.payloadKind;
  checks.push({
    name: 'payload',
    ok: kind !== undefined,
    detail: kind ?? 'neither gzip (1F 8B 08, flags 5–7 clear) nor tar',
    ...(kind ? {} : { code: 'NV_FSG_PAYLOAD_FORMAT' }),
  });
  if (kind === undefined)
    return withFused(
      refuse(
        'payload',
        'NV_FSG_PAYLOAD_FORMAT',
        'the payload is neither tar nor gzip: the modem crashes (on every boot)',
        true,
      ),
      fusedRoot,
    );
  // docs/formats/fsg.md#modem-checks step 19: untar into a fresh EFS.
  let entries: QcomTarEntry[];
  try {
    entries = formatsOf(device).readPayload(code);
  } catch (e) {
    if (!NvError.isInstance(e)) throw e;
    const crash = CRASH_CODES.has(e.code);
    checks.push({ name: 'untar', ok: false, detail: e.message, code: e.code });
    return withFused(
      refuse(
        'untar',
        e.code,
        crash ? `the modem asserts while untarring (repeats every boot): ${e.message}` : e.message,
        crash,
      ),
      fusedRoot,
    );
  }
  checks.push({ name: 'untar', ok: true, detail: `${entries.length} entries` });
  device.efs = entriesToEfs(entries);
  syncEfs(device, true);
  const writes = online ? writeOnlineState(device) : [];
  return finish(device, {
    ...base,
    source: 'fsg',
    verified: true,
    checks,
    crashed: false,
    runtimeWrites: writes,
    ...(fusedRoot !== undefined ? { fusedRoot } : {}),
  });
}

/** secboot refuses what it cannot parse: a parser NvError becomes a failed check (secboot 1, failure). */
function safeAuthenticate(
  device: QcomDevice,
  mbn: Uint8Array,
  trust: QcomFsgTrust,
): ReturnType<QcomFormats['authenticate']> {
  try {
    return formatsOf(device).authenticate(mbn, trust);
  } catch (e) {
    if (!NvError.isInstance(e)) throw e;
    return {
      ok: false,
      checks: [{ name: 'auth-parse', ok: false, detail: e.message, code: e.code, secboot: SECBOOT_FAILURE }],
    };
  }
}

function withFused(r: QcomBootResult, fusedRoot: boolean | undefined): QcomBootResult {
  return fusedRoot === undefined ? r : { ...r, fusedRoot };
}

function finish(device: QcomDevice, r: Omit<QcomBootResult, 'nv' | 'efs'>): QcomBootResult {
  const efs = device.efs ?? createEfs();
  return { ...r, nv: efsNvItems(efs), efs: listEfs(efs) };
}

/** The modem goes online: writes its runtime state (deterministic from seed and boot count). Returns the paths. */
function writeOnlineState(device: QcomDevice): string[] {
  const efs = requireEfs(device);
  const seedBytes = sha256(encodeLatin1(`online|${device.state.seed}|${device.state.bootCount}`));
  QCOM_ONLINE_RUNTIME_PATHS.forEach((p, i) => efsWrite(efs, p, seedBytes.subarray(i * 4, i * 4 + 4), 'item'));
  syncEfs(device);
  return [...QCOM_ONLINE_RUNTIME_PATHS];
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

/** A device state split for storage: JSON text (everything but partitions) and the raw partitions. */
export interface QcomSerializedState {
  json: string;
  partitions: Record<QcomPartitionName, Uint8Array>;
}

/**
 * Splits a device's persistent state for storage (see `node-qcom.ts` for the folder layout).
 * @example const { json, partitions } = serializeQcomState(dev)
 */
export function serializeQcomState(device: QcomDevice): QcomSerializedState {
  const { partitions, ...rest } = device.state;
  return { json: `${JSON.stringify(rest, null, 2)}\n`, partitions: { ...partitions } };
}

const isRec = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown): boolean => v === undefined || isNum(v);
const numList = (v: unknown): boolean => Array.isArray(v) && v.every(isNum);

/** Shape of one `pdc.configs[]` entry as {@link mcfgConfigToJson} writes it (activation and selection read every field). */
function storedConfigOk(x: unknown): boolean {
  if (!isRec(x) || typeof x['id'] !== 'string' || !isRec(x['config'])) return false;
  const c = x['config'];
  if (
    typeof c['magicOk'] !== 'boolean' ||
    typeof c['versionRecordOk'] !== 'boolean' ||
    typeof c['hashOk'] !== 'boolean'
  )
    return false;
  if (
    !isNum(c['format']) ||
    !isNum(c['configType']) ||
    !isNum(c['version']) ||
    !isNum(c['carrierIndex']) ||
    !Array.isArray(c['items'])
  )
    return false;
  const itemOk = (i: unknown): boolean =>
    isRec(i) &&
    isNum(i['type']) &&
    isNum(i['attrib']) &&
    optNum(i['nvId']) &&
    (i['path'] === undefined || typeof i['path'] === 'string') &&
    typeof i['data'] === 'string' &&
    /^(?:[0-9a-fA-F]{2})*$/.test(i['data']);
  if (!c['items'].every(itemOk)) return false;
  const t = c['trailer'];
  if (t === undefined) return true;
  if (
    !isRec(t) ||
    !optNum(t['configVersion']) ||
    !optNum(t['baseVersion']) ||
    (t['name'] !== undefined && typeof t['name'] !== 'string')
  )
    return false;
  const iins = t['iins'];
  const plmns = t['plmns'];
  const prefixes = t['iinPrefixes'];
  return (
    (iins === undefined || (isRec(iins) && typeof iins['wildcard'] === 'boolean' && numList(iins['values']))) &&
    (plmns === undefined ||
      (isRec(plmns) &&
        typeof plmns['wildcard'] === 'boolean' &&
        Array.isArray(plmns['list']) &&
        plmns['list'].every((p) => isRec(p) && isNum(p['mcc']) && isNum(p['mnc'])))) &&
    (prefixes === undefined || (Array.isArray(prefixes) && prefixes.every((p) => typeof p === 'string')))
  );
}

/**
 * Rebuilds a device from {@link serializeQcomState} output. The EFS is not in memory until the next boot.
 * @throws NvError `NV_SIM_QCOM_STATE` when the JSON is not a version-1 device or a partition is missing.
 * @example const again = deserializeQcomState(json, partitions, formats)
 */
export function deserializeQcomState(
  json: string,
  partitions: Partial<Record<QcomPartitionName, Uint8Array>>,
  formats?: QcomFormats,
  path?: string,
): QcomDevice {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (cause) {
    throw new NvError('NV_SIM_QCOM_STATE', `${path ?? 'device state'} is not valid JSON`, { path, cause });
  }
  const s = parsed as Partial<QcomDeviceState>;
  const ok =
    typeof s === 'object' &&
    s !== null &&
    s.version === 1 &&
    typeof s.seed === 'string' &&
    typeof s.build === 'object' &&
    s.build !== null &&
    typeof s.build.rootHash === 'string' &&
    typeof s.fuses === 'object' &&
    s.fuses !== null &&
    typeof s.pdc === 'object' &&
    s.pdc !== null &&
    Array.isArray(s.pdc.configs) &&
    Array.isArray(s.slots) &&
    typeof s.bootCount === 'number' &&
    typeof s.generation === 'number';
  if (!ok)
    throw new NvError('NV_SIM_QCOM_STATE', `${path ?? 'device state'} is not a version-1 simulated Qualcomm device`, {
      path,
    });
  // Fields a boot turns into BigInt or writes into: checked here so a hand-edited state is NV_SIM_QCOM_STATE, not a TypeError.
  const id = (v: unknown): boolean => typeof v === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(v);
  const f = s.fuses as Partial<QcomFuses>;
  const fusesOk = typeof f.blown === 'boolean' && (!f.blown || (typeof f.rootHash === 'string' && id(f.hwId)));
  const nvInfoOk =
    s.nvInfo === undefined || (typeof s.nvInfo === 'object' && s.nvInfo !== null && !Array.isArray(s.nvInfo));
  if (!fusesOk || !id(s.build?.hwId) || !id(s.build?.swId) || !nvInfoOk) {
    throw new NvError(
      'NV_SIM_QCOM_STATE',
      `${path ?? 'device state'}: fuses, build.hwId/swId (0x… hex) or nvInfo are malformed`,
      { path },
    );
  }
  const b = s.build as unknown as Record<string, unknown>;
  const active = (s.pdc as unknown as Record<string, unknown>)['active'];
  const buildOk =
    typeof b['allowDummyKey'] === 'boolean' &&
    ['goldenRamSize', 'mcfgFamily', 'mcfgFormat', 'autoselectDefault'].every((k) => isNum(b[k]));
  const activeOk =
    isNum(s.pdc?.capacity) &&
    isRec(active) &&
    (active['hw'] === undefined || typeof active['hw'] === 'string') &&
    isRec(active['sw']) &&
    Object.values(active['sw']).every((v) => typeof v === 'string');
  if (!buildOk || !activeOk)
    throw new NvError('NV_SIM_QCOM_STATE', `${path ?? 'device state'}: build or pdc fields are malformed`, { path });
  const bad = (s.pdc?.configs ?? []).findIndex((c) => !storedConfigOk(c));
  if (bad >= 0)
    throw new NvError(
      'NV_SIM_QCOM_STATE',
      `${path ?? 'device state'}: pdc.configs[${bad}] is not a stored MCFG config`,
      { path, data: { index: bad } },
    );
  const parts = {} as Record<QcomPartitionName, Uint8Array>;
  for (const p of QCOM_PARTITIONS) {
    const b = partitions[p];
    if (!b) throw new NvError('NV_SIM_QCOM_STATE', `${path ?? 'device state'}: partition ${p} is missing`, { path });
    parts[p] = b;
  }
  const state = { ...(s as Omit<QcomDeviceState, 'partitions'>), partitions: parts };
  return formats ? { state, formats } : { state };
}
