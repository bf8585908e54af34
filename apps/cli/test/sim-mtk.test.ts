import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleLtable, sampleLtableUpgrade } from '@nv/mtk-nvram-ltable/sample';
import { serializeLtableJson } from '@nv/mtk-nvram-ltable';
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
/** Swapped BCD (lid-file §9): digit 1 is the low nibble of byte 0. */
const swapBcd = (hex: string): string => Array.from({ length: 8 }, (_, i) => hex[2 * i + 1]! + hex[2 * i]!).join('');
/** Luhn check, written here from the definition (from the right, every second digit doubled). */
const luhnOk = (digits: string): boolean =>
  [...digits]
    .reverse()
    .map((c, i) => (i % 2 === 1 ? (Number(c) * 2 > 9 ? Number(c) * 2 - 9 : Number(c) * 2) : Number(c)))
    .reduce((a, b) => a + b, 0) %
    10 ===
  0;

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
    // An assert is a failed boot (issue 15.4): exit 1, the JSON report still printed.
    expect(r.code).toBe(1);
    const out = json(r.stdout);
    expect(out['asserted']).toMatchObject({ name: 'NVRAM_EF_IMEI_IMEISV_LID' });
    expect(out['planner']).toMatchObject({ agree: true });
    expect((out['lids'] as unknown[]).length).toBe(15);
    expect(out['unreached']).toHaveLength(14);
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
        '--secure',
        '--factory',
        '--json',
      ],
      { cwd: dir },
    );
    expect(w.code).toBe(0);
    expect(json(w.stdout)).toMatchObject({ record: 2, size: 10 });
    const r = await runNv(
      ['sim', 'mtk', 'read', '--state', 'rw', '--lid', '0xEF10', '--record', '2', '--secure', '--json'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({ hex: '00010121436587f00000', size: 10 });
    const badIndex = await runNv(
      [
        'sim',
        'mtk',
        'read',
        '--state',
        'rw',
        '--lid',
        'NVRAM_EF_IMEI_IMEISV_LID',
        '--record',
        '3',
        '--secure',
        '--json',
      ],
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
        '--secure',
        '--factory',
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

  it('issue 15.4: a firmware-upgrade that asserts exits 1, names the LID, lists unreached LIDs; boot of the asserted device exits 1', async () => {
    const r = await runNv(
      [
        'sim',
        'mtk',
        'upgrade',
        '--state',
        'as',
        '--from',
        'old.json',
        '--to',
        'bad.json',
        '--mode',
        'firmware-upgrade',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^ASSERT NVRAM_EF_IMEI_IMEISV_LID: /);
    expect(r.stdout).toMatch(/NVRAM_EF_IMEI_IMEISV_LID\s+asserted/);
    expect(r.stdout).toMatch(/NVRAM_EF_SMS_SETTING_LID\s+unreached/);
    expect(r.stdout).toContain('UNREACHED 14');
    expect(r.stdout).toContain('planner agrees on the LIDs the device processed before the assert');
    const boot = await runNv(['sim', 'mtk', 'boot', '--state', 'as', '--json'], { cwd: dir });
    expect(boot.code).toBe(1);
    const out = json(boot.stdout) as { asserted: { name: string }; lids: { outcome: string }[] };
    expect(out.asserted.name).toBe('NVRAM_EF_IMEI_IMEISV_LID');
    expect(out.lids.filter((l) => l.outcome === 'unreached')).toHaveLength(14);
  });

  it('issue 15.4: --fail-on-loss exits 1 when any LID ends LOST, 0 without the flag', async () => {
    const args = (state: string): string[] => [
      'sim',
      'mtk',
      'upgrade',
      '--state',
      state,
      '--from',
      'old.json',
      '--to',
      'bad.json',
      '--mode',
      'format-all',
      '--json',
    ];
    const plain = await runNv(args('fl1'), { cwd: dir });
    expect(plain.code).toBe(0);
    expect((json(plain.stdout)['lost'] as string[]).length).toBeGreaterThan(0);
    const ci = await runNv([...args('fl2'), '--fail-on-loss'], { cwd: dir });
    expect(ci.code).toBe(1);
    expect(json(ci.stdout)['lost']).toEqual(json(plain.stdout)['lost']);
    expect(ci.stderr).toContain('--fail-on-loss');
    const safe = await runNv(
      [
        'sim',
        'mtk',
        'upgrade',
        '--state',
        'fl3',
        '--from',
        'old.json',
        '--to',
        'safe.json',
        '--mode',
        'firmware-upgrade',
        '--fail-on-loss',
        '--json',
      ],
      { cwd: dir },
    );
    expect(safe.code).toBe(0);
  });

  it('issue 15.5: a plain write to the IMEI LID, a SIM-lock LID or a WRITEPROTECT LID is refused', async () => {
    expect(
      (await runNv(['sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'wp', '--json'], { cwd: dir })).code,
    ).toBe(0);
    const w = (lid: string, hex: string, ...extra: string[]) =>
      runNv(['sim', 'mtk', 'write', '--state', 'wp', '--lid', lid, '--record', '1', '--hex', hex, ...extra, '--json'], {
        cwd: dir,
      });
    const imei = await w('NVRAM_EF_IMEI_IMEISV_LID', '00010121436587f00000');
    expect(imei.code).toBe(1);
    expect(json(imei.stdout)).toMatchObject({ error: { code: 'NV_LID_SECURE_API_REQUIRED' } });
    const sml = await w('NVRAM_EF_SML_LID', '00'.repeat(512));
    expect(json(sml.stdout)).toMatchObject({ error: { code: 'NV_LID_SECURE_API_REQUIRED' } });
    const wpOnly = await w('NVRAM_EF_IMEI_IMEISV_LID', '00010121436587f00000', '--secure');
    expect(json(wpOnly.stdout)).toMatchObject({ error: { code: 'NV_LID_WRITE_PROTECTED' } });
    const barcode = await w('NVRAM_EF_BARCODE_NUM_LID', '30'.repeat(64));
    expect(json(barcode.stdout)).toMatchObject({ error: { code: 'NV_LID_WRITE_PROTECTED' } });
    expect((await w('NVRAM_EF_BARCODE_NUM_LID', '30'.repeat(64), '--factory')).code).toBe(0);
  });

  it('issue 15.7: --key picks the device key; init prints it; the saved files decode with it; a wrong key is refused', async () => {
    const key = '3f06bd14d45fa985dd027410f0214d22';
    const init = await runNv(['sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'k', '--key', key], {
      cwd: dir,
    });
    expect(init.code).toBe(0);
    expect(init.stdout).toContain(`key of CONFIDENTIAL LIDs: ${key}`);
    const dflt = await runNv(['sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'k0', '--json'], { cwd: dir });
    expect(json(dflt.stdout)['key']).toBe('000102030405060708090a0b0c0d0e0f');
    // The IMEI LID (CONFIDENTIAL) decodes with the printed key; its IMEIs are BCD with a valid Luhn digit.
    const dec = await runNv(
      [
        'mtk',
        'lid',
        'decode',
        join('k', 'nvdata', 'md', 'NVRAM', 'NVD_IMEI', 'LD0B_001'),
        '--ltable',
        'old.json',
        '--key',
        key,
        '--no-bind-to-chip',
        '--json',
      ],
      { cwd: dir },
    );
    expect(dec.code).toBe(0);
    const rec = (json(dec.stdout) as { records: { hex?: string; bytes?: string }[] }).records[0]!;
    const hex = rec.hex ?? rec.bytes ?? '';
    expect(swapBcd(hex)).toMatch(/^\d{15}f$/);
    expect(luhnOk(swapBcd(hex).slice(0, 15))).toBe(true);
    const wrong = await runNv(['sim', 'mtk', 'boot', '--state', 'k', '--key', '00'.repeat(16), '--json'], { cwd: dir });
    expect(wrong.code).toBe(1);
    expect(json(wrong.stdout)).toMatchObject({ error: { code: 'NV_SIM_MTK_KEY_MISMATCH' } });
    expect((await runNv(['sim', 'mtk', 'boot', '--state', 'k', '--key', key, '--json'], { cwd: dir })).code).toBe(0);
    const short = await runNv(
      ['sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'k2', '--key', '0102', '--json'],
      {
        cwd: dir,
      },
    );
    expect(json(short.stdout)).toMatchObject({ error: { code: 'NV_LID_KEY_REQUIRED' } });
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
