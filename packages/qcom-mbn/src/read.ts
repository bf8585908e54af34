/**
 * `@nv/qcom-mbn/read`: reading MCFG MBNs without the XML layer — parse, inspect, re-hash, diff, the trailer's
 * selection data. The same functions as the main entry; an importer that never builds or decompiles XML (`nv qcom
 * mbn inspect`/`diff`, the device simulator) loads neither `xml.ts` nor fast-xml-parser (issue 17: start-up).
 * @module
 */
export { MCFG_ATTR } from './model.ts';
export type { McfgContainer, McfgFile, McfgFinding, McfgItem, SignatureVerdict } from './model.ts';
export type { HashOptions, HashSegmentInfo, HashSignature, Sha384, SignatureVerifier } from './elf.ts';
export { parseMbn } from './parse.ts';
export type { ParseMbnOptions } from './parse.ts';
export { inspectMbn, rehashMbn, summarizeMcfg } from './inspect.ts';
export type { McfgSummary } from './inspect.ts';
export { diffMbn, diffRows } from './diff.ts';
export type { McfgDiff, McfgDiffChange, McfgDiffValue } from './diff.ts';
export { decodeTrailer } from './trailer.ts';
export type { McfgPlmn, McfgTlv, McfgTrailer } from './trailer.ts';
