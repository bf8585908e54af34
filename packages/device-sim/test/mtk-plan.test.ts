// The upgrade plan of @nv/mtk-nvram-ltable against what the simulated device does, for every mode (issue 9).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { bytesToHex } from '@nv/core';
import { planUpgrade, sampleLtable, sampleLtableUpgrade, type LtablePlan, type LtableUpgradeMode } from '@nv/mtk-nvram-ltable';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import {
  createMtkDevice, upgradeMtkDevice, compareMtkPlan, mtkUpgradeMatrix, cloneMtkDevice, peekMtkLid, mtkDefaultRecords, MTK_UPGRADE_MODES,
  type MtkPlanMismatch, type MtkUpgradeReport,
} from '../src/mtk.ts';
import { arbTablePair } from './mtk-arb.ts';

/**
 * Disagreements that are planner/spec questions, not simulator bugs (README.mtk.md, "Planner divergences"):
 * D1 — record size/count change of an RF-driver CALIBRAT item: §8 asserts (moly-b) / fails the read (moly-a) for
 *      every CALIBRAT LID, §9.3 row 6 lists only cal/imp/l4;
 * D2 — Format All plans LOST (row 1) for a unit-data LID that is new in this firmware: there was nothing to lose;
 * D3 — empty bin region: row 10 calls the regenerated RF-driver parameters LOST, the device calls them reset
 *      (they are driver defaults, not unit data) — a label, same bytes;
 * D4 — empty bin region under FU/FR: rows 4/6 plan ASSERT for an IMPORTANT/CALIBRAT change, but the old file is
 *      gone with nvdata and has no backup, so nothing is there to assert on: the device regenerates it (LOST);
 *      blocked either way;
 * D5 — row 18 (CONFIDENTIAL/MSP toggled, moly-a: keep, blocked) is matched before row 19 when the toggle comes with
 *      a new folder (USER → CUSTOM_SENSITIVE): the old file is not read at all, the device resets the item.
 */
function knownDivergence(plan: LtablePlan, report: MtkUpgradeReport, m: MtkPlanMismatch): string | undefined {
  const asserted = report.asserted;
  const action = (name: string) => plan.actions.find((x) => x.name === name);
  const rfdrvSize = (name: string): boolean => {
    const a = action(name);
    return a !== undefined && a.classes.includes('rfdrv') && a.changes.includes('sizeChanged');
  };
  const a = action(m.name);
  if (m.planned === 'no assert' && asserted !== undefined && rfdrvSize(asserted.name)) return 'D1';
  if (rfdrvSize(m.name) && m.simulated === 'reset') return 'D1';
  if (plan.mode === 'format-all' && m.planned === 'lost' && m.simulated === 'reset' && a?.changes.includes('added')) return 'D2';
  if (a?.row === '10' && a.classes.includes('rfdrv') && m.simulated === 'reset') return 'D3';
  if ((a?.row === '4' || a?.row === '6') && a.changes.includes('binEmpty') && m.simulated === 'lost') return 'D4';
  if (a?.row === '18' && a.changes.includes('identityChanged') && m.simulated === 'reset') return 'D5';
  return undefined;
}

describe('planner vs simulated device', () => {
  it('agree for every mode on random old/new tables (fast-check)', () => {
    fc.assert(
      fc.property(arbTablePair(), fc.constantFrom(...MTK_UPGRADE_MODES), fc.integer({ min: 1, max: 1000 }), (pair, mode, seed) => {
        const device = createMtkDevice(pair.old, { seed });
        const before = cloneMtkDevice(device);
        const report = upgradeMtkDevice(device, pair.next, mode);
        const plan = planUpgrade(pair.old, pair.next, mode);
        const cmp = compareMtkPlan(plan, report);
        const unexplained = cmp.mismatches.filter((m) => knownDivergence(plan, report, m) === undefined);
        expect(unexplained).toEqual([]);
        if (report.asserted !== undefined) return;
        // Every LID of the new table is in exactly one bucket.
        const buckets = [...report.kept, ...report.restored, ...report.reset, ...report.migrated, ...report.lost, ...report.garbled];
        expect(buckets.sort()).toEqual(pair.next.entries.map((e) => e.name).sort());
        // The bytes back the report: kept/restored data is the old data, reset/lost data is the new default.
        for (const e of pair.next.entries) {
          const now = bytesToHex(peekMtkLid(device, e.name)!.data);
          const old = before.table.entries.find((o) => o.name === e.name);
          if (report.kept.includes(e.name) || report.restored.includes(e.name)) expect(now).toBe(bytesToHex(peekMtkLid(before, old!.name)!.data));
          if (report.reset.includes(e.name) || report.lost.includes(e.name)) expect(now).toBe(bytesToHex(mtkDefaultRecords(e)));
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('agree with an empty bin region (row 10) on random tables (fast-check)', () => {
    fc.assert(
      fc.property(arbTablePair(), fc.constantFrom<LtableUpgradeMode>('firmware-upgrade', 'factory-reset', 'download-only'), (pair, mode) => {
        const device = createMtkDevice(pair.old, { seed: 5 });
        device.binRegion = null; // calibrated, but the backup was never triggered
        const report = upgradeMtkDevice(device, pair.next, mode);
        const plan = planUpgrade(pair.old, pair.next, mode, { binRegion: 'empty' });
        expect(compareMtkPlan(plan, report).mismatches.filter((m) => knownDivergence(plan, report, m) === undefined)).toEqual([]);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('the random tables reach most decision-table rows (the property is not vacuous)', () => {
    const rows = new Set<string>();
    const asserts = { device: 0 };
    for (const [pair, mode] of fc.sample(fc.tuple(arbTablePair(), fc.constantFrom(...MTK_UPGRADE_MODES)), { numRuns: 400, seed: 42 })) {
      for (const a of planUpgrade(pair.old, pair.next, mode).actions) rows.add(a.row);
      if (upgradeMtkDevice(createMtkDevice(pair.old), pair.next, mode).asserted !== undefined) asserts.device++;
    }
    for (const r of ['1', '2', 'X1', '3', '4', '5', '6', '8', '9', '11', '12', '13', '14', '15', '17', '18', '19', '20', '21', '22', '23']) expect(rows).toContain(r);
    expect(asserts.device).toBeGreaterThan(10);
  });

  for (const gen of ['moly-a', 'moly-b'] as const) {
    for (const mode of MTK_UPGRADE_MODES) {
      it(`${gen} ${mode}: the sample upgrades agree exactly (no divergence)`, () => {
        for (const kind of ['safe', 'dangerous'] as const) {
          const old = sampleLtable(gen);
          const next = sampleLtableUpgrade(kind, gen);
          const report = upgradeMtkDevice(createMtkDevice(old, { seed: 9 }), next, mode);
          const cmp = compareMtkPlan(planUpgrade(old, next, mode), report);
          expect(cmp.mismatches).toEqual([]);
        }
      });
    }
  }

  it('mtkUpgradeMatrix: every mode from one device, the sample upgrades agree, the dangerous one is blocked and damaging', () => {
    for (const gen of ['moly-a', 'moly-b'] as const) {
      const safe = mtkUpgradeMatrix(sampleLtable(gen), sampleLtableUpgrade('safe', gen), { seed: 3 });
      expect(safe.map((r) => r.mode)).toEqual([...MTK_UPGRADE_MODES]);
      expect(safe.every((r) => r.comparison.agree)).toBe(true);
      expect(safe.filter((r) => r.mode !== 'format-all').every((r) => r.report.lost.length === 0 && r.plan.blocked.length === 0)).toBe(true);
      const bad = mtkUpgradeMatrix(sampleLtable(gen), sampleLtableUpgrade('dangerous', gen), { seed: 3 });
      for (const r of bad.filter((x) => x.mode !== 'format-all')) {
        expect(r.plan.blocked.length).toBeGreaterThan(0);
        expect(r.report.asserted !== undefined || r.report.lost.length > 0).toBe(true);
        expect(r.comparison.agree).toBe(true);
      }
      const empty = mtkUpgradeMatrix(sampleLtable(gen), sampleLtable(gen), { binRegion: 'empty', modes: ['firmware-upgrade'] });
      expect(empty[0]!.report.lost).toContain('NVRAM_EF_FT_RF_CAL_LID');
      expect(empty[0]!.comparison.agree).toBe(true);
    }
  });

  it('documents divergence D1: an RF-driver CALIBRAT size change asserts on moly-b although row 6 does not list rfdrv', () => {
    const old = sampleLtable('moly-b');
    const next = sampleLtable('moly-b');
    next.entries = next.entries.map((e) => (e.name === 'NVRAM_EF_EL1_RF_DRV_PARAM_LID' ? { ...e, records: 2, default: { kind: 'zero' } } : e));
    const plan = planUpgrade(old, next, 'download-only');
    const report = upgradeMtkDevice(createMtkDevice(old), next, 'download-only');
    expect(report.asserted?.name).toBe('NVRAM_EF_EL1_RF_DRV_PARAM_LID');
    expect(plan.actions.find((a) => a.name === 'NVRAM_EF_EL1_RF_DRV_PARAM_LID')?.action).not.toBe('assert');
    expect(compareMtkPlan(plan, report).agree).toBe(false);
  });
});
