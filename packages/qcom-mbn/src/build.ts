/**
 * MCFG XML → MBN (docs/formats/mcfg.md#build), byte-identical to the vendor JO generator: the document's items
 * (`items.ts`), encoded as a segment (`encode.ts`) and wrapped in its container.
 * @module
 */
import type { HashOptions } from './elf.ts';
import { buildItems, encodeMembers, type ItemBuildContext, type ItemOptions } from './items.ts';
import { encodeMcfgSegment, wrapSegment } from './encode.ts';
import { NO_FILES, type FileResolver, type McfgXmlDocument } from './model.ts';

/** Options of {@link buildMbn}. */
export interface BuildMbnOptions extends HashOptions, ItemOptions {
  /** Header format (default: `nv:format`, else 3 for dialect 1, 4 for dialect 2). */
  readonly format?: number;
  /** Remove the signature of a signed kept container (`nv:container`), for unsigned use. */
  readonly stripSignature?: boolean;
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
  const trailerTlvs = encodeMembers(doc.trailer, ctx, 'NvTrlRecord');
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
