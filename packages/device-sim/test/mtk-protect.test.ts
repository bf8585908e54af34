/**
 * Issue 15.5: the simulated modem API refuses what the spec's modem refuses (docs/formats/lid-files.md#external-api): plain calls on IMEI and
 * SIM-lock LIDs (`NV_LID_SECURE_API_REQUIRED`), external writes of `WRITEPROTECT` LIDs outside factory mode
 * (`NV_LID_WRITE_PROTECTED`). The codes are the ones `@nv/mtk-lid-file` declares for these refusals.
 */
import { describe, it, expect } from 'vitest';
import { nvErrorCode } from '../../../scripts/test-tools.ts';
import { LID_ERROR_CODES } from '@nv/mtk-lid-file';
import { createLtableEntry, sampleLtable } from '@nv/mtk-nvram-ltable/sample';
import { importLtableC, type Ltable } from '@nv/mtk-nvram-ltable';
import { createMtkDevice, readMtkRecord, resetMtkRecords, writeMtkRecord } from '../src/mtk.ts';
import { peekMtkLid } from '../src/mtk-device.ts';

describe('write protection and the secure API (issue 15.5)', () => {
  it('the refusal codes are declared in the mtk-lid-file error table', () => {
    expect(LID_ERROR_CODES['NV_LID_WRITE_PROTECTED']).toBeDefined();
    expect(LID_ERROR_CODES['NV_LID_SECURE_API_REQUIRED']).toBeDefined();
  });

  for (const gen of ['moly-a', 'moly-b'] as const) {
    it(`${gen}: a plain write of the IMEI LID and of a SIM-lock LID is refused and changes nothing`, () => {
      const d = createMtkDevice(sampleLtable(gen));
      const imeiBefore = peekMtkLid(d, 'NVRAM_EF_IMEI_IMEISV_LID')!.data.slice();
      const imei = new Uint8Array(10).fill(0x11);
      expect(nvErrorCode(() => writeMtkRecord(d, 'NVRAM_EF_IMEI_IMEISV_LID', 1, imei))).toBe(
        'NV_LID_SECURE_API_REQUIRED',
      );
      expect(nvErrorCode(() => writeMtkRecord(d, 'NVRAM_EF_SML_LID', 1, new Uint8Array(512)))).toBe(
        'NV_LID_SECURE_API_REQUIRED',
      );
      expect(nvErrorCode(() => readMtkRecord(d, 'NVRAM_EF_SIM_LOCK_LID', 1))).toBe('NV_LID_SECURE_API_REQUIRED');
      // Secure API but not in factory mode: the IMEI LID is WRITEPROTECT.
      expect(nvErrorCode(() => writeMtkRecord(d, 'NVRAM_EF_IMEI_IMEISV_LID', 1, imei, { api: 'secure' }))).toBe(
        'NV_LID_WRITE_PROTECTED',
      );
      expect(nvErrorCode(() => resetMtkRecords(d, 'NVRAM_EF_IMEI_IMEISV_LID', 1, 1, { api: 'secure' }))).toBe(
        'NV_LID_WRITE_PROTECTED',
      );
      expect(peekMtkLid(d, 'NVRAM_EF_IMEI_IMEISV_LID')!.data).toEqual(imeiBefore);
      // The factory (SN writer, META mode) uses the secure call: accepted.
      writeMtkRecord(d, 'NVRAM_EF_IMEI_IMEISV_LID', 1, imei, { api: 'secure', factory: true });
      expect(readMtkRecord(d, 'NVRAM_EF_IMEI_IMEISV_LID', 1, { api: 'secure' })).toEqual(imei);
    });
  }

  it('a WRITEPROTECT LID without IMEI/SIM-lock data: plain writes refused, reads and factory writes allowed', () => {
    const d = createMtkDevice(sampleLtable('moly-b'));
    // The barcode LID is CALIBRAT + WRITEPROTECT in the sample table.
    expect(sampleLtable('moly-b').entries.find((e) => e.name === 'NVRAM_EF_BARCODE_NUM_LID')?.attributes).toContain(
      'WRITEPROTECT',
    );
    const rec = new Uint8Array(64).fill(0x30);
    expect(nvErrorCode(() => writeMtkRecord(d, 'NVRAM_EF_BARCODE_NUM_LID', 1, rec))).toBe('NV_LID_WRITE_PROTECTED');
    expect(readMtkRecord(d, 'NVRAM_EF_BARCODE_NUM_LID', 1)).toHaveLength(64);
    writeMtkRecord(d, 'NVRAM_EF_BARCODE_NUM_LID', 1, rec, { factory: true });
    expect(readMtkRecord(d, 'NVRAM_EF_BARCODE_NUM_LID', 1)).toEqual(rec);
    // Ordinary LIDs are untouched by the new checks.
    writeMtkRecord(d, 'NVRAM_EF_SMS_SETTING_LID', 1, new Uint8Array(176).fill(1));
  });

  it('moly-a OTP clears WRITEPROTECT at boot (§7): the effective attributes decide', () => {
    const set = 'moly-a' as const;
    const otp = createLtableEntry(
      {
        name: 'NVRAM_EF_OTP_DEMO_LID',
        lid: 1,
        size: 4,
        categories: ['OTP'],
        attributes: ['WRITEPROTECT'],
        prefix: 'OT01',
        verno: '000',
      },
      set,
    );
    const t: Ltable = { generation: 'moly-a', enumSet: set, entries: [...sampleLtable('moly-a').entries, otp] };
    const d = createMtkDevice(t);
    writeMtkRecord(d, 'NVRAM_EF_OTP_DEMO_LID', 1, new Uint8Array([1, 2, 3, 4]));
    expect(readMtkRecord(d, 'NVRAM_EF_OTP_DEMO_LID', 1)).toEqual(new Uint8Array([1, 2, 3, 4]));
  });

  it('the C importer tags the IMEI and SIM-lock LIDs by name, so an imported table is protected too', () => {
    const row = (name: string, cat: string, prefix: string): string =>
      `{ ${name}, 1, 16, NVRAM_EF_ZERO_DEFAULT, NVRAM_CATEGORY_${cat}, NVRAM_ATTR_AVERAGE, "${prefix}", VER(${name}) },`;
    const text = [
      ...['NVRAM_EF_IMEI_IMEISV_LID', 'NVRAM_EF_SML_LID', 'NVRAM_EF_SIM_LOCK_LID', 'NVRAM_EF_SMS_LID'].map(
        (n) => `#define ${n}_VERNO "000"`,
      ),
      'ltable_entry_struct logical_data_item_table_l4[] = {',
      row('NVRAM_EF_IMEI_IMEISV_LID', 'IMPORTANT', 'LD0B'),
      row('NVRAM_EF_SML_LID', 'IMPORTANT_L4', 'LD0C'),
      row('NVRAM_EF_SIM_LOCK_LID', 'IMPORTANT_L4', 'LD0D'),
      row('NVRAM_EF_SMS_LID', 'USER', 'LD0E'),
      '};',
    ].join('\n');
    const { table } = importLtableC([{ name: 'l4_nvram_def.c', text }], { generation: 'moly-b' });
    expect(table.entries.map((e) => [e.name, e.tags])).toEqual([
      ['NVRAM_EF_IMEI_IMEISV_LID', ['imei']],
      ['NVRAM_EF_SML_LID', ['sim-lock']],
      ['NVRAM_EF_SIM_LOCK_LID', ['sim-lock']],
      ['NVRAM_EF_SMS_LID', []],
    ]);
    const d = createMtkDevice(table);
    expect(nvErrorCode(() => writeMtkRecord(d, 'NVRAM_EF_SML_LID', 1, new Uint8Array(16)))).toBe(
      'NV_LID_SECURE_API_REQUIRED',
    );
    writeMtkRecord(d, 'NVRAM_EF_SMS_LID', 1, new Uint8Array(16));
  });
});
