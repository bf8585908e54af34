/**
 * The simulated MediaTek device: partitions `nvdata` (category folders), `protect_f`/`protect_s`, the `nvram`
 * bin region, the SYS record, and what the modem and the AP `nvram_daemon` do at boot (docs/formats/lid-table.md#partitions, docs/formats/lid-table.md#effective-attributes, docs/formats/lid-table.md#boot-check;
 * docs/formats/lid-files.md#read-errors, docs/formats/lid-files.md#defaults, docs/formats/lid-files.md#external-api). Names, folders and the docs/formats/lid-table.md#effective-attributes attribute rewrites come from `@nv/mtk-nvram-ltable`
 * (`fileIdentity`); the boot-time check below is the simulator's own model of the device, so that comparing it
 * with the planner's decision table is a real test.
 * @module
 */
import { NvError, checkLimit } from '@nv/core';
import { bytesEqual, hexToBytes } from '@nv/core/bytes';
import { isLidFileName, lidKeyFromBytes, parseLidFileName, type LidFileName } from '@nv/mtk-lid-file';
import {
  LTABLE_IMEI_LIDS,
  fileIdentity,
  isSysLid,
  type Ltable,
  type LtableEntry,
  type LtablePlatform,
} from '@nv/mtk-nvram-ltable';
import { fnv1a, mtkDefaultRecords, mtkRng } from './mtk-default.ts';
import { mtkImeiRecord, mtkTestImei } from './mtk-imei.ts';

/**
 * The partitions that hold LID files (docs/formats/lid-table.md#partitions), plus `otp`: the one-time-programmable area where the
 * simulator keeps `OTP` LIDs. docs/formats/lid-table.md#partitions lists `otp` as "not modem NVRAM": OTP data lives outside nvdata, so no upgrade
 * mode erases it and the version check does not scan it (README.mtk.md, Decisions).
 */
export type MtkPartition = 'nvdata' | 'protect_f' | 'protect_s' | 'otp';
/**
 * Every LID-file partition.
 * @example MTK_PARTITIONS.map((p) => Object.keys(device.partitions[p]).length)
 */
export const MTK_PARTITIONS: readonly MtkPartition[] = ['nvdata', 'protect_f', 'protect_s', 'otp'];
/** The modem NVRAM partitions (what the version check scans and Format All erases). */
export const MTK_NVRAM_PARTITIONS: readonly MtkPartition[] = ['nvdata', 'protect_f', 'protect_s'];

/**
 * One LID file on a partition. The simulator keeps the record bytes in plain text plus what the on-disk format
 * makes checkable: the gen-B header fields, per-record checksum state, and whether the bytes are ciphered.
 */
export interface MtkStoredLid {
  /** LID symbol of the firmware that wrote the file (simulator bookkeeping, not on flash). */
  name: string;
  /** Gen-B header: LID number (gen A has no header; the fields then only record what the writer used). */
  lid: number | null;
  /** Gen-B header: record size. */
  recordSize: number;
  /** Gen-B header: record count. */
  records: number;
  /** Gen-B header: attribute bits. */
  attr: number;
  /** Gen-B header: category bits. */
  category: number;
  /** Gen-B header checksum valid (docs/formats/lid-files.md#header-checksum); only the version scan checks it. */
  headerOk: boolean;
  /** Written with effective CONFIDENTIAL or MSP (the flash holds ciphertext). */
  ciphered: boolean;
  /** The records, concatenated, as the writer meant them (plain). */
  data: Uint8Array;
  /** 1-based indexes of records whose checksum fails. */
  bad: number[];
  /** Simulator bookkeeping: unit-specific data (calibration, IMEI, barcode, SIM lock) that no default can recreate. */
  unit: boolean;
}

/** Why the modem stopped. */
export interface MtkAssert {
  /** LID symbol the assert is about. */
  readonly name: string;
  readonly reason: string;
}

/** The state of one simulated MediaTek device. Plain data: clone with {@link cloneMtkDevice}, save with `@nv/device-sim/node`. */
export interface MtkDevice {
  /** Table of the installed firmware (moly-a or moly-b). */
  table: Ltable;
  /** Installed firmware build id (what the SYS LID records). */
  firmware: string;
  platform: LtablePlatform;
  /** Seed of the unit data written by {@link personalizeMtkDevice}. */
  seed: number;
  /** Files per partition, by path inside it (`md/NVRAM/<folder>/<name>` on nvdata, `md/<name>` on protect_f/s). */
  partitions: Record<MtkPartition, Record<string, MtkStoredLid>>;
  /** Bin-region backup of the CALIBRAT and NVD_IMEI folders, by `<folder>/<name>`; `null` = blank partition (docs/formats/lid-table.md#partitions). */
  binRegion: Record<string, MtkStoredLid> | null;
  /** SYS LID record 1 (the coded firmware version), kept on nvdata; `null` when nvdata was erased. */
  sys: { firmware: string; ok: boolean } | null;
  /** Factory-reset flag set (docs/formats/lid-table.md#boot-check). */
  factoryResetFlag: boolean;
  /** Set once the modem asserted; NVRAM access is refused afterwards. */
  asserted: MtkAssert | null;
  /** Number of firmware installs, for deterministic build ids. */
  builds: number;
  /**
   * Key of CONFIDENTIAL LIDs (hex) in the saved LID files: 16 bytes (AES-128) for moly-b; an RC4 key of 1…255 bytes
   * or a 256-byte key-B state for moly-a (docs/formats/lid-files.md#gen-a, docs/formats/lid-files.md#key-derivation). Default {@link MTK_SIM_DEFAULT_KEY}.
   */
  key: string;
}

/**
 * The simulated device's default key for CONFIDENTIAL LIDs: 16 synthetic bytes `00…0f` (gen A: the RC4 key, gen B: the
 * AES-128 key). Not a vendor key; `nv sim mtk init --key` picks another one (e.g. a real build's key).
 */
export const MTK_SIM_DEFAULT_KEY: string = '000102030405060708090a0b0c0d0e0f';

/**
 * Checks that `key` (hex) is a key the device's file generation can use.
 * @throws NV_BAD_INPUT for non-hex text; NV_LID_KEY_REQUIRED for a length the generation cannot use.
 * @example mtkSimKeyBytes('000102030405060708090a0b0c0d0e0f', 'moly-b').length // 16
 */
export function mtkSimKeyBytes(key: string, generation: Ltable['generation']): Uint8Array {
  if (!/^([0-9a-fA-F]{2})+$/.test(key))
    throw new NvError('NV_BAD_INPUT', `key ${JSON.stringify(key)} is not an even number of hex digits`);
  const bytes = hexToBytes(key);
  lidKeyFromBytes(bytes, generation === 'moly-b' ? 'B' : 'A');
  return bytes;
}

/**
 * Final state of one LID's data after a boot. After an assert: `asserted` for the LID the modem stopped on,
 * `unreached` for the LIDs the boot never got to (their data is whatever the partitions hold; nothing was decided).
 */
export type MtkLidOutcome =
  'kept' | 'restored' | 'reset' | 'migrated' | 'garbled' | 'failed' | 'asserted' | 'unreached';

/** Result of {@link bootMtkDevice}. */
export interface MtkBootResult {
  /** Why the version check ran (`none`: the SYS record matched). */
  readonly trigger: 'none' | 'fresh-nvdata' | 'version-change' | 'sys-read-failed';
  /**
   * Set when the modem asserted: the boot failed. An assert in the version check stops before any LID is processed;
   * one in the first reads (step 6) stops after the LIDs read before it, which keep their outcomes.
   */
  readonly asserted?: MtkAssert;
  /** Per LID of the installed table (after an assert: `asserted` / `unreached` for the LIDs not processed). */
  readonly lids: {
    readonly name: string;
    readonly lid: number | null;
    readonly outcome: MtkLidOutcome;
    readonly reason: string;
  }[];
  /** Files deleted by the modem (`partition:path`). */
  readonly deleted: string[];
  /** Files no LID reads any more, left in place (`partition:path`). */
  readonly orphans: string[];
  /** Files the AP `nvram_daemon` restored from the bin region before the modem started (`partition:path`). */
  readonly apRestored: string[];
}

/** Options of {@link createMtkDevice}. */
export interface MtkDeviceOptions {
  /** Seed for unit data (default 1). */
  readonly seed?: number;
  /** Platform for the docs/formats/lid-table.md#effective-attributes rewrites (default eMMC smartphone, bound to chip, important partitions on). */
  readonly platform?: LtablePlatform;
  /** Firmware build id (default `build-1`). */
  readonly firmware?: string;
  /** Write unit data (calibration, IMEI …) and user data, then back up to the bin region (default true). */
  readonly personalize?: boolean;
  /** Key of CONFIDENTIAL LIDs, hex (default {@link MTK_SIM_DEFAULT_KEY}). */
  readonly key?: string;
}

/** Where one copy of a LID lives. */
export interface MtkLidLocation {
  readonly partition: MtkPartition;
  /** Path inside the partition. */
  readonly path: string;
  /** Folder of docs/formats/lid-table.md#folders (`md` on protect_f/s). */
  readonly folder: string;
  /** File name `PPPP{_|A|B}VVV`. */
  readonly file: string;
}

// LID file names are mtk-lid-file's rule (upper-case copy letters only, as MOLY writes them).
const lidName = (file: string): LidFileName | undefined => (isLidFileName(file) ? parseLidFileName(file) : undefined);
const has = (list: readonly string[], name: string): boolean => list.includes(name);

/** Largest LID (records × size) the simulator holds: the LID file limit of docs/formats/lid-files.md#errors (16 MiB). */
export const MTK_SIM_MAX_LID_BYTES: number = 16 * 1024 * 1024;
/** Largest total of one copy of every LID of a table (256 MiB). */
export const MTK_SIM_MAX_DEVICE_BYTES: number = 256 * 1024 * 1024;

/**
 * Checks that the simulator can run a table: moly-a/moly-b, sizes within the hard limits. Internal (used by upgrades
 * before anything is erased).
 * @throws NV_SIM_MTK_UNSUPPORTED_GENERATION, NV_LIMIT
 * @example _assertMtkTable(table)
 */
export function _assertMtkTable(table: Ltable): void {
  assertGeneration(table);
}

function assertGeneration(table: Ltable): void {
  if (table.generation !== 'moly-a' && table.generation !== 'moly-b') {
    throw new NvError(
      'NV_SIM_MTK_UNSUPPORTED_GENERATION',
      `the simulated MediaTek device models moly-a and moly-b tables; this table is ${table.generation}`,
    );
  }
  // Hard limits before anything is allocated (sizes come from user tables).
  let total = 0;
  for (const e of table.entries) {
    checkLimit(`records × size of ${e.name}`, e.size * e.records, MTK_SIM_MAX_LID_BYTES, { path: e.name });
    total += e.size * e.records;
  }
  checkLimit('total LID bytes of the table', total, MTK_SIM_MAX_DEVICE_BYTES);
}

/**
 * Where the copies of `entry` live under the firmware's effective attributes (docs/formats/lid-table.md#folders, docs/formats/lid-table.md#effective-attributes; docs/formats/lid-files.md#name):
 * MULTIPLE IMPORTANT_L4 ⇒ copy A on protect_f, copy B on protect_s; `OTP` LIDs ⇒ the `otp` partition (`md/<file>`).
 * @example mtkLidLocations(device, entry)[0].path // 'md/NVRAM/CALIBRAT/FT02_002'
 */
export function mtkLidLocations(device: Pick<MtkDevice, 'table' | 'platform'>, entry: LtableEntry): MtkLidLocation[] {
  const id = fileIdentity(entry, device.table.generation, device.platform);
  if (entry.categories.includes('OTP'))
    return id.files.map((file) => ({ partition: 'otp' as const, path: `md/${file}`, folder: 'otp', file }));
  return id.files.map((file, i) => {
    if (id.location.partition === 'protect_f') {
      const partition: MtkPartition = i === 0 ? 'protect_f' : 'protect_s';
      return { partition, path: `md/${file}`, folder: 'md', file };
    }
    return { partition: 'nvdata', path: `md/NVRAM/${id.location.folder}/${file}`, folder: id.location.folder, file };
  });
}

const effectiveAttrs = (device: Pick<MtkDevice, 'table' | 'platform'>, entry: LtableEntry): readonly string[] =>
  fileIdentity(entry, device.table.generation, device.platform).effective.attributes;

const isCiphered = (attrs: readonly string[]): boolean => has(attrs, 'CONFIDENTIAL') || has(attrs, 'MSP');

/**
 * True when an entry's data is unit-specific (calibration results, barcode, IMEI, SIM lock; not RF-driver defaults).
 * @example isMtkUnitData({ categories: ['CALIBRAT'], tags: ['rf-driver-param'] }) // false
 */
export function isMtkUnitData(entry: Pick<LtableEntry, 'categories' | 'tags'>): boolean {
  const c = entry.categories;
  const t = entry.tags;
  if (has(c, 'CALIBRAT')) return !t.includes('rf-driver-param') || t.includes('barcode');
  return (
    has(c, 'IMPORTANT') ||
    has(c, 'IMPORTANT_L4') ||
    ['barcode', 'calibration-result', 'imei', 'sim-lock'].some((x) => t.includes(x as never))
  );
}

function newFile(device: MtkDevice, entry: LtableEntry, data: Uint8Array, unit: boolean): MtkStoredLid {
  return {
    name: entry.name,
    lid: entry.lid,
    recordSize: entry.size,
    records: entry.records,
    attr: entry.attr,
    category: entry.category,
    headerOk: true,
    ciphered: isCiphered(effectiveAttrs(device, entry)),
    data,
    bad: [],
    unit,
  };
}

/** Writes `data` (all records) to every copy of `entry`. */
function writeAll(device: MtkDevice, entry: LtableEntry, data: Uint8Array, unit: boolean): void {
  for (const loc of mtkLidLocations(device, entry))
    device.partitions[loc.partition][loc.path] = newFile(device, entry, data.slice(), unit);
}

/** Rewrites every copy of `entry` with its default (docs/formats/lid-table.md#boot-check reset, docs/formats/lid-files.md#defaults). */
function resetLid(device: MtkDevice, entry: LtableEntry): void {
  writeAll(device, entry, mtkDefaultRecords(entry), false);
}

/**
 * A fresh device with the firmware of `table`: every LID created from its default (first boot), then — unless
 * `personalize: false` — the factory writes unit data and user data and backs the unit up to the bin region.
 * @throws NV_SIM_MTK_UNSUPPORTED_GENERATION for MAUI tables; NV_LIMIT for a LID over 16 MiB or a table over 256 MiB;
 *   NV_BAD_INPUT / NV_LID_KEY_REQUIRED for a key the generation cannot use.
 * @example const device = createMtkDevice(sampleLtable('moly-b'), { seed: 7 });
 */
export function createMtkDevice(table: Ltable, options: MtkDeviceOptions = {}): MtkDevice {
  assertGeneration(table);
  const key = options.key ?? MTK_SIM_DEFAULT_KEY;
  mtkSimKeyBytes(key, table.generation);
  const device: MtkDevice = {
    table,
    firmware: options.firmware ?? 'build-1',
    platform: { ...(options.platform ?? {}) },
    seed: options.seed ?? 1,
    partitions: { nvdata: {}, protect_f: {}, protect_s: {}, otp: {} },
    binRegion: null,
    sys: null,
    factoryResetFlag: false,
    asserted: null,
    builds: 1,
    key: key.toLowerCase(),
  };
  bootMtkDevice(device);
  if (options.personalize !== false) personalizeMtkDevice(device);
  return device;
}

/**
 * The factory and the user at work: every non-SYS LID gets seeded, non-default records (unit data for
 * calibration/IMEI/barcode/SIM lock, settings for the rest; the IMEI LID gets valid test IMEIs, see `mtk-imei.ts`),
 * then the bin region backup is triggered (as the ATE calibration / SN-writer do, docs/formats/lid-table.md#partitions).
 * @example personalizeMtkDevice(device, 42)
 */
export function personalizeMtkDevice(device: MtkDevice, seed: number = device.seed): void {
  device.seed = seed;
  for (const entry of device.table.entries) {
    if (isSysLid(entry)) continue;
    const rng = mtkRng(fnv1a(`${seed}:${entry.name}`));
    const data = new Uint8Array(entry.size * entry.records);
    for (let i = 0; i < data.length; i++) data[i] = rng() & 0xff;
    if (LTABLE_IMEI_LIDS.includes(entry.name) && entry.size >= 8) {
      // IMEI records the SN writer programs: valid 15-digit test IMEIs (swapped BCD, Luhn), one per SIM slot
      // (records 1–2); the other records stay unprogrammed (FF, docs/formats/lid-files.md#defaults). Gen B phones show 00 00 filler, gen A FF FF.
      const filler = device.table.generation === 'moly-b' ? 0x00 : 0xff;
      data.fill(0xff);
      for (let r = 0; r < Math.min(2, entry.records); r++)
        data.set(mtkImeiRecord(mtkTestImei(rng), entry.size, filler), r * entry.size);
    }
    writeAll(device, entry, data, isMtkUnitData(entry));
  }
  backupMtkBinRegion(device);
}

/**
 * A deep copy of a device (the functions of this module mutate their argument).
 * @example const before = cloneMtkDevice(device); upgradeMtkDevice(device, next, 'ota');
 */
export function cloneMtkDevice(device: MtkDevice): MtkDevice {
  const cloneFiles = (files: Record<string, MtkStoredLid>): Record<string, MtkStoredLid> =>
    Object.fromEntries(Object.entries(files).map(([k, f]) => [k, { ...f, data: f.data.slice(), bad: [...f.bad] }]));
  return {
    ...device,
    platform: { ...device.platform },
    partitions: {
      nvdata: cloneFiles(device.partitions.nvdata),
      protect_f: cloneFiles(device.partitions.protect_f),
      protect_s: cloneFiles(device.partitions.protect_s),
      otp: cloneFiles(device.partitions.otp),
    },
    binRegion: device.binRegion === null ? null : cloneFiles(device.binRegion),
    sys: device.sys === null ? null : { ...device.sys },
    asserted: device.asserted === null ? null : { ...device.asserted },
  };
}

const BIN_FOLDERS = ['CALIBRAT', 'NVD_IMEI'];

/**
 * Triggers a bin-region backup: the `CALIBRAT` and `NVD_IMEI` folders of nvdata are packed into the `nvram`
 * partition, replacing what it held (docs/formats/lid-table.md#partitions; docs/formats/bin-region.md#layout). Returns the backed-up `<folder>/<name>`s.
 * @example backupMtkBinRegion(device) // ['CALIBRAT/FT02_002', 'NVD_IMEI/LD0B_001', …]
 */
export function backupMtkBinRegion(device: MtkDevice): string[] {
  const bin: Record<string, MtkStoredLid> = {};
  for (const [path, f] of Object.entries(device.partitions.nvdata)) {
    const m = /^md\/NVRAM\/([^/]+)\/([^/]+)$/.exec(path);
    if (m && BIN_FOLDERS.includes(m[1] as string))
      bin[`${m[1]}/${m[2]}`] = { ...f, data: f.data.slice(), bad: [...f.bad] };
  }
  device.binRegion = bin;
  return Object.keys(bin).sort();
}

const fileValid = (f: MtkStoredLid): boolean => f.bad.length === 0 && f.data.length === f.recordSize * f.records;

/**
 * The AP restore from the bin region (`nvram_daemon`, docs/formats/lid-table.md#boot-check "AP at boot"): every backed-up file that is missing
 * on nvdata or fails its checksums is copied back. With `all`, every backed-up file is copied back.
 * @throws NV_SIM_MTK_BIN_EMPTY when the bin region is blank.
 * @example restoreMtkBinRegion(device, { all: true })
 */
export function restoreMtkBinRegion(device: MtkDevice, options: { all?: boolean } = {}): string[] {
  if (device.binRegion === null)
    throw new NvError(
      'NV_SIM_MTK_BIN_EMPTY',
      'the nvram bin region is blank: nothing to restore (it is written only when a backup is triggered)',
    );
  return apRestore(device, options.all === true);
}

function apRestore(device: MtkDevice, all: boolean): string[] {
  const restored: string[] = [];
  for (const [key, f] of Object.entries(device.binRegion ?? {})) {
    const path = `md/NVRAM/${key}`;
    const cur = device.partitions.nvdata[path];
    if (!all && cur !== undefined && fileValid(cur)) continue;
    if (!fileValid(f)) continue;
    device.partitions.nvdata[path] = { ...f, data: f.data.slice(), bad: [...f.bad] };
    restored.push(`nvdata:${path}`);
  }
  return restored;
}

interface FileRef {
  readonly partition: MtkPartition;
  readonly path: string;
  readonly folder: string;
  readonly file: string;
}

function listFiles(device: MtkDevice): FileRef[] {
  const out: FileRef[] = [];
  // The version check lists the NVRAM folders only: the OTP area is not scanned (README.mtk.md, Decisions).
  for (const partition of MTK_NVRAM_PARTITIONS) {
    for (const path of Object.keys(device.partitions[partition]).sort()) {
      const parts = path.split('/');
      out.push({
        partition,
        path,
        folder: parts.length === 4 ? (parts[2] as string) : 'md',
        file: parts[parts.length - 1] as string,
      });
    }
  }
  return out;
}

/**
 * Boots the modem with the installed firmware (docs/formats/lid-table.md#boot-check + docs/formats/lid-files.md#read-errors):
 * 1. the AP `nvram_daemon` restores missing/invalid CALIBRAT and NVD_IMEI files from the bin region;
 * 2. the SYS record decides the trigger — erased nvdata or another build ⇒ version check; unreadable ⇒ reset all;
 * 3. version check — moly-b phase 1 per stored file (bad header, unknown prefix ⇒ delete, other name or header
 *    category ⇒ delete (backup first with RESERVE_BACKWARD), OTA_RESET ⇒ reset, record size/count change ⇒ assert
 *    for CALIBRAT/IMPORTANT/IMPORTANT_L4, migrate with RESERVE_BACKWARD, else kept); moly-a: SW_VERNO_RESET and
 *    IMPORTANT_C reset, other names stay as orphans (deleted on feature phones). Both: a file of an IMPORTANT or
 *    IMPORTANT_L4 LID under another VERNO ⇒ assert (docs/formats/lid-table.md#verno-rules); moly-b: an IMPORTANT_L4 file on protect_f/s that no
 *    IMPORTANT_L4 LID owns any more ⇒ assert (SML/SIM_LOCK loss check);
 * 4. phase 2 — LIDs without a file: restored from BACKUP (RESERVE_BACKWARD) or created from the default;
 * 5. phase 3 — SYS rewritten; factory-reset flag ⇒ factory-resettable LIDs reset;
 * 6. the first read of every LID (docs/formats/lid-files.md#read-errors): copy repair for MULTIPLE, bin-region restore for CALIBRAT/IMPORTANT
 *    (gen B), FAULT_ASSERT ⇒ assert, else reset; gen A reads ciphered data with the other cipher mode unnoticed.
 * On an assert `device.asserted` is set and the boot stops: an assert in steps 3–5 applies nothing, one in step 6
 * keeps what was applied before it. The result names the asserting LID (`asserted`) and lists every LID the boot
 * did not reach as `unreached`.
 * @example bootMtkDevice(device).lids.every((l) => l.outcome === 'kept')
 */
export function bootMtkDevice(device: MtkDevice): MtkBootResult {
  assertGeneration(device.table);
  const gen = device.table.generation;
  const b = gen === 'moly-b';
  const featurePhone = device.platform.device === 'feature-phone';
  const entries = device.table.entries;
  const byPrefix = new Map<string, LtableEntry>();
  for (const e of entries) if (!byPrefix.has(e.prefix)) byPrefix.set(e.prefix, e);
  const locs = new Map(entries.map((e) => [e, mtkLidLocations(device, e)]));
  const outcome = new Map<LtableEntry, { outcome: MtkLidOutcome; reason: string }>();
  const setOnce = (e: LtableEntry, o: MtkLidOutcome, reason: string): void => {
    if (!outcome.has(e)) outcome.set(e, { outcome: o, reason });
  };
  const deleted: string[] = [];
  const orphans: string[] = [];
  const backups = new Map<LtableEntry, MtkStoredLid>();
  const migrate = new Map<LtableEntry, MtkStoredLid>();
  device.asserted = null;

  // 1. AP nvram_daemon (runs before the modem; knows only the bin region's file names).
  const apRestored = device.binRegion === null ? [] : apRestore(device, false);

  // 2. SYS record.
  const trigger: MtkBootResult['trigger'] =
    device.sys === null
      ? 'fresh-nvdata'
      : !device.sys.ok
        ? 'sys-read-failed'
        : device.sys.firmware !== device.firmware
          ? 'version-change'
          : 'none';
  // LIDs whose first read completed before an assert (step 6); an assert earlier leaves every LID unreached.
  const processed = new Set<LtableEntry>();
  const stop = (assert: MtkAssert): MtkBootResult => {
    device.asserted = assert;
    return {
      trigger,
      asserted: assert,
      lids: entries.map((e) => {
        if (e.name === assert.name)
          return { name: e.name, lid: e.lid, outcome: 'asserted' as const, reason: assert.reason };
        if (processed.has(e)) return { name: e.name, lid: e.lid, ...lidOutcome(e) };
        return {
          name: e.name,
          lid: e.lid,
          outcome: 'unreached' as const,
          reason: `not reached: the modem asserted on ${assert.name} first`,
        };
      }),
      deleted: processed.size > 0 ? deleted : [],
      orphans: processed.size > 0 ? orphans : [],
      apRestored,
    };
  };
  const lidOutcome = (e: LtableEntry): { outcome: MtkLidOutcome; reason: string } => {
    const fromBin = (locs.get(e) as MtkLidLocation[]).some((l) => apRestored.includes(`${l.partition}:${l.path}`));
    const fallback = fromBin
      ? { outcome: 'restored' as const, reason: 'restored from the bin region by the AP nvram_daemon' }
      : { outcome: 'kept' as const, reason: 'file present and valid' };
    return outcome.get(e) ?? fallback;
  };

  if (trigger === 'sys-read-failed') {
    // docs/formats/lid-table.md#boot-check: a failed SYS read resets every LID (FAT reset).
    for (const e of entries) setOnce(e, 'reset', 'SYS LID unreadable: every LID is reset (FAT reset)');
  }
  const drop = new Set<string>();
  if (trigger === 'fresh-nvdata' || trigger === 'version-change') {
    // 3. Version check, per stored file.
    for (const f of listFiles(device)) {
      const key = `${f.partition}:${f.path}`;
      const stored = device.partitions[f.partition][f.path] as MtkStoredLid;
      const m = lidName(f.file);
      const owner = m ? byPrefix.get(m.prefix) : undefined;
      const onProtect = f.partition !== 'nvdata';
      if (b && !stored.headerOk) {
        if (owner && has(owner.categories, 'IMPORTANT_L4') && onProtect)
          return stop({ name: owner.name, reason: `bad header on ${key}: SML/SIM_LOCK data lost, the modem asserts` });
        continue;
      }
      if (!m || !owner) {
        if (b && onProtect)
          return stop({
            name: stored.name,
            reason: `${key} is IMPORTANT_L4 data that no LID of the new table owns: SML/SIM_LOCK loss check asserts`,
          });
        if (b || featurePhone) (deleted.push(key), drop.add(key));
        else orphans.push(key);
        continue;
      }
      const mine = (locs.get(owner) as MtkLidLocation[]).some((l) => l.partition === f.partition && l.path === f.path);
      const protectedData = has(owner.categories, 'IMPORTANT') || has(owner.categories, 'IMPORTANT_L4');
      if (protectedData && m.verno !== owner.verno) {
        return stop({
          name: owner.name,
          reason: `${key} holds ${owner.name} under VERNO ${m.verno}, the firmware wants ${owner.verno}: the modem asserts to protect IMEI/SIM-lock data (§9.4)`,
        });
      }
      if (b && onProtect && !has(owner.categories, 'IMPORTANT_L4')) {
        return stop({
          name: owner.name,
          reason: `${key} is IMPORTANT_L4 data but ${owner.name} is no longer IMPORTANT_L4: SML/SIM_LOCK loss check asserts`,
        });
      }
      const wrongCat = b && stored.category !== owner.category;
      if (!mine || wrongCat) {
        if (b && has(owner.attributes, 'RESERVE_BACKWARD') && !backups.has(owner)) backups.set(owner, stored);
        if (b || featurePhone) (deleted.push(key), drop.add(key));
        else orphans.push(key);
        continue;
      }
      if (b && has(owner.attributes, 'OTA_RESET')) {
        setOnce(owner, 'reset', 'OTA_RESET: reset on every version change');
        continue;
      }
      if (b && (stored.recordSize !== owner.size || stored.records !== owner.records)) {
        if (['CALIBRAT', 'IMPORTANT', 'IMPORTANT_L4'].some((c) => has(owner.categories, c))) {
          return stop({
            name: owner.name,
            reason: `${key}: record size/count ${stored.recordSize}×${stored.records} differs from the table's ${owner.size}×${owner.records}; the modem asserts to protect ${owner.categories.join('|')} data`,
          });
        }
        if (has(owner.attributes, 'RESERVE_BACKWARD')) migrate.set(owner, stored);
        // else kept unchanged: the first read below fails and resets it.
      }
    }
    if (!b) {
      for (const e of entries) {
        if (has(e.categories, 'OTP')) continue; // the OTP area is outside the version check
        if (has(e.attributes, 'SW_VERNO_RESET')) setOnce(e, 'reset', 'SW_VERNO_RESET: reset on every version change');
        else if (has(e.categories, 'IMPORTANT_C')) setOnce(e, 'reset', 'IMPORTANT_C is reset on a version change');
      }
    }
  }

  // Apply phase 1 (deletions), then phase 2/3.
  for (const key of drop) {
    const [partition, path] = key.split(/:(.*)/s) as [MtkPartition, string];
    delete device.partitions[partition][path];
  }
  for (const [e, old] of migrate) {
    writeAll(device, e, migrated(e, old), old.unit);
    setOnce(e, 'migrated', 'structure changed: backed up and restored into the new structure (RESERVE_BACKWARD)');
  }
  for (const e of entries) {
    const o = outcome.get(e);
    if (o?.outcome === 'reset') resetLid(device, e);
  }
  for (const e of entries) {
    const present = (locs.get(e) as MtkLidLocation[]).filter(
      (l) => device.partitions[l.partition][l.path] !== undefined,
    );
    if (present.length > 0) continue;
    const backup = backups.get(e);
    if (backup !== undefined) {
      writeAll(device, e, migrated(e, backup), backup.unit);
      setOnce(e, 'migrated', 'old file backed up to BACKUP and restored into the new identity (RESERVE_BACKWARD)');
    } else {
      resetLid(device, e);
      setOnce(
        e,
        'reset',
        has(e.categories, 'CALIBRAT') || has(e.categories, 'IMPORTANT')
          ? 'file missing and not in the bin region: created from the default'
          : 'file missing: created from the default',
      );
    }
  }
  device.sys = { firmware: device.firmware, ok: true };
  if (device.factoryResetFlag) {
    for (const e of entries) {
      // factoryResettable (docs/formats/lid-table.md#categories) minus the bin-region categories: a factory reset never loses calibration or IMEI
      // (README.mtk.md, Decisions); moly-a resets the LIDs whose effective attributes keep FACTORY_RESET.
      // …and OTP data (one-time programmable, outside nvdata) is never reset.
      const binned = has(e.categories, 'CALIBRAT') || has(e.categories, 'IMPORTANT') || has(e.categories, 'OTP');
      const resettable =
        !binned &&
        (b
          ? !has(e.categories, 'IMPORTANT_L4') && !has(e.categories, 'IMPORTANT_L1')
          : has(effectiveAttrs(device, e), 'FACTORY_RESET'));
      if (resettable && !isSysLid(e)) {
        resetLid(device, e);
        outcome.set(e, { outcome: 'reset', reason: 'factory-reset flag' });
      }
    }
    device.factoryResetFlag = false;
  }

  // 6. First read of every LID.
  for (const e of entries) {
    const r = readLid(device, e);
    if ('assert' in r) return stop(r.assert);
    if (r.outcome !== undefined) outcome.set(e, { outcome: r.outcome, reason: r.reason });
    processed.add(e);
  }
  return {
    trigger,
    lids: entries.map((e) => ({ name: e.name, lid: e.lid, ...lidOutcome(e) })),
    deleted,
    orphans,
    apRestored,
  };
}

/** New records from an old file (RESERVE_BACKWARD): the overlapping bytes of each record, the rest from the default. */
function migrated(e: LtableEntry, old: MtkStoredLid): Uint8Array {
  const out = mtkDefaultRecords(e);
  for (let i = 0; i < Math.min(e.records, old.records); i++) {
    const n = Math.min(e.size, old.recordSize);
    out.set(old.data.subarray(i * old.recordSize, i * old.recordSize + n), i * e.size);
  }
  return out;
}

type ReadResult = { assert: MtkAssert } | { outcome?: MtkLidOutcome; reason: string };

/**
 * docs/formats/lid-files.md#read-errors: verify the requested records (`index`, or all) of every copy, repair a bad copy from a good one, gen-B
 * CALIBRAT/IMPORTANT ask the AP for the bin-region copy (failure ⇒ "bin-region restore fail", or assert with
 * FAULT_ASSERT; no reset), else FAULT_ASSERT asserts, INTERNAL fails, everything else is reset to its defaults.
 */
function readLid(device: MtkDevice, e: LtableEntry, index?: number): ReadResult {
  const b = device.table.generation === 'moly-b';
  const locs = mtkLidLocations(device, e);
  const wantCipher = isCiphered(effectiveAttrs(device, e));
  const ok = (f: MtkStoredLid | undefined): f is MtkStoredLid =>
    f !== undefined &&
    (index === undefined ? f.bad.length === 0 : !f.bad.includes(index)) &&
    f.data.length === e.size * e.records &&
    (!b || (f.recordSize === e.size && f.records === e.records && f.ciphered === wantCipher));
  const files = locs.map((l) => device.partitions[l.partition][l.path]);
  const good = files.find(ok);
  if (good !== undefined) {
    locs.forEach((l, i) => {
      if (!ok(files[i]))
        device.partitions[l.partition][l.path] = { ...good, data: good.data.slice(), bad: [...good.bad] };
    });
    if (!b && good.ciphered !== wantCipher) {
      // Gen A checksums the stored bytes: they pass, but are decoded with the wrong cipher mode (docs/formats/lid-table.md#decision-table row 18).
      for (const l of locs) {
        const f = device.partitions[l.partition][l.path] as MtkStoredLid;
        f.data = f.data.map((x) => x ^ 0x5a);
        f.ciphered = wantCipher;
      }
      return {
        outcome: 'garbled',
        reason:
          'CONFIDENTIAL/MSP changed: gen-A checksum of the stored bytes passes, the data is decoded with the wrong cipher',
      };
    }
    return { reason: 'valid' };
  }
  if (b && (has(e.categories, 'CALIBRAT') || has(e.categories, 'IMPORTANT'))) {
    const l0 = locs[0] as MtkLidLocation;
    const copy = device.binRegion?.[`${l0.folder}/${l0.file}`];
    if (ok(copy)) {
      for (const l of locs)
        device.partitions[l.partition][l.path] = { ...copy, data: copy.data.slice(), bad: [...copy.bad] };
      return { outcome: 'restored', reason: 'read failed: the AP restored the file from the bin region' };
    }
    if (has(e.attributes, 'FAULT_ASSERT'))
      return {
        assert: {
          name: e.name,
          reason: `read of ${e.name} failed, the bin-region restore failed and the LID has FAULT_ASSERT: the modem asserts`,
        },
      };
    return {
      outcome: 'failed',
      reason: 'read failed and the bin-region restore failed: the LID is unreadable (its unit data is not reset)',
    };
  }
  if (b && has(e.attributes, 'FAULT_ASSERT'))
    return {
      assert: { name: e.name, reason: `read of ${e.name} failed and the LID has FAULT_ASSERT: the modem asserts` },
    };
  if (has(e.categories, 'INTERNAL'))
    return { outcome: 'failed', reason: 'read failed; INTERNAL LIDs are not reset on a read error' };
  resetLid(device, e);
  return { outcome: 'reset', reason: 'read failed (checksum or size): every record reset to the default' };
}

function findEntry(device: MtkDevice, lid: string | number): LtableEntry {
  if (device.asserted !== null)
    throw new NvError(
      'NV_SIM_MTK_ASSERTED',
      `the modem asserted (${device.asserted.reason}); NVRAM access is refused`,
      { data: { lid: device.asserted.name } },
    );
  const e = device.table.entries.find((x) => (typeof lid === 'number' ? x.lid === lid : x.name === lid));
  if (e === undefined)
    throw new NvError(
      'NV_SIM_MTK_UNKNOWN_LID',
      `LID ${typeof lid === 'number' ? `0x${lid.toString(16)}` : lid} is not in the installed table`,
      { data: { lid } },
    );
  return e;
}

function checkIndex(e: LtableEntry, index: number, amount = 1): void {
  if (
    !Number.isInteger(index) ||
    !Number.isInteger(amount) ||
    amount < 1 ||
    index < 1 ||
    index + amount - 1 > e.records
  ) {
    throw new NvError(
      'NV_SIM_MTK_BAD_RECORD_INDEX',
      `record ${index}${amount > 1 ? `…${index + amount - 1}` : ''} is outside 1…${e.records} of ${e.name}`,
      { data: { lid: e.name, index } },
    );
  }
}

/** How a record is reached through the simulated modem API (docs/formats/lid-files.md#external-api). */
export interface MtkApiOptions {
  /**
   * `plain` (default): `nvram_external_read_data` / `_write_data` / `_reset_data`; `secure`: the
   * `nvram_external_secure_*` calls that IMEI and SIM-lock LIDs (tags `imei`, `sim-lock`) require.
   */
  readonly api?: 'plain' | 'secure';
  /** Factory (META) mode, as the SN writer and calibration tools run: `WRITEPROTECT` does not apply. */
  readonly factory?: boolean;
}

/** LIDs the plain external calls refuse (docs/formats/lid-files.md#external-api): IMEI and SIM-lock data, by their tags. */
export const isMtkSecureLid = (entry: Pick<LtableEntry, 'tags'>): boolean =>
  entry.tags.includes('imei') || entry.tags.includes('sim-lock');

/** The modem's refusals of docs/formats/lid-files.md#external-api: secure API for IMEI/SIM-lock LIDs, write protection outside factory mode. */
function checkApi(device: MtkDevice, e: LtableEntry, options: MtkApiOptions, write: boolean): void {
  if (isMtkSecureLid(e) && options.api !== 'secure')
    throw new NvError(
      'NV_LID_SECURE_API_REQUIRED',
      `${e.name} holds ${e.tags.includes('imei') ? 'IMEI' : 'SIM-lock'} data: the plain nvram_external_${write ? 'write' : 'read'}_data call is refused, use nvram_external_secure_${write ? 'write' : 'read'}_data (the secure API)`,
      { path: e.name, data: { lid: e.name } },
    );
  if (write && options.factory !== true && has(effectiveAttrs(device, e), 'WRITEPROTECT'))
    throw new NvError(
      'NV_LID_WRITE_PROTECTED',
      `${e.name} is WRITEPROTECT: the modem refuses external writes outside factory (META) mode`,
      { path: e.name, data: { lid: e.name } },
    );
}

/**
 * `nvram_external_read_data` (docs/formats/lid-files.md#external-api): one record (1-based), verified; a failing read runs the docs/formats/lid-table.md#boot-check
 * recovery (copy repair, bin-region restore, reset to default, or assert). Only the requested record is verified.
 * IMEI and SIM-lock LIDs need `api: 'secure'` (`nvram_external_secure_read_data`).
 * @throws NV_SIM_MTK_UNKNOWN_LID, NV_SIM_MTK_BAD_RECORD_INDEX, NV_SIM_MTK_ASSERTED, NV_SIM_MTK_READ_FAILED,
 *   NV_LID_SECURE_API_REQUIRED
 * @example readMtkRecord(device, 'NVRAM_EF_IMEI_IMEISV_LID', 1, { api: 'secure' })
 */
export function readMtkRecord(
  device: MtkDevice,
  lid: string | number,
  index: number,
  options: MtkApiOptions = {},
): Uint8Array {
  const e = findEntry(device, lid);
  checkApi(device, e, options, false);
  checkIndex(e, index);
  const r = readLid(device, e, index);
  if ('assert' in r) {
    device.asserted = r.assert;
    throw new NvError('NV_SIM_MTK_ASSERTED', r.assert.reason, { data: { lid: e.name } });
  }
  const l0 = mtkLidLocations(device, e)[0] as MtkLidLocation;
  const f = device.partitions[l0.partition][l0.path];
  if (r.outcome === 'failed' || f === undefined || f.data.length !== e.size * e.records)
    throw new NvError('NV_SIM_MTK_READ_FAILED', `${e.name}: ${r.reason}`, { data: { lid: e.name } });
  return f.data.slice((index - 1) * e.size, index * e.size);
}

/**
 * `nvram_external_write_data` (docs/formats/lid-files.md#external-api): writes one record to every copy, checksums recomputed. The other
 * records come from a copy without checksum errors, else from the defaults (the next read would have reset them).
 * As the modem does, it refuses IMEI and SIM-lock LIDs without `api: 'secure'` and `WRITEPROTECT` LIDs (effective
 * attributes) outside factory mode (`factory: true`).
 * @throws NV_SIM_MTK_UNKNOWN_LID, NV_SIM_MTK_BAD_RECORD_INDEX, NV_SIM_MTK_BAD_BUFFER_SIZE, NV_SIM_MTK_ASSERTED,
 *   NV_LID_SECURE_API_REQUIRED, NV_LID_WRITE_PROTECTED
 * @example writeMtkRecord(device, 'NVRAM_EF_IMEI_IMEISV_LID', 1, imei, { api: 'secure', factory: true })
 */
export function writeMtkRecord(
  device: MtkDevice,
  lid: string | number,
  index: number,
  record: Uint8Array,
  options: MtkApiOptions & { unit?: boolean } = {},
): void {
  const e = findEntry(device, lid);
  checkApi(device, e, options, true);
  checkIndex(e, index);
  if (record.length !== e.size)
    throw new NvError('NV_SIM_MTK_BAD_BUFFER_SIZE', `${e.name} records are ${e.size} bytes, got ${record.length}`, {
      data: { lid: e.name },
    });
  const good = mtkLidLocations(device, e)
    .map((l) => device.partitions[l.partition][l.path])
    .find((f) => f !== undefined && f.bad.length === 0 && f.data.length === e.size * e.records);
  const data = good !== undefined ? good.data.slice() : mtkDefaultRecords(e);
  data.set(record, (index - 1) * e.size);
  writeAll(device, e, data, options.unit ?? good?.unit ?? isMtkUnitData(e));
}

/**
 * `nvram_external_reset_data` (docs/formats/lid-files.md#external-api): rewrites `amount` records from `index` with their defaults. A reset is
 * a write: the same refusals as {@link writeMtkRecord}.
 * @throws NV_SIM_MTK_UNKNOWN_LID, NV_SIM_MTK_BAD_RECORD_INDEX, NV_SIM_MTK_ASSERTED, NV_LID_SECURE_API_REQUIRED,
 *   NV_LID_WRITE_PROTECTED
 * @example resetMtkRecords(device, 'NVRAM_EF_SMS_SETTING_LID', 1, 10)
 */
export function resetMtkRecords(
  device: MtkDevice,
  lid: string | number,
  index: number,
  amount: number,
  options: MtkApiOptions = {},
): void {
  const e = findEntry(device, lid);
  checkApi(device, e, options, true);
  checkIndex(e, index, amount);
  const def = mtkDefaultRecords(e);
  for (let i = index; i < index + amount; i++)
    writeMtkRecord(device, e.name, i, def.subarray((i - 1) * e.size, i * e.size), { ...options, unit: false });
}

/**
 * Damages a stored file as flash wear or a bad tool would: a record checksum (`record`, 1-based), the gen-B
 * header checksum (`header`, moly-b only), or drops the file (`remove`). Returns the damaged `partition:path`s.
 * @throws NV_SIM_MTK_UNKNOWN_LID; RangeError for a record outside the file.
 * @example corruptMtkLid(device, 'NVRAM_EF_FT_RF_CAL_LID', { record: 1 })
 */
export function corruptMtkLid(
  device: MtkDevice,
  lid: string | number,
  damage: { record?: number; header?: boolean; remove?: boolean; copies?: 'all' | 'first' },
): string[] {
  const e = findEntry(device, lid);
  const locs = mtkLidLocations(device, e).slice(0, damage.copies === 'first' ? 1 : undefined);
  const out: string[] = [];
  for (const l of locs) {
    const f = device.partitions[l.partition][l.path];
    if (f === undefined) continue;
    if (damage.remove === true) delete device.partitions[l.partition][l.path];
    // Only gen-B (moly-b) files have a header; gen A has nothing to damage there.
    if (damage.header === true && device.table.generation === 'moly-b') f.headerOk = false;
    if (damage.record !== undefined) {
      if (damage.record < 1 || damage.record > f.records)
        throw new RangeError(`record ${damage.record} is outside 1…${f.records}`);
      if (!f.bad.includes(damage.record)) f.bad.push(damage.record);
    }
    out.push(`${l.partition}:${l.path}`);
  }
  return out;
}

/**
 * The records of a LID as stored in its first copy, without any read-side recovery (for inspection and tests).
 * @example peekMtkLid(device, 'NVRAM_EF_IMEI_IMEISV_LID')?.data
 */
export function peekMtkLid(device: MtkDevice, lid: string | number): MtkStoredLid | undefined {
  const e = device.table.entries.find((x) => (typeof lid === 'number' ? x.lid === lid : x.name === lid));
  if (e === undefined) return undefined;
  const l = mtkLidLocations(device, e)[0] as MtkLidLocation;
  return device.partitions[l.partition][l.path];
}

/**
 * True when the stored data of `lid` (first copy) equals `data` (plain records).
 * @example mtkLidEquals(device, 'NVRAM_EF_FT_RF_CAL_LID', calibration)
 */
export function mtkLidEquals(device: MtkDevice, lid: string, data: Uint8Array): boolean {
  const f = peekMtkLid(device, lid);
  return f !== undefined && bytesEqual(f.data, data);
}
