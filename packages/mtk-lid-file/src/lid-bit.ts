/**
 * META `LID_BIT` description language (§12): a small preprocessor (`#define`, `#ifdef`…), C typedef layout
 * (ARM EABI natural alignment) and the LID_BIT grammar → field layouts; records ↔ named fields.
 * @module
 */
import { NvError, bytesToHex, checkLimit, decodeLatin1, hexToBytes } from '@nv/core';
import type { LidErrorCode } from './errors.ts';

/** Largest description accepted (characters). */
export const LID_BIT_MAX_CHARS: number = 4 * 1024 * 1024;

/** A raw value → label mapping of a bit field. */
export interface LidBitValue {
  value: number;
  label: string;
}

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
      // Copied docs carry curly quotes (§15): accept them as string delimiters.
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
    if ('{}[]();:*.,=#-+'.includes(c)) {
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
function preprocess(text: string, defines: Map<string, string>): string {
  const out: string[] = [];
  const stack: { active: boolean; taken: boolean }[] = [];
  const active = (): boolean => stack.every((s) => s.active);
  const lines = text.split('\n');
  for (let k = 0; k < lines.length; k++) {
    const raw = lines[k]!;
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
    const cond = (): boolean => {
      const d = /^(!?)\s*defined\s*\(?\s*(\w+)\s*\)?$/.exec(arg);
      if (d) return defines.has(d[2]!) !== (d[1] === '!');
      const v = defines.get(arg) ?? arg;
      return /^\d+$/.test(v) ? Number(v) !== 0 : false;
    };
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
const SCALARS: Readonly<Record<string, number>> = {
  kal_uint8: 1,
  kal_int8: 1,
  kal_char: 1,
  char: 1,
  kal_bool: 1,
  uint8_t: 1,
  int8_t: 1,
  U8: 1,
  S8: 1,
  kal_uint16: 2,
  kal_int16: 2,
  kal_wchar: 2,
  short: 2,
  uint16_t: 2,
  int16_t: 2,
  U16: 2,
  S16: 2,
  kal_uint32: 4,
  kal_int32: 4,
  int: 4,
  long: 4,
  uint32_t: 4,
  int32_t: 4,
  U32: 4,
  S32: 4,
  float: 4,
  kal_uint64: 8,
  kal_int64: 8,
  uint64_t: 8,
  int64_t: 8,
  double: 8,
};

interface CMember {
  name: string;
  type: string;
  dims: number[];
  offset: number;
  elemSize: number;
  size: number;
  struct?: CStruct;
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

function constValue(p: Parser, defines: Map<string, string>): number {
  const x = p.peek();
  if (x.kind === 'int') return p.int();
  if (x.kind === 'ident') {
    p.next();
    const v = defines.get(x.text);
    const n =
      v === undefined
        ? NaN
        : /^\(?\s*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\s*\)?$/.test(v)
          ? Number(/(0[xX][0-9a-fA-F]+|\d+)/.exec(v)![1])
          : NaN;
    if (!Number.isSafeInteger(n)) p.fail(`"${x.text}" is not a #define of a number`, x, 'NV_LID_BIT_UNRESOLVED');
    return n;
  }
  return p.fail(`expected a number, found ${describe(x)}`);
}

function typeSize(
  name: string,
  structs: Map<string, CStruct>,
  extra: Readonly<Record<string, number>>,
): { size: number; align: number; struct?: CStruct } | undefined {
  const s = structs.get(name);
  if (s) return { size: s.size, align: s.align, struct: s };
  // Own keys only: `constructor`, `toString`… are Object.prototype members, not C types.
  const scalar = Object.hasOwn(SCALARS, name) ? SCALARS[name] : undefined;
  const n = scalar ?? (Object.hasOwn(extra, name) ? extra[name] : undefined);
  return n === undefined
    ? undefined
    : { size: n, align: Math.min(n, 8) > 0 ? (scalar !== undefined ? n : Math.min(n, 4)) : 1 };
}

function parseTypedef(
  p: Parser,
  structs: Map<string, CStruct>,
  defines: Map<string, string>,
  extra: Readonly<Record<string, number>>,
): void {
  p.expect('typedef');
  if (!p.is('struct')) {
    // typedef <scalar> name;  (aliases)
    const words: Tok[] = [];
    while (!p.is(';') && p.peek().kind !== 'eof') words.push(p.next());
    p.expect(';');
    const alias = words.pop();
    const base = words
      .filter((w) => !['unsigned', 'signed', 'const'].includes(w.text))
      .map((w) => w.text)
      .join(' ');
    const t = typeSize(base, structs, extra);
    if (alias && t && !t.struct) (extra as Record<string, number>)[alias.text] = t.size;
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
    while (['unsigned', 'signed', 'const', 'volatile', 'struct'].includes(tt.text)) tt = p.ident();
    const t = typeSize(tt.text, structs, extra);
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
      const m: CMember = { name: name.text, type: tt.text, dims, offset: off, elemSize: t.size, size: t.size * count };
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
  // Sloppy sources omit `;` after a value list or body (§15): accept with a warning.
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
  const f: LidBitField = { name, offset: r.offset, bit: 0, bits: r.size * 8, description, type: r.type };
  out.push(f);
  if (p.is('{')) parseBody(p, root, { name, r }, out, depth);
  semi(p, `"${name}"`);
}

/**
 * Parses META `LID_BIT` descriptions with their typedefs and #defines (§12) into field layouts. `GEN_FOR_PC` and
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
  const lids: LidBitLid[] = [];
  while (p.peek().kind !== 'eof') {
    if (p.is('typedef')) {
      parseTypedef(p, structs, defines, extra);
      continue;
    }
    if (p.is('BEGIN_NVRAM_DATA')) {
      p.next();
      while (!p.is('END_NVRAM_DATA')) {
        const lt = p.peek();
        if (lt.kind === 'eof') p.fail('missing END_NVRAM_DATA');
        if (!p.is('LID_BIT')) p.fail(`expected LID_BIT or END_NVRAM_DATA, found ${describe(lt)}`);
        p.next();
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

/** One decoded field value. */
export interface LidBitFieldValue {
  name: string;
  /** Integer value for fields of up to 32 bits; else lower-case hex of the bytes. */
  value: number | string;
  /** Label from the value list. */
  label?: string;
  /** Printable ASCII text of a byte array (NUL-terminated). */
  text?: string;
}

const readBits = (rec: Uint8Array, f: LidBitField): number => {
  const width = f.container ?? f.bits / 8;
  let v = 0;
  for (let k = width - 1; k >= 0; k--) v = v * 256 + (rec[f.offset + k] ?? 0);
  return f.container === undefined ? v : Math.floor(v / 2 ** f.bit) % 2 ** f.bits;
};

/**
 * Decodes one record into named fields (multi-byte elements are LE integers; §12).
 * @throws NvError `NV_LID_BAD_BUFFER_SIZE` when the record is not `recordSize` bytes.
 * @example decodeLidBitRecord(lid, hexToBytes('0500090041424344'))[1] // { name: 'mode.power_save', value: 1, label: 'on' }
 */
export function decodeLidBitRecord(lid: LidBitLid, record: Uint8Array): LidBitFieldValue[] {
  if (record.length !== lid.recordSize)
    throw new NvError('NV_LID_BAD_BUFFER_SIZE', `record is ${record.length} bytes, ${lid.type} is ${lid.recordSize}`, {
      path: lid.lid,
    });
  return lid.fields.map((f) => {
    const bytes = record.subarray(f.offset, f.offset + f.bits / 8);
    const small =
      f.container !== undefined || (f.bits <= 32 && [8, 16, 32].includes(f.bits) && !/\[/.test(f.type ?? ''));
    const out: LidBitFieldValue = { name: f.name, value: small ? readBits(record, f) : bytesToHex(bytes) };
    const label = f.values?.find((v) => v.value === out.value)?.label;
    if (label !== undefined) out.label = label;
    if (!small) {
      const end = bytes.indexOf(0);
      const t = bytes.subarray(0, end < 0 ? bytes.length : end);
      if (t.length > 0 && t.every((b) => b >= 0x20 && b < 0x7f) && bytes.subarray(t.length).every((b) => b === 0))
        out.text = decodeLatin1(t); // not fromCharCode(...t): a spread of a 10⁵-byte field overflows the stack
    }
    return out;
  });
}

/**
 * Encodes named field values into a record (over `base`, default zeros): whole members first, then bit fields.
 * Values are integers (or labels of the value list) for integer fields and hex for arrays.
 * @throws NvError `NV_LID_BIT_UNKNOWN_FIELD` for an unknown name or label; RangeError for a value out of range.
 * @example encodeLidBitRecord(lid, { 'mode.rat': 2, label: '41424344' })
 */
export function encodeLidBitRecord(
  lid: LidBitLid,
  values: Readonly<Record<string, number | string>>,
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
  const ordered = [...lid.fields].sort((a, b) => Number(a.container !== undefined) - Number(b.container !== undefined));
  for (const f of ordered) {
    let v = values[f.name];
    if (v === undefined) continue;
    if (typeof v === 'string' && f.values && !/^[0-9a-fA-F]*$/.test(v)) {
      const hit = f.values.find((x) => x.label === v);
      if (!hit)
        throw new NvError('NV_LID_BIT_UNKNOWN_FIELD', `"${v}" is not a value label of ${f.name}`, { path: lid.lid });
      v = hit.value;
    }
    if (typeof v === 'string') {
      const bytes = hexToBytes(v, f.name);
      if (bytes.length !== f.bits / 8)
        throw new RangeError(`${f.name} needs ${f.bits / 8} bytes of hex, got ${bytes.length}`);
      rec.set(bytes, f.offset);
      continue;
    }
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** f.bits)
      throw new RangeError(`${f.name} = ${v} does not fit ${f.bits} bits`);
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
