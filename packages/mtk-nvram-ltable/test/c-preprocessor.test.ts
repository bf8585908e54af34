import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError } from '@nv/core';
import { FUZZ_RUNS, hasTool, nvErrorCode } from '../../../scripts/test-tools.ts';
import { CPreprocessor, expandMacros, preprocessCSource } from '../src/c-preprocessor.ts';
import { CReporter, tokenizeC } from '../src/c-lexer.ts';

/** A header with nothing of the LID table in it: the preprocessor must work on any C. */
const HEADER = `/* generic header */
#define WIDTH 16
#define AREA(w, h) ((w) * (h))
#define CAT(a, b) a##b
#if defined(BIG) && BIG > 1
# define SIZE AREA(WIDTH, BIG)
#elif defined SMALL
# define SIZE 4 // small
#else
# define SIZE 8
#endif
#ifndef NAME
#define NAME plain
#endif
int CAT(buf_, NAME)[SIZE];
#if (SIZE << 1) >= 32 || 0x10 == 020
unsigned long wide = AREA(SIZE + 1, 2);
#endif
#define GONE 1
#undef GONE
int g = GONE;
`;

/** Preprocessed and fully expanded token texts. */
const run = (text: string, defines: Record<string, string> = {}): string[] => {
  const { tokens, preprocessor } = preprocessCSource(text, { file: 'a.h', defines });
  return expandMacros(preprocessor, tokens).map((t) => t.t);
};

describe('c-preprocessor: directives and macro expansion on any header', () => {
  it('conditionals, object- and function-like macros, ## pastes unexpanded operands, #undef', () => {
    expect(run(HEADER).join(' ')).toBe(
      'int buf_NAME [ 8 ] ; unsigned long wide = ( ( 8 + 1 ) * ( 2 ) ) ; int g = GONE ;',
    );
    expect(run(HEADER, { BIG: '3' }).join(' ')).toContain('int buf_NAME [ ( ( 16 ) * ( 3 ) ) ] ;');
    expect(run(HEADER, { SMALL: '' }).join(' ')).toBe(
      'int buf_NAME [ 4 ] ; unsigned long wide = ( ( 4 + 1 ) * ( 2 ) ) ; int g = GONE ;',
    );
  });

  it('# stringizes an argument; a macro shared across files through one CPreprocessor', () => {
    const pp = new CPreprocessor();
    preprocessCSource('#define STR(x) #x\n#define V 7', { file: 'a.h', preprocessor: pp });
    const { tokens } = preprocessCSource('char s[] = STR(a + b); int v = V;', { file: 'b.c', preprocessor: pp });
    expect(expandMacros(pp, tokens).map((t) => t.t)).toEqual([
      'char',
      's',
      '[',
      ']',
      '=',
      '"a + b"',
      ';',
      'int',
      'v',
      '=',
      '7',
      ';',
    ]);
  });

  it('#if evaluates names and sizeof through the environment; unknown identifiers are 0', () => {
    const pp = new CPreprocessor({ names: (id) => (id === 'MODE_B' ? 2 : undefined), sizeOf: () => 4 });
    const text = '#if MODE_B == 2 && sizeof(int) == 4 && !UNKNOWN\nyes\n#else\nno\n#endif';
    expect(preprocessCSource(text, { preprocessor: pp }).tokens.map((t) => t.t)).toEqual(['yes']);
  });

  it('errors carry file:line:col and the offset; unbalanced directives are NV_LTABLE_SYNTAX', () => {
    try {
      preprocessCSource('int a;\n  #else\n', { file: 'h.h' });
      expect.unreachable();
    } catch (e) {
      expect(NvError.isInstance(e) && [e.code, e.message, e.offset]).toEqual([
        'NV_LTABLE_SYNTAX',
        'h.h:2:3: #else without #if',
        7,
      ]);
    }
    expect(nvErrorCode(() => preprocessCSource('#if 1\n'))).toBe('NV_LTABLE_SYNTAX');
    expect(nvErrorCode(() => preprocessCSource('#endif\n'))).toBe('NV_LTABLE_SYNTAX');
    expect(nvErrorCode(() => preprocessCSource('#if 1 +\n#endif\n'))).toBe('NV_LTABLE_SYNTAX');
    expect(nvErrorCode(() => run('#define F(x) x\nF(1'))).toBe('NV_LTABLE_SYNTAX');
  });

  it('recursive macros stop; exponential macros, deep #if nesting and 150 000-token bodies hit NV_LIMIT, not the stack', () => {
    expect(run('#define A A\nA')).toEqual(['A']);
    // Decision (README): expansion runs after a file's directives, with the macros as they stand at its end.
    expect(run('#define W 1\nW\n#undef W\n#define W 2')).toEqual(['2']);
    expect(run('#define A B\n#define B A\nA')).toEqual(['A']);
    const bomb = Array.from({ length: 40 }, (_, i) => `#define M${i} M${i + 1} M${i + 1}`).join('\n');
    expect(nvErrorCode(() => run(`${bomb}\nM0`))).toBe('NV_LIMIT');
    expect(nvErrorCode(() => run(`#if ${'('.repeat(5000)}1${')'.repeat(5000)}\n#endif`))).toBe('NV_LIMIT');
    expect(nvErrorCode(() => run(`${'#if 1\n'.repeat(300)}${'#endif\n'.repeat(300)}`))).toBe('NV_LIMIT');
    // Regression (hardening pass): `out.push(...expanded)` of ~10⁵ tokens overflowed the call stack.
    const big = `#define A ${'1 + '.repeat(150_000)}1\n`;
    expect(nvErrorCode(() => run(`${big}A`))).toBe('NV_LIMIT');
    expect(nvErrorCode(() => run(`#define F(x) x\n${big}F(A)`))).toBe('NV_LIMIT');
  });

  it('fuzz: random directive soups preprocess or throw NvError, never anything else', () => {
    const line = fc.constantFrom(
      '#if X',
      '#ifdef X',
      '#ifndef Y',
      '#elif 1',
      '#else',
      '#endif',
      '#define X 1',
      '#define F(a) a##a',
      '#undef X',
      'F(X)',
      'X Y',
      '#if defined(X) && (',
      '#define Y F(',
      'int a;',
    );
    fc.assert(
      fc.property(fc.array(line, { maxLength: 25 }), (lines) => {
        try {
          run(lines.join('\n'));
        } catch (e) {
          expect(NvError.isInstance(e)).toBe(true);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe.skipIf(!hasTool('cpp'))('c-preprocessor cross-check against cpp (needs Debian cpp)', () => {
  it('the same expanded tokens as `cpp -P` for several -D sets', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nv-cpp-'));
    writeFileSync(join(dir, 'a.h'), HEADER);
    for (const defs of [{}, { BIG: '3' }, { BIG: '1' }, { SMALL: '1' }, { NAME: 'x', BIG: '2' }] as Record<
      string,
      string
    >[]) {
      const args = ['-P', ...Object.entries(defs).map(([k, v]) => `-D${k}=${v}`), join(dir, 'a.h')];
      const out = execFileSync('cpp', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const fromCpp = tokenizeC(new CReporter(), out, 1, 1, 0).map((t) => t.t);
      expect(run(HEADER, defs)).toEqual(fromCpp);
    }
  });
});
