/**
 * The simulated MediaTek device as a folder: `device.json` (table, SYS record, flags, per-file metadata) plus one
 * file per stored LID holding its plain records (`nvdata/md/NVRAM/<folder>/<name>`, `protect_f/md/<name>`,
 * `protect_s/md/<name>`, `nvram/<folder>/<name>` for the bin-region copies). Pure: bytes in, bytes out; the Node
 * entry (`node-mtk.ts`) reads and writes the folder.
 * @module
 */
import { NvError, decodeUtf8, encodeUtf8 } from '@nv/core';
import { ltableFromJson, ltableToJson } from '@nv/mtk-nvram-ltable';
import { MTK_PARTITIONS, type MtkDevice, type MtkPartition, type MtkStoredLid } from './mtk-device.ts';

/** Name of the metadata file in a state folder. */
export const MTK_STATE_FILE = 'device.json';
/** Format tag of `device.json`. */
export const MTK_STATE_FORMAT = 'nv-sim-mtk';
/** Largest `device.json` accepted (bytes). */
export const MTK_STATE_MAX_JSON: number = 64 * 1024 * 1024;
/** Most LID files accepted in one state. */
export const MTK_STATE_MAX_FILES: number = 100_000;

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
  nvram: /^[A-Za-z0-9_]{1,32}\/[0-9A-Za-z_]{1,40}$/,
};

const meta = (where: Where, path: string, f: MtkStoredLid): Record<string, unknown> => ({
  where, path, name: f.name, lid: f.lid, recordSize: f.recordSize, records: f.records, attr: f.attr, category: f.category,
  headerOk: f.headerOk, ciphered: f.ciphered, bad: f.bad, unit: f.unit, bytes: f.data.length,
});

/**
 * The files of a state folder for `device` (`device.json` first).
 * @example mtkDeviceToFiles(device).map((f) => f.path)
 */
export function mtkDeviceToFiles(device: MtkDevice): MtkStateFile[] {
  const files: MtkStateFile[] = [];
  const list: Record<string, unknown>[] = [];
  const add = (where: Where, path: string, f: MtkStoredLid): void => {
    list.push(meta(where, path, f));
    files.push({ path: `${where}/${path}`, bytes: f.data });
  };
  for (const p of MTK_PARTITIONS) for (const path of Object.keys(device.partitions[p]).sort()) add(p, path, device.partitions[p][path] as MtkStoredLid);
  if (device.binRegion !== null) for (const key of Object.keys(device.binRegion).sort()) add('nvram', key, device.binRegion[key] as MtkStoredLid);
  const doc = {
    format: MTK_STATE_FORMAT, version: 1, firmware: device.firmware, builds: device.builds, seed: device.seed, platform: device.platform,
    sys: device.sys, factoryResetFlag: device.factoryResetFlag, asserted: device.asserted, binRegion: device.binRegion === null ? 'blank' : 'present',
    table: ltableToJson(device.table), files: list,
  };
  return [{ path: MTK_STATE_FILE, bytes: encodeUtf8(`${JSON.stringify(doc, null, 2)}\n`) }, ...files];
}

const bad = (message: string, path: string = MTK_STATE_FILE): NvError => new NvError('NV_SIM_MTK_BAD_STATE', message, { path });
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (v: unknown, what: string, max = 0xffffffff): number => {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max) throw bad(`${what} must be an integer 0…${max}`);
  return v;
};

/**
 * Rebuilds a device from `device.json` and a reader of the other files of the folder.
 * @throws NV_SIM_MTK_BAD_STATE for a malformed `device.json`, an unsafe path or a file whose size disagrees; the
 *   table's NV_LTABLE_* codes for a bad table.
 * @example const device = mtkDeviceFromFiles(json, (p) => files.get(p));
 */
export function mtkDeviceFromFiles(json: Uint8Array, read: (path: string) => Uint8Array | undefined): MtkDevice {
  if (json.length > MTK_STATE_MAX_JSON) throw new NvError('NV_LIMIT', `${MTK_STATE_FILE} is over ${MTK_STATE_MAX_JSON} bytes`, { path: MTK_STATE_FILE });
  let doc: unknown;
  try {
    doc = JSON.parse(decodeUtf8(json));
  } catch (cause) {
    throw new NvError('NV_SIM_MTK_BAD_STATE', `${MTK_STATE_FILE} is not valid JSON`, { path: MTK_STATE_FILE, cause });
  }
  if (!isObj(doc) || doc['format'] !== MTK_STATE_FORMAT || doc['version'] !== 1) throw bad(`${MTK_STATE_FILE} is not a ${MTK_STATE_FORMAT} version 1 state`);
  const table = ltableFromJson(doc['table']);
  const files = doc['files'];
  if (!Array.isArray(files)) throw bad('files must be a list');
  if (files.length > MTK_STATE_MAX_FILES) throw new NvError('NV_LIMIT', `more than ${MTK_STATE_MAX_FILES} files`, { path: MTK_STATE_FILE });
  if (typeof doc['firmware'] !== 'string') throw bad('firmware must be a string');
  const sys = doc['sys'];
  if (sys !== null && !(isObj(sys) && typeof sys['firmware'] === 'string' && typeof sys['ok'] === 'boolean')) throw bad('sys must be null or {firmware, ok}');
  const asserted = doc['asserted'];
  if (asserted !== null && !(isObj(asserted) && typeof asserted['name'] === 'string' && typeof asserted['reason'] === 'string')) throw bad('asserted must be null or {name, reason}');
  const platform = doc['platform'];
  if (!isObj(platform)) throw bad('platform must be an object');
  const device: MtkDevice = {
    table, firmware: doc['firmware'], builds: int(doc['builds'], 'builds'), seed: int(doc['seed'], 'seed'), platform,
    partitions: { nvdata: {}, protect_f: {}, protect_s: {} },
    binRegion: doc['binRegion'] === 'blank' ? null : {},
    sys: sys === null ? null : { firmware: sys['firmware'] as string, ok: sys['ok'] as boolean },
    factoryResetFlag: doc['factoryResetFlag'] === true,
    asserted: asserted === null ? null : { name: asserted['name'] as string, reason: asserted['reason'] as string },
  };
  for (const m of files) {
    if (!isObj(m)) throw bad('every files[] item must be an object');
    const where = m['where'];
    const path = m['path'];
    if (typeof where !== 'string' || !(where in PATH_RE) || typeof path !== 'string' || !PATH_RE[where as Where].test(path)) {
      throw bad(`files[]: unsafe or unknown location ${JSON.stringify(where)}:${JSON.stringify(path)}`);
    }
    const rel = `${where}/${path}`;
    const data = read(rel);
    if (data === undefined) throw bad(`${rel} is listed in ${MTK_STATE_FILE} but missing`, rel);
    if (data.length !== m['bytes']) throw bad(`${rel} has ${data.length} bytes, ${MTK_STATE_FILE} says ${String(m['bytes'])}`, rel);
    const badList = m['bad'];
    if (!Array.isArray(badList) || badList.some((x) => typeof x !== 'number' || !Number.isInteger(x) || x < 1)) throw bad(`${rel}: bad must be a list of record indexes`);
    const lid = m['lid'];
    const stored: MtkStoredLid = {
      name: typeof m['name'] === 'string' ? m['name'] : '', lid: lid === null ? null : int(lid, `${rel} lid`, 0xffff),
      recordSize: int(m['recordSize'], `${rel} recordSize`), records: int(m['records'], `${rel} records`, 0xffff),
      attr: int(m['attr'], `${rel} attr`), category: int(m['category'], `${rel} category`),
      headerOk: m['headerOk'] !== false, ciphered: m['ciphered'] === true, data: data.slice(), bad: badList as number[], unit: m['unit'] === true,
    };
    if (where === 'nvram') {
      if (device.binRegion === null) throw bad(`${rel}: the bin region is blank but lists files`, rel);
      device.binRegion[path] = stored;
    } else device.partitions[where as MtkPartition][path] = stored;
  }
  return device;
}
