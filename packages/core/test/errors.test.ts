import { describe, expect, it } from 'vitest';
import {
  CORE_ERROR_CODES,
  DEFAULT_LIMITS,
  NvError,
  checkLimit,
  defineErrorCodes,
  enforceLimit,
  resolveLimits,
  type CoreErrorCode,
  type ErrorCodeInfo,
} from '../src/index.ts';

describe('NvError', () => {
  it('serialises to the cli.md JSON shape without a stack', () => {
    const e = new NvError('NV_TRUNCATED', 'cut short', { offset: 40, path: 'a.qcn', cause: new Error('inner') });
    expect(JSON.parse(JSON.stringify(e))).toEqual({
      code: 'NV_TRUNCATED',
      message: 'cut short',
      path: 'a.qcn',
      offset: 40,
    });
    expect(JSON.stringify(e)).not.toContain('stack');
    expect(new NvError('NV_IO', 'x').toJSON()).toEqual({ code: 'NV_IO', message: 'x', path: null, offset: null });
    expect(e.cause).toBeInstanceOf(Error);
  });
  it('is recognised across copies through the Symbol.for marker', () => {
    const foreign = { [Symbol.for('@nv/core/NvError')]: true, code: 'NV_X', message: 'm' };
    expect(NvError.isInstance(foreign)).toBe(true);
    expect(NvError.isInstance(new Error('x'))).toBe(false);
    expect(NvError.isInstance(null)).toBe(false);
    expect(NvError.isInstance(new NvError('NV_IO', 'x'))).toBe(true);
  });
  it('withPath fills a missing path only', () => {
    const e = new NvError('NV_TRUNCATED', 'm', { offset: 3 });
    const p = e.withPath('f.bin');
    expect(p.path).toBe('f.bin');
    expect(p.offset).toBe(3);
    expect(p.withPath('other').path).toBe('f.bin');
  });
});

describe('error code tables', () => {
  it('the core table is well formed', () => {
    for (const [code, info] of Object.entries(CORE_ERROR_CODES)) {
      expect(code).toMatch(/^NV_[A-Z0-9_]+$/);
      expect(info.meaning.length).toBeGreaterThan(10);
      expect(info.fix.length).toBeGreaterThan(5);
    }
    expect(Object.isFrozen(CORE_ERROR_CODES)).toBe(true);
  });
  it('rejects codes outside the prefix', () => {
    // @ts-expect-error -- the key type already refuses a code outside the prefix
    expect(() => defineErrorCodes('NV_MBN_', { NV_EFS_X: { meaning: 'm', fix: 'f' } })).toThrow(TypeError);
    expect(() => defineErrorCodes('bad', {})).toThrow(TypeError);
    expect(Object.keys(defineErrorCodes('NV_MBN_', { NV_MBN_BAD_MAGIC: { meaning: 'm', fix: 'f' } }))).toEqual([
      'NV_MBN_BAD_MAGIC',
    ]);
  });
});

describe('typed codes (checked by tsc -p ., which pnpm test runs first)', () => {
  it('a table keeps its codes as a literal union', () => {
    const table = defineErrorCodes('NV_T_', { NV_T_ONE: { meaning: 'one meaning', fix: 'one fix' } });
    const info: ErrorCodeInfo = table.NV_T_ONE;
    expect(info.meaning).toBe('one meaning');
    // @ts-expect-error -- NV_T_TWO is not a key of the table's type
    expect(table.NV_T_TWO).toBeUndefined();
  });
  it('NvError accepts declared codes only, and its code compares only with declared codes', () => {
    const codes: CoreErrorCode[] = ['NV_TRUNCATED', 'NV_IO'];
    expect(codes.map((c) => new NvError(c, 'm').code)).toEqual(codes);
    // @ts-expect-error -- NV_NOT_A_CODE is declared by no table
    expect(new NvError('NV_NOT_A_CODE', 'm').code).toBe('NV_NOT_A_CODE');
    const e = new NvError('NV_IO', 'm');
    // @ts-expect-error -- the comparison can never be true for a declared code
    expect(e.code === 'NV_NOT_A_CODE').toBe(false);
  });
});

describe('limits', () => {
  it('checkLimit rejects NaN, negatives, infinities and over-limit values', () => {
    for (const bad of [NaN, -1, Infinity, 11]) {
      try {
        checkLimit('entries', bad, 10, { offset: 5 });
        expect.unreachable();
      } catch (e) {
        expect((e as NvError).code).toBe('NV_LIMIT');
        expect((e as NvError).offset).toBe(5);
      }
    }
    expect(() => checkLimit('entries', 10, 10)).not.toThrow();
  });
  it('resolveLimits merges and validates overrides', () => {
    const l = resolveLimits({ maxEntries: 3 });
    expect(l.maxEntries).toBe(3);
    expect(l.maxDepth).toBe(DEFAULT_LIMITS.maxDepth);
    expect(() => resolveLimits({ maxDepth: -1 })).toThrow(RangeError);
    expect(() => enforceLimit(l, 'maxEntries', 4)).toThrow(NvError);
  });
});
