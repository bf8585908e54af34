import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { CUnresolved, evalCExpr, parseCInteger } from '../src/c-expr.ts';
import { CReporter, tokenizeC } from '../src/c-lexer.ts';

const toks = (s: string) => tokenizeC(new CReporter(), s, 1, 1, 0);
const ev = (s: string, env: Parameters<typeof evalCExpr>[1] = {}) => evalCExpr(toks(s), env);

describe('c-expr: C integer constant expressions on any header', () => {
  it('literals: decimal, octal (leading 0), hex, suffixes; not integers', () => {
    expect(parseCInteger('013')).toBe(11);
    expect(parseCInteger('0x1Fu')).toBe(31);
    expect(parseCInteger('42UL')).toBe(42);
    expect(parseCInteger('0')).toBe(0);
    expect(parseCInteger('1.5')).toBeUndefined();
    expect(parseCInteger('089')).toBeUndefined();
  });

  it('C precedence, unsigned 32-bit bit operations, ?:, casts and character constants', () => {
    expect(ev('1 + 2 * 3 << 1')).toBe(14);
    expect(ev('(1 | 2) == 3 && 4 > 3')).toBe(1);
    expect(ev('~0')).toBe(0xffffffff);
    expect(ev('1 << 31')).toBe(0x80000000);
    expect(ev('0x80000000 >> 31')).toBe(1);
    expect(ev('1 << 32')).toBe(0);
    expect(ev('-7 / 2')).toBe(-3);
    expect(ev('0 ? 1 : 2 ? 3 : 4')).toBe(3);
    expect(ev('(unsigned int)5 + (const char *)1')).toBe(6);
    expect(ev("'A'")).toBe(65);
  });

  it('names, sizeof and cast words come from the environment', () => {
    const env = {
      names: (id: string) => ({ RED: 2, BLUE: 5 })[id],
      sizeOf: (t: string) => (t === 'my_struct' ? 12 : t === 'unsigned short' ? 2 : undefined),
      castWords: new Set(['my_int']),
    };
    expect(ev('BLUE * sizeof(struct my_struct) + sizeof(unsigned short)', env)).toBe(62);
    expect(ev('(my_int)RED', env)).toBe(2);
    expect(() => ev('sizeof(other)', env)).toThrow(CUnresolved);
    expect(() => ev('GREEN', env)).toThrow(CUnresolved);
    expect(ev('GREEN + 1', { unknownIsZero: true })).toBe(1);
    expect(() => ev('F(1)', { unknownIsZero: true })).toThrow(/function-like macro F/);
    expect(ev('defined(X) + defined Y', { defined: (n) => n === 'X' })).toBe(1);
  });

  it('errors: division by zero and trailing tokens are unresolved; deep nesting is NV_LIMIT, not a stack overflow', () => {
    expect(() => ev('1 / 0')).toThrow(CUnresolved);
    expect(() => ev('1 % 0')).toThrow(CUnresolved);
    expect(() => ev('1 2')).toThrow(/unexpected 2/);
    expect(() => ev('')).toThrow(/empty expression/);
    const deep = `${'('.repeat(5000)}1${')'.repeat(5000)}`;
    try {
      ev(deep, { file: 'd.h' });
      expect.unreachable();
    } catch (e) {
      expect(NvError.isInstance(e) && e.code).toBe('NV_LIMIT');
      expect((e as Error).message).toMatch(/^d\.h: expression nested deeper than 200/);
    }
  });

  it('fuzz: + - * and parentheses agree with JavaScript arithmetic', () => {
    const leaf = fc.integer({ min: 0, max: 999 }).map(String);
    const expr = fc.letrec<{ e: string }>((tie) => ({
      e: fc.oneof(
        { depthSize: 'small', withCrossShrink: true },
        leaf,
        fc.tuple(tie('e'), fc.constantFrom('+', '-', '*'), tie('e')).map(([a, op, b]) => `${a} ${op} ${b}`),
        tie('e').map((a) => `(${a})`),
      ),
    })).e;
    fc.assert(
      fc.property(expr, (s) => {
        const want = Number(new Function(`return ${s.replace(/\b0+(\d)/g, '$1')};`)());
        if (!Number.isSafeInteger(want)) return;
        expect(ev(s.replace(/\b0+(\d)/g, '$1'))).toBe(want);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('fuzz: any token list evaluates or throws CUnresolved / NvError', () => {
    const tok = fc.constantFrom(
      '1',
      '0x2',
      '(',
      ')',
      '+',
      '-',
      '*',
      '/',
      '%',
      '<<',
      '?',
      ':',
      '~',
      '!',
      'A',
      'sizeof',
      '||',
    );
    fc.assert(
      fc.property(fc.array(tok, { maxLength: 30 }), (parts) => {
        try {
          const v = ev(parts.join(' '));
          expect(Number.isSafeInteger(v)).toBe(true);
        } catch (e) {
          expect(e instanceof CUnresolved || NvError.isInstance(e)).toBe(true);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
