import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { CReporter, cPosition, cStringValue, cUnescape, stripCComments, tokenizeC } from '../src/c-lexer.ts';

describe('c-lexer: comments, tokens, string literals', () => {
  it('comments become spaces with newlines kept, so positions stay; literals keep their slashes', () => {
    const r = new CReporter();
    const src = 'a /* x\ny */ b // c\n"//not" \'/\'';
    const out = stripCComments(r, src);
    expect(out).toBe('a     \n     b     \n"//not" \'/\'');
    expect(out.length).toBe(src.length);
    const toks = tokenizeC(r, out, 1, 1, 0);
    expect(toks.map((t) => [t.k, t.t, t.line, t.col, t.off])).toEqual([
      ['id', 'a', 1, 1, 0],
      ['id', 'b', 2, 6, 12],
      ['str', '"//not"', 3, 1, 19],
      ['chr', "'/'", 3, 9, 27],
    ]);
    expect(cPosition(src, 12)).toEqual({ line: 2, col: 6, off: 12 });
  });

  it('punctuators longest first, numbers with suffixes', () => {
    const toks = tokenizeC(new CReporter(), 'a<<=b##c...0x1Fu>=.5', 1, 1, 0).map((t) => t.t);
    expect(toks).toEqual(['a', '<<=', 'b', '##', 'c', '...', '0x1Fu', '>=', '.5']);
  });

  it('curly quotes are normalized once with a warning; unterminated comment or literal is NV_LTABLE_SYNTAX at its line', () => {
    const r = new CReporter();
    r.file = 'q.h';
    expect(stripCComments(r, 'x = \u201cab\u201d;')).toBe('x = "ab";');
    expect(r.warnings).toEqual([
      expect.objectContaining({ code: 'NV_LTABLE_SMART_QUOTES', line: 1, column: 5, file: 'q.h' }),
    ]);
    for (const bad of ['\n/* open', '\n"open']) {
      try {
        stripCComments(r, bad);
        expect.unreachable();
      } catch (e) {
        expect(NvError.isInstance(e) && [e.code, e.message.slice(0, 8)]).toEqual(['NV_LTABLE_SYNTAX', 'q.h:2:1:']);
      }
    }
  });

  it('string values: escapes, adjacent literals, not-a-string', () => {
    expect(cUnescape('a\\x41\\101\\n\\u00e9')).toBe('aAA\né');
    expect(cUnescape('\\')).toBeUndefined();
    const r = new CReporter();
    expect(cStringValue(r, tokenizeC(r, '("ab" "c\\"d")', 1, 1, 0))).toBe('abc"d');
    expect(cStringValue(r, tokenizeC(r, '"a" B', 1, 1, 0))).toBeUndefined();
  });

  it('fuzz: stripping keeps length and newlines or throws NvError; tokens lie inside the text', () => {
    const ch = fc.constantFrom('a', '1', ' ', '\n', '/', '*', '"', "'", '\\', '#', '(', '\u201c', 'x');
    fc.assert(
      fc.property(
        fc.array(ch, { maxLength: 60 }).map((a) => a.join('')),
        (src) => {
          const r = new CReporter();
          let out: string;
          try {
            out = stripCComments(r, src);
          } catch (e) {
            expect(NvError.isInstance(e)).toBe(true);
            return;
          }
          expect(out.split('\n').length).toBe(src.split('\n').length);
          try {
            for (const t of tokenizeC(r, out, 1, 1, 0)) expect(out.slice(t.off, t.off + t.t.length)).toBe(t.t);
          } catch (e) {
            expect(NvError.isInstance(e)).toBe(true);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});
