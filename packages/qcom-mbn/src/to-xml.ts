/**
 * MBN model → MCFG XML (docs/formats/mcfg.md#to-xml). Every item is re-encoded through the builder and compared
 * byte for byte; anything that would not come back identical is written as `<nv:RawItem>`, so
 * `buildMbn(parseMcfgXml(toXml(parseMbn(x)).xml), files)` gives back `x`.
 * @module
 */
import { NvError } from '@nv/core';
import { bytesEqual, concatBytes, decodeLatin1 } from '@nv/core/bytes';
import { encodeItem } from './encode.ts';
import { elementToItems, type ItemBuildContext } from './items.ts';
import { isDuplicateAllowed, itemKey } from './rules.ts';
import { bytesMember, encodeMember, uintMember } from './member.ts';
import {
  MCFG_ATTR,
  type FileResolver,
  type McfgFile,
  type McfgItem,
  type McfgXmlDocument,
  type McfgXmlElement,
  type McfgXmlMember,
} from './model.ts';
import { TLV_NAMES, decodeTrailer } from './trailer.ts';
import { hexUpper, writeMcfgXml } from './xml.ts';

/** Options of {@link toXml}. */
export interface ToXmlOptions {
  /** Base name of the sidecar folder `<name>.files/` (default `mcfg`). */
  readonly name?: string;
  /** EFS data larger than this goes to a sidecar file via `NvEfsFile` (default 512, docs/formats/mcfg.md#to-xml). */
  readonly inlineLimit?: number;
}

/** Result of {@link toXml}: the XML text, sidecar files (paths relative to the XML) and the document. */
export interface ToXmlResult {
  readonly xml: string;
  readonly files: Readonly<Record<string, Uint8Array>>;
  readonly document: McfgXmlDocument;
  /** Items written as `nv:RawItem`. */
  readonly rawItems: number;
}

const SAFE_PATH = /^[\x20-\x7e]*$/;
const SIDECAR_PATH = /^(\/[A-Za-z0-9_.+@=,-]+)+$/;

function sameItem(a: McfgItem, b: McfgItem): boolean {
  return (
    a.kind === b.kind &&
    a.type === b.type &&
    a.attrib === b.attrib &&
    a.spOps === b.spOps &&
    a.spare === b.spare &&
    a.nvId === b.nvId &&
    a.path === b.path &&
    bytesEqual(a.data, b.data)
  );
}

function valueMembers(item: McfgItem, dialect: 1 | 2): { members: McfgXmlMember[]; subscriptionMask?: number } {
  const d = item.data;
  const members: McfgXmlMember[] = [];
  let o = 0;
  let subscriptionMask: number | undefined;
  if (item.attrib & MCFG_ATTR.S && d.length > 0) {
    if (dialect === 2) subscriptionMask = d[0]!;
    else members.push(uintMember(d[0]!, 1, 'subscription_mask'));
    o = 1;
  }
  if (item.attrib & MCFG_ATTR.I && d.length > o) {
    members.push(uintMember(d[o]!, 1, 'index'));
    o++;
  }
  if (o < d.length) members.push(bytesMember(d.subarray(o)));
  return { members, ...(subscriptionMask === undefined ? {} : { subscriptionMask }) };
}

function candidate(
  item: McfgItem,
  dialect: 1 | 2,
  name: string,
  inlineLimit: number,
  files: Record<string, Uint8Array>,
): McfgXmlElement | undefined {
  if (item.kind === 'opaque' || item.spOps !== 0 || item.spare !== 0) return undefined;
  const attributes = item.attrib;
  if (item.kind === 'nv') {
    const { members, subscriptionMask } = valueMembers(item, dialect);
    return {
      kind: 'NvItemData',
      id: item.nvId!,
      attributes,
      ...(item.type === 0 ? {} : { variant: item.type }),
      ...(subscriptionMask === undefined ? {} : { subscriptionMask }),
      members,
    };
  }
  const path = item.path!;
  if (!SAFE_PATH.test(path)) return undefined;
  const variant = item.type === 2 ? {} : { variant: item.type };
  const s = item.attrib & MCFG_ATTR.S ? 1 : 0;
  if (
    item.data.length > inlineLimit &&
    SIDECAR_PATH.test(path) &&
    !path.split('/').includes('..') &&
    (item.attrib & MCFG_ATTR.I) === 0 &&
    item.data.length > s
  ) {
    const buildPath = `${name}.files${path}`;
    if (files[buildPath] !== undefined) return undefined;
    files[buildPath] = item.data.slice(s);
    const mask = item.data[0]!;
    return {
      kind: 'NvEfsFile',
      targetPath: path,
      buildPath,
      attributes,
      ...variant,
      ...(s && dialect === 2 ? { subscriptionMask: mask } : {}),
      members: s && dialect === 1 ? [uintMember(mask, 1, 'subscription_mask')] : [],
    };
  }
  const { members, subscriptionMask } = valueMembers(item, dialect);
  return {
    kind: 'NvEfsItemData',
    path,
    attributes,
    ...variant,
    ...(subscriptionMask === undefined ? {} : { subscriptionMask }),
    members,
  };
}

function trailerMembers(
  tlvBytes: Uint8Array,
  dialect: 1 | 2,
): { members: McfgXmlMember[]; comments: Map<number, string> } {
  const t = decodeTrailer(tlvBytes);
  const members: McfgXmlMember[] = [];
  const comments = new Map<number, string>();
  const u32 = (v: Uint8Array): number => (v[0]! | (v[1]! << 8) | (v[2]! << 16) | (v[3]! << 24)) >>> 0;
  for (const tlv of t.tlvs) {
    const v = tlv.value;
    let text = `TLV ${tlv.id} ${TLV_NAMES[tlv.id] ?? 'unknown'}`;
    const isText =
      v.length > 0 &&
      /^[\x20-\x7e]*$/.test(decodeLatin1(v)) &&
      !decodeLatin1(v).startsWith(' ') &&
      !decodeLatin1(v).endsWith(' ');
    if ([1, 5, 7].includes(tlv.id) && v.length === 4) text += `: ${hexUpper(u32(v), 8)}`;
    else if ([3, 9, 10].includes(tlv.id) && isText) text += `: "${decodeLatin1(v)}"`;
    else if (tlv.id === 4 && t.iins) text += `: ${t.iins.wildcard ? 'wildcard, ' : ''}${t.iins.list.join(', ')}`;
    else if (tlv.id === 6 && t.plmns)
      text += `: ${t.plmns.wildcard ? 'wildcard, ' : ''}${t.plmns.list.map((p) => `${p.mcc}-${p.mnc}`).join(', ')}`;
    else if (tlv.id === 2 && t.mccMnc) text += `: ${t.mccMnc.mcc}-${t.mccMnc.mnc}`;
    comments.set(members.length, text);
    members.push(uintMember(tlv.id, 1, 'id'), uintMember(v.length, 2, 'length'));
    if (v.length === 0) continue;
    if ([1, 5, 7].includes(tlv.id) && v.length === 4)
      members.push({ name: 'value', type: 'uint32', sizeOf: 1, value: String(u32(v)) });
    else if (dialect === 2 && [3, 9, 10].includes(tlv.id) && isText && !decodeLatin1(v).includes('  '))
      members.push({ name: 'value', type: 'string', sizeOf: v.length, value: decodeLatin1(v) });
    else members.push(bytesMember(v, 'value'));
  }
  if (t.rest !== undefined && t.rest.length > 0) {
    comments.set(members.length, 'truncated TLV bytes, kept as found');
    members.push(bytesMember(t.rest, 'rest'));
  }
  return { members, comments };
}

/**
 * Decompiles a parsed MBN to canonical MCFG XML plus sidecar files (docs/formats/mcfg.md#to-xml).
 *
 * @example
 * const { xml, files } = toXml(parseMbn(bytes), { name: 'mcfg_sw' });
 * @throws NvError `NV_MBN_ROUNDTRIP` when the trailer cannot be re-encoded (a bug)
 */
export function toXml(file: McfgFile, options: ToXmlOptions = {}): ToXmlResult {
  const name = options.name ?? 'mcfg';
  const inlineLimit = options.inlineLimit ?? 512;
  const dialect: 1 | 2 = file.format === 4 ? 2 : 1;
  const files: Record<string, Uint8Array> = {};
  const resolver: FileResolver = { readFile: (p) => files[p] };
  const ctx: ItemBuildContext = { dialect, resolver, warn: () => {}, depth: 0 };
  const seen = new Set<string>();
  const elements: McfgXmlElement[] = [];
  let rawItems = 0;
  file.items.forEach((item, i) => {
    let el: McfgXmlElement | undefined;
    let made: McfgXmlElement | undefined;
    try {
      el = made = candidate(item, dialect, name, inlineLimit, files);
      if (el !== undefined) {
        const back = elementToItems(el, ctx, `item ${i}`);
        const key = itemKey(item);
        const dup = key !== undefined && seen.has(key) && !isDuplicateAllowed(item);
        if (back.length !== 1 || !sameItem(back[0]!, item) || dup) el = undefined;
        else if (key !== undefined) seen.add(key);
      }
    } catch (error) {
      if (!NvError.isInstance(error)) throw error;
      el = undefined;
    }
    if (el === undefined) {
      if (made?.kind === 'NvEfsFile') delete files[made.buildPath];
      rawItems++;
      const body = item.kind === 'opaque' ? item.data : encodeItem(item).subarray(8);
      el = {
        kind: 'RawItem',
        type: item.type,
        attrib: item.attrib,
        spOps: item.spOps,
        spare: item.spare,
        body: body.slice(),
      };
    }
    elements.push(el);
  });
  const { members, comments } = trailerMembers(file.trailerTlvs, dialect);
  const expectedPad =
    4 -
    ((24 +
      file.items.reduce((s, it) => s + (it.kind === 'opaque' ? 8 + it.data.length : encodeItem(it).length), 0) +
      24 +
      file.trailerTlvs.length) %
      4);
  const padCanonical = file.trailerPad.length === expectedPad && file.trailerPad.every((b) => b === 0);
  let container: string | undefined;
  let suffix: string | undefined;
  if (file.container.kind === 'bare') container = 'bare';
  else if (!file.container.canonical && file.container.prefix !== undefined) {
    container = `${name}.files/container.bin`;
    files[container] = file.container.prefix;
  }
  if (file.container.suffix !== undefined) {
    suffix = `${name}.files/suffix.bin`;
    files[suffix] = file.container.suffix;
  }
  const defaultFormat = dialect === 1 ? 3 : 4;
  const document: McfgXmlDocument = {
    dialect,
    ...(file.format === defaultFormat ? {} : { format: file.format }),
    config: { carrierIndex: file.carrierIndex, version: file.version, type: file.configType },
    elements,
    trailer: members,
    ...(file.spareCrc === 0 ? {} : { spareCrc: file.spareCrc }),
    ...(padCanonical ? {} : { trailerPad: file.trailerPad }),
    ...(container === undefined ? {} : { container }),
    ...(suffix === undefined ? {} : { suffix }),
  };
  const check = concatBytes(...members.map((m) => elementToTrailerBytes(m, dialect)));
  if (!bytesEqual(check, file.trailerTlvs))
    throw new NvError('NV_MBN_ROUNDTRIP', 'the trailer TLVs did not re-encode identically; please report this file');
  return { xml: writeMcfgXml(document, comments), files, document, rawItems };
}

function elementToTrailerBytes(m: McfgXmlMember, dialect: 1 | 2): Uint8Array {
  return encodeMember(m, dialect, 'NvTrlRecord').bytes;
}
