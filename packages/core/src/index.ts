/**
 * `@nv/core`: shared internals of the @nv toolkit. Pure and browser-safe; Node file helpers are in `@nv/core/node`.
 * @module
 */
export { CORE_ERROR_CODES, NvError, checkLimit, defineErrorCodes } from './errors.ts';
export type {
  CoreErrorCode,
  ErrorCodeInfo,
  ErrorCodeTable,
  NvErrorCode,
  NvErrorCodes,
  NvErrorJson,
  NvErrorOptions,
} from './errors.ts';
export {
  ByteReader,
  ByteWriter,
  bytesEqual,
  bytesToHex,
  concatBytes,
  decodeLatin1,
  decodeUtf8,
  encodeLatin1,
  encodeUtf8,
  firstDifference,
  hexToBytes,
} from './bytes.ts';
export type { ByteReaderOptions } from './bytes.ts';
export {
  checkRange,
  formatHex,
  parseBigInteger,
  parseBigIntegerList,
  parseInteger,
  parseIntegerList,
} from './numbers.ts';
export type { ParseBigIntOptions, ParseNumberOptions } from './numbers.ts';
export { DEFAULT_LIMITS, enforceLimit, resolveLimits } from './limits.ts';
export type { Limits } from './limits.ts';
export { createSha256, sha1, sha256, sha256Hex, sha384 } from './hash.ts';
export type { IncrementalHash } from './hash.ts';
export { SILENT_PROGRESS } from './progress.ts';
export type { ProgressReporter } from './progress.ts';
