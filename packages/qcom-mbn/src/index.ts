/**
 * `@nv/qcom-mbn`: Qualcomm MCFG carrier configuration (`mcfg_sw.mbn`, `mcfg_hw.mbn`): MCFG XML ↔ ELF MBN,
 * byte-exact both ways, lint and diff. Pure: `Uint8Array` and plain objects in and out.
 * Spec: docs/formats/mcfg.md.
 * @module
 */
export { MBN_ERROR_CODES, MBN_ERROR_CODES as MBN_ERRORS } from './errors.ts';
export { MAX_NV_ID, MCFG_ATTR, NO_FILES, VERSION_RECORD_ID } from './model.ts';
export type {
  FileResolver,
  McfgContainer,
  McfgFile,
  McfgFinding,
  McfgItem,
  McfgXmlDocument,
  McfgXmlElement,
  McfgXmlItemCommon,
  McfgXmlMember,
  SignatureVerdict,
} from './model.ts';
export { encodeMember, memberWidth } from './member.ts';
export { MAX_XML_CHARS, NV_XML_NAMESPACE, parseMcfgXml, writeMcfgXml } from './xml.ts';
export type { ParseMcfgXmlOptions } from './xml.ts';
export { TLV_NAMES, decodeTrailer, encodeTrailer } from './trailer.ts';
export type { McfgPlmn, McfgTlv, McfgTrailer, McfgTrailerInput } from './trailer.ts';
export { CANONICAL_DATA_OFFSET, CANONICAL_HASH_OFFSET, openContainer, rewrapContainer, wrapCanonical } from './elf.ts';
export type {
  HashOptions,
  HashSegmentInfo,
  HashSignature,
  OpenedContainer,
  RewrapOptions,
  Sha384,
  SignatureVerifier,
} from './elf.ts';
export { buildMbn } from './build.ts';
export type { BuildMbnOptions } from './build.ts';
export { buildItems, elementToItems } from './items.ts';
export type { ItemBuildContext, ItemOptions } from './items.ts';
export { encodeItem, encodeMcfgSegment, wrapSegment } from './encode.ts';
export type { McfgSegmentParts } from './encode.ts';
export { isDuplicateAllowed, isForbiddenEfsPath, isForbiddenNvId, isTrimmed, itemKey } from './rules.ts';
export { parseMbn } from './parse.ts';
export type { ParseMbnOptions } from './parse.ts';
export { toXml } from './to-xml.ts';
export type { ToXmlOptions, ToXmlResult } from './to-xml.ts';
export { lintMbn, lintMcfgFile, lintMcfgXml } from './lint.ts';
export type { LintOptions, LintProfile, LintResult } from './lint.ts';
export { describeItem, diffIsEmpty, diffKey, diffMbn, formatDiffChange, formatDiffValue } from './diff.ts';
export type { McfgDiff, McfgDiffChange, McfgDiffValue } from './diff.ts';
export { inspectMbn, rehashMbn, summarizeMcfg } from './inspect.ts';
export type { McfgSummary } from './inspect.ts';
export { sampleMcfgXml } from './sample.ts';
export type { SampleMcfgOptions } from './sample.ts';
