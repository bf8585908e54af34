import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { NvError } from '../src/index.ts';
import {
  ByteReader,
  ByteWriter,
  bytesEqual,
  bytesToHex,
  concatBytes,
  decodeLatin1,
  decodeUtf8,
  encodeLatin1,
  firstDifference,
  hexToBytes,
} from '../src/bytes.ts';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';

function catchNv(fn: () => unknown): NvError {
  try {
    fn();
  } catch (e) {
    if (NvError.isInstance(e)) return e;
    throw e;
  }
  throw new Error('expected an NvError');
}

describe('ByteReader known answers', () => {
  const bytes = hexToBytes('01 0203 04050607 08090a0b0c0d0e0f ff 41424300 5a');
  it('reads every width in both byte orders', () => {
    const le = new ByteReader(bytes);
    expect(le.u8()).toBe(0x01);
    expect(le.u16le()).toBe(0x0302);
    expect(le.u32le()).toBe(0x07060504);
    expect(le.u64le()).toBe(0x0f0e0d0c0b0a0908n);
    expect(le.i8()).toBe(-1);
    expect(le.cstring(8)).toBe('ABC');
    expect(le.u8()).toBe(0x5a);
    expect(le.isAtEnd).toBe(true);
    const be = new ByteReader(bytes).skip(1);
    expect(be.u16be()).toBe(0x0203);
    expect(be.u32be()).toBe(0x04050607);
    expect(be.u64be()).toBe(0x08090a0b0c0d0e0fn);
  });
  it('reads signed values', () => {
    const r = new ByteReader(hexToBytes('feff fffffeff ffffffffffffffff'));
    expect(r.i16le()).toBe(-2);
    expect(r.i32be()).toBe(-257);
    expect(r.i64le()).toBe(-1n);
  });
  it('reports the absolute offset of a truncated read, through sub-readers', () => {
    const r = new ByteReader(new Uint8Array(20), { base: 1000, path: 'dump.bin' });
    r.skip(10);
    const sub = r.sub(6);
    expect(sub.base).toBe(1010);
    sub.u32le();
    const e = catchNv(() => sub.u32le());
    expect(e.code).toBe('NV_TRUNCATED');
    expect(e.offset).toBe(1014);
    expect(e.path).toBe('dump.bin');
    expect(e.message).toContain('only 2 remain');
  });
  it('fixedString drops NUL padding and what follows the first NUL', () => {
    expect(new ByteReader(hexToBytes('4546530000ff0000')).fixedString(8)).toBe('EFS');
    expect(new ByteReader(hexToBytes('4142434445464748')).fixedString(8)).toBe('ABCDEFGH');
  });
  it('cstring: missing NUL at end is NV_TRUNCATED, too long is NV_LIMIT', () => {
    expect(catchNv(() => new ByteReader(hexToBytes('414243')).cstring(10)).code).toBe('NV_TRUNCATED');
    expect(catchNv(() => new ByteReader(hexToBytes('41424344454600')).cstring(3)).code).toBe('NV_LIMIT');
    expect(new ByteReader(hexToBytes('41424300')).cstring(3)).toBe('ABC');
  });
  it('bytesView is a view and copy is a copy', () => {
    const src = hexToBytes('01020304');
    const view = new ByteReader(src).bytesView(2);
    const copy = new ByteReader(src).copy(2);
    src[0] = 0x99;
    expect(view[0]).toBe(0x99);
    expect(copy[0]).toBe(0x01);
  });
  it('slice leaves the position alone and seek is bounds-checked', () => {
    const r = new ByteReader(hexToBytes('00112233'), { base: 8 });
    r.skip(1);
    const s = r.slice(2, 2);
    expect(s.base).toBe(10);
    expect(s.u16be()).toBe(0x2233);
    expect(r.offset).toBe(1);
    expect(catchNv(() => r.slice(3, 2)).code).toBe('NV_TRUNCATED');
    expect(catchNv(() => r.seek(5)).code).toBe('NV_TRUNCATED');
    expect(r.seek(4).isAtEnd).toBe(true);
  });
  it('honours byteOffset of a subarray input', () => {
    const big = hexToBytes('ffff01000000');
    expect(new ByteReader(big.subarray(2)).u32le()).toBe(1);
  });
  it('rejects negative or fractional lengths as NV_LIMIT', () => {
    expect(catchNv(() => new ByteReader(new Uint8Array(4)).copy(-1)).code).toBe('NV_LIMIT');
    expect(catchNv(() => new ByteReader(new Uint8Array(4)).copy(1.5)).code).toBe('NV_LIMIT');
  });
});

describe('ByteWriter known answers', () => {
  it('writes every width and back-patches', () => {
    const w = new ByteWriter(1);
    w.u8(1).u16le(0x0302).u16be(0x0405).u32le(0x09080706).u32be(0x0a0b0c0d).u64le(0x1514131211100f0en);
    const at = w.offset;
    w.u32le(0).fixedString('AB', 4).cstring('C').align(8, 0xee);
    w.patchU32le(at, 0xdeadbeef);
    expect(bytesToHex(w.finish())).toBe(
      '01' + '0203' + '0405' + '06070809' + '0a0b0c0d' + '0e0f101112131415' + 'efbeadde' + '41420000' + '4300' + 'ee',
    );
  });
  it('throws NV_RANGE instead of truncating', () => {
    const w = new ByteWriter();
    expect(catchNv(() => w.u8(256)).code).toBe('NV_RANGE');
    expect(catchNv(() => w.u16le(-1)).code).toBe('NV_RANGE');
    expect(catchNv(() => w.u32be(2 ** 32)).code).toBe('NV_RANGE');
    expect(catchNv(() => w.i32le(2 ** 31)).code).toBe('NV_RANGE');
    expect(catchNv(() => w.u64le(1n << 64n)).code).toBe('NV_RANGE');
    expect(catchNv(() => w.u32le(1.5)).code).toBe('NV_RANGE');
    expect(catchNv(() => w.fixedString('ABCDE', 4)).code).toBe('NV_RANGE');
    expect(catchNv(() => w.cstring('A\0B')).code).toBe('NV_RANGE');
    expect(w.offset).toBe(0);
  });
  it('treats misuse as RangeError', () => {
    const w = new ByteWriter();
    w.u8(0);
    expect(() => w.patchU32le(0, 1)).toThrow(RangeError);
    expect(() => w.align(0)).toThrow(RangeError);
    expect(() => w.fill(-1)).toThrow(RangeError);
  });
});

describe('byte helpers', () => {
  it('hex round trip and errors', () => {
    expect(bytesToHex(hexToBytes('0xDE:AD be ef'))).toBe('deadbeef');
    expect(catchNv(() => hexToBytes('abc')).code).toBe('NV_BAD_HEX');
    expect(catchNv(() => hexToBytes('zz')).code).toBe('NV_BAD_HEX');
  });
  it('concat, equality, first difference', () => {
    const c = concatBytes(hexToBytes('01'), new Uint8Array(0), hexToBytes('0203'));
    expect(bytesToHex(c)).toBe('010203');
    expect(bytesEqual(c, hexToBytes('010203'))).toBe(true);
    expect(bytesEqual(c, hexToBytes('0102'))).toBe(false);
    expect(firstDifference(c, hexToBytes('010403'))).toBe(1);
    expect(firstDifference(c, hexToBytes('0102'))).toBe(2);
    expect(firstDifference(c, c)).toBe(-1);
  });
  it('latin1 and utf8', () => {
    expect(decodeLatin1(encodeLatin1('\u00ff\u0001A'))).toBe('\u00ff\u0001A');
    expect(catchNv(() => encodeLatin1('\u4e2d')).code).toBe('NV_RANGE');
    expect(catchNv(() => decodeUtf8(hexToBytes('c3'))).code).toBe('NV_BAD_INPUT');
  });
});

type Op =
  | { k: 'u8'; v: number }
  | { k: 'u16le' | 'u16be'; v: number }
  | { k: 'u32le' | 'u32be'; v: number }
  | { k: 'i32le'; v: number }
  | { k: 'u64le' | 'u64be'; v: bigint }
  | { k: 'bytes'; v: Uint8Array }
  | { k: 'cstring'; v: string }
  | { k: 'fixed'; v: string; n: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('u8' as const), v: fc.integer({ min: 0, max: 0xff }) }),
  fc.record({ k: fc.constantFrom('u16le' as const, 'u16be' as const), v: fc.integer({ min: 0, max: 0xffff }) }),
  fc.record({ k: fc.constantFrom('u32le' as const, 'u32be' as const), v: fc.integer({ min: 0, max: 0xffffffff }) }),
  fc.record({ k: fc.constant('i32le' as const), v: fc.integer({ min: -0x80000000, max: 0x7fffffff }) }),
  fc.record({
    k: fc.constantFrom('u64le' as const, 'u64be' as const),
    v: fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }),
  }),
  fc.record({ k: fc.constant('bytes' as const), v: fc.uint8Array({ maxLength: 16 }) }),
  fc.record({
    k: fc.constant('cstring' as const),
    v: fc.string({ unit: fc.integer({ min: 1, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 12 }),
  }),
  fc.record({
    k: fc.constant('fixed' as const),
    v: fc.string({ unit: fc.integer({ min: 1, max: 0xff }).map((c) => String.fromCharCode(c)), maxLength: 8 }),
    n: fc.integer({ min: 8, max: 12 }),
  }),
);

function writeOps(ops: readonly Op[]): Uint8Array {
  const w = new ByteWriter(4);
  for (const op of ops) {
    switch (op.k) {
      case 'bytes':
        w.bytes(op.v);
        break;
      case 'cstring':
        w.cstring(op.v);
        break;
      case 'fixed':
        w.fixedString(op.v, op.n);
        break;
      case 'u64le':
      case 'u64be':
        w[op.k](op.v);
        break;
      case 'u8':
        w.u8(op.v);
        break;
      case 'u16le':
      case 'u16be':
        w[op.k](op.v);
        break;
      case 'u32le':
      case 'u32be':
        w[op.k](op.v);
        break;
      case 'i32le':
        w.i32le(op.v);
        break;
    }
  }
  return w.finish();
}

function readOps(r: ByteReader, ops: readonly Op[]): unknown[] {
  return ops.map((op): unknown => {
    if (op.k === 'bytes') return r.copy(op.v.length);
    if (op.k === 'cstring') return r.cstring(64);
    if (op.k === 'fixed') return r.fixedString(op.n);
    return r[op.k]();
  });
}

describe('ByteWriter → ByteReader properties', () => {
  it('round trips any sequence of fields', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 30 }), (ops) => {
        const bytes = writeOps(ops);
        const r = new ByteReader(bytes);
        const values = readOps(r, ops);
        expect(r.isAtEnd).toBe(true);
        expect(values).toEqual(ops.map((op) => op.v));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('any truncation gives NV_TRUNCATED (never another exception) at an offset inside the data', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 20 }), fc.nat(), (ops, cutSeed) => {
        const bytes = writeOps(ops);
        fc.pre(bytes.length > 0);
        const cut = cutSeed % bytes.length;
        const r = new ByteReader(bytes.subarray(0, cut), { base: 7 });
        let err: unknown;
        try {
          readOps(r, ops);
        } catch (e) {
          err = e;
        }
        expect(NvError.isInstance(err)).toBe(true);
        const nv = err as NvError;
        expect(nv.code).toBe('NV_TRUNCATED');
        expect(nv.offset).toBeGreaterThanOrEqual(7);
        expect(nv.offset).toBeLessThanOrEqual(7 + cut);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
