/**
 * Hard limits for untrusted input. Every length, count and offset read from a file is checked against
 * one of these before anything is allocated or looped over.
 * @module
 */
import { checkLimit, type NvErrorOptions } from './errors.ts';

/** Maximum sizes and counts a parser accepts. */
export interface Limits {
  /** Whole input size in bytes. */
  readonly maxInputBytes: number;
  /** Bytes a decompressor may produce. */
  readonly maxInflatedBytes: number;
  /** Entries in a container (tar members, QCN streams, MCFG items…). */
  readonly maxEntries: number;
  /** Records in one file (LID records, NV array elements…). */
  readonly maxRecords: number;
  /** Characters of one string or name. */
  readonly maxStringLength: number;
  /** Nesting depth (XML includes, directories, LID_BIT structs). */
  readonly maxDepth: number;
}

/** Defaults sized for real modem data with room to spare: partitions are at most a few hundred MiB. */
export const DEFAULT_LIMITS: Limits = Object.freeze({
  maxInputBytes: 512 * 1024 * 1024,
  maxInflatedBytes: 512 * 1024 * 1024,
  maxEntries: 1_000_000,
  maxRecords: 1_000_000,
  maxStringLength: 64 * 1024,
  maxDepth: 64,
});

/** Merges per-call overrides over {@link DEFAULT_LIMITS}, checking each is a non-negative number. */
export function resolveLimits(overrides: Partial<Limits> = {}): Limits {
  const merged = { ...DEFAULT_LIMITS, ...overrides };
  for (const [key, value] of Object.entries(merged)) {
    if (typeof value !== 'number' || !(value >= 0)) throw new RangeError(`limit ${key} must be a non-negative number`);
  }
  return Object.freeze(merged);
}

/** Throws `NV_LIMIT` when `value` exceeds the named limit. */
export function enforceLimit(limits: Limits, key: keyof Limits, value: number, where: NvErrorOptions = {}): void {
  checkLimit(key, value, limits[key], where);
}
