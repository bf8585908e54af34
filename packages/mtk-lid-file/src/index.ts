/**
 * `@nv/mtk-lid-file`: MediaTek LID files of both generations — decode, encode and verify them (names, headers,
 * checksums, ciphers, copies), LID_BIT field descriptions, AP-side files and the nvram bin region. Pure functions.
 * Folder and ext4-image I/O: `./node`; the modem's own behaviour (defaults, external API): `./modem`.
 * @module
 */
export type { LidErrorCode } from './errors.ts';
export { LID_ERROR_CODES } from './errors.ts';
export { LID_LIMITS } from './limits.ts';
export type { LidCopy, LidFileName } from './names.ts';
export { parseLidFileName, isLidFileName } from './names.ts';
export type {
  LidGeneration,
  LidEntry,
  LidKey,
  LdiHeader,
  LidRecord,
  LidDecoded,
  LidCodecOptions,
  LidCrypto,
  LidEncodeOptions,
  LidNamedFile,
  LidLayout,
  LidLayoutHint,
} from './lid-file.ts';
export { detectLidGeneration, decodeLidFile, encodeLidFile, encodeLidFiles } from './lid-file.ts';
export { lidKeyFromBytes } from './keys.ts';
export { effectiveLidEntry } from './entry.ts';
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
export { parseLidBit, decodeLidBitRecord, applyLidBitEdits } from './lid-bit.ts';
export type { ApFileCheck, FileVerEntry } from './ap.ts';
export { checkApFile, parseFileVer } from './ap.ts';
export type { ApVerifyFile, ApVerifyResult } from './ap-verify.ts';
export { verifyApFiles } from './ap-verify.ts';
export type {
  BinRegionOptions,
  BinRegionBuildOptions,
  BinRegionTitle,
  BinRegionFile,
  BinRegionWarning,
  BinRegionInspection,
} from './bin-region.ts';
export { inspectBinRegion, patchBinRegionFile, buildBinRegion } from './bin-region.ts';
export type { LidVerifyFile, LidVerifyResult, LidVerifyOptions } from './verify.ts';
export { verifyLidFiles } from './verify.ts';
