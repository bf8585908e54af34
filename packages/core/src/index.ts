/**
 * `@nv/core`: shared internals of the @nv toolkit — the typed error (`NvError`, stable `NV_*` codes, one table per
 * package), resource limits and the progress interface. Pure and browser-safe. One module per concept has its own
 * entry: `@nv/core/bytes` (bounds-checked reader/writer, byte helpers), `@nv/core/numbers` (decimal/`0x` parsing),
 * `@nv/core/hash` (SHA-1/256/384 through `@noble/hashes`), `@nv/core/node` (atomic file writes, node:crypto digests).
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
export { DEFAULT_LIMITS, enforceLimit, resolveLimits } from './limits.ts';
export type { Limits } from './limits.ts';
export { SILENT_PROGRESS } from './progress.ts';
export type { ProgressReporter } from './progress.ts';
