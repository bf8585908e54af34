import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMbn, encodeTrailer, parseMcfgXml, type McfgTrailerInput } from '@nv/qcom-mbn';
import { runNv } from './_spawn.ts';

function mbn(version: string, nv71: number, trailer: McfgTrailerInput): Uint8Array {
  const tlvs = [...encodeTrailer(trailer)].join(' ');
  return buildMbn(parseMcfgXml(`<NvData>
  <NvConfigurationData carrierIndex="0" version="${version}" type="1"/>
  <NvItemData id="71" mcfgAttributes="0x19" mcfgVariant="1"><Member sizeOf="1" type="uint8">7</Member><Member sizeOf="1" type="uint8">${nv71}</Member></NvItemData>
  <NvTrlRecord><Member sizeOf="${tlvs.split(' ').length}" type="uint8">${tlvs}</Member></NvTrlRecord>
</NvData>`));
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-sim-qcom-cli-'));
  await writeFile(join(dir, 'tmo.mbn'), mbn('0x0501050D', 5, { version: 0x0501050d, name: 'Commercial-TMO', iins: { list: [8901260] } }));
  await writeFile(join(dir, 'att.mbn'), mbn('0x05010301', 3, { version: 0x05010301, name: 'ATT', iins: { list: [8901410] } }));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nv sim qcom mcfg', () => {
  it('--json: selects by ICCID and lists what the modem wrote', async () => {
    const r = await runNv(['--json', 'sim', 'qcom', 'mcfg', '--mbn', 'tmo.mbn', 'att.mbn', '--iccid', '8901410123456789012'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      selected: 'att.mbn',
      name: 'ATT',
      outcome: 'NV_SIM_MCFG_SELECTED_BY_IIN',
      active: 'att.mbn',
      activation: { id: 'att.mbn', outcome: 'NV_SIM_MCFG_APPLIED' },
      applied: [{ key: 'nv:71', target: '/nvm/num/71', action: 'written' }],
    });
    expect(j.loaded.map((l: { id: string; outcome: string }) => [l.id, l.outcome])).toEqual([['tmo.mbn', 'NV_SIM_MCFG_LOADED'], ['att.mbn', 'NV_SIM_MCFG_LOADED']]);
  });

  it('no match → selected null, exit 0; human output without --json', async () => {
    const r = await runNv(['sim', 'qcom', 'mcfg', '--mbn', 'tmo.mbn', '--iccid', '8944000000000000000'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('selected: (none)');
  });

  it('--state keeps the device: the same SIM again activates nothing, a new SIM switches', async () => {
    const st = join(dir, 'state');
    const a = await runNv(['--json', 'sim', 'qcom', 'mcfg', '--mbn', 'tmo.mbn', '--mbn', 'att.mbn', '--iccid', '8901260123456789012', '--state', st], { cwd: dir });
    expect(JSON.parse(a.stdout)).toMatchObject({ selected: 'tmo.mbn', activation: { outcome: 'NV_SIM_MCFG_APPLIED' } });
    expect((await readdir(st)).sort()).toEqual(['device.json', 'fsc.bin', 'fsg.bin', 'modemst1.bin', 'modemst2.bin']);
    const b = await runNv(['--json', 'sim', 'qcom', 'mcfg', '--mbn', 'att.mbn', '--iccid', '8901260123456789012', '--state', st], { cwd: dir });
    const jb = JSON.parse(b.stdout);
    expect(jb).toMatchObject({ selected: 'tmo.mbn', activation: null, active: 'tmo.mbn' });
    expect(jb.loaded[0]).toMatchObject({ id: 'att.mbn#2', outcome: 'NV_SIM_MCFG_LOADED' });
  });

  it('errors: bad ICCID → exit 1 NV_SIM_MCFG_BAD_ICCID; missing file → NV_NOT_FOUND; no --mbn → usage 2', async () => {
    const bad = await runNv(['--json', 'sim', 'qcom', 'mcfg', '--mbn', 'tmo.mbn', '--iccid', '12ab'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.code).toBe('NV_SIM_MCFG_BAD_ICCID');
    const missing = await runNv(['--json', 'sim', 'qcom', 'mcfg', '--mbn', 'nope.mbn', '--iccid', '8901260123456789012'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe('NV_NOT_FOUND');
    const none = await runNv(['--json', 'sim', 'qcom', 'mcfg', '--iccid', '8901260123456789012'], { cwd: dir });
    expect(none.code).toBe(2);
    expect(JSON.parse(none.stdout).error.code).toBe('NV_USAGE');
  });

  it('--help shows an example', async () => {
    const r = await runNv(['sim', 'qcom', 'mcfg', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ nv sim qcom');
  });
});
