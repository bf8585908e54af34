/**
 * A general evaluator of C integer constant expressions (the `#if` and initializer subset: literals, casts, `sizeof`,
 * unary, binary and `?:` operators) over preprocessed tokens (docs/formats/lid-table.md#c-import). Pure; usable on
 * any header: names and `sizeof` are resolved through the caller's hooks.
 * @module
 */
import { NvError } from '@nv/core';
import type { CToken as Tok } from './c-lexer.ts';

const MAX_EXPR_DEPTH = 200;

/** Thrown when an expression cannot be evaluated (unknown name, not an integer…): callers decide if that is an error. */
export class CUnresolved extends Error {}
const Unresolved = CUnresolved;

/** Words accepted inside a cast `(type)` by default: the C scalar type words. */
export const C_CAST_WORDS: ReadonlySet<string> = new Set([
  'uint8_t',
  'uint16_t',
  'uint32_t',
  'int8_t',
  'int16_t',
  'int32_t',
  'unsigned',
  'signed',
  'int',
  'char',
  'short',
  'long',
  'const',
  'void',
]);

/** How names, `sizeof` and casts are resolved: the environment of {@link evalCExpr}. */
export interface CExprEnv {
  /** File name for limit messages. */
  readonly file?: string;
  /** Value of an identifier (enum constant…); undefined when unknown. */
  readonly names?: (id: string) => number | undefined;
  /** `sizeof(typeName)` (`struct` and `const` dropped, words joined by one space); undefined when unknown. */
  readonly sizeOf?: (typeName: string) => number | undefined;
  /** Words allowed in a cast; default {@link C_CAST_WORDS}. */
  readonly castWords?: ReadonlySet<string>;
  /** `defined X` inside the expression (the preprocessor normally replaces it before expansion). */
  readonly defined?: (name: string) => boolean;
  /** An unknown identifier is 0 (as in `#if`) instead of unresolved. */
  readonly unknownIsZero?: boolean;
}

/** A C integer literal (decimal, octal with leading 0, hex; `u`/`l` suffixes) → number; undefined when not one. */
export function parseCInteger(t: string): number | undefined {
  const s = t.replace(/[uUlL]+$/, '');
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(s)) v = parseInt(s.slice(2), 16);
  else if (/^0[0-7]*$/.test(s))
    v = parseInt(s, 8); // leading 0 = octal (docs/formats/lid-table.md#c-import: 013 = 11)
  else if (/^[1-9][0-9]*$/.test(s)) v = parseInt(s, 10);
  else return undefined;
  return Number.isSafeInteger(v) ? v : undefined;
}

/**
 * Evaluates a C integer constant expression (recursive descent, C precedence; `<<`/`>>`/`&`/`|`/`^`/`~` on 32-bit
 * unsigned values as the modem build does).
 * @throws CUnresolved when it cannot be evaluated; NvError NV_LIMIT when nested deeper than 200.
 */
export function evalCExpr(toks: readonly Tok[], opts: CExprEnv = {}): number {
  const castWords = opts.castWords ?? C_CAST_WORDS;
  if (toks.length === 1 && (toks[0] as Tok).k === 'num') {
    // Fast path for the common single literal (byte arrays, sizes).
    const v = parseCInteger((toks[0] as Tok).t);
    if (v !== undefined) return v;
  }
  let p = 0;
  let depth = 0;
  const peek = (): string | undefined => toks[p]?.t;
  const take = (t: string): void => {
    if (peek() !== t) throw new Unresolved(`expected ${t}`);
    p++;
  };
  const deeper = <T>(f: () => T): T => {
    if (++depth > MAX_EXPR_DEPTH)
      throw new NvError('NV_LIMIT', `${opts.file ?? ''}: expression nested deeper than ${MAX_EXPR_DEPTH}`);
    try {
      return f();
    } finally {
      depth--;
    }
  };
  const primary = (): number =>
    deeper(() => {
      const tk = toks[p];
      if (!tk) throw new Unresolved('unexpected end');
      if (tk.t === '(') {
        // Cast: (type words [*]) operand.
        let q = p + 1;
        while (q < toks.length && (castWords.has((toks[q] as Tok).t) || (toks[q] as Tok).t === '*')) q++;
        if (q > p + 1 && toks[q]?.t === ')') {
          p = q + 1;
          return unary();
        }
        p++;
        const v = cond();
        take(')');
        return v;
      }
      p++;
      if (tk.k === 'num') {
        const v = parseCInteger(tk.t);
        if (v === undefined) throw new Unresolved(`not an integer: ${tk.t}`);
        return v;
      }
      if (tk.k === 'chr') {
        const body = tk.t.slice(1, -1);
        if (body.length === 1) return body.charCodeAt(0);
        throw new Unresolved(`character ${tk.t}`);
      }
      if (tk.k === 'id') {
        if (tk.t === 'defined' && opts.defined !== undefined) {
          const paren = peek() === '(';
          if (paren) p++;
          const name = toks[p]?.t ?? '';
          p++;
          if (paren) take(')');
          return opts.defined(name) ? 1 : 0;
        }
        if (tk.t === 'sizeof') {
          take('(');
          const words: string[] = [];
          while (p < toks.length && peek() !== ')') words.push((toks[p++] as Tok).t);
          take(')');
          const typeName = words.filter((w) => w !== 'struct' && w !== 'const').join(' ');
          const size = opts.sizeOf?.(typeName);
          if (size === undefined) throw new Unresolved(`sizeof(${words.join(' ')}) needs a struct size`);
          return size;
        }
        const named = opts.names?.(tk.t);
        if (named !== undefined) return named;
        if (opts.unknownIsZero === true) {
          if (peek() === '(') throw new Unresolved(`function-like macro ${tk.t} is not defined`);
          return 0;
        }
        throw new Unresolved(`${tk.t} is not defined`);
      }
      throw new Unresolved(`unexpected ${tk.t}`);
    });
  const unary = (): number =>
    deeper(() => {
      const t = peek();
      if (t === '-') return (p++, -unary());
      if (t === '+') return (p++, unary());
      if (t === '~') return (p++, ~unary() >>> 0);
      if (t === '!') return (p++, unary() === 0 ? 1 : 0);
      return primary();
    });
  const levels: readonly (readonly string[])[] = [
    ['||'],
    ['&&'],
    ['|'],
    ['^'],
    ['&'],
    ['==', '!='],
    ['<', '>', '<=', '>='],
    ['<<', '>>'],
    ['+', '-'],
    ['*', '/', '%'],
  ];
  const apply = (op: string, a: number, b: number): number => {
    switch (op) {
      case '||':
        return a !== 0 || b !== 0 ? 1 : 0;
      case '&&':
        return a !== 0 && b !== 0 ? 1 : 0;
      case '|':
        return (a | b) >>> 0;
      case '^':
        return (a ^ b) >>> 0;
      case '&':
        return (a & b) >>> 0;
      case '==':
        return a === b ? 1 : 0;
      case '!=':
        return a !== b ? 1 : 0;
      case '<':
        return a < b ? 1 : 0;
      case '>':
        return a > b ? 1 : 0;
      case '<=':
        return a <= b ? 1 : 0;
      case '>=':
        return a >= b ? 1 : 0;
      case '<<':
        return b >= 32 || b < 0 ? 0 : (a << b) >>> 0;
      case '>>':
        return b >= 32 || b < 0 ? 0 : a >>> b;
      case '+':
        return a + b;
      case '-':
        return a - b;
      case '*':
        return a * b;
      case '/':
        if (b === 0) throw new Unresolved('division by zero');
        return Math.trunc(a / b);
      default:
        if (b === 0) throw new Unresolved('division by zero');
        return a % b;
    }
  };
  const binary = (level: number): number =>
    deeper(() => {
      if (level >= levels.length) return unary();
      let a = binary(level + 1);
      const ops = levels[level] as readonly string[];
      while (ops.includes(peek() ?? '')) {
        const op = (toks[p++] as Tok).t;
        a = apply(op, a, binary(level + 1));
      }
      return a;
    });
  const cond = (): number =>
    deeper(() => {
      const c = binary(0);
      if (peek() !== '?') return c;
      p++;
      const a = cond();
      take(':');
      const b = cond();
      return c !== 0 ? a : b;
    });
  if (toks.length === 0) throw new Unresolved('empty expression');
  const v = cond();
  if (p !== toks.length) throw new Unresolved(`unexpected ${(toks[p] as Tok).t}`);
  if (!Number.isSafeInteger(v)) throw new Unresolved('value out of range');
  return v;
}
