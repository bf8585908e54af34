/**
 * Issue 15.6: importer and lint on a hand-written vendor-style MOLY table (fixtures/moly_vendor_style.c, written
 * from the spec's description of MOLY per-module tables, not by our exporter).
 */
import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { NvError } from '@nv/core';
import { importLtableC } from '../src/c-import.ts';
import { lintLtable } from '../src/lint.ts';
import { LTABLE_ERROR_CODES } from '../src/errors.ts';

const fixture = {
  name: 'moly_vendor_style.c',
  text: readFileSync(new URL('./fixtures/moly_vendor_style.c', import.meta.url), 'utf8'),
};
const fail = (text: string): { code: string; message: string; data: unknown } => {
  try {
    importLtableC([{ name: 't.c', text }], { generation: 'moly-b' });
  } catch (e) {
    if (NvError.isInstance(e)) return { code: e.code, message: e.message, data: e.data };
    throw e;
  }
  throw new Error('no error');
};

describe('vendor-style MOLY table (issue 15.6)', () => {
  for (const target of [true, false]) {
    it(`reads the table and skips the NVRAM_LTABLE_END terminator (${target ? 'target: empty' : 'host: 0'})`, () => {
      const { table } = importLtableC([fixture], {
        generation: 'moly-b',
        defines: target ? { __MTK_TARGET__: '1' } : {},
      });
      expect(table.entries.map((e) => e.name)).toEqual([
        'NVRAM_EF_DEMO_SETTING_LID',
        'NVRAM_EF_DEMO_SWAP_LID',
        'NVRAM_EF_DEMO_OFFSET_LID',
        'NVRAM_EF_DEMO_NOVER_LID',
      ]);
      expect(table.entries[0]).toMatchObject({ records: 1, size: 8, verno: '003' });
    });
  }

  it('sizeof(kal_int16) and the other kal_* / C scalar types are built in', () => {
    const { table, warnings } = importLtableC([fixture], { generation: 'moly-b' });
    expect(table.entries[2]).toMatchObject({ records: 4, size: 2 * 4 + 4 });
    expect(warnings.filter((w) => w.name === 'NVRAM_EF_DEMO_OFFSET_LID')).toEqual([]);
    const sizes: [string, number][] = [
      ['kal_uint8', 1],
      ['kal_int8', 1],
      ['kal_char', 1],
      ['kal_uint16', 2],
      ['kal_int16', 2],
      ['kal_uint32', 4],
      ['kal_int32', 4],
      ['kal_uint64', 8],
      ['unsigned short', 2],
      ['int', 4],
    ];
    for (const [type, n] of sizes) {
      const text = `#define X_LID_VERNO "000"\nltable_entry_struct t[] = {{ X_LID, 1, sizeof(${type}), NVRAM_EF_ZERO_DEFAULT, NVRAM_CATEGORY_USER, NVRAM_ATTR_AVERAGE, "XX01", VER(X_LID) }};`;
      expect(importLtableC([{ name: 't.c', text }], { generation: 'moly-b' }).table.entries[0]?.size, type).toBe(n);
    }
    // A user struct size still wins; an unknown type, or an Object.prototype name, stays unresolved.
    const user = `#define X_LID_VERNO "000"\nltable_entry_struct t[] = {{ X_LID, 1, sizeof(kal_int16), NVRAM_EF_ZERO_DEFAULT, NVRAM_CATEGORY_USER, NVRAM_ATTR_AVERAGE, "XX01", VER(X_LID) }};`;
    expect(
      importLtableC([{ name: 't.c', text: user }], { generation: 'moly-b', structSizes: { kal_int16: 3 } }).table
        .entries[0]?.size,
    ).toBe(3);
    for (const t of ['my_struct', 'constructor']) {
      const r = importLtableC([{ name: 't.c', text: user.replace('kal_int16', t) }], { generation: 'moly-b' });
      expect(r.warnings.map((w) => w.code)).toEqual(['NV_LTABLE_UNRESOLVED']);
    }
  });

  it('a MAUI-ordered entry (size, records) in a MOLY table is an error finding, and lint is not ok', () => {
    const { table, warnings } = importLtableC([fixture], { generation: 'moly-b' });
    // The compiler accepts it: the modem sees 64 records of 2 bytes.
    expect(table.entries[1]).toMatchObject({ records: 64, size: 2 });
    const swapped = warnings.filter((w) => w.code === 'NV_LTABLE_ORDER_SWAPPED');
    expect(swapped).toHaveLength(1);
    expect(swapped[0]).toMatchObject({ severity: 'error', name: 'NVRAM_EF_DEMO_SWAP_LID', line: 44 });
    expect(swapped[0]!.message).toMatch(/64 record\(s\) of 2 byte\(s\)/);
    expect(LTABLE_ERROR_CODES['NV_LTABLE_ORDER_SWAPPED']).toBeDefined();
    // The reverse pitfall in a MAUI table: records before size.
    const maui = `ltable_entry_struct t[] = {{ X_LID, X_TOTAL, X_SIZE, NVRAM_EF_ZERO_DEFAULT, NVRAM_ATTR_AVERAGE, NVRAM_CATEGORY_USER, "CT01", "000", "x", NVRAM_RESERVED_VALUE }};\n#define X_TOTAL 4\n#define X_SIZE 2`;
    const m = importLtableC([{ name: 'm.c', text: `#define X_TOTAL 4\n#define X_SIZE 2\n${maui}` }], {
      generation: 'maui',
      enumSet: 'maui-1',
    });
    expect(m.warnings.map((w) => w.code)).toContain('NV_LTABLE_ORDER_SWAPPED');
    // Correctly ordered entries give no such finding.
    const fine = fixture.text.replace(
      'NVRAM_EF_DEMO_SWAP_SIZE,\n        NVRAM_EF_DEMO_SWAP_TOTAL,',
      'NVRAM_EF_DEMO_SWAP_TOTAL,\n        NVRAM_EF_DEMO_SWAP_SIZE,',
    );
    expect(
      importLtableC([{ name: 'f.c', text: fine }], { generation: 'moly-b' }).warnings.map((w) => w.code),
    ).not.toContain('NV_LTABLE_ORDER_SWAPPED');
  });

  it('a missing _VERNO define is named, in the import warning and in lint', () => {
    const { table, warnings } = importLtableC([fixture], { generation: 'moly-b' });
    const w = warnings.find((x) => x.name === 'NVRAM_EF_DEMO_NOVER_LID');
    expect(w?.message).toMatch(/NVRAM_EF_DEMO_NOVER_LID_VERNO is not defined/);
    const lint = lintLtable(table).findings.find((f) => f.code === 'NV_LTABLE_BAD_VERNO');
    expect(lint?.message).toMatch(/NVRAM_EF_DEMO_NOVER_LID_VERNO is not defined/);
    expect(lint?.message).not.toMatch(/VERNO ""/);
  });

  it('a missing } is reported at the line where it belongs', () => {
    const lines = [
      '#define A_LID_VERNO "000"',
      'ltable_entry_struct t[] = {',
      '  { A_LID, 1, 4, NVRAM_EF_ZERO_DEFAULT, NVRAM_CATEGORY_USER, NVRAM_ATTR_AVERAGE, "AA01", VER(A_LID) },',
      '  { B_LID, 1, 4, NVRAM_EF_ZERO_DEFAULT, NVRAM_CATEGORY_USER, NVRAM_ATTR_AVERAGE, "BB01", VER(A_LID) ,',
      '  { C_LID, 1, 4, NVRAM_EF_ZERO_DEFAULT, NVRAM_CATEGORY_USER, NVRAM_ATTR_AVERAGE, "CC01", VER(A_LID) },',
      '};',
    ];
    const mid = fail(lines.join('\n'));
    expect(mid).toMatchObject({ code: 'NV_LTABLE_SYNTAX', data: { line: 4 } });
    expect(mid.message).toMatch(/missing \}.*opened at line 4/);
    // The last entry loses its }: the `};` closes the entry, the list stays open.
    const last = [lines[0]!, lines[1]!, lines[2]!, lines[4]!.replace(/\},$/, ''), '};'];
    expect(fail(last.join('\n'))).toMatchObject({ code: 'NV_LTABLE_SYNTAX', data: { line: 4 } });
    // The list's own } is missing: reported before the `;`.
    const list = [lines[0]!, lines[1]!, lines[2]!, lines[4]!, ';'];
    expect(fail(list.join('\n'))).toMatchObject({ code: 'NV_LTABLE_SYNTAX', data: { line: 4 } });
    // Multi-line entries (vendor style): the line of the entry's last field.
    const multi = fixture.text.replace(
      '        VER(NVRAM_EF_DEMO_SWAP_LID)\n    },',
      '        VER(NVRAM_EF_DEMO_SWAP_LID)\n    ,',
    );
    expect(fail(multi)).toMatchObject({ code: 'NV_LTABLE_SYNTAX', data: { line: 50 } });
  });
});
