/**
 * Import of LID tables from C source (docs/formats/lid-table.md#c-import): the LID-table reader (declarations, initializer
 * lists, entries) on top of the general preprocessor (`c-preprocessor.ts`), lexer (`c-lexer.ts`) and expression
 * evaluator (`c-expr.ts`). Pure: no wasm, no Node. See the README for why not tree-sitter.
 * @module
 */
import { NvError } from '@nv/core';
import { bytesToHex } from '@nv/core/bytes';
import { CPreprocessor, expandMacros as expand, preprocessC } from './c-preprocessor.ts';
import { cStringValue as unquote, stripCComments, tokenizeC, type CToken as Tok } from './c-lexer.ts';
import { C_CAST_WORDS, CUnresolved as Unresolved, evalCExpr, type CExprEnv } from './c-expr.ts';
import {
  LTABLE_ENUMS,
  LTABLE_ENUM_SETS,
  LTABLE_GENERATIONS,
  bitValue,
  defaultEnumSet,
  type LtableEnumSet,
  type LtableGeneration,
} from './enums.ts';
import { LTABLE_MAX_ENTRIES, valueToNames } from './json.ts';
import {
  LTABLE_TAGS,
  ltableAutoTags,
  type Ltable,
  type LtableDefault,
  type LtableEntry,
  type LtableTag,
} from './model.ts';
import type { LtableFinding } from './lint.ts';

/** Hard limit on one C source text (16 Mi characters). */
export const LTABLE_MAX_C_CHARS: number = 16 * 1024 * 1024;

/** One C source file. */
export interface LtableCSource {
  /** File name used in positions and `source.file`. */
  readonly name: string;
  readonly text: string;
}

/** Options of {@link importLtableC}. */
export interface LtableCImportOptions {
  /** Generation; default: `NV_LTABLE_GENERATION` in the source, else detected from the names used (moly-b when undecidable; maui for MAUI order). */
  readonly generation?: LtableGeneration;
  /** Enum set (required for maui). */
  readonly enumSet?: LtableEnumSet;
  /** `-D` macros: `{NAME: 'value'}` (value `''` or `'1'` for a plain `-D NAME`). */
  readonly defines?: Readonly<Record<string, string>>;
  /** Struct sizes for `sizeof(T)`. */
  readonly structSizes?: Readonly<Record<string, number>>;
  /** Planner tags per LID name; replace the automatic ones of `ltableAutoTags` (barcode, IMEI and SIM-lock LIDs by name, CALIBRAT). */
  readonly tags?: Readonly<Record<string, readonly LtableTag[]>>;
}

/** Result of {@link importLtableC}: the table and the warnings (`NV_LTABLE_UNRESOLVED`, `NV_LTABLE_SMART_QUOTES`). */
export interface LtableCImportResult {
  readonly table: Ltable;
  readonly warnings: LtableFinding[];
}

/**
 * `sizeof` of the KAL and C scalar types (ARM EABI, as the modem is built): built in, so `sizeof(kal_int16)` needs no
 * `--struct-size`. User struct sizes win. `kal_bool` and enums are left out: their size is build-specific.
 */
export const LTABLE_BUILTIN_SIZES: Readonly<Record<string, number>> = {
  kal_uint8: 1,
  kal_int8: 1,
  kal_char: 1,
  kal_uint16: 2,
  kal_int16: 2,
  kal_wchar: 2,
  kal_uint32: 4,
  kal_int32: 4,
  kal_uint64: 8,
  kal_int64: 8,
  uint8_t: 1,
  int8_t: 1,
  uint16_t: 2,
  int16_t: 2,
  uint32_t: 4,
  int32_t: 4,
  uint64_t: 8,
  int64_t: 8,
  char: 1,
  'signed char': 1,
  'unsigned char': 1,
  short: 2,
  'unsigned short': 2,
  int: 4,
  unsigned: 4,
  'unsigned int': 4,
  long: 4,
  'unsigned long': 4,
  'long long': 8,
  'unsigned long long': 8,
  float: 4,
  double: 8,
};

// The C scalar words (c-expr's cast list) plus MediaTek's `kal_*` typedefs and the LID enum types.
const TYPE_WORDS = new Set([
  ...C_CAST_WORDS,
  'kal_uint8',
  'kal_uint16',
  'kal_uint32',
  'kal_int8',
  'kal_int16',
  'kal_int32',
  'kal_char',
  'nvram_lid_enum',
  'nvram_lid_core_enum',
]);

/** Reader state: the preprocessor's (macros, warnings, file) plus byte arrays and enum constants seen so far. */
class Ctx extends CPreprocessor {
  readonly arrays = new Map<string, Uint8Array | null>();
  readonly enums: Map<string, number>;
  readonly options: LtableCImportOptions;
  constructor(options: LtableCImportOptions) {
    const enums = new Map<string, number>();
    const user = options.structSizes ?? {};
    super(
      {
        names: (id) => enums.get(id),
        // Own keys only: `sizeof(constructor)` must not find Object.prototype's function.
        sizeOf: (typeName) =>
          Object.hasOwn(user, typeName)
            ? user[typeName]
            : Object.hasOwn(LTABLE_BUILTIN_SIZES, typeName)
              ? LTABLE_BUILTIN_SIZES[typeName]
              : undefined,
        castWords: TYPE_WORDS,
      },
      BUILTIN_MACROS,
    );
    this.enums = enums;
    this.options = options;
  }
}

/** Evaluates expanded tokens in the reader's environment; `names` is asked before the enum constants. */
function evalExpr(ctx: Ctx, toks: readonly Tok[], opts: { names?: (id: string) => number | undefined }): number {
  const env: CExprEnv = ctx.env;
  const names = opts.names;
  return evalCExpr(toks, {
    ...env,
    file: ctx.file,
    names: names === undefined ? env.names : (id) => names(id) ?? ctx.enums.get(id),
  });
}

// VER()/VER_LID() always mean the docs/formats/lid-table.md#c-import (non-auto-gen) expansion; a source definition would add fields.
const BUILTIN_MACROS = new Set(['VER', 'VER_LID']);

function defineBuiltins(ctx: Ctx): void {
  const at = { line: 0, col: 0, off: 0 };
  ctx.macros.set('VER', {
    params: ['L'],
    body: [
      { k: 'id', t: 'L', ...at },
      { k: 'p', t: '##', ...at },
      { k: 'id', t: '_VERNO', ...at },
    ],
  });
  ctx.macros.set('VER_LID', {
    params: ['L'],
    body: [
      { k: 'id', t: 'L', ...at },
      { k: 'p', t: '##', ...at },
      { k: 'id', t: '_VERNO', ...at },
    ],
  });
}

// --- Declarations -------------------------------------------------------------------------------------------

const ENTRY_TYPES = new Set(['ltable_entry_struct', 'nvram_ltable_entry_struct']);
const BYTE_TYPES = new Set(['kal_uint8', 'uint8_t', 'kal_char', 'char']);

/** Index of the token closing the bracket opened at `i`. */
function closing(ctx: Ctx, toks: readonly Tok[], i: number): number {
  const open = (toks[i] as Tok).t;
  const close = open === '{' ? '}' : open === '(' ? ')' : ']';
  let d = 0;
  for (let j = i; j < toks.length; j++) {
    const t = (toks[j] as Tok).t;
    if (t === '{' || t === '(' || t === '[') d++;
    else if (t === '}' || t === ')' || t === ']') {
      d--;
      if (d === 0) {
        if (t !== close)
          throw (
            missingBrace(ctx, toks, i) ?? ctx.err('NV_LTABLE_SYNTAX', `expected ${close}, found ${t}`, toks[j] as Tok)
          );
        return j;
      }
    }
  }
  throw missingBrace(ctx, toks, i) ?? ctx.err('NV_LTABLE_SYNTAX', `unbalanced ${open}`, toks[i] as Tok);
}

/**
 * Where a `}` is missing in an initializer list opened at `i` (issue 15.6): entries (`{…}` one level down) hold no
 * braces and end before the next entry, a `;` or the end of the text. Reports the line of the last token of the
 * entry that is not closed, i.e. the line the `}` belongs on; undefined when the braces are not the problem.
 */
function missingBrace(ctx: Ctx, toks: readonly Tok[], i: number): NvError | undefined {
  if ((toks[i] as Tok).t !== '{') return undefined;
  const stack: Tok[] = [];
  let prev: Tok = toks[i] as Tok;
  const report = (entry: Tok, last: Tok, why: string): NvError =>
    ctx.err(
      'NV_LTABLE_SYNTAX',
      `missing } after ${JSON.stringify(last.t)}: the ${entry === toks[i] ? 'list' : 'entry'} opened at line ${entry.line} is not closed (${why})`,
      last,
    );
  for (let j = i; j < toks.length; j++) {
    const tk = toks[j] as Tok;
    if (tk.t === '{') {
      // A `{` two levels down: the entry before it was never closed.
      if (stack.length >= 2) {
        const before = prev.t === ',' ? ((toks[j - 2] as Tok | undefined) ?? prev) : prev;
        return report(stack[stack.length - 1] as Tok, before, `the next entry starts at line ${tk.line}`);
      }
      stack.push(tk);
    } else if (tk.t === '}') {
      // `};` that leaves a list open closed the entry instead: the entry lacked its `}`.
      if (stack.length >= 2 && toks[j + 1]?.t === ';')
        return report(stack[stack.length - 1] as Tok, prev, `the "};" at line ${tk.line} closes the list`);
      stack.pop();
      if (stack.length === 0) return undefined;
    } else if (tk.t === ';' && stack.length > 0) {
      return report(stack[stack.length - 1] as Tok, prev, `";" at line ${tk.line}`);
    }
    prev = tk;
  }
  const top = stack[stack.length - 1];
  return top !== undefined ? report(top, prev, 'the text ends') : undefined;
}

/** Splits tokens at top-level commas (empty parts dropped: `,{` tolerated). */
function splitTop(toks: readonly Tok[]): Tok[][] {
  const parts: Tok[][] = [[]];
  let d = 0;
  for (const tk of toks) {
    if (tk.t === '{' || tk.t === '(' || tk.t === '[') d++;
    if (tk.t === '}' || tk.t === ')' || tk.t === ']') d--;
    if (tk.t === ',' && d === 0) parts.push([]);
    else (parts[parts.length - 1] as Tok[]).push(tk);
  }
  return parts;
}

function collectEnums(ctx: Ctx, toks: readonly Tok[]): void {
  for (let i = 0; i < toks.length; i++) {
    if ((toks[i] as Tok).t !== 'enum') continue;
    let j = i + 1;
    if (toks[j]?.k === 'id') j++;
    if (toks[j]?.t !== '{') continue;
    const end = closing(ctx, toks, j);
    let next: number | null = 0;
    for (const part of splitTop(toks.slice(j + 1, end))) {
      if (part.length === 0 || (part[0] as Tok).k !== 'id') continue;
      const name = (part[0] as Tok).t;
      if (part[1]?.t === '=') {
        try {
          next = evalExpr(ctx, expand(ctx, part.slice(2)), {});
        } catch (e) {
          if (!(e instanceof Unresolved)) throw e;
          next = null;
        }
      }
      if (next !== null) {
        ctx.enums.set(name, next);
        next++;
      }
    }
    i = end;
  }
}

function collectArrays(ctx: Ctx, toks: readonly Tok[]): void {
  // `[static] [const] <type> [const] NAME[ … ] = { … };` with a byte element type.
  for (let i = 0; i + 3 < toks.length; i++) {
    const tk = toks[i] as Tok;
    if (tk.k !== 'id' || toks[i + 1]?.t !== '[') continue;
    let b = i - 1;
    let byteType = false;
    while (
      b >= 0 &&
      (toks[b] as Tok).k === 'id' &&
      ['const', 'static', 'volatile', ...BYTE_TYPES].includes((toks[b] as Tok).t)
    ) {
      if (BYTE_TYPES.has((toks[b] as Tok).t)) byteType = true;
      b--;
    }
    if ((toks[b + 1]?.t ?? '') === 'unsigned') byteType = true;
    const close = closing(ctx, toks, i + 1);
    if (toks[close + 1]?.t !== '=' || toks[close + 2]?.t !== '{') continue;
    const end = closing(ctx, toks, close + 2);
    const body = toks.slice(close + 3, end);
    if (!byteType || body.some((t) => t.t === '{')) {
      if (!ENTRY_TYPES.has((toks[i - 1] as Tok | undefined)?.t ?? '')) ctx.arrays.set(tk.t, null);
      i = end;
      continue;
    }
    const bytes: number[] = [];
    let ok = true;
    for (const part of splitTop(body)) {
      if (part.length === 0) continue;
      try {
        bytes.push(evalExpr(ctx, expand(ctx, part), {}) & 0xff);
      } catch (e) {
        if (!(e instanceof Unresolved)) throw e;
        ok = false;
        break;
      }
    }
    ctx.arrays.set(tk.t, ok ? Uint8Array.from(bytes) : null);
    i = end;
  }
}

// --- Entries -------------------------------------------------------------------------------------------------

const text = (toks: readonly Tok[]): string => toks.map((t) => t.t).join(' ');

interface RawEntry {
  readonly fields: Tok[][];
  readonly at: Tok;
  readonly file: string;
  readonly maui: boolean;
}

function layoutOf(ctx: Ctx, fields: readonly Tok[][], at: Tok): boolean {
  const n = fields.length;
  if (n < 8 || n > 10) throw ctx.err('NV_LTABLE_FIELD_COUNT', `entry has ${n} fields; a LID entry has 8 to 10`, at);
  if (n === 8) return false;
  const f5 = text(fields[4] as Tok[]);
  if (/NVRAM_ATTR_/.test(f5)) return true;
  if (/NVRAM_CATEGORY_/.test(f5)) return false;
  const f2 = text(fields[1] as Tok[]);
  const f3 = text(fields[2] as Tok[]);
  if (/_TOTAL\b/.test(f2) && /_SIZE\b/.test(f3)) return false;
  if (/_SIZE\b/.test(f2) && /_TOTAL\b/.test(f3)) return true;
  if (ctx.options.generation !== undefined) return ctx.options.generation === 'maui';
  throw ctx.err(
    'NV_LTABLE_LAYOUT_UNKNOWN',
    'cannot tell MOLY (LID, records, size, default, category, attr) from MAUI (LID, size, records, default, attr, category) order; pass a generation',
    at,
  );
}

function findTables(ctx: Ctx, toks: readonly Tok[], file: string, out: RawEntry[]): number {
  let tables = 0;
  for (let i = 0; i < toks.length; i++) {
    if (!ENTRY_TYPES.has((toks[i] as Tok).t)) continue;
    let j = i + 1;
    while (toks[j]?.t === 'const' || toks[j]?.t === '*') j++;
    if (toks[j]?.k !== 'id' || toks[j + 1]?.t !== '[') continue;
    let eq = closing(ctx, toks, j + 1) + 1;
    // Linker-section attributes between the declarator and `=` (docs/formats/lid-table.md#entry): `__attribute__((section("…")))`, macros.
    while (toks[eq]?.k === 'id') eq = toks[eq + 1]?.t === '(' ? closing(ctx, toks, eq + 1) + 1 : eq + 1;
    if (toks[eq]?.t !== '=') continue;
    if (toks[eq + 1]?.t !== '{')
      throw ctx.err('NV_LTABLE_SYNTAX', 'expected { after =', (toks[eq + 1] ?? toks[eq]) as Tok);
    const end = closing(ctx, toks, eq + 1);
    tables++;
    for (const part of splitTop(toks.slice(eq + 2, end))) {
      if (part.length === 0 || isTableEnd(ctx, part)) continue;
      const first = part[0] as Tok;
      if (first.t !== '{' || closing(ctx, part, 0) !== part.length - 1)
        throw ctx.err('NV_LTABLE_SYNTAX', `expected {…} entry, found ${first.t}`, first);
      const fields = splitTop(part.slice(1, -1)).filter((f) => f.length > 0);
      if (out.length >= LTABLE_MAX_ENTRIES)
        throw new NvError('NV_LIMIT', `more than ${LTABLE_MAX_ENTRIES} entries`, { path: file });
      out.push({ fields, at: first, file, maui: layoutOf(ctx, fields, first) });
    }
    i = end;
  }
  return tables;
}

/**
 * A table terminator, not an entry: vendor MOLY tables end with `NVRAM_LTABLE_END`, defined empty on target and `0`
 * on host builds (seen in public LR12A sources; README, Decisions). Also a bare `0` / `{0}` element.
 */
function isTableEnd(ctx: Ctx, part: readonly Tok[]): boolean {
  if (part.length === 1 && (part[0] as Tok).t === 'NVRAM_LTABLE_END') return true;
  const inner = part.length >= 2 && part[0]?.t === '{' && part[part.length - 1]?.t === '}' ? part.slice(1, -1) : part;
  if (inner.some((t) => t.t === ',')) return false;
  const ex = expand(ctx, inner);
  return ex.length === 0 || (ex.length === 1 && (ex[0] as Tok).t === '0');
}

const MOLY_A_ONLY =
  /NVRAM_(ATTR_(SW_VERNO_RESET|FACTORY_RESET|ZIP_DEFAULT|NOT_ZIP_DEFAULT|AUTO_RECOVER)|CATEGORY_IMPORTANT_C)\b/;
const MOLY_B_ONLY =
  /NVRAM_(ATTR_(OTA_RESET|GEN_DEFAULT|RESERVE_BACKWARD|FAULT_ASSERT|RAW_DATA|CHKSUM_\w+|MCF_OTA\w*)|CATEGORY_(IMPORTANT_L1|RESERVED))\b/;

function bitsOf(
  ctx: Ctx,
  kind: 'attributes' | 'categories',
  toks: readonly Tok[],
  enumSet: LtableEnumSet,
  entryName: string,
): number {
  const bits = LTABLE_ENUMS[enumSet][kind];
  const prefix = kind === 'attributes' ? 'NVRAM_ATTR_' : 'NVRAM_CATEGORY_';
  const names = (id: string): number | undefined => {
    if (!id.startsWith(prefix)) return undefined;
    const name = id.slice(prefix.length);
    if (name === 'ALL') return kind === 'attributes' ? (enumSet === 'moly-b' ? 0xffffffff : 0xffff) : 0xffff;
    const v = bitValue(bits, name);
    if (v !== undefined) return v;
    const tk = toks.find((t) => t.t === id) as Tok;
    const other = LTABLE_ENUM_SETS.find((s) => bitValue(LTABLE_ENUMS[s][kind], name) !== undefined);
    if (other !== undefined)
      throw ctx.err('NV_LTABLE_GEN_MISMATCH', `${entryName}: ${id} is a ${other} name, not valid under ${enumSet}`, tk);
    throw ctx.err(
      kind === 'attributes' ? 'NV_LTABLE_UNKNOWN_ATTR' : 'NV_LTABLE_UNKNOWN_CATEGORY',
      `${entryName}: ${id} is not in the ${enumSet} enum`,
      tk,
    );
  };
  // Enum names are resolved from the enum set, never from headers (docs/formats/lid-table.md#categories): protect them from macro expansion.
  try {
    return evalExpr(ctx, expand(ctx, toks, new Set(), 0, prefix), { names }) >>> 0;
  } catch (e) {
    if (e instanceof Unresolved)
      throw ctx.err(
        kind === 'attributes' ? 'NV_LTABLE_UNKNOWN_ATTR' : 'NV_LTABLE_UNKNOWN_CATEGORY',
        `${entryName}: cannot evaluate ${kind === 'attributes' ? 'attr' : 'category'} ${JSON.stringify(text(toks))}: ${e.message}`,
        toks[0] ?? ({ line: 0, col: 0, off: 0 } as Tok),
      );
    throw e;
  }
}

function readDefault(ctx: Ctx, toks: readonly Tok[]): LtableDefault {
  const t = toks.map((x) => x.t);
  const one = t.length === 1 ? (t[0] as string) : undefined;
  if (one === 'NVRAM_EF_ZERO_DEFAULT') return { kind: 'zero' };
  if (one === 'NVRAM_EF_FF_DEFAULT' || one === 'NULL') return { kind: 'ff' };
  if (one === 'NVRAM_EF_SPECIAL_DEFAULT') return { kind: 'special' };
  const call = /^(\w+)\s*\(\s*(.*?)\s*\)$/.exec(t.join(' '));
  const arg = call?.[2]?.replace(/\s+/g, '') ?? '';
  const kind = call?.[1];
  if (kind === 'NVRAM_DEFAULT_FUNC') return { kind: 'func', symbol: arg };
  if (kind === 'NVRAM_CUSTPACK') return { kind: 'custpack', symbol: arg };
  if (kind === 'NVRAM_SECUPACK') return { kind: 'secupack', symbol: arg };
  let symbol: string | undefined;
  if (kind === 'NVRAM_NORMAL' || kind === 'NVRAM_NORMAL_NOT_GEN') symbol = arg;
  else if (one !== undefined && /^[A-Za-z_]\w*$/.test(one)) symbol = one;
  else {
    // (kal_uint8 const*)X and similar casts.
    const last = toks[toks.length - 1];
    if (t[0] === '(' && last?.k === 'id') symbol = last.t;
  }
  if (symbol === undefined || !/^[A-Za-z_]\w*$/.test(symbol)) return { kind: 'symbol', symbol: t.join(' ') };
  // The importer keeps shared arrays by their pointer identity (docs/formats/lid-table.md#pitfalls): a macro that names one is followed.
  const mac = ctx.macros.get(symbol);
  if (mac && mac.params === null && mac.body.length === 1 && (mac.body[0] as Tok).k === 'id')
    return readDefault(ctx, mac.body);
  const bytes = ctx.arrays.get(symbol);
  return bytes ? { kind: 'bytes', symbol, hex: bytesToHex(bytes) } : { kind: 'symbol', symbol };
}

function buildEntry(ctx: Ctx, raw: RawEntry, gen: LtableGeneration, enumSet: LtableEnumSet): LtableEntry {
  ctx.file = raw.file;
  const f = raw.fields as Tok[][];
  const [lidF, aF, bF, defF] = f as [Tok[], Tok[], Tok[], Tok[]];
  const recordsF = raw.maui ? bF : aF;
  const sizeF = raw.maui ? aF : bF;
  const catF = (raw.maui ? f[5] : f[4]) as Tok[];
  const attrF = (raw.maui ? f[4] : f[5]) as Tok[];
  const prefixF = f[6] as Tok[];
  const vernoF = f[7] as Tok[];
  const descF = f[8];
  const unresolved: Record<string, string> = {};
  const name = lidF.length === 1 && (lidF[0] as Tok).k === 'id' ? (lidF[0] as Tok).t : text(lidF);
  const num = (field: string, toks: Tok[]): number => {
    try {
      return evalExpr(ctx, expand(ctx, toks), {});
    } catch (e) {
      if (!(e instanceof Unresolved)) throw e;
      unresolved[field] = text(toks);
      ctx.warn(
        'NV_LTABLE_UNRESOLVED',
        `${name}: ${field} ${JSON.stringify(text(toks))} cannot be evaluated (${e.message}); text kept`,
        toks[0] ?? raw.at,
        name,
      );
      return 0;
    }
  };
  let lid: number | null;
  try {
    lid = evalExpr(ctx, expand(ctx, lidF), {});
  } catch (e) {
    if (!(e instanceof Unresolved)) throw e;
    lid = null; // moly-a numbers depend on build features (docs/formats/lid-table.md#lid-numbers): null without a warning.
  }
  const records = num('records', recordsF);
  const size = num('size', sizeF);
  // docs/formats/lid-table.md#pitfalls pitfall: size and record count in the other generation's order still compile (issue 15.6).
  const f2 = text(aF);
  const f3 = text(bF);
  const sizeFirst = /_SIZE\b|\bsizeof\b/.test(f2) && /_TOTAL\b/.test(f3) && !/_TOTAL\b/.test(f2);
  const totalFirst = /_TOTAL\b/.test(f2) && /_SIZE\b|\bsizeof\b/.test(f3) && !/_SIZE\b|\bsizeof\b/.test(f2);
  if (raw.maui ? totalFirst : sizeFirst)
    ctx.warn(
      'NV_LTABLE_ORDER_SWAPPED',
      `${name}: fields 2 and 3 are ${JSON.stringify(f2)}, ${JSON.stringify(f3)}: ${raw.maui ? 'MOLY order (records, size) in a MAUI' : 'MAUI order (size, records) in a MOLY'} table; the modem reads ${records} record(s) of ${size} byte(s). Swap the two fields (spec §11)`,
      aF[0] ?? raw.at,
      name,
      'error',
    );
  const category = bitsOf(ctx, 'categories', catF, enumSet, name);
  const attr = bitsOf(ctx, 'attributes', attrF, enumSet, name);
  const str = (field: string, toks: Tok[]): string => {
    const expanded = expand(ctx, toks);
    const s = unquote(ctx, expanded);
    if (s !== undefined) return s;
    unresolved[field] = text(toks);
    const missing = expanded.find((t) => t.k === 'id' && t.t.endsWith('_VERNO'));
    if (field === 'verno' && missing !== undefined) {
      ctx.warn(
        'NV_LTABLE_UNRESOLVED',
        `${name}: VERNO unknown: ${missing.t} is not defined (add #define ${missing.t} "000" — 3 digits — to the input)`,
        toks[0] ?? raw.at,
        name,
      );
      return '';
    }
    ctx.warn(
      'NV_LTABLE_UNRESOLVED',
      `${name}: ${field} ${JSON.stringify(text(toks))} is not a string literal after macro expansion; text kept`,
      toks[0] ?? raw.at,
      name,
    );
    return '';
  };
  const prefix = str('prefix', prefixF);
  const verno = str('verno', vernoF);
  let description: string | null = null;
  if (descF !== undefined && !(descF.length === 1 && ['NULL', '0'].includes((descF[0] as Tok).t))) {
    const s = unquote(ctx, expand(ctx, descF));
    description = s ?? text(descF);
  }
  const categories = valueToNames('categories', category, enumSet, name);
  const tagMacro = ctx.macros.get(`${name}_NV_TAGS`);
  let tags: LtableTag[];
  const given = ctx.options.tags?.[name];
  if (given !== undefined) tags = [...given];
  else if (tagMacro !== undefined) {
    const s = unquote(ctx, tagMacro.body) ?? '';
    tags = s.split(',').filter((x): x is LtableTag => (LTABLE_TAGS as readonly string[]).includes(x));
  } else {
    tags = ltableAutoTags(name, categories, gen);
  }
  const entry: LtableEntry = {
    lid,
    name,
    size,
    records,
    category,
    categories,
    attr,
    attributes: valueToNames('attributes', attr, enumSet, name),
    prefix,
    verno,
    description,
    default: readDefault(ctx, defF),
    tags,
  };
  if (Object.keys(unresolved).length > 0) entry.unresolved = unresolved;
  entry.source = { file: raw.file, line: raw.at.line };
  return entry;
}

/**
 * Imports LID tables from C sources (docs/formats/lid-table.md#c-import): every `ltable_entry_struct name[] = {…};` of every file, in order, merged
 * into one table. Files are preprocessed in order with shared macros, so give headers first.
 * @throws NV_LTABLE_SYNTAX, NV_LTABLE_FIELD_COUNT, NV_LTABLE_LAYOUT_UNKNOWN, NV_LTABLE_UNKNOWN_ATTR,
 *   NV_LTABLE_UNKNOWN_CATEGORY, NV_LTABLE_GEN_MISMATCH, NV_LTABLE_ENUMSET_REQUIRED (message `file:line:col:`,
 *   `data: {line, column}`, `offset` = character offset), NV_LIMIT.
 * @example importLtableC([{ name: 'nvram_ltable.c', text }], { generation: 'moly-b' }).table.entries.length
 */
export function importLtableC(
  sources: readonly LtableCSource[] | string,
  options: LtableCImportOptions = {},
): LtableCImportResult {
  const files: readonly LtableCSource[] = typeof sources === 'string' ? [{ name: 'input.c', text: sources }] : sources;
  const ctx = new Ctx(options);
  defineBuiltins(ctx);
  for (const [k, v] of Object.entries(options.defines ?? {})) ctx.define(k, v);
  const raws: RawEntry[] = [];
  let tables = 0;
  for (const src of files) {
    ctx.file = src.name;
    if (src.text.length > LTABLE_MAX_C_CHARS)
      throw new NvError(
        'NV_LIMIT',
        `${src.name}: ${src.text.length} characters is over the limit of ${LTABLE_MAX_C_CHARS}`,
        { path: src.name },
      );
    const active = preprocessC(ctx, stripCComments(ctx, src.text));
    const toks = tokenizeC(ctx, active, 1, 1, 0);
    collectEnums(ctx, toks);
    collectArrays(ctx, toks);
    tables += findTables(ctx, toks, src.name, raws);
  }
  if (tables === 0)
    throw new NvError(
      'NV_LTABLE_SYNTAX',
      `no LID table (ltable_entry_struct NAME[] = {…};) found in ${files.map((f) => f.name).join(', ')}`,
      { path: files[0]?.name },
    );
  // Generation: option, then NV_LTABLE_GENERATION in the source, then detection.
  const hint = (macro: string): string | undefined => {
    const m = ctx.macros.get(macro);
    return m ? unquote(ctx, m.body) : undefined;
  };
  let gen: LtableGeneration | undefined = options.generation;
  const hinted = hint('NV_LTABLE_GENERATION');
  if (gen === undefined && hinted !== undefined && (LTABLE_GENERATIONS as readonly string[]).includes(hinted))
    gen = hinted as LtableGeneration;
  if (gen === undefined) {
    if (raws.some((r) => r.maui)) gen = 'maui';
    else {
      const all = raws.map((r) => `${text(r.fields[4] as Tok[])} ${text(r.fields[5] as Tok[])}`).join(' ');
      gen = MOLY_A_ONLY.test(all) && !MOLY_B_ONLY.test(all) ? 'moly-a' : 'moly-b';
    }
  }
  const hintedSet = hint('NV_LTABLE_ENUM_SET');
  const enumSet =
    options.enumSet ??
    (hintedSet !== undefined && (LTABLE_ENUM_SETS as readonly string[]).includes(hintedSet)
      ? (hintedSet as LtableEnumSet)
      : defaultEnumSet(gen));
  if (enumSet === undefined)
    throw new NvError(
      'NV_LTABLE_ENUMSET_REQUIRED',
      'a maui table needs an enum set (maui-1, maui-2 or maui-3; spec §4.3)',
    );
  if (LTABLE_ENUMS[enumSet].generation !== gen)
    throw new NvError('NV_LTABLE_GEN_MISMATCH', `enum set ${enumSet} is not a ${gen} enum set`);
  for (const r of raws) {
    if (r.maui !== (gen === 'maui')) {
      ctx.file = r.file;
      throw ctx.err(
        'NV_LTABLE_LAYOUT_UNKNOWN',
        `entry is in ${r.maui ? 'MAUI' : 'MOLY'} order but the table is ${gen}`,
        r.at,
      );
    }
  }
  const entries = raws.map((r) => buildEntry(ctx, r, gen, enumSet));
  return { table: { generation: gen, enumSet, entries }, warnings: ctx.warnings };
}
