import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { copyFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildMbn, encodeTrailer, parseMcfgXml, type McfgTrailerInput } from '@nv/qcom-mbn';
import { runNv } from './_spawn.ts';

function mbn(version: string, nv71: number, trailer: McfgTrailerInput): Uint8Array {
  const tlvs = [...encodeTrailer(trailer)].join(' ');
  return buildMbn(
    parseMcfgXml(`<NvData>
  <NvConfigurationData carrierIndex="0" version="${version}" type="1"/>
  <NvItemData id="71" mcfgAttributes="0x19" mcfgVariant="1"><Member sizeOf="1" type="uint8">7</Member><Member sizeOf="1" type="uint8">${nv71}</Member></NvItemData>
  <NvTrlRecord><Member sizeOf="${tlvs.split(' ').length}" type="uint8">${tlvs}</Member></NvTrlRecord>
</NvData>`),
  );
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-sim-qcom-cli-'));
  await writeFile(
    join(dir, 'tmo.mbn'),
    mbn('0x0501050D', 5, { version: 0x0501050d, name: 'Commercial-TMO', iins: { list: [8901260] } }),
  );
  await writeFile(
    join(dir, 'att.mbn'),
    mbn('0x05010301', 3, { version: 0x05010301, name: 'ATT', iins: { list: [8901410] } }),
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nv sim qcom mcfg', () => {
  it('--json: selects by ICCID and lists what the modem wrote', async () => {
    const r = await runNv(
      ['--json', 'sim', 'qcom', 'mcfg', '--mbn', 'tmo.mbn', 'att.mbn', '--iccid', '8901410123456789012'],
      { cwd: dir },
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      selected: 'att.mbn',
      name: 'ATT',
      outcome: 'SELECTED_BY_IIN',
      active: 'att.mbn',
      activation: { id: 'att.mbn', outcome: 'APPLIED' },
      applied: [{ key: 'nv:71', target: '/nvm/num/71', action: 'written' }],
    });
    expect(j.loaded.map((l: { id: string; outcome: string }) => [l.id, l.outcome])).toEqual([
      ['tmo.mbn', 'LOADED'],
      ['att.mbn', 'LOADED'],
    ]);
  });

  it('--plmn selects by IMSI PLMN when no IIN matches', async () => {
    await writeFile(
      join(dir, 'ee.mbn'),
      mbn('0x05012201', 2, { version: 0x05012201, name: 'EE', plmns: { list: [{ mcc: 234, mnc: 30 }] } }),
    );
    const r = await runNv(
      [
        '--json',
        'sim',
        'qcom',
        'mcfg',
        '--mbn',
        'tmo.mbn',
        'ee.mbn',
        '--iccid',
        '8944000000000000000',
        '--plmn',
        '234-30',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({
      selected: 'ee.mbn',
      outcome: 'SELECTED_BY_PLMN',
      applied: [{ key: 'nv:71', action: 'written' }],
    });
  });

  it('no match → selected null, exit 0; human output without --json', async () => {
    const r = await runNv(['sim', 'qcom', 'mcfg', '--mbn', 'tmo.mbn', '--iccid', '8944000000000000000'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('selected: (none)');
  });

  it('no match: the text view says why, as the JSON does (issue 14.14)', async () => {
    // A family-10 file (refused at load) and a JO file whose IIN does not match the SIM.
    await writeFile(join(dir, 'fam10.mbn'), mbn('0x0A01050D', 5, { version: 0x0a01050d, iins: { list: [8944] } }));
    const args = ['sim', 'qcom', 'mcfg', '--mbn', 'fam10.mbn', 'tmo.mbn', '--iccid', '8944000000000000000'];
    const r = await runNv(args, { cwd: dir });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/refused fam10\.mbn: INCOMPATIBLE — trailer family 0xa ≠ modem family 0x5/);
    expect(r.stdout).toMatch(/not chosen tmo\.mbn: no IIN match \(IINs 8901260 vs ICCID 8944000000000000000\)/);
    const j = await runNv(['--json', ...args], { cwd: dir });
    expect(JSON.parse(j.stdout)).toMatchObject({
      selected: null,
      rejected: [{ id: 'tmo.mbn', reason: expect.stringContaining('no IIN match') }],
      loaded: [
        { id: 'fam10.mbn', ok: false, outcome: 'NV_SIM_MCFG_INCOMPATIBLE' },
        { id: 'tmo.mbn', ok: true },
      ],
    });
    // A format-4 file on a format-3 modem: loaded, matches, but its activation fails; the text says so.
    await writeFile(
      join(dir, 'v4.mbn'),
      buildMbn(
        parseMcfgXml(`<NvData McfgXmlVersion="2.0">
  <NvConfigurationData carrierIndex="0" version="0x0501050D" type="1"/>
  <NvItemData id="71" mcfgAttributes="0x09" mcfgVariant="1"><Member sizeOf="1" type="uint8">5</Member></NvItemData>
  <NvTrlRecord><Member sizeOf="1" type="uint8">${[...encodeTrailer({ version: 0x0501050d, iins: { list: [8944] } })].join(' ')}</Member></NvTrlRecord>
</NvData>`),
      ),
    );
    const v4 = await runNv(['sim', 'qcom', 'mcfg', '--mbn', 'v4.mbn', '--iccid', '8944000000000000000'], { cwd: dir });
    expect(v4.stdout).toMatch(/not chosen v4\.mbn: header format 4 .* ≠ the modem's format 3/);
  });

  it('--state keeps the device: the same SIM again activates nothing, a new SIM switches', async () => {
    const st = join(dir, 'state');
    const a = await runNv(
      [
        '--json',
        'sim',
        'qcom',
        'mcfg',
        '--mbn',
        'tmo.mbn',
        '--mbn',
        'att.mbn',
        '--iccid',
        '8901260123456789012',
        '--state',
        st,
      ],
      { cwd: dir },
    );
    expect(JSON.parse(a.stdout)).toMatchObject({ selected: 'tmo.mbn', activation: { outcome: 'APPLIED' } });
    expect((await readdir(st)).sort()).toEqual(['device.json', 'fsc.bin', 'fsg.bin', 'modemst1.bin', 'modemst2.bin']);
    const b = await runNv(
      ['--json', 'sim', 'qcom', 'mcfg', '--mbn', 'att.mbn', '--iccid', '8901260123456789012', '--state', st],
      { cwd: dir },
    );
    const jb = JSON.parse(b.stdout);
    expect(jb).toMatchObject({ selected: 'tmo.mbn', activation: null, active: 'tmo.mbn' });
    expect(jb.loaded[0]).toMatchObject({ id: 'att.mbn#2', outcome: 'LOADED' });
  });

  it('errors: bad ICCID → exit 1 NV_SIM_MCFG_BAD_ICCID; missing file → NV_NOT_FOUND; no --mbn → usage 2', async () => {
    const bad = await runNv(['--json', 'sim', 'qcom', 'mcfg', '--mbn', 'tmo.mbn', '--iccid', '12ab'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error.code).toBe('NV_SIM_MCFG_BAD_ICCID');
    const missing = await runNv(
      ['--json', 'sim', 'qcom', 'mcfg', '--mbn', 'nope.mbn', '--iccid', '8901260123456789012'],
      { cwd: dir },
    );
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

// The OpenSSL-made §6 vector of @nv/qcom-fsg-sign (test keys of the project; root eee6…, SW_ID 0, HW_ID 0x009600E100000000).
const VECTORS = fileURLToPath(new URL('../../../packages/qcom-fsg-sign/test/vectors/', import.meta.url));
const ROOT = 'eee6b2421976cc4ea6ae5ff632c80e92c9cda5617f13b31a7bbacf5a8f6d3d6d';
const BASE = ['--root-hash', ROOT, '--hw-id', '0x009600E100000000', '--sw-id', '0'];

describe('nv sim qcom boot', () => {
  beforeAll(async () => {
    await copyFile(join(VECTORS, 'fs.mbn.img'), join(dir, 'fs.img'));
    await copyFile(join(VECTORS, 'fs.mbn'), join(dir, 'fs.mbn'));
  });

  it('--json: restores the golden copy and lists NV items and EFS files', async () => {
    const r = await runNv(['--json', 'sim', 'qcom', 'boot', '--fsg', 'fs.img', ...BASE], { cwd: dir });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({ source: 'fsg', verified: true, crashed: false, nv: { '20000': '68656c6c6f' } });
    expect(j.error).toBeUndefined();
    expect(j.efs).toEqual([
      {
        path: '/nv/item_files/rfnv/00020000',
        kind: 'file',
        mode: 0o100644,
        size: 5,
        sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
      },
    ]);
  });

  it('refusal: a wrong HW_ID prints the result with the modem error and exits 1', async () => {
    const r = await runNv(
      [
        '--json',
        'sim',
        'qcom',
        'boot',
        '--fsg',
        'fs.img',
        '--root-hash',
        ROOT,
        '--hw-id',
        '0x009600E100000001',
        '--sw-id',
        '0',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      source: 'fsg',
      verified: false,
      error: { code: 'NV_FSG_HWID_MISMATCH', secboot: 15 },
      nv: {},
      efs: [],
    });
    const bare = await runNv(['--json', 'sim', 'qcom', 'boot', '--fsg', 'fs.mbn', ...BASE], { cwd: dir });
    expect(bare.code).toBe(1);
    expect(JSON.parse(bare.stdout).error.code).toBe('NV_FSG_IMG_SECTOR_MISSING');
  });

  it('--state: the second boot uses modemst and ignores fsg; the folder holds the partitions', async () => {
    const st = join(dir, 'phone');
    const a = await runNv(['--json', 'sim', 'qcom', 'boot', '--fsg', 'fs.img', ...BASE, '--state', st], { cwd: dir });
    expect(JSON.parse(a.stdout).source).toBe('fsg');
    const b = await runNv(['--json', 'sim', 'qcom', 'boot', ...BASE, '--state', st], { cwd: dir });
    const jb = JSON.parse(b.stdout);
    expect(jb.source).toMatch(/^modemst/);
    expect(jb).toMatchObject({ copies: { modemst1: 'sane', modemst2: 'sane' }, nv: { '20000': '68656c6c6f' } });
    // A modemst copy taken from the state folder boots a fresh device only under the same seed (device key).
    const c = await runNv(
      [
        '--json',
        'sim',
        'qcom',
        'boot',
        '--fsg',
        'fs.img',
        '--modemst1',
        join(st, 'modemst2.bin'),
        ...BASE,
        '--seed',
        'other',
      ],
      { cwd: dir },
    );
    expect(JSON.parse(c.stdout)).toMatchObject({ source: 'fsg', copies: { modemst1: 'tag-mismatch' } });
    const human = await runNv(['sim', 'qcom', 'boot', ...BASE, '--state', st], { cwd: dir });
    expect(human.stdout).toContain('source:   modemst');
  });

  it('--online: the modem writes its runtime state, listed in runtimeWrites and efs', async () => {
    const r = await runNv(['--json', 'sim', 'qcom', 'boot', '--fsg', 'fs.img', ...BASE, '--online'], { cwd: dir });
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j).toMatchObject({
      online: true,
      runtimeWrites: ['/policyman/ue_mode', '/policyman/rat_mask', '/policyman/svc_mode'],
    });
    expect(j.efs.map((f: { path: string }) => f.path)).toContain('/policyman/ue_mode');
  });

  it('usage errors exit 2 (bad root hash, bad id); a missing file exits 1 with NV_NOT_FOUND', async () => {
    const badRoot = await runNv(
      ['--json', 'sim', 'qcom', 'boot', '--fsg', 'fs.img', '--root-hash', 'abc', '--hw-id', '0', '--sw-id', '0'],
      { cwd: dir },
    );
    expect(badRoot.code).toBe(2);
    expect(JSON.parse(badRoot.stdout).error.code).toBe('NV_USAGE');
    const badId = await runNv(
      ['--json', 'sim', 'qcom', 'boot', '--fsg', 'fs.img', '--root-hash', ROOT, '--hw-id', 'zz', '--sw-id', '0'],
      { cwd: dir },
    );
    expect(badId.code).toBe(2);
    expect(JSON.parse(badId.stdout).error.code).toBe('NV_FSG_HWID_FORMAT');
    // Issue 14.11: a 32-bit HW_ID (the msm_part alone) is refused, not zero-extended to 0x00000000009600E1.
    const short = await runNv(
      [
        '--json',
        'sim',
        'qcom',
        'boot',
        '--fsg',
        'fs.img',
        '--root-hash',
        ROOT,
        '--hw-id',
        '0x009600E1',
        '--sw-id',
        '0',
      ],
      { cwd: dir },
    );
    expect(short.code).toBe(2);
    expect(JSON.parse(short.stdout).error).toMatchObject({
      code: 'NV_FSG_HWID_FORMAT',
      message: expect.stringContaining('0x009600E100000000'),
    });
    const missing = await runNv(['--json', 'sim', 'qcom', 'boot', '--fsg', 'nope.img', ...BASE], { cwd: dir });
    expect(missing.code).toBe(1);
    expect(JSON.parse(missing.stdout).error.code).toBe('NV_NOT_FOUND');
  });
});
