/**
 * NvDefinition layouts and the NvSource compiler (docs/formats/qcn.md#nvsource…#placement): values → packed bytes → QCN.
 * @module
 */
import { NvError } from '@nv/core';
import type { DeflateBackend } from './gzip.ts';
import { QCN_PAYLOAD_BYTES, type Qcn, type QcnEfsFile, type QcnItem } from './qcn.ts';
import type { EfsWarning } from './tree.ts';
import type { NvInfoEntry } from './qcn-efs.ts';
import { loadXml, parseXml, type XmlElement, type XmlResolver } from './xml.ts';
import type { EfsErrorCode } from './errors.ts';
import { PRIMITIVES } from './primitives.ts';

/** One member of a DataType / item layout: `sizeOf` is a repeat count (docs/formats/qcn.md#nvdefinition). */
export interface NvMember {
  readonly type: string;
  readonly sizeOf: number;
  readonly name?: string;
}
/** A `DataType`. */
export interface NvDataType {
  readonly name: string;
  readonly typeid?: number;
  readonly members: readonly NvMember[];
}
/** Attributes of a defined NvItem / NvEfsItem. */
export interface NvItemDefinition {
  readonly id?: number;
  readonly path?: string;
  readonly name: string;
  readonly members: readonly NvMember[];
  readonly compressed: boolean;
  readonly variableSize: boolean;
  readonly variantType: boolean;
  readonly maxIndex?: number;
  /**
   * `array_index` of legacy-NV NvDefinition files (seen in a public device dump: `array_index="2"` on NAM items,
   * `"110"` on NV_DIAL_I, `"0"` on plain items): the array size; > 0 marks an indexed item.
   */
  readonly arrayIndex?: number;
}

/** True if records of this item begin with their index byte: `maxIndex`, `array_index` > 0, or a first `uint8 nam`. */
function isIndexed(d: NvItemDefinition): boolean {
  return (
    d.maxIndex !== undefined ||
    (d.arrayIndex ?? 0) > 0 ||
    (d.members[0]?.type === 'uint8' && d.members[0]?.name === 'nam')
  );
}
/** A parsed NvDefinition. */
export interface NvDefinition {
  readonly dataTypes: ReadonlyMap<string, NvDataType>;
  readonly items: ReadonlyMap<number, NvItemDefinition>;
  readonly efsItems: ReadonlyMap<string, NvItemDefinition>;
  /** Warnings of the parse (`NV_EFS_DEF_DUPLICATE`: real vendor files repeat entries); the compiler reports them. */
  readonly warnings?: readonly EfsWarning[];
}

/** Options of {@link parseNvDefinition}. */
export interface DefinitionOptions {
  /** Duplicate definitions (`NV_EFS_DEF_DUPLICATE`) are errors instead of warnings (later wins). */
  readonly strict?: boolean;
  /** File name for messages when the definition is given as XML text (default `NvDefinition.xml`). */
  readonly file?: string;
}

const MAX_SLOTS = 65536;
const bool = (v: string | undefined): boolean => v !== undefined && /^(true|1|yes)$/i.test(v.trim());

function members(e: XmlElement, where: string): NvMember[] {
  return e.children
    .filter((c) => c.name === 'Member')
    .map((m) => {
      const type = m.attrs['type'];
      const sizeOfRaw = (m.attrs['sizeOf'] ?? '1').trim();
      if (type === undefined)
        throw new NvError('NV_EFS_XML_MISSING_ATTR', `${where}: Member without type`, { path: e.file });
      if (!/^\d+$/.test(sizeOfRaw) || Number(sizeOfRaw) < 1 || Number(sizeOfRaw) > MAX_SLOTS) {
        throw new NvError(
          'NV_EFS_BAD_DEF_SIZEOF',
          `${where}: Member ${m.attrs['name'] ?? type} has sizeOf="${sizeOfRaw}", not a positive integer`,
          { path: e.file },
        );
      }
      return {
        type: type.trim(),
        sizeOf: Number(sizeOfRaw),
        ...(m.attrs['name'] !== undefined ? { name: m.attrs['name'] } : {}),
      };
    });
}

/**
 * Reads an NvDefinition element tree (docs/formats/qcn.md#nvdefinition) and checks types: unknown types, cycles, duplicates, `sizeOf`.
 * @throws NvError `NV_EFS_XML_BAD_ROOT`, `NV_EFS_DEF_UNKNOWN_TYPE`, `NV_EFS_DEF_TYPE_CYCLE`, `NV_EFS_DEF_DUPLICATE`, `NV_EFS_BAD_DEF_SIZEOF`, `NV_EFS_XML_MISSING_ATTR`
 * @example const def = parseNvDefinition(loadXml('NvDefinition.xml', resolver));
 */
export function parseNvDefinition(source: XmlElement | string, options: DefinitionOptions = {}): NvDefinition {
  const root = typeof source === 'string' ? parseXml(source, options.file ?? 'NvDefinition.xml') : source;
  if (root.name !== 'NvDefinition')
    throw new NvError('NV_EFS_XML_BAD_ROOT', `${root.file}: root is <${root.name}>, expected <NvDefinition>`, {
      path: root.file,
    });
  const dataTypes = new Map<string, NvDataType>();
  const typeids = new Map<number, string>();
  const items = new Map<number, NvItemDefinition>();
  const efsItems = new Map<string, NvItemDefinition>();
  const itemNames = new Map<string, number>();
  const warnings: EfsWarning[] = [];
  // Real vendor NvDefinition files repeat entries (NV 855 as uint8, later as uint16): the later wins (docs/formats/qcn.md#validation).
  const duplicate = (message: string): void => {
    if (options.strict === true) throw new NvError('NV_EFS_DEF_DUPLICATE', message, { path: root.file });
    warnings.push({ code: 'NV_EFS_DEF_DUPLICATE', message, path: root.file });
  };
  for (const e of root.children) {
    if (e.name === 'DataType') {
      const name = e.attrs['name'];
      if (name === undefined)
        throw new NvError('NV_EFS_XML_MISSING_ATTR', `${root.file}: DataType without name`, { path: root.file });
      if (Object.hasOwn(PRIMITIVES, name)) continue; // primitives are self-referencing DataTypes: built in (own keys: not `constructor`)
      const earlier = dataTypes.get(name);
      if (earlier !== undefined) {
        duplicate(`${root.file}: DataType ${name} is defined twice; the later definition wins`);
        if (earlier.typeid !== undefined && typeids.get(earlier.typeid) === name) typeids.delete(earlier.typeid);
      }
      const tid = e.attrs['typeid'];
      const typeid = tid === undefined ? undefined : Number(tid);
      if (typeid !== undefined) {
        if (!Number.isInteger(typeid))
          throw new NvError('NV_EFS_BAD_XML_ATTR', `${root.file}: DataType ${name} typeid "${tid}" is not an integer`, {
            path: root.file,
          });
        const holder = typeids.get(typeid);
        if (holder !== undefined) {
          duplicate(`${root.file}: typeid ${typeid} is used by ${holder} and ${name}; ${name} (the later) gets it`);
          const h = dataTypes.get(holder);
          if (h !== undefined) {
            const { typeid: _dropped, ...rest } = h;
            dataTypes.set(holder, rest);
          }
        }
        typeids.set(typeid, name);
      }
      dataTypes.set(name, {
        name,
        ...(typeid !== undefined ? { typeid } : {}),
        members: members(e, `DataType ${name}`),
      });
    } else if (e.name === 'NvItem' || e.name === 'NvEfsItem') {
      const isEfs = e.name === 'NvEfsItem';
      const key = isEfs ? e.attrs['fullpathname'] : e.attrs['id'];
      if (key === undefined)
        throw new NvError(
          'NV_EFS_XML_MISSING_ATTR',
          `${root.file}: ${e.name} without ${isEfs ? 'fullpathname' : 'id'}`,
          { path: root.file },
        );
      const name = e.attrs['name'] ?? key;
      const def: NvItemDefinition = {
        ...(isEfs ? { path: key.trim() } : { id: parseId(key, root.file) }),
        name,
        members: members(e, `${e.name} ${key}`),
        compressed: bool(e.attrs['compressed']),
        variableSize: bool(e.attrs['variableSize']),
        variantType: bool(e.attrs['variantType']),
        ...(e.attrs['maxIndex'] !== undefined ? { maxIndex: Number(e.attrs['maxIndex']) } : {}),
        ...(/^\s*\d{1,5}\s*$/.test(e.attrs['array_index'] ?? '') ? { arrayIndex: Number(e.attrs['array_index']) } : {}),
      };
      if (isEfs) {
        if (efsItems.has(def.path as string))
          duplicate(`${root.file}: NvEfsItem ${def.path} is defined twice; the later definition wins`);
        efsItems.set(def.path as string, def);
      } else {
        const id = def.id as number;
        if (items.has(id)) duplicate(`${root.file}: NvItem ${id} is defined twice; the later definition wins`);
        const named = itemNames.get(name);
        if (named !== undefined && named !== id)
          duplicate(`${root.file}: NvItem name ${name} is used by NV ${named} and NV ${id}`);
        itemNames.set(name, id);
        items.set(id, def);
      }
    }
  }
  const def: NvDefinition = { dataTypes, items, efsItems, ...(warnings.length > 0 ? { warnings } : {}) };
  // Check every type resolves and no DataType contains itself.
  const state = new Map<string, 'busy' | 'done'>();
  const visit = (type: string, where: string): void => {
    if (Object.hasOwn(PRIMITIVES, type)) return;
    const dt = dataTypes.get(type);
    if (dt === undefined)
      throw new NvError('NV_EFS_DEF_UNKNOWN_TYPE', `${root.file}: ${where} uses type ${type}, which is not defined`, {
        path: root.file,
      });
    if (state.get(type) === 'done') return;
    if (state.get(type) === 'busy')
      throw new NvError('NV_EFS_DEF_TYPE_CYCLE', `${root.file}: DataType ${type} contains itself`, { path: root.file });
    state.set(type, 'busy');
    for (const m of dt.members) visit(m.type, `DataType ${type}`);
    state.set(type, 'done');
  };
  for (const dt of dataTypes.values()) for (const m of dt.members) visit(m.type, `DataType ${dt.name}`);
  for (const it of [...items.values(), ...efsItems.values()])
    for (const m of it.members) visit(m.type, `item ${it.id ?? it.path}`);
  return def;
}

function parseId(raw: string, file: string): number {
  const t = raw.trim();
  const n = /^\d+$/.test(t) ? Number(t) : /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new NvError('NV_EFS_BAD_XML_ATTR', `${file}: NV id "${raw}" is not 0..65535`, { path: file });
  return n;
}

/** One flattened primitive slot. */
interface Slot {
  readonly bytes: number;
  readonly signed: boolean;
  /** Index of the top-level member it belongs to. */
  readonly member: number;
}

function flatten(def: NvDefinition, list: readonly NvMember[]): Slot[] {
  const out: Slot[] = [];
  const add = (type: string, member: number, depth: number): void => {
    const p = Object.hasOwn(PRIMITIVES, type) ? PRIMITIVES[type] : undefined; // not Object.prototype members such as `constructor`
    if (p !== undefined) {
      if (out.length >= MAX_SLOTS) throw new NvError('NV_LIMIT', `layout has more than ${MAX_SLOTS} slots`);
      out.push({ ...p, member });
      return;
    }
    const dt = def.dataTypes.get(type);
    if (dt === undefined) throw new NvError('NV_EFS_DEF_UNKNOWN_TYPE', `type ${type} is not defined`);
    if (depth > 32) throw new NvError('NV_EFS_DEF_TYPE_CYCLE', `type ${type} nests too deep`);
    for (const m of dt.members) for (let i = 0; i < m.sizeOf; i++) add(m.type, member, depth + 1);
  };
  list.forEach((m, idx) => {
    for (let i = 0; i < m.sizeOf; i++) add(m.type, idx, 0);
  });
  return out;
}

/**
 * The packed size of a defined item's layout (no alignment, docs/formats/qcn.md#nvdefinition).
 * @example layoutSize(def, def.items.get(10)!) // 3 for {uint8 nam; uint16}
 */
export function layoutSize(def: NvDefinition, item: NvItemDefinition): number {
  return flatten(def, item.members).reduce((s, x) => s + x.bytes, 0);
}

/** Options of {@link compileNvSource}. */
export interface CompileOptions {
  /** Warnings marked W/E in docs/formats/qcn.md#validation become errors. */
  readonly strict?: boolean;
  /** `variableSize` NvEfsItem: `pad` (QMSL 6.0.11, default) or `trim` (docs/formats/qcn.md#values (5)). */
  readonly efsVariableSize?: 'pad' | 'trim';
  /** zlib for `compressed` items (the Node entry passes node:zlib). Required only if an item is compressed. */
  readonly deflate?: DeflateBackend;
  /** QCN model number (default 0). */
  readonly model?: number;
}

/** Result of {@link compileNvSource}. */
export interface CompileResult {
  readonly qcn: Qcn;
  /** Numbered items (records) written. */
  readonly items: number;
  /** EFS store files written. */
  readonly efsItems: number;
  readonly warnings: EfsWarning[];
}

interface Origin {
  readonly file: string;
  readonly what: string;
}

/**
 * Compiles an expanded NvSource against an NvDefinition into a QCN model (docs/formats/qcn.md#nvsource…#read-write).
 * @throws NvError every `NV_EFS_XML_*`/`NV_EFS_BAD_XML_*` code of docs/formats/qcn.md#validation, `NV_EFS_ITEM_TOO_LARGE`
 * @example const { qcn } = compileNvSource(loadXml('master.xml', r), parseNvDefinition(loadXml('def.xml', r)));
 */
export function compileNvSource(source: XmlElement, def: NvDefinition, options: CompileOptions = {}): CompileResult {
  if (source.name === 'NvData')
    throw new NvError(
      'NV_EFS_XML_MCFG_DIALECT',
      `${source.file}: root <NvData> is the MCFG dialect; use nv qcom mbn (@nv/qcom-mbn)`,
      { path: source.file },
    );
  if (source.name !== 'NvSource')
    throw new NvError('NV_EFS_XML_BAD_ROOT', `${source.file}: root is <${source.name}>, expected <NvSource>`, {
      path: source.file,
    });
  const warnings: EfsWarning[] = [...(def.warnings ?? [])];
  const soft = (code: EfsErrorCode, message: string, path: string): void => {
    if (options.strict === true) throw new NvError(code, message, { path });
    warnings.push({ code, message, path });
  };
  const records = new Map<string, { item: QcnItem; origin: Origin }>();
  const files = new Map<string, { file: QcnEfsFile; origin: Origin }>();
  for (const e of source.children) {
    if (e.name !== 'NvItem' && e.name !== 'NvEfsItem') {
      soft(
        'NV_EFS_XML_UNKNOWN_ELEMENT',
        `${e.file}: <${e.name}> is not NvItem, NvEfsItem or xi:include; ignored`,
        e.file,
      );
      continue;
    }
    const isEfs = e.name === 'NvEfsItem';
    const mapping = (e.attrs['mapping'] ?? 'direct').trim();
    const encoding = (e.attrs['encoding'] ?? 'dec').trim();
    const key = isEfs ? e.attrs['fullpathname']?.trim() : e.attrs['id'];
    if (key === undefined || key === '')
      throw new NvError('NV_EFS_XML_MISSING_ATTR', `${e.file}: ${e.name} without ${isEfs ? 'fullpathname' : 'id'}`, {
        path: e.file,
      });
    const id = isEfs ? undefined : parseId(key, e.file);
    const what = isEfs ? `NvEfsItem ${key}` : `NvItem ${id}`;
    if (mapping !== 'direct' && mapping !== 'byteStream')
      throw new NvError('NV_EFS_BAD_XML_ATTR', `${e.file}: ${what}: mapping "${mapping}" is not direct or byteStream`, {
        path: e.file,
      });
    if (encoding !== 'dec' && encoding !== 'hex')
      throw new NvError('NV_EFS_BAD_XML_ATTR', `${e.file}: ${what}: encoding "${encoding}" is not dec or hex`, {
        path: e.file,
      });
    const subRaw = (e.attrs['subscriptionid'] ?? '0').trim();
    if (!/^\d{1,2}$/.test(subRaw))
      throw new NvError('NV_EFS_BAD_XML_ATTR', `${e.file}: ${what}: subscriptionid "${subRaw}" is not 0..99`, {
        path: e.file,
      });
    const sub = Number(subRaw);
    if (sub !== 0)
      warnings.push({
        code: 'NV_EFS_XML_SUBSCRIPTION',
        message: `${e.file}: ${what}: subscriptionid ${sub}; its placement is inferred (NV_ITEM_ARRAY_SIM_${sub} / _Subscription${String(sub).padStart(2, '0')})`,
        path: e.file,
      });
    const d = isEfs
      ? (def.efsItems.get(key as string) ?? def.efsItems.get((key as string).replace(/_Subscription\d\d$/, '')))
      : def.items.get(id as number);
    const where = `${e.file}: ${what}`;
    let bytes: Uint8Array;
    if (mapping === 'byteStream') {
      bytes = Uint8Array.from(
        tokens(e.text, where).map((t) => Number(parseToken(t, encoding, where, 8, true))),
        (v) => v & 0xff,
      );
      if (d?.compressed === true) bytes = zlib(bytes, options, where);
    } else if (d === undefined) {
      const toks = tokens(e.text, where);
      if (toks.length <= 1) {
        bytes = Uint8Array.of(
          toks.length === 0 ? 0 : Number(parseToken(toks[0] as string, encoding, where, 8, true)) & 0xff,
        );
        soft('NV_EFS_XML_NO_DEFINITION', `${where} is not in the NvDefinition: written as 1 byte`, e.file);
      } else {
        soft(
          'NV_EFS_XML_NO_DEFINITION',
          `${where} is not in the NvDefinition and has ${toks.length} values: dropped, as QRCT does`,
          e.file,
        );
        continue;
      }
    } else {
      bytes = packValues(e, d, def, encoding, where, isEfs ? (options.efsVariableSize ?? 'pad') : 'trim');
      if (d.compressed) bytes = zlib(bytes, options, where);
    }
    const origin = { file: e.file, what };
    if (!isEfs && (id as number) < 20000) {
      const indexed = d !== undefined && isIndexed(d);
      const index = indexed ? (bytes[0] ?? 0) : 0;
      const attrIndex = e.attrs['index'];
      if (indexed && attrIndex !== undefined && Number(attrIndex) !== index) {
        warnings.push({
          code: 'NV_EFS_XML_INDEX_MISMATCH',
          message: `${where}: index="${attrIndex}" but the first value is ${index}; the value wins`,
          path: e.file,
        });
      }
      if (bytes.length > QCN_PAYLOAD_BYTES)
        throw new NvError(
          'NV_EFS_ITEM_TOO_LARGE',
          `${where} packs to ${bytes.length} bytes; a legacy NV holds at most 128`,
          { path: e.file },
        );
      const k = `${sub}/${id}/${index}`;
      const prev = records.get(k);
      if (prev !== undefined)
        warnings.push({
          code: 'NV_EFS_XML_DUPLICATE',
          message: `${where} in ${e.file} replaces the one in ${prev.origin.file}`,
          path: e.file,
        });
      records.delete(k);
      records.set(k, { item: { id: id as number, index, subscription: sub, payload: bytes }, origin });
    } else {
      const path = isEfs
        ? sub === 0
          ? (key as string)
          : `${key}_Subscription${String(sub).padStart(2, '0')}`
        : `/nv/item_files/rfnv/${String(id).padStart(8, '0')}`;
      if (!isEfs && bytes.length > 8192)
        throw new NvError(
          'NV_EFS_ITEM_TOO_LARGE',
          `${where} packs to ${bytes.length} bytes; RFNV holds at most 8192 (§5 #16)`,
          { path: e.file },
        );
      const store = isEfs && bool(e.attrs['useProvisioningStore']) ? 'Provisioning_Item_Files' : 'NV_Items';
      const prev = files.get(path);
      if (prev !== undefined) {
        warnings.push({
          code: 'NV_EFS_XML_DUPLICATE',
          message: `${where} in ${e.file} replaces the one in ${prev.origin.file}${prev.file.store !== store ? ` (store ${prev.file.store} → ${store})` : ''}`,
          path: e.file,
        });
      }
      files.delete(path);
      files.set(path, { file: { store, path, data: bytes }, origin });
    }
  }
  const items = [...records.values()].map((r) => r.item);
  const efs = [...files.values()].map((f) => f.file);
  return {
    qcn: { model: options.model ?? 0, items, efs, extra: [] },
    items: items.length,
    efsItems: efs.length,
    warnings,
  };
}

function tokens(text: string, where: string): string[] {
  const out = text
    .trim()
    .split(/[,\s]+/)
    .filter((t) => t !== '');
  if (out.length > MAX_SLOTS) throw new NvError('NV_LIMIT', `${where}: more than ${MAX_SLOTS} values`);
  return out;
}

function parseToken(
  t: string,
  encoding: string,
  where: string,
  bits: number,
  signedOk: boolean,
  member?: string,
): bigint {
  let v: bigint;
  const at = member === undefined ? '' : ` member ${member}`;
  // A 0x token is hex whatever the encoding: real master files write 0x00,… byte lists under dec (docs/formats/qcn.md#values 1).
  if (encoding === 'dec' && !/^[+-]?0x/i.test(t)) {
    if (!/^[+-]?\d+$/.test(t))
      throw new NvError('NV_EFS_BAD_XML_TOKEN', `${where}${at}: "${t}" is not a decimal number`, {
        data: { token: t },
      });
    v = BigInt(t);
  } else {
    const m = /^([+-])?(?:0x)?([0-9a-f]+)$/i.exec(t);
    if (m === null)
      throw new NvError('NV_EFS_BAD_XML_TOKEN', `${where}${at}: "${t}" is not a hex number`, { data: { token: t } });
    v = BigInt(`0x${m[2]}`) * (m[1] === '-' ? -1n : 1n);
  }
  const min = signedOk ? -(1n << BigInt(bits - 1)) : 0n;
  const max = (1n << BigInt(bits)) - 1n;
  if (v < min || v > max)
    throw new NvError(
      'NV_EFS_XML_VALUE_RANGE',
      `${where}${at}: ${t} is outside ${min}..${max} for a ${bits}-bit slot`,
      { data: { token: t } },
    );
  return v < 0n ? (1n << BigInt(bits)) + v : v;
}

function put(out: number[], v: bigint, bytes: number): void {
  for (let i = 0; i < bytes; i++) out.push(Number((v >> BigInt(8 * i)) & 0xffn));
}

function packValues(
  e: XmlElement,
  d: NvItemDefinition,
  def: NvDefinition,
  encoding: string,
  where: string,
  variable: 'pad' | 'trim',
): Uint8Array {
  const out: number[] = [];
  if (d.variantType) {
    // docs/formats/qcn.md#values (6), inferred: u16 version, u16 count, then per element u16 typeid + that DataType's slots.
    const toks = tokens(e.text, where);
    let i = 0;
    const next = (bits: number): bigint => {
      const t = toks[i++];
      if (t === undefined) throw new NvError('NV_EFS_XML_TOO_MANY_VALUES', `${where}: variant value list ends early`);
      return parseToken(t, encoding, where, bits, true);
    };
    put(out, next(16), 2);
    const count = Number(next(16));
    put(out, BigInt(count), 2);
    for (let n = 0; n < count; n++) {
      const typeid = Number(next(16));
      put(out, BigInt(typeid), 2);
      const dt = [...def.dataTypes.values()].find((x) => x.typeid === typeid);
      if (dt === undefined)
        throw new NvError(
          'NV_EFS_XML_VARIANT_TYPEID',
          `${where}: variant element ${n} has typeid ${typeid}, which no DataType defines`,
        );
      for (const s of flatten(def, dt.members)) put(out, next(8 * s.bytes), s.bytes);
    }
    if (i < toks.length)
      throw new NvError(
        'NV_EFS_XML_TOO_MANY_VALUES',
        `${where}: ${toks.length - i} values left over after the variant elements`,
      );
    return Uint8Array.from(out);
  }
  const slots = flatten(def, d.members);
  const values: (bigint | undefined)[] = new Array(slots.length).fill(undefined);
  let written = 0;
  const named = e.children.filter((c) => c.name !== 'xi:include');
  if (named.length > 0) {
    // docs/formats/qcn.md#values (1b): children named after Member @name fill that member's slots.
    for (const c of named) {
      const mi = d.members.findIndex((m) => m.name === c.name);
      if (mi < 0)
        throw new NvError(
          'NV_EFS_XML_UNKNOWN_MEMBER',
          `${where}: <${c.name}> is not a member of the definition (${d.members.map((m) => m.name).join(', ')})`,
          { path: e.file },
        );
      const idx = slots.map((s, i) => (s.member === mi ? i : -1)).filter((i) => i >= 0);
      const toks = tokens(c.text, where);
      if (toks.length > idx.length)
        throw new NvError(
          'NV_EFS_XML_UNKNOWN_MEMBER',
          `${where}: member ${c.name} has ${idx.length} slots but ${toks.length} values`,
          { path: e.file },
        );
      toks.forEach((t, j) => {
        const si = idx[j] as number;
        values[si] = parseToken(t, encoding, where, 8 * (slots[si] as Slot).bytes, true, c.name);
        written = Math.max(written, si + 1);
      });
    }
    written = slots.length; // named form: missing members are zero (docs/formats/qcn.md#values (1b))
  } else {
    const toks = tokens(e.text, where);
    if (toks.length > slots.length)
      throw new NvError('NV_EFS_XML_TOO_MANY_VALUES', `${where}: ${toks.length} values for ${slots.length} slots`, {
        path: e.file,
      });
    toks.forEach((t, i) => {
      const s = slots[i] as Slot;
      values[i] = parseToken(t, encoding, where, 8 * s.bytes, true, d.members[s.member]?.name);
    });
    written = d.variableSize && variable === 'trim' ? toks.length : slots.length;
  }
  for (let i = 0; i < written; i++) put(out, values[i] ?? 0n, (slots[i] as Slot).bytes);
  return Uint8Array.from(out);
}

/** zlib stream (RFC 1950, `78 9C`) of `data` (docs/formats/qcn.md#values (7)). */
function zlib(data: Uint8Array, options: CompileOptions, where: string): Uint8Array {
  if (options.deflate === undefined)
    throw new TypeError(`${where} is compressed: pass options.deflate (NODE_DEFLATE from @nv/qcom-efs/node)`);
  const body = options.deflate.deflateRaw(data, { level: 6, memLevel: 8 });
  let a = 1;
  let b = 0;
  for (const x of data) {
    a = (a + x) % 65521;
    b = (b + a) % 65521;
  }
  const out = new Uint8Array(body.length + 6);
  out[0] = 0x78;
  out[1] = 0x9c;
  out.set(body, 2);
  new DataView(out.buffer).setUint32(2 + body.length, ((b << 16) | a) >>> 0, false);
  return out;
}

/**
 * Compiles NvSource → QCN model through a resolver (browser-safe; `compileNvSourceFiles` of `@nv/qcom-efs/node`
 * reads the file system): the master NvSource (with its `xi:include`s) against an NvDefinition, given as a path the
 * resolver reads or as a parsed {@link NvDefinition}.
 * @throws NvError every `NV_EFS_XML_*`/`NV_EFS_BAD_XML_*` code of docs/formats/qcn.md#validation, `NV_EFS_ITEM_TOO_LARGE`,
 *   the codes of {@link parseNvDefinition}, `NV_NOT_FOUND`
 * @example compileNvFiles('master.xml', 'NvDefinition.xml', resolver, { deflate: NODE_DEFLATE })
 */
export function compileNvFiles(
  masterPath: string,
  definition: string | NvDefinition,
  resolver: XmlResolver,
  options: CompileOptions = {},
): CompileResult {
  const def =
    typeof definition === 'string'
      ? parseNvDefinition(loadXml(definition, resolver), { strict: options.strict === true })
      : definition;
  return compileNvSource(loadXml(masterPath, resolver), def, options);
}

/**
 * NV info from the NvDefinition (docs/formats/qcn.md#nv-info source (3), a heuristic, inferred): legacy ids < 20000; indexed iff `maxIndex`
 * is present (arraySize = maxIndex + 1), `array_index` > 0 (arraySize = array_index; legacy-NV definition files) or the
 * first member is a `uint8` named `nam` (arraySize 1 unless maxIndex says more); size = layout − 1 for indexed items. Items whose layout does not fit a 128-byte record are left out.
 * Prefer a user table or a reference tree of the same build when there is one.
 * @example nvInfoFromDefinition(def).find((e) => e.id === 10) // { id: 10, size: 2, arraySize: 2 }
 */
export function nvInfoFromDefinition(def: NvDefinition): NvInfoEntry[] {
  const out: NvInfoEntry[] = [];
  for (const d of def.items.values()) {
    const id = d.id as number;
    if (id >= 20000 || d.variantType) continue;
    const indexed = isIndexed(d);
    const arraySize = indexed
      ? d.maxIndex !== undefined && Number.isInteger(d.maxIndex) && d.maxIndex >= 0
        ? d.maxIndex + 1
        : (d.arrayIndex ?? 0) > 0
          ? (d.arrayIndex as number)
          : 1
      : 0;
    const size = layoutSize(def, d) - (indexed ? 1 : 0);
    if (size < 0 || size > (indexed ? QCN_PAYLOAD_BYTES - 1 : QCN_PAYLOAD_BYTES) || arraySize > 256) continue;
    out.push({ id, size, arraySize });
  }
  return out.sort((a, b) => a.id - b.id);
}
