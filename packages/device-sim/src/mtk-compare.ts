/**
 * Planner vs simulator: does the upgrade plan of `@nv/mtk-nvram-ltable` say what the simulated device did?
 * @module
 */
import { planUpgrade, type Ltable, type LtablePlan } from '@nv/mtk-nvram-ltable';
import { cloneMtkDevice, createMtkDevice, type MtkDeviceOptions } from './mtk-device.ts';
import {
  MTK_UPGRADE_MODES,
  upgradeMtkDevice,
  type MtkUpgradeMode,
  type MtkUpgradeOutcome,
  type MtkUpgradeReport,
} from './mtk-upgrade.ts';

/** One LID where the plan and the device disagree. */
export interface MtkPlanMismatch {
  readonly name: string;
  /** Planned action (`keep`, `reset`, `restore`, …) and decision-table row. */
  readonly planned: string;
  readonly row: string;
  /** What the simulated device did (`asserted` when it stopped). */
  readonly simulated: string;
}

/** Result of {@link compareMtkPlan}. */
export interface MtkPlanComparison {
  readonly agree: boolean;
  readonly mismatches: MtkPlanMismatch[];
  /** LIDs the comparison leaves out, with the reason (policy rows that are not device behaviour). */
  readonly skipped: { readonly name: string; readonly row: string; readonly reason: string }[];
}

// Planned action → device outcomes that agree with it.
const AGREES: Readonly<Record<string, readonly MtkUpgradeOutcome[]>> = {
  keep: ['kept'],
  stale: ['kept', 'restored'],
  restore: ['restored'],
  reset: ['reset'],
  lost: ['lost'],
  migrate: ['migrated'],
  fail: ['failed'],
};

/**
 * Compares a plan with the report of the same upgrade on the simulated device. Rules: if the device asserted, the
 * plan must hold an `assert` action, and only the LIDs the device processed before the assert are compared (the
 * asserting and the unreached LIDs go to `skipped`); a planned `assert` needs a device assert, except the policy rows that are not
 * device behaviour (row 3, CA/RF-band items: the device just applies the change; row 7 on moly-a: the spec names the
 * SML/SIM_LOCK loss assert for moly-b only); every other planned action must match the device's outcome
 * (`keep`→kept, `stale`→kept|restored, `restore`→restored, `reset`→reset, `lost`→lost, `migrate`→migrated, `fail`→failed; a
 * blocked `keep` of rows 18/18u/18l on moly-a →garbled); `orphan`/`delete`
 * (removed LIDs) need the LID gone from the table.
 * @example compareMtkPlan(planUpgrade(old, next, 'ota'), upgradeMtkDevice(device, next, 'ota')).agree
 */
export function compareMtkPlan(plan: LtablePlan, report: MtkUpgradeReport): MtkPlanComparison {
  const mismatches: MtkPlanMismatch[] = [];
  const skipped: { name: string; row: string; reason: string }[] = [];
  const policy = (row: string): string | undefined =>
    row === '3'
      ? 'row 3 is a policy (use Format All for CA/RF-band changes), not device behaviour'
      : row === '7' && plan.generation === 'moly-a'
        ? 'row 7: the SML/SIM_LOCK loss assert is documented for moly-b only'
        : undefined;
  const asserts = plan.actions.filter((a) => a.action === 'assert' && policy(a.row) === undefined);
  // A policy row's assert does not explain a device assert elsewhere, only one on the same LID (row 7 on moly-a: an
  // IMPORTANT_L4 → IMPORTANT change with a VERNO bump asserts through the VERNO check instead).
  if (report.asserted !== undefined) {
    const name = report.asserted.name;
    if (asserts.length === 0 && !plan.actions.some((a) => a.action === 'assert' && a.name === name))
      mismatches.push({
        name: report.asserted.name,
        planned: 'no assert',
        row: '-',
        simulated: `asserted: ${report.asserted.reason}`,
      });
  }
  const byName = new Map(report.lids.map((l) => [l.name, l]));
  for (const a of plan.actions) {
    // After an assert only the LIDs the device processed are judged: the asserting LID was checked above, the
    // unreached ones have no outcome to compare.
    const got0 = byName.get(a.name)?.outcome;
    if (report.asserted !== undefined && (got0 === 'unreached' || got0 === 'asserted')) {
      skipped.push({
        name: a.name,
        row: a.row,
        reason:
          got0 === 'asserted'
            ? `the modem asserted on this LID (${report.asserted.reason})`
            : `not processed: the modem asserted on ${report.asserted.name} first`,
      });
      continue;
    }
    const why = policy(a.row);
    if (why !== undefined && (a.row === '3' || a.action === 'assert')) {
      skipped.push({ name: a.name, row: a.row, reason: why });
      continue;
    }
    if (a.action === 'assert') {
      mismatches.push({
        name: a.name,
        planned: 'assert',
        row: a.row,
        simulated: byName.get(a.name)?.outcome ?? 'absent',
      });
      continue;
    }
    if (a.action === 'orphan' || a.action === 'delete') {
      if (byName.has(a.name))
        mismatches.push({
          name: a.name,
          planned: a.action,
          row: a.row,
          simulated: byName.get(a.name)?.outcome ?? 'absent',
        });
      continue;
    }
    const got = byName.get(a.name)?.outcome;
    const ok =
      got !== undefined &&
      ((AGREES[a.action] ?? []).includes(got) || (a.action === 'keep' && a.row.startsWith('18') && got === 'garbled'));
    if (!ok) mismatches.push({ name: a.name, planned: a.action, row: a.row, simulated: got ?? 'absent' });
  }
  return { agree: mismatches.length === 0, mismatches, skipped };
}

/** One mode of {@link mtkUpgradeMatrix}. */
export interface MtkUpgradeMatrixRow {
  readonly mode: MtkUpgradeMode;
  readonly plan: LtablePlan;
  readonly report: MtkUpgradeReport;
  readonly comparison: MtkPlanComparison;
}

/**
 * Every upgrade mode from one starting device: a device is created from `oldTable` (seeded, personalized, backed up
 * unless `binRegion: 'empty'`), then for each mode a copy is upgraded to `newTable`, planned with `planUpgrade`
 * (told the real bin-region state) and compared. What `nv demo` shows.
 * @throws NV_SIM_MTK_UNSUPPORTED_GENERATION, NV_SIM_MTK_GEN_MISMATCH, NV_LIMIT; the planner's NV_LTABLE_PLAN_* codes.
 * @example mtkUpgradeMatrix(sampleLtable(), sampleLtableUpgrade('safe')).every((r) => r.comparison.agree)
 */
export function mtkUpgradeMatrix(
  oldTable: Ltable,
  newTable: Ltable,
  options: MtkDeviceOptions & {
    readonly binRegion?: 'present' | 'empty';
    readonly modes?: readonly MtkUpgradeMode[];
  } = {},
): MtkUpgradeMatrixRow[] {
  const base = createMtkDevice(oldTable, options);
  if (options.binRegion === 'empty') base.binRegion = null;
  return (options.modes ?? MTK_UPGRADE_MODES).map((mode) => {
    const device = cloneMtkDevice(base);
    const plan = planUpgrade(oldTable, newTable, mode, {
      platform: device.platform,
      binRegion: device.binRegion === null ? 'empty' : 'present',
    });
    const report = upgradeMtkDevice(device, newTable, mode);
    return { mode, plan, report, comparison: compareMtkPlan(plan, report) };
  });
}
