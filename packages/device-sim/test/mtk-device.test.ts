import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { bytesToHex } from '@nv/core/bytes';
import { sampleLtable } from '@nv/mtk-nvram-ltable/sample';
import type { Ltable } from '@nv/mtk-nvram-ltable';
import { FUZZ_RUNS, nvErrorCode } from '../../../scripts/test-tools.ts';
import {
  createMtkDevice,
  bootMtkDevice,
  readMtkRecord,
  writeMtkRecord,
  resetMtkRecords,
  backupMtkBinRegion,
  restoreMtkBinRegion,
  cloneMtkDevice,
  MTK_SIM_ERROR_CODES,
  upgradeMtkDevice,
} from '../src/mtk.ts';
import { corruptMtkLid, peekMtkLid, mtkLidLocations } from '../src/mtk-device.ts';
import { mtkDefaultRecords } from '../src/mtk-default.ts';

/** IMEI and SIM-lock LIDs: the secure API in factory mode (docs/formats/lid-files.md#external-api; issue 15.5). */
const SECURE = { api: 'secure', factory: true } as const;

const entry = (t: Ltable, name: string) => t.entries.find((e) => e.name === name)!;

describe('simulated MediaTek device: partitions and folders (ltable §2, §7)', () => {
  it('moly-b: nvdata category folders, IMPORTANT_L4 A/B on protect_f/protect_s, CALIBRAT + NVD_IMEI in the bin region', () => {
    const d = createMtkDevice(sampleLtable('moly-b'));
    expect(Object.keys(d.partitions.nvdata).sort()).toEqual([
      'md/NVRAM/CALIBRAT/EL1D_003',
      'md/NVRAM/CALIBRAT/FT02_002',
      'md/NVRAM/CALIBRAT/MP09_000',
      'md/NVRAM/IMPORTNT/MT00A000',
      'md/NVRAM/IMPORTNT/MT00B000',
      'md/NVRAM/NVD_CUST/CT01A000',
      'md/NVRAM/NVD_CUST/CT01B000',
      'md/NVRAM/NVD_DATA/EL1C_001',
      'md/NVRAM/NVD_DATA/LD41_004',
      'md/NVRAM/NVD_DATA/MP2A_001',
      'md/NVRAM/NVD_DATA/UL12_000',
      'md/NVRAM/NVD_IMEI/CS00_000',
      'md/NVRAM/NVD_IMEI/LD0B_001',
      'md/NVRAM/NVD_IMEI/MP0C_000',
    ]);
    expect(Object.keys(d.partitions.protect_f).sort()).toEqual(['md/MP0EA002', 'md/MP0FA000']);
    expect(Object.keys(d.partitions.protect_s).sort()).toEqual(['md/MP0EB002', 'md/MP0FB000']);
    expect(Object.keys(d.binRegion ?? {}).sort()).toEqual([
      'CALIBRAT/EL1D_003',
      'CALIBRAT/FT02_002',
      'CALIBRAT/MP09_000',
      'NVD_IMEI/CS00_000',
      'NVD_IMEI/LD0B_001',
      'NVD_IMEI/MP0C_000',
    ]);
    expect(d.sys).toEqual({ firmware: 'build-1', ok: true });
  });

  it('moly-a on eMMC: MULTIPLE dropped except SYS (single-copy MP0B_001, §7), SYS in NVD_CORE', () => {
    const d = createMtkDevice(sampleLtable('moly-a'));
    const paths = Object.keys(d.partitions.nvdata);
    expect(paths).toContain('md/NVRAM/NVD_IMEI/MP0B_001');
    expect(paths).toContain('md/NVRAM/NVD_CORE/MT00A000');
    expect(paths).toContain('md/NVRAM/NVD_CORE/MT00B000');
    expect(Object.keys(d.partitions.protect_f).sort()).toEqual(['md/MP0E_002', 'md/MP0F_000']);
    expect(Object.keys(d.partitions.protect_s)).toEqual([]);
    // On NAND the A/B copies stay.
    const nand = createMtkDevice(sampleLtable('moly-a'), { platform: { storage: 'nand' } });
    expect(Object.keys(nand.partitions.protect_s).sort()).toEqual(['md/MP0EB002', 'md/MP0FB000']);
  });

  it('is deterministic for a seed and differs between seeds; fresh devices hold defaults', () => {
    const a = createMtkDevice(sampleLtable(), { seed: 5 });
    const b = createMtkDevice(sampleLtable(), { seed: 5 });
    const c = createMtkDevice(sampleLtable(), { seed: 6 });
    const cal = (d: typeof a) => bytesToHex(peekMtkLid(d, 'NVRAM_EF_FT_RF_CAL_LID')!.data);
    expect(cal(a)).toBe(cal(b));
    expect(cal(a)).not.toBe(cal(c));
    const blank = createMtkDevice(sampleLtable(), { personalize: false });
    const t = sampleLtable();
    for (const e of t.entries)
      expect(bytesToHex(peekMtkLid(blank, e.name)!.data)).toBe(bytesToHex(mtkDefaultRecords(e)));
    expect(blank.binRegion).toBeNull();
  });

  it('refuses MAUI tables and LIDs over the hard limits, before touching the device', () => {
    expect(nvErrorCode(() => createMtkDevice({ generation: 'maui', enumSet: 'maui-1', entries: [] }))).toBe(
      'NV_SIM_MTK_UNSUPPORTED_GENERATION',
    );
    const huge = sampleLtable();
    huge.entries = huge.entries.map((e) =>
      e.name === 'NVRAM_EF_SMS_SETTING_LID' ? { ...e, size: 0x100000, records: 17 } : e,
    );
    expect(nvErrorCode(() => createMtkDevice(huge))).toBe('NV_LIMIT');
    const d = createMtkDevice(sampleLtable());
    const before = cloneMtkDevice(d);
    expect(nvErrorCode(() => upgradeMtkDevice(d, huge, 'format-all'))).toBe('NV_LIMIT');
    expect(d).toEqual(before);
  });

  it('declares every code it throws with the NV_SIM_MTK_ prefix', () => {
    for (const c of Object.keys(MTK_SIM_ERROR_CODES)) expect(c.startsWith('NV_SIM_MTK_')).toBe(true);
  });
});

describe('nvram_external_* (lid-file §13)', () => {
  it('reads and writes record i (1-based), both copies of MULTIPLE', () => {
    const d = createMtkDevice(sampleLtable());
    const rec = new Uint8Array(512).fill(0x42);
    writeMtkRecord(d, 'NVRAM_EF_SML_LID', 1, rec, SECURE);
    expect(bytesToHex(readMtkRecord(d, 'NVRAM_EF_SML_LID', 1, SECURE))).toBe('42'.repeat(512));
    expect(bytesToHex(d.partitions.protect_s['md/MP0EB002']!.data)).toBe('42'.repeat(512));
    const sms = sampleLtable().entries.find((e) => e.name === 'NVRAM_EF_SMS_SETTING_LID')!;
    writeMtkRecord(d, sms.lid!, 10, new Uint8Array(176).fill(7));
    expect(readMtkRecord(d, 'NVRAM_EF_SMS_SETTING_LID', 10)[0]).toBe(7);
    expect(readMtkRecord(d, 'NVRAM_EF_SMS_SETTING_LID', 9)[0]).not.toBe(7);
  });

  it('reset_data rewrites records from index with their defaults', () => {
    const d = createMtkDevice(sampleLtable());
    resetMtkRecords(d, 'NVRAM_EF_L4_SETTING_LID', 2, 1);
    // MULTI_DEFAULT: record 2 takes the second default slice (01…).
    expect(bytesToHex(readMtkRecord(d, 'NVRAM_EF_L4_SETTING_LID', 2))).toBe('01'.repeat(32));
    expect(bytesToHex(readMtkRecord(d, 'NVRAM_EF_L4_SETTING_LID', 1))).not.toBe('00'.repeat(32));
  });

  it('rejects bad indexes, buffer sizes and unknown LIDs with NV_SIM_MTK_ codes', () => {
    const d = createMtkDevice(sampleLtable());
    expect(nvErrorCode(() => readMtkRecord(d, 'NVRAM_EF_IMEI_IMEISV_LID', 0, SECURE))).toBe(
      'NV_SIM_MTK_BAD_RECORD_INDEX',
    );
    expect(nvErrorCode(() => readMtkRecord(d, 'NVRAM_EF_IMEI_IMEISV_LID', 3, SECURE))).toBe(
      'NV_SIM_MTK_BAD_RECORD_INDEX',
    );
    expect(nvErrorCode(() => resetMtkRecords(d, 'NVRAM_EF_IMEI_IMEISV_LID', 2, 2, SECURE))).toBe(
      'NV_SIM_MTK_BAD_RECORD_INDEX',
    );
    expect(nvErrorCode(() => writeMtkRecord(d, 'NVRAM_EF_IMEI_IMEISV_LID', 1, new Uint8Array(9), SECURE))).toBe(
      'NV_SIM_MTK_BAD_BUFFER_SIZE',
    );
    expect(nvErrorCode(() => readMtkRecord(d, 'NVRAM_EF_NOPE_LID', 1))).toBe('NV_SIM_MTK_UNKNOWN_LID');
  });

  it('a read with a broken checksum: MULTIPLE copy repair, bin-region restore (gen B), else reset (lid-file §8)', () => {
    const d = createMtkDevice(sampleLtable('moly-b'));
    const sml = bytesToHex(peekMtkLid(d, 'NVRAM_EF_SML_LID')!.data);
    corruptMtkLid(d, 'NVRAM_EF_SML_LID', { record: 1, copies: 'first' });
    expect(bytesToHex(readMtkRecord(d, 'NVRAM_EF_SML_LID', 1, SECURE))).toBe(sml);
    expect(d.partitions.protect_f['md/MP0EA002']!.bad).toEqual([]);

    const cal = bytesToHex(peekMtkLid(d, 'NVRAM_EF_FT_RF_CAL_LID')!.data);
    corruptMtkLid(d, 'NVRAM_EF_FT_RF_CAL_LID', { record: 3 });
    expect(bytesToHex(readMtkRecord(d, 'NVRAM_EF_FT_RF_CAL_LID', 3))).toBe(cal.slice(2 * 2048, 3 * 2048));

    corruptMtkLid(d, 'NVRAM_EF_SMS_SETTING_LID', { record: 2 });
    const sms = entry(sampleLtable(), 'NVRAM_EF_SMS_SETTING_LID');
    const before = bytesToHex(readMtkRecord(d, 'NVRAM_EF_SMS_SETTING_LID', 1)); // only the requested record is verified
    expect(before).not.toBe(bytesToHex(mtkDefaultRecords(sms).subarray(0, 176)));
    expect(bytesToHex(readMtkRecord(d, 'NVRAM_EF_SMS_SETTING_LID', 2))).toBe(
      bytesToHex(mtkDefaultRecords(sms).subarray(176, 352)),
    );
    expect(bytesToHex(readMtkRecord(d, 'NVRAM_EF_SMS_SETTING_LID', 1))).toBe(
      bytesToHex(mtkDefaultRecords(sms).subarray(0, 176)),
    );

    // Gen B CALIBRAT without a bin-region copy: "bin-region restore fail", the read fails, nothing is reset.
    d.binRegion = null;
    corruptMtkLid(d, 'NVRAM_EF_BARCODE_NUM_LID', { record: 1 });
    expect(nvErrorCode(() => readMtkRecord(d, 'NVRAM_EF_BARCODE_NUM_LID', 1))).toBe('NV_SIM_MTK_READ_FAILED');
    expect(peekMtkLid(d, 'NVRAM_EF_BARCODE_NUM_LID')!.bad).toEqual([1]);
  });

  it('FAULT_ASSERT LIDs assert on a failing read, and the modem then refuses access', () => {
    const t = sampleLtable('moly-b');
    const sms = entry(t, 'NVRAM_EF_SMS_SETTING_LID');
    t.entries = t.entries.map((e) =>
      e === sms ? { ...e, attr: e.attr | 0x2000, attributes: [...e.attributes, 'FAULT_ASSERT'] } : e,
    );
    const d = createMtkDevice(t);
    corruptMtkLid(d, 'NVRAM_EF_SMS_SETTING_LID', { record: 1 });
    expect(nvErrorCode(() => readMtkRecord(d, 'NVRAM_EF_SMS_SETTING_LID', 1))).toBe('NV_SIM_MTK_ASSERTED');
    expect(d.asserted?.name).toBe('NVRAM_EF_SMS_SETTING_LID');
    expect(nvErrorCode(() => readMtkRecord(d, 'NVRAM_EF_IMEI_IMEISV_LID', 1))).toBe('NV_SIM_MTK_ASSERTED');
  });
});

describe('bin region backup and restore (ltable §2.1, §8 AP at boot)', () => {
  it('backup packs CALIBRAT + NVD_IMEI; restore brings back removed or damaged files; blank region refuses', () => {
    const d = createMtkDevice(sampleLtable(), { personalize: false });
    expect(nvErrorCode(() => restoreMtkBinRegion(d))).toBe('NV_SIM_MTK_BIN_EMPTY');
    const imei = new Uint8Array(10).fill(0x21);
    writeMtkRecord(d, 'NVRAM_EF_IMEI_IMEISV_LID', 1, imei, SECURE);
    expect(backupMtkBinRegion(d)).toContain('NVD_IMEI/LD0B_001');
    corruptMtkLid(d, 'NVRAM_EF_IMEI_IMEISV_LID', { remove: true });
    corruptMtkLid(d, 'NVRAM_EF_BARCODE_NUM_LID', { record: 1 });
    expect(restoreMtkBinRegion(d).sort()).toEqual([
      'nvdata:md/NVRAM/CALIBRAT/MP09_000',
      'nvdata:md/NVRAM/NVD_IMEI/LD0B_001',
    ]);
    expect(bytesToHex(readMtkRecord(d, 'NVRAM_EF_IMEI_IMEISV_LID', 1, SECURE))).toBe('21'.repeat(10));
    expect(restoreMtkBinRegion(d, { all: true })).toHaveLength(6);
  });

  it('the AP daemon restores a damaged CALIBRAT file at boot on both generations', () => {
    for (const gen of ['moly-a', 'moly-b'] as const) {
      const d = createMtkDevice(sampleLtable(gen));
      const before = bytesToHex(peekMtkLid(d, 'NVRAM_EF_FT_RF_CAL_LID')!.data);
      corruptMtkLid(d, 'NVRAM_EF_FT_RF_CAL_LID', { record: 2 });
      const boot = bootMtkDevice(d);
      expect(boot.apRestored).toEqual(['nvdata:md/NVRAM/CALIBRAT/FT02_002']);
      expect(boot.lids.find((l) => l.name === 'NVRAM_EF_FT_RF_CAL_LID')?.outcome).toBe('restored');
      expect(bytesToHex(peekMtkLid(d, 'NVRAM_EF_FT_RF_CAL_LID')!.data)).toBe(before);
    }
  });

  it('a second boot of the same firmware changes nothing', () => {
    const d = createMtkDevice(sampleLtable());
    const before = cloneMtkDevice(d);
    const boot = bootMtkDevice(d);
    expect(boot.trigger).toBe('none');
    expect(boot.lids.every((l) => l.outcome === 'kept')).toBe(true);
    expect(d).toEqual(before);
  });

  it('an unreadable SYS record resets every LID (FAT reset, ltable §8)', () => {
    const d = createMtkDevice(sampleLtable());
    d.sys = { firmware: d.firmware, ok: false };
    const boot = bootMtkDevice(d);
    expect(boot.trigger).toBe('sys-read-failed');
    expect(boot.lids.every((l) => l.outcome === 'reset')).toBe(true);
  });
});

describe('locations', () => {
  it('puts each copy where fileIdentity says, for every random single-entry table', () => {
    fc.assert(
      fc.property(fc.constantFrom('moly-a' as const, 'moly-b' as const), fc.integer({ min: 0, max: 13 }), (gen, i) => {
        const t = sampleLtable(gen);
        const e = t.entries[i]!;
        const d = createMtkDevice(t);
        for (const l of mtkLidLocations(d, e)) expect(d.partitions[l.partition][l.path]?.name).toBe(e.name);
      }),
      { numRuns: Math.min(FUZZ_RUNS, 50) },
    );
  });

  it('upgrading between generations is refused', () => {
    const d = createMtkDevice(sampleLtable('moly-b'));
    expect(nvErrorCode(() => upgradeMtkDevice(d, sampleLtable('moly-a'), 'ota'))).toBe('NV_SIM_MTK_GEN_MISMATCH');
    expect(nvErrorCode(() => upgradeMtkDevice(d, sampleLtable('moly-b'), 'sideways' as never))).toBe('NV_BAD_INPUT');
  });
});
