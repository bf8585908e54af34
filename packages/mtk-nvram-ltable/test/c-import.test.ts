import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { NvError } from '@nv/core';
import { FUZZ_RUNS, hasTool } from '../../../scripts/test-tools.ts';
import { importLtableC, type LtableCImportOptions } from '../src/c-import.ts';
import { ltableToC } from '../src/c-export.ts';
import { sampleLtable } from '../src/sample.ts';
import { lintLtable } from '../src/lint.ts';
import type { Ltable } from '../src/model.ts';
import { arbTable } from './arb.ts';

const fx = (name: string) => ({ name, text: readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8') });
const core = () => [fx('lid_groups.h'), fx('nvram_ltable_core.c')];
const fail = (text: string, opts: LtableCImportOptions = {}): { code: string; message: string; data: unknown } => {
  try {
    importLtableC([{ name: 't.c', text }], opts);
  } catch (e) {
    if (NvError.isInstance(e)) return { code: e.code, message: e.message, data: e.data };
    throw e;
  }
  throw new Error('no error');
};
const strip = (t: Ltable): Ltable => ({ ...t, entries: t.entries.map(({ source: _s, ...e }) => e) });

describe('C import (§6)', () => {
  it('reads the synthetic moly-b fixture: enums, group macros, octal, casts, several tables', () => {
    const { table, warnings } = importLtableC(core());
    expect(table.generation).toBe('moly-b');
    const by = Object.fromEntries(table.entries.map((e) => [e.name, e]));
    expect(Object.keys(by)).toEqual([
      'NVRAM_EF_SYS_LID',
      'NVRAM_EF_IMEI_IMEISV_LID',
      'NVRAM_EF_FT_RF_CAL_LID',
      'NVRAM_EF_CSSD_LID',
      'NVRAM_EF_BARCODE_NUM_LID',
    ]);
    expect(by['NVRAM_EF_IMEI_IMEISV_LID']).toMatchObject({
      lid: 0xef10,
      size: 10,
      records: 2,
      category: 0x2000,
      attr: 0x402a,
      prefix: 'LD0B',
      verno: '001',
      source: { file: 'nvram_ltable_core.c', line: 22 },
    });
    expect(by['NVRAM_EF_IMEI_IMEISV_LID']?.default).toEqual({
      kind: 'bytes',
      symbol: 'NVRAM_EF_IMEI_DEFAULT',
      hex: '0001031105060708090a0b0c0d0e0f1011121314',
    });
    expect(by['NVRAM_EF_SYS_LID']).toMatchObject({
      lid: 0xf001,
      records: 4,
      size: 34,
      categories: ['FUNC_DEFAULT', 'IMPORTANT_L1'],
      default: { kind: 'func', symbol: 'nvram_sys_default' },
    });
    expect(by['NVRAM_EF_FT_RF_CAL_LID']).toMatchObject({
      lid: 0x05c1,
      records: 11,
      size: 1024,
      categories: ['CALIBRAT'],
      description: 'RF calibration',
      default: { kind: 'symbol', symbol: 'NVRAM_EF_FT_RF_CAL_DEFAULT' },
      tags: ['calibration-result'],
    });
    expect(by['NVRAM_EF_CSSD_LID']).toMatchObject({ lid: 0x08c1, verno: '000', default: { kind: 'ff' } });
    expect(by['NVRAM_EF_BARCODE_NUM_LID']).toMatchObject({ lid: null, tags: ['barcode'] });
    expect(warnings.map((w) => [w.code, w.file, w.line])).toEqual([['NV_LTABLE_SMART_QUOTES', 'lid_groups.h', 31]]);
    expect(lintLtable(table).ok).toBe(true);
  });

  it('-D set: #ifdef, defined() && comparisons, sizeof with struct sizes', () => {
    const { table } = importLtableC(core(), {
      defines: { __NVRAM_LOCK__: '', __L4_NEXT__: '2' },
      structSizes: { l4_next_struct: 48 },
    });
    const by = Object.fromEntries(table.entries.map((e) => [e.name, e]));
    expect(by['NVRAM_EF_NVRAM_LOCK_LID']).toMatchObject({ lid: 0xf006, attr: 0x60ae });
    expect(by['NVRAM_EF_L4_NEXT_LID']).toMatchObject({ lid: 0xef11, size: 48 });
    expect(by['NVRAM_EF_BARCODE_NUM_LID']).toBeUndefined();
    const noSize = importLtableC(core(), { defines: { __L4_NEXT__: '3' } });
    const e = noSize.table.entries.find((x) => x.name === 'NVRAM_EF_L4_NEXT_LID');
    expect(e).toMatchObject({ size: 0, unresolved: { size: 'sizeof ( l4_next_struct )' } });
    expect(noSize.warnings.find((w) => w.code === 'NV_LTABLE_UNRESOLVED')).toMatchObject({ line: 36, column: 33 });
  });

  it('detects MAUI order on the §6 entry and needs an enum set', () => {
    expect(fail(fx('maui_demo.c').text).code).toBe('NV_LTABLE_ENUMSET_REQUIRED');
    const { table } = importLtableC([fx('maui_demo.c')], { enumSet: 'maui-1' });
    expect(table.generation).toBe('maui');
    expect(
      table.entries.map((e) => [
        e.lid,
        e.size,
        e.records,
        e.prefix,
        e.verno,
        e.description,
        e.categories,
        e.attributes,
      ]),
    ).toEqual([
      [3, 20, 2, 'CT52', '007', 'Demo/0', ['USER'], ['AVERAGE']],
      [4, 4, 1, 'CT53', '001', 'Demo/1', ['SYSTEM', 'FACTORY'], ['WRITEPROTECT', 'OTP']],
    ]);
    expect(importLtableC([fx('maui_demo.c')], { enumSet: 'maui-3' }).table.entries[1]?.category).toBe(0x8 | 0x2);
  });

  it('errors carry file:line:column', () => {
    const t =
      'ltable_entry_struct t[] = {\n  { A_LID, 1, 4, NVRAM_EF_ZERO_DEFAULT, NVRAM_CATEGORY_USER, NVRAM_ATTR_BOGUS, "AB01", "000" },\n};';
    const e = fail(t);
    expect(e).toMatchObject({ code: 'NV_LTABLE_UNKNOWN_ATTR', data: { line: 2, column: 62 } });
    expect(e.message).toMatch(/^t\.c:2:62: /);
    expect(fail(t.replace('NVRAM_ATTR_BOGUS', 'NVRAM_ATTR_SW_VERNO_RESET'), { generation: 'moly-b' })).toMatchObject({
      code: 'NV_LTABLE_GEN_MISMATCH',
      data: { line: 2, column: 62 },
    });
    expect(fail('ltable_entry_struct t[] = {\n  { A, 1, 2, 3 },\n};')).toMatchObject({
      code: 'NV_LTABLE_FIELD_COUNT',
      data: { line: 2, column: 3 },
    });
    // The entry on line 2 lacks its }: reported after its last token (issue 15.6), not at the list's {.
    expect(fail('ltable_entry_struct t[] = {\n  { A, 1, 2, 3, 4, 5, 6, 7 \n};')).toMatchObject({
      code: 'NV_LTABLE_SYNTAX',
      data: { line: 2, column: 26 },
    });
    expect(fail('/* nothing */ int x = 1;').code).toBe('NV_LTABLE_SYNTAX');
    expect(fail('int a; /* open').code).toBe('NV_LTABLE_SYNTAX');
    expect(fail('char *s = "abc\n";')).toMatchObject({ code: 'NV_LTABLE_SYNTAX', data: { line: 1, column: 11 } });
    expect(fail('#if 1\nint x;\n')).toMatchObject({ code: 'NV_LTABLE_SYNTAX', data: { line: 1 } });
    expect(fail('ltable_entry_struct t[] = {{ A, X, Y, D, C, B, "AB01", "000", "d" }};')).toMatchObject({
      code: 'NV_LTABLE_LAYOUT_UNKNOWN',
      data: { line: 1, column: 28 },
    });
  });

  it('round trip: C export → import gives the same table', () => {
    for (const g of ['moly-a', 'moly-b'] as const) {
      const t = sampleLtable(g);
      expect(strip(importLtableC(ltableToC(t)).table)).toEqual(t);
    }
    fc.assert(
      fc.property(arbTable(), (t) => {
        const back = importLtableC(ltableToC(t));
        expect(back.warnings).toEqual([]);
        expect(strip(back.table)).toEqual(t);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('fuzz: mutated C only ever throws NvError', () => {
    const src = readFileSync(new URL('./fixtures/nvram_ltable_core.c', import.meta.url), 'utf8');
    const alphabet = fc.constantFrom(
      '{',
      '}',
      '(',
      ')',
      ',',
      '"',
      "'",
      '/*',
      '*/',
      '#if 1\n',
      '#endif\n',
      '#define X(a) a##a\n',
      '\\\n',
      '0x',
      '013',
      '|',
      '<<',
      'VER(',
      'sizeof(',
    );
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: src.length }),
        fc.integer({ min: 0, max: 8 }),
        fc.array(alphabet, { maxLength: 3 }),
        (at, cut, ins) => {
          const text = src.slice(0, at) + ins.join('') + src.slice(at + cut);
          try {
            importLtableC([fx('lid_groups.h'), { name: 'm.c', text }]);
          } catch (e) {
            expect(NvError.isInstance(e)).toBe(true);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (text) => {
        try {
          importLtableC(`ltable_entry_struct t[] = {${text}};`);
        } catch (e) {
          expect(NvError.isInstance(e)).toBe(true);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('skips linker-section attributes and tolerates leading/trailing commas', () => {
    const src =
      '#define NVRAM_SECTION __attribute__((section("_nvram_ltable")))\nstatic const ltable_entry_struct t[] NVRAM_SECTION __attribute__ ((used)) = {\n ,{ A_LID, 1, 4, NVRAM_EF_ZERO_DEFAULT, NVRAM_CATEGORY_USER, NVRAM_ATTR_AVERAGE, "AB01", "000" },\n};';
    expect(importLtableC(src).table.entries.map((e) => [e.name, e.prefix])).toEqual([['A_LID', 'AB01']]);
  });
  // Macro and expression limits: test/c-preprocessor.test.ts, test/c-expr.test.ts.
});

describe.skipIf(!hasTool('cpp'))('preprocessing cross-check against cpp (needs Debian cpp)', () => {
  it('the same entries survive #if/#ifdef/#elif for several -D sets', () => {
    const dir = new URL('./fixtures/', import.meta.url).pathname;
    for (const defs of [
      {},
      { __NVRAM_LOCK__: '1' },
      { __L4_NEXT__: '2' },
      { __L4_NEXT__: '1', __NVRAM_LOCK__: '1' },
    ] as Record<string, string>[]) {
      const args = [
        '-P',
        '-I',
        dir,
        ...Object.entries(defs).map(([k, v]) => `-D${k}=${v}`),
        `${dir}nvram_ltable_core.c`,
      ];
      const out = execFileSync('cpp', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      const fromCpp = [...out.matchAll(/\{\s*(NVRAM_EF_\w+_LID)\s*,/g)].map((m) => m[1]);
      const ours = importLtableC(core(), { defines: defs, structSizes: { l4_next_struct: 4 } }).table.entries.map(
        (e) => e.name,
      );
      expect(ours).toEqual(fromCpp);
    }
  });
});
