/**
 * C lexing for the LID-table importer and any header (docs/formats/lid-table.md#c-import): comments blanked with
 * positions kept, curly quotes normalized, tokens with line/column/offset, string-literal values. Pure.
 * @module
 */
import { NvError } from '@nv/core';
import type { CoreErrorCode } from '@nv/core';
import type { LtableErrorCode } from './errors.ts';

/** Token kinds: identifier, number, string literal, character literal, punctuator. */
export type CTokenKind = 'id' | 'num' | 'str' | 'chr' | 'p';
/** One C token with its 1-based line and column and its character offset in the source. */
export interface CToken {
  readonly k: CTokenKind;
  readonly t: string;
  readonly line: number;
  readonly col: number;
  readonly off: number;
}
/** A place in a source text. */
export interface CPosition {
  readonly line: number;
  readonly col: number;
  readonly off: number;
}
/** A warning found while reading C (same shape as a lint finding). */
export interface CDiagnostic {
  readonly severity: 'warning' | 'error';
  readonly code: string;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  /** Entry symbol, when the warning is about one entry. */
  readonly name?: string;
}

/** Where errors and warnings of one source go: the current file name, an error factory and a warning sink. */
export class CReporter {
  readonly warnings: CDiagnostic[] = [];
  file = '';
  /** An `NvError` whose message starts `file:line:col:`, with `offset`, `path` and `data: {line, column}`. */
  err(code: LtableErrorCode | CoreErrorCode, message: string, at: CPosition): NvError {
    return new NvError(code, `${this.file}:${at.line}:${at.col}: ${message}`, {
      offset: at.off,
      path: this.file,
      data: { line: at.line, column: at.col },
    });
  }
  warn(
    code: string,
    message: string,
    at: { line: number; col: number },
    name?: string,
    severity: 'warning' | 'error' = 'warning',
  ): void {
    this.warnings.push({
      severity,
      code,
      message: `${this.file}:${at.line}:${at.col}: ${message}`,
      file: this.file,
      line: at.line,
      column: at.col,
      ...(name !== undefined ? { name } : {}),
    });
  }
}
type Tok = CToken;
type Ctx = CReporter;

/** Line and column (1-based) of a character offset. */
export function cPosition(text: string, off: number): { line: number; col: number; off: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < off; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: off - lineStart + 1, off };
}

const blank = (s: string): string => s.replace(/[^\n]/g, ' ');

/** Replaces comments by spaces (keeping newlines, so positions stay), normalizes curly quotes. */
export function stripCComments(ctx: Ctx, src: string): string {
  const out: string[] = [];
  const special = /[/"'\u201c\u201d]/g;
  let i = 0;
  let smartWarned = false;
  const n = src.length;
  const smart = (at: number): void => {
    if (!smartWarned) ctx.warn('NV_LTABLE_SMART_QUOTES', 'curly quotes normalized to "', cPosition(src, at));
    smartWarned = true;
  };
  while (i < n) {
    special.lastIndex = i;
    const m = special.exec(src);
    if (!m) {
      out.push(src.slice(i));
      break;
    }
    const j = m.index;
    out.push(src.slice(i, j));
    const c = m[0];
    i = j;
    if (c === '\u201c' || c === '\u201d') {
      smart(j);
      out.push('"');
      i++;
      continue;
    }
    if (c === '/') {
      if (src[j + 1] === '*') {
        const end = src.indexOf('*/', j + 2);
        if (end < 0) throw ctx.err('NV_LTABLE_SYNTAX', 'unterminated /* comment', cPosition(src, j));
        out.push(blank(src.slice(j, end + 2)));
        i = end + 2;
      } else if (src[j + 1] === '/') {
        let end = src.indexOf('\n', j);
        if (end < 0) end = n;
        out.push(' '.repeat(end - j));
        i = end;
      } else {
        out.push('/');
        i++;
      }
      continue;
    }
    // String or character literal: copy to the closing quote (escapes honoured), curly quotes inside normalized.
    let k = j + 1;
    for (;;) {
      if (k >= n || src[k] === '\n')
        throw ctx.err(
          'NV_LTABLE_SYNTAX',
          `unterminated ${c === '"' ? 'string' : 'character'} literal`,
          cPosition(src, j),
        );
      const d = src[k] as string;
      if (d === '\\' && k + 1 < n) {
        k += 2;
        continue;
      }
      if (d === '\u201c' || d === '\u201d') {
        if (c === '"') break;
        smart(k);
      }
      k++;
      if (d === c) break;
    }
    let lit = src.slice(j, k);
    if (/[\u201c\u201d]/.test(lit)) {
      smart(j);
      lit = lit.replace(/[\u201c\u201d]/g, '"');
      if (!lit.endsWith(c) || lit.length < 2) {
        lit += '"';
        k++;
      }
    }
    out.push(lit);
    i = k;
  }
  return out.join('');
}

const PUNCT3 = ['<<=', '>>=', '...'];
const PUNCT2 = new Set([
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '&&',
  '||',
  '##',
  '->',
  '++',
  '--',
  '+=',
  '-=',
  '*=',
  '/=',
  '|=',
  '&=',
  '^=',
  '%=',
]);
const ID_RE = /[A-Za-z_][A-Za-z_0-9]*/y;
const NUM_RE = /[0-9.][0-9A-Za-z_.]*/y;

/** Tokens of a (comment-free) text; `line0`/`col0`/`off0` place its first character. */
export function tokenizeC(ctx: Ctx, text: string, line0: number, col0: number, off0: number): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  let line = line0;
  let lineStart = 1 - col0; // col = i - lineStart + 1
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11 || c === 92) {
      i++;
      continue;
    }
    const col = i - lineStart + 1;
    let len: number;
    let k: CTokenKind;
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95) {
      ID_RE.lastIndex = i;
      ID_RE.test(text);
      len = ID_RE.lastIndex - i;
      k = 'id';
    } else if ((c >= 48 && c <= 57) || (c === 46 && /[0-9]/.test(text[i + 1] ?? ''))) {
      NUM_RE.lastIndex = i;
      NUM_RE.test(text);
      len = NUM_RE.lastIndex - i;
      k = 'num';
    } else if (c === 34 || c === 39) {
      let j = i + 1;
      while (j < n && text.charCodeAt(j) !== c) j += text.charCodeAt(j) === 92 ? 2 : 1;
      if (j >= n) throw ctx.err('NV_LTABLE_SYNTAX', 'unterminated literal', { line, col, off: off0 + i });
      len = j + 1 - i;
      k = c === 34 ? 'str' : 'chr';
    } else {
      len = PUNCT3.includes(text.slice(i, i + 3)) ? 3 : PUNCT2.has(text.slice(i, i + 2)) ? 2 : 1;
      k = 'p';
    }
    toks.push({ k, t: text.slice(i, i + len), line, col, off: off0 + i });
    i += len;
  }
  return toks;
}

/** The value of a sequence of adjacent string literals (parentheses allowed); undefined when not only strings. */
export function cStringValue(ctx: Ctx, toks: readonly Tok[]): string | undefined {
  if (toks.length === 0 || toks.some((t) => t.k !== 'str' && t.t !== '(' && t.t !== ')')) return undefined;
  let s = '';
  for (const t of toks) {
    if (t.k !== 'str') continue;
    const v = cUnescape(t.t.slice(1, -1));
    if (v === undefined) throw ctx.err('NV_LTABLE_SYNTAX', `cannot read string ${t.t}`, t);
    s += v;
  }
  return s;
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
  '?': '?',
};

/** C string-literal body → text (\x and octal as code units, \u/\U as code points); undefined when malformed. */
export function cUnescape(body: string): string | undefined {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const d = body[++i];
    if (d === undefined) return undefined;
    const simple = SIMPLE_ESCAPES[d];
    if (simple !== undefined) {
      out += simple;
      continue;
    }
    let m: RegExpExecArray | null;
    if ((m = /^x([0-9a-fA-F]{1,2})/.exec(body.slice(i)))) out += String.fromCharCode(parseInt(m[1] as string, 16));
    else if ((m = /^([0-7]{1,3})/.exec(body.slice(i)))) out += String.fromCharCode(parseInt(m[1] as string, 8) & 0xff);
    else if ((m = /^u([0-9a-fA-F]{4})/.exec(body.slice(i))) ?? (m = /^U([0-9a-fA-F]{8})/.exec(body.slice(i)))) {
      const cp = parseInt(m[1] as string, 16);
      if (cp > 0x10ffff) return undefined;
      out += String.fromCodePoint(cp);
    } else return undefined;
    i += (m[0] as string).length - 1;
  }
  return out;
}
