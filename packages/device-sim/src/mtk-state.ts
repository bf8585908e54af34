/**
 * The simulated MediaTek device as a folder: `device.json` (table, SYS record, flags, per-file bookkeeping) plus one
 * real LID file per stored copy, encoded by `@nv/mtk-lid-file` (gen A for moly-a, gen B with its `LDI` header for
 * moly-b; confidential LIDs ciphered with the device key, default {@link MTK_SIM_KEY}): `nvdata/md/NVRAM/<folder>/<name>`,
 * `protect_f/md/<name>`, `protect_s/md/<name>`, `otp/md/<name>` (OTP LIDs), and `nvram/<folder>/<name>` for the
 * bin-region copies. The files are
 * the source of truth on load: `nv mtk lid decode/verify` can inspect them, and a byte edited in one shows up as a
 * checksum error on the simulated device. Pure: bytes in, bytes out; `node-mtk.ts` reads and writes the folder.
 * @module
 */
import { NvError } from '@nv/core';
import { decodeUtf8, encodeUtf8, hexToBytes } from '@nv/core/bytes';
import { decodeLidFile, encodeLidFile, lidKeyFromBytes, type LidEntry, type LidGeneration } from '@nv/mtk-lid-file';
import { damageLidFile } from '@nv/mtk-lid-file/modem';
import { ltableFromJson, ltableToJson } from '@nv/mtk-nvram-ltable';
import {
  MTK_PARTITIONS,
  MTK_SIM_DEFAULT_KEY,
  mtkSimKeyBytes,
  type MtkDevice,
  type MtkPartition,
  type MtkStoredLid,
} from './mtk-device.ts';

/** Name of the metadata file in a state folder. */
export const MTK_STATE_FILE = 'device.json';
/** Format tag of `device.json`. */
export const MTK_STATE_FORMAT = 'nv-sim-mtk';
/** Largest `device.json` accepted (bytes). */
export const MTK_STATE_MAX_JSON: number = 64 * 1024 * 1024;
/** Most LID files accepted in one state. */
export const MTK_STATE_MAX_FILES: number = 100_000;

/**
 * The simulated device's default key for CONFIDENTIAL LIDs (16 synthetic bytes `00…0f`; gen A uses them as the RC4
 * key, gen B as the AES-128 key). Not a vendor key: real devices use the key of their build (docs/formats/lid-files.md#key-derivation). A
 * device created with another key (`createMtkDevice(…, {key})`, `nv sim mtk init --key`) records it in `device.json`.
 */
export const MTK_SIM_KEY: string = MTK_SIM_DEFAULT_KEY;

/** One file of a state folder. */
export interface MtkStateFile {
  /** Path relative to the state folder, `/`-separated. */
  readonly path: string;
  readonly bytes: Uint8Array;
}

type Where = MtkPartition | 'nvram';
const PATH_RE: Readonly<Record<Where, RegExp>> = {
  nvdata: /^md\/NVRAM\/[A-Za-z0-9_]{1,32}\/[0-9A-Za-z_]{1,40}$/,
  protect_f: /^md\/[0-9A-Za-z_]{1,40}$/,
  protect_s: /^md\/[0-9A-Za-z_]{1,40}$/,
  otp: /^md\/[0-9A-Za-z_]{1,40}$/,
  nvram: /^[A-Za-z0-9_]{1,32}\/[0-9A-Za-z_]{1,40}$/,
};

const meta = (where: Where, path: string, f: MtkStoredLid): Record<string, unknown> => ({
  where,
  path,
  name: f.name,
  lid: f.lid,
  recordSize: f.recordSize,
  records: f.records,
  attr: f.attr,
  category: f.category,
  ciphered: f.ciphered,
  unit: f.unit,
});

const fileGen = (device: Pick<MtkDevice, 'table'>): LidGeneration => (device.table.generation === 'moly-b' ? 'B' : 'A');
const lidEntry = (
  f: Pick<MtkStoredLid, 'lid' | 'recordSize' | 'records' | 'attr' | 'category' | 'ciphered' | 'name'>,
): LidEntry => ({
  lid: f.lid ?? 0,
  name: f.name,
  size: f.recordSize,
  records: f.records,
  attr: f.attr,
  category: f.category,
  attributes: f.ciphered ? ['CONFIDENTIAL'] : [],
});
// The simulated chip has no MSP hardware cipher: files are written as if MSP were not bound to the chip (README.mtk.md).
const codec = (gen: LidGeneration, key: string) => ({
  generation: gen,
  key: lidKeyFromBytes(hexToBytes(key), gen),
  bindToChip: false,
});

/**
 * A stored LID as its on-flash bytes (encoded by `@nv/mtk-lid-file`: gen A for moly-a, gen B for moly-b), with
 * damaged checksums for bad records and a damaged header checksum when `headerOk` is false.
 * A LID without a number (null) is written with LID 0 in the gen-B header.
 * @example mtkStoredLidBytes(device, device.partitions.nvdata['md/NVRAM/NVD_IMEI/LD0B_001']!)
 */
export function mtkStoredLidBytes(device: Pick<MtkDevice, 'table'> & { key?: string }, f: MtkStoredLid): Uint8Array {
  return lidBytes(fileGen(device), f, device.key ?? MTK_SIM_DEFAULT_KEY);
}

function lidBytes(gen: LidGeneration, f: MtkStoredLid, keyHex: string): Uint8Array {
  const entry = lidEntry(f);
  const records = Array.from({ length: f.records }, (_, i) => f.data.slice(i * f.recordSize, (i + 1) * f.recordSize));
  const opts = codec(gen, keyHex);
  // Bad records: the first stored checksum byte flipped (through the gen-B cipher when ciphered); a bad gen-B header.
  return damageLidFile(encodeLidFile(records, entry, opts), entry, {
    ...opts,
    records: f.bad,
    header: gen === 'B' && !f.headerOk,
  });
}

/**
 * The files of a state folder for `device` (`device.json` first).
 * @example mtkDeviceToFiles(device).map((f) => f.path)
 */
export function mtkDeviceToFiles(device: MtkDevice): MtkStateFile[] {
  const files: MtkStateFile[] = [];
  const list: Record<string, unknown>[] = [];
  const add = (where: Where, path: string, f: MtkStoredLid): void => {
    list.push(meta(where, path, f));
    files.push({ path: `${where}/${path}`, bytes: lidBytes(fileGen(device), f, device.key) });
  };
  for (const p of MTK_PARTITIONS)
    for (const path of Object.keys(device.partitions[p]).sort())
      add(p, path, device.partitions[p][path] as MtkStoredLid);
  if (device.binRegion !== null)
    for (const key of Object.keys(device.binRegion).sort()) add('nvram', key, device.binRegion[key] as MtkStoredLid);
  const doc = {
    format: MTK_STATE_FORMAT,
    version: 1,
    firmware: device.firmware,
    builds: device.builds,
    seed: device.seed,
    platform: device.platform,
    sys: device.sys,
    factoryResetFlag: device.factoryResetFlag,
    asserted: device.asserted,
    key: device.key,
    binRegion: device.binRegion === null ? 'blank' : 'present',
    table: ltableToJson(device.table),
    files: list,
  };
  return [{ path: MTK_STATE_FILE, bytes: encodeUtf8(`${JSON.stringify(doc, null, 2)}\n`) }, ...files];
}

const bad = (message: string, path: string = MTK_STATE_FILE): NvError =>
  new NvError('NV_SIM_MTK_BAD_STATE', message, { path });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown, what: string, max = 0xffffffff): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw bad(`${what} must be an integer 0…${max}`);
  return v;
};

/**
 * Rebuilds a device from `device.json` and a reader of the other files of the folder.
 * @throws NV_SIM_MTK_BAD_STATE for a malformed `device.json`, an unsafe path or a file whose size disagrees; the
 *   table's NV_LTABLE_* codes for a bad table.
 * @example const device = mtkDeviceFromFiles(json, (p) => files.get(p));
 */
export function mtkDeviceFromFiles(json: Uint8Array, read: (path: string) => Uint8Array | undefined): MtkDevice {
  if (json.length > MTK_STATE_MAX_JSON)
    throw new NvError('NV_LIMIT', `${MTK_STATE_FILE} is over ${MTK_STATE_MAX_JSON} bytes`, { path: MTK_STATE_FILE });
  let doc: unknown;
  try {
    doc = JSON.parse(decodeUtf8(json));
  } catch (cause) {
    throw new NvError('NV_SIM_MTK_BAD_STATE', `${MTK_STATE_FILE} is not valid JSON`, { path: MTK_STATE_FILE, cause });
  }
  if (!isObj(doc) || doc['format'] !== MTK_STATE_FORMAT || doc['version'] !== 1)
    throw bad(`${MTK_STATE_FILE} is not a ${MTK_STATE_FORMAT} version 1 state`);
  const table = ltableFromJson(doc['table']);
  const files = doc['files'];
  if (!Array.isArray(files)) throw bad('files must be a list');
  if (files.length > MTK_STATE_MAX_FILES)
    throw new NvError('NV_LIMIT', `more than ${MTK_STATE_MAX_FILES} files`, { path: MTK_STATE_FILE });
  if (typeof doc['firmware'] !== 'string') throw bad('firmware must be a string');
  const sys = doc['sys'];
  if (sys !== null && !(isObj(sys) && typeof sys['firmware'] === 'string' && typeof sys['ok'] === 'boolean'))
    throw bad('sys must be null or {firmware, ok}');
  const asserted = doc['asserted'];
  if (
    asserted !== null &&
    !(isObj(asserted) && typeof asserted['name'] === 'string' && typeof asserted['reason'] === 'string')
  )
    throw bad('asserted must be null or {name, reason}');
  const platform = doc['platform'];
  if (!isObj(platform)) throw bad('platform must be an object');
  // States written before the key was recorded used the default key.
  const stateKey = doc['key'] === undefined ? MTK_SIM_DEFAULT_KEY : doc['key'];
  if (typeof stateKey !== 'string') throw bad('key must be a hex string');
  try {
    mtkSimKeyBytes(stateKey, table.generation);
  } catch (cause) {
    throw new NvError('NV_SIM_MTK_BAD_STATE', `key: ${(cause as Error).message}`, { path: MTK_STATE_FILE, cause });
  }
  const allowed: Record<string, readonly unknown[]> = {
    storage: ['emmc', 'nand'],
    bindToChip: [true, false],
    device: ['smartphone', 'feature-phone'],
    importantPartitions: [true, false],
  };
  // Own keys only: `platform.constructor` would otherwise find Object.prototype's function (TypeError).
  for (const [k, v] of Object.entries(platform))
    if (!(Object.hasOwn(allowed, k) ? (allowed[k] as readonly unknown[]) : []).includes(v))
      throw bad(`platform.${k} = ${JSON.stringify(v)} is not supported`);
  const device: MtkDevice = {
    table,
    firmware: doc['firmware'],
    builds: int(doc['builds'], 'builds'),
    seed: int(doc['seed'], 'seed'),
    platform,
    partitions: { nvdata: {}, protect_f: {}, protect_s: {}, otp: {} },
    binRegion: doc['binRegion'] === 'blank' ? null : {},
    sys: sys === null ? null : { firmware: sys['firmware'] as string, ok: sys['ok'] as boolean },
    factoryResetFlag: doc['factoryResetFlag'] === true,
    asserted: asserted === null ? null : { name: asserted['name'] as string, reason: asserted['reason'] as string },
    key: stateKey,
  };
  for (const m of files) {
    if (!isObj(m)) throw bad('every files[] item must be an object');
    const where = m['where'];
    const path = m['path'];
    if (
      typeof where !== 'string' ||
      !Object.hasOwn(PATH_RE, where) ||
      typeof path !== 'string' ||
      !PATH_RE[where as Where].test(path)
    ) {
      throw bad(`files[]: unsafe or unknown location ${JSON.stringify(where)}:${JSON.stringify(path)}`);
    }
    const rel = `${where}/${path}`;
    const data = read(rel);
    if (data === undefined) throw bad(`${rel} is listed in ${MTK_STATE_FILE} but missing`, rel);
    const lid = m['lid'];
    const book = {
      name: typeof m['name'] === 'string' ? m['name'] : '',
      lid: lid === null ? null : int(lid, `${rel} lid`, 0xffff),
      recordSize: int(m['recordSize'], `${rel} recordSize`, 0xffffff),
      records: int(m['records'], `${rel} records`, 0xffff),
      attr: int(m['attr'], `${rel} attr`),
      category: int(m['category'], `${rel} category`),
      ciphered: m['ciphered'] === true,
    };
    const gen = fileGen(device);
    // The file decides: gen-B header fields, record bytes, checksum state (lid-file decode).
    const decoded = decodeLidFile(data, lidEntry(book), { ...codec(gen, stateKey), path: rel });
    const h = decoded.header;
    const recordSize = h?.recordSize ?? book.recordSize;
    const records = h?.totalRecords ?? book.records;
    const bytes = new Uint8Array(recordSize * records);
    decoded.records.forEach((r) => bytes.set(r.bytes.subarray(0, recordSize), (r.index - 1) * recordSize));
    const stored: MtkStoredLid = {
      name: book.name,
      lid: book.lid === null ? null : (h?.lid ?? book.lid),
      recordSize,
      records,
      attr: h?.attr ?? book.attr,
      category: h?.category ?? book.category,
      headerOk: decoded.headerChecksumOk !== false,
      ciphered: book.ciphered,
      data: bytes,
      bad: [...decoded.badRecords],
      unit: m['unit'] === true,
    };
    if (where === 'nvram') {
      if (device.binRegion === null) throw bad(`${rel}: the bin region is blank but lists files`, rel);
      device.binRegion[path] = stored;
    } else device.partitions[where as MtkPartition][path] = stored;
  }
  return device;
}
