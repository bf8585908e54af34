/**
 * `@nv/qcom-mbn`: Qualcomm MCFG carrier configuration (`mcfg_sw.mbn`, `mcfg_hw.mbn`): MCFG XML ↔ ELF MBN,
 * byte-exact both ways, lint and diff. Pure: `Uint8Array` and plain objects in and out.
 * Spec: docs/formats/mcfg.md.
 *
 * The task-level API: build (XML → MBN), parse and decompile (MBN → XML), inspect, re-hash, lint, diff, the
 * trailer's selection data, a sample document, and the error table. Byte-level pieces (segment and container
 * encoding, item rules, member values) are internal modules.
 * @module
 */
export { MBN_ERROR_CODES } from './errors.ts';
export type { MbnErrorCode } from './errors.ts';
export { MCFG_ATTR } from './model.ts';
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
export type { HashOptions, HashSegmentInfo, HashSignature, RewrapOptions, Sha384, SignatureVerifier } from './elf.ts';
export { parseMcfgXml, writeMcfgXml } from './xml.ts';
export type { ParseMcfgXmlOptions } from './xml.ts';
export { buildMbn } from './build.ts';
export type { BuildMbnOptions } from './build.ts';
export type { ItemOptions } from './items.ts';
export { parseMbn } from './parse.ts';
export type { ParseMbnOptions } from './parse.ts';
export { toXml } from './to-xml.ts';
export type { ToXmlOptions, ToXmlResult } from './to-xml.ts';
export { inspectMbn, rehashMbn, summarizeMcfg } from './inspect.ts';
export type { McfgSummary } from './inspect.ts';
export { lintMbn, lintMcfgXml } from './lint.ts';
export type { LintOptions, LintProfile, LintResult } from './lint.ts';
export { diffMbn, diffRows } from './diff.ts';
export type { McfgDiff, McfgDiffChange, McfgDiffValue } from './diff.ts';
export { decodeTrailer, encodeTrailer } from './trailer.ts';
export type { McfgPlmn, McfgTlv, McfgTrailer, McfgTrailerInput } from './trailer.ts';
export { sampleMcfgXml } from './sample.ts';
export type { SampleMcfgOptions } from './sample.ts';
