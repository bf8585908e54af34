/**
 * `@nv/mtk-lid-file`: MediaTek LID files of both generations (names, headers, checksums, ciphers, copies,
 * defaults, external read/write), LID_BIT descriptions, AP-side files and the nvram bin region. Pure functions.
 * @module
 */
export { LID_ERROR_CODES } from './errors.ts';
export type { AesKey } from './crypto.ts';
export { md5, aesExpandKey, aesEcbEncrypt, aesEcbDecrypt, aesCbcEncrypt, rc4KeySchedule, rc4Xor } from './crypto.ts';
export { LID_ZERO_CHECKSUM, cs2, cs2Raw, cs2Accepts, chk8, chk8View, ldiHeaderChecksum } from './checksum.ts';
export type { LidCopy, LidFileName, LidFolder } from './names.ts';
export { parseLidFileName, isLidFileName, composeLidFileName, lidFileNamesOf, lidFolder } from './names.ts';
export type {
  LidGeneration,
  LidEntry,
  LidKey,
  LdiHeader,
  LidRecord,
  LidDecoded,
  LidCodecOptions,
  LidEncodeOptions,
  LidNamedFile,
  LidReconcileResult,
  LidLayout,
  LidLayoutHint,
} from './lid-file.ts';
export {
  LID_MAX_FILE_BYTES,
  LDI_HEADER_SIZE,
  sectionSizeA,
  sectionSizeB,
  lidFileSize,
  decodeLdiHeader,
  encodeLdiHeader,
  detectLidGeneration,
  findLidLayouts,
  describeLidLayouts,
  LID_LAYOUT_SEARCH_MAX_BYTES,
  decodeLidFile,
  encodeLidFile,
  encodeLidFiles,
  reconcileCopies,
} from './lid-file.ts';
export type { LidKeyTables } from './keys.ts';
export { LID_DEFAULT_KEY_SEED, deriveLidKey, lidKeyFromBytes } from './keys.ts';
export type { LidEntryWithDefault, LidDefaultOptions } from './defaults.ts';
export { defaultRecords } from './defaults.ts';
export type { LidStore, LidApiOptions, LidApiEvent, LidReadResult, LidWriteResult } from './store.ts';
export { lidStoreNames, externalRead, externalWrite, externalReset, defaultLidFiles } from './store.ts';
export type {
  LidBitValue,
  LidBitField,
  LidBitLid,
  LidBitWarning,
  LidBitResult,
  LidBitOptions,
  LidBitFieldValue,
  LidBitShape,
  LidBitJsonValue,
  LidBitEdit,
} from './lid-bit.ts';
export { LID_BIT_MAX_CHARS, parseLidBit, decodeLidBitRecord, encodeLidBitRecord, applyLidBitEdits } from './lid-bit.ts';
export type { ApFileCheck, FileVerEntry } from './ap.ts';
export { apCheckNo, encodeApFile, checkApFile, parseFileVer, encodeFileVer } from './ap.ts';
export type {
  BinRegionSource,
  BinRegionMap,
  BinRegionChecksum,
  BinRegionOptions,
  BinRegionBuildOptions,
  BinRegionTitle,
  BinRegionFile,
  BinRegionWarning,
  BinRegionInspection,
} from './bin-region.ts';
export {
  BIN_REGION_MAX_BYTES,
  BIN_REGION_BLOCK_SIZE,
  binRegionChecksum,
  createBinRegionChecksum,
  readBinRegionMap,
  scanBinRegionTitles,
  inspectBinRegion,
  unpackBinRegion,
  extractBinRegionFile,
  patchBinRegionFile,
  buildBinRegion,
} from './bin-region.ts';
export type { LidVerifyFile, LidVerifyResult, LidVerifyOptions } from './verify.ts';
export { verifyLidFiles } from './verify.ts';
export { lidGenerationOf, effectiveLidEntry } from './entry.ts';
export type { ApVerifyFile, ApVerifyResult } from './ap-verify.ts';
export { verifyApFiles } from './ap-verify.ts';
export { readBinRegionFiles } from './bin-region-files.ts';
