/**
 * QCN model, read and write (docs/formats/qcn.md#container…#stores, docs/formats/qcn.md#read-write): File_Version, Mobile_Property_Info,
 * NV_ITEM_ARRAY(_SIM_n) records and the three EFS stores; unknown streams are kept opaque.
 * @module
 */
import { NvError, type Limits } from '@nv/core';
import { ByteReader, ByteWriter, bytesEqual, decodeLatin1, encodeLatin1 } from '@nv/core/bytes';
import { decodeCfb, encodeCfb, type CfbEntry } from './cfb.ts';
import type { EfsWarning } from './tree.ts';

/** The three EFS stores of a QCN (docs/formats/qcn.md#stores). */
export type QcnStore = 'NV_Items' | 'Provisioning_Item_Files' | 'EFS_Backup';
/** Stores in the order they are applied to an EFS tree (docs/formats/qcn.md#qcn-to-efs (2), inferred): later wins. */
export const QCN_STORES: readonly QcnStore[] = Object.freeze([
  'EFS_Backup',
  'NV_Items',
  'Provisioning_Item_Files',
] as const);

/** The constant 8-byte EFS_Backup Dir header (docs/formats/qcn.md#stores). */
export const EFS_BACKUP_HEADER: Uint8Array = Uint8Array.of(1, 0, 1, 1, 0, 0, 0, 0);
/** Size of one NV_ITEM_ARRAY record (docs/formats/qcn.md#item-record). */
export const QCN_RECORD_BYTES = 136;
/** Payload bytes in a record (docs/formats/qcn.md#item-record). */
export const QCN_PAYLOAD_BYTES = 128;

/** The storage of the numbered-item arrays, inside `<MODEL>/default` (docs/formats/qcn.md#container). */
export const NUMBERED_STORAGE = 'NV_NUMBERED_ITEMS';
const NUMBERED_ARRAY_RE = /^NV_ITEM_ARRAY(?:_SIM_(\d{1,2}))?$/i;

/**
 * True for a stream the QCN reader keeps opaque on purpose (`Feature_Mask`, docs/formats/qcn.md#container); any other stream in `extra` is
 * one it does not understand (`NV_EFS_QCN_UNKNOWN_STREAM`).
 * @example isOpaqueQcnStream('00000000/default/Feature_Mask', '00000000') // true
 */
export function isOpaqueQcnStream(path: string, modelName: string): boolean {
  return path.toLowerCase() === `${modelName}/default/feature_mask`.toLowerCase();
}

/** `Mobile_Property_Info` (docs/formats/qcn.md#property-info). */
export interface QcnPropertyInfo {
  /** u32 at 0, meaning unknown (QRCT 0). */
  readonly unknown: number;
  readonly modelNumber: number;
  readonly nvMajor: number;
  readonly nvMinor: number;
  readonly softwareVersion: string;
  readonly producer: string;
}

/** One legacy NV record (docs/formats/qcn.md#item-record). */
export interface QcnItem {
  readonly id: number;
  /** Array index field (u16 @6). */
  readonly index: number;
  /** 0 for `NV_ITEM_ARRAY`, n for `NV_ITEM_ARRAY_SIM_<n>` (inferred). */
  readonly subscription: number;
  /** The 128-byte diag-form payload (array items begin with the index byte). */
  readonly payload: Uint8Array;
  /** u16 @2, 1 in every known file. */
  readonly flag?: number;
}

/** One EFS store entry (docs/formats/qcn.md#stores). */
export interface QcnEfsFile {
  readonly store: QcnStore;
  /** EFS path (absolute, or relative in EFS_Backup). */
  readonly path: string;
  readonly data: Uint8Array;
  /** The stream name `<K>` it was read from (written files get `%08X` by path order). */
  readonly key?: string;
  /** EFS_Backup Dir header when it differs from {@link EFS_BACKUP_HEADER}. */
  readonly backupHeader?: Uint8Array;
}

/** A QCN as a model. */
export interface Qcn {
  /** `File_Version` (major, minor, revision), absent if the stream was missing. */
  readonly fileVersion?: readonly [number, number, number];
  /** `mobile_model_no` (the `%08d` model storage). */
  readonly model: number;
  /** The model storage's name as found (usually `%08d`). */
  readonly modelName?: string;
  readonly propertyInfo?: QcnPropertyInfo;
  readonly items: readonly QcnItem[];
  readonly efs: readonly QcnEfsFile[];
  /** Streams this package does not interpret (e.g. `Feature_Mask`), by path below the model storage or the root. */
  readonly extra: readonly CfbEntry[];
}

/**
 * Reads a QCN (docs/formats/qcn.md#read-write): CFB signature; model = the root storage holding `default`; records; stores paired by
 * identical `<K>` string; unknown streams kept.
 * @throws NvError `NV_EFS_BAD_QCN_SIGNATURE`, `NV_EFS_QCN_CORRUPT`, `NV_EFS_QCN_NO_MODEL`, `NV_EFS_BAD_QCN_PROPERTY_INFO`, `NV_EFS_BAD_QCN_RECORD`, `NV_EFS_QCN_UNPAIRED`, `NV_EFS_BAD_QCN_PATH`, `NV_EFS_BAD_QCN_BACKUP_HEADER`, `NV_LIMIT`
 * @example const { qcn, warnings } = decodeQcn(bytes);
 */
export function decodeQcn(
  bytes: Uint8Array,
  options: { limits?: Partial<Limits> } = {},
): { qcn: Qcn; warnings: EfsWarning[] } {
  return qcnFromEntries(decodeCfb(bytes, options));
}

/**
 * Interprets a compound-file tree (from a QCN or an XQCN) as a QCN model (docs/formats/qcn.md#read-write).
 * @throws NvError as {@link decodeQcn} (except the CFB codes)
 * @example qcnFromEntries(decodeCfb(bytes)).qcn.items
 */
export function qcnFromEntries(
  entries: readonly CfbEntry[],
  initialWarnings: readonly EfsWarning[] = [],
): { qcn: Qcn; warnings: EfsWarning[] } {
  const warnings: EfsWarning[] = [...initialWarnings];
  // Every path case-folded once, by entry index; `used` is a flag per index (issue 17: no Map or Set keyed by the
  // entry objects).
  const count = entries.length;
  const folded: string[] = new Array<string>(count);
  for (let i = 0; i < count; i++) folded[i] = (entries[i] as CfbEntry).path.toLowerCase();
  const used = new Uint8Array(count);
  const models = new Set<string>();
  let lastModel = '';
  for (let i = 0; i < count; i++) {
    const l = folded[i] as string;
    const a = l.indexOf('/');
    if (a < 0) continue;
    const b = l.indexOf('/', a + 1);
    // The second segment is `default` (no substring made); the model name is sliced once per run of equal ones.
    if ((b < 0 ? l.length : b) - a - 1 !== 7 || !l.startsWith('default', a + 1)) continue;
    const path = (entries[i] as CfbEntry).path;
    if (a !== lastModel.length || !path.startsWith(lastModel)) models.add((lastModel = path.slice(0, a)));
  }
  if (models.size !== 1) {
    throw new NvError(
      'NV_EFS_QCN_NO_MODEL',
      models.size === 0
        ? 'no root storage holds a "default" storage: not a QCN backup'
        : `several model storages hold "default": ${[...models].join(', ')}`,
      {},
    );
  }
  const modelName = [...models][0] as string;
  let fileVersion: [number, number, number] | undefined;
  const fv = firstStream(entries, folded, used, 'File_Version');
  if (fv?.data === undefined || fv.data.length !== 6) {
    warnings.push({
      code: 'NV_EFS_BAD_QCN_FILE_VERSION',
      message: fv === undefined ? 'File_Version is missing' : `File_Version is ${fv.data?.length} bytes, not 6`,
      path: 'File_Version',
    });
    if (fv?.data !== undefined && fv.data.length >= 6) fileVersion = readVersion(fv.data);
  } else {
    fileVersion = readVersion(fv.data);
    if (fileVersion[0] !== 2)
      warnings.push({
        code: 'NV_EFS_BAD_QCN_FILE_VERSION',
        message: `File_Version major is ${fileVersion[0]}, not 2`,
        path: 'File_Version',
      });
  }
  let propertyInfo: QcnPropertyInfo | undefined;
  const pi = firstStream(entries, folded, used, `${modelName}/default/Mobile_Property_Info`);
  if (pi?.data !== undefined) {
    try {
      const r = new ByteReader(pi.data, { path: pi.path });
      const unknown = r.u32le();
      const modelNumber = r.u16le();
      const nvMajor = r.u8();
      const nvMinor = r.u8();
      const softwareVersion = decodeLatin1(r.bytesView(r.u16le(), 'software version'));
      const producer = r.isAtEnd ? '' : decodeLatin1(r.bytesView(r.u16le(), 'producer'));
      propertyInfo = { unknown, modelNumber, nvMajor, nvMinor, softwareVersion, producer };
    } catch (cause) {
      throw new NvError(
        'NV_EFS_BAD_QCN_PROPERTY_INFO',
        `${pi.path}: string lengths run past the stream (${pi.data.length} bytes)`,
        { path: pi.path, cause },
      );
    }
  }
  const model = /^\d{1,8}$/.test(modelName) ? Number(modelName) : (propertyInfo?.modelNumber ?? 0);
  // <MODEL>/default/NV_NUMBERED_ITEMS/NV_ITEM_ARRAY and _SIM_<n> (docs/formats/qcn.md#container, real QPST/QRCT/QMSL files); also the old
  // location <MODEL>/NV_NUMBERED_ITEMS/ that @nv/qcom-efs wrote before issue 14, with a warning.
  const items: QcnItem[] = [];
  // (id, index) → position in `items`, one index per subscription (issue 17: a Map keyed by a 40-bit number, a
  // boxed double per record, was the costliest line of decodeQcn).
  const seen = new Map<number, ItemIndex>();
  const arrayPrefix = `${modelName}/default/${NUMBERED_STORAGE}/`.toLowerCase();
  const legacyPrefix = `${modelName}/${NUMBERED_STORAGE}/`.toLowerCase();
  // The EFS store streams: `<MODEL>/default/<store>/EFS_Dir|EFS_Data/<K>` (docs/formats/qcn.md#stores).
  const defaultPrefix = `${modelName}/default/`.toLowerCase();
  const at = defaultPrefix.length;
  const dirL = STORE_DIR_PREFIX;
  const dataL = STORE_DATA_PREFIX;
  // Every prefix tested below ends with `/`, so whether a folded path starts with it depends only on the path up to
  // its last `/`: the tests are made once per storage (the walk lists a storage's streams together), not per stream
  // (issue 17). `itemClass`: 0 none, 1 under arrayPrefix, 2 under legacyPrefix; `storeClass[i]`: 0 none, else
  // 1 + 2·store + (0 Dir, 1 Data) for a stream directly in an EFS_Dir/EFS_Data storage.
  const storeClass = new Uint8Array(count);
  let groupEnd = -2;
  let groupParent = '';
  let itemClass = 0;
  let groupStore = 0;
  for (let i = 0; i < count; i++) {
    const e = entries[i] as CfbEntry;
    if (e.type !== 'stream') continue;
    const l = folded[i] as string;
    const p = l.lastIndexOf('/');
    if (p !== groupEnd || !l.startsWith(groupParent)) {
      groupEnd = p;
      groupParent = l.slice(0, p + 1);
      itemClass = l.startsWith(legacyPrefix) ? 2 : l.startsWith(arrayPrefix) ? 1 : 0;
      groupStore = 0;
      if (l.startsWith(defaultPrefix))
        for (let s = 0; s < STORE_ORDER.length && groupStore === 0; s++) {
          const d = dirL[s] as string;
          const x = dataL[s] as string;
          if (l.startsWith(d, at) && l.indexOf('/', at + d.length) < 0) groupStore = 1 + 2 * s;
          else if (l.startsWith(x, at) && l.indexOf('/', at + x.length) < 0) groupStore = 2 + 2 * s;
        }
    }
    storeClass[i] = groupStore;
    if (itemClass === 0) continue;
    const legacy = itemClass === 2;
    const name = e.path.slice((legacy ? legacyPrefix : arrayPrefix).length);
    const m = NUMBERED_ARRAY_RE.exec(name);
    if (m === null) continue; // kept in `extra`, reported as an unknown stream below
    used[i] = 1;
    if (legacy)
      warnings.push({
        code: 'NV_EFS_QCN_LEGACY_LOCATION',
        message: `${e.path}: numbered items outside "default" (where earlier @nv/qcom-efs versions wrote them); read anyway, written back under ${modelName}/default/${NUMBERED_STORAGE}`,
        path: e.path,
      });
    const subscription = m[1] === undefined ? 0 : Number(m[1]);
    let slots = seen.get(subscription);
    if (slots === undefined) seen.set(subscription, (slots = new ItemIndex()));
    slots.begin(items);
    const data = e.data as Uint8Array;
    if (data.length % QCN_RECORD_BYTES !== 0)
      throw new NvError('NV_EFS_BAD_QCN_RECORD', `${e.path} is ${data.length} bytes, not a multiple of 136`, {
        path: e.path,
      });
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    // A plain Uint8Array (what the reader makes) takes the direct view constructor; a subclass keeps subarray's.
    const plain = data.constructor === Uint8Array;
    for (let at = 0; at < data.length; at += QCN_RECORD_BYTES) {
      const len = v.getUint16(at, true);
      if (len !== QCN_RECORD_BYTES)
        throw new NvError('NV_EFS_BAD_QCN_RECORD', `${e.path}: record at ${at} has length field ${len}, not 136`, {
          path: e.path,
          data: { streamOffset: at },
        });
      const flag = v.getUint16(at + 2, true);
      const id = v.getUint16(at + 4, true);
      const index = v.getUint16(at + 6, true);
      if (flag !== 1)
        warnings.push({
          code: 'NV_EFS_QCN_RECORD_FLAG',
          message: `NV ${id}: record flag is ${flag}, not 1`,
          path: e.path,
        });
      const key = ((id << 16) | index) >>> 0;
      const prev = slots.find(key, items);
      // A view: the stream's bytes are the reader's own copy (issue 17: a copy per record was most of the time);
      // one object shape per case, not a spread.
      const payload = plain
        ? new Uint8Array(data.buffer, data.byteOffset + at + 8, QCN_PAYLOAD_BYTES)
        : data.subarray(at + 8, at + QCN_RECORD_BYTES);
      const item: QcnItem =
        flag !== 1 ? { id, index, subscription, payload, flag } : { id, index, subscription, payload };
      if (prev >= 0) {
        warnings.push({
          code: 'NV_EFS_QCN_DUPLICATE_ITEM',
          message: `NV ${id} index ${index} appears twice; the last wins`,
          path: e.path,
        });
        items[prev] = item;
      } else {
        slots.add(key, items.length);
        items.push(item);
      }
    }
  }
  // EFS stores (docs/formats/qcn.md#stores).
  const efs: QcnEfsFile[] = [];
  // Per store, in entry order: the `<K>` names (for Data: where it begins) and entry indexes of its EFS_Dir and
  // EFS_Data streams.
  const dirKeys: string[][] = [[], [], []];
  const dirIdx: number[][] = [[], [], []];
  const dataStarts: number[][] = [[], [], []];
  const dataIdx: number[][] = [[], [], []];
  for (let i = 0; i < count; i++) {
    const c = storeClass[i] as number;
    if (c === 0) continue;
    const s = (c - 1) >> 1;
    if ((c & 1) === 1) {
      (dirKeys[s] as string[]).push((entries[i] as CfbEntry).path.slice(at + (dirL[s] as string).length));
      (dirIdx[s] as number[]).push(i);
    } else {
      (dataStarts[s] as number[]).push(at + (dataL[s] as string).length); // where `<K>` begins: sliced if paired by Map
      (dataIdx[s] as number[]).push(i);
    }
  }
  for (let s = 0; s < STORE_ORDER.length; s++) {
    const store = STORE_ORDER[s] as QcnStore;
    // Pairs by identical `<K>`: a later duplicate `<K>` replaces the earlier one in its place (Map.set). When the
    // Dir and Data names are the same distinct names in the same order (what the sorted sibling trees of every
    // writer give) the pairs are positional and no Map is needed (issue 17).
    const [keys, pairs] = pairStore(
      dirKeys[s] as string[],
      dirIdx[s] as number[],
      dataStarts[s] as number[],
      dataIdx[s] as number[],
      entries,
      (k) => {
        throw new NvError('NV_EFS_QCN_UNPAIRED', `${store}/EFS_Data/${k} has no EFS_Dir/${k}`, {
          path: `${modelName}/default/${store}/EFS_Data/${k}`,
        });
      },
    );
    for (let j = 0; j < keys.length; j++) {
      const k = keys[j] as string;
      const di = pairs[2 * j] as number;
      const dei = pairs[2 * j + 1] as number;
      const d = entries[di] as CfbEntry;
      if (dei < 0)
        throw new NvError('NV_EFS_QCN_UNPAIRED', `${store}/EFS_Dir/${k} has no EFS_Data/${k}`, { path: d.path });
      used[di] = 1;
      used[dei] = 1;
      let raw = d.data as Uint8Array;
      let backupHeader: Uint8Array | undefined;
      if (store === 'EFS_Backup') {
        if (raw.length < 8)
          throw new NvError(
            'NV_EFS_BAD_QCN_BACKUP_HEADER',
            `${d.path}: EFS_Backup Dir is ${raw.length} bytes, shorter than its 8-byte header`,
            { path: d.path },
          );
        const h = raw.subarray(0, 8);
        if (!bytesEqual(h, EFS_BACKUP_HEADER)) {
          backupHeader = h.slice();
          warnings.push({
            code: 'NV_EFS_BAD_QCN_BACKUP_HEADER',
            message: `${d.path}: header is not 01 00 01 01 00 00 00 00; kept as found`,
            path: d.path,
          });
        }
        raw = raw.subarray(8);
      }
      let end = raw.length;
      if (end > 0 && raw[end - 1] === 0) {
        end--;
        if (store === 'NV_Items')
          warnings.push({
            code: 'NV_EFS_QCN_PATH_TERMINATOR',
            message: `${d.path}: NV_Items path ends with a NUL`,
            path: d.path,
          });
      } else if (store === 'Provisioning_Item_Files') {
        warnings.push({
          code: 'NV_EFS_QCN_PATH_TERMINATOR',
          message: `${d.path}: provisioning path lacks its NUL`,
          path: d.path,
        });
      }
      let badByte = end === 0;
      for (let j = 0; j < end && !badByte; j++) {
        const b = raw[j] as number;
        badByte = b > 0x7e || b < 0x20;
      }
      if (badByte) {
        throw new NvError('NV_EFS_BAD_QCN_PATH', `${d.path}: the EFS path is empty, non-ASCII or has an inner NUL`, {
          path: d.path,
        });
      }
      const path = decodeLatin1(raw.subarray(0, end));
      const data = (entries[dei] as CfbEntry).data as Uint8Array; // the reader's own copy (issue 17)
      // One literal per shape (a spread made each object through the slow path).
      efs.push(
        backupHeader !== undefined ? { store, path, data, key: k, backupHeader } : { store, path, data, key: k },
      );
    }
  }
  const storeRoots = ['NV_Items', 'Provisioning_Item_Files', 'EFS_Backup'].map((s) =>
    `${modelName}/default/${s}`.toLowerCase(),
  );
  const extra: CfbEntry[] = [];
  for (let i = 0; i < count; i++) {
    const e = entries[i] as CfbEntry;
    if (
      used[i] === 0 &&
      e.type === 'stream' &&
      !(storeRoots.some((r) => (folded[i] as string).startsWith(`${r}/`)) && (e.data?.length ?? 0) === 0) // a 0-byte stream standing for an empty storage (docs/formats/qcn.md#read-write)
    )
      extra.push(e);
  }
  for (const e of extra) {
    if (isOpaqueQcnStream(e.path, modelName)) continue;
    warnings.push({
      code: 'NV_EFS_QCN_UNKNOWN_STREAM',
      message: `${e.path} (${e.data?.length ?? 0} bytes) is a stream this reader does not understand; kept as is`,
      path: e.path,
    });
  }
  return {
    qcn: {
      ...(fileVersion !== undefined ? { fileVersion } : {}),
      model,
      modelName,
      ...(propertyInfo !== undefined ? { propertyInfo } : {}),
      items,
      efs,
      extra,
    },
    warnings,
  };
}

/**
 * The Dir/Data pairs of one store: `<K>` names in the order of the Dir Map, and per name the entry indexes of its Dir
 * and Data streams (Data -1 when missing). Data streams come as entry index and where their `<K>` begins in the
 * path. `noDir` is called with the first Data name no Dir has, as the Map version did before looking at the Dirs.
 */
function pairStore(
  dirKeys: string[],
  dirIdx: number[],
  dataStarts: number[],
  dataIdx: number[],
  entries: readonly CfbEntry[],
  noDir: (k: string) => never,
): [string[], number[]] {
  const dataPath = (j: number): string => (entries[dataIdx[j] as number] as CfbEntry).path;
  let positional = dirKeys.length === dataStarts.length && increasingNames(dirKeys);
  for (let j = 0; positional && j < dirKeys.length; j++) {
    const k = dirKeys[j] as string;
    const p = dataPath(j);
    const from = dataStarts[j] as number;
    positional = p.length === from + k.length && p.startsWith(k, from);
  }
  const pairs: number[] = new Array<number>(2 * dirKeys.length);
  if (positional) {
    for (let j = 0; j < dirKeys.length; j++) {
      pairs[2 * j] = dirIdx[j] as number;
      pairs[2 * j + 1] = dataIdx[j] as number;
    }
    return [dirKeys, pairs];
  }
  const dirs = new Map<string, number>();
  const datas = new Map<string, number>();
  dirKeys.forEach((k, j) => dirs.set(k, dirIdx[j] as number));
  dataStarts.forEach((from, j) => datas.set(dataPath(j).slice(from), dataIdx[j] as number));
  for (const k of datas.keys()) if (!dirs.has(k)) noDir(k);
  const keys = [...dirs.keys()];
  pairs.length = 2 * keys.length;
  keys.forEach((k, j) => {
    pairs[2 * j] = dirs.get(k) as number;
    pairs[2 * j + 1] = datas.get(k) ?? -1;
  });
  return [keys, pairs];
}

/**
 * True when every name sorts strictly after the one before in compound-file order (shorter first, then by
 * upper-cased code units), for ASCII names: then they are distinct. False for anything else (the caller then pairs
 * by Map).
 */
function increasingNames(names: readonly string[]): boolean {
  for (let j = 1; j < names.length; j++) {
    const a = names[j - 1] as string;
    const b = names[j] as string;
    if (a.length !== b.length) {
      if (a.length > b.length) return false;
      continue;
    }
    let order = 0;
    for (let c = 0; c < a.length && order === 0; c++) {
      let x = a.charCodeAt(c);
      let y = b.charCodeAt(c);
      if (x > 0x7f || y > 0x7f) return false;
      if (x >= 0x61 && x <= 0x7a) x -= 0x20;
      if (y >= 0x61 && y <= 0x7a) y -= 0x20;
      order = x - y;
    }
    if (order >= 0) return false;
  }
  return true;
}

/**
 * The items of one subscription by (id, index) key. While its records come in strictly increasing key order from
 * one stream (what every writer that sorts gives) no look-up is needed: a new key is greater than all before it.
 * The first key out of order, or a second stream, builds the table from the items so far (all distinct).
 */
class ItemIndex {
  private table: ItemSlots | undefined;
  /** Sorted mode: the items of this subscription are `items[from, to)`, the greatest key `last`. */
  private from = -1;
  private to = -1;
  private last = -1;

  /** A stream of this subscription starts; its items will be pushed from `items.length` on. */
  begin(items: readonly QcnItem[]): void {
    if (this.from < 0) this.from = this.to = items.length;
    else this.toTable(items);
  }

  /** Position of the item with `key`, -1 when it is new (then {@link add} follows). */
  find(key: number, items: readonly QcnItem[]): number {
    if (this.table === undefined) {
      if (key > this.last) {
        this.last = key;
        return -1;
      }
      this.toTable(items);
    }
    return (this.table as ItemSlots).get(key);
  }

  add(key: number, position: number): void {
    if (this.table === undefined) this.to = position + 1;
    else this.table.set(key, position);
  }

  private toTable(items: readonly QcnItem[]): void {
    if (this.table !== undefined) return;
    const table = new ItemSlots();
    table.reserve(this.to - this.from);
    for (let p = this.from; p < this.to; p++) {
      const it = items[p] as QcnItem;
      table.set(((it.id << 16) | it.index) >>> 0, p);
    }
    this.table = table;
  }
}

/**
 * An open-addressing table from a 32-bit (id, index) key to an item position, over typed arrays (no boxed keys);
 * `get` answers -1 when absent.
 */
class ItemSlots {
  // 16 slots: small typed arrays live on the V8 heap (a QCN with a few items allocates no buffer).
  private keys = new Uint32Array(16);
  /** Position + 1; 0 marks an empty slot. */
  private values = new Int32Array(16);
  private size = 0;
  private shift = 28;

  get(key: number): number {
    const mask = this.keys.length - 1;
    for (let h = Math.imul(key, 0x9e3779b1) >>> this.shift; ; h = (h + 1) & mask) {
      const v = this.values[h] as number;
      if (v === 0) return -1;
      if (this.keys[h] === key) return v - 1;
    }
  }

  /** Room for `more` keys without growing on the way. */
  reserve(more: number): void {
    while (2 * (this.size + more) > this.keys.length) this.grow();
  }

  set(key: number, position: number): void {
    if (2 * (this.size + 1) > this.keys.length) this.grow();
    this.put(key, position + 1);
    this.size++;
  }

  private put(key: number, value: number): void {
    const mask = this.keys.length - 1;
    let h = Math.imul(key, 0x9e3779b1) >>> this.shift;
    while (this.values[h] !== 0) h = (h + 1) & mask;
    this.keys[h] = key;
    this.values[h] = value;
  }

  private grow(): void {
    const keys = this.keys;
    const values = this.values;
    this.keys = new Uint32Array(keys.length * 2);
    this.values = new Int32Array(keys.length * 2);
    this.shift--;
    for (let i = 0; i < keys.length; i++) if (values[i] !== 0) this.put(keys[i] as number, values[i] as number);
  }
}

// The stores are read in this order (NV_Items, provisioning, backup): the order of `qcn.efs` (not QCN_STORES's
// bytewise one); their EFS_Dir and EFS_Data storages below `<MODEL>/default/`, case-folded.
const STORE_ORDER = ['NV_Items', 'Provisioning_Item_Files', 'EFS_Backup'] as const;
const STORE_DIR_PREFIX: readonly string[] = STORE_ORDER.map((st) => `${st.toLowerCase()}/efs_dir/`);
const STORE_DATA_PREFIX: readonly string[] = STORE_ORDER.map((st) => `${st.toLowerCase()}/efs_data/`);

/** The first stream whose case-folded path is `path`'s, marked used (two look-ups: a scan, not an index). */
function firstStream(
  entries: readonly CfbEntry[],
  folded: readonly string[],
  used: Uint8Array,
  path: string,
): CfbEntry | undefined {
  const l = path.toLowerCase();
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] as CfbEntry;
    if (e.type === 'stream' && folded[i] === l) {
      used[i] = 1;
      return e;
    }
  }
  return undefined;
}

function readVersion(d: Uint8Array): [number, number, number] {
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  return [v.getUint16(0, true), v.getUint16(2, true), v.getUint16(4, true)];
}

/** Options of {@link encodeQcn}. */
export interface QcnWriteOptions {
  /** Producer string of `Mobile_Property_Info` when the model has none (default `@nv/qcom-efs`). */
  readonly producer?: string;
  /** FILETIME of storages (default 0, docs/formats/qcn.md#read-write). */
  readonly filetime?: bigint;
  /**
   * Keep the layout a reader found (`qcn convert`: a QPST backup keeps its streams): records in the model's order
   * instead of sorted by (id, index), and each EFS file's `<K>` stream name (`key`) when every file of a store has
   * one and they are distinct. Default: sorted records, `%08X` keys in bytewise path order.
   */
  readonly keepLayout?: boolean;
}

/**
 * Writes a QCN deterministically (docs/formats/qcn.md#read-write): File_Version 2.0.0, `%08d` model storage, property info, records sorted
 * by (id, index) per subscription, all three stores with `%08X` keys in bytewise path order, extra streams kept.
 * @throws RangeError on payloads over 128 bytes, bad ids or names
 * @example const bytes = encodeQcn({ model: 0, items: [], efs: [], extra: [] });
 */
export function encodeQcn(qcn: Qcn, options: QcnWriteOptions = {}): Uint8Array<ArrayBuffer> {
  return encodeCfb(qcnToEntries(qcn, options), options.filetime !== undefined ? { filetime: options.filetime } : {});
}

/**
 * The compound-file tree of a QCN model (docs/formats/qcn.md#read-write), shared by the QCN and XQCN writers.
 * @throws RangeError as {@link encodeQcn}
 * @example qcnToEntries({ model: 0, items: [], efs: [], extra: [] }).map((e) => e.path)
 */
export function qcnToEntries(qcn: Qcn, options: QcnWriteOptions = {}): CfbEntry[] {
  if (!Number.isInteger(qcn.model) || qcn.model < 0 || qcn.model > 0xffff)
    throw new RangeError(`model ${qcn.model} must be 0..65535`);
  const modelName = String(qcn.model).padStart(8, '0');
  const out: CfbEntry[] = [];
  const fv = qcn.fileVersion ?? [2, 0, 0];
  out.push({
    path: 'File_Version',
    type: 'stream',
    data: new ByteWriter(6).u16le(fv[0]).u16le(fv[1]).u16le(fv[2]).finish(),
  });
  const pi = qcn.propertyInfo ?? {
    unknown: 0,
    modelNumber: qcn.model,
    nvMajor: 0,
    nvMinor: 0,
    softwareVersion: '',
    producer: options.producer ?? '@nv/qcom-efs',
  };
  const sw = encodeLatin1(pi.softwareVersion);
  const prod = encodeLatin1(pi.producer);
  out.push({
    path: `${modelName}/default/Mobile_Property_Info`,
    type: 'stream',
    data: new ByteWriter(16)
      .u32le(pi.unknown)
      .u16le(pi.modelNumber)
      .u8(pi.nvMajor)
      .u8(pi.nvMinor)
      .u16le(sw.length)
      .bytes(sw)
      .u16le(prod.length)
      .bytes(prod)
      .finish(),
  });
  const subs = [...new Set(qcn.items.map((i) => i.subscription))].sort((a, b) => a - b);
  if (!subs.includes(0)) subs.unshift(0);
  for (const sub of subs) {
    const recs = qcn.items.filter((i) => i.subscription === sub);
    if (options.keepLayout !== true) recs.sort((a, b) => a.id - b.id || a.index - b.index);
    const w = new ByteWriter(QCN_RECORD_BYTES * recs.length + 1);
    for (const r of recs) {
      if (r.payload.length > QCN_PAYLOAD_BYTES)
        throw new RangeError(`NV ${r.id}: payload is ${r.payload.length} bytes, at most 128`);
      w.u16le(QCN_RECORD_BYTES)
        .u16le(r.flag ?? 1)
        .u16le(r.id)
        .u16le(r.index)
        .bytes(r.payload)
        .fill(QCN_PAYLOAD_BYTES - r.payload.length);
    }
    out.push({
      path: `${modelName}/default/${NUMBERED_STORAGE}/NV_ITEM_ARRAY${sub === 0 ? '' : `_SIM_${sub}`}`,
      type: 'stream',
      data: w.finish(),
    });
  }
  for (const store of ['NV_Items', 'Provisioning_Item_Files', 'EFS_Backup'] as const) {
    const files = qcn.efs.filter((f) => f.store === store);
    if (options.keepLayout !== true) files.sort((a, b) => cmp(encodeLatin1(a.path), encodeLatin1(b.path)));
    out.push(
      { path: `${modelName}/default/${store}/EFS_Dir`, type: 'storage' },
      { path: `${modelName}/default/${store}/EFS_Data`, type: 'storage' },
    );
    const keys = files.map((f) => f.key?.toLowerCase());
    const keep =
      options.keepLayout === true &&
      keys.every((k) => k !== undefined && /^[^/\\:!]{1,31}$/.test(k)) &&
      new Set(keys).size === keys.length;
    files.forEach((f, i) => {
      const k = keep ? (f.key as string) : i.toString(16).toUpperCase().padStart(8, '0');
      const p = encodeLatin1(f.path);
      const dir =
        store === 'NV_Items'
          ? p
          : store === 'Provisioning_Item_Files'
            ? new ByteWriter(p.length + 1).bytes(p).u8(0).finish()
            : new ByteWriter(p.length + 8)
                .bytes(f.backupHeader ?? EFS_BACKUP_HEADER)
                .bytes(p)
                .finish();
      out.push({ path: `${modelName}/default/${store}/EFS_Dir/${k}`, type: 'stream', data: dir });
      out.push({ path: `${modelName}/default/${store}/EFS_Data/${k}`, type: 'stream', data: f.data });
    });
  }
  for (const e of qcn.extra) {
    // Extra streams keep their path; a foreign model storage name is mapped to ours.
    const parts = e.path.split('/');
    if (qcn.modelName !== undefined && parts[0] === qcn.modelName) parts[0] = modelName;
    out.push({ ...e, path: parts.join('/') });
  }
  return out;
}

function cmp(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return (a[i] as number) - (b[i] as number);
  return a.length - b.length;
}
