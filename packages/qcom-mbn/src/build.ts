/**
 * MCFG XML → MBN (docs/formats/mcfg.md#dialects…#items, docs/formats/mcfg.md#layout, docs/formats/mcfg.md#build), byte-identical to the vendor JO generator.
 * @module
 */
import { ByteWriter, NvError, concatBytes, encodeLatin1 } from '@nv/core';
import { encodeMember } from './member.ts';
import {
  MAX_NV_ID,
  MCFG_ATTR,
  VERSION_RECORD_ID,
  type FileResolver,
  type McfgFinding,
  type McfgItem,
  type McfgXmlDocument,
  type McfgXmlElement,
  type McfgXmlMember,
} from './model.ts';
import { parseMcfgXml } from './xml.ts';
import { rewrapContainer, wrapCanonical, type HashOptions, type RewrapOptions } from './elf.ts';

/** NV ids the vendor generator refuses (docs/formats/mcfg.md#items item 4). */
const FORBIDDEN_NV_RANGES: readonly (readonly [number, number])[] = (
  '69,70,91,95,121-140,146,149-159,194,199-208,330-370,376-397,431-439,453,585-706,726-812,856-874,948-1013,' +
  '1033-1189,1210-1301,1312-1340,1351-1790,1877,1898-1903,2080-2085,3253-3282,3386-3388,3515,3632,4257,4548,6828,6838'
)
  .split(',')
  .map((r) => {
    const [a, b] = r.split('-').map(Number);
    return [a!, b ?? a!] as const;
  });

/**
 * True when the vendor generator refuses NV `id` (docs/formats/mcfg.md#items).
 *
 * @example
 * isForbiddenNvId(453); // true
 */
export function isForbiddenNvId(id: number): boolean {
  return FORBIDDEN_NV_RANGES.some(([a, b]) => id >= a && id <= b);
}

/**
 * True when the vendor generator refuses EFS `path` (docs/formats/mcfg.md#items).
 *
 * @example
 * isForbiddenEfsPath('/nv/item_files/rfnv/00020000'); // true
 */
export function isForbiddenEfsPath(path: string): boolean {
  return path.startsWith('/nv/item_files/rfnv/') || path === '/nv/item_files/mcfg/mcfg_autoselect_by_uim';
}

/** Options of {@link buildMbn}. */
export interface BuildMbnOptions extends HashOptions {
  /** Override the document's dialect. */
  readonly dialect?: 1 | 2;
  /** Header format (default: `nv:format`, else 3 for dialect 1, 4 for dialect 2). */
  readonly format?: number;
  /** Receives warnings (dropped duplicates, masked values, directory order …). */
  readonly onWarning?: (finding: McfgFinding) => void;
  /** `jo`: emulate the JO generator's leading-whitespace quirk (docs/formats/mcfg.md#values, inferred): an extra leading 0 element. */
  readonly quirks?: 'jo';
  /** Remove the signature of a signed kept container (`nv:container`), for unsigned use. */
  readonly stripSignature?: boolean;
}

/** A resolver that has no files (inline-only XML). */
export const NO_FILES: FileResolver = Object.freeze({ readFile: () => undefined });

const MAX_EFS_DATA = 0xffff;
const MAX_GROUP_DEPTH = 8;
const MAX_DIR_FILES = 100_000;

/**
 * Key of an item for duplicate checks and diff: `nv:<id>`, `efs:<path>`, or undefined for opaque items.
 *
 * @example
 * itemKey(parseMbn(bytes).items[0]!); // 'nv:71'
 */
export function itemKey(item: McfgItem): string | undefined {
  if (item.kind === 'nv') return `nv:${item.nvId}`;
  if (item.kind === 'efs') return `efs:${item.path}`;
  return undefined;
}

/**
 * True when an item may repeat its key (docs/formats/mcfg.md#dialects: attr 0x20 or 0x10, or variant 3/4).
 *
 * @example
 * isDuplicateAllowed({ attrib: 0x19, type: 1 }); // true (S bit)
 */
export function isDuplicateAllowed(item: Pick<McfgItem, 'attrib' | 'type'>): boolean {
  return (item.attrib & (MCFG_ATTR.S | MCFG_ATTR.I)) !== 0 || item.type === 3 || item.type === 4;
}

/**
 * Encodes one item with its 8-byte prefix (docs/formats/mcfg.md#item-prefix…#efs-body).
 *
 * @example
 * encodeItem({ kind: 'nv', type: 1, attrib: 0x09, spOps: 0, spare: 0, nvId: 71, data: Uint8Array.of(1) });
 */
export function encodeItem(item: McfgItem): Uint8Array<ArrayBuffer> {
  const data = item.data;
  if (item.kind === 'opaque') {
    const out = new Uint8Array(8 + data.length);
    prefix(out, out.length, item);
    out.set(data, 8);
    return out;
  }
  if (data.length > 0xffff)
    throw new NvError('NV_MBN_EFS_TOO_LARGE', `item data of ${data.length} bytes is over 65,535`, {
      path: itemKey(item),
    });
  if (item.kind === 'nv') {
    const out = new Uint8Array(12 + data.length);
    prefix(out, out.length, item);
    const id = item.nvId ?? 0;
    out.set([id & 0xff, id >> 8, data.length & 0xff, data.length >> 8], 8);
    out.set(data, 12);
    return out;
  }
  const path = encodeLatin1(item.path ?? '');
  if (path.length + 1 > 0xffff) throw new NvError('NV_MBN_EFS_PATH', 'EFS path is too long', { path: itemKey(item) });
  const out = new Uint8Array(17 + path.length + data.length);
  prefix(out, out.length, item);
  let o = 8;
  out.set([1, 0, (path.length + 1) & 0xff, (path.length + 1) >> 8], o);
  out.set(path, (o += 4));
  o += path.length + 1;
  out.set([2, 0, data.length & 0xff, data.length >> 8], o);
  out.set(data, o + 4);
  return out;
}

function prefix(out: Uint8Array, length: number, item: McfgItem): void {
  out.set(
    [
      length & 0xff,
      (length >>> 8) & 0xff,
      (length >>> 16) & 0xff,
      length >>> 24,
      item.type,
      item.attrib,
      item.spOps,
      item.spare,
    ],
    0,
  );
}

/** The parts of an MCFG segment (docs/formats/mcfg.md#mcfg-header, docs/formats/mcfg.md#trailer). */
export interface McfgSegmentParts {
  readonly format: number;
  readonly configType: number;
  readonly carrierIndex: number;
  readonly spareCrc?: number;
  readonly version: number;
  readonly items: readonly McfgItem[];
  readonly trailerTlvs: Uint8Array;
  /** Pad bytes; default 4 − total mod 4 zeros (docs/formats/mcfg.md#trailer, never 0). */
  readonly trailerPad?: Uint8Array;
}

/**
 * Encodes the MCFG segment (docs/formats/mcfg.md#build steps 2–5): header, version record, items, trailer, pad, back-pointer.
 * @throws RangeError when a header field does not fit its width
 *
 * @example
 * const seg = encodeMcfgSegment({ format: 3, configType: 1, carrierIndex: 0, version: 0x0501050d, items: [], trailerTlvs: encodeTrailer({ version: 0x0501050d }) });
 */
export function encodeMcfgSegment(parts: McfgSegmentParts): Uint8Array<ArrayBuffer> {
  const u16 = (v: number, what: string): number[] => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${what} ${v} does not fit in 16 bits`);
    return [v & 0xff, v >> 8];
  };
  const u32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
  const items = parts.items.map(encodeItem);
  const sigma = items.reduce((s, i) => s + i.length, 0);
  const recordLength = 24 + parts.trailerTlvs.length;
  const total = 24 + sigma + recordLength;
  const pad = parts.trailerPad ?? new Uint8Array(4 - (total % 4));
  const header = Uint8Array.from([
    0x4d,
    0x43,
    0x46,
    0x47,
    ...u16(parts.format, 'format'),
    ...u16(parts.configType, 'config type'),
    ...u32(parts.items.length + 1),
    ...u16(parts.carrierIndex, 'carrier index'),
    ...u16(parts.spareCrc ?? 0, 'spare'),
    ...u16(VERSION_RECORD_ID, 'record id'),
    4,
    0,
    ...u32(parts.version >>> 0),
  ]);
  const payloadLength = recordLength - 16;
  const trailerHead = Uint8Array.from([
    ...u32(recordLength),
    0x0a,
    0,
    0,
    0,
    0xa1,
    0,
    payloadLength & 0xff,
    (payloadLength >> 8) & 0xff,
    ...encodeLatin1('MCFG_TRL'),
  ]);
  // A ByteWriter, not concatBytes(header, ...items, …): spreading 10⁵ items as arguments overflows the stack.
  const out = new ByteWriter(total + pad.length + 4).bytes(header);
  for (const item of items) out.bytes(item);
  return out
    .bytes(trailerHead)
    .bytes(parts.trailerTlvs)
    .bytes(pad)
    .u32le(recordLength + pad.length)
    .finish();
}

/** Context of {@link elementToItems}. */
export interface ItemBuildContext {
  readonly dialect: 1 | 2;
  readonly resolver: FileResolver;
  readonly warn: (f: McfgFinding) => void;
  readonly depth: number;
  /** `jo`: emulate the dialect-1 generator's untrimmed leading whitespace (an extra leading 0 element, docs/formats/mcfg.md#values). */
  readonly quirks?: 'jo';
}

function concatMembers(members: readonly McfgXmlMember[], ctx: ItemBuildContext, path: string): Uint8Array {
  return concatBytes(
    ...members.map((m, i) => {
      let member = m;
      if (ctx.dialect === 1 && m.type !== 'string' && /^\s/.test(m.value)) {
        // docs/formats/mcfg.md#values: the dialect-1 generator does not trim, so leading whitespace yields an extra leading 0 element.
        ctx.warn({
          severity: 'warning',
          code: 'NV_MBN_XML_MEMBER_WS',
          message: `${path}: Member ${i} starts with whitespace; the JO generator adds a leading 0 element${ctx.quirks === 'jo' ? ' (emulated)' : ' (not emulated without --quirks=jo)'}`,
          path,
        });
        if (ctx.quirks === 'jo') member = { ...m, value: `0 ${m.value}` };
      }
      const { bytes, overflow } = encodeMember(member, ctx.dialect, `${path}/Member[${i}]`);
      if (overflow)
        ctx.warn({
          severity: 'warning',
          code: 'NV_MBN_XML_MEMBER_OVERFLOW',
          message: `${path}: Member ${i} value "${m.value.trim().slice(0, 40)}" does not fit ${m.type} and was masked`,
          path,
        });
      return bytes;
    }),
  );
}

/**
 * docs/formats/mcfg.md#dialects trimming rule: which dialect drops the value and keeps only mask/index bytes.
 *
 * @example
 * isTrimmed(0x18, 1); // true: dialect 1 trims when C is clear
 */
export function isTrimmed(attrib: number, dialect: 1 | 2): boolean {
  const d = (attrib & MCFG_ATTR.D) !== 0;
  const c = (attrib & MCFG_ATTR.C) !== 0;
  return dialect === 1 ? d || !c : d && !c;
}

function finish(
  kind: 'nv' | 'efs',
  type: number,
  attrib: number,
  raw: Uint8Array,
  key: { nvId?: number; path?: string },
  ctx: ItemBuildContext,
  where: string,
): McfgItem | undefined {
  let data = raw;
  const trimmed = isTrimmed(attrib, ctx.dialect);
  if (trimmed) {
    const keep = (attrib & MCFG_ATTR.S ? 1 : 0) + (attrib & MCFG_ATTR.I ? 1 : 0);
    data = raw.subarray(0, keep);
  } else if (data.length === 0) {
    ctx.warn({
      severity: 'warning',
      code: 'NV_MBN_DELETE_DATA',
      message: `${where}: item has no data and is dropped (§2.4)`,
      path: where,
    });
    return undefined;
  }
  if (data.length > MAX_EFS_DATA)
    throw new NvError('NV_MBN_EFS_TOO_LARGE', `${where}: ${data.length} bytes of data, over 65,535`, { path: where });
  return { kind, type, attrib, spOps: 0, spare: 0, ...key, data: data.slice() };
}

function attrChecks(attrib: number, mask: number | undefined, ctx: ItemBuildContext, where: string): void {
  if (ctx.dialect !== 2) return;
  // docs/formats/mcfg.md#dialects dialect-2 attribute checks.
  if (attrib === 0 || ((attrib & MCFG_ATTR.C) === 0 && (attrib & (MCFG_ATTR.D | MCFG_ATTR.M)) === 0)) {
    throw new NvError(
      'NV_MBN_ATTR_NO_ACTION',
      `${where}: mcfgAttributes 0x${attrib.toString(16)} has none of C (0x01), D (0x40), M (0x02)`,
      { path: where },
    );
  }
  if (attrib & MCFG_ATTR.S && (mask === undefined || (mask & 7) === 0)) {
    throw new NvError('NV_MBN_SUBS_MASK', `${where}: the S bit (0x10) needs subscription_mask with a bit in 0x07`, {
      path: where,
    });
  }
}

function withMask(attrib: number, mask: number | undefined, body: Uint8Array, ctx: ItemBuildContext): Uint8Array {
  // Dialect 2: the subscription_mask attribute is prepended as one byte when S is set (docs/formats/mcfg.md#dialects).
  if (ctx.dialect === 2 && attrib & MCFG_ATTR.S) return concatBytes(Uint8Array.of(mask ?? 0), body);
  return body;
}

function resolve(ctx: ItemBuildContext, path: string, where: string): Uint8Array {
  let bytes: Uint8Array | undefined;
  try {
    bytes = ctx.resolver.readFile(path);
  } catch (cause) {
    if (NvError.isInstance(cause) && cause.code !== 'NV_NOT_FOUND') throw cause;
    bytes = undefined;
  }
  if (bytes === undefined)
    throw new NvError('NV_MBN_XML_FILE_MISSING', `${where}: buildPath "${path}" could not be read`, { path: where });
  return bytes;
}

function efsTarget(path: string, where: string): string {
  if (path.includes('\0')) throw new NvError('NV_MBN_EFS_PATH', `${where}: EFS path contains NUL`, { path: where });
  if (isForbiddenEfsPath(path))
    throw new NvError('NV_MBN_FORBIDDEN_ITEM', `${where}: EFS path ${path} must not be in an MCFG (§2.4)`, {
      path: where,
    });
  return path;
}

/**
 * Turns one XML element into binary items (docs/formats/mcfg.md#items steps 1–2), before duplicate handling.
 * Exposed for `toXml`, which re-encodes every item to prove the round trip.
 * @throws NvError many `NV_MBN_XML_*` and item codes
 *
 * @example
 * elementToItems(doc.elements[0]!, { dialect: 1, resolver: NO_FILES, warn: () => {}, depth: 0 }, 'item 0');
 */
export function elementToItems(el: McfgXmlElement, ctx: ItemBuildContext, where: string): McfgItem[] {
  switch (el.kind) {
    case 'RawItem':
      return [
        { kind: 'opaque', type: el.type, attrib: el.attrib, spOps: el.spOps, spare: el.spare, data: el.body.slice() },
      ];
    case 'NvItemData': {
      if (el.id > MAX_NV_ID)
        throw new NvError(
          'NV_MBN_NV_ID_RANGE',
          `${where}: NV ${el.id} is over ${MAX_NV_ID}; use an EFS item under /nv/item_files/`,
          { path: where },
        );
      if (isForbiddenNvId(el.id))
        throw new NvError('NV_MBN_FORBIDDEN_ITEM', `${where}: NV ${el.id} is on the forbidden list (§2.4)`, {
          path: where,
        });
      const attrib = el.attributes ?? 0;
      attrChecks(attrib, el.subscriptionMask, ctx, where);
      const data = withMask(attrib, el.subscriptionMask, concatMembers(el.members, ctx, where), ctx);
      const item = finish('nv', el.variant ?? 0, attrib, data, { nvId: el.id }, ctx, where);
      return item ? [item] : [];
    }
    case 'NvEfsItemData': {
      const attrib = el.attributes ?? 0;
      attrChecks(attrib, el.subscriptionMask, ctx, where);
      const data = withMask(attrib, el.subscriptionMask, concatMembers(el.members, ctx, where), ctx);
      const item = finish('efs', el.variant || 2, attrib, data, { path: efsTarget(el.path, where) }, ctx, where);
      return item ? [item] : [];
    }
    case 'NvEfsFile': {
      const attrib = el.attributes ?? 0;
      attrChecks(attrib, el.subscriptionMask, ctx, where);
      if (attrib & MCFG_ATTR.I)
        throw new NvError('NV_MBN_XML_EFS_META', `${where}: the index bit 0x20 is refused on NvEfsFile`, {
          path: where,
        });
      const meta = el.members.map((m, i) => {
        const { bytes } = encodeMember(m, ctx.dialect, `${where}/Member[${i}]`);
        if (bytes.length !== 1)
          throw new NvError(
            'NV_MBN_XML_EFS_META',
            `${where}: NvEfsFile metadata Member ${i} must be one byte (a single uint8)`,
            { path: where },
          );
        return bytes;
      });
      let body = concatBytes(...meta);
      if (!isTrimmed(attrib, ctx.dialect)) {
        const source = el.buildPath !== '' ? el.buildPath : (el.targetPath.split('/').pop() ?? '');
        const file = resolve(ctx, source, where);
        if (file.length > MAX_EFS_DATA)
          throw new NvError(
            'NV_MBN_EFS_TOO_LARGE',
            `${where}: file ${source} has ${file.length} bytes, over 65,535 (the vendor tool truncates silently)`,
            { path: where },
          );
        body = concatBytes(body, file);
      }
      const item = finish(
        'efs',
        el.variant || 2,
        attrib,
        withMask(attrib, el.subscriptionMask, body, ctx),
        { path: efsTarget(el.targetPath, where) },
        ctx,
        where,
      );
      return item ? [item] : [];
    }
    case 'NvEfsDir': {
      const attrib = el.attributes ?? 0;
      if (ctx.dialect === 1 && attrib & MCFG_ATTR.S)
        throw new NvError('NV_MBN_XML_DIALECT', `${where}: NvEfsDir cannot carry a subscription mask in dialect 1`, {
          path: where,
        });
      attrChecks(attrib, el.subscriptionMask, ctx, where);
      if (!ctx.resolver.listDir)
        throw new NvError('NV_MBN_XML_FILE_MISSING', `${where}: NvEfsDir needs a resolver that lists folders`, {
          path: where,
        });
      ctx.warn({
        severity: 'warning',
        code: 'NV_MBN_XML_DIR_ORDER',
        message: `${where}: files are taken in byte order, the vendor tool uses readdir order`,
        path: where,
      });
      const out: McfgItem[] = [];
      const queue: string[] = [''];
      const join = (a: string, b: string): string => (a === '' ? b : b === '' ? a : `${a}/${b}`);
      const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
      while (queue.length > 0) {
        const rel = queue.shift()!;
        const listing = ctx.resolver.listDir(join(el.buildPath, rel));
        if (!listing)
          throw new NvError(
            'NV_MBN_XML_FILE_MISSING',
            `${where}: folder "${join(el.buildPath, rel)}" could not be listed`,
            { path: where },
          );
        for (const name of [...listing.files].sort(byteOrder)) {
          if (out.length >= MAX_DIR_FILES)
            throw new NvError('NV_LIMIT', `${where}: more than ${MAX_DIR_FILES} files`, { path: where });
          const file = resolve(ctx, join(join(el.buildPath, rel), name), where);
          if (file.length > MAX_EFS_DATA)
            throw new NvError(
              'NV_MBN_EFS_TOO_LARGE',
              `${where}: ${join(rel, name)} has ${file.length} bytes, over 65,535`,
              { path: where },
            );
          let target = `${el.targetPath.replace(/\/+$/, '')}/${join(rel, name)}`
            .replace(/\\/g, '/')
            .replace(/\s/g, '_');
          if (!target.startsWith('/')) target = `/${target}`;
          const item = finish(
            'efs',
            el.variant || 2,
            attrib,
            withMask(attrib, el.subscriptionMask, file, ctx),
            { path: efsTarget(target, where) },
            ctx,
            where,
          );
          if (item) out.push(item);
        }
        for (const d of [...listing.dirs].sort(byteOrder)) queue.push(join(rel, d));
        if (queue.length > MAX_DIR_FILES) throw new NvError('NV_LIMIT', `${where}: too many folders`, { path: where });
      }
      return out;
    }
    case 'NvPrlFile': {
      const prl = resolve(ctx, el.buildPath, where);
      if (prl.length < 4)
        throw new NvError('NV_MBN_PRL', `${where}: PRL file has ${prl.length} bytes, too short`, { path: where });
      const length = (prl[0]! << 8) | prl[1]!; // docs/formats/mcfg.md#nv-body: big-endian u16 at 0
      if (length < 4 || length > prl.length)
        throw new NvError(
          'NV_MBN_PRL',
          `${where}: PRL length header ${length} does not fit the ${prl.length}-byte file`,
          { path: where },
        );
      const bits = length * 8;
      const data = concatBytes(
        Uint8Array.of(0, prl[3]!, prl[2]!, bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, bits >>> 24, 1),
        prl.subarray(0, length),
      );
      const attrib = el.attributes ?? 0;
      const item = finish('nv', 1, attrib, data, { nvId: 257 }, ctx, where);
      return item ? [item] : [];
    }
    case 'GroupFile': {
      if (ctx.depth >= MAX_GROUP_DEPTH)
        throw new NvError('NV_LIMIT', `${where}: GroupFile nesting deeper than ${MAX_GROUP_DEPTH}`, { path: where });
      const text = new TextDecoder('utf-8').decode(resolve(ctx, el.buildPath, where));
      const group = parseMcfgXml(text, { dialect: ctx.dialect, path: el.buildPath, fragment: true });
      const want = Number.parseInt(el.version.replace(/^0x/i, ''), 16);
      if (!(want === group.config.version)) {
        throw new NvError(
          'NV_MBN_XML_GROUP_VERSION',
          `${where}: GroupFile version "${el.version}" differs from the group's NvConfigurationData version 0x${group.config.version.toString(16)}`,
          { path: where },
        );
      }
      const inner: ItemBuildContext = { ...ctx, depth: ctx.depth + 1 };
      return group.elements.flatMap((e, i) => elementToItems(e, inner, `${el.buildPath}/${e.kind}[${i}]`));
    }
  }
}

/**
 * Builds the item list of a document (docs/formats/mcfg.md#items): elements in order, trimming, zero-size drop, de-duplication
 * (dialect 1 drops later copies with a warning, dialect 2 fails).
 * @throws NvError `NV_MBN_DUPLICATE` and the {@link elementToItems} codes
 *
 * @example
 * const items = buildItems(parseMcfgXml(xml), NO_FILES, { onWarning: console.warn });
 */
export function buildItems(
  doc: McfgXmlDocument,
  resolver: FileResolver = NO_FILES,
  options: BuildMbnOptions = {},
): McfgItem[] {
  const dialect = options.dialect ?? doc.dialect;
  const ctx: ItemBuildContext = {
    dialect,
    resolver,
    warn: options.onWarning ?? (() => {}),
    depth: 0,
    ...(options.quirks === undefined ? {} : { quirks: options.quirks }),
  };
  const seen = new Set<string>();
  const out: McfgItem[] = [];
  doc.elements.forEach((el, i) => {
    const where = `${el.kind}[${i}]`;
    for (const item of elementToItems(el, ctx, where)) {
      const key = el.kind === 'RawItem' ? undefined : itemKey(item);
      if (key !== undefined) {
        if (seen.has(key) && !isDuplicateAllowed(item)) {
          if (dialect === 2)
            throw new NvError('NV_MBN_DUPLICATE', `${where}: ${key} appears twice (dialect 2 refuses duplicates)`, {
              path: key,
            });
          ctx.warn({
            severity: 'warning',
            code: 'NV_MBN_DUPLICATE',
            message: `${where}: ${key} appears twice; the later one is dropped (dialect 1)`,
            path: key,
          });
          continue;
        }
        seen.add(key);
      }
      out.push(item);
    }
  });
  return out;
}

/**
 * Builds an MCFG MBN from a parsed XML document (docs/formats/mcfg.md#build).
 * Container: canonical unsigned JO layout, or bare segment (`nv:container="bare"`), or the sidecar named by
 * `nv:container` re-hashed (docs/formats/mcfg.md#rehash).
 *
 * @example
 * const mbn = buildMbn(parseMcfgXml(xmlText), NO_FILES);
 * @throws NvError `NV_MBN_XML_*`, `NV_MBN_DUPLICATE`, `NV_MBN_FORBIDDEN_ITEM`, `NV_MBN_NV_ID_RANGE`, `NV_MBN_EFS_TOO_LARGE`,
 *   `NV_MBN_ATTR_NO_ACTION`, `NV_MBN_SUBS_MASK`, `NV_MBN_CONTAINER`
 */
export function buildMbn(
  doc: McfgXmlDocument,
  resolver: FileResolver = NO_FILES,
  options: BuildMbnOptions = {},
): Uint8Array<ArrayBuffer> {
  const dialect = options.dialect ?? doc.dialect;
  const items = buildItems(doc, resolver, { ...options, dialect });
  const ctx: ItemBuildContext = {
    dialect,
    resolver,
    warn: options.onWarning ?? (() => {}),
    depth: 0,
    ...(options.quirks === undefined ? {} : { quirks: options.quirks }),
  };
  const trailerTlvs = concatMembers(doc.trailer, ctx, 'NvTrlRecord');
  const segment = encodeMcfgSegment({
    format: options.format ?? doc.format ?? (dialect === 1 ? 3 : 4),
    configType: doc.config.type,
    carrierIndex: doc.config.carrierIndex,
    version: doc.config.version,
    items,
    trailerTlvs,
    ...(doc.spareCrc === undefined ? {} : { spareCrc: doc.spareCrc }),
    ...(doc.trailerPad === undefined ? {} : { trailerPad: doc.trailerPad }),
  });
  return wrapSegment(segment, doc.container, doc.suffix, resolver, options);
}

/**
 * Wraps a segment as `container` says: undefined → canonical, `bare` → none, else the named sidecar prefix.
 *
 * @example
 * const mbn = wrapSegment(segment, undefined, undefined, NO_FILES); // canonical JO wrapper
 */
export function wrapSegment(
  segment: Uint8Array,
  container: string | undefined,
  suffix: string | undefined,
  resolver: FileResolver,
  options: RewrapOptions = {},
): Uint8Array<ArrayBuffer> {
  const tail = suffix === undefined ? new Uint8Array(0) : sidecar(resolver, suffix);
  if (container === undefined)
    return tail.length === 0 ? wrapCanonical(segment, options) : concatBytes(wrapCanonical(segment, options), tail);
  if (container === 'bare') return concatBytes(segment, tail);
  return rewrapContainer(sidecar(resolver, container), segment, tail, options);
}

function sidecar(resolver: FileResolver, name: string): Uint8Array {
  let bytes: Uint8Array | undefined;
  try {
    bytes = resolver.readFile(name);
  } catch (cause) {
    throw new NvError('NV_MBN_CONTAINER', `sidecar ${name} could not be read`, { path: name, cause });
  }
  if (bytes === undefined)
    throw new NvError(
      'NV_MBN_CONTAINER',
      `sidecar ${name} is missing; keep the files written by to-xml next to the XML`,
      { path: name },
    );
  return bytes;
}
