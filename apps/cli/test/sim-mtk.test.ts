import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleLtable, sampleLtableUpgrade, serializeLtableJson } from '@nv/mtk-nvram-ltable';
import { runNv } from './_spawn.ts';

let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-sim-mtk-cli-'));
  await writeFile(join(dir, 'old.json'), serializeLtableJson(sampleLtable()));
  await writeFile(join(dir, 'safe.json'), serializeLtableJson(sampleLtableUpgrade('safe')));
  await writeFile(join(dir, 'bad.json'), serializeLtableJson(sampleLtableUpgrade('dangerous')));
  await writeFile(join(dir, 'a.json'), serializeLtableJson(sampleLtable('moly-a')));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const json = (s: string): Record<string, unknown> => JSON.parse(s) as Record<string, unknown>;

describe('nv sim mtk (spawned)', () => {
  it('init creates a state folder; --json shape; refuses to overwrite without --force', async () => {
    const r = await runNv(['sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'dev', '--seed', '0x7', '--json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ generation: 'moly-b', firmware: 'build-1', seed: 7, lids: 14 });
    expect(out['files']).toContain('protect_s:md/MP0EB002');
    expect(out['binRegion']).toContain('NVD_IMEI/LD0B_001');
    expect((await readdir(join(dir, 'dev'))).sort()).toEqual([
      'device.json',
      'nvdata',
      'nvram',
      'protect_f',
      'protect_s',
    ]);
    const again = await runNv(['sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'dev', '--json'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(json(again.stdout)).toMatchObject({ error: { code: 'NV_EXISTS' } });
    expect(
      (
        await runNv(['sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'dev', '--force', '--blank', '--json'], {
          cwd: dir,
        })
      ).code,
    ).toBe(0);
  });

  it('upgrade reports kept/reset/migrated/lost, agrees with the planner, and updates the state', async () => {
    const r = await runNv(
      [
        'sim',
        'mtk',
        'upgrade',
        '--state',
        'up',
        '--from',
        'old.json',
        '--to',
        'safe.json',
        '--mode',
        'firmware-upgrade',
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    for (const k of ['kept', 'reset', 'migrated', 'lost', 'restored']) expect(Array.isArray(out[k])).toBe(true);
    expect(out['asserted']).toBeUndefined();
    expect(out['lost']).toEqual([]);
    expect(out['restored']).toContain('NVRAM_EF_FT_RF_CAL_LID');
    expect(out['kept']).toEqual(['NVRAM_EF_SML_LID', 'NVRAM_EF_SIM_LOCK_LID']);
    expect(out['planner']).toMatchObject({ agree: true, mismatches: [] });
    expect(r.stderr).toContain('new device created');
    const state = json(await readFile(join(dir, 'up', 'device.json'), 'utf8'));
    expect(state['firmware']).toBe('build-2');
    // The state now runs safe.json: --from old.json no longer matches.
    const mismatch = await runNv(
      ['sim', 'mtk', 'upgrade', '--state', 'up', '--from', 'old.json', '--to', 'safe.json', '--mode', 'ota', '--json'],
      { cwd: dir },
    );
    expect(mismatch.code).toBe(1);
    expect(json(mismatch.stdout)).toMatchObject({ error: { code: 'NV_SIM_MTK_TABLE_MISMATCH' } });
    const ota = await runNv(
      ['sim', 'mtk', 'upgrade', '--state', 'up', '--from', 'safe.json', '--to', 'safe.json', '--mode', 'ota', '--json'],
      { cwd: dir },
    );
    expect(ota.code).toBe(0);
    expect(json(ota.stdout)['reset']).toEqual(['NVRAM_EF_UL1_TX_POWER_OFFSET_LID']);
  });

  it('upgrade: the dangerous table makes the modem assert in download-only, and loses unit data in format-all', async () => {
    const r = await runNv(
      [
        'sim',
        'mtk',
        'upgrade',
        '--state',
        'd1',
        '--from',
        'old.json',
        '--to',
        'bad.json',
        '--mode',
        'download-only',
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out['asserted']).toMatchObject({ name: 'NVRAM_EF_IMEI_IMEISV_LID' });
    expect(out['planner']).toMatchObject({ agree: true });
    const fa = await runNv(
      ['sim', 'mtk', 'upgrade', '--state', 'd2', '--from', 'old.json', '--to', 'bad.json', '--mode', 'format-all'],
      { cwd: dir },
    );
    expect(fa.code).toBe(0);
    expect(fa.stdout).toMatch(/NVRAM_EF_FT_RF_CAL_LID\s+lost/);
    expect(fa.stdout).toContain('planner agrees');
  });

  it('init --no-backup: a firmware upgrade then loses calibration and IMEI, and the planner (told the bin region is blank) agrees', async () => {
    expect(
      (
        await runNv(['sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'nb', '--no-backup', '--json'], {
          cwd: dir,
        })
      ).code,
    ).toBe(0);
    const r = await runNv(
      [
        'sim',
        'mtk',
        'upgrade',
        '--state',
        'nb',
        '--from',
        'old.json',
        '--to',
        'old.json',
        '--mode',
        'firmware-upgrade',
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const out = json(r.stdout) as { lost: string[]; reset: string[]; planner: { agree: boolean } };
    expect(out.lost).toContain('NVRAM_EF_IMEI_IMEISV_LID');
    expect(out.lost).toContain('NVRAM_EF_FT_RF_CAL_LID');
    expect(out.reset).toContain('NVRAM_EF_EL1_RF_DRV_PARAM_LID');
    expect(out.planner.agree).toBe(true);
  });

  it('read and write record i; errors keep their codes and exit codes', async () => {
    expect(
      (await runNv(['sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'rw', '--json'], { cwd: dir })).code,
    ).toBe(0);
    const w = await runNv(
      [
        'sim',
        'mtk',
        'write',
        '--state',
        'rw',
        '--lid',
        'NVRAM_EF_IMEI_IMEISV_LID',
        '--record',
        '2',
        '--hex',
        '00010121436587f00000',
        '--backup',
        '--json',
      ],
      { cwd: dir },
    );
    expect(w.code).toBe(0);
    expect(json(w.stdout)).toMatchObject({ record: 2, size: 10 });
    const r = await runNv(['sim', 'mtk', 'read', '--state', 'rw', '--lid', '0xEF10', '--record', '2', '--json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ hex: '00010121436587f00000', size: 10 });
    const badIndex = await runNv(
      ['sim', 'mtk', 'read', '--state', 'rw', '--lid', 'NVRAM_EF_IMEI_IMEISV_LID', '--record', '3', '--json'],
      { cwd: dir },
    );
    expect(badIndex.code).toBe(1);
    expect(json(badIndex.stdout)).toMatchObject({ error: { code: 'NV_SIM_MTK_BAD_RECORD_INDEX' } });
    const badSize = await runNv(
      [
        'sim',
        'mtk',
        'write',
        '--state',
        'rw',
        '--lid',
        'NVRAM_EF_IMEI_IMEISV_LID',
        '--record',
        '1',
        '--hex',
        '00',
        '--json',
      ],
      { cwd: dir },
    );
    expect(json(badSize.stdout)).toMatchObject({ error: { code: 'NV_SIM_MTK_BAD_BUFFER_SIZE' } });
    const badHex = await runNv(
      ['sim', 'mtk', 'write', '--state', 'rw', '--lid', 'X', '--record', '1', '--hex', 'zz', '--json'],
      { cwd: dir },
    );
    expect(badHex.code).toBe(2);
    const noState = await runNv(['sim', 'mtk', 'read', '--state', 'nowhere', '--lid', 'X', '--record', '1', '--json'], {
      cwd: dir,
    });
    expect(noState.code).toBe(1);
    expect(json(noState.stdout)).toMatchObject({ error: { code: 'NV_NOT_FOUND' } });
  });

  it('boot after a byte of a stored LID file was damaged: the AP restores it from the bin region', async () => {
    expect(
      (await runNv(['sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'bt', '--json'], { cwd: dir })).code,
    ).toBe(0);
    const file = join(dir, 'bt', 'nvdata', 'md', 'NVRAM', 'CALIBRAT', 'FT02_002');
    const bytes = await readFile(file);
    const before = bytes.toString('hex');
    bytes[64 + 10] = bytes[64 + 10]! ^ 0xff; // a data byte of record 1 (gen B: 64-byte header)
    await writeFile(file, bytes);
    const r = await runNv(['sim', 'mtk', 'boot', '--state', 'bt', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = json(r.stdout);
    expect(out).toMatchObject({ trigger: 'none', apRestored: ['nvdata:md/NVRAM/CALIBRAT/FT02_002'] });
    expect((await readFile(file)).toString('hex')).toBe(before);
  });

  it('usage errors exit 2; a generation mismatch and a broken state exit 1 without touching the state', async () => {
    const mode = await runNv(
      [
        'sim',
        'mtk',
        'upgrade',
        '--state',
        'x',
        '--from',
        'old.json',
        '--to',
        'old.json',
        '--mode',
        'sideways',
        '--json',
      ],
      { cwd: dir },
    );
    expect(mode.code).toBe(2);
    expect(
      (await runNv(['sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'g', '--json'], { cwd: dir })).code,
    ).toBe(0);
    const before = await readFile(join(dir, 'g', 'device.json'), 'utf8');
    const gen = await runNv(
      ['sim', 'mtk', 'upgrade', '--state', 'g', '--from', 'old.json', '--to', 'a.json', '--mode', 'ota', '--json'],
      { cwd: dir },
    );
    expect(gen.code).toBe(1);
    expect(json(gen.stdout)).toMatchObject({ error: { code: 'NV_SIM_MTK_GEN_MISMATCH' } });
    expect(await readFile(join(dir, 'g', 'device.json'), 'utf8')).toBe(before);
    await writeFile(join(dir, 'g', 'device.json'), '{"format":"other"}');
    const broken = await runNv(
      ['sim', 'mtk', 'upgrade', '--state', 'g', '--from', 'old.json', '--to', 'old.json', '--mode', 'ota', '--json'],
      { cwd: dir },
    );
    expect(broken.code).toBe(1);
    expect(json(broken.stdout)).toMatchObject({ error: { code: 'NV_SIM_MTK_BAD_STATE' } });
    expect(await readdir(dir)).not.toContainEqual(expect.stringMatching(/\.tmp|~/));
  });

  it('--help shows an example on every level', async () => {
    for (const args of [
      ['sim', 'mtk', '--help'],
      ['sim', 'mtk', 'upgrade', '--help'],
      ['sim', 'mtk', 'init', '--help'],
      ['sim', 'mtk', 'boot', '--help'],
      ['sim', 'mtk', 'read', '--help'],
      ['sim', 'mtk', 'write', '--help'],
    ]) {
      const r = await runNv(args);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/Examples?:\n\s+\$ nv sim mtk/);
    }
  });
});
