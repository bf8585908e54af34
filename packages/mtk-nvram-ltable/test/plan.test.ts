import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import {
  LTABLE_DECISION_TABLE,
  LTABLE_UPGRADE_MODES,
  planUpgrade,
  entryClasses,
  type LtableUpgradeMode,
  type LtablePlanOptions,
} from '../src/plan.ts';
import { createLtableEntry, sampleLtable, sampleLtableUpgrade, type LtableEntryInit } from '../src/sample.ts';
import type { Ltable, LtableEntry } from '../src/model.ts';
import { arbEntry, arbDefault, arbTable } from './arb.ts';

type Gen = 'moly-a' | 'moly-b';
// One entry per planner class (docs/formats/lid-table.md#test-vectors).
const BASE: Record<string, LtableEntryInit> = {
  user: { name: 'NVRAM_EF_USER_LID', size: 16, prefix: 'US01', verno: '005', categories: ['USER'] },
  cal: {
    name: 'NVRAM_EF_CAL_LID',
    size: 64,
    prefix: 'CA01',
    verno: '002',
    categories: ['CALIBRAT'],
    tags: ['calibration-result'],
  },
  rfdrv: {
    name: 'NVRAM_EF_RFDRV_LID',
    size: 32,
    prefix: 'RD01',
    verno: '001',
    categories: ['CALIBRAT'],
    tags: ['rf-driver-param'],
  },
  imp: {
    name: 'NVRAM_EF_IMEI_LID',
    size: 10,
    prefix: 'LD0B',
    verno: '001',
    categories: ['IMPORTANT'],
    attributes: ['WRITEPROTECT'],
  },
  l4: { name: 'NVRAM_EF_SML_LID', size: 128, prefix: 'MP0E', verno: '000', categories: ['IMPORTANT_L4'] },
  rf: { name: 'NVRAM_EF_CA_LID', size: 256, prefix: 'CA0C', verno: '000', categories: ['USER'], tags: ['ca-combo'] },
};

const hit = new Set<string>();
function one(
  gen: Gen,
  cls: string,
  mode: LtableUpgradeMode,
  change: (e: LtableEntryInit) => LtableEntryInit | undefined,
  opts: LtablePlanOptions = {},
  base?: LtableEntryInit,
) {
  const b = base ?? (BASE[cls] as LtableEntryInit);
  const oldT: Ltable = { generation: gen, enumSet: gen, entries: [createLtableEntry(b, gen)] };
  const n = change(b);
  const newT: Ltable = { generation: gen, enumSet: gen, entries: n ? [createLtableEntry(n, gen)] : [] };
  const plan = planUpgrade(oldT, newT, mode, opts);
  expect(plan.actions).toHaveLength(1);
  const a = plan.actions[0]!;
  hit.add(a.row);
  return { a, blocked: plan.blocked };
}
const same = (e: LtableEntryInit): LtableEntryInit => e;
const bump = (e: LtableEntryInit): LtableEntryInit => ({
  ...e,
  verno: String(Number(e.verno ?? '0') + 1).padStart(3, '0'),
});
const newDef = (e: LtableEntryInit): LtableEntryInit => ({ ...e, default: { kind: 'ff' } });
const grow = (e: LtableEntryInit): LtableEntryInit => ({ ...e, size: e.size + 4 });

describe('decision table rows (§9.3), hand-derived expectations', () => {
  it('rows 1, 2: Format All', () => {
    for (const cls of ['cal', 'imp', 'l4']) {
      const { a, blocked } = one('moly-b', cls, 'format-all', same);
      expect([a.row, a.action, a.code, a.severity]).toEqual(['1', 'lost', 'NV_LTABLE_PLAN_IDENTITY_RESET', 'warning']);
      expect(blocked).toEqual([]);
    }
    for (const cls of ['user', 'rfdrv', 'rf'])
      expect(one('moly-a', cls, 'format-all', bump).a).toMatchObject({ row: '2', action: 'reset' });
  });
  it('row X1: removed outside DO is deleted', () => {
    for (const m of ['format-all', 'firmware-upgrade', 'factory-reset'] as const)
      expect(one('moly-b', 'cal', m, () => undefined).a).toMatchObject({ row: 'X1', action: 'delete' });
  });
  it('row 3: CA/RF-band changes need Format All', () => {
    for (const [m, ch] of [
      ['firmware-upgrade', newDef],
      ['factory-reset', grow],
      ['ota', bump],
      ['download-only', newDef],
    ] as const) {
      const { a, blocked } = one('moly-b', 'rf', m, ch);
      expect(a.row).toBe('3');
      expect(blocked).toEqual([
        expect.objectContaining({ code: 'NV_LTABLE_PLAN_NEEDS_FORMAT_ALL', name: 'NVRAM_EF_CA_LID' }),
      ]);
      expect(blocked[0]?.advice).toMatch(/Format All/);
    }
  });
  it('row 4: VERNO bump on IMPORTANT / IMPORTANT_L4 asserts', () => {
    for (const cls of ['imp', 'l4']) {
      const { a, blocked } = one('moly-b', cls, 'download-only', bump);
      expect([a.row, a.action]).toEqual(['4', 'assert']);
      expect(blocked[0]?.code).toBe('NV_LTABLE_PLAN_VERNO_FORBIDDEN');
    }
    // ↓V is a VERNO change too (docs/formats/lid-table.md#decision-table legend "↑V verno changed").
    expect(one('moly-a', 'imp', 'firmware-upgrade', (e) => ({ ...e, verno: '000' })).a.row).toBe('4');
  });
  it('row 5: VERNO bump on calibration / barcode is blocked', () => {
    const { a, blocked } = one('moly-b', 'cal', 'factory-reset', bump);
    expect([a.row, a.action]).toEqual(['5', 'lost']);
    expect(blocked[0]?.code).toBe('NV_LTABLE_PLAN_CALIBRATION_LOSS');
    const barcode = {
      name: 'NVRAM_EF_BARCODE_NUM_LID',
      size: 64,
      prefix: 'MP09',
      verno: '000',
      categories: ['CALIBRAT'],
      tags: ['barcode' as const],
    };
    expect(one('moly-a', 'cal', 'ota', bump, {}, barcode).a.row).toBe('5');
  });
  it('row 6: size change on protected items', () => {
    expect(one('moly-b', 'imp', 'download-only', grow).a).toMatchObject({
      row: '6',
      action: 'assert',
      code: 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT',
    });
    expect(one('moly-a', 'cal', 'firmware-upgrade', (e) => ({ ...e, records: 2 })).a).toMatchObject({
      row: '6',
      action: 'lost',
    });
  });
  it('row 7: an IMPORTANT_L4 file disappearing in DO', () => {
    expect(one('moly-b', 'l4', 'download-only', () => undefined).blocked[0]?.code).toBe('NV_LTABLE_PLAN_L4_LOST');
    expect(one('moly-b', 'l4', 'ota', (e) => ({ ...e, categories: ['USER'] })).a).toMatchObject({
      row: '7',
      action: 'assert',
    });
  });
  it('row X2: identity change of unit data', () => {
    const { a, blocked } = one('moly-b', 'cal', 'firmware-upgrade', (e) => ({ ...e, prefix: 'CA02' }));
    expect([a.row, a.action]).toEqual(['X2', 'lost']);
    expect(blocked[0]?.code).toBe('NV_LTABLE_PLAN_IDENTITY_CHANGE');
    expect(one('moly-b', 'imp', 'ota', (e) => ({ ...e, attributes: ['MULTIPLE'] })).a.row).toBe('X2');
    expect(
      one('moly-b', 'cal', 'firmware-upgrade', (e) => ({ ...e, categories: ['CALIBRAT', 'BACKUP_SDS'] })).blocked[0]
        ?.code,
    ).toBe('NV_LTABLE_PLAN_IDENTITY_CHANGE');
  });
  it('row 8: VERNO bump on an RF-driver parameter resets it (sanctioned)', () => {
    for (const m of ['firmware-upgrade', 'factory-reset', 'ota'] as const)
      expect(one('moly-b', 'rfdrv', m, (e) => bump(newDef(e)))).toMatchObject({
        a: { row: '8', action: 'reset' },
        blocked: [],
      });
  });
  it('row 9: FU/FR reset user data', () => {
    expect(one('moly-a', 'user', 'firmware-upgrade', newDef).a).toMatchObject({ row: '9', action: 'reset' });
    expect(one('moly-b', 'user', 'factory-reset', same).a).toMatchObject({ row: '9', action: 'reset' });
  });
  it('row 10: bin region empty', () => {
    for (const cls of ['cal', 'imp'])
      expect(one('moly-b', cls, 'firmware-upgrade', same, { binRegion: 'empty' }).a).toMatchObject({
        row: '10',
        action: 'lost',
        code: 'NV_LTABLE_PLAN_BIN_REGION_EMPTY',
      });
  });
  // Divergences with the simulated device (device-sim README.mtk.md), resolved here: D1 rows X5/X5e, D2 row 1,
  // D3 row 10r, D4 rows 4e/6e, D5 row 18.
  it('D1 (rows X5, X5e): a size/record change of an RF-driver CALIBRAT item without a VERNO bump is blocked', () => {
    for (const m of ['firmware-upgrade', 'factory-reset', 'download-only', 'ota'] as const) {
      const b = one('moly-b', 'rfdrv', m, grow);
      expect([b.a.row, b.a.action, b.blocked[0]?.code]).toEqual(['X5', 'assert', 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT']);
      expect(b.blocked[0]?.advice).toMatch(/bump the VERNO/);
      expect(one('moly-a', 'rfdrv', m, (e) => ({ ...e, records: 2 })).a).toMatchObject({
        row: 'X5',
        action: 'reset',
        code: 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT',
      });
    }
    for (const m of ['firmware-upgrade', 'factory-reset'] as const) {
      const e = one('moly-b', 'rfdrv', m, grow, { binRegion: 'empty' });
      expect([e.a.row, e.a.action, e.blocked[0]?.code]).toEqual(['X5e', 'reset', 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT']);
    }
    // With a VERNO bump the change is the sanctioned row 8.
    expect(one('moly-b', 'rfdrv', 'ota', (e) => bump(grow(e)))).toMatchObject({
      a: { row: '8', action: 'reset' },
      blocked: [],
    });
  });
  it('D2 (row 1): Format All does not call a LID LOST that is new in the firmware', () => {
    for (const cls of ['cal', 'imp', 'l4']) {
      const plan = planUpgrade(
        { generation: 'moly-b', entries: [] },
        { generation: 'moly-b', entries: [createLtableEntry(BASE[cls] as LtableEntryInit, 'moly-b')] },
        'format-all',
      );
      expect(plan.actions[0]).toMatchObject({ row: '2', action: 'reset' });
      expect(plan.actions[0]).not.toHaveProperty('code');
    }
  });
  it('D3 (row 10r): an empty bin region gives RF-driver parameters their new default: RESET with a warning, not LOST', () => {
    for (const m of ['firmware-upgrade', 'factory-reset'] as const) {
      const { a, blocked } = one('moly-a', 'rfdrv', m, newDef, { binRegion: 'empty' });
      expect([a.row, a.action, a.code, a.severity, blocked]).toEqual([
        '10r',
        'reset',
        'NV_LTABLE_PLAN_BIN_REGION_EMPTY',
        'warning',
        [],
      ]);
    }
  });
  it('D4 (rows 4e, 6e): an empty bin region under FU/FR leaves no old file to assert on: LOST, still blocked', () => {
    for (const m of ['firmware-upgrade', 'factory-reset'] as const) {
      const v = one('moly-b', 'imp', m, bump, { binRegion: 'empty' });
      expect([v.a.row, v.a.action, v.blocked[0]?.code]).toEqual(['4e', 'lost', 'NV_LTABLE_PLAN_VERNO_FORBIDDEN']);
      for (const cls of ['cal', 'imp']) {
        const s6 = one('moly-a', cls, m, grow, { binRegion: 'empty' });
        expect([s6.a.row, s6.a.action, s6.blocked[0]?.code]).toEqual([
          '6e',
          'lost',
          'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT',
        ]);
      }
      // protect_f/s are not erased: the IMPORTANT_L4 file is still there and the modem asserts (rows 4, 6).
      expect(one('moly-b', 'l4', m, bump, { binRegion: 'empty' }).a).toMatchObject({ row: '4', action: 'assert' });
      expect(one('moly-b', 'l4', m, grow, { binRegion: 'empty' }).a).toMatchObject({ row: '6', action: 'assert' });
    }
    // Nothing is erased in DO: rows 4 and 6 whatever the bin region.
    expect(one('moly-b', 'imp', 'ota', bump, { binRegion: 'empty' }).a).toMatchObject({ row: '4', action: 'assert' });
    expect(one('moly-b', 'cal', 'download-only', grow, { binRegion: 'empty' }).a).toMatchObject({
      row: '6',
      action: 'assert',
    });
  });
  it('D5 (row 18): a CONFIDENTIAL toggle with a new folder is a new identity (row 19), not row 18', () => {
    for (const g of ['moly-a', 'moly-b'] as const) {
      const { a, blocked } = one(g, 'user', 'ota', (e) => ({
        ...e,
        categories: ['CUSTOM_SENSITIVE'],
        attributes: ['CONFIDENTIAL'],
      }));
      expect([a.row, a.action, blocked]).toEqual(['19', 'reset', []]);
      expect(a.changes).toEqual(expect.arrayContaining(['confToggled', 'identityChanged']));
    }
  });
  // Found by a wider planner-vs-simulator search (device-sim README.mtk.md, "Planner vs simulator"), fixed here.
  it('rows X4, 14r: a reset-on-version bit also acts after FU/FR (the version check runs over restored files)', () => {
    for (const m of ['firmware-upgrade', 'factory-reset'] as const) {
      for (const cls of ['cal', 'imp', 'l4']) {
        const { a, blocked } = one(
          'moly-b',
          cls,
          m,
          same,
          {},
          { ...(BASE[cls] as LtableEntryInit), attributes: ['OTA_RESET'] },
        );
        expect([a.row, a.action, blocked[0]?.code]).toEqual(['X4', 'lost', 'NV_LTABLE_PLAN_CALIBRATION_LOSS']);
      }
      expect(
        one('moly-a', 'rfdrv', m, same, {}, { ...(BASE['rfdrv'] as LtableEntryInit), attributes: ['SW_VERNO_RESET'] }),
      ).toMatchObject({ a: { row: '14r', action: 'reset' }, blocked: [] });
    }
  });
  it('row X6: an identity change of an RF-driver parameter resets it', () => {
    for (const m of ['firmware-upgrade', 'factory-reset', 'ota'] as const) {
      expect(one('moly-b', 'rfdrv', m, (e) => ({ ...e, prefix: 'RD02' }))).toMatchObject({
        a: { row: 'X6', action: 'reset' },
        blocked: [],
      });
    }
    expect(one('moly-b', 'rfdrv', 'download-only', (e) => ({ ...e, attributes: ['MULTIPLE'] })).a).toMatchObject({
      row: 'X6',
      action: 'reset',
    });
  });
  it('row X7: an ordinary LID that becomes unit data is reset (nothing to lose), also in Format All', () => {
    for (const m of ['firmware-upgrade', 'ota'] as const) {
      for (const cats of [['CALIBRAT'], ['IMPORTANT'], ['IMPORTANT_L4']]) {
        const { a, blocked } = one('moly-b', 'user', m, (e) => ({ ...e, categories: cats }));
        expect([a.row, a.action, blocked, a.changes.includes('unitGained')]).toEqual(['X7', 'reset', [], true]);
      }
    }
    expect(one('moly-b', 'user', 'format-all', (e) => ({ ...e, categories: ['IMPORTANT'] })).a).toMatchObject({
      row: '2',
      action: 'reset',
    });
    // Unit data that moves between unit-data categories keeps row X2.
    expect(one('moly-b', 'cal', 'ota', (e) => ({ ...e, categories: ['IMPORTANT'] })).a).toMatchObject({
      row: 'X2',
      action: 'lost',
    });
  });
  it('row 7: a prefix change or lost category of IMPORTANT_L4 asserts in every mode that keeps protect_f/s', () => {
    for (const m of ['firmware-upgrade', 'factory-reset', 'ota'] as const) {
      expect(one('moly-b', 'l4', m, (e) => ({ ...e, prefix: 'MP0F' })).a).toMatchObject({ row: '7', action: 'assert' });
      expect(one('moly-b', 'l4', m, (e) => ({ ...e, categories: ['IMPORTANT'] })).a).toMatchObject({
        row: '7',
        action: 'assert',
      });
    }
    // A copy-count change is an identity change (X2), not a lost SIM-lock file.
    expect(one('moly-b', 'l4', 'ota', (e) => ({ ...e, attributes: ['MULTIPLE'] })).a).toMatchObject({
      row: 'X2',
      action: 'lost',
    });
  });
  it('rows 4, 6: with a new identity there is no old file to assert on (X2 decides)', () => {
    expect(one('moly-a', 'imp', 'ota', (e) => bump({ ...e, prefix: 'LD0C' })).a).toMatchObject({
      row: 'X2',
      action: 'lost',
    });
    expect(one('moly-b', 'cal', 'ota', (e) => grow({ ...e, attributes: ['MULTIPLE'] })).a).toMatchObject({
      row: 'X2',
      action: 'lost',
    });
  });
  it('row 18: a CONFIDENTIAL toggle with a size change is decided by the size change (row 20)', () => {
    expect(one('moly-a', 'user', 'ota', (e) => grow({ ...e, attributes: ['CONFIDENTIAL'] })).a).toMatchObject({
      row: '20',
      action: 'reset',
    });
  });
  it('rows 18u, 18l: CONFIDENTIAL/MSP toggled on unit data or RF-driver data is blocked in FU/FR/DO', () => {
    for (const m of ['firmware-upgrade', 'factory-reset', 'ota'] as const) {
      for (const cls of ['cal', 'imp', 'rfdrv']) {
        const b = one('moly-b', cls, m, (e) => ({ ...e, attributes: [...(e.attributes ?? []), 'CONFIDENTIAL'] }));
        expect([b.a.row, b.a.action, b.blocked[0]?.code]).toEqual(['18u', 'fail', 'NV_LTABLE_PLAN_VERNO_REQUIRED']);
        expect(
          one('moly-a', cls, m, (e) => ({ ...e, attributes: [...(e.attributes ?? []), 'CONFIDENTIAL'] })).a,
        ).toMatchObject({ row: '18u', action: 'keep', severity: 'error' });
      }
      expect(one('moly-b', 'l4', m, (e) => ({ ...e, attributes: ['MSP'] })).a).toMatchObject({
        row: '18l',
        action: 'lost',
        severity: 'error',
      });
      expect(one('moly-a', 'l4', m, (e) => ({ ...e, attributes: ['CONFIDENTIAL'] })).a).toMatchObject({
        row: '18l',
        action: 'keep',
      });
    }
    // Bin region empty under FU/FR: nothing is restored, rows 10/10r decide.
    expect(
      one('moly-b', 'cal', 'firmware-upgrade', (e) => ({ ...e, attributes: ['CONFIDENTIAL'] }), { binRegion: 'empty' })
        .a,
    ).toMatchObject({ row: '10', action: 'lost' });
  });
  it('row X7a: an ordinary LID that becomes IMPORTANT with a VERNO bump asserts in DO (old file, same prefix)', () => {
    const { a, blocked } = one('moly-b', 'user', 'ota', (e) => bump({ ...e, categories: ['IMPORTANT'] }));
    expect([a.row, a.action, blocked[0]?.code]).toEqual(['X7a', 'assert', 'NV_LTABLE_PLAN_VERNO_FORBIDDEN']);
    // FU/FR erase the old nvdata file: nothing to assert on (X7).
    expect(one('moly-b', 'user', 'firmware-upgrade', (e) => bump({ ...e, categories: ['IMPORTANT'] })).a).toMatchObject(
      { row: 'X7', action: 'reset' },
    );
  });
  it('row 4 needs the new entry to stay IMPORTANT / IMPORTANT_L4 (impGone, l4Gone) and the prefix to stay', () => {
    const a = one('moly-b', 'imp', 'ota', (e) => bump({ ...e, categories: ['USER'], tags: [] })).a;
    expect(a.changes).toContain('impGone');
    expect(a).toMatchObject({ row: 'X2', action: 'lost' });
    expect(one('moly-b', 'imp', 'ota', (e) => bump({ ...e, attributes: ['MULTIPLE'] })).a).toMatchObject({
      row: '4',
      action: 'assert',
    });
    // IMPORTANT_L4 → CALIBRAT with a VERNO bump: the SML/SIM_LOCK loss check (row 7) comes first.
    expect(one('moly-b', 'l4', 'firmware-upgrade', (e) => bump({ ...e, categories: ['CALIBRAT'] })).a).toMatchObject({
      row: '7',
      action: 'assert',
    });
  });
  it('row X4 comes before the size rows: OTA_RESET resets before the size check asserts (§8 phase 1)', () => {
    const { a } = one(
      'moly-b',
      'cal',
      'ota',
      grow,
      {},
      { ...(BASE['cal'] as LtableEntryInit), attributes: ['OTA_RESET'] },
    );
    expect([a.row, a.action]).toEqual(['X4', 'lost']);
  });
  it('rows 19, 19p, 14m: RESERVE_BACKWARD migrates across a MULTIPLE/category change or a VERNO bump, not across a prefix change', () => {
    const rb = { ...(BASE['user'] as LtableEntryInit), attributes: ['RESERVE_BACKWARD'] };
    expect(
      one('moly-b', 'user', 'ota', (e) => ({ ...e, attributes: ['RESERVE_BACKWARD', 'MULTIPLE'] }), {}, rb).a,
    ).toMatchObject({ row: '19', action: 'migrate', oldFile: 'deleted' });
    expect(one('moly-b', 'user', 'ota', (e) => ({ ...e, categories: ['CUSTOM_SENSITIVE'] }), {}, rb).a).toMatchObject({
      row: '19',
      action: 'migrate',
    });
    expect(one('moly-b', 'user', 'ota', (e) => bump({ ...e, prefix: 'US02' }), {}, rb).a).toMatchObject({
      row: '19p',
      action: 'reset',
      oldFile: 'deleted',
    });
    expect(one('moly-a', 'user', 'ota', (e) => ({ ...e, prefix: 'US02' })).a).toMatchObject({
      row: '19p',
      action: 'reset',
      oldFile: 'orphan',
    });
    const rbReset = { ...(BASE['user'] as LtableEntryInit), attributes: ['RESERVE_BACKWARD', 'OTA_RESET'] };
    expect(one('moly-b', 'user', 'ota', bump, {}, rbReset).a).toMatchObject({ row: '14m', action: 'migrate' });
    expect(one('moly-b', 'user', 'ota', same, {}, rbReset).a).toMatchObject({ row: '14', action: 'reset' });
    expect(
      one('moly-a', 'user', 'ota', bump, {}, { ...(BASE['user'] as LtableEntryInit), attributes: ['SW_VERNO_RESET'] })
        .a,
    ).toMatchObject({ row: '14m', action: 'reset' });
  });
  it('rows 18f, 20f: a FAULT_ASSERT item whose first read fails asserts (moly-b)', () => {
    const fa = (cls: string): LtableEntryInit => ({
      ...(BASE[cls] as LtableEntryInit),
      attributes: [...((BASE[cls] as LtableEntryInit).attributes ?? []), 'FAULT_ASSERT'],
    });
    for (const cls of ['user', 'cal', 'imp', 'l4', 'rfdrv']) {
      const { a, blocked } = one(
        'moly-b',
        cls,
        'ota',
        (e) => ({ ...e, attributes: [...(e.attributes ?? []), 'CONFIDENTIAL'] }),
        {},
        fa(cls),
      );
      expect([a.row, a.action, blocked[0]?.code]).toEqual(['18f', 'assert', 'NV_LTABLE_PLAN_VERNO_REQUIRED']);
    }
    expect(one('moly-b', 'user', 'download-only', grow, {}, fa('user')).a).toMatchObject({
      row: '20f',
      action: 'assert',
    });
    expect(
      one(
        'moly-b',
        'user',
        'download-only',
        grow,
        {},
        { ...fa('user'), attributes: ['FAULT_ASSERT', 'RESERVE_BACKWARD'] },
      ).a,
    ).toMatchObject({ row: '20f', action: 'migrate' });
    // FU/FR erase a user file: nothing is read back (row 9).
    expect(one('moly-b', 'user', 'firmware-upgrade', grow, {}, fa('user')).a).toMatchObject({
      row: '9',
      action: 'reset',
    });
  });
  it('row X5 yields to a reset-on-version bit (§8 phase 1 resets before the size check)', () => {
    const rb = { ...(BASE['rfdrv'] as LtableEntryInit), attributes: ['OTA_RESET'] };
    expect(one('moly-b', 'rfdrv', 'ota', grow, {}, rb).a).toMatchObject({ row: '14', action: 'reset' });
    expect(one('moly-b', 'rfdrv', 'firmware-upgrade', grow, {}, rb).a).toMatchObject({ row: '14r', action: 'reset' });
  });
  it('row 11: restore from bin region; Δdef ⇒ stale', () => {
    expect(one('moly-b', 'rfdrv', 'firmware-upgrade', newDef).a).toMatchObject({
      row: '11a',
      action: 'stale',
      code: 'NV_LTABLE_PLAN_VERNO_REQUIRED',
      severity: 'warning',
    });
    expect(one('moly-b', 'cal', 'factory-reset', newDef).a).toMatchObject({
      row: '11b',
      action: 'stale',
      severity: 'info',
    });
    expect(one('moly-a', 'imp', 'firmware-upgrade', same).a).toMatchObject({ row: '11', action: 'restore' });
  });
  it('row 12: IMPORTANT_L4 kept in FU/FR', () => {
    expect(one('moly-b', 'l4', 'factory-reset', newDef).a).toMatchObject({ row: '12a', action: 'stale' });
    expect(one('moly-b', 'l4', 'firmware-upgrade', same).a).toMatchObject({ row: '12', action: 'keep' });
  });
  it('row 13: added LIDs', () => {
    for (const m of ['firmware-upgrade', 'ota'] as const) {
      const plan = planUpgrade(
        { generation: 'moly-b', entries: [] },
        { generation: 'moly-b', entries: [createLtableEntry(BASE['cal'] as LtableEntryInit, 'moly-b')] },
        m,
      );
      expect(plan.actions[0]).toMatchObject({ row: '13', action: 'reset' });
      hit.add('13');
    }
  });
  it('row X4 and 14: reset on every version change', () => {
    expect(
      one('moly-b', 'user', 'ota', same, {}, { ...(BASE['user'] as LtableEntryInit), attributes: ['OTA_RESET'] }).a,
    ).toMatchObject({ row: '14', action: 'reset' });
    expect(
      one(
        'moly-a',
        'user',
        'download-only',
        same,
        {},
        { ...(BASE['user'] as LtableEntryInit), attributes: ['SW_VERNO_RESET'] },
      ).a,
    ).toMatchObject({ row: '14', action: 'reset' });
    const { a, blocked } = one(
      'moly-b',
      'cal',
      'ota',
      same,
      {},
      { ...(BASE['cal'] as LtableEntryInit), attributes: ['OTA_RESET'] },
    );
    expect([a.row, blocked[0]?.code]).toEqual(['X4', 'NV_LTABLE_PLAN_CALIBRATION_LOSS']);
  });
  it('row 14 on maui: the SYSTEM category resets on a version change', () => {
    const t = (cats: string[]): Ltable => ({
      generation: 'maui',
      enumSet: 'maui-1',
      entries: [createLtableEntry({ name: 'NVRAM_EF_M_LID', size: 4, prefix: 'CT01', categories: cats }, 'maui-1')],
    });
    expect(planUpgrade(t(['SYSTEM']), t(['SYSTEM']), 'ota').actions[0]).toMatchObject({ row: '14', action: 'reset' });
    expect(planUpgrade(t(['FACTORY']), t(['FACTORY']), 'ota').actions[0]).toMatchObject({ row: '15', action: 'keep' });
  });
  it('row 15: unchanged in DO is kept', () => {
    for (const cls of Object.keys(BASE))
      expect(one('moly-b', cls, 'download-only', same).a).toMatchObject({ row: '15', action: 'keep' });
  });
  it('row 16: VERNO going back or reused', () => {
    expect(one('moly-a', 'user', 'ota', (e) => ({ ...e, verno: '004' })).a).toMatchObject({
      row: '16',
      action: 'keep',
      code: 'NV_LTABLE_PLAN_VERNO_REUSED',
    });
    expect(one('moly-b', 'user', 'ota', (e) => ({ ...e, verno: '004' })).a).toMatchObject({
      row: '16',
      action: 'reset',
      oldFile: 'deleted',
    });
    expect(one('moly-a', 'user', 'ota', bump, { history: { NVRAM_EF_USER_LID: ['006'] } }).a.row).toBe('16');
  });
  it('row 17: VERNO bump on user data in DO', () => {
    expect(one('moly-a', 'user', 'ota', bump).a).toMatchObject({ row: '17', action: 'reset', oldFile: 'orphan' });
    expect(one('moly-b', 'user', 'ota', bump).a).toMatchObject({ row: '17', action: 'reset', oldFile: 'deleted' });
    expect(
      one('moly-b', 'user', 'ota', bump, {}, { ...(BASE['user'] as LtableEntryInit), attributes: ['RESERVE_BACKWARD'] })
        .a,
    ).toMatchObject({ row: '17', action: 'migrate' });
  });
  it('row 18: CONFIDENTIAL/MSP toggled without bump', () => {
    const r = one('moly-a', 'user', 'ota', (e) => ({ ...e, attributes: ['CONFIDENTIAL'] }));
    expect([r.a.row, r.a.action, r.a.severity, r.blocked[0]?.code]).toEqual([
      '18',
      'keep',
      'error',
      'NV_LTABLE_PLAN_VERNO_REQUIRED',
    ]);
    expect(one('moly-b', 'user', 'download-only', (e) => ({ ...e, attributes: ['MSP'] })).a).toMatchObject({
      row: '18',
      action: 'reset',
      severity: 'warning',
    });
  });
  it('row 19: new identity of user data', () => {
    expect(one('moly-a', 'user', 'ota', (e) => ({ ...e, categories: ['CUSTOM_SENSITIVE'] })).a).toMatchObject({
      row: '19',
      action: 'reset',
      oldFile: 'orphan',
    });
    expect(one('moly-b', 'user', 'ota', (e) => ({ ...e, attributes: ['MULTIPLE'] })).a).toMatchObject({
      row: '19',
      oldFile: 'deleted',
    });
    // A category change without a folder change still changes the gen-B header category (docs/formats/lid-table.md#boot-check: deleted).
    expect(one('moly-b', 'user', 'ota', (e) => ({ ...e, categories: ['USER', 'BACKUP_SDS'] })).a).toMatchObject({
      row: '19',
      action: 'reset',
    });
    // moly-a on eMMC drops MULTIPLE (docs/formats/lid-table.md#effective-attributes): adding it changes nothing on disk.
    expect(one('moly-a', 'user', 'ota', (e) => ({ ...e, attributes: ['MULTIPLE'] })).a.row).toBe('X3');
  });
  it('row 20: size change without bump', () => {
    expect(one('moly-a', 'user', 'ota', grow).a).toMatchObject({
      row: '20',
      action: 'reset',
      code: 'NV_LTABLE_PLAN_VERNO_REQUIRED',
    });
    expect(
      one('moly-b', 'user', 'ota', grow, {}, { ...(BASE['user'] as LtableEntryInit), attributes: ['RESERVE_BACKWARD'] })
        .a,
    ).toMatchObject({ row: '20', action: 'migrate' });
  });
  it('row 21: default change without bump is stale', () => {
    expect(one('moly-b', 'rfdrv', 'ota', newDef).a).toMatchObject({
      row: '21',
      action: 'stale',
      code: 'NV_LTABLE_PLAN_VERNO_REQUIRED',
    });
    expect(one('moly-b', 'user', 'ota', newDef, { defaultChangeReset: true }).a).toMatchObject({
      row: '21',
      action: 'reset',
    });
  });
  it('row 22: unit data keeps its value when the default changes', () => {
    for (const cls of ['cal', 'imp', 'l4'])
      expect(one('moly-b', cls, 'download-only', newDef).a).toMatchObject({
        row: '22',
        action: 'stale',
        severity: 'info',
      });
  });
  it('row 23: removed LIDs in DO', () => {
    expect(one('moly-a', 'user', 'ota', () => undefined).a).toMatchObject({ row: '23', action: 'orphan' });
    expect(one('moly-b', 'cal', 'ota', () => undefined).a).toMatchObject({ row: '23', action: 'delete' });
  });
  it('row X3: other changes in DO keep the file', () => {
    expect(one('moly-b', 'user', 'ota', (e) => ({ ...e, attributes: ['WRITEPROTECT'] })).a).toMatchObject({
      row: 'X3',
      action: 'keep',
    });
  });
  it('row XO: OTP LIDs live outside nvdata — every mode keeps them unless their file identity changes (issue 15.7)', () => {
    const otp: LtableEntryInit = {
      name: 'NVRAM_EF_OTP_LID',
      size: 16,
      prefix: 'OT01',
      verno: '000',
      categories: ['OTP'],
    };
    for (const gen of ['moly-a', 'moly-b'] as const)
      for (const mode of LTABLE_UPGRADE_MODES) {
        expect(one(gen, 'user', mode, same, {}, otp).a).toMatchObject({ row: 'XO', action: 'keep' });
        expect(one(gen, 'user', mode, newDef, {}, otp).a).toMatchObject({ row: 'XO', action: 'keep' });
        // A new VERNO is a new file name: the old OTP data is not found and the LID is created from its default.
        expect(one(gen, 'user', mode, bump, {}, otp).a.action).toBe('reset');
      }
  });
  it('every decision-table row was reached by the tests above', () => {
    expect([...hit].sort()).toEqual(LTABLE_DECISION_TABLE.map((r) => r.id).sort());
  });
});

describe('planner (§9.5)', () => {
  it('rejects a bad mode and mixed generations', () => {
    const t = sampleLtable();
    expect(() => planUpgrade(t, t, 'flash' as LtableUpgradeMode)).toThrow(
      expect.objectContaining({ code: 'NV_LTABLE_PLAN_BAD_MODE' }),
    );
    expect(() => planUpgrade(sampleLtable('moly-a'), t, 'ota')).toThrow(NvError);
  });
  it('pairs a renamed symbol by prefix', () => {
    const t = sampleLtable();
    const n = {
      ...t,
      entries: t.entries.map((e) =>
        e.name === 'NVRAM_EF_SMS_SETTING_LID' ? { ...e, name: 'NVRAM_EF_SMS_SETTING2_LID' } : e,
      ),
    };
    const p = planUpgrade(t, n, 'ota');
    expect(p.actions).toHaveLength(t.entries.length);
    expect(p.actions.find((a) => a.name === 'NVRAM_EF_SMS_SETTING2_LID')?.action).toBe('keep');
  });
  it('sample table, same table: golden actions per mode (hand-derived)', () => {
    const t = sampleLtable();
    const act = (m: LtableUpgradeMode) =>
      Object.fromEntries(planUpgrade(t, t, m).actions.map((a) => [a.name.replace(/^NVRAM_EF_|_LID$/g, ''), a.action]));
    expect(act('ota')).toEqual({
      SYS: 'keep',
      NVRAM_LOCK: 'keep',
      IMEI_IMEISV: 'keep',
      CSSD: 'keep',
      BARCODE_NUM: 'keep',
      FT_RF_CAL: 'keep',
      EL1_RF_DRV_PARAM: 'keep',
      EL1_CA_COMBO: 'keep',
      SML: 'keep',
      SIM_LOCK: 'keep',
      L4_SETTING: 'keep',
      UL1_TX_POWER_OFFSET: 'reset',
      CUST_HW_CONFIG: 'keep',
      SMS_SETTING: 'keep',
    });
    expect(act('firmware-upgrade')).toEqual({
      SYS: 'reset',
      NVRAM_LOCK: 'restore',
      IMEI_IMEISV: 'restore',
      CSSD: 'restore',
      BARCODE_NUM: 'restore',
      FT_RF_CAL: 'restore',
      EL1_RF_DRV_PARAM: 'restore',
      EL1_CA_COMBO: 'reset',
      SML: 'keep',
      SIM_LOCK: 'keep',
      L4_SETTING: 'reset',
      UL1_TX_POWER_OFFSET: 'reset',
      CUST_HW_CONFIG: 'reset',
      SMS_SETTING: 'reset',
    });
    expect(act('format-all')).toEqual({
      SYS: 'reset',
      NVRAM_LOCK: 'lost',
      IMEI_IMEISV: 'lost',
      CSSD: 'lost',
      BARCODE_NUM: 'lost',
      FT_RF_CAL: 'lost',
      EL1_RF_DRV_PARAM: 'reset',
      EL1_CA_COMBO: 'reset',
      SML: 'lost',
      SIM_LOCK: 'lost',
      L4_SETTING: 'reset',
      UL1_TX_POWER_OFFSET: 'reset',
      CUST_HW_CONFIG: 'reset',
      SMS_SETTING: 'reset',
    });
    for (const m of LTABLE_UPGRADE_MODES) expect(planUpgrade(t, t, m).blocked).toEqual([]);
  });
});

describe('planner properties', () => {
  const gen = fc.constantFrom<Gen>('moly-a', 'moly-b');
  it('plan(t, t, mode) keeps what each mode keeps', () => {
    fc.assert(
      fc.property(arbTable(undefined, 6), fc.constantFrom(...LTABLE_UPGRADE_MODES), (t, mode) => {
        const g = t.generation;
        const p = planUpgrade(t, t, mode);
        expect(p.actions.map((a) => a.name)).toEqual(t.entries.map((e) => e.name));
        for (const [i, e] of t.entries.entries()) {
          const a = p.actions[i]!;
          const cls = entryClasses(e);
          // SW_VERNO_RESET / OTA_RESET: the version check after every upgrade resets the item (rows 14, 14r, X4).
          const resetBit = e.attributes.includes(g === 'moly-b' ? 'OTA_RESET' : 'SW_VERNO_RESET');
          // OTP data lives outside nvdata: no mode erases it (row XO).
          if (g !== 'maui' && e.categories.includes('OTP')) expect(a).toMatchObject({ row: 'XO', action: 'keep' });
          else if (mode === 'format-all') expect(['reset', 'lost']).toContain(a.action);
          else if (resetBit)
            expect(a).toMatchObject(
              cls.some((c) => c === 'cal' || c === 'imp' || c === 'l4')
                ? { row: 'X4', action: 'lost' }
                : { action: 'reset' },
            );
          else if (mode === 'download-only' || mode === 'ota') expect(a.action).toBe('keep');
          else if (cls.includes('l4')) expect(a.action).toBe('keep');
          else if (cls.includes('user') && !cls.includes('cal')) expect(a.action).toBe('reset');
          else expect(a.action).toBe('restore');
        }
        // Only unit data with a reset-on-version bit is blocked when nothing changes (row X4).
        expect(p.blocked.map((b) => b.row).filter((r) => r !== 'X4')).toEqual([]);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('never plans a reset of calibration data outside Format All; any loss is blocked or due to an empty bin region', () => {
    const mutate = (e: LtableEntry): fc.Arbitrary<LtableEntry> =>
      fc
        .record({ v: fc.boolean(), s: fc.boolean(), d: fc.option(arbDefault, { nil: undefined }), p: fc.boolean() })
        .map((m) => ({
          ...e,
          verno: m.v ? String((Number(e.verno) + 1) % 1000).padStart(3, '0') : e.verno,
          size: m.s ? e.size + 1 : e.size,
          default: m.d ?? e.default,
          prefix: m.p ? 'ZZ99' : e.prefix,
        }));
    fc.assert(
      fc.property(
        gen.chain((g) =>
          fc.tuple(
            fc.constant(g),
            arbEntry(g, 2)
              .filter((e) => entryClasses(e).includes('cal'))
              .chain((e) => fc.tuple(fc.constant(e), mutate(e))),
          ),
        ),
        fc.constantFrom<LtableUpgradeMode>('firmware-upgrade', 'factory-reset', 'download-only', 'ota'),
        fc.constantFrom<'present' | 'empty'>('present', 'empty'),
        ([g, [o, n]], mode, bin) => {
          const p = planUpgrade({ generation: g, entries: [o] }, { generation: g, entries: [n] }, mode, {
            binRegion: bin,
          });
          const a = p.actions[0]!;
          // A reset of calibration data is only ever planned as a blocked change (row 3: CA/RF-band tag).
          if (a.action === 'reset') expect(p.blocked).toHaveLength(1);
          if (a.action === 'lost') expect(p.blocked.length > 0 || bin === 'empty').toBe(true);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('README', () => {
  it('documents the decision table exactly as implemented', async () => {
    const { readFileSync } = await import('node:fs');
    const { decisionTableMarkdown } = await import('../scripts/decision-table-md.ts');
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const inside = readme.split('<!-- decision-table:start -->\n')[1]?.split('\n<!-- decision-table:end -->')[0];
    // Prettier pads Markdown table cells: compare with runs of spaces and of dashes collapsed.
    const norm = (t: string | undefined): string | undefined =>
      t
        ?.trim()
        .replace(/ {2,}/g, ' ')
        .replace(/-{3,}/g, '---')
        .replace(/\| ?--- ?(?=\|)/g, '|---');
    expect(norm(inside)).toBe(norm(decisionTableMarkdown()));
  });
});

describe('sample upgrade (for nv demo and the simulator)', () => {
  it('safe upgrade is blocked in no mode; dangerous one in every mode but Format All', () => {
    for (const g of ['moly-a', 'moly-b'] as const) {
      for (const m of LTABLE_UPGRADE_MODES) {
        expect(planUpgrade(sampleLtable(g), sampleLtableUpgrade('safe', g), m).blocked).toEqual([]);
        const d = planUpgrade(sampleLtable(g), sampleLtableUpgrade('dangerous', g), m);
        expect(d.blocked.map((b) => [b.name, b.code])).toEqual(
          m === 'format-all'
            ? []
            : [
                ['NVRAM_EF_IMEI_IMEISV_LID', 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT'],
                ['NVRAM_EF_FT_RF_CAL_LID', 'NV_LTABLE_PLAN_CALIBRATION_LOSS'],
                ['NVRAM_EF_EL1_CA_COMBO_LID', 'NV_LTABLE_PLAN_NEEDS_FORMAT_ALL'],
              ],
        );
      }
    }
    const ota = Object.fromEntries(
      planUpgrade(sampleLtable(), sampleLtableUpgrade('safe'), 'ota').actions.map((a) => [a.name, a.action]),
    );
    expect([
      ota['NVRAM_EF_SMS_SETTING_LID'],
      ota['NVRAM_EF_L4_SETTING_LID'],
      ota['NVRAM_EF_EL1_RF_DRV_PARAM_LID'],
      ota['NVRAM_EF_VOLTE_SETTING_LID'],
      ota['NVRAM_EF_UL1_TX_POWER_OFFSET_LID'],
    ]).toEqual(['migrate', 'reset', 'reset', 'reset', 'reset']);
  });
});
