import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import {
  parseLidBit,
  decodeLidBitRecord,
  encodeLidBitRecord,
  applyLidBitEdits,
  type LidBitLid,
  type LidBitShape,
  type LidBitJsonValue,
} from '../src/lid-bit.ts';
import { encodeLidFile } from '../src/lid-file.ts';
import { cs2, chk8 } from '../src/checksum.ts';
import { nvErrorCode } from '../../../scripts/test-tools.ts';

const fixture = (n: string): string => readFileSync(new URL(`./fixtures/${n}`, import.meta.url), 'utf8');

const failAt = (text: string, code: string, line: number, column: number, options = {}): void => {
  try {
    parseLidBit(text, options);
  } catch (error) {
    expect(NvError.isInstance(error)).toBe(true);
    expect({ code: (error as NvError).code, data: (error as NvError).data }).toEqual({ code, data: { line, column } });
    return;
  }
  throw new Error(`expected ${code}`);
};

describe('LID_BIT (§12)', () => {
  it('the worked example: layout', () => {
    const r = parseLidBit(fixture('demo_cfg.h'), { recordSizes: { NVRAM_EF_DEMO_CFG_LID: 8 } });
    expect(r.warnings).toEqual([]);
    expect(r.lids).toHaveLength(1);
    const lid = r.lids[0]!;
    expect({
      lid: lid.lid,
      verno: lid.verno,
      type: lid.type,
      records: lid.records,
      recordSize: lid.recordSize,
    }).toEqual({ lid: 'NVRAM_EF_DEMO_CFG_LID', verno: '002', type: 'demo_cfg_struct', records: 2, recordSize: 8 });
    expect(lid.fields.map((f) => [f.name, f.offset, f.bit, f.bits])).toEqual([
      ['mode', 0, 0, 8],
      ['mode.power_save', 0, 0, 1],
      ['mode.rat', 0, 1, 3],
      ['band_mask', 2, 0, 16],
      ['band_mask.b1', 2, 0, 1],
      ['band_mask.b4', 2, 3, 1],
      ['label', 4, 0, 32],
    ]);
    expect(lid.fields[2]!.values).toEqual([
      { value: 0, label: 'auto' },
      { value: 1, label: '2G' },
      { value: 2, label: '3G' },
      { value: 4, label: '4G' },
    ]);
    expect(lid.fields[0]!.description).toBe('Operating mode');
  });
  it('the worked example: record ↔ fields, and its checksums', () => {
    const lid = parseLidBit(fixture('demo_cfg.h')).lids[0]!;
    const rec = hexToBytes('0500090041424344');
    const v = decodeLidBitRecord(lid, rec);
    expect(v).toEqual([
      { name: 'mode', value: 5 },
      { name: 'mode.power_save', value: 1, label: 'on' },
      { name: 'mode.rat', value: 2, label: '3G' },
      { name: 'band_mask', value: 9 },
      { name: 'band_mask.b1', value: 1 },
      { name: 'band_mask.b4', value: 1 },
      { name: 'label', value: [65, 66, 67, 68], text: 'ABCD' },
    ]);
    expect(
      bytesToHex(
        encodeLidBitRecord(lid, {
          'mode.power_save': 'on',
          'mode.rat': '3G',
          'band_mask.b1': 1,
          'band_mask.b4': 1,
          label: '41424344',
        }),
      ),
    ).toBe('0500090041424344');
    expect(cs2(rec)).toBe(0x8692);
    expect(bytesToHex(chk8(rec))).toBe('15f36ed055496183');
  });
  it('nested structs, arrays, #define counts, curly quotes, missing-semicolon warning', () => {
    const r = parseLidBit(fixture('nested.h'));
    const lid = r.lids[0]!;
    expect(lid).toMatchObject({ lid: 'NVRAM_EF_RF_CAL_LID', verno: '005', records: 4, recordSize: 20 });
    expect(lid.fields.map((f) => [f.name, f.offset, f.bit, f.bits])).toEqual([
      ['magic', 0, 0, 32],
      ['gains[1].gain', 8, 0, 16],
      ['gains[2].flags', 14, 0, 8],
      ['gains[2].flags.en', 14, 0, 1],
      ['gains[2].flags.hi', 14, 1, 7],
      ['tail', 16, 0, 8],
      ['tail.t', 16, 4, 4],
    ]);
    expect(lid.fields[0]!.description).toBe('Magic');
    expect(r.warnings).toEqual([
      { code: 'NV_LID_BIT_MISSING_SEMI', message: 'missing ";" after bit field "en"', line: 15, column: 69 },
    ]);
  });
  it('errors carry line and column', () => {
    const demo = fixture('demo_cfg.h');
    failAt(demo, 'NV_LID_BIT_SIZE_MISMATCH', 6, 40, { recordSizes: { NVRAM_EF_DEMO_CFG_LID: 10 } });
    failAt(demo.replace('rat: 3', 'rat: 9'), 'NV_LID_BIT_WIDTH_OVERFLOW', 9, 10);
    failAt(demo.replace('0x2: "3G"', '0x1: "3G"'), 'NV_LID_BIT_DUP_VALUE', 9, 54);
    failAt(demo.replace('  label: "Label";', '  labl: "Label";'), 'NV_LID_BIT_UNKNOWN_FIELD', 13, 3);
    failAt(demo.replace('#define NVRAM_EF_DEMO_CFG_LID_VERNO "002"', ''), 'NV_LID_BIT_UNRESOLVED', 6, 17);
    failAt(demo.replace('demo_cfg_struct * 2', 'demo_cfg_struct * N'), 'NV_LID_BIT_UNRESOLVED', 6, 58);
    failAt(demo.replace('demo_cfg_struct * 2', 'other_struct * 2'), 'NV_LID_BIT_UNKNOWN_TYPE', 6, 40);
    failAt(demo.replace('kal_uint8 rsv', 'kal_foo rsv'), 'NV_LID_BIT_UNKNOWN_TYPE', 2, 34);
    failAt(demo.replace('  mode: "Operating mode" {', '  mode "Operating mode" {'), 'NV_LID_BIT_SYNTAX', 7, 8);
    failAt(demo.replace('END_NVRAM_DATA', ''), 'NV_LID_BIT_SYNTAX', 17, 1);
    // A bare nested member name is an error (full member chain required).
    failAt(fixture('nested.h').replace('gains[1].gain', 'gain'), 'NV_LID_BIT_UNKNOWN_FIELD', 14, 3);
    failAt(fixture('nested.h').replace('gains[1].gain', 'gains[3].gain'), 'NV_LID_BIT_UNKNOWN_FIELD', 14, 8);
  });
  it('encode ↔ decode round trip over random records', () => {
    const lid = parseLidBit(fixture('nested.h')).lids[0]!;
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 20, maxLength: 20 }), (rec) => {
        const values = Object.fromEntries(decodeLidBitRecord(lid, rec).map((v) => [v.name, v.value]));
        const back = encodeLidBitRecord(lid, values, rec);
        expect(bytesToHex(back)).toBe(bytesToHex(rec));
        // Writing only the bit fields over zeros reproduces exactly their bits.
        const bitsOnly = Object.fromEntries(
          decodeLidBitRecord(lid, rec)
            .filter((v) => v.name.endsWith('.en') || v.name.endsWith('.hi'))
            .map((v) => [v.name, v.value]),
        );
        expect(encodeLidBitRecord(lid, bitsOnly)[14]).toBe(rec[14]);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('fuzz: mutated descriptions only throw NvError', () => {
    const srcs = [fixture('demo_cfg.h'), fixture('nested.h')];
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 }),
        fc.array(
          fc.tuple(
            fc.nat(),
            fc.constantFrom('{', '}', ';', ':', '"', '[', ']', '1', 'x', ' ', '', '.', '*', '0x', '#', '/*'),
          ),
          { maxLength: 5 },
        ),
        (k, edits) => {
          let s = srcs[k]!;
          for (const [at, ins] of edits) {
            const p = at % (s.length + 1);
            s = s.slice(0, p) + ins + s.slice(p + (ins === '' ? 1 : 0));
          }
          try {
            parseLidBit(s);
          } catch (error) {
            if (!NvError.isInstance(error)) throw error;
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('LID_BIT forms seen in public MOLY editor headers', () => {
  it('`LID_BIT MULTIPLE_LID VER_LID(…)`, an empty body, sized stdint-like types', () => {
    const r = parseLidBit(
      '#define NVRAM_EF_M_LID_VERNO "001"\ntypedef struct { uint8 data[3]; uint16 v; } m_struct;\nBEGIN_NVRAM_DATA\nLID_BIT MULTIPLE_LID VER_LID(NVRAM_EF_M_LID)\n  m_struct *2\n  {\n  };\nEND_NVRAM_DATA\n',
    );
    const l = r.lids[0]!;
    expect(l).toMatchObject({ lid: 'NVRAM_EF_M_LID', verno: '001', records: 2, recordSize: 6 });
    // An empty body lists the record struct's members (what the META editor shows), typed.
    expect(l.fields.map((f) => [f.name, f.offset, f.bits, f.type])).toEqual([
      ['data', 0, 24, 'uint8[3]'],
      ['v', 4, 16, 'uint16'],
    ]);
    expect(decodeLidBitRecord(l, hexToBytes('010203000eff')).map((f) => f.value)).toEqual([[1, 2, 3], 0xff0e]);
  });
});

describe('LID_BIT: a MOLY-style editor header (constructs seen in public headers)', () => {
  it('macro-expression array sizes, MULTIPLE_LID, bit fields on indexed bytes, empty bodies', () => {
    const r = parseLidBit(fixture('moly-style.h'));
    expect(r.warnings).toEqual([]);
    expect(r.lids.map((l) => [l.lid, l.verno, l.records, l.recordSize])).toEqual([
      ['NVRAM_EF_DEMO_CACHE_LID', '010', 1, 32],
      ['NVRAM_EF_DEMO_WIDE_LID', '010', 1, 32],
      ['NVRAM_EF_DEMO_LOCK_LID', '001', 1, 18],
    ]);
    const [cache, wide, lock] = r.lids as [LidBitLid, LidBitLid, LidBitLid];
    expect(cache.fields.map((f) => [f.name, f.offset, f.bit, f.bits])).toEqual([
      ['CacheByte', 0, 0, 256],
      ['CacheByte[14]', 14, 0, 8],
      ['CacheByte[14].default_lang', 14, 0, 8],
    ]);
    expect(wide.fields[0]!.shape).toEqual({ kind: 'array', length: 4, of: { kind: 'int', size: 8, signed: false } });
    expect(lock.fields.find((f) => f.name === 'np_code')).toMatchObject({ offset: 9, bits: 72 });
    const rec = new Uint8Array(18).fill(0xff);
    expect(decodeLidBitRecord(lock, rec).find((f) => f.name === 'indication.pl')).toEqual({
      name: 'indication.pl',
      value: 1,
      label: 'Supported',
    });
    expect(decodeLidBitRecord(wide, new Uint8Array(32).fill(0xff))[0]!.value).toEqual(
      Array(4).fill('18446744073709551615'),
    );
  });
  it('CRLF lines, #if expressions, continued #defines, a VERNO given by its macro name', () => {
    const text = [
      '#define FEATURE_A',
      '#define LEVEL 3',
      '#define SIZE (2 + \\',
      '              2)',
      '#define NVRAM_EF_X_STRUCT_VERNO "007"',
      'typedef struct { kal_uint8 a[SIZE]; } x_struct;',
      '#if !defined(NOT_PRESENT) && (defined(FEATURE_A) || defined FEATURE_B) && LEVEL >= 2',
      'BEGIN_NVRAM_DATA',
      'LID_BIT MULTIPLE_LID NVRAM_EF_X_STRUCT_VERNO NVRAM_EF_X_LID x_struct * 1 { a: "A"; };',
      'END_NVRAM_DATA',
      '#elif 1',
      'this is skipped',
      '#endif',
      '#if defined(FEATURE_B) || UNDEFINED_MACRO',
      'this is skipped too',
      '#endif',
    ].join('\r\n');
    const r = parseLidBit(text);
    expect(r.lids.map((l) => [l.lid, l.verno, l.recordSize])).toEqual([['NVRAM_EF_X_LID', '007', 4]]);
    // Line numbers survive the joined continuation line.
    expect(nvErrorCode(() => parseLidBit(text.replace('a: "A"', 'b: "B"')))).toBe('NV_LID_BIT_UNKNOWN_FIELD');
    try {
      parseLidBit(text.replace('a: "A"', 'b: "B"'));
    } catch (error) {
      expect((error as { data: unknown }).data).toEqual({ line: 9, column: 76 });
    }
  });
  it('constant expressions: precedence, parentheses, division by zero, undefined macros', () => {
    const t = (dim: string): string =>
      `#define A 3\n#define B (A + 1)\ntypedef struct { kal_uint8 x[${dim}]; } s_struct;\nBEGIN_NVRAM_DATA\nLID_BIT "000" X s_struct * 1 { };\nEND_NVRAM_DATA`;
    expect(parseLidBit(t('A * B - 2 / 2')).lids[0]!.recordSize).toBe(11);
    expect(parseLidBit(t('(A + B) % 5')).lids[0]!.recordSize).toBe(2);
    expect(nvErrorCode(() => parseLidBit(t('A / 0')))).toBe('NV_LID_BIT_SYNTAX');
    expect(nvErrorCode(() => parseLidBit(t('A * C')))).toBe('NV_LID_BIT_UNRESOLVED');
  });
});

describe('LID_BIT limits', () => {
  it('deep nesting is a syntax error, not a stack overflow', () => {
    const deep = `typedef struct { kal_uint8 a; } s;\nBEGIN_NVRAM_DATA\nLID_BIT "001" X s * 1 { ${'a { '.repeat(5000)}`;
    expect(() => parseLidBit(deep)).toThrow(expect.objectContaining({ code: 'NV_LID_BIT_SYNTAX' }) as Error);
  });
  it('regression: a 300 000-byte text field decodes instead of throwing RangeError (hand-made, hardening pass)', () => {
    // The text of a byte-array field was built with String.fromCharCode(...bytes): a 10⁵-argument spread overflows the stack.
    const n = 300_000;
    const text = `typedef struct { kal_uint8 label[${n}]; } big_struct;\nBEGIN_NVRAM_DATA\nLID_BIT "001" NVRAM_EF_BIG_LID big_struct * 1 {\n  label: "Label";\n};\nEND_NVRAM_DATA`;
    const lid = parseLidBit(text).lids[0]!;
    expect(lid.recordSize).toBe(n);
    const [label] = decodeLidBitRecord(lid, new Uint8Array(n).fill(0x41));
    expect(label!.name).toBe('label');
    expect(label!.text).toBe('A'.repeat(n));
  });
  it('regression: Object.prototype names as C types are unknown types, not a NaN struct size (hand-made, hardening pass)', () => {
    // typeSize looked up SCALARS[name], which finds Object.prototype.constructor & co.: NV_LIMIT "struct size is NaN".
    for (const ty of ['constructor', 'toString', '__proto__', 'valueOf']) {
      failAt(`typedef struct { ${ty} a; } s_struct;`, 'NV_LID_BIT_UNKNOWN_TYPE', 1, 18);
    }
  });
});

// Record 1 of NVD_DATA/MT7A_000 as scripts/make-nvram-folder.py packs it with python's struct module (by hand, from
// the C declarations of fixtures/typed.h) -- not by this package.
const TYPED_REC = hexToBytes(
  'f8ffff01fe7ff8ff2c010080ff7f01806079fefff0ffffff4346473100000000fdff0700e803ff00feffffffffffffffffffffffffffffff0100ffff0200feff0300008005000000',
);

describe('LID_BIT typed values (issue 15.2)', () => {
  const lid = (): LidBitLid =>
    parseLidBit(fixture('typed.h'), { recordSizes: { NVRAM_EF_TYPED_CFG_LID: 72 } }).lids[0]!;
  it('signed scalars, arrays of every width, 64-bit strings, arrays of structs, 2-D arrays', () => {
    expect(lid().recordSize).toBe(72);
    const v = Object.fromEntries(decodeLidBitRecord(lid(), TYPED_REC).map((f) => [f.name, f]));
    expect(v['temp']).toEqual({ name: 'temp', value: -8 }); // f8 ff, not 65528
    expect(v['offset']!.value).toEqual([-1, 1, -2, 127]); // not "ff01fe7f"
    expect(v['comp']!.value).toEqual([-8, 300, -32768, 32767]);
    expect(v['mask']!.value).toBe(0x8001);
    expect([v['mask.lo']!.value, v['mask.hi']!.value]).toEqual([1, 1]);
    expect(v['level']!.value).toBe(-100000);
    expect(v['id']!.value).toBe(0xfffffff0);
    expect(v['name']).toEqual({ name: 'name', value: [67, 70, 71, 49, 0, 0, 0, 0], text: 'CFG1' });
    expect(v['gains']!.value).toEqual([
      { gain: -3, idx: 7 },
      { gain: 1000, idx: 255 },
    ]);
    expect(v['gains[1].gain']!.value).toBe(1000);
    expect(v['big']!.value).toBe('-2');
    expect(v['ubig']!.value).toBe('18446744073709551615');
    expect(v['grid']!.value).toEqual([
      [1, -1, 2],
      [-2, 3, -32768],
    ]);
    expect(v['flags.en']).toEqual({ name: 'flags.en', value: 1, label: 'on' });
    expect(v['flags.mode']).toEqual({ name: 'flags.mode', value: 2, label: 'c' });
    // The typed output survives JSON and encodes back byte for byte.
    const values = JSON.parse(JSON.stringify(Object.fromEntries(Object.entries(v).map(([k, f]) => [k, f.value]))));
    expect(bytesToHex(encodeLidBitRecord(lid(), values as Record<string, LidBitJsonValue>))).toBe(
      bytesToHex(TYPED_REC),
    );
  });
  it('every scalar type: signedness and width from the C type (kal_*, stdint, unsigned/signed modifiers, aliases)', () => {
    const types: [string, number, boolean][] = [
      ['kal_uint8', 1, false],
      ['kal_int8', 1, true],
      ['my_s8', 1, true],
      ['unsigned char', 1, false],
      ['signed char', 1, true],
      ['kal_uint16', 2, false],
      ['kal_int16', 2, true],
      ['unsigned short', 2, false],
      ['kal_uint32', 4, false],
      ['kal_int32', 4, true],
      ['unsigned int', 4, false],
      ['unsigned', 4, false],
      ['int', 4, true],
      ['kal_uint64', 8, false],
      ['kal_int64', 8, true],
      ['unsigned long long', 8, false],
      ['int64_t', 8, true],
    ];
    const text = `typedef signed char my_s8;\ntypedef struct {\n${types.map(([t], k) => `  ${t} f${k};\n  ${t} a${k}[2];`).join('\n')}\n} all_struct;\nBEGIN_NVRAM_DATA\nLID_BIT "000" NVRAM_EF_ALL_LID all_struct * 1 {\n${types.map((_, k) => `  f${k}: ""; a${k}: "";`).join('\n')}\n};\nEND_NVRAM_DATA\n`;
    const l = parseLidBit(text).lids[0]!;
    types.forEach(([t, size, signed], k) => {
      const f = l.fields.find((x) => x.name === `f${k}`)!;
      expect([t, f.shape]).toEqual([t, { kind: 'int', size, signed }]);
      expect(l.fields.find((x) => x.name === `a${k}`)!.shape).toEqual({
        kind: 'array',
        length: 2,
        of: { kind: 'int', size, signed },
      });
    });
    // All bytes FF: signed types read −1, unsigned the maximum.
    const v = decodeLidBitRecord(l, new Uint8Array(l.recordSize).fill(0xff));
    types.forEach(([t, size, signed], k) => {
      const max = size === 8 ? '18446744073709551615' : 2 ** (8 * size) - 1;
      const one = signed ? (size === 8 ? '-1' : -1) : max;
      expect([t, v.find((x) => x.name === `f${k}`)!.value, v.find((x) => x.name === `a${k}`)!.value]).toEqual([
        t,
        one,
        [one, one],
      ]);
    });
  });
  it('floats: finite numbers; NaN/∞/−0 keep their bytes as hex', () => {
    const l = parseLidBit(
      'typedef struct { float f; double d; float g[2]; } fl_struct;\nBEGIN_NVRAM_DATA\nLID_BIT "000" X fl_struct * 1 { f: ""; d: ""; g: ""; };\nEND_NVRAM_DATA',
    ).lids[0]!;
    const rec = new Uint8Array(24);
    const dv = new DataView(rec.buffer);
    dv.setFloat32(0, 1.5, true);
    dv.setFloat64(8, -0.1, true);
    dv.setUint32(16, 0x7fc00001, true); // a NaN with payload
    dv.setFloat32(20, -0, true);
    const v = decodeLidBitRecord(l, rec).map((x) => x.value);
    expect(v).toEqual([1.5, -0.1, ['0100c07f', '00000080']]);
    expect(bytesToHex(encodeLidBitRecord(l, { f: 1.5, d: -0.1, g: ['0100c07f', '00000080'] }))).toBe(bytesToHex(rec));
  });
  it('out-of-range, wrong-kind and wrong-length values are NV_LID_BIT_BAD_VALUE', () => {
    const l = lid();
    for (const bad of [
      { temp: 32768 },
      { temp: -32769 },
      { temp: 1.5 },
      { mask: -1 },
      { offset: [1, 2, 3] },
      { offset: [128, 0, 0, 0] },
      { big: '9223372036854775808' },
      { ubig: '-1' },
      { big: 'x' },
      { gains: [{ gain: 1, nope: 2 }, {}] },
      { 'flags.mode': 4 },
      { name: 'abc' },
    ] as Record<string, LidBitJsonValue>[])
      expect([bad, nvErrorCode(() => encodeLidBitRecord(l, bad, TYPED_REC))]).toEqual([bad, 'NV_LID_BIT_BAD_VALUE']);
    expect(nvErrorCode(() => encodeLidBitRecord(l, { nope: 1 }))).toBe('NV_LID_BIT_UNKNOWN_FIELD');
    expect(nvErrorCode(() => encodeLidBitRecord(l, { 'flags.mode': 'z' }))).toBe('NV_LID_BIT_UNKNOWN_FIELD');
    // 64-bit: bigint and safe-integer numbers are accepted too.
    expect(bytesToHex(encodeLidBitRecord(l, { big: -2n, ubig: 2 ** 53 - 1 }, TYPED_REC).subarray(40, 56))).toBe(
      'feffffffffffffffffffffffffff1f00',
    );
  });
});

// A value of a shape, as an arbitrary (every value fits its type).
const valueOf = (shape: LidBitShape): fc.Arbitrary<LidBitJsonValue> => {
  switch (shape.kind) {
    case 'int': {
      const bits = shape.size * 8;
      if (shape.size === 8)
        return (shape.signed ? fc.bigInt(-(1n << 63n), (1n << 63n) - 1n) : fc.bigInt(0n, (1n << 64n) - 1n)).map(String);
      return shape.signed
        ? fc.integer({ min: -(2 ** (bits - 1)), max: 2 ** (bits - 1) - 1 })
        : fc.integer({ min: 0, max: 2 ** bits - 1 });
    }
    case 'float':
      return fc
        .double({ noNaN: true, noDefaultInfinity: true })
        .filter((x) => !Object.is(x, -0))
        .map((x) => (shape.size === 4 ? Math.fround(x) : x))
        .filter(Number.isFinite);
    case 'array':
      return fc.array(valueOf(shape.of), { minLength: shape.length, maxLength: shape.length });
    case 'struct':
      return fc.record(Object.fromEntries(shape.members.map((m) => [m.name, valueOf(m.shape)])));
  }
};

describe('field edits (issue 15.3)', () => {
  const lid = parseLidBit(fixture('typed.h')).lids[0]!;
  const bitsOf = (name: string): Set<number> => {
    // every bit (byte*8+bit) a field covers
    const f = lid.fields.find((x) => x.name === name)!;
    const out = new Set<number>();
    if (f.container !== undefined) for (let b = f.bit; b < f.bit + f.bits; b++) out.add(f.offset * 8 + b);
    else for (let b = 0; b < f.bits; b++) out.add(f.offset * 8 + b);
    return out;
  };
  it("property: unchanged decode output is byte-identical; an edit changes only that field's bits (and the checksum)", () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 72, maxLength: 72 }),
        fc.integer({ min: 0, max: lid.fields.length - 1 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom('A', 'B'),
        (rec, k, seed, gen) => {
          const fields = JSON.parse(JSON.stringify(decodeLidBitRecord(lid, rec))) as {
            name: string;
            value: LidBitJsonValue;
          }[];
          const same = applyLidBitEdits(lid, rec, fields);
          expect(same.edits).toEqual([]);
          expect(bytesToHex(same.record)).toBe(bytesToHex(rec));
          const f = lid.fields[k]!;
          const arb: fc.Arbitrary<LidBitJsonValue> = f.shape
            ? valueOf(f.shape)
            : fc.integer({ min: 0, max: 2 ** f.bits - 1 });
          const [nv] = fc.sample(arb, { seed, numRuns: 1 });
          fields[k] = { name: f.name, value: nv! };
          const edited = applyLidBitEdits(lid, rec, fields);
          const covered = bitsOf(f.name);
          for (let b = 0; b < 72 * 8; b++) {
            const changed = ((rec[b >> 3]! ^ edited.record[b >> 3]!) >> (b & 7)) & 1;
            if (changed) expect(covered.has(b)).toBe(true);
          }
          expect(decodeLidBitRecord(lid, edited.record)[k]!.value).toEqual(JSON.parse(JSON.stringify(nv)));
          // In a file: only the record's bytes of that field and the checksum bytes move.
          const entry = { lid: 0x123, size: 72, records: 1, attributes: [] as string[], attr: 0, category: 0 };
          const a = encodeLidFile([rec], entry, { generation: gen });
          const b = encodeLidFile([edited.record], entry, { generation: gen });
          const base = gen === 'B' ? 64 : 0;
          const sum = gen === 'B' ? 8 : 2;
          for (let i = 0; i < a.length; i++)
            if (a[i] !== b[i]) {
              const inRecord = i >= base && i < base + 72 && [...covered].some((bit) => bit >> 3 === i - base);
              const inChecksum = i >= base + 72 && i < base + 72 + sum;
              expect(inRecord || inChecksum).toBe(true);
            }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('fuzz: arbitrary JSON as field values only throws NvError', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.constantFrom(...lid.fields.map((f) => f.name), 'nope'), fc.jsonValue(), fc.option(fc.string())),
          {
            maxLength: 4,
          },
        ),
        (edits) => {
          const fields = edits.map(([name, value, label]) => ({
            name,
            value: value as LidBitJsonValue,
            ...(label === null ? {} : { label }),
          }));
          const code = nvErrorCode(() => applyLidBitEdits(lid, TYPED_REC, fields));
          expect(['none', 'NV_LID_BIT_BAD_VALUE', 'NV_LID_BIT_UNKNOWN_FIELD']).toContain(code);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('labels and text are edits too; conflicting edits are refused, never ignored', () => {
    const fields = decodeLidBitRecord(lid, TYPED_REC);
    const byLabel = applyLidBitEdits(lid, TYPED_REC, [{ name: 'flags.mode', value: 2, label: 'd' }]);
    expect(byLabel.edits).toEqual([{ name: 'flags.mode', from: 2, to: 'd' }]);
    expect(byLabel.record[68]).toBe(0x07);
    const byText = applyLidBitEdits(lid, TYPED_REC, [
      { name: 'name', value: [67, 70, 71, 49, 0, 0, 0, 0], text: 'XY' },
    ]);
    expect(bytesToHex(byText.record.subarray(24, 32))).toBe('5859000000000000');
    expect(nvErrorCode(() => applyLidBitEdits(lid, TYPED_REC, [{ name: 'flags.mode', value: 1, label: 'd' }]))).toBe(
      'NV_LID_BIT_BAD_VALUE',
    );
    expect(nvErrorCode(() => applyLidBitEdits(lid, TYPED_REC, [{ name: 'name', text: 'TOO LONG NAME' }]))).toBe(
      'NV_LID_BIT_BAD_VALUE',
    );
    // A member and its bit field edited to different bits.
    expect(
      nvErrorCode(() =>
        applyLidBitEdits(lid, TYPED_REC, [
          { name: 'flags', value: 7 },
          { name: 'flags.en', value: 0 },
        ]),
      ),
    ).toBe('NV_LID_BIT_BAD_VALUE');
    expect(nvErrorCode(() => applyLidBitEdits(lid, TYPED_REC, [{ name: 'nope', value: 1 }]))).toBe(
      'NV_LID_BIT_UNKNOWN_FIELD',
    );
    expect(applyLidBitEdits(lid, TYPED_REC, fields).edits).toEqual([]);
  });
});
