/**
 * MCFG XML elements → binary items (docs/formats/mcfg.md#items steps 1–2, docs/formats/mcfg.md#values,
 * docs/formats/mcfg.md#dialects): member encoding, trimming, subscription masks, `buildPath` files, folders, PRL and
 * group files, then duplicate handling over the document.
 * @module
 */
import { NvError } from '@nv/core';
import { concatBytes } from '@nv/core/bytes';
import { encodeMember } from './member.ts';
import {
  MAX_NV_ID,
  MCFG_ATTR,
  NO_FILES,
  type FileResolver,
  type McfgFinding,
  type McfgItem,
  type McfgXmlDocument,
  type McfgXmlElement,
  type McfgXmlMember,
} from './model.ts';
import { isDuplicateAllowed, isForbiddenEfsPath, isForbiddenNvId, isTrimmed, itemKey } from './rules.ts';
import { parseMcfgXml } from './xml.ts';

/** Options of {@link buildItems} (and of `buildMbn`, which extends them). */
export interface ItemOptions {
  /** Override the document's dialect. */
  readonly dialect?: 1 | 2;
  /** Receives warnings (dropped duplicates, masked values, directory order …). */
  readonly onWarning?: (finding: McfgFinding) => void;
  /** `jo`: emulate the JO generator's leading-whitespace quirk (docs/formats/mcfg.md#values, inferred): an extra leading 0 element. */
  readonly quirks?: 'jo';
}

const MAX_EFS_DATA = 0xffff;
const MAX_GROUP_DEPTH = 8;
const MAX_DIR_FILES = 100_000;

/** Context of {@link elementToItems}. */
export interface ItemBuildContext {
  readonly dialect: 1 | 2;
  readonly resolver: FileResolver;
  readonly warn: (f: McfgFinding) => void;
  readonly depth: number;
  /** `jo`: emulate the dialect-1 generator's untrimmed leading whitespace (an extra leading 0 element, docs/formats/mcfg.md#values). */
  readonly quirks?: 'jo';
}

/**
 * Encodes `Member` elements one after the other (docs/formats/mcfg.md#values), with the dialect-1 whitespace and
 * overflow warnings; item payloads and the `NvTrlRecord` TLV bytes.
 *
 * @example
 * encodeMembers(doc.trailer, { dialect: 1, resolver: NO_FILES, warn: () => {}, depth: 0 }, 'NvTrlRecord');
 */
export function encodeMembers(members: readonly McfgXmlMember[], ctx: ItemBuildContext, path: string): Uint8Array {
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
      const data = withMask(attrib, el.subscriptionMask, encodeMembers(el.members, ctx, where), ctx);
      const item = finish('nv', el.variant ?? 0, attrib, data, { nvId: el.id }, ctx, where);
      return item ? [item] : [];
    }
    case 'NvEfsItemData': {
      const attrib = el.attributes ?? 0;
      attrChecks(attrib, el.subscriptionMask, ctx, where);
      const data = withMask(attrib, el.subscriptionMask, encodeMembers(el.members, ctx, where), ctx);
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
  options: ItemOptions = {},
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
