import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { NvError, bytesToHex, hexToBytes } from '@nv/core';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { parseLidBit, decodeLidBitRecord, encodeLidBitRecord, cs2, chk8 } from '../src/index.ts';

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
      { name: 'label', value: '41424344', text: 'ABCD' },
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
