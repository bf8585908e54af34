/**
 * `@nv/qcom-efs`: Qualcomm static NV offline — EFS tree model, the device tar/tar.gz (`fs_image.tar.gz`),
 * QCN (MS-CFB) read/write, QCN ↔ EFS tree, NvSource/NvDefinition compile and the preload lint
 * (`qcom-efs.md`). Pure and browser-safe; Node file helpers are in `@nv/qcom-efs/node`.
 * @module
 */
export { EFS_ERROR_CODES } from './errors.ts';
export {
  DEFAULT_MODES,
  DEVICE_MTIME,
  MAX_ITEM_BYTES,
  S_IFDIR,
  S_IFITM,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  compareBytewise,
  defaultKind,
  deviceOrder,
  normalizeEfsPath,
  normalizeEfsTree,
  parentPath,
} from './tree.ts';
export type { EfsEntry, EfsEntryType, EfsTree, EfsWarning, NormalizeOptions } from './tree.ts';
export {
  REPACK_HINT,
  TAR_BLOCK,
  decodeTar,
  efsTarChunks,
  encodeEfsTar,
  encodeTarHeader,
  parsePaxRecords,
  tarToEfsTree,
  ustarSplit,
} from './tar.ts';
export type { TarDecodeOptions, TarEncodeOptions, TarFormat, TarMember } from './tar.ts';
export { GZIP_HEADER, MAX_EFS_INFLATED_BYTES, crc32, decodeGzip, encodeGzip, gzipTrailer } from './gzip.ts';
export type { DeflateBackend, GunzipOptions, GzipOptions } from './gzip.ts';
export { listEfsTree, readEfsImage, unwrapFsgContainer } from './image.ts';
export type { EfsImage, EfsListEntry, ReadEfsImageOptions, SignedUnwrapper } from './image.ts';
export { MANIFEST_NAME, decodeManifest, encodeManifest } from './manifest.ts';
export { repackHostEntries } from './repack.ts';
export type { HostTarEntry, RepackOptions, RepackRepair, RepairKind } from './repack.ts';
export type { EfsManifest, ManifestEntry } from './manifest.ts';
export { compareCfbNames, decodeCfb, encodeCfb, hasCfbSignature } from './cfb.ts';
export { sniffContainer } from './sniff.ts';
export type { ContainerKind } from './sniff.ts';
export type { CfbEntry, CfbWriteOptions } from './cfb.ts';
export {
  EFS_BACKUP_HEADER,
  NUMBERED_STORAGE,
  QCN_PAYLOAD_BYTES,
  QCN_RECORD_BYTES,
  QCN_STORES,
  decodeQcn,
  encodeQcn,
  isOpaqueQcnStream,
  qcnFromEntries,
  qcnToEntries,
} from './qcn.ts';
export type { Qcn, QcnEfsFile, QcnItem, QcnPropertyInfo, QcnStore, QcnWriteOptions } from './qcn.ts';
export { efsTreeToQcn, nvInfoFromTree, parseNvInfo, qcnToEfsTree } from './qcn-efs.ts';
export { NV_ITEM_PATH_RE, nvItemPath } from './nv-path.ts';
export type { EfsToQcnOptions, NvInfoEntry, QcnToEfsOptions } from './qcn-efs.ts';
export { MAX_XML_BYTES, XINCLUDE_NS, joinPath, loadXml, parseXml, resolveCaseInsensitive } from './xml.ts';
export type { XmlElement, XmlResolver } from './xml.ts';
export {
  PRIMITIVES,
  compileNvFiles,
  compileNvSource,
  layoutSize,
  nvInfoFromDefinition,
  parseNvDefinition,
} from './compile.ts';
export type { CompileOptions, CompileResult, NvDataType, NvDefinition, NvItemDefinition, NvMember } from './compile.ts';
export {
  FACTORY_NV_IDS,
  RUNTIME_PATHS,
  lintEfsImage,
  lintEfsTree,
  lintQcn,
  parseLintLists,
  stripFactoryFromQcn,
  stripFactoryFromQcnEntries,
  stripFactoryFromTree,
} from './lint.ts';
export type { LintFinding, LintLists, LintOptions, StrippedEntry } from './lint.ts';
export { decodeXqcn, encodeXqcn } from './xqcn.ts';
export {
  QCN_JSON_FORMAT,
  QCN_JSON_VERSION,
  decodeEfsFile,
  decodeQcnItem,
  decodeWithDefinition,
  diffQcn,
  qcnFromJson,
  qcnToJson,
} from './qcn-doc.ts';
export type {
  DecodedFields,
  DecodedItem,
  DecodedValue,
  QcnDiff,
  QcnDiffEntry,
  QcnJson,
  QcnJsonEfsFile,
  QcnJsonItem,
  QcnJsonStream,
} from './qcn-doc.ts';
