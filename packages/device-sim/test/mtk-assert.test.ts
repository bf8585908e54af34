/**
 * Issue 15.4: an assert is a failed boot. The asserting LID is named, the LIDs the boot never reached are listed as
 * such, and the planner comparison judges only the LIDs the device processed.
 */
import { describe, it, expect } from 'vitest';
import { planUpgrade, type Ltable } from '@nv/mtk-nvram-ltable';
import { sampleLtable, sampleLtableUpgrade } from '@nv/mtk-nvram-ltable/sample';
import { bootMtkDevice, compareMtkPlan, createMtkDevice, upgradeMtkDevice, type MtkUpgradeReport } from '../src/mtk.ts';
import { corruptMtkLid } from '../src/mtk-device.ts';

/** The sample moly-b table with FAULT_ASSERT (0x2000) on one LID. */
function withFaultAssert(name: string): Ltable {
  const t = sampleLtable('moly-b');
  t.entries = t.entries.map((e) =>
    e.name === name ? { ...e, attr: e.attr | 0x2000, attributes: [...e.attributes, 'FAULT_ASSERT'] } : e,
  );
  return t;
}

describe('asserts are failed boots (issue 15.4)', () => {
  it('firmware-upgrade that asserts in the version check: asserting LID named, every other LID unreached', () => {
    const device = createMtkDevice(sampleLtable('moly-b'));
    const next = sampleLtableUpgrade('dangerous', 'moly-b');
    const plan = planUpgrade(device.table, next, 'firmware-upgrade', { platform: device.platform });
    const report = upgradeMtkDevice(device, next, 'firmware-upgrade');
    expect(report.asserted?.name).toBe('NVRAM_EF_IMEI_IMEISV_LID');
    // Every LID of the new table is listed: not an empty list.
    expect(report.lids.map((l) => l.name)).toEqual(next.entries.map((e) => e.name));
    expect(report.lids.find((l) => l.name === 'NVRAM_EF_IMEI_IMEISV_LID')?.outcome).toBe('asserted');
    expect(report.unreached).toEqual(next.entries.map((e) => e.name).filter((n) => n !== 'NVRAM_EF_IMEI_IMEISV_LID'));
    expect([report.kept, report.reset, report.lost, report.restored]).toEqual([[], [], [], []]);
    const cmp = compareMtkPlan(plan, report);
    expect(cmp.agree).toBe(true);
    // Nothing was processed: every planned action of a table LID is skipped with the reason.
    expect(cmp.skipped.some((s) => s.name === 'NVRAM_EF_SMS_SETTING_LID' && /not processed/.test(s.reason))).toBe(true);
  });

  it('an assert in the first reads keeps the outcomes of the LIDs read before it; the rest are unreached', () => {
    const t = withFaultAssert('NVRAM_EF_UL1_TX_POWER_OFFSET_LID');
    const device = createMtkDevice(t);
    corruptMtkLid(device, 'NVRAM_EF_UL1_TX_POWER_OFFSET_LID', { record: 1 });
    corruptMtkLid(device, 'NVRAM_EF_L4_SETTING_LID', { record: 1 }); // read before the asserting LID: reset
    const boot = bootMtkDevice(device);
    expect(boot.asserted?.name).toBe('NVRAM_EF_UL1_TX_POWER_OFFSET_LID');
    const by = Object.fromEntries(boot.lids.map((l) => [l.name, l.outcome]));
    const names = t.entries.map((e) => e.name);
    const at = names.indexOf('NVRAM_EF_UL1_TX_POWER_OFFSET_LID');
    expect(by['NVRAM_EF_L4_SETTING_LID']).toBe('reset');
    expect(by['NVRAM_EF_UL1_TX_POWER_OFFSET_LID']).toBe('asserted');
    for (const n of names.slice(0, at)) expect(by[n]).not.toBe('unreached');
    for (const n of names.slice(at + 1)) expect(by[n]).toBe('unreached');
  });

  it('agreement is judged on the processed LIDs: a wrong plan for a LID read before the assert is a mismatch', () => {
    const t = withFaultAssert('NVRAM_EF_CUST_HW_CONFIG_LID');
    const device = createMtkDevice(t);
    const plan = planUpgrade(t, t, 'ota', { platform: device.platform });
    corruptMtkLid(device, 'NVRAM_EF_CUST_HW_CONFIG_LID', { record: 1 });
    const report: MtkUpgradeReport = upgradeMtkDevice(device, t, 'ota');
    expect(report.asserted?.name).toBe('NVRAM_EF_CUST_HW_CONFIG_LID');
    // The plan (made without the damage) holds no assert: the device assert disagrees.
    expect(compareMtkPlan(plan, report).mismatches.map((m) => m.planned)).toContain('no assert');
    // A plan that explains the assert but says the wrong thing about a LID the device processed still disagrees.
    const l4 = report.lids.find((l) => l.name === 'NVRAM_EF_L4_SETTING_LID');
    expect(l4?.outcome).toBe('kept');
    const wrong = {
      ...plan,
      actions: plan.actions.map((a) =>
        a.name === 'NVRAM_EF_CUST_HW_CONFIG_LID'
          ? { ...a, action: 'assert' as const }
          : a.name === 'NVRAM_EF_L4_SETTING_LID'
            ? { ...a, action: 'reset' as const }
            : a,
      ),
    };
    const cmp = compareMtkPlan(wrong, report);
    expect(cmp.agree).toBe(false);
    expect(cmp.mismatches).toEqual([
      expect.objectContaining({ name: 'NVRAM_EF_L4_SETTING_LID', planned: 'reset', simulated: 'kept' }),
    ]);
    // …while the LIDs after the assert are not judged.
    expect(cmp.skipped.map((s) => s.name)).toContain('NVRAM_EF_SMS_SETTING_LID');
  });
});
