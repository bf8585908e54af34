/**
 * `@nv/qcom-efs/binary`: the binary formats without the XML layer — QCN (compound file) decode/encode, QCN ↔ EFS
 * tree, the device tar.gz (read, list, pack) and container sniffing. The same functions as the main entry; an
 * importer that never reads NvDefinition/NvSource XML or XQCN (the device simulator, `@nv/qcom-diag`'s flows) loads
 * neither `xml.ts` nor fast-xml-parser (issue 17: start-up).
 * @module
 */
export type { EfsEntry, EfsEntryType, EfsTree, EfsWarning, NormalizeOptions } from './tree.ts';
export type { DeflateBackend, GunzipOptions, GzipOptions } from './gzip.ts';
export type { TarDecodeOptions, TarEncodeOptions, TarFormat, TarMember } from './tar.ts';
export { decodeQcn, encodeQcn } from './qcn.ts';
export type { Qcn, QcnEfsFile, QcnItem, QcnPropertyInfo, QcnStore, QcnWriteOptions } from './qcn.ts';
export { efsTreeToQcn, nvInfoFromTree, qcnToEfsTree } from './qcn-efs.ts';
export type { EfsToQcnOptions, NvInfoEntry, QcnToEfsOptions } from './qcn-efs.ts';
export { listEfsTree, packEfsImage, readEfsImage } from './image.ts';
export type {
  EfsImage,
  EfsListEntry,
  PackEfsImageOptions,
  PackedEfsImage,
  ReadEfsImageOptions,
  SignedUnwrapper,
} from './image.ts';
export { sniffContainer } from './sniff.ts';
export type { ContainerKind } from './sniff.ts';
