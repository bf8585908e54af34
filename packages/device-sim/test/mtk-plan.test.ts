// The upgrade plan of @nv/mtk-nvram-ltable against what the simulated device does, for every mode (issue 9).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { bytesToHex } from '@nv/core/bytes';
import {
  createLtableEntry,
  sampleLtable,
  sampleLtableUpgrade,
  type LtableEntryInit,
} from '@nv/mtk-nvram-ltable/sample';
import { planUpgrade, type Ltable, type LtableEntry, type LtableUpgradeMode } from '@nv/mtk-nvram-ltable';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import {
  createMtkDevice,
  upgradeMtkDevice,
  compareMtkPlan,
  mtkUpgradeMatrix,
  cloneMtkDevice,
  MTK_UPGRADE_MODES,
} from '../src/mtk.ts';
import { peekMtkLid } from '../src/mtk-device.ts';
import { mtkDefaultRecords } from '../src/mtk-default.ts';
import { arbTablePair, kindInit, type Kind } from './mtk-arb.ts';

describe('planner vs simulated device', () => {
  it('agree for every mode on random old/new tables (fast-check)', () => {
    fc.assert(
      fc.property(
        arbTablePair(),
        fc.constantFrom(...MTK_UPGRADE_MODES),
        fc.integer({ min: 1, max: 1000 }),
        (pair, mode, seed) => {
          const device = createMtkDevice(pair.old, { seed });
          const before = cloneMtkDevice(device);
          const report = upgradeMtkDevice(device, pair.next, mode);
          const plan = planUpgrade(pair.old, pair.next, mode);
          // No exceptions: only the policy rows that compareMtkPlan skips (row 3, row 7 on moly-a).
          expect(compareMtkPlan(plan, report).mismatches).toEqual([]);
          if (report.asserted !== undefined) return;
          // Every LID of the new table is in exactly one bucket.
          const buckets = [
            ...report.kept,
            ...report.restored,
            ...report.reset,
            ...report.migrated,
            ...report.lost,
            ...report.garbled,
            ...report.failed,
          ];
          expect(buckets.sort()).toEqual(pair.next.entries.map((e) => e.name).sort());
          // The bytes back the report: kept/restored data is the old data, reset/lost data is the new default.
          for (const e of pair.next.entries) {
            const now = bytesToHex(peekMtkLid(device, e.name)!.data);
            const old = before.table.entries.find((o) => o.name === e.name);
            if (report.kept.includes(e.name) || report.restored.includes(e.name))
              expect(now).toBe(bytesToHex(peekMtkLid(before, old!.name)!.data));
            if (report.reset.includes(e.name) || report.lost.includes(e.name))
              expect(now).toBe(bytesToHex(mtkDefaultRecords(e)));
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('agree with an empty bin region (row 10) on random tables (fast-check)', () => {
    fc.assert(
      fc.property(
        arbTablePair(),
        fc.constantFrom<LtableUpgradeMode>('firmware-upgrade', 'factory-reset', 'download-only'),
        (pair, mode) => {
          const device = createMtkDevice(pair.old, { seed: 5 });
          device.binRegion = null; // calibrated, but the backup was never triggered
          const report = upgradeMtkDevice(device, pair.next, mode);
          const plan = planUpgrade(pair.old, pair.next, mode, { binRegion: 'empty' });
          expect(compareMtkPlan(plan, report).mismatches).toEqual([]);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('the random tables reach most decision-table rows (the property is not vacuous)', () => {
    const rows = new Set<string>();
    const asserts = { device: 0 };
    for (const [pair, mode] of fc.sample(fc.tuple(arbTablePair(), fc.constantFrom(...MTK_UPGRADE_MODES)), {
      numRuns: 400,
      seed: 42,
    })) {
      for (const a of planUpgrade(pair.old, pair.next, mode).actions)
        (rows.add(a.row), rows.add(`${a.row}/${a.action}`));
      if (upgradeMtkDevice(createMtkDevice(pair.old), pair.next, mode).asserted !== undefined) asserts.device++;
    }
    for (const r of [
      '1',
      '2',
      'X1',
      '3',
      '4',
      '5',
      '6',
      'X5',
      '7',
      'X2',
      'X6',
      'X7',
      'X4',
      '14r',
      '18u',
      '18l',
      '18f',
      '20f',
      '19p',
      '19/migrate',
      '8',
      '9',
      '11',
      '12',
      '13',
      '14',
      '15',
      '17',
      '18',
      '19',
      '20',
      '21',
      '22',
      '23',
    ])
      expect(rows).toContain(r);
    expect(asserts.device).toBeGreaterThan(10);
    // The empty-bin-region property reaches the bin-region rows (D3, D4 and the X5e part of D1).
    const empty = new Set<string>();
    for (const [pair, mode] of fc.sample(
      fc.tuple(arbTablePair(), fc.constantFrom<LtableUpgradeMode>('firmware-upgrade', 'factory-reset')),
      { numRuns: 400, seed: 43 },
    )) {
      for (const a of planUpgrade(pair.old, pair.next, mode, { binRegion: 'empty' }).actions) empty.add(a.row);
    }
    for (const r of ['4e', '6e', 'X5e', '10', '10r']) expect(empty).toContain(r);
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
      expect(
        safe
          .filter((r) => r.mode !== 'format-all')
          .every((r) => r.report.lost.length === 0 && r.plan.blocked.length === 0),
      ).toBe(true);
      const bad = mtkUpgradeMatrix(sampleLtable(gen), sampleLtableUpgrade('dangerous', gen), { seed: 3 });
      for (const r of bad.filter((x) => x.mode !== 'format-all')) {
        expect(r.plan.blocked.length).toBeGreaterThan(0);
        expect(r.report.asserted !== undefined || r.report.lost.length > 0).toBe(true);
        expect(r.comparison.agree).toBe(true);
      }
      const empty = mtkUpgradeMatrix(sampleLtable(gen), sampleLtable(gen), {
        binRegion: 'empty',
        modes: ['firmware-upgrade'],
      });
      expect(empty[0]!.report.lost).toContain('NVRAM_EF_FT_RF_CAL_LID');
      expect(empty[0]!.comparison.agree).toBe(true);
    }
  });
});

// Regression tests for the divergences the property test once found (README.mtk.md, "Planner divergences"). Each
// builds the smallest upgrade that showed it and checks the planner row, the device outcome and their agreement.
describe('resolved planner divergences', () => {
  type Gen = 'moly-a' | 'moly-b';
  const tbl = (gen: Gen, entries: LtableEntry[]): Ltable => ({ generation: gen, enumSet: gen, entries });
  const entry = (kind: Kind, gen: Gen, i: number, patch: Partial<LtableEntryInit> = {}): LtableEntry =>
    createLtableEntry({ ...kindInit(kind, gen, i, 8, 1, 1, false, '11'.repeat(8)), ...patch }, gen);
  /** Upgrade on a fresh personalized device (optionally with a blank bin region) and plan with the same facts. */
  const run = (old: Ltable, next: Ltable, mode: LtableUpgradeMode, binRegion: 'present' | 'empty' = 'present') => {
    const device = createMtkDevice(old, { seed: 11 });
    if (binRegion === 'empty') device.binRegion = null;
    const report = upgradeMtkDevice(device, next, mode);
    const plan = planUpgrade(old, next, mode, { binRegion });
    return {
      plan,
      report,
      cmp: compareMtkPlan(plan, report),
      action: (name: string) => plan.actions.find((a) => a.name === name),
    };
  };

  it('D1: a record-size change of an RF-driver CALIBRAT LID is planned as the device does it (row X5: moly-b asserts, moly-a resets; blocked)', () => {
    const old = sampleLtable('moly-b');
    const next = {
      ...old,
      entries: old.entries.map((e) =>
        e.name === 'NVRAM_EF_EL1_RF_DRV_PARAM_LID' ? { ...e, records: 2, default: { kind: 'zero' as const } } : e,
      ),
    };
    for (const mode of ['download-only', 'firmware-upgrade', 'factory-reset'] as const) {
      const { plan, report, cmp, action } = run(old, next, mode);
      expect(report.asserted?.name).toBe('NVRAM_EF_EL1_RF_DRV_PARAM_LID');
      expect(action('NVRAM_EF_EL1_RF_DRV_PARAM_LID')).toMatchObject({
        row: 'X5',
        action: 'assert',
        code: 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT',
      });
      expect(plan.blocked.map((b) => b.row)).toEqual(['X5']);
      expect(cmp).toMatchObject({ agree: true, mismatches: [] });
    }
    for (const change of [{ size: 9 }, { records: 2 }]) {
      for (const mode of ['download-only', 'ota', 'firmware-upgrade', 'factory-reset'] as const) {
        const { plan, report, cmp, action } = run(
          tbl('moly-a', [entry('rfdrv', 'moly-a', 1)]),
          tbl('moly-a', [entry('rfdrv', 'moly-a', 1, change)]),
          mode,
        );
        expect(report.asserted).toBeUndefined();
        expect(report.reset).toEqual(['NVRAM_EF_RFDRV1_LID']);
        expect(action('NVRAM_EF_RFDRV1_LID')).toMatchObject({ row: 'X5', action: 'reset' });
        expect(plan.blocked).toHaveLength(1);
        expect(cmp.mismatches).toEqual([]);
      }
    }
    // Bin region empty under FU/FR: no old file, so no assert — the device gives it its new default (row X5e, still blocked).
    for (const gen of ['moly-a', 'moly-b'] as const) {
      const { plan, report, cmp, action } = run(
        tbl(gen, [entry('rfdrv', gen, 1)]),
        tbl(gen, [entry('rfdrv', gen, 1, { records: 2 })]),
        'firmware-upgrade',
        'empty',
      );
      expect([report.asserted, report.reset]).toEqual([undefined, ['NVRAM_EF_RFDRV1_LID']]);
      expect(action('NVRAM_EF_RFDRV1_LID')).toMatchObject({ row: 'X5e', action: 'reset' });
      expect(plan.blocked).toHaveLength(1);
      expect(cmp.mismatches).toEqual([]);
    }
  });

  it('D2: Format All plans a unit-data LID that is new in the firmware as RESET (row 2), not LOST', () => {
    for (const gen of ['moly-a', 'moly-b'] as const) {
      const old = tbl(gen, [entry('user', gen, 1)]);
      const next = tbl(gen, [
        entry('user', gen, 1),
        entry('cal', gen, 2),
        entry('barcode', gen, 3),
        entry('imp', gen, 4),
        entry('l4', gen, 5),
      ]);
      const { report, cmp, plan } = run(old, next, 'format-all');
      expect(report.lost).toEqual([]);
      expect(plan.actions.slice(1).map((a) => [a.row, a.action])).toEqual(
        Array.from({ length: 4 }, () => ['2', 'reset']),
      );
      expect(cmp.mismatches).toEqual([]);
      // Unit data that existed is still LOST (row 1).
      const kept = run(next, next, 'format-all');
      expect(kept.report.lost.sort()).toEqual([
        'NVRAM_EF_BARCODE3_LID',
        'NVRAM_EF_CAL2_LID',
        'NVRAM_EF_IMP4_LID',
        'NVRAM_EF_L45_LID',
      ]);
      expect(kept.plan.actions.filter((a) => a.row === '1')).toHaveLength(4);
      expect(kept.cmp.mismatches).toEqual([]);
    }
  });

  it('D3: an empty bin region regenerates RF-driver parameters: planner and device both say RESET (row 10r), calibration LOST (row 10)', () => {
    for (const gen of ['moly-a', 'moly-b'] as const) {
      const t = tbl(gen, [entry('rfdrv', gen, 1), entry('cal', gen, 2)]);
      for (const mode of ['firmware-upgrade', 'factory-reset'] as const) {
        const { report, cmp, action } = run(t, t, mode, 'empty');
        expect([report.reset, report.lost]).toEqual([['NVRAM_EF_RFDRV1_LID'], ['NVRAM_EF_CAL2_LID']]);
        expect(action('NVRAM_EF_RFDRV1_LID')).toMatchObject({
          row: '10r',
          action: 'reset',
          code: 'NV_LTABLE_PLAN_BIN_REGION_EMPTY',
        });
        expect(action('NVRAM_EF_CAL2_LID')).toMatchObject({
          row: '10',
          action: 'lost',
          code: 'NV_LTABLE_PLAN_BIN_REGION_EMPTY',
        });
        expect(cmp.mismatches).toEqual([]);
      }
    }
  });

  it('D4: with an empty bin region, an IMPORTANT VERNO bump or a protected size change under FU/FR is LOST, not ASSERT (rows 4e/6e; still blocked)', () => {
    for (const gen of ['moly-a', 'moly-b'] as const) {
      const cases = [
        ['imp', { verno: '002' }, '4e', 'NV_LTABLE_PLAN_VERNO_FORBIDDEN'],
        ['imp', { size: 9 }, '6e', 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT'],
        ['cal', { records: 2 }, '6e', 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT'],
      ] as const;
      for (const [kind, change, row, code] of cases) {
        const old = tbl(gen, [entry(kind, gen, 1)]);
        const next = tbl(gen, [entry(kind, gen, 1, change)]);
        for (const mode of ['firmware-upgrade', 'factory-reset'] as const) {
          const { plan, report, cmp } = run(old, next, mode, 'empty');
          expect([report.asserted, report.lost]).toEqual([undefined, [next.entries[0]!.name]]);
          expect(plan.actions[0]).toMatchObject({ row, action: 'lost' });
          expect(plan.blocked.map((b) => b.code)).toEqual([code]);
          expect(cmp.mismatches).toEqual([]);
        }
        // In DO nothing is erased, so the old file is there and the modem asserts (rows 4/6 are unchanged).
        const ota = run(old, next, 'ota', 'empty');
        expect(ota.plan.actions[0]!.row).toBe(row.slice(0, 1));
        if (gen === 'moly-b' || row === '4e') expect(ota.report.asserted).toBeDefined();
        expect(ota.cmp.mismatches).toEqual([]);
      }
    }
  });

  it('D5: a CONFIDENTIAL toggle that comes with a new folder (USER → CUSTOM_SENSITIVE) is a new identity: row 19, reset', () => {
    for (const gen of ['moly-a', 'moly-b'] as const) {
      const old = tbl(gen, [entry('user', gen, 1)]);
      const next = tbl(gen, [
        entry('user', gen, 1, { categories: ['CUSTOM_SENSITIVE'], attributes: ['CONFIDENTIAL'] }),
      ]);
      const { plan, report, cmp } = run(old, next, 'download-only');
      expect(plan.actions[0]!.changes).toEqual(expect.arrayContaining(['confToggled', 'identityChanged']));
      expect(plan.actions[0]).toMatchObject({ row: '19', action: 'reset' });
      expect(plan.blocked).toEqual([]);
      expect(report.reset).toEqual(['NVRAM_EF_USER1_LID']);
      expect(cmp.mismatches).toEqual([]);
      // A toggle without a new identity still matches row 18.
      const conf = run(old, tbl(gen, [entry('user', gen, 1, { attributes: ['CONFIDENTIAL'] })]), 'download-only');
      expect(conf.plan.actions[0]!.row).toBe('18');
      expect(conf.cmp.mismatches).toEqual([]);
    }
  });
});
