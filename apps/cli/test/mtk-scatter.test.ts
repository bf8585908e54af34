import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleLtable } from '@nv/mtk-nvram-ltable/sample';
import { serializeLtableJson } from '@nv/mtk-nvram-ltable';
import { runNv } from './_spawn.ts';

const SCATTER = fileURLToPath(
  new URL('../../../packages/mtk-nvram-ltable/test/fixtures/MT6765_Android_scatter.txt', import.meta.url),
);
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-scatter-'));
  const t = sampleLtable();
  await writeFile(join(dir, 'old.json'), serializeLtableJson(t));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const plan = (...extra: string[]) =>
  runNv(['mtk', 'ltable', 'plan', '--from', 'old.json', '--to', 'old.json', ...extra], { cwd: dir });

describe('nv mtk ltable plan --scatter', () => {
  it('infers the mode from the scatter file and the download list, and says why', async () => {
    const dl = await plan('--scatter', SCATTER, '--json');
    expect(dl.code).toBe(0);
    const d = JSON.parse(dl.stdout);
    expect(d.mode).toBe('download-only');
    expect(d.inferred).toMatchObject({ mode: 'download-only', binRegion: 'present' });
    const fu = JSON.parse((await plan('--scatter', SCATTER, '--download', 'nvdata,md1img', '--json')).stdout);
    expect(fu.mode).toBe('firmware-upgrade');
    expect(fu.inferred.written.nvdata).toEqual(['nvdata']);
    // nvdata + nvram written: firmware upgrade with an empty bin region — IMEI is lost, as with --bin-region empty.
    const lost = JSON.parse((await plan('--scatter', SCATTER, '--download', 'nvdata,nvram', '--json')).stdout);
    expect(lost.inferred.binRegion).toBe('empty');
    expect(lost.actions.find((a: { name: string }) => a.name === 'NVRAM_EF_IMEI_IMEISV_LID')).toMatchObject({
      action: 'lost',
      code: 'NV_LTABLE_PLAN_BIN_REGION_EMPTY',
    });
    const fa = JSON.parse((await plan('--scatter', SCATTER, '--download', 'protect1,protect2', '--json')).stdout);
    expect(fa.mode).toBe('format-all');
    const human = await plan('--scatter', SCATTER, '--download', 'nvdata');
    expect(human.stdout).toContain('mode firmware-upgrade (bin region present) from');
    expect(human.stdout).toContain('protect1 is not written: protect is kept');
  });

  it('--mode alone still works; both, neither, or --download without --scatter are usage errors', async () => {
    expect((await plan('--mode', 'ota', '--json')).code).toBe(0);
    expect((await plan('--mode', 'ota', '--scatter', SCATTER)).code).toBe(2);
    expect((await plan()).code).toBe(2);
    expect((await plan('--mode', 'ota', '--download', 'nvdata')).code).toBe(2);
    const typo = await plan('--scatter', SCATTER, '--download', 'nvdta', '--json');
    expect(typo.code).toBe(1);
    expect(JSON.parse(typo.stdout).error.code).toBe('NV_LTABLE_SCATTER_UNKNOWN_PARTITION');
  });
});
