import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NvError } from '../src/index.ts';
import {
  checkRange,
  formatHex,
  parseBigInteger,
  parseBigIntegerList,
  parseInteger,
  parseIntegerList,
} from '../src/numbers.ts';
import { FUZZ_RUNS, nvErrorCode as codeOf } from '../../../scripts/test-tools.ts';

describe('parseInteger', () => {
  it.each([
    ['27', 27],
    ['0x1B', 27],
    ['0X1b', 27],
    ['0012', 12],
    ['-5', -5],
    ['-0x10', -16],
    ['  42  ', 42],
    ['0', 0],
  ])('%s → %d', (text, value) => {
    expect(parseInteger(text)).toBe(value);
  });
  it.each(['', '0x', '1.5', '1e3', '+1', '0b101', 'abc', '12abc', '1 2', '0x-1', '٣'])(
    'rejects %j as NV_BAD_NUMBER',
    (text) => {
      expect(codeOf(() => parseInteger(text))).toBe('NV_BAD_NUMBER');
    },
  );
  it('range checks with a typed error naming the field', () => {
    expect(codeOf(() => parseInteger('256', { min: 0, max: 255 }))).toBe('NV_RANGE');
    expect(codeOf(() => parseInteger('9007199254740992'))).toBe('NV_RANGE');
    try {
      parseInteger('0x100000000', { what: '--hw-id', max: 0xffffffff, path: 'cmd' });
    } catch (e) {
      expect((e as NvError).message).toContain('--hw-id');
      expect((e as NvError).path).toBe('cmd');
    }
  });
  it('error messages name the bad token', () => {
    try {
      parseInteger('0xZZ', { what: 'member rf_mode', offset: 12 });
      expect.unreachable();
    } catch (e) {
      expect((e as NvError).message).toContain('"0xZZ"');
      expect((e as NvError).message).toContain('member rf_mode');
      expect((e as NvError).offset).toBe(12);
    }
  });
});

describe('parseBigInteger and lists', () => {
  it('handles 64-bit values', () => {
    expect(parseBigInteger('0xFFFFFFFFFFFFFFFF')).toBe((1n << 64n) - 1n);
    expect(codeOf(() => parseBigInteger('0x10000000000000000', { max: (1n << 64n) - 1n }))).toBe('NV_RANGE');
  });
  it('splits comma and space lists', () => {
    expect(parseIntegerList('1, 2 0x03,4')).toEqual([1, 2, 3, 4]);
    expect(parseIntegerList('  ')).toEqual([]);
    expect(parseBigIntegerList('0x1 2')).toEqual([1n, 2n]);
    expect(codeOf(() => parseIntegerList('1,,2'))).toBe('NV_BAD_NUMBER');
    expect(codeOf(() => parseIntegerList('1, x'))).toBe('NV_BAD_NUMBER');
    expect(codeOf(() => parseIntegerList('1, 300', { max: 255 }))).toBe('NV_RANGE');
  });
  it('checkRange and formatHex', () => {
    expect(checkRange(5, 0, 10)).toBe(5);
    expect(codeOf(() => checkRange(11, 0, 10))).toBe('NV_RANGE');
    expect(formatHex(27, 4)).toBe('0x001B');
    expect(formatHex(0xdeadbeefn)).toBe('0xDEADBEEF');
    expect(() => formatHex(-1)).toThrow(RangeError);
  });
});

describe('number properties', () => {
  it('decimal and hex renderings of any safe integer parse back', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (n) => {
        expect(parseInteger(String(n))).toBe(n);
        const hex = n < 0 ? `-0x${(-n).toString(16)}` : `0x${n.toString(16)}`;
        expect(parseInteger(hex)).toBe(n);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('any string either parses or throws NvError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 24 }), (s) => {
        try {
          const v = parseInteger(s);
          expect(Number.isSafeInteger(v)).toBe(true);
        } catch (e) {
          expect(NvError.isInstance(e)).toBe(true);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
