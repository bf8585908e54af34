/**
 * A general C preprocessor (docs/formats/lid-table.md#c-import): `#if`/`#ifdef`/`#ifndef`/`#elif`/`#else`/`#endif`,
 * `#define`/`#undef` (object- and function-like, `#` and `##`), macro expansion with a recursion guard and limits.
 * `#include`, `#pragma`, `#error` and `#line` are ignored (the caller passes the headers in order). Pure; usable on
 * any header through {@link preprocessCSource}; the LID-table reader (`c-import.ts`) builds on it.
 * @module
 */
import { NvError } from '@nv/core';
import { evalCExpr, CUnresolved, type CExprEnv } from './c-expr.ts';
import { CReporter, stripCComments, tokenizeC, type CDiagnostic, type CToken, type CPosition } from './c-lexer.ts';

const MAX_EXPANSION_DEPTH = 64;
const MAX_EXPANDED_TOKENS = 100_000;
const MAX_COND_DEPTH = 256;

/** A macro: `params` null for an object-like macro. */
export interface CMacro {
  readonly params: readonly string[] | null;
  readonly body: readonly CToken[];
}

/**
 * Preprocessor state shared by the files of one run: macros (in file order), warnings, the current file and the
 * environment `#if` expressions are evaluated in (names, `sizeof`, cast words; unknown identifiers are 0).
 */
export class CPreprocessor extends CReporter {
  readonly macros: Map<string, CMacro> = new Map();
  /** Names whose `#define` in a source is ignored (kept as predefined). */
  readonly fixedMacros: ReadonlySet<string>;
  readonly env: CExprEnv;
  constructor(env: CExprEnv = {}, fixedMacros: ReadonlySet<string> = new Set()) {
    super();
    this.env = env;
    this.fixedMacros = fixedMacros;
  }
  /** `-D NAME=value` (value `''` means `1`). */
  define(name: string, value: string): void {
    this.macros.set(name, { params: null, body: tokenizeC(this, value === '' ? '1' : value, 0, 0, 0) });
  }
}
type Tok = CToken;
type Ctx = CPreprocessor;

/** Runs the directives: returns the active text (inactive and directive lines blanked) and fills ctx.macros. */
export function preprocessC(ctx: Ctx, text: string): string {
  const lines = text.split('\n');
  const out: string[] = [];
  // Stack of conditionals: active = this branch is taken; done = some branch was taken; parentActive.
  const stack: { active: boolean; done: boolean; parent: boolean; line: number }[] = [];
  let offset = 0;
  const activeNow = (): boolean => stack.length === 0 || (stack[stack.length - 1] as { active: boolean }).active;
  for (let li = 0; li < lines.length; li++) {
    let raw = lines[li] as string;
    const lineNo = li + 1;
    const startOff = offset;
    let consumed = 1;
    // Line splicing for directives.
    const trimmed = raw.trimStart();
    if (trimmed.startsWith('#')) {
      while (raw.endsWith('\\') && li + consumed < lines.length) {
        raw = `${raw.slice(0, -1)} ${lines[li + consumed] as string}`;
        consumed++;
      }
      const m = /^\s*#\s*([A-Za-z_]*)(.*)$/s.exec(raw) as RegExpExecArray;
      const dir = m[1] as string;
      const rest = m[2] as string;
      const restCol = raw.length - rest.length + 1;
      const at = { line: lineNo, col: raw.indexOf('#') + 1, off: startOff };
      const cond = (): boolean => evalCondition(ctx, tokenizeC(ctx, rest, lineNo, restCol, startOff + restCol - 1), at);
      switch (dir) {
        case 'if':
        case 'ifdef':
        case 'ifndef': {
          if (stack.length >= MAX_COND_DEPTH)
            throw new NvError('NV_LIMIT', `${ctx.file}:${lineNo}: #if nesting over ${MAX_COND_DEPTH}`);
          const parent = activeNow();
          let v = false;
          if (parent) {
            const name = rest.trim().split(/\s+/)[0] ?? '';
            v = dir === 'if' ? cond() : dir === 'ifdef' ? ctx.macros.has(name) : !ctx.macros.has(name);
          }
          stack.push({ active: parent && v, done: parent && v, parent, line: lineNo });
          break;
        }
        case 'elif': {
          const top = stack[stack.length - 1];
          if (!top) throw ctx.err('NV_LTABLE_SYNTAX', '#elif without #if', at);
          const v = top.parent && !top.done && cond();
          top.active = v;
          if (v) top.done = true;
          break;
        }
        case 'else': {
          const top = stack[stack.length - 1];
          if (!top) throw ctx.err('NV_LTABLE_SYNTAX', '#else without #if', at);
          top.active = top.parent && !top.done;
          top.done = true;
          break;
        }
        case 'endif':
          if (!stack.pop()) throw ctx.err('NV_LTABLE_SYNTAX', '#endif without #if', at);
          break;
        case 'define':
          if (activeNow()) defineMacro(ctx, rest, lineNo, restCol, startOff + restCol - 1, at);
          break;
        case 'undef':
          if (activeNow()) ctx.macros.delete(rest.trim());
          break;
        default:
          break; // #include, #pragma, #error, #line, null directive: ignored.
      }
      for (let k = 0; k < consumed; k++) out.push(' '.repeat((lines[li + k] as string).length));
      for (let k = 0; k < consumed; k++) offset += (lines[li + k] as string).length + 1;
      li += consumed - 1;
      continue;
    }
    out.push(activeNow() ? raw : ' '.repeat(raw.length));
    offset += raw.length + 1;
  }
  const open = stack[stack.length - 1];
  if (open) throw ctx.err('NV_LTABLE_SYNTAX', '#if without #endif', { line: open.line, col: 1, off: 0 });
  return out.join('\n');
}

function defineMacro(
  ctx: Ctx,
  rest: string,
  line: number,
  col: number,
  off: number,
  at: { line: number; col: number; off: number },
): void {
  const m = /^\s*([A-Za-z_][A-Za-z_0-9]*)(\(([^)]*)\))?/.exec(rest);
  if (!m) throw ctx.err('NV_LTABLE_SYNTAX', '#define without a name', at);
  const name = m[1] as string;
  // VER()/VER_LID() always mean the docs/formats/lid-table.md#c-import (non-auto-gen) expansion; a source definition would add fields.
  if (ctx.fixedMacros.has(name)) return;
  const params =
    m[2] !== undefined
      ? (m[3] as string)
          .split(',')
          .map((s) => s.trim())
          .filter((s) => s !== '')
      : null;
  const bodyStart = m[0].length;
  const body = tokenizeC(ctx, rest.slice(bodyStart), line, col + bodyStart, off + bodyStart);
  ctx.macros.set(name, { params, body });
}

/**
 * Appends `items` to `out` after checking the expansion limit: a spread `push(...items)` of a list with ~10⁵
 * tokens overflows the call stack (RangeError) before the limit check after it could run.
 */
function append(ctx: Ctx, out: Tok[], items: readonly Tok[], at: Tok): void {
  if (out.length + items.length > MAX_EXPANDED_TOKENS)
    throw ctx.err('NV_LIMIT', `macro expansion over ${MAX_EXPANDED_TOKENS} tokens`, at);
  for (const t of items) out.push(t);
}

/**
 * Expands macros in a token list (object-like and function-like, `#` and `##`), with a recursion guard. Names in
 * `hide` are not expanded; nor are identifiers starting with `keepPrefix`.
 * @throws NV_LIMIT over 64 levels or 100 000 tokens; NV_LTABLE_SYNTAX for unbalanced arguments.
 */
export function expandMacros(
  ctx: Ctx,
  toks: readonly Tok[],
  hide: ReadonlySet<string> = new Set(),
  depth = 0,
  keepPrefix?: string,
): Tok[] {
  if (depth > MAX_EXPANSION_DEPTH)
    throw new NvError('NV_LIMIT', `${ctx.file}: macro expansion deeper than ${MAX_EXPANSION_DEPTH}`);
  if (!toks.some((t) => t.k === 'id' && ctx.macros.has(t.t))) return toks as Tok[];
  const out: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i] as Tok;
    // keepPrefix: enum names resolved from the enum set, never from headers (docs/formats/lid-table.md#categories).
    const mac =
      tk.k === 'id' && !hide.has(tk.t) && (keepPrefix === undefined || !tk.t.startsWith(keepPrefix))
        ? ctx.macros.get(tk.t)
        : undefined;
    if (!mac) {
      out.push(tk);
      continue;
    }
    const innerHide = new Set(hide).add(tk.t);
    if (mac.params === null) {
      append(
        ctx,
        out,
        expandMacros(
          ctx,
          mac.body.map((b) => ({ ...b, line: tk.line, col: tk.col, off: tk.off })),
          innerHide,
          depth + 1,
          keepPrefix,
        ),
        tk,
      );
    } else {
      if (toks[i + 1]?.t !== '(') {
        out.push(tk);
        continue;
      }
      const args: Tok[][] = [[]];
      let d = 0;
      let j = i + 2;
      for (; j < toks.length; j++) {
        const a = toks[j] as Tok;
        if (a.t === '(') d++;
        if (a.t === ')') {
          if (d === 0) break;
          d--;
        }
        if (a.t === ',' && d === 0) args.push([]);
        else (args[args.length - 1] as Tok[]).push(a);
      }
      if (j >= toks.length) throw ctx.err('NV_LTABLE_SYNTAX', `unbalanced parentheses in ${tk.t}(…)`, tk);
      const body: Tok[] = [];
      for (let b = 0; b < mac.body.length; b++) {
        const bt = mac.body[b] as Tok;
        const pi = mac.params.indexOf(bt.t);
        if (bt.t === '#' && b + 1 < mac.body.length && mac.params.includes((mac.body[b + 1] as Tok).t)) {
          const arg = args[mac.params.indexOf((mac.body[b + 1] as Tok).t)] ?? [];
          body.push({
            k: 'str',
            t: JSON.stringify(arg.map((a) => a.t).join(' ')),
            line: tk.line,
            col: tk.col,
            off: tk.off,
          });
          b++;
          continue;
        }
        if (bt.t === '##' && body.length > 0 && b + 1 < mac.body.length) {
          const next = mac.body[b + 1] as Tok;
          const ni = mac.params.indexOf(next.t);
          const right = ni >= 0 ? (args[ni] ?? []).map((a) => a.t).join('') : next.t;
          const left = body.pop() as Tok;
          body.push({ ...left, k: 'id', t: left.t + right });
          b++;
          continue;
        }
        if (pi >= 0) {
          // Operand of ## is pasted unexpanded; other uses are pre-expanded.
          const pasted = mac.body[b + 1]?.t === '##';
          append(
            ctx,
            body,
            (pasted ? (args[pi] ?? []) : expandMacros(ctx, args[pi] ?? [], hide, depth + 1, keepPrefix)).map((a) => ({
              ...a,
              line: tk.line,
              col: tk.col,
              off: tk.off,
            })),
            tk,
          );
        } else body.push({ ...bt, line: tk.line, col: tk.col, off: tk.off });
      }
      append(ctx, out, expandMacros(ctx, body, innerHide, depth + 1, keepPrefix), tk);
      i = j;
    }
    if (out.length > MAX_EXPANDED_TOKENS)
      throw new NvError('NV_LIMIT', `${ctx.file}:${tk.line}: macro expansion over ${MAX_EXPANDED_TOKENS} tokens`);
  }
  return out;
}

/** `#if`/`#elif` condition: `defined` operands protected from expansion, unknown identifiers 0. */
function evalCondition(ctx: Ctx, toks: Tok[], at: CPosition): boolean {
  // Protect `defined X` operands from expansion.
  const prot: Tok[] = [];
  for (let i = 0; i < toks.length; i++) {
    const tk = toks[i] as Tok;
    if (tk.t === 'defined') {
      const paren = toks[i + 1]?.t === '(';
      const nameTok = toks[i + (paren ? 2 : 1)];
      const v = nameTok !== undefined && ctx.macros.has(nameTok.t) ? '1' : '0';
      prot.push({ ...tk, k: 'num', t: v });
      i += paren ? 3 : 1;
      continue;
    }
    prot.push(tk);
  }
  try {
    return evalCExpr(expandMacros(ctx, prot), { ...ctx.env, file: ctx.file, unknownIsZero: true }) !== 0;
  } catch (e) {
    if (e instanceof CUnresolved) throw ctx.err('NV_LTABLE_SYNTAX', `cannot evaluate #if: ${e.message}`, at);
    throw e;
  }
}

/** Result of {@link preprocessCSource}. */
export interface CPreprocessResult {
  /** Tokens of the active text, macros not expanded (expand with {@link expandMacros}). */
  readonly tokens: CToken[];
  readonly preprocessor: CPreprocessor;
  readonly warnings: readonly CDiagnostic[];
}

/**
 * Preprocesses one C text (comments, directives) and tokenizes what is active. Pass a {@link CPreprocessor} to share
 * macros across files (headers first).
 * @throws NV_LTABLE_SYNTAX (message `file:line:col:`), NV_LIMIT.
 * @example preprocessCSource('#define A 2\n#if A > 1\nint x = A;\n#endif', { file: 'a.h' }).tokens.map((t) => t.t)
 */
export function preprocessCSource(
  text: string,
  options: { file?: string; defines?: Readonly<Record<string, string>>; preprocessor?: CPreprocessor } = {},
): CPreprocessResult {
  const ctx = options.preprocessor ?? new CPreprocessor();
  for (const [k, v] of Object.entries(options.defines ?? {})) ctx.define(k, v);
  ctx.file = options.file ?? 'input.c';
  const active = preprocessC(ctx, stripCComments(ctx, text));
  return { tokens: tokenizeC(ctx, active, 1, 1, 0), preprocessor: ctx, warnings: ctx.warnings };
}
