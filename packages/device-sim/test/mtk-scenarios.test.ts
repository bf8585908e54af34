// Issue 9 MediaTek pitfalls: each scenario shows the damage without protection and none with it.
// "Protection" = the planner's verdict before shipping (the change is blocked), plus the release that follows it.
import { describe, it, expect } from 'vitest';
import { bytesToHex } from '@nv/core/bytes';
import { planUpgrade, type Ltable, type LtableEntry, type LtableUpgradeMode } from '@nv/mtk-nvram-ltable';
import { sampleLtable } from '@nv/mtk-nvram-ltable/sample';
import { createMtkDevice, upgradeMtkDevice, bootMtkDevice, readMtkRecord, type MtkDevice } from '../src/mtk.ts';
import { peekMtkLid, corruptMtkLid } from '../src/mtk-device.ts';
import { mtkDefaultRecords } from '../src/mtk-default.ts';

/** IMEI and SIM-lock LIDs: the secure API in factory mode (docs/formats/lid-files.md#external-api; issue 15.5). */
const SECURE = { api: 'secure', factory: true } as const;

const GENS = ['moly-a', 'moly-b'] as const;
const SAFE_MODES: readonly LtableUpgradeMode[] = ['firmware-upgrade', 'factory-reset', 'download-only', 'ota'];
const bump = (v: string): string => String(Number(v) + 1).padStart(3, '0');
function withChange(gen: 'moly-a' | 'moly-b', name: string, f: (e: LtableEntry) => LtableEntry): Ltable {
  const t = sampleLtable(gen);
  t.entries = t.entries.map((e) => (e.name === name ? f(e) : e));
  return t;
}
const data = (d: MtkDevice, name: string): string => bytesToHex(peekMtkLid(d, name)!.data);

describe('VERNO+1 on unit data (ltable §9.3 rows 4, 5; §9.4)', () => {
  const cases = [
    { what: 'calibration', lid: 'NVRAM_EF_FT_RF_CAL_LID', code: 'NV_LTABLE_PLAN_CALIBRATION_LOSS', damage: 'lost' },
    { what: 'barcode', lid: 'NVRAM_EF_BARCODE_NUM_LID', code: 'NV_LTABLE_PLAN_CALIBRATION_LOSS', damage: 'lost' },
    {
      what: 'IMPORTANT (IMEI)',
      lid: 'NVRAM_EF_IMEI_IMEISV_LID',
      code: 'NV_LTABLE_PLAN_VERNO_FORBIDDEN',
      damage: 'assert',
    },
    {
      what: 'IMPORTANT_L4 (SIM lock)',
      lid: 'NVRAM_EF_SML_LID',
      code: 'NV_LTABLE_PLAN_VERNO_FORBIDDEN',
      damage: 'assert',
    },
  ] as const;
  for (const gen of GENS) {
    for (const c of cases) {
      it(`${gen}: ${c.what} — ${c.damage} without protection, kept with it`, () => {
        const old = sampleLtable(gen);
        const bumped = withChange(gen, c.lid, (e) => ({ ...e, verno: bump(e.verno) }));
        for (const mode of SAFE_MODES) {
          // Without protection: the bump ships.
          const device = createMtkDevice(old, { seed: 11 });
          const unit = data(device, c.lid);
          const report = upgradeMtkDevice(device, bumped, mode);
          if (c.damage === 'lost') {
            expect(report.lost).toEqual([c.lid]);
            expect(data(device, c.lid)).toBe(
              bytesToHex(mtkDefaultRecords(bumped.entries.find((e) => e.name === c.lid)!)),
            );
          } else {
            expect(report.asserted?.name).toBe(c.lid);
            expect(report.asserted?.reason).toMatch(/VERNO/);
          }
          // With protection: the planner blocks the change with its code …
          expect(planUpgrade(old, bumped, mode).blocked.map((b) => [b.name, b.code])).toContainEqual([c.lid, c.code]);
          // … and the release without the bump keeps the unit data.
          const safe = createMtkDevice(old, { seed: 11 });
          const ok = upgradeMtkDevice(safe, sampleLtable(gen), mode);
          expect(ok.asserted).toBeUndefined();
          expect(ok.lost).toEqual([]);
          expect(data(safe, c.lid)).toBe(unit);
        }
      });
    }
  }
});

describe('RF band / CA combination item changed per LID (row 3)', () => {
  for (const gen of GENS) {
    it(`${gen}: VERNO+1 resets the band table while calibration stays — inconsistent; with protection (Format All + re-calibration) both are consistent`, () => {
      const old = sampleLtable(gen);
      const next = withChange(gen, 'NVRAM_EF_EL1_CA_COMBO_LID', (e) => ({
        ...e,
        verno: bump(e.verno),
        tags: [...e.tags, 'rf-band'],
      }));
      for (const mode of SAFE_MODES) {
        const device = createMtkDevice(old, { seed: 3 });
        const cal = data(device, 'NVRAM_EF_FT_RF_CAL_LID');
        const r = upgradeMtkDevice(device, next, mode);
        // Damage: new band table, old calibration.
        expect(r.reset).toContain('NVRAM_EF_EL1_CA_COMBO_LID');
        expect(data(device, 'NVRAM_EF_FT_RF_CAL_LID')).toBe(cal);
        expect(planUpgrade(old, next, mode).blocked.map((b) => b.code)).toContain('NV_LTABLE_PLAN_NEEDS_FORMAT_ALL');
      }
      // Protection: Format All + Download is not blocked for it; every RF item starts from the new defaults, the
      // planner warns that the unit must be re-calibrated, and the factory does it (personalize + backup).
      const plan = planUpgrade(old, next, 'format-all');
      expect(plan.blocked.map((b) => b.code)).not.toContain('NV_LTABLE_PLAN_NEEDS_FORMAT_ALL');
      const device = createMtkDevice(old, { seed: 3 });
      const r = upgradeMtkDevice(device, next, 'format-all');
      expect(r.lost).toContain('NVRAM_EF_FT_RF_CAL_LID');
      expect(r.reset).toContain('NVRAM_EF_EL1_CA_COMBO_LID');
      expect(device.binRegion).toBeNull();
    });
  }
});

describe('a broken LID checksum (lid-file §8)', () => {
  for (const gen of GENS) {
    it(`${gen}: calibration lost without a bin-region backup, restored with one`, () => {
      // Without protection: calibrated, never backed up (the bin region is written only when triggered, docs/formats/lid-table.md#partitions).
      const bare = createMtkDevice(sampleLtable(gen), { seed: 4 });
      bare.binRegion = null;
      corruptMtkLid(bare, 'NVRAM_EF_FT_RF_CAL_LID', { record: 1 });
      const b1 = bootMtkDevice(bare);
      const cal = sampleLtable(gen).entries.find((e) => e.name === 'NVRAM_EF_FT_RF_CAL_LID')!;
      if (gen === 'moly-a') {
        // Gen A: no bin-region step in the modem: every record is reset to the default.
        expect(b1.lids.find((l) => l.name === cal.name)?.outcome).toBe('reset');
        expect(data(bare, cal.name)).toBe(bytesToHex(mtkDefaultRecords(cal)));
      } else {
        // Gen B: "bin-region restore fail": the calibration stays unreadable.
        expect(b1.lids.find((l) => l.name === cal.name)?.outcome).toBe('failed');
        expect(() => readMtkRecord(bare, cal.name, 1)).toThrow(
          expect.objectContaining({ code: 'NV_SIM_MTK_READ_FAILED' }),
        );
      }
      // With protection: the backup was triggered after calibration.
      const safe = createMtkDevice(sampleLtable(gen), { seed: 4 });
      const unit = data(safe, cal.name);
      corruptMtkLid(safe, cal.name, { record: 1 });
      const b2 = bootMtkDevice(safe);
      expect(b2.lids.find((l) => l.name === cal.name)?.outcome).toBe('restored');
      expect(data(safe, cal.name)).toBe(unit);
    });

    it(`${gen}: a SIM-lock copy with a bad checksum is repaired from the other copy (MULTIPLE), lost without it`, () => {
      const platform = { storage: 'nand' as const }; // moly-a keeps A/B copies only on NAND (docs/formats/lid-table.md#effective-attributes)
      const single = withChange(gen, 'NVRAM_EF_SML_LID', (e) => ({
        ...e,
        attr: e.attr & ~0x4,
        attributes: e.attributes.filter((a) => a !== 'MULTIPLE'),
      }));
      const bare = createMtkDevice(single, { seed: 8, platform });
      corruptMtkLid(bare, 'NVRAM_EF_SML_LID', { record: 1 });
      const sml = single.entries.find((e) => e.name === 'NVRAM_EF_SML_LID')!;
      expect(bytesToHex(readMtkRecord(bare, 'NVRAM_EF_SML_LID', 1, SECURE))).toBe(
        bytesToHex(mtkDefaultRecords(sml).subarray(0, 512)),
      );
      const safe = createMtkDevice(sampleLtable(gen), { seed: 8, platform });
      const unit = data(safe, 'NVRAM_EF_SML_LID');
      corruptMtkLid(safe, 'NVRAM_EF_SML_LID', { record: 1, copies: 'first' });
      expect(bytesToHex(readMtkRecord(safe, 'NVRAM_EF_SML_LID', 1, SECURE))).toBe(unit.slice(0, 1024));
    });
  }

  it('moly-b: a SIM-lock file with a bad header makes the upgrade scan assert (lost SML)', () => {
    const device = createMtkDevice(sampleLtable('moly-b'));
    corruptMtkLid(device, 'NVRAM_EF_SML_LID', { header: true });
    expect(upgradeMtkDevice(device, sampleLtable('moly-b'), 'ota').asserted?.reason).toMatch(/SML/);
  });
});

describe('bin region empty before a firmware upgrade (§9.1, row 10)', () => {
  for (const gen of GENS) {
    it(`${gen}: calibration and IMEI are lost after Format All without a new backup, restored with one`, () => {
      const device = createMtkDevice(sampleLtable(gen), { seed: 2 });
      upgradeMtkDevice(device, sampleLtable(gen), 'format-all');
      // The factory re-writes unit data, but forgets to trigger the backup.
      const unit = createMtkDevice(sampleLtable(gen), { seed: 2 });
      for (const p of ['nvdata', 'protect_f', 'protect_s'] as const) device.partitions[p] = unit.partitions[p];
      const plan = planUpgrade(sampleLtable(gen), sampleLtable(gen), 'firmware-upgrade', { binRegion: 'empty' });
      const r = upgradeMtkDevice(device, sampleLtable(gen), 'firmware-upgrade');
      // The planner's LOST rows: unit data is lost; the RF-driver parameters (not unit data) are reset to defaults.
      const plannedLost = plan.actions
        .filter((a) => a.action === 'lost')
        .map((a) => a.name)
        .sort();
      expect([...r.lost, ...r.reset.filter((n) => plannedLost.includes(n))].sort()).toEqual(plannedLost);
      expect(r.reset).toContain('NVRAM_EF_EL1_RF_DRV_PARAM_LID');
      expect(r.lost).toContain('NVRAM_EF_IMEI_IMEISV_LID');
      // With the backup: nothing lost.
      const r2 = upgradeMtkDevice(unit, sampleLtable(gen), 'firmware-upgrade');
      expect(r2.lost).toEqual([]);
      expect(r2.restored).toContain('NVRAM_EF_IMEI_IMEISV_LID');
    });
  }
});

describe('download-only: RESERVE_BACKWARD migrates a user item across a VERNO bump (moly-b, row 17)', () => {
  it('migrated keeps the overlapping bytes; without the attribute the item is reset', () => {
    const old = sampleLtable('moly-b');
    const grow = (keep: boolean) => {
      const t = withChange('moly-b', 'NVRAM_EF_SMS_SETTING_LID', (e) => ({ ...e, verno: bump(e.verno), size: 200 }));
      if (!keep)
        t.entries = t.entries.map((e) =>
          e.name === 'NVRAM_EF_SMS_SETTING_LID'
            ? { ...e, attr: e.attr & ~0x1000, attributes: e.attributes.filter((a) => a !== 'RESERVE_BACKWARD') }
            : e,
        );
      return t;
    };
    const d = createMtkDevice(old, { seed: 5 });
    const before = peekMtkLid(d, 'NVRAM_EF_SMS_SETTING_LID')!.data.slice(0, 176);
    const r = upgradeMtkDevice(d, grow(true), 'ota');
    expect(r.migrated).toEqual(['NVRAM_EF_SMS_SETTING_LID']);
    expect(bytesToHex(peekMtkLid(d, 'NVRAM_EF_SMS_SETTING_LID')!.data.subarray(0, 176))).toBe(bytesToHex(before));
    expect(r.deleted).toContain('nvdata:md/NVRAM/NVD_DATA/MP2A_001');
    const d2 = createMtkDevice(old, { seed: 5 });
    expect(upgradeMtkDevice(d2, grow(false), 'ota').reset).toContain('NVRAM_EF_SMS_SETTING_LID');
  });

  it('moly-a keeps the old file as an orphan after a VERNO bump', () => {
    const d = createMtkDevice(sampleLtable('moly-a'));
    const r = upgradeMtkDevice(
      d,
      withChange('moly-a', 'NVRAM_EF_SMS_SETTING_LID', (e) => ({ ...e, verno: bump(e.verno) })),
      'download-only',
    );
    expect(r.orphans).toEqual(['nvdata:md/NVRAM/NVD_DATA/MP2A_001']);
    expect(r.reset).toContain('NVRAM_EF_SMS_SETTING_LID');
    expect(d.partitions.nvdata['md/NVRAM/NVD_DATA/MP2A_001']).toBeDefined();
  });

  it('a file name with a lower-case copy letter is no LID file (mtk-lid-file parseLidFileName, issue 20.3)', () => {
    // MOLY writes upper-case copy letters; `MP0Ba009` would otherwise claim the IMEI LID under another VERNO and assert.
    const d = createMtkDevice(sampleLtable('moly-a'));
    d.partitions.nvdata['md/NVRAM/NVD_IMEI/MP0Ba009'] = d.partitions.nvdata['md/NVRAM/NVD_IMEI/MP0B_001']!;
    const r = upgradeMtkDevice(d, sampleLtable('moly-a'), 'download-only');
    expect(r.asserted).toBeUndefined();
    expect(r.orphans).toContain('nvdata:md/NVRAM/NVD_IMEI/MP0Ba009');
  });
});

describe('VERNO reused (row 16)', () => {
  it('moly-a picks the orphan of an older VERNO back up (old data returns); moly-b deleted it (reset)', () => {
    for (const gen of ['moly-a', 'moly-b'] as const) {
      const v1 = sampleLtable(gen);
      const v2 = withChange(gen, 'NVRAM_EF_L4_SETTING_LID', (e) => ({ ...e, verno: bump(e.verno) }));
      const device = createMtkDevice(v1, { seed: 6 });
      const first = data(device, 'NVRAM_EF_L4_SETTING_LID');
      upgradeMtkDevice(device, v2, 'ota');
      const back = upgradeMtkDevice(device, sampleLtable(gen), 'ota');
      const plan = planUpgrade(v2, sampleLtable(gen), 'ota', { history: { NVRAM_EF_L4_SETTING_LID: ['004'] } });
      const planned = plan.actions.find((a) => a.name === 'NVRAM_EF_L4_SETTING_LID')!;
      expect(planned.row).toBe('16');
      if (gen === 'moly-a') {
        expect(back.kept).toContain('NVRAM_EF_L4_SETTING_LID');
        expect(data(device, 'NVRAM_EF_L4_SETTING_LID')).toBe(first);
        expect(planned.action).toBe('keep');
      } else {
        expect(back.reset).toContain('NVRAM_EF_L4_SETTING_LID');
        expect(planned.action).toBe('reset');
      }
    }
  });
});

describe('an IMPORTANT_L4 (SIM-lock) LID disappears (row 7)', () => {
  it('moly-b asserts on the SML/SIM_LOCK loss check; moly-a keeps the orphan; the planner blocks both', () => {
    for (const gen of GENS) {
      const old = sampleLtable(gen);
      const next = sampleLtable(gen);
      next.entries = next.entries.filter((e) => e.name !== 'NVRAM_EF_SIM_LOCK_LID');
      const plan = planUpgrade(old, next, 'download-only');
      expect(plan.blocked.map((b) => b.code)).toContain('NV_LTABLE_PLAN_L4_LOST');
      const r = upgradeMtkDevice(createMtkDevice(old), next, 'download-only');
      if (gen === 'moly-b') expect(r.asserted?.reason).toMatch(/SML\/SIM_LOCK loss/);
      else {
        expect(r.asserted).toBeUndefined();
        expect(r.orphans).toEqual(['protect_f:md/MP0F_000']);
      }
    }
  });
});
