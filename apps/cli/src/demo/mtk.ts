import { hexToBytes } from '@nv/core/bytes';
import { decodeLidFile, isLidFileName, lidKeyFromBytes, parseLidFileName } from '@nv/mtk-lid-file';
import { lintLtable, ltableToC, planUpgrade, serializeLtableJson, type LtableUpgradeMode } from '@nv/mtk-nvram-ltable';
import { sampleLtable, sampleLtableUpgrade } from '@nv/mtk-nvram-ltable/sample';
import {
  createMtkDevice,
  mtkDeviceToFiles,
  mtkUpgradeMatrix,
  personalizeMtkDevice,
  MTK_SIM_KEY,
  MTK_UPGRADE_MODES,
} from '@nv/device-sim/mtk';
import type { DemoRunner } from './runner.ts';

const FLOW = 'mtk';
const SEED = 20261123;

/** MediaTek: LID table → LID files on a simulated device → upgrade plan per mode → simulated upgrade that agrees. */
export async function runMtkFlow(run: DemoRunner): Promise<void> {
  const table = sampleLtable('moly-b');
  const next = sampleLtableUpgrade('safe', 'moly-b');
  const dangerous = sampleLtableUpgrade('dangerous', 'moly-b');
  // Fresh from the factory line: the step below writes the unit's calibration/IMEI and backs them up, once.
  const device = createMtkDevice(table, { seed: SEED, personalize: false });

  await run.step(FLOW, 'mtk.ltable', 'MediaTek LID table → JSON + C, lint', async () => {
    await run.write('mtk/ltable.json', serializeLtableJson(table));
    await run.write('mtk/ltable.c', ltableToC(table));
    await run.write('mtk/ltable-next.json', serializeLtableJson(next));
    await run.write('mtk/ltable-dangerous.json', serializeLtableJson(dangerous));
    const lint = lintLtable(table);
    const errors = lint.findings.filter((f) => f.severity === 'error');
    return {
      summary: `${table.entries.length} LIDs (${table.generation}), lint ${lint.ok ? 'ok' : `${errors.length} error(s)`}`,
      data: { entries: table.entries.length, findings: lint.findings.length },
      failed: !lint.ok,
    };
  });

  await run.step(
    FLOW,
    'mtk.lid-files',
    'LID files with checksums on a simulated device, backed up to the bin region',
    async () => {
      personalizeMtkDevice(device); // also triggers the bin-region backup, as the factory line does
      const backedUp = Object.keys(device.binRegion ?? {});
      const files = mtkDeviceToFiles(device);
      let lidFiles = 0;
      let badRecords = 0;
      for (const { path, bytes } of files) {
        await run.write(`mtk/device/${path}`, bytes);
        const base = path.split('/').pop() ?? path;
        if (!path.startsWith('nvdata/') || !isLidFileName(base)) continue;
        const entry = table.entries.find((e) => e.prefix === parseLidFileName(base).prefix);
        lidFiles++;
        // Confidential LIDs are decrypted with the simulated device's customer key (never a vendor key); the
        // simulator does not model the chip-bound MSP cipher.
        const decoded = decodeLidFile(bytes, entry, {
          path,
          key: lidKeyFromBytes(hexToBytes(MTK_SIM_KEY), 'B'),
          bindToChip: false,
        });
        badRecords += decoded.records.filter((r) => !r.checksumOk).length;
      }
      return {
        summary: `${lidFiles} LID files, every record checksum verified (${badRecords} bad); ${backedUp.length} backed up to the bin region`,
        data: { lidFiles, badRecords, binRegion: backedUp.length },
        failed: badRecords > 0 || lidFiles === 0,
      };
    },
  );

  const modes = MTK_UPGRADE_MODES as readonly LtableUpgradeMode[];
  await run.step(
    FLOW,
    'mtk.plan',
    'Upgrade plan for every mode (and a dangerous table that must be blocked)',
    async () => {
      const rows: Record<string, unknown> = {};
      let blockedSafe = 0;
      let blockedDangerous = 0;
      for (const mode of modes) {
        const plan = planUpgrade(table, next, mode);
        const bad = planUpgrade(table, dangerous, mode);
        blockedSafe += plan.blocked.length;
        if (mode !== 'format-all') blockedDangerous += bad.blocked.length === 0 ? 0 : 1;
        await run.write(`mtk/plan-${mode}.json`, `${JSON.stringify(plan, null, 2)}\n`);
        rows[mode] = {
          actions: plan.actions.length,
          blocked: plan.blocked.length,
          dangerousBlocked: bad.blocked.length,
        };
      }
      const expectBlocked = modes.filter((m) => m !== 'format-all').length;
      return {
        summary: `${modes.length} modes planned; safe upgrade blocked ${blockedSafe}×, dangerous upgrade blocked in ${blockedDangerous}/${expectBlocked} modes`,
        data: rows,
        failed: blockedSafe > 0 || blockedDangerous !== expectBlocked,
      };
    },
  );

  await run.step(FLOW, 'mtk.upgrade', 'Simulated upgrade in every mode agrees with the plan', async () => {
    const results: Record<string, unknown> = {};
    let disagreements = 0;
    for (const { mode, report, comparison } of mtkUpgradeMatrix(table, next, { seed: SEED })) {
      if (!comparison.agree) disagreements++;
      results[mode] = {
        agree: comparison.agree,
        kept: report.kept.length,
        restored: report.restored.length,
        reset: report.reset.length,
        migrated: report.migrated.length,
        lost: report.lost.length,
        asserted: report.asserted ?? null,
        mismatches: comparison.mismatches,
      };
    }
    await run.write('mtk/upgrade-report.json', `${JSON.stringify(results, null, 2)}\n`);
    return {
      summary: `${modes.length - disagreements}/${modes.length} modes: the simulated device did what the plan said`,
      data: results,
      failed: disagreements > 0,
    };
  });
}
