import { bytesEqual, firstDifference } from '@nv/core/bytes';
import { buildMbn, lintMbn, parseMbn, parseMcfgXml, sampleMcfgXml, toXml } from '@nv/qcom-mbn';
import {
  autoselectPath,
  bootQcom,
  createQcomDevice,
  insertSim,
  mcfgConfigFromMbn,
  pdcLoad,
  writeEfsFile,
} from '@nv/device-sim/qcom';
import type { DemoRunner } from './runner.ts';

const FLOW = 'mcfg';

/** Two carriers as a modem vendor would ship them: each SIM's ICCID prefix selects its own configuration. */
const CARRIERS = [
  {
    file: 'mcfg_sw_tmo',
    name: 'Commercial-TMO',
    carrierIndex: 1,
    version: 0x0501050d,
    iins: [8901260],
    plmns: [{ mcc: 310, mnc: 260 }],
    iccid: '8901260012345678901',
  },
  {
    file: 'mcfg_sw_vzw',
    name: 'Commercial-VZW',
    carrierIndex: 2,
    version: 0x05010602,
    iins: [891480],
    plmns: [{ mcc: 311, mnc: 480 }],
    iccid: '8914800000123456789',
  },
] as const;

/** MCFG: XML → MBN (lint, byte-exact round trip) → simulated modem selects the config by the SIM's ICCID. */
export async function runMcfgFlow(run: DemoRunner): Promise<void> {
  const built = new Map<string, Uint8Array>();

  await run.step(FLOW, 'mcfg.build', 'MCFG XML → MBN for two carriers, lint', async () => {
    let findings = 0;
    let errors = 0;
    for (const c of CARRIERS) {
      const xml = sampleMcfgXml({
        name: c.name,
        carrierIndex: c.carrierIndex,
        version: c.version,
        iins: c.iins,
        plmns: c.plmns,
      });
      await run.write(`mcfg/${c.file}.xml`, xml);
      const mbn = buildMbn(parseMcfgXml(xml, { path: `${c.file}.xml` }));
      await run.write(`mcfg/${c.file}.mbn`, mbn);
      built.set(c.file, mbn);
      const lint = lintMbn(mbn);
      findings += lint.findings.length;
      errors += lint.findings.filter((f) => f.severity === 'error').length;
    }
    return {
      summary: `${CARRIERS.length} MBNs built (${[...built.values()].map((b) => `${b.length} B`).join(', ')}), lint: ${errors} errors, ${findings - errors} other findings`,
      data: { errors, findings },
      failed: errors > 0,
    };
  });

  await run.step(FLOW, 'mcfg.round-trip', 'MBN → XML → MBN is byte-identical', async () => {
    const diffs: string[] = [];
    for (const c of CARRIERS) {
      const original = built.get(c.file)!;
      const decompiled = toXml(parseMbn(original, { path: `${c.file}.mbn` }), { name: c.file });
      await run.write(`mcfg/${c.file}.decompiled.xml`, decompiled.xml);
      const rebuilt = buildMbn(parseMcfgXml(decompiled.xml), { readFile: (name) => decompiled.files[name] });
      if (!bytesEqual(original, rebuilt))
        diffs.push(`${c.file}: first difference at byte ${firstDifference(original, rebuilt)}`);
    }
    return {
      summary:
        diffs.length === 0
          ? `${CARRIERS.length}/${CARRIERS.length} identical after decompile and rebuild`
          : diffs.join('; '),
      failed: diffs.length > 0,
    };
  });

  await run.step(
    FLOW,
    'mcfg.select',
    'Simulated modem loads both MBNs and selects by ICCID, then on a SIM swap',
    async () => {
      const device = createQcomDevice({
        trust: { rootHash: '0'.repeat(64), hwId: 0n, swId: 0n },
        partitionSize: 256 * 1024,
      });
      bootQcom(device);
      writeEfsFile(device, autoselectPath(0), new Uint8Array([0x81]), 'item');
      for (const c of CARRIERS) {
        const loaded = pdcLoad(device, c.file, mcfgConfigFromMbn(built.get(c.file)!, `${c.file}.mbn`));
        if (!loaded.ok) return { summary: `PDC refused ${c.file}: ${loaded.outcome} ${loaded.detail}`, failed: true };
      }
      const picks: Record<string, unknown> = {};
      const wrong: string[] = [];
      for (const c of CARRIERS) {
        const change = insertSim(device, 0, { iccid: c.iccid });
        picks[c.iccid] = {
          selected: change.selection.selected,
          applied: change.activation?.applied.length ?? 0,
          outcome: change.activation?.outcome ?? change.selection.outcome,
        };
        if (change.selection.selected !== c.file)
          wrong.push(`${c.iccid} selected ${change.selection.selected ?? 'nothing'}, expected ${c.file}`);
      }
      await run.write('mcfg/selection.json', `${JSON.stringify(picks, null, 2)}\n`);
      return {
        summary:
          wrong.length === 0
            ? CARRIERS.map((c) => `ICCID ${c.iccid.slice(0, 7)}… → ${c.name}`).join(', ')
            : wrong.join('; '),
        data: picks,
        failed: wrong.length > 0,
      };
    },
  );
}
