/**
 * The QCN as an editable document (issue 16): the JSON model (`qcn.schema.json`), a diff of two QCNs by
 * (subscription, id, index) and (store, path), and item values decoded into named fields through an NvDefinition
 * (the reverse of `compileNvSource`).
 * @module
 */
import { NvError } from '@nv/core';
import { bytesEqual, bytesToHex } from '@nv/core/bytes';
import type { CfbEntry } from './cfb.ts';
import type { NvDefinition, NvItemDefinition, NvMember } from './compile.ts';
import { PRIMITIVES } from './primitives.ts';
import { QCN_PAYLOAD_BYTES, type Qcn, type QcnEfsFile, type QcnItem, type QcnPropertyInfo } from './qcn.ts';

/** `format` of the JSON model. */
export const QCN_JSON_FORMAT = 'nv-qcn';
/** Version of the JSON model (`qcn.schema.json`). */
export const QCN_JSON_VERSION = 1;

/** A numbered item in the JSON model: `payload` is hex without the record's zero padding. */
export interface QcnJsonItem {
  readonly id: number;
  readonly index: number;
  readonly subscription: number;
  readonly payload: string;
  readonly flag?: number;
}
/** An EFS store file in the JSON model. */
export interface QcnJsonEfsFile {
  readonly store: QcnEfsFile['store'];
  readonly path: string;
  readonly data: string;
  readonly key?: string;
  readonly backupHeader?: string;
}
/** A stream the reader keeps opaque (Feature_Mask, unknown streams). */
export interface QcnJsonStream {
  readonly path: string;
  readonly data: string;
}
/** The JSON model of a QCN (documented by `@nv/qcom-efs/qcn.schema.json`). */
export interface QcnJson {
  readonly format: typeof QCN_JSON_FORMAT;
  readonly version: typeof QCN_JSON_VERSION;
  readonly fileVersion?: readonly [number, number, number];
  readonly model: number;
  readonly modelName?: string;
  readonly propertyInfo?: QcnPropertyInfo;
  readonly items: readonly QcnJsonItem[];
  readonly efs: readonly QcnJsonEfsFile[];
  readonly extra: readonly QcnJsonStream[];
}

/** Hex of a record payload without its trailing zero padding (the reader pads back to 128). */
function trimPayload(p: Uint8Array): string {
  let end = p.length;
  while (end > 0 && p[end - 1] === 0) end--;
  return bytesToHex(p.subarray(0, end));
}

/**
 * The JSON model of a QCN: every item, EFS file (with its stream key), property info and opaque stream, bytes
 * as lowercase hex. {@link qcnFromJson} reads it back to the same model.
 * @example JSON.stringify(qcnToJson(decodeQcn(bytes).qcn), null, 2)
 */
export function qcnToJson(qcn: Qcn): QcnJson {
  return {
    format: QCN_JSON_FORMAT,
    version: QCN_JSON_VERSION,
    ...(qcn.fileVersion !== undefined ? { fileVersion: [...qcn.fileVersion] as [number, number, number] } : {}),
    model: qcn.model,
    ...(qcn.modelName !== undefined ? { modelName: qcn.modelName } : {}),
    ...(qcn.propertyInfo !== undefined ? { propertyInfo: { ...qcn.propertyInfo } } : {}),
    items: qcn.items.map((i) => ({
      id: i.id,
      index: i.index,
      subscription: i.subscription,
      payload: trimPayload(i.payload),
      ...(i.flag !== undefined ? { flag: i.flag } : {}),
    })),
    efs: qcn.efs.map((f) => ({
      store: f.store,
      path: f.path,
      data: bytesToHex(f.data),
      ...(f.key !== undefined ? { key: f.key } : {}),
      ...(f.backupHeader !== undefined ? { backupHeader: bytesToHex(f.backupHeader) } : {}),
    })),
    extra: qcn.extra
      .filter((e) => e.type === 'stream')
      .map((e) => ({ path: e.path, data: bytesToHex(e.data ?? new Uint8Array(0)) })),
  };
}

/**
 * Reads the JSON model back (hex may contain spaces; item payloads are zero-padded to 128 bytes).
 * @throws NvError `NV_EFS_BAD_QCN_JSON` naming the JSON path of the bad value
 * @example encodeQcn(qcnFromJson(JSON.parse(text)))
 */
export function qcnFromJson(json: unknown): Qcn {
  const bad = (where: string, why: string): never => {
    throw new NvError('NV_EFS_BAD_QCN_JSON', `QCN JSON ${where}: ${why}`, { data: { jsonPath: where } });
  };
  const obj = (v: unknown, where: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : bad(where, 'must be an object');
  const int = (v: unknown, where: string, max: number): number =>
    typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max ? v : bad(where, `must be an integer 0..${max}`);
  const str = (v: unknown, where: string): string => (typeof v === 'string' ? v : bad(where, 'must be a string'));
  const hex = (v: unknown, where: string): Uint8Array => {
    const s = str(v, where).replace(/\s+/g, '');
    if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) bad(where, 'must be hex byte pairs');
    const out = new Uint8Array(s.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(s.slice(2 * i, 2 * i + 2), 16);
    return out;
  };
  const list = (v: unknown, where: string): unknown[] => (Array.isArray(v) ? v : bad(where, 'must be a list'));
  const root = obj(json, '$');
  if (root['format'] !== QCN_JSON_FORMAT) bad('$.format', `must be "${QCN_JSON_FORMAT}"`);
  if (root['version'] !== QCN_JSON_VERSION) bad('$.version', `must be ${QCN_JSON_VERSION}`);
  let fileVersion: [number, number, number] | undefined;
  if (root['fileVersion'] !== undefined) {
    const fv = list(root['fileVersion'], '$.fileVersion');
    if (fv.length !== 3) bad('$.fileVersion', 'must be [major, minor, revision]');
    fileVersion = [0, 1, 2].map((i) => int(fv[i], `$.fileVersion[${i}]`, 0xffff)) as [number, number, number];
  }
  let propertyInfo: QcnPropertyInfo | undefined;
  if (root['propertyInfo'] !== undefined) {
    const p = obj(root['propertyInfo'], '$.propertyInfo');
    const ascii = (v: unknown, w: string): string => {
      const s = str(v, w);
      if (!/^[\x00-\xff]*$/.test(s) || s.length > 0xffff) bad(w, 'must be Latin-1 text of at most 65535 characters');
      return s;
    };
    propertyInfo = {
      unknown: int(p['unknown'], '$.propertyInfo.unknown', 0xffffffff),
      modelNumber: int(p['modelNumber'], '$.propertyInfo.modelNumber', 0xffff),
      nvMajor: int(p['nvMajor'], '$.propertyInfo.nvMajor', 0xff),
      nvMinor: int(p['nvMinor'], '$.propertyInfo.nvMinor', 0xff),
      softwareVersion: ascii(p['softwareVersion'], '$.propertyInfo.softwareVersion'),
      producer: ascii(p['producer'], '$.propertyInfo.producer'),
    };
  }
  const items: QcnItem[] = list(root['items'], '$.items').map((v, n) => {
    const w = `$.items[${n}]`;
    const o = obj(v, w);
    const data = hex(o['payload'], `${w}.payload`);
    if (data.length > QCN_PAYLOAD_BYTES) bad(`${w}.payload`, `is ${data.length} bytes, at most 128`);
    const payload = new Uint8Array(QCN_PAYLOAD_BYTES);
    payload.set(data);
    return {
      id: int(o['id'], `${w}.id`, 0xffff),
      index: int(o['index'] ?? 0, `${w}.index`, 0xffff),
      subscription: int(o['subscription'] ?? 0, `${w}.subscription`, 99),
      payload,
      ...(o['flag'] !== undefined ? { flag: int(o['flag'], `${w}.flag`, 0xffff) } : {}),
    };
  });
  const STORES = ['NV_Items', 'Provisioning_Item_Files', 'EFS_Backup'];
  const efs: QcnEfsFile[] = list(root['efs'], '$.efs').map((v, n) => {
    const w = `$.efs[${n}]`;
    const o = obj(v, w);
    const store = str(o['store'], `${w}.store`);
    if (!STORES.includes(store)) bad(`${w}.store`, `must be one of ${STORES.join(', ')}`);
    const path = str(o['path'], `${w}.path`);
    if (path === '' || !/^[\x20-\x7e]+$/.test(path)) bad(`${w}.path`, 'must be a non-empty printable ASCII EFS path');
    const header = o['backupHeader'] === undefined ? undefined : hex(o['backupHeader'], `${w}.backupHeader`);
    if (header !== undefined && header.length !== 8) bad(`${w}.backupHeader`, 'must be 8 bytes');
    return {
      store: store as QcnEfsFile['store'],
      path,
      data: hex(o['data'], `${w}.data`),
      ...(o['key'] !== undefined ? { key: str(o['key'], `${w}.key`) } : {}),
      ...(header !== undefined ? { backupHeader: header } : {}),
    };
  });
  const extra: CfbEntry[] = list(root['extra'] ?? [], '$.extra').map((v, n) => {
    const o = obj(v, `$.extra[${n}]`);
    const path = str(o['path'], `$.extra[${n}].path`);
    if (path === '' || path.split('/').some((p) => p === '' || p.length > 31))
      bad(`$.extra[${n}].path`, 'must be a stream path of names up to 31 characters');
    return { path, type: 'stream', data: hex(o['data'], `$.extra[${n}].data`) };
  });
  const model = int(root['model'], '$.model', 0xffff);
  return {
    ...(fileVersion !== undefined ? { fileVersion } : {}),
    model,
    ...(root['modelName'] !== undefined ? { modelName: str(root['modelName'], '$.modelName') } : {}),
    ...(propertyInfo !== undefined ? { propertyInfo } : {}),
    items,
    efs,
    extra,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Diff

/** One side of a changed entry, or an added/removed entry. */
export interface QcnDiffEntry {
  readonly kind: 'item' | 'efs';
  /** `item`: subscription, id, index; `efs`: store, path. */
  readonly subscription?: number;
  readonly id?: number;
  readonly index?: number;
  readonly store?: string;
  readonly path?: string;
  /** Hex (item payloads without the zero padding). */
  readonly value?: string;
  readonly fields?: DecodedFields;
  /** `changed` only: the two values. */
  readonly a?: string;
  readonly b?: string;
  readonly fieldsA?: DecodedFields;
  readonly fieldsB?: DecodedFields;
}

/** Result of {@link diffQcn}. */
export interface QcnDiff {
  readonly added: QcnDiffEntry[];
  readonly removed: QcnDiffEntry[];
  readonly changed: QcnDiffEntry[];
}

/**
 * Differences between two QCN models: numbered items keyed by (subscription, id, index), EFS files by (store,
 * path); values compared as bytes (item payloads including their zero padding). With a definition, decoded fields
 * are given as well.
 * @example diffQcn(decodeQcn(a).qcn, decodeQcn(b).qcn).changed.length
 */
export function diffQcn(a: Qcn, b: Qcn, options: { definition?: NvDefinition } = {}): QcnDiff {
  const def = options.definition;
  const itemKey = (i: QcnItem): string => `${i.subscription}/${i.id}/${i.index}`;
  const efsKey = (f: QcnEfsFile): string => `${f.store}\u0000${f.path}`;
  const itemFields = (i: QcnItem): DecodedFields | undefined =>
    def === undefined ? undefined : decodeQcnItem(i, def).fields;
  const efsFields = (f: QcnEfsFile): DecodedFields | undefined =>
    def === undefined ? undefined : decodeEfsFile(f, def).fields;
  const itemBase = (i: QcnItem) => ({ kind: 'item' as const, subscription: i.subscription, id: i.id, index: i.index });
  const efsBase = (f: QcnEfsFile) => ({ kind: 'efs' as const, store: f.store, path: f.path });
  const withFields = (f: DecodedFields | undefined) => (f !== undefined ? { fields: f } : {});
  const out: QcnDiff = { added: [], removed: [], changed: [] };
  const ai = new Map(a.items.map((i) => [itemKey(i), i]));
  const bi = new Map(b.items.map((i) => [itemKey(i), i]));
  for (const [k, x] of ai) {
    const y = bi.get(k);
    if (y === undefined)
      out.removed.push({ ...itemBase(x), value: trimPayload(x.payload), ...withFields(itemFields(x)) });
    else if (!bytesEqual(padded(x.payload), padded(y.payload)) || (x.flag ?? 1) !== (y.flag ?? 1)) {
      const fa = itemFields(x);
      const fb = itemFields(y);
      out.changed.push({
        ...itemBase(x),
        a: trimPayload(x.payload),
        b: trimPayload(y.payload),
        ...(fa !== undefined ? { fieldsA: fa } : {}),
        ...(fb !== undefined ? { fieldsB: fb } : {}),
      });
    }
  }
  for (const [k, y] of bi)
    if (!ai.has(k)) out.added.push({ ...itemBase(y), value: trimPayload(y.payload), ...withFields(itemFields(y)) });
  const ae = new Map(a.efs.map((f) => [efsKey(f), f]));
  const be = new Map(b.efs.map((f) => [efsKey(f), f]));
  for (const [k, x] of ae) {
    const y = be.get(k);
    if (y === undefined) out.removed.push({ ...efsBase(x), value: bytesToHex(x.data), ...withFields(efsFields(x)) });
    else if (!bytesEqual(x.data, y.data)) {
      const fa = efsFields(x);
      const fb = efsFields(y);
      out.changed.push({
        ...efsBase(x),
        a: bytesToHex(x.data),
        b: bytesToHex(y.data),
        ...(fa !== undefined ? { fieldsA: fa } : {}),
        ...(fb !== undefined ? { fieldsB: fb } : {}),
      });
    }
  }
  for (const [k, y] of be)
    if (!ae.has(k)) out.added.push({ ...efsBase(y), value: bytesToHex(y.data), ...withFields(efsFields(y)) });
  return out;
}

function padded(p: Uint8Array): Uint8Array {
  if (p.length >= QCN_PAYLOAD_BYTES) return p;
  const out = new Uint8Array(QCN_PAYLOAD_BYTES);
  out.set(p);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Decode by definition

/** A decoded value: a number (a decimal string beyond 2^53), a list for `sizeOf` > 1, an object for a DataType. */
export type DecodedValue = number | string | DecodedValue[] | DecodedFields;
/** Decoded members by name (`member<i>` when the definition gives none). */
export interface DecodedFields {
  [name: string]: DecodedValue;
}

/** An item or EFS file decoded through its definition. */
export interface DecodedItem {
  /** Definition name, absent for unknown items. */
  readonly name?: string;
  /** Named fields, absent for unknown, compressed or variant items (then only `bytes`). */
  readonly fields?: DecodedFields;
  /**
   * The flat value list in NvSource form (`0,31`): `<NvItem id encoding="dec">values</NvItem>` compiles back
   * to the same bytes through `compileNvSource`.
   */
  readonly values?: string;
  /** The raw bytes (hex). */
  readonly bytes: string;
  /** Bytes after the layout that are not zero (kept only in `bytes`). */
  readonly trailing?: string;
  /** Why the item is not decoded, when it is not. */
  readonly reason?: string;
}

interface Cursor {
  at: number;
  readonly data: Uint8Array;
  readonly flat: bigint[];
}

function readSlot(c: Cursor, type: string): number | string | undefined {
  const p = PRIMITIVES[type] as { bytes: number; signed: boolean };
  if (c.at + p.bytes > c.data.length) return undefined;
  let v = 0n;
  for (let i = p.bytes - 1; i >= 0; i--) v = (v << 8n) | BigInt(c.data[c.at + i] as number);
  if (p.signed && v >= 1n << BigInt(p.bytes * 8 - 1)) v -= 1n << BigInt(p.bytes * 8);
  c.at += p.bytes;
  c.flat.push(v);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v.toString();
}

/** Reads one member occurrence; undefined when the bytes end before it. */
function readType(c: Cursor, def: NvDefinition, type: string, depth: number): DecodedValue | undefined {
  if (Object.hasOwn(PRIMITIVES, type)) return readSlot(c, type);
  const dt = def.dataTypes.get(type);
  if (dt === undefined) throw new NvError('NV_EFS_DEF_UNKNOWN_TYPE', `type ${type} is not defined`);
  if (depth > 32) throw new NvError('NV_EFS_DEF_TYPE_CYCLE', `type ${type} nests too deep`);
  const out = readMembers(c, def, dt.members, depth + 1);
  return out;
}

function readMembers(
  c: Cursor,
  def: NvDefinition,
  members: readonly NvMember[],
  depth: number,
): DecodedFields | undefined {
  const out: DecodedFields = {};
  let any = false;
  members.forEach((m, i) => {
    const name = m.name !== undefined && m.name !== '' && !Object.hasOwn(out, m.name) ? m.name : `member${i}`;
    if (m.sizeOf === 1) {
      const v = readType(c, def, m.type, depth);
      if (v !== undefined) {
        out[name] = v;
        any = true;
      }
      return;
    }
    const list: DecodedValue[] = [];
    for (let k = 0; k < m.sizeOf; k++) {
      const v = readType(c, def, m.type, depth);
      if (v === undefined) break;
      list.push(v);
    }
    if (list.length > 0) {
      out[name] = list;
      any = true;
    }
  });
  return any || members.length === 0 ? out : undefined;
}

/**
 * Decodes bytes through an item definition: named fields (arrays for `sizeOf` > 1, objects for DataTypes, signed
 * types negative) and the flat NvSource value list. `layoutBytes` limits the decoded span (a QCN record is
 * padded to 128; only the layout is decoded, non-zero bytes after it are `trailing`).
 * @throws NvError `NV_EFS_DEF_UNKNOWN_TYPE`, `NV_EFS_DEF_TYPE_CYCLE`
 * @example decodeWithDefinition(Uint8Array.of(0, 0x1f, 0), def, def.items.get(10)!).values // '0,31'
 */
export function decodeWithDefinition(data: Uint8Array, def: NvDefinition, item: NvItemDefinition): DecodedItem {
  const bytes = bytesToHex(data);
  if (item.compressed) return { name: item.name, bytes, reason: 'compressed item (zlib): bytes only' };
  if (item.variantType) return { name: item.name, bytes, reason: 'variant item: bytes only' };
  const c: Cursor = { at: 0, data, flat: [] };
  const fields = readMembers(c, def, item.members, 0) ?? {};
  const rest = data.subarray(c.at);
  const trailing = rest.some((b) => b !== 0) ? trimPayload(rest) : undefined;
  return {
    name: item.name,
    fields,
    values: c.flat.map((v) => v.toString()).join(','),
    bytes,
    ...(trailing !== undefined ? { trailing } : {}),
  };
}

/**
 * Decodes one numbered item through its NvDefinition entry (unknown ids: bytes only).
 * @example decodeQcnItem(qcn.items[0], def).fields
 */
export function decodeQcnItem(item: QcnItem, def: NvDefinition): DecodedItem {
  const d = def.items.get(item.id);
  if (d === undefined) return { bytes: trimPayload(item.payload), reason: 'not in the definition' };
  const r = decodeWithDefinition(item.payload, def, d);
  return { ...r, bytes: trimPayload(item.payload) };
}

const RFNV_RE = /^\/nv\/item_files\/rfnv\/(\d{8})$/;

/**
 * Decodes one EFS store file: NvEfsItem by path (then without a `_Subscription\d\d` suffix), RFNV files
 * `/nv/item_files/rfnv/<8 digits>` by NvItem id; others bytes only.
 * @example decodeEfsFile(qcn.efs[0], def).fields
 */
export function decodeEfsFile(file: QcnEfsFile, def: NvDefinition): DecodedItem {
  const m = RFNV_RE.exec(file.path);
  const d =
    def.efsItems.get(file.path) ??
    def.efsItems.get(file.path.replace(/_Subscription\d\d$/, '')) ??
    (m !== null ? def.items.get(Number(m[1])) : undefined);
  if (d === undefined) return { bytes: bytesToHex(file.data), reason: 'not in the definition' };
  return decodeWithDefinition(file.data, def, d);
}

/** One numbered item of {@link decodeQcnValues}: its key and its decoded value. */
export type DecodedQcnItem = {
  readonly id: number;
  readonly index: number;
  readonly subscription: number;
} & DecodedItem;

/** One EFS store file of {@link decodeQcnValues}: its store and path and its decoded value. */
export type DecodedQcnFile = { readonly store: QcnEfsFile['store']; readonly path: string } & DecodedItem;

/**
 * Decodes a QCN's values through an NvDefinition (`qcn decode`): every numbered item and every EFS store file, or
 * with `ids` only those items and the RFNV files `/nv/item_files/rfnv/<8 digits>` of those ids.
 * @example decodeQcnValues(qcn, def, { ids: [10] }).items[0].fields
 */
export function decodeQcnValues(
  qcn: Qcn,
  def: NvDefinition,
  options: { ids?: readonly number[] } = {},
): { items: DecodedQcnItem[]; efs: DecodedQcnFile[] } {
  const ids = options.ids !== undefined ? new Set(options.ids) : undefined;
  const items = qcn.items
    .filter((i) => ids === undefined || ids.has(i.id))
    .map((i) => ({ id: i.id, index: i.index, subscription: i.subscription, ...decodeQcnItem(i, def) }));
  const efs = qcn.efs
    .filter((f) => {
      const m = RFNV_RE.exec(f.path);
      return ids === undefined || (m !== null && ids.has(Number(m[1])));
    })
    .map((f) => ({ store: f.store, path: f.path, ...decodeEfsFile(f, def) }));
  return { items, efs };
}
