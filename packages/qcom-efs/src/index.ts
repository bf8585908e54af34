/**
 * `@nv/qcom-efs`: Qualcomm static NV offline — NvSource/NvDefinition compile, QCN (MS-CFB, XQCN, JSON) read/write,
 * QCN ↔ EFS tree, the device tar/tar.gz (`fs_image.tar.gz`) pack/unpack/list, the preload lint and container
 * sniffing (`qcom-efs.md`). Pure and browser-safe; Node file helpers are in `@nv/qcom-efs/node`, the shared model
 * rules (path rule, default modes) in `@nv/qcom-efs/model`.
 * @module
 */
export { EFS_ERROR_CODES } from './errors.ts';
export type { EfsErrorCode } from './errors.ts';
export type { EfsEntry, EfsEntryType, EfsTree, EfsWarning, NormalizeOptions } from './tree.ts';
export type { DeflateBackend, GunzipOptions, GzipOptions } from './gzip.ts';
export type { TarDecodeOptions, TarEncodeOptions, TarFormat, TarMember } from './tar.ts';
export type { XmlElement, XmlResolver } from './xml.ts';

// Compile NvSource → QCN.
export { compileNvFiles, nvInfoFromDefinition, parseNvDefinition } from './compile.ts';
export type {
  CompileOptions,
  CompileResult,
  DefinitionOptions,
  NvDataType,
  NvDefinition,
  NvItemDefinition,
  NvMember,
} from './compile.ts';

// QCN read/write/decode/encode.
export { decodeQcn, encodeQcn } from './qcn.ts';
export type { Qcn, QcnEfsFile, QcnItem, QcnPropertyInfo, QcnStore, QcnWriteOptions } from './qcn.ts';
export { readQcnDocument, writeQcnDocument } from './qcn-document.ts';
export type { QcnDocument, QcnFormat, QcnStreamInfo } from './qcn-document.ts';
export { decodeQcnValues, diffQcn } from './qcn-doc.ts';
export type {
  DecodedFields,
  DecodedItem,
  DecodedQcnFile,
  DecodedQcnItem,
  DecodedValue,
  QcnDiff,
  QcnDiffEntry,
  QcnJson,
  QcnJsonEfsFile,
  QcnJsonItem,
  QcnJsonStream,
} from './qcn-doc.ts';

// QCN ↔ EFS tree.
export { efsTreeToQcn, nvInfoFromTree, qcnToEfsTree } from './qcn-efs.ts';
export type { EfsToQcnOptions, NvInfoEntry, QcnToEfsOptions } from './qcn-efs.ts';

// The device tar.gz: unpack, list, pack; sniffing a container.
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
export type { HostTarEntry, RepackOptions, RepackRepair, RepairKind } from './repack.ts';

// Preload lint.
export { lint, stripFactory } from './lint.ts';
export type {
  LintFinding,
  LintLists,
  LintOptions,
  LintResult,
  LintSubject,
  StripOptions,
  StrippedEntry,
} from './lint.ts';
