import { describe, expect, it } from 'vitest';
import { staticImportGraph } from '../../../scripts/test-tools.ts';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as main from '../src/index.ts';
import * as qcom from '../src/qcom.ts';
import * as node from '../src/node.ts';
import * as mtk from '../src/mtk.ts';

const SRC = join(import.meta.dirname, '..', 'src');

/** Local imports (value and type-only) of every module in `dir`. */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts'))) {
    const text = readFileSync(join(dir, f), 'utf8');
    const deps = [...text.matchAll(/(?:from\s+|import\()\s*'\.\/([\w-]+\.ts)'/g)].map((m) => m[1] as string);
    graph.set(f, [...new Set(deps)]);
  }
  return graph;
}

/** Every cycle's first repeated path, e.g. `a.ts → b.ts → a.ts`; entry points that only re-export are skipped. */
function importCycles(dir: string, reexportOnly: readonly string[]): string[] {
  const graph = importGraph(dir);
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const walk = (f: string, path: string[]): void => {
    if (state.get(f) === 'done' || reexportOnly.includes(f)) return;
    if (state.get(f) === 'open') {
      cycles.push([...path.slice(path.indexOf(f)), f].join(' → '));
      return;
    }
    state.set(f, 'open');
    for (const d of graph.get(f) ?? []) walk(d, [...path, f]);
    state.set(f, 'done');
  };
  for (const f of graph.keys()) walk(f, []);
  return cycles;
}

describe('public entry points (issue 20.2)', () => {
  it('each Qualcomm-side entry exports at most 20 runtime values, the task-level calls', () => {
    expect(Object.keys(qcom).sort()).toEqual([
      'QCOM_DEFAULT_PARTITION_SIZE',
      'QCOM_SIM_ERROR_CODES',
      'QcomDiagFace',
      'applyActiveConfigs',
      'autoselectPath',
      'backupQcn',
      'bootQcom',
      'createQcomDevice',
      'erasePartition',
      'flashPartition',
      'insertSim',
      'installModemBuild',
      'mcfgConfigFromMbn',
      'nvKeyOfPath',
      'packageQcomFormats',
      'pdcLoad',
      'readModem',
      'restoreQcn',
      'writeEfsFile',
      'writeNvItem',
    ]);
    expect(Object.keys(main).length).toBeLessThanOrEqual(20);
    expect(Object.keys(node).length).toBeLessThanOrEqual(20);
  });
  it('the MediaTek entry exports the device, boot, upgrade, record, bin-region and plan-comparison calls only', () => {
    expect(Object.keys(mtk).length).toBeLessThanOrEqual(20);
    // Fault injection and the sample records are test internals, not API.
    for (const internal of ['corruptMtkLid', 'peekMtkLid', 'mtkRng', 'mtkDefaultRecords', 'mtkStoredLidBytes'])
      expect(Object.keys(mtk)).not.toContain(internal);
  });
});

describe('module graph (issue 20.3)', () => {
  it('no module imports (even a type) from a module that imports it back', () => {
    expect(
      importCycles(SRC, ['index.ts', 'qcom.ts', 'mtk.ts', 'node.ts', 'qcom-node.ts', 'mtk-node.ts', 'errors.ts']),
    ).toEqual([]);
  });
});

// Issue 17: `@nv/device-sim/qcom/node` (what `nv sim qcom` imports) reaches no MediaTek module, so a Qualcomm
// simulation loads neither the LID tables, AES nor ext2fs (the bundle keeps the split: one chunk graph per entry).
const staticGraph = (entry: string): Set<string> => staticImportGraph(SRC, entry);

describe('the Qualcomm and MediaTek Node entries load one side each', () => {
  it('qcom-node.ts reaches no MediaTek module or package', () => {
    const graph = staticGraph('qcom-node.ts');
    expect(graph.has('node-qcom.ts')).toBe(true);
    const mtk = [...graph].filter((m) => /mtk/i.test(m) || m === 'ext2fs' || m.startsWith('@noble/ciphers'));
    expect(mtk).toEqual([]);
  });

  it('mtk-node.ts reaches no Qualcomm-only module; node.ts offers both halves', async () => {
    const graph = staticGraph('mtk-node.ts');
    expect([...graph].filter((m) => /qcom/i.test(m))).toEqual([]);
    const both = await import('../src/node.ts');
    const qcom = await import('../src/qcom-node.ts');
    const mtk = await import('../src/mtk-node.ts');
    expect(Object.keys(both).sort()).toEqual([...Object.keys(qcom), ...Object.keys(mtk)].sort());
  });
});
