import { describe, it, expect } from 'vitest';
import { bootCheck, storedFilesOf } from '../src/boot.ts';
import { sampleLtable } from '../src/sample.ts';
import type { Ltable } from '../src/model.ts';

const bump = (t: Ltable, name: string, patch: object): Ltable => ({
  ...t,
  entries: t.entries.map((e) => (e.name === name ? { ...e, ...patch } : e)),
});

describe('boot-time version check (§8)', () => {
  it('moly-b: unchanged table keeps everything except OTA_RESET', () => {
    const t = sampleLtable();
    const r = bootCheck({ table: t, files: storedFilesOf(t), trigger: 'sys-mismatch' });
    expect(r.asserted).toBeUndefined();
    expect(r.lids.filter((l) => l.outcome !== 'kept').map((l) => l.name)).toEqual(['NVRAM_EF_UL1_TX_POWER_OFFSET_LID']);
    expect(r.deleted).toEqual([]);
  });
  it('moly-b: verno bump deletes the old file and resets; RESERVE_BACKWARD restores from BACKUP', () => {
    const old = sampleLtable();
    const t = bump(bump(old, 'NVRAM_EF_L4_SETTING_LID', { verno: '005' }), 'NVRAM_EF_SMS_SETTING_LID', {
      verno: '002',
    });
    const r = bootCheck({ table: t, files: storedFilesOf(old), trigger: 'firmware-check' });
    expect(r.deleted).toEqual(['NVD_DATA/LD41_004', 'NVD_DATA/MP2A_001']);
    expect(r.lids.find((l) => l.name === 'NVRAM_EF_L4_SETTING_LID')?.outcome).toBe('reset');
    expect(r.lids.find((l) => l.name === 'NVRAM_EF_SMS_SETTING_LID')?.outcome).toBe('restored-backup');
  });
  it('moly-b: size change on calibration asserts; on user data with RESERVE_BACKWARD migrates', () => {
    const old = sampleLtable();
    expect(
      bootCheck({
        table: bump(old, 'NVRAM_EF_FT_RF_CAL_LID', { size: 2048 }),
        files: storedFilesOf(old),
        trigger: 'sys-mismatch',
      }).asserted?.name,
    ).toBe('NVRAM_EF_FT_RF_CAL_LID');
    const r = bootCheck({
      table: bump(old, 'NVRAM_EF_SMS_SETTING_LID', { size: 200 }),
      files: storedFilesOf(old),
      trigger: 'sys-mismatch',
    });
    expect(r.lids.find((l) => l.name === 'NVRAM_EF_SMS_SETTING_LID')?.outcome).toBe('migrated');
  });
  it('moly-b: a bad SML header asserts; a calibration bump loses data unless in the bin region', () => {
    const t = sampleLtable();
    const files = storedFilesOf(t).map((f) => (f.name === 'MP0EA002' ? { ...f, headerOk: false } : f));
    expect(bootCheck({ table: t, files, trigger: 'sys-mismatch' }).asserted?.name).toBe('NVRAM_EF_SML_LID');
    const nt = bump(t, 'NVRAM_EF_FT_RF_CAL_LID', { verno: '003' });
    expect(
      bootCheck({ table: nt, files: storedFilesOf(t), trigger: 'sys-mismatch' }).lids.find(
        (l) => l.name === 'NVRAM_EF_FT_RF_CAL_LID',
      )?.outcome,
    ).toBe('reset');
  });
  it('firmware upgrade: nvdata erased, bin region restores CALIBRAT/NVD_IMEI', () => {
    const t = sampleLtable();
    const all = storedFilesOf(t);
    const kept = all.filter((f) => f.folder === 'md');
    const bin = all.filter((f) => f.folder === 'CALIBRAT' || f.folder === 'NVD_IMEI').map((f) => f.name);
    const r = bootCheck({ table: t, files: kept, trigger: 'sys-mismatch', binRegion: bin });
    const by = Object.fromEntries(r.lids.map((l) => [l.name, l.outcome]));
    expect(by['NVRAM_EF_IMEI_IMEISV_LID']).toBe('restored-bin');
    expect(by['NVRAM_EF_BARCODE_NUM_LID']).toBe('restored-bin');
    expect(by['NVRAM_EF_SML_LID']).toBe('kept');
    expect(by['NVRAM_EF_SMS_SETTING_LID']).toBe('reset');
  });
  it('moly-a: other vernos stay as orphans on smartphones, deleted on feature phones', () => {
    const old = sampleLtable('moly-a');
    const t = bump(old, 'NVRAM_EF_SMS_SETTING_LID', { verno: '002' });
    const r = bootCheck({ table: t, files: storedFilesOf(old), trigger: 'sys-mismatch' });
    expect(r.orphans).toEqual(['NVD_DATA/MP2A_001']);
    expect(r.lids.find((l) => l.name === 'NVRAM_EF_SMS_SETTING_LID')?.outcome).toBe('reset');
    const f = bootCheck({
      table: t,
      files: storedFilesOf(old),
      trigger: 'sys-mismatch',
      platform: { device: 'feature-phone' },
    });
    expect(f.deleted).toEqual(['NVD_DATA/MP2A_001']);
  });
  it('clean boot and factory reset', () => {
    const t = sampleLtable();
    expect(
      bootCheck({ table: t, files: storedFilesOf(t), trigger: 'clean-boot' }).lids.every((l) => l.outcome === 'reset'),
    ).toBe(true);
    const r = bootCheck({ table: t, files: storedFilesOf(t), trigger: 'none', factoryReset: true });
    const by = Object.fromEntries(r.lids.map((l) => [l.name, l.outcome]));
    expect([by['NVRAM_EF_SML_LID'], by['NVRAM_EF_SYS_LID'], by['NVRAM_EF_SMS_SETTING_LID']]).toEqual([
      'kept',
      'kept',
      'reset',
    ]);
  });
});
