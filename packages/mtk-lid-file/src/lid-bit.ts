/**
 * META `LID_BIT` description language (docs/formats/lid-files.md#lid-bit): a small preprocessor (`#define`, `#ifdef`…), C typedef layout
 * (ARM EABI natural alignment) and the LID_BIT grammar → field layouts; records ↔ named fields.
 * @module
 */
import { NvError, checkLimit } from '@nv/core';
import { bytesToHex, decodeLatin1, hexToBytes } from '@nv/core/bytes';
import type { LidErrorCode } from './errors.ts';

/** Largest description accepted (characters). */
export const LID_BIT_MAX_CHARS: number = 4 * 1024 * 1024;

/** A raw value → label mapping of a bit field. */
export interface LidBitValue {
  value: number;
  label: string;
}

/**
 * C type of a whole member, for typed values: integers (little-endian, signed or not), floats, arrays (one level
 * per dimension) and structs (members with their offsets inside the struct).
 */
export type LidBitShape =
  | { kind: 'int'; size: 1 | 2 | 4 | 8; signed: boolean }
  | { kind: 'float'; size: 4 | 8 }
  | { kind: 'array'; length: number; of: LidBitShape }
  | { kind: 'struct'; name: string; size: number; members: { name: string; offset: number; shape: LidBitShape }[] };

/** One field of a record layout. `offset` is the byte offset of the element, `bit`/`bits` the LSB-first range in it. */
export interface LidBitField {
  /** Full member chain (`mode`, `mode.power_save`, `cfg[2].gain`). */
  name: string;
  offset: number;
  bit: number;
  bits: number;
  description: string;
  values?: LidBitValue[];
  /** Element width in bytes of a bit field's container (1, 2 or 4); absent for whole members. */
  container?: number;
  /** C type of a whole member (`kal_uint8[4]`). */
  type?: string;
  /** Typed layout of a whole member (absent for bit fields): decides the JSON value (see {@link LidBitJsonValue}). */
  shape?: LidBitShape;
}

/** One `LID_BIT` entry. */
export interface LidBitLid {
  /** LID symbol (`NVRAM_EF_DEMO_CFG_LID`). */
  lid: string;
  verno: string;
  /** Record struct type. */
  type: string;
  records: number;
  recordSize: number;
  fields: LidBitField[];
}

/** A non-fatal finding (`NV_LID_BIT_MISSING_SEMI`). */
export interface LidBitWarning {
  code: string;
  message: string;
  line: number;
  column: number;
}

/** Result of {@link parseLidBit}. */
export interface LidBitResult {
  lids: LidBitLid[];
  warnings: LidBitWarning[];
}

/** Options of {@link parseLidBit}. */
export interface LidBitOptions {
  /** Extra macros (`NAME` → value text), e.g. `{ NVRAM_EF_X_LID_VERNO: '"003"' }`. */
  readonly defines?: Readonly<Record<string, string>>;
  /** Table record sizes by LID symbol: `sizeof` must match (`NV_LID_BIT_SIZE_MISMATCH`). */
  readonly recordSizes?: Readonly<Record<string, number>>;
  /** Extra struct/scalar sizes when the typedef is not in the input. */
  readonly typeSizes?: Readonly<Record<string, number>>;
  /** File name for errors. */
  readonly path?: string;
}

// ------------------------------------------------------------------ lexer
type TokKind = 'ident' | 'int' | 'string' | 'punct' | 'eof';
interface Tok {
  kind: TokKind;
  text: string;
  value?: number;
  line: number;
  column: number;
}

const err = (code: LidErrorCode, message: string, t: { line: number; column: number }, path?: string): NvError =>
  new NvError(code, `${message} (line ${t.line}, column ${t.column})`, {
    path,
    data: { line: t.line, column: t.column },
  });

function lex(text: string, path: string | undefined): Tok[] {
  const toks: Tok[] = [];
  let i = 0,
    line = 1,
    col = 1;
  const adv = (n: number): void => {
    for (let k = 0; k < n; k++) {
      if (text[i] === '\n') (line++, (col = 1));
      else col++;
      i++;
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v') {
      adv(1);
      continue;
    }
    if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') adv(1);
      continue;
    }
    if (c === '/' && text[i + 1] === '*') {
      const start = { line, column: col };
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw err('NV_LID_BIT_SYNTAX', 'unterminated comment', start, path);
      adv(end + 2 - i);
      continue;
    }
    const at = { line, column: col };
    if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i, i + 256))!;
      toks.push({ kind: 'ident', text: m[0], ...at });
      adv(m[0].length);
      continue;
    }
    if (/[0-9]/.test(c)) {
      const m = /^(?:0[xX][0-9A-Fa-f]+|[0-9]+)[uUlL]*/.exec(text.slice(i, i + 64))!;
      const body = m[0].replace(/[uUlL]+$/, '');
      if (/[A-Za-z0-9_]/.test(text[i + m[0].length] ?? ''))
        throw err('NV_LID_BIT_SYNTAX', `bad number "${text.slice(i, i + m[0].length + 1)}"`, at, path);
      const value = body.length > 1 && body[0] === '0' && !/[xX]/.test(body) ? parseInt(body, 8) : Number(body);
      if (
        !Number.isSafeInteger(value) ||
        (body.length > 1 && body[0] === '0' && !/[xX]/.test(body) && /[89]/.test(body))
      )
        throw err('NV_LID_BIT_SYNTAX', `bad number "${m[0]}"`, at, path);
      toks.push({ kind: 'int', text: m[0], value, ...at });
      adv(m[0].length);
      continue;
    }
    if (c === '"' || c === '\u201c' || c === '\u201d') {
      // Copied docs carry curly quotes (docs/formats/lid-files.md#pitfalls): accept them as string delimiters.
      let j = i + 1;
      let s = '';
      while (j < text.length && text[j] !== '"' && text[j] !== '\u201d' && text[j] !== '\u201c' && text[j] !== '\n') {
        if (text[j] === '\\' && j + 1 < text.length) {
          s += text[j + 1];
          j += 2;
        } else {
          s += text[j];
          j++;
        }
      }
      if (j >= text.length || text[j] === '\n') throw err('NV_LID_BIT_SYNTAX', 'unterminated string', at, path);
      toks.push({ kind: 'string', text: s, ...at });
      adv(j + 1 - i);
      continue;
    }
    if ('{}[]();:*.,=#-+/%'.includes(c)) {
      toks.push({ kind: 'punct', text: c, ...at });
      adv(1);
      continue;
    }
    throw err('NV_LID_BIT_SYNTAX', `unexpected character "${c}"`, at, path);
  }
  toks.push({ kind: 'eof', text: '', line, column: col });
  return toks;
}

// ------------------------------------------------------------------ preprocessor (line based)
/**
 * Value of a `#if`/`#elif` expression as the C preprocessor computes it: `defined(X)`/`defined X`, `!`, `&&`,
 * `||`, comparisons, arithmetic, parentheses; a macro name is its (recursively evaluated) value, an unknown name
 * is 0. Real editor headers guard blocks with `#if !defined(A)` and `#if defined(A) || defined(B)`.
 * Unparseable expressions count as false.
 */
function evalCondition(expr: string, defines: ReadonlyMap<string, string>, depth = 0): number {
  const toks: string[] = [];
  const re = /\s*(defined\b|[A-Za-z_]\w*|0[xX][0-9a-fA-F]+|\d+|&&|\|\||==|!=|<=|>=|<<|>>|[!()<>+\-*/%~])[uUlL]*/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < expr.length && (m = re.exec(expr))) toks.push(m[1]!);
  if (expr.slice(re.lastIndex).trim() !== '') return 0;
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const take = (t?: string): string => {
    const x = toks[i];
    if (x === undefined || (t !== undefined && x !== t)) throw new Error('bad #if');
    i++;
    return x;
  };
  const primary = (): number => {
    const t = take();
    if (t === '(') {
      const v = or();
      take(')');
      return v;
    }
    if (t === '!') return primary() === 0 ? 1 : 0;
    if (t === '-') return -primary();
    if (t === '~') return ~primary();
    if (t === 'defined') {
      const paren = peek() === '(';
      if (paren) take('(');
      const name = take();
      if (paren) take(')');
      return defines.has(name) ? 1 : 0;
    }
    if (/^\d/.test(t)) return Number(t.length > 1 && t[0] === '0' && !/[xX]/.test(t) ? parseInt(t, 8) : t);
    const v = defines.get(t);
    if (v === undefined || v.trim() === '' || depth > 16) return 0;
    return evalCondition(v, defines, depth + 1);
  };
  const binary = (next: () => number, ops: Record<string, (a: number, b: number) => number>) => (): number => {
    let v = next();
    while (peek() !== undefined && Object.hasOwn(ops, peek()!)) {
      const op = take();
      v = ops[op]!(v, next());
    }
    return v;
  };
  const mul = binary(primary, {
    '*': (a, b) => a * b,
    '/': (a, b) => (b ? Math.trunc(a / b) : 0),
    '%': (a, b) => (b ? a % b : 0),
  });
  const add = binary(mul, { '+': (a, b) => a + b, '-': (a, b) => a - b });
  const shift = binary(add, { '<<': (a, b) => a * 2 ** b, '>>': (a, b) => Math.floor(a / 2 ** b) });
  const rel = binary(shift, {
    '<': (a, b) => +(a < b),
    '>': (a, b) => +(a > b),
    '<=': (a, b) => +(a <= b),
    '>=': (a, b) => +(a >= b),
  });
  const eq = binary(rel, { '==': (a, b) => +(a === b), '!=': (a, b) => +(a !== b) });
  const and = binary(eq, { '&&': (a, b) => +(a !== 0 && b !== 0) });
  const or = binary(and, { '||': (a, b) => +(a !== 0 || b !== 0) });
  try {
    const v = or();
    return i === toks.length && Number.isFinite(v) ? v : 0;
  } catch {
    return 0;
  }
}

function preprocess(text: string, defines: Map<string, string>): string {
  const out: string[] = [];
  const stack: { active: boolean; taken: boolean }[] = [];
  const active = (): boolean => stack.every((s) => s.active);
  // Editor headers from Windows trees are CRLF: `.` stops at `\r`, so a directive line would not match.
  const lines = text.split(/\r?\n/);
  for (let k = 0; k < lines.length; k++) {
    let raw = lines[k]!;
    // A directive continued with `\` at line ends (multi-line #define): join, keeping line numbers.
    let joined = 0;
    while (/^\s*#/.test(raw) && raw.endsWith('\\') && k + 1 < lines.length) {
      raw = raw.slice(0, -1) + ' ' + lines[++k]!;
      joined++;
    }
    for (let j = 0; j < joined; j++) out.push('');
    const m = /^\s*#\s*(\w+)\s*(.*)$/.exec(raw);
    if (!m) {
      out.push(active() ? raw : '');
      continue;
    }
    const [, dir, rest] = m as unknown as [string, string, string];
    const arg = rest
      .replace(/\/\/.*$/, '')
      .replace(/\/\*.*?\*\//g, '')
      .trim();
    const cond = (): boolean => evalCondition(arg, defines) !== 0;
    if (dir === 'ifdef' || dir === 'ifndef' || dir === 'if') {
      const v = dir === 'ifdef' ? defines.has(arg) : dir === 'ifndef' ? !defines.has(arg) : cond();
      stack.push({ active: v, taken: v });
    } else if (dir === 'elif') {
      const top = stack[stack.length - 1];
      if (top) {
        const v = !top.taken && cond();
        top.active = v;
        top.taken ||= v;
      }
    } else if (dir === 'else') {
      const top = stack[stack.length - 1];
      if (top) {
        top.active = !top.taken;
        top.taken = true;
      }
    } else if (dir === 'endif') stack.pop();
    else if (dir === 'define' && active()) {
      const d = /^(\w+)(?:\s+(.*))?$/.exec(arg);
      if (d) defines.set(d[1]!, (d[2] ?? '').trim());
    } else if (dir === 'undef' && active()) defines.delete(arg);
    out.push(''); // keep line numbers
  }
  return out.join('\n');
}

// ------------------------------------------------------------------ C types
interface Scalar {
  size: number;
  signed: boolean;
  float?: boolean;
}
const u = (size: number): Scalar => ({ size, signed: false });
const i = (size: number): Scalar => ({ size, signed: true });
// ARM EABI: plain `char` is unsigned, `long` is 32 bits, `long long` 64.
const SCALARS: Readonly<Record<string, Scalar>> = {
  kal_uint8: u(1),
  kal_int8: i(1),
  kal_char: u(1),
  char: u(1),
  kal_bool: u(1),
  uint8_t: u(1),
  int8_t: i(1),
  uint8: u(1),
  int8: i(1),
  U8: u(1),
  S8: i(1),
  kal_uint16: u(2),
  kal_int16: i(2),
  kal_wchar: u(2),
  short: i(2),
  uint16_t: u(2),
  int16_t: i(2),
  uint16: u(2),
  int16: i(2),
  U16: u(2),
  S16: i(2),
  kal_uint32: u(4),
  kal_int32: i(4),
  int: i(4),
  long: i(4),
  uint32_t: u(4),
  int32_t: i(4),
  uint32: u(4),
  int32: i(4),
  U32: u(4),
  S32: i(4),
  float: { size: 4, signed: true, float: true },
  kal_uint64: u(8),
  kal_int64: i(8),
  uint64_t: u(8),
  int64_t: i(8),
  uint64: u(8),
  int64: i(8),
  U64: u(8),
  S64: i(8),
  double: { size: 8, signed: true, float: true },
};

function scalarShape(t: Scalar): LidBitShape {
  if (t.float) return { kind: 'float', size: t.size as 4 | 8 };
  if (t.size === 1 || t.size === 2 || t.size === 4 || t.size === 8)
    return { kind: 'int', size: t.size, signed: t.signed };
  return { kind: 'array', length: t.size, of: { kind: 'int', size: 1, signed: false } }; // opaque sized type
}

const wrapDims = (shape: LidBitShape, dims: readonly number[]): LidBitShape =>
  dims.reduceRight<LidBitShape>((of, length) => ({ kind: 'array', length, of }), shape);

interface CMember {
  name: string;
  type: string;
  dims: number[];
  offset: number;
  elemSize: number;
  size: number;
  struct?: CStruct;
  /** Shape of one element (before the array dimensions). */
  elem: LidBitShape;
}
interface CStruct {
  name: string;
  size: number;
  align: number;
  members: CMember[];
}

class Parser {
  i = 0;
  readonly t: Tok[];
  readonly path: string | undefined;
  readonly warnings: LidBitWarning[];
  constructor(t: Tok[], path: string | undefined, warnings: LidBitWarning[]) {
    this.t = t;
    this.path = path;
    this.warnings = warnings;
  }
  peek(k = 0): Tok {
    return this.t[Math.min(this.i + k, this.t.length - 1)]!;
  }
  next(): Tok {
    const x = this.peek();
    if (x.kind !== 'eof') this.i++;
    return x;
  }
  is(text: string, k = 0): boolean {
    const x = this.peek(k);
    return x.kind !== 'string' && x.text === text;
  }
  fail(message: string, t: Tok = this.peek(), code: LidErrorCode = 'NV_LID_BIT_SYNTAX'): never {
    throw err(code, message, t, this.path);
  }
  expect(text: string): Tok {
    if (!this.is(text)) this.fail(`expected "${text}", found ${describe(this.peek())}`);
    return this.next();
  }
  ident(): Tok {
    const x = this.peek();
    if (x.kind !== 'ident') this.fail(`expected a name, found ${describe(x)}`);
    return this.next();
  }
  int(): number {
    const x = this.peek();
    if (x.kind !== 'int') this.fail(`expected a number, found ${describe(x)}`);
    return this.next().value!;
  }
  str(): string {
    const x = this.peek();
    if (x.kind !== 'string') this.fail(`expected a string, found ${describe(x)}`);
    return this.next().text;
  }
}
const describe = (t: Tok): string =>
  t.kind === 'eof' ? 'end of input' : t.kind === 'string' ? `"${t.text}"` : `"${t.text}"`;

/**
 * An integer constant expression (array sizes, record counts): numbers, #define names (expanded recursively),
 * `+ - * / %` and parentheses — real editor headers size arrays as `[NUM_OF_BYTE_NP * NUM_NP]` or `[SIZE / 2]`.
 */
function constValue(p: Parser, defines: Map<string, string>, depth = 0): number {
  const fail = (message: string, t: Tok, code: LidErrorCode = 'NV_LID_BIT_SYNTAX'): never => p.fail(message, t, code);
  const primary = (): number => {
    const x = p.peek();
    if (p.is('(')) {
      p.next();
      const v = sum();
      p.expect(')');
      return v;
    }
    if (p.is('-')) {
      p.next();
      return -primary();
    }
    if (x.kind === 'int') return p.int();
    if (x.kind === 'ident') {
      p.next();
      const v = defines.get(x.text);
      if (v === undefined || v.trim() === '' || depth > 32)
        return fail(`"${x.text}" is not a #define of a number`, x, 'NV_LID_BIT_UNRESOLVED');
      let toks: Tok[];
      try {
        toks = lex(v, p.path);
      } catch {
        return fail(`"${x.text}" is not a #define of a number`, x, 'NV_LID_BIT_UNRESOLVED');
      }
      // Positions inside the macro text mean nothing to the user: report at the macro use.
      const sub = new Parser(
        toks.map((t) => ({ ...t, line: x.line, column: x.column })),
        p.path,
        p.warnings,
      );
      let n: number;
      try {
        n = constValue(sub, defines, depth + 1);
      } catch {
        return fail(`"${x.text}" is not a #define of a number`, x, 'NV_LID_BIT_UNRESOLVED');
      }
      if (sub.peek().kind !== 'eof')
        return fail(`"${x.text}" is not a #define of a number`, x, 'NV_LID_BIT_UNRESOLVED');
      return n;
    }
    return fail(`expected a number, found ${describe(x)}`, x);
  };
  const product = (): number => {
    let v = primary();
    while (p.is('*') || p.is('/') || p.is('%')) {
      const op = p.next();
      const r = primary();
      if (op.text !== '*' && r === 0) fail('division by zero in a constant', op);
      v = op.text === '*' ? v * r : op.text === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (p.is('+') || p.is('-')) {
      const op = p.next();
      v = op.text === '+' ? v + product() : v - product();
    }
    return v;
  };
  const at = p.peek();
  const v = sum();
  if (!Number.isSafeInteger(v) || v < 0) fail(`constant ${v} is not a size`, at);
  return v;
}

function structShape(s: CStruct): LidBitShape {
  return {
    kind: 'struct',
    name: s.name,
    size: s.size,
    members: s.members.map((m) => ({ name: m.name, offset: m.offset, shape: wrapDims(m.elem, m.dims) })),
  };
}

interface CType {
  size: number;
  align: number;
  struct?: CStruct;
  shape: LidBitShape;
}

function typeSize(
  name: string,
  structs: Map<string, CStruct>,
  extra: Readonly<Record<string, number>>,
  aliases?: ReadonlyMap<string, Scalar>,
  sign?: boolean,
): CType | undefined {
  const s = structs.get(name);
  if (s) return { size: s.size, align: s.align, struct: s, shape: structShape(s) };
  // Own keys only: `constructor`, `toString`… are Object.prototype members, not C types.
  const scalar = Object.hasOwn(SCALARS, name) ? SCALARS[name] : aliases?.get(name);
  if (scalar) {
    const t = sign === undefined || scalar.float ? scalar : { ...scalar, signed: sign };
    return { size: t.size, align: t.size, shape: scalarShape(t) };
  }
  const n = Object.hasOwn(extra, name) ? extra[name] : undefined;
  return n === undefined
    ? undefined
    : { size: n, align: n > 0 ? Math.min(n, 4) : 1, shape: scalarShape({ size: n, signed: false }) };
}

/** `unsigned`, `signed char`, `unsigned long long`… → the scalar they name (ARM EABI sizes). */
function modifiedScalar(words: readonly string[]): Scalar | undefined {
  const longs0 = words.filter((w) => w === 'long').length;
  const sign = words.includes('unsigned')
    ? false
    : words.includes('signed') || longs0 >= 2 || (words.includes('short') && words.length > 1)
      ? true
      : undefined;
  const base = words.filter((w) => !['unsigned', 'signed', 'const', 'volatile'].includes(w));
  if (sign === undefined) return undefined;
  const longs = base.filter((w) => w === 'long').length;
  const kind =
    base.find((w) => w !== 'long' && w !== 'int') ?? (longs >= 2 ? 'long long' : longs === 1 ? 'long' : 'int');
  const size =
    kind === 'char'
      ? 1
      : kind === 'short'
        ? 2
        : kind === 'long long'
          ? 8
          : kind === 'long' || kind === 'int'
            ? 4
            : undefined;
  return size === undefined ? undefined : { size, signed: sign };
}

function parseTypedef(
  p: Parser,
  structs: Map<string, CStruct>,
  defines: Map<string, string>,
  extra: Readonly<Record<string, number>>,
  aliases: Map<string, Scalar>,
): void {
  p.expect('typedef');
  if (!p.is('struct')) {
    // typedef <scalar> name;  (aliases)
    const words: Tok[] = [];
    while (!p.is(';') && p.peek().kind !== 'eof') words.push(p.next());
    p.expect(';');
    const alias = words.pop();
    const texts = words.map((w) => w.text);
    const modified = modifiedScalar(texts);
    const base = texts.filter((w) => !['unsigned', 'signed', 'const'].includes(w)).join(' ');
    const scalar = modified ?? (Object.hasOwn(SCALARS, base) ? SCALARS[base] : aliases.get(base));
    if (alias && scalar) aliases.set(alias.text, scalar);
    else {
      const t = typeSize(base, structs, extra, aliases);
      if (alias && t && !t.struct) (extra as Record<string, number>)[alias.text] = t.size;
    }
    return;
  }
  p.next();
  if (p.peek().kind === 'ident') p.next();
  p.expect('{');
  const members: CMember[] = [];
  let off = 0,
    align = 1;
  while (!p.is('}')) {
    let tt = p.ident();
    const mods: string[] = [];
    while (['unsigned', 'signed', 'const', 'volatile', 'struct'].includes(tt.text)) {
      mods.push(tt.text);
      // `unsigned x;` alone is an unsigned int
      if (
        (tt.text === 'unsigned' || tt.text === 'signed') &&
        p.peek().kind === 'ident' &&
        /^[;,[]$/.test(p.peek(1).text)
      )
        break;
      tt = p.ident();
    }
    while (
      ['long', 'short'].includes(tt.text) &&
      p.peek().kind === 'ident' &&
      ['long', 'int'].includes(p.peek().text) &&
      !/^[;,[]$/.test(p.peek(1).text)
    ) {
      mods.push(tt.text);
      tt = p.ident();
    }
    const bare = tt.text === 'unsigned' || tt.text === 'signed';
    const modified = modifiedScalar([...mods, ...(bare ? [] : [tt.text])]);
    const t: CType | undefined = modified
      ? { size: modified.size, align: modified.size, shape: scalarShape(modified) }
      : typeSize(tt.text, structs, extra, aliases);
    if (!t) p.fail(`unknown type "${tt.text}"`, tt, 'NV_LID_BIT_UNKNOWN_TYPE');
    for (;;) {
      const name = p.ident();
      const dims: number[] = [];
      while (p.is('[')) {
        p.next();
        dims.push(constValue(p, defines));
        p.expect(']');
      }
      if (p.is(':'))
        p.fail(
          'C bit fields in a typedef are not supported; describe them in LID_BIT',
          p.peek(),
          'NV_LID_BIT_UNKNOWN_TYPE',
        );
      const count = dims.reduce((a, b) => a * b, 1);
      off = Math.ceil(off / t.align) * t.align;
      const m: CMember = {
        name: name.text,
        type: [
          ...mods.filter((x) => x === 'unsigned' || x === 'signed' || x === 'long' || x === 'short'),
          ...(bare ? [] : [tt.text]),
        ].join(' '),
        dims,
        offset: off,
        elemSize: t.size,
        size: t.size * count,
        elem: t.shape,
      };
      if (t.struct) m.struct = t.struct;
      members.push(m);
      checkLimit('struct size', off + m.size, 1 << 24, { path: p.path });
      off += m.size;
      align = Math.max(align, t.align);
      if (p.is(',')) {
        p.next();
        continue;
      }
      break;
    }
    p.expect(';');
  }
  p.expect('}');
  const name = p.ident();
  p.expect(';');
  structs.set(name.text, { name: name.text, size: Math.ceil(off / align) * align, align, members });
}

// A resolved path: byte offset, width of the addressed object, and its element (for bit fields).
interface Resolved {
  offset: number;
  size: number;
  elemSize: number;
  scalar: boolean;
  type: string;
  shape: LidBitShape;
}

function parsePath(p: Parser, root: CStruct): { name: string; r: Resolved; at: Tok } {
  const at = p.ident();
  let name = at.text;
  let struct: CStruct | undefined = root;
  let m: CMember | undefined = root.members.find((x) => x.name === at.text);
  if (!m) return p.fail(`"${at.text}" is not a member of ${root.name}`, at, 'NV_LID_BIT_UNKNOWN_FIELD');
  let offset = m.offset;
  let size = m.size;
  let dimsLeft = [...m.dims];
  let shape = wrapDims(m.elem, m.dims);
  for (;;) {
    if (p.is('[')) {
      const b = p.next();
      const idx = p.int();
      p.expect(']');
      const dim = dimsLeft.shift();
      if (dim === undefined || idx >= dim)
        p.fail(
          `index [${idx}] is outside ${m!.name}${dim === undefined ? ' (not an array)' : `[${dim}]`}`,
          b,
          'NV_LID_BIT_UNKNOWN_FIELD',
        );
      size = size / dim;
      offset += idx * size;
      name += `[${idx}]`;
      if (shape.kind === 'array') shape = shape.of;
    } else if (p.is('.')) {
      p.next();
      const sub = p.ident();
      struct = m.struct;
      if (!struct || dimsLeft.length) p.fail(`"${name}" is not a struct`, sub, 'NV_LID_BIT_UNKNOWN_FIELD');
      const mm: CMember | undefined = struct.members.find((x) => x.name === sub.text);
      if (!mm) return p.fail(`"${sub.text}" is not a member of ${struct.name}`, sub, 'NV_LID_BIT_UNKNOWN_FIELD');
      m = mm;
      offset += mm.offset;
      size = mm.size;
      dimsLeft = [...mm.dims];
      shape = wrapDims(mm.elem, mm.dims);
      name += `.${sub.text}`;
    } else break;
  }
  const last: CMember = m!;
  return {
    name,
    at,
    r: {
      offset,
      size,
      elemSize: last.elemSize,
      scalar: !last.struct,
      type: last.type + dimsLeft.map((d) => `[${d}]`).join(''),
      shape,
    },
  };
}

function parseValues(p: Parser): LidBitValue[] {
  const values: LidBitValue[] = [];
  p.expect('{');
  while (!p.is('}')) {
    const vt = p.peek();
    const value = p.int();
    p.expect(':');
    const label = p.str();
    if (values.some((v) => v.value === value)) p.fail(`value ${value} is listed twice`, vt, 'NV_LID_BIT_DUP_VALUE');
    values.push({ value, label });
    p.expect(';');
  }
  p.expect('}');
  return values;
}

function semi(p: Parser, after: string): void {
  if (p.is(';')) {
    p.next();
    return;
  }
  // Sloppy sources omit `;` after a value list or body (docs/formats/lid-files.md#pitfalls): accept with a warning.
  const t = p.peek();
  p.warnings.push({
    code: 'NV_LID_BIT_MISSING_SEMI',
    message: `missing ";" after ${after}`,
    line: t.line,
    column: t.column,
  });
}

// Nesting deeper than any real description: refuse before the call stack does.
const MAX_DEPTH = 64;

function parseBody(
  p: Parser,
  root: CStruct,
  parent: { name: string; r: Resolved } | undefined,
  out: LidBitField[],
  depth: number,
): void {
  if (depth > MAX_DEPTH) p.fail(`items nested deeper than ${MAX_DEPTH} levels`);
  p.expect('{');
  let bit = 0;
  while (!p.is('}')) {
    if (p.peek().kind === 'ident' && p.is(':', 1) && p.peek(2).kind === 'int') {
      // bit field of the parent
      const nt = p.next();
      p.next();
      const wt = p.peek();
      const bits = p.int();
      if (!parent) p.fail('a bit field needs an enclosing member', nt);
      if (!parent.r.scalar)
        p.fail(`bit fields need an integer member, "${parent.name}" is a struct`, nt, 'NV_LID_BIT_UNKNOWN_FIELD');
      const width = parent.r.elemSize * 8;
      if (bits < 1 || bit + bits > width)
        p.fail(
          `bit field "${nt.text}" (bits ${bit}…${bit + bits - 1}) does not fit the ${width}-bit element of "${parent.name}"`,
          wt,
          'NV_LID_BIT_WIDTH_OVERFLOW',
        );
      const description = p.peek().kind === 'string' ? p.str() : '';
      const values = p.is('{') ? parseValues(p) : undefined;
      semi(p, `bit field "${nt.text}"`);
      if (nt.text !== 'none') {
        const f: LidBitField = {
          name: `${parent.name}.${nt.text}`,
          offset: parent.r.offset,
          bit,
          bits,
          description,
          container: parent.r.elemSize,
        };
        if (values && values.length) f.values = values;
        out.push(f);
      }
      bit += bits;
    } else parseItem(p, root, out, depth + 1);
  }
  p.expect('}');
}

function parseItem(p: Parser, root: CStruct, out: LidBitField[], depth = 0): void {
  const { name, r } = parsePath(p, root);
  let description = '';
  if (p.is(':')) {
    p.next();
    description = p.str();
  } else if (!p.is('{')) p.fail(`expected ":" or "{" after "${name}", found ${describe(p.peek())}`);
  const f: LidBitField = {
    name,
    offset: r.offset,
    bit: 0,
    bits: r.size * 8,
    description,
    type: r.type,
    shape: r.shape,
  };
  out.push(f);
  if (p.is('{')) parseBody(p, root, { name, r }, out, depth);
  semi(p, `"${name}"`);
}

/**
 * Parses META `LID_BIT` descriptions with their typedefs and #defines (docs/formats/lid-files.md#lid-bit) into field layouts. `GEN_FOR_PC` and
 * `GEN_FOR_CPARSER` are defined. Bit fields are allocated LSB-first in listed order; `none` fields are fillers.
 * @throws NvError `NV_LID_BIT_SYNTAX`, `NV_LID_BIT_UNRESOLVED`, `NV_LID_BIT_UNKNOWN_TYPE`, `NV_LID_BIT_UNKNOWN_FIELD`,
 *   `NV_LID_BIT_WIDTH_OVERFLOW`, `NV_LID_BIT_SIZE_MISMATCH`, `NV_LID_BIT_DUP_VALUE`, `NV_LIMIT` — all with line/column.
 * @example parseLidBit(headerText).lids[0].fields[0] // { name: 'mode', offset: 0, bit: 0, bits: 8, … }
 */
export function parseLidBit(text: string, options: LidBitOptions = {}): LidBitResult {
  checkLimit('LID_BIT description length', text.length, LID_BIT_MAX_CHARS, { path: options.path });
  const defines = new Map<string, string>([
    ['GEN_FOR_PC', '1'],
    ['GEN_FOR_CPARSER', '1'],
    ...Object.entries(options.defines ?? {}),
  ]);
  const toks = lex(preprocess(text, defines), options.path);
  const warnings: LidBitWarning[] = [];
  const p: Parser = new Parser(toks, options.path, warnings);
  const structs = new Map<string, CStruct>();
  const extra: Record<string, number> = { ...options.typeSizes };
  const aliases = new Map<string, Scalar>();
  const lids: LidBitLid[] = [];
  while (p.peek().kind !== 'eof') {
    if (p.is('typedef')) {
      parseTypedef(p, structs, defines, extra, aliases);
      continue;
    }
    if (p.is('BEGIN_NVRAM_DATA')) {
      p.next();
      while (!p.is('END_NVRAM_DATA')) {
        const lt = p.peek();
        if (lt.kind === 'eof') p.fail('missing END_NVRAM_DATA');
        if (!p.is('LID_BIT')) p.fail(`expected LID_BIT or END_NVRAM_DATA, found ${describe(lt)}`);
        p.next();
        // Real MOLY editor headers write `LID_BIT MULTIPLE_LID VER_LID(…)` for LIDs with A/B copies: a marker only.
        if (p.is('MULTIPLE_LID')) p.next();
        let verno: string;
        let lid: Tok;
        if (p.is('VER_LID')) {
          p.next();
          p.expect('(');
          lid = p.ident();
          p.expect(')');
          const v = defines.get(`${lid.text}_VERNO`);
          const m = v === undefined ? null : /^"(\d{3})"$/.exec(v.trim());
          if (!m)
            return p.fail(`VER_LID(${lid.text}) needs #define ${lid.text}_VERNO "NNN"`, lid, 'NV_LID_BIT_UNRESOLVED');
          verno = m[1]!;
        } else if (p.peek().kind === 'ident' && p.peek(1).kind === 'ident' && p.peek(2).kind === 'ident') {
          // `LID_BIT X_VERNO X_LID type * n`: the VERNO string given by its macro name (seen in MAUI headers).
          const vt = p.ident();
          const m = /^"(\d{3})"$/.exec((defines.get(vt.text) ?? '').trim());
          if (!m) return p.fail(`"${vt.text}" needs #define ${vt.text} "NNN"`, vt, 'NV_LID_BIT_UNRESOLVED');
          verno = m[1]!;
          lid = p.ident();
        } else {
          verno = p.str();
          lid = p.ident();
        }
        const tt = p.ident();
        const root = structs.get(tt.text);
        if (!root) p.fail(`unknown record struct "${tt.text}" (include its typedef)`, tt, 'NV_LID_BIT_UNKNOWN_TYPE');
        p.expect('*');
        const records = constValue(p, defines);
        const want = options.recordSizes?.[lid.text];
        if (want !== undefined && want !== root.size)
          p.fail(
            `sizeof(${root.name}) is ${root.size}, the table record size of ${lid.text} is ${want}`,
            tt,
            'NV_LID_BIT_SIZE_MISMATCH',
          );
        const fields: LidBitField[] = [];
        p.expect('{');
        while (!p.is('}')) {
          if (p.peek().kind === 'eof') p.fail('unterminated LID_BIT body');
          parseItem(p, root, fields);
        }
        p.expect('}');
        semi(p, `LID_BIT ${lid.text}`);
        // An empty body (most LID_BIT entries of real editor headers): the record struct's own members, typed.
        if (fields.length === 0)
          for (const m of root!.members)
            fields.push({
              name: m.name,
              offset: m.offset,
              bit: 0,
              bits: m.size * 8,
              description: '',
              type: m.type + m.dims.map((d) => `[${d}]`).join(''),
              shape: wrapDims(m.elem, m.dims),
            });
        lids.push({ lid: lid.text, verno, type: root.name, records, recordSize: root.size, fields });
      }
      p.next();
      continue;
    }
    // Anything else outside blocks (prototypes, other declarations) is skipped token by token.
    p.next();
  }
  return { lids, warnings };
}

/**
 * JSON value of a field. Integers of up to 32 bits are numbers (signed types negative: `kal_int16` `f8 ff` is −8);
 * 64-bit integers are decimal strings (`"-2"`, `"18446744073709551615"`: JSON numbers lose precision past 2⁵³);
 * finite floats are numbers, other floats (NaN, ±∞, −0) the hex of their bytes; arrays are JSON arrays (one level
 * per dimension) and structs objects of their members. Fields without a known type (hand-made layouts) are
 * unsigned integers up to 32 bits, else hex.
 */
export type LidBitJsonValue = number | string | LidBitJsonValue[] | { [member: string]: LidBitJsonValue };

/** One decoded field value. */
export interface LidBitFieldValue {
  name: string;
  /** Typed value ({@link LidBitJsonValue}); a bit field is an unsigned integer of its bits. */
  value: LidBitJsonValue;
  /** Label from the value list. */
  label?: string;
  /** Printable ASCII text of a byte array (NUL-terminated). */
  text?: string;
}

const badValue = (lid: LidBitLid, message: string): NvError =>
  new NvError('NV_LID_BIT_BAD_VALUE', `${lid.lid}: ${message}`, { path: lid.lid });

const readBits = (rec: Uint8Array, f: LidBitField): number => {
  const width = f.container ?? f.bits / 8;
  let v = 0;
  for (let k = width - 1; k >= 0; k--) v = v * 256 + (rec[f.offset + k] ?? 0);
  return f.container === undefined ? v : Math.floor(v / 2 ** f.bit) % 2 ** f.bits;
};

function readShape(dv: DataView, off: number, shape: LidBitShape): LidBitJsonValue {
  switch (shape.kind) {
    case 'int':
      if (shape.size === 1) return shape.signed ? dv.getInt8(off) : dv.getUint8(off);
      if (shape.size === 2) return shape.signed ? dv.getInt16(off, true) : dv.getUint16(off, true);
      if (shape.size === 4) return shape.signed ? dv.getInt32(off, true) : dv.getUint32(off, true);
      return (shape.signed ? dv.getBigInt64(off, true) : dv.getBigUint64(off, true)).toString();
    case 'float': {
      const v = shape.size === 4 ? dv.getFloat32(off, true) : dv.getFloat64(off, true);
      if (Number.isFinite(v) && !Object.is(v, -0)) return v;
      return bytesToHex(new Uint8Array(dv.buffer, dv.byteOffset + off, shape.size));
    }
    case 'array': {
      const step = shapeSize(shape.of);
      const out: LidBitJsonValue[] = new Array<LidBitJsonValue>(shape.length);
      for (let k = 0; k < shape.length; k++) out[k] = readShape(dv, off + k * step, shape.of);
      return out;
    }
    case 'struct': {
      const out: Record<string, LidBitJsonValue> = {};
      for (const m of shape.members) out[m.name] = readShape(dv, off + m.offset, m.shape);
      return out;
    }
  }
}

function shapeSize(shape: LidBitShape): number {
  switch (shape.kind) {
    case 'int':
    case 'float':
      return shape.size;
    case 'array':
      return shape.length * shapeSize(shape.of);
    case 'struct':
      return shape.size;
  }
}

const isByteArray = (f: LidBitField): boolean =>
  f.shape !== undefined
    ? f.shape.kind === 'array' && f.shape.of.kind === 'int' && f.shape.of.size === 1
    : f.container === undefined && !(f.bits <= 32 && [8, 16, 32].includes(f.bits) && !/\[/.test(f.type ?? ''));

/**
 * Decodes one record into named, typed fields (docs/formats/lid-files.md#lid-bit; multi-byte elements are LE): see {@link LidBitJsonValue}.
 * @throws NvError `NV_LID_BAD_BUFFER_SIZE` when the record is not `recordSize` bytes.
 * @example decodeLidBitRecord(lid, hexToBytes('0500090041424344'))[1] // { name: 'mode.power_save', value: 1, label: 'on' }
 */
export function decodeLidBitRecord(lid: LidBitLid, record: Uint8Array): LidBitFieldValue[] {
  if (record.length !== lid.recordSize)
    throw new NvError('NV_LID_BAD_BUFFER_SIZE', `record is ${record.length} bytes, ${lid.type} is ${lid.recordSize}`, {
      path: lid.lid,
    });
  const dv = new DataView(record.buffer, record.byteOffset, record.byteLength);
  return lid.fields.map((f) => {
    const bytes = record.subarray(f.offset, f.offset + f.bits / 8);
    let value: LidBitJsonValue;
    if (f.container !== undefined) value = readBits(record, f);
    else if (f.shape) value = readShape(dv, f.offset, f.shape);
    else
      value =
        f.bits <= 32 && [8, 16, 32].includes(f.bits) && !/\[/.test(f.type ?? '')
          ? readBits(record, f)
          : bytesToHex(bytes);
    const out: LidBitFieldValue = { name: f.name, value };
    const label = typeof value === 'number' ? f.values?.find((v) => v.value === value)?.label : undefined;
    if (label !== undefined) out.label = label;
    if (isByteArray(f)) {
      const end = bytes.indexOf(0);
      const t = bytes.subarray(0, end < 0 ? bytes.length : end);
      if (t.length > 0 && t.every((b) => b >= 0x20 && b < 0x7f) && bytes.subarray(t.length).every((b) => b === 0))
        out.text = decodeLatin1(t); // not fromCharCode(...t): a spread of a 10⁵-byte field overflows the stack
    }
    return out;
  });
}

function writeInt(
  dv: DataView,
  off: number,
  shape: Extract<LidBitShape, { kind: 'int' }>,
  v: LidBitJsonValue | bigint,
  what: string,
  lid: LidBitLid,
): void {
  const bits = shape.size * 8;
  let n: bigint;
  if (typeof v === 'bigint') n = v;
  else if (typeof v === 'number' && Number.isSafeInteger(v)) n = BigInt(v);
  else if (typeof v === 'string' && /^-?(?:0|[1-9][0-9]*)$/.test(v.trim())) n = BigInt(v.trim());
  else if (typeof v === 'string' && /^0[xX][0-9a-fA-F]+$/.test(v.trim())) n = BigInt(v.trim());
  else
    throw badValue(
      lid,
      `${what} = ${JSON.stringify(v)} is not an integer${shape.size === 8 ? ' (64-bit values are decimal strings)' : ''}`,
    );
  const lo = shape.signed ? -(1n << BigInt(bits - 1)) : 0n;
  const hi = shape.signed ? (1n << BigInt(bits - 1)) - 1n : (1n << BigInt(bits)) - 1n;
  if (n < lo || n > hi)
    throw badValue(
      lid,
      `${what} = ${n} does not fit ${shape.signed ? 'a signed' : 'an unsigned'} ${bits}-bit integer (${lo}…${hi})`,
    );
  if (shape.size === 8) dv.setBigUint64(off, BigInt.asUintN(64, n), true);
  else {
    let w = Number(BigInt.asUintN(bits, n));
    for (let k = 0; k < shape.size; k++) {
      dv.setUint8(off + k, w % 256);
      w = Math.floor(w / 256);
    }
  }
}

function writeShape(
  dv: DataView,
  off: number,
  shape: LidBitShape,
  v: LidBitJsonValue | bigint,
  what: string,
  lid: LidBitLid,
): void {
  const size = shapeSize(shape);
  // Raw bytes as hex are accepted for every composite or float field (and are how non-finite floats decode).
  if (typeof v === 'string' && (shape.kind === 'array' || shape.kind === 'struct' || shape.kind === 'float')) {
    if (shape.kind === 'float' && /^-?[0-9.]+(?:[eE][-+]?[0-9]+)?$/.test(v) && v.length !== size * 2)
      throw badValue(lid, `${what}: give a number, or ${size * 2} hex digits of raw bytes`);
    if (!/^(?:[0-9a-fA-F]{2})*$/.test(v) || v.length !== size * 2)
      throw badValue(
        lid,
        `${what} needs ${size} bytes of hex (${size * 2} digits) or a typed value, got "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`,
      );
    new Uint8Array(dv.buffer, dv.byteOffset + off, size).set(hexToBytes(v));
    return;
  }
  switch (shape.kind) {
    case 'int':
      writeInt(dv, off, shape, v, what, lid);
      return;
    case 'float':
      if (typeof v !== 'number' || Number.isNaN(v))
        throw badValue(lid, `${what} = ${JSON.stringify(v)} is not a number`);
      if (shape.size === 4) dv.setFloat32(off, v, true);
      else dv.setFloat64(off, v, true);
      return;
    case 'array': {
      if (!Array.isArray(v) || v.length !== shape.length)
        throw badValue(
          lid,
          `${what} needs an array of ${shape.length} values${Array.isArray(v) ? `, got ${v.length}` : ''} (or ${size} bytes of hex)`,
        );
      const step = shapeSize(shape.of);
      v.forEach((x, k) => writeShape(dv, off + k * step, shape.of, x, `${what}[${k}]`, lid));
      return;
    }
    case 'struct': {
      if (typeof v !== 'object' || v === null || Array.isArray(v) || typeof v === 'bigint')
        throw badValue(lid, `${what} needs an object of the members of ${shape.name} (or ${size} bytes of hex)`);
      for (const key of Object.keys(v)) {
        const m = shape.members.find((x) => x.name === key);
        if (!m) throw badValue(lid, `${what}.${key} is not a member of ${shape.name}`);
        writeShape(dv, off + m.offset, m.shape, v[key]!, `${what}.${key}`, lid);
      }
      return;
    }
  }
}

/**
 * Encodes named field values into a record (over `base`, default zeros): whole members first, then bit fields.
 * Values are typed ({@link LidBitJsonValue}; a 64-bit integer may also be a `bigint` or a safe-integer number),
 * labels of the value list for bit fields, or hex of the raw bytes for arrays, structs and floats.
 * @throws NvError `NV_LID_BIT_UNKNOWN_FIELD` for an unknown name or label; `NV_LID_BIT_BAD_VALUE` for a value that
 *   does not fit its type (range, array length, kind).
 * @example encodeLidBitRecord(lid, { 'mode.rat': '3G', label: [65, 66, 67, 68] })
 */
export function encodeLidBitRecord(
  lid: LidBitLid,
  values: Readonly<Record<string, LidBitJsonValue | bigint>>,
  base?: Uint8Array,
): Uint8Array<ArrayBuffer> {
  const rec = new Uint8Array(lid.recordSize);
  if (base) {
    if (base.length !== lid.recordSize)
      throw new NvError(
        'NV_LID_BAD_BUFFER_SIZE',
        `base record is ${base.length} bytes, ${lid.type} is ${lid.recordSize}`,
        { path: lid.lid },
      );
    rec.set(base);
  }
  for (const name of Object.keys(values)) {
    if (!lid.fields.some((f) => f.name === name))
      throw new NvError('NV_LID_BIT_UNKNOWN_FIELD', `"${name}" is not a field of ${lid.lid}`, { path: lid.lid });
  }
  const dv = new DataView(rec.buffer);
  const ordered = [...lid.fields].sort((a, b) => Number(a.container !== undefined) - Number(b.container !== undefined));
  for (const f of ordered) {
    let v = values[f.name];
    if (v === undefined) continue;
    if (typeof v === 'string' && f.values && f.values.some((x) => x.label === v))
      v = f.values.find((x) => x.label === v)!.value;
    else if (typeof v === 'string' && f.values && !/^[0-9a-fA-F]*$/.test(v))
      throw new NvError('NV_LID_BIT_UNKNOWN_FIELD', `"${v}" is not a value label of ${f.name}`, { path: lid.lid });
    if (f.container === undefined && f.shape) {
      writeShape(dv, f.offset, f.shape, v, f.name, lid);
      continue;
    }
    if (typeof v === 'string' && f.container === undefined) {
      if (!/^(?:[0-9a-fA-F]{2})*$/.test(v) || v.length !== f.bits / 4)
        throw badValue(lid, `${f.name} needs ${f.bits / 8} bytes of hex`);
      rec.set(hexToBytes(v), f.offset);
      continue;
    }
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= 2 ** f.bits)
      throw badValue(
        lid,
        `${f.name} = ${JSON.stringify(typeof v === 'bigint' ? v.toString() : v)} does not fit ${f.bits} unsigned bits`,
      );
    const width = f.container ?? f.bits / 8;
    let word = 0;
    for (let k = width - 1; k >= 0; k--) word = word * 256 + rec[f.offset + k]!;
    if (f.container !== undefined) {
      const lo = word % 2 ** f.bit;
      const hi = Math.floor(word / 2 ** (f.bit + f.bits));
      word = hi * 2 ** (f.bit + f.bits) + v * 2 ** f.bit + lo;
    } else word = v;
    for (let k = 0; k < width; k++) {
      rec[f.offset + k] = word % 256;
      word = Math.floor(word / 256);
    }
  }
  return rec;
}

/** One applied field edit. */
export interface LidBitEdit {
  name: string;
  from: LidBitJsonValue;
  to: LidBitJsonValue;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies the fields of a `decode --json` record to its bytes: every field whose `value`, `label` or `text`
 * differs from what `record` holds is an edit and is written into its bits; unchanged fields leave the bytes
 * alone (so decode → applyLidBitEdits of untouched output is byte-identical). Nothing is ignored: an unknown
 * field, a value that does not fit, or edits that overwrite each other are errors.
 * @throws NvError `NV_LID_BIT_UNKNOWN_FIELD`, `NV_LID_BIT_BAD_VALUE`, `NV_LID_BAD_BUFFER_SIZE`.
 * @example applyLidBitEdits(lid, rec, [{ name: 'temp', value: -9 }]).edits // [{ name: 'temp', from: -8, to: -9 }]
 */
export function applyLidBitEdits(
  lid: LidBitLid,
  record: Uint8Array,
  fields: readonly { name: string; value?: LidBitJsonValue; label?: string; text?: string }[],
): { record: Uint8Array<ArrayBuffer>; edits: LidBitEdit[] } {
  const current = new Map(decodeLidBitRecord(lid, record).map((v) => [v.name, v]));
  const values: Record<string, LidBitJsonValue> = {};
  const edits: LidBitEdit[] = [];
  for (const f of fields) {
    const cur = current.get(f.name);
    if (!cur)
      throw new NvError('NV_LID_BIT_UNKNOWN_FIELD', `"${f.name}" is not a field of ${lid.lid}`, { path: lid.lid });
    const field = lid.fields.find((x) => x.name === f.name)!;
    const valueChanged = f.value !== undefined && !same(f.value, cur.value);
    const labelChanged = f.label !== undefined && f.label !== cur.label;
    const textChanged = f.text !== undefined && f.text !== cur.text;
    if (!valueChanged && !labelChanged && !textChanged) continue;
    let fromText: number[] | undefined;
    if (textChanged) {
      const n = field.bits / 8;
      if (!isByteArray(field)) throw badValue(lid, `${f.name} has no text (it is not a byte array): edit its value`);
      const codes = [...f.text!].map((c) => c.charCodeAt(0));
      if (codes.some((c) => c > 0xff) || codes.length > n)
        throw badValue(lid, `${f.name}: text "${f.text}" does not fit ${n} Latin-1 bytes`);
      fromText = [...codes, ...new Array<number>(n - codes.length).fill(0)];
    }
    let target: LidBitJsonValue;
    if (valueChanged) target = f.value!;
    else if (labelChanged) target = f.label!;
    else
      target =
        field.shape && field.shape.kind === 'array' && field.shape.length === fromText!.length
          ? fromText!
          : bytesToHex(Uint8Array.from(fromText!));
    values[f.name] = target;
    // value and label (or text) both changed must say the same thing.
    const probe = encodeLidBitRecord(lid, { [f.name]: target }, record);
    if (valueChanged && labelChanged && !same(encodeLidBitRecord(lid, { [f.name]: f.label! }, record), probe))
      throw badValue(lid, `${f.name}: the edited value ${JSON.stringify(f.value)} and label "${f.label}" disagree`);
    if (
      valueChanged &&
      textChanged &&
      !same(encodeLidBitRecord(lid, { [f.name]: bytesToHex(Uint8Array.from(fromText!)) }, record), probe)
    )
      throw badValue(lid, `${f.name}: the edited value and text "${f.text}" disagree`);
    edits.push({ name: f.name, from: cur.value, to: target });
  }
  if (edits.length === 0) return { record: Uint8Array.from(record), edits };
  const out = encodeLidBitRecord(lid, values, record);
  // Overlapping edits (a member and one of its bit fields) must agree: each edited field reads back as asked.
  for (const e of edits) {
    if (!same(encodeLidBitRecord(lid, { [e.name]: values[e.name]! }, out), out))
      throw badValue(lid, `the edit of ${e.name} is overwritten by another edit of the same bits: edit one of them`);
  }
  return { record: out, edits };
}
