/**
 * Number parsing used by every format and the CLI: decimal or `0x` hexadecimal, lists, range checks.
 * Leading zeros are decimal (`0012` is 12, never octal), and nothing is silently rounded or clipped.
 * @module
 */
import { NvError, type NvErrorOptions } from './errors.ts';

/** Where a number came from and what range it must be in. */
export interface ParseNumberOptions extends NvErrorOptions {
  /** Name of the field, used in messages (e.g. `--sw-id`, `member rf_mode`). */
  readonly what?: string;
  /** Smallest allowed value (inclusive). */
  readonly min?: number;
  /** Largest allowed value (inclusive). */
  readonly max?: number;
}

/** Same as {@link ParseNumberOptions} with `bigint` bounds. */
export interface ParseBigIntOptions extends NvErrorOptions {
  readonly what?: string;
  readonly min?: bigint;
  readonly max?: bigint;
}

const DEC = /^-?[0-9]+$/;
const HEX = /^-?0[xX][0-9a-fA-F]+$/;

function parseToBigInt(text: string, what: string, where: NvErrorOptions): bigint {
  const t = text.trim();
  if (DEC.test(t)) return BigInt(t);
  if (HEX.test(t)) {
    const neg = t.startsWith('-');
    const v = BigInt(neg ? t.slice(1) : t);
    return neg ? -v : v;
  }
  const shown = t.length > 40 ? `${t.slice(0, 40)}…` : t;
  throw new NvError('NV_BAD_NUMBER', `${what} "${shown}" is not a number; write decimal (27) or hex with 0x (0x1B)`, {
    ...where,
    data: { what, token: shown },
  });
}

function rangeError(
  what: string,
  value: bigint | number,
  min: bigint | number | undefined,
  max: bigint | number | undefined,
  where: NvErrorOptions,
): NvError {
  const range = `${min ?? '-∞'}..${max ?? '∞'}`;
  return new NvError('NV_RANGE', `${what} ${value} is out of range ${range}`, {
    ...where,
    data: {
      what,
      value: String(value),
      min: min === undefined ? null : String(min),
      max: max === undefined ? null : String(max),
    },
  });
}

/**
 * Parses a decimal or `0x` hex integer that fits a JS safe integer, with an optional range.
 *
 * @example
 * parseInteger('0x1B', { what: '--sw-id', min: 0, max: 0xffffffff }) // 27
 * @throws NvError `NV_BAD_NUMBER` for non-numbers, `NV_RANGE` outside `min..max`.
 */
export function parseInteger(text: string, options: ParseNumberOptions = {}): number {
  const { what = 'value', min, max, ...where } = options;
  const big = parseToBigInt(text, what, where);
  const lo = min ?? Number.MIN_SAFE_INTEGER;
  const hi = max ?? Number.MAX_SAFE_INTEGER;
  if (big < BigInt(lo) || big > BigInt(hi)) throw rangeError(what, big, lo, hi, where);
  return Number(big);
}

/**
 * Parses a decimal or `0x` hex integer of any size as `bigint` (64-bit fields and beyond).
 * @throws NvError `NV_BAD_NUMBER`, `NV_RANGE`.
 */
export function parseBigInteger(text: string, options: ParseBigIntOptions = {}): bigint {
  const { what = 'value', min, max, ...where } = options;
  const big = parseToBigInt(text, what, where);
  if ((min !== undefined && big < min) || (max !== undefined && big > max))
    throw rangeError(what, big, min, max, where);
  return big;
}

/**
 * Parses a list of integers separated by commas and/or white space (`"1, 2 0x03"`). An empty string is an empty list.
 * @throws NvError `NV_BAD_NUMBER` naming the bad element's index, `NV_RANGE`.
 */
export function parseIntegerList(text: string, options: ParseNumberOptions = {}): number[] {
  const tokens = splitList(text);
  return tokens.map((tok, i) => parseInteger(tok, { ...options, what: `${options.what ?? 'value'}[${i}]` }));
}

/** {@link parseIntegerList} for `bigint` elements. */
export function parseBigIntegerList(text: string, options: ParseBigIntOptions = {}): bigint[] {
  return splitList(text).map((tok, i) =>
    parseBigInteger(tok, { ...options, what: `${options.what ?? 'value'}[${i}]` }),
  );
}

function splitList(text: string): string[] {
  const t = text.trim();
  if (t === '') return [];
  const tokens = t.split(/\s*,\s*|\s+/);
  // "1,,2" or a trailing comma leaves an empty token: that is a typo, not a zero.
  const empty = tokens.indexOf('');
  if (empty !== -1)
    throw new NvError(
      'NV_BAD_NUMBER',
      `list "${t.length > 40 ? `${t.slice(0, 40)}…` : t}" has an empty element at position ${empty}`,
    );
  return tokens;
}

/** Throws `NV_RANGE` unless `value` is an integer within `min..max`. */
export function checkRange(
  value: number,
  min: number,
  max: number,
  options: Omit<ParseNumberOptions, 'min' | 'max'> = {},
): number {
  const { what = 'value', ...where } = options;
  if (!Number.isInteger(value) || value < min || value > max) throw rangeError(what, value, min, max, where);
  return value;
}

/** `0x` + upper-case hex, zero-padded to `digits`. */
export function formatHex(value: number | bigint, digits = 0): string {
  if (typeof value === 'number' && (!Number.isInteger(value) || value < 0))
    throw new RangeError(`formatHex needs a non-negative integer, got ${value}`);
  if (typeof value === 'bigint' && value < 0n)
    throw new RangeError(`formatHex needs a non-negative integer, got ${value}`);
  return `0x${value.toString(16).toUpperCase().padStart(digits, '0')}`;
}
