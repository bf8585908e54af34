/**
 * Typed errors with stable `NV_*` codes. Every package declares its own code table with
 * {@link defineErrorCodes}; the docs render all tables, and the CLI prints {@link NvError.toJSON}.
 * @module
 */

/** What one code means and what a person can do about it. Rendered by the docs site. */
export interface ErrorCodeInfo {
  /** One sentence: what went wrong. */
  readonly meaning: string;
  /** One sentence: what to do about it. */
  readonly fix: string;
}

/** A package's table of codes, keyed by the full `NV_…` code; `C` is the union of its codes. */
export type ErrorCodeTable<C extends string = string> = { readonly [K in C]: ErrorCodeInfo };

/**
 * Declares a package's error-code table, checking that every code carries the package's prefix and
 * the `NV_[A-Z0-9_]+` shape (at compile time through the key type, and again at run time). The keys stay a
 * literal union. Codes are never renamed or reused once published.
 *
 * Every table has the same shape (a repository rule checks it): a module-local `CODES` object literal of
 * `{ meaning, fix }` string entries (literal, so `isolatedDeclarations` can type it), the code union, the exported
 * table made by this function and typed with the union, and the union registered in {@link NvErrorCodes} so that
 * `new NvError()` accepts the codes:
 *
 * @example
 * const CODES = {
 *   NV_MBN_BAD_MAGIC: { meaning: 'The MCFG magic is wrong.', fix: 'Check that the file is an MCFG MBN.' },
 * };
 * export type MbnErrorCode = keyof typeof CODES;
 * export const MBN_ERROR_CODES: ErrorCodeTable<MbnErrorCode> = defineErrorCodes('NV_MBN_', CODES);
 * declare module '@nv/core' {
 *   interface NvErrorCodes extends Record<MbnErrorCode, true> {}
 * }
 * @throws {TypeError} when a code does not match the prefix.
 */
export function defineErrorCodes<const P extends string, C extends `${P}${string}`>(
  prefix: P,
  table: { readonly [K in C]: ErrorCodeInfo },
): ErrorCodeTable<C> {
  if (!/^NV_([A-Z0-9]+_)?$/.test(prefix))
    throw new TypeError(`error-code prefix must look like NV_ or NV_XYZ_, got ${prefix}`);
  for (const code of Object.keys(table)) {
    if (!code.startsWith(prefix) || !/^NV_[A-Z0-9_]+$/.test(code) || code.endsWith('_')) {
      throw new TypeError(`error code ${code} does not match prefix ${prefix}`);
    }
  }
  return Object.freeze({ ...table });
}

const CODES = {
  NV_TRUNCATED: {
    meaning: 'The input ends before a structure that must be there.',
    fix: 'The file was cut short (partial download or dump); take a complete copy and try again.',
  },
  NV_LIMIT: {
    meaning: 'A size, count, length or depth in the input is over a hard limit.',
    fix: 'Check that the input is the right kind of file; raise the limit only if the input is trusted and really that large.',
  },
  NV_BAD_NUMBER: {
    meaning: 'A number is not decimal or 0x-prefixed hexadecimal.',
    fix: 'Write the value as decimal (27) or hexadecimal with 0x (0x1B).',
  },
  NV_RANGE: {
    meaning: 'A value is outside the range its field can hold.',
    fix: 'Use a value inside the range named in the message.',
  },
  NV_EXISTS: {
    meaning: 'The output file already exists.',
    fix: 'Choose another output path, or pass --force to replace it.',
  },
  NV_NOT_FOUND: {
    meaning: 'A file or folder named on the command line or in an input does not exist.',
    fix: 'Check the path.',
  },
  NV_IO: {
    meaning: 'The operating system refused a read or write.',
    fix: 'Check permissions and free space on the path in the message.',
  },
  NV_BAD_INPUT: {
    meaning: 'The input is not of the kind this command reads.',
    fix: 'Check that the file is the one the command expects.',
  },
  NV_BAD_HEX: {
    meaning: 'A hexadecimal byte string has a character that is not 0-9/a-f or an odd number of digits.',
    fix: 'Give whole bytes as pairs of hex digits, optionally separated by spaces.',
  },
  NV_USAGE: {
    meaning: 'The command line is incomplete or contradicts itself.',
    fix: 'See the command with --help for its options and an example.',
  },
  NV_INTERNAL: {
    meaning: 'An unexpected failure inside the toolkit.',
    fix: 'Run again with --verbose and report the output; the input is probably valid.',
  },
};

/** A code shared by every package (`NV_` prefix with no package part). */
export type CoreErrorCode = keyof typeof CODES;

/** Codes shared by every package (`NV_` prefix with no package part). */
export const CORE_ERROR_CODES: ErrorCodeTable<CoreErrorCode> = defineErrorCodes('NV_', CODES);

/**
 * The registry of declared codes: each package's `errors.ts` adds its code union with
 * `declare module '@nv/core' { interface NvErrorCodes extends Record<XyzErrorCode, true> {} }`, so
 * {@link NvError} accepts exactly the codes some table declares. (Which package may use which code is checked by
 * the repository rules: its own codes, core's, and those of the packages it imports.)
 */
export interface NvErrorCodes extends Record<CoreErrorCode, true> {}

/** Any declared `NV_…` code. */
export type NvErrorCode = Extract<keyof NvErrorCodes, string>;

/** Where in the input an error applies, and what caused it. */
export interface NvErrorOptions {
  /** Absolute byte offset in the input file. */
  readonly offset?: number | undefined;
  /** File path, or a path inside a container/XML document (e.g. `/nv/item_files/foo` or `item 6828/member x`). */
  readonly path?: string | undefined;
  /** Extra facts a program may use (JSON-ready). */
  readonly data?: Readonly<Record<string, unknown>> | undefined;
  /** The underlying error, e.g. from a third-party parser. */
  readonly cause?: unknown;
}

/** The JSON shape of an error, as `cli.md` prints it under `{"error": …}`. */
export interface NvErrorJson {
  code: string;
  message: string;
  path: string | null;
  offset: number | null;
  data?: Record<string, unknown>;
}

// A registry-wide marker survives duplicate installs of @nv/core, where `instanceof` would not.
const NV_ERROR_MARKER = Symbol.for('@nv/core/NvError');

/**
 * The one error type of the toolkit. `code` is stable; `message` says the problem and what to do.
 *
 * @example
 * throw new NvError('NV_TRUNCATED', 'need 4 bytes for the header size', { offset: 40 });
 */
export class NvError extends Error {
  /** Stable machine-readable code (`NV_…`), declared in an error table. */
  readonly code: NvErrorCode;
  /** Absolute byte offset in the input, if the error is about a place in a file. */
  readonly offset: number | undefined;
  /** File or in-container path. */
  readonly path: string | undefined;
  /** Extra JSON-ready facts. */
  readonly data: Readonly<Record<string, unknown>> | undefined;

  constructor(code: NvErrorCode, message: string, options: NvErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NvError';
    this.code = code;
    this.offset = options.offset;
    this.path = options.path;
    this.data = options.data;
    Object.defineProperty(this, NV_ERROR_MARKER, { value: true, enumerable: false });
  }

  /** True for any `NvError`, also one made by another copy of this package. */
  static isInstance(value: unknown): value is NvError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[NV_ERROR_MARKER] === true;
  }

  /** A copy with `path` filled in when it is missing (used by file layers to name the file). */
  withPath(path: string): NvError {
    if (this.path !== undefined) return this;
    return new NvError(this.code, this.message, { offset: this.offset, path, data: this.data, cause: this.cause });
  }

  /** The `cli.md` JSON shape; never includes a stack. */
  toJSON(): NvErrorJson {
    const json: NvErrorJson = {
      code: this.code,
      message: this.message,
      path: this.path ?? null,
      offset: this.offset ?? null,
    };
    if (this.data !== undefined) json.data = { ...this.data };
    return json;
  }
}

/** Throws `NV_LIMIT` unless `value` is a finite, non-negative number no larger than `max`. */
export function checkLimit(what: string, value: number, max: number, where: NvErrorOptions = {}): void {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new NvError('NV_LIMIT', `${what} is ${value}, over the limit of ${max}`, {
      ...where,
      data: { what, value, max },
    });
  }
}
