import { describe, it, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, rm, readFile, writeFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError, encodeUtf8 } from '@nv/core';
import { sampleLtable } from '@nv/mtk-nvram-ltable';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { createMtkDevice, upgradeMtkDevice, corruptMtkLid, mtkDeviceToFiles, mtkDeviceFromFiles, MTK_STATE_FILE } from '../src/mtk.ts';
import { saveMtkDevice, loadMtkDevice } from '../src/node-mtk.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const fromFiles = (files: { path: string; bytes: Uint8Array }[]) => {
  const map = new Map(files.map((f) => [f.path, f.bytes]));
  return mtkDeviceFromFiles(map.get(MTK_STATE_FILE)!, (p) => map.get(p));
};

describe('state folder (pure)', () => {
  it('round-trips a device, including damage, flags, a blank bin region and an assert', () => {
    for (const gen of ['moly-a', 'moly-b'] as const) {
      const d = createMtkDevice(sampleLtable(gen), { seed: 12 });
      corruptMtkLid(d, 'NVRAM_EF_FT_RF_CAL_LID', { record: 2 });
      corruptMtkLid(d, 'NVRAM_EF_SML_LID', { header: true });
      d.factoryResetFlag = true;
      expect(fromFiles(mtkDeviceToFiles(d))).toEqual(d);
      upgradeMtkDevice(d, sampleLtable(gen), 'format-all');
      expect(d.binRegion).toBeNull();
      expect(fromFiles(mtkDeviceToFiles(d))).toEqual(d);
    }
    const a = createMtkDevice(sampleLtable('moly-b'));
    corruptMtkLid(a, 'NVRAM_EF_SML_LID', { header: true });
    upgradeMtkDevice(a, sampleLtable('moly-b'), 'ota');
    expect(a.asserted).not.toBeNull();
    expect(fromFiles(mtkDeviceToFiles(a))).toEqual(a);
  });

  it('a mutated device.json or missing file gives NvError, never another exception', () => {
    const files = mtkDeviceToFiles(createMtkDevice(sampleLtable('moly-b')));
    const json = files[0]!.bytes;
    const map = new Map(files.map((f) => [f.path, f.bytes]));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: json.length - 1 }), fc.integer({ min: 0, max: 255 }), fc.boolean(), (at, byte, cut) => {
        const m = cut ? json.slice(0, at) : json.slice();
        if (!cut) m[at] = byte;
        try {
          mtkDeviceFromFiles(m, (p) => map.get(p));
        } catch (e) {
          expect(NvError.isInstance(e)).toBe(true);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
    const doc = JSON.parse(new TextDecoder().decode(json));
    doc.files[0].path = '../../etc/passwd';
    expect(() => mtkDeviceFromFiles(encodeUtf8(JSON.stringify(doc)), (p) => map.get(p))).toThrow(expect.objectContaining({ code: 'NV_SIM_MTK_BAD_STATE' }));
    expect(() => mtkDeviceFromFiles(json, () => undefined)).toThrow(expect.objectContaining({ code: 'NV_SIM_MTK_BAD_STATE' }));
    expect(() => mtkDeviceFromFiles(json, (p) => (p.startsWith('nvdata/') ? new Uint8Array(1) : map.get(p)))).toThrow(expect.objectContaining({ code: 'NV_SIM_MTK_BAD_STATE' }));
  });
});

describe('state folder (Node)', () => {
  it('saves to and loads from a folder; refuses to overwrite without force', async () => {
    const root = await mkdtemp(join(tmpdir(), 'nv-sim-mtk-'));
    dirs.push(root);
    const dir = join(root, 'state');
    const d = createMtkDevice(sampleLtable('moly-b'), { seed: 3 });
    await saveMtkDevice(dir, d);
    expect((await readdir(dir)).sort()).toEqual(['device.json', 'nvdata', 'nvram', 'protect_f', 'protect_s']);
    expect((await readFile(join(dir, 'nvdata/md/NVRAM/NVD_IMEI/LD0B_001'))).length).toBe(20);
    expect(await loadMtkDevice(dir)).toEqual(d);
    await expect(saveMtkDevice(dir, d)).rejects.toMatchObject({ code: 'NV_EXISTS' });
    upgradeMtkDevice(d, sampleLtable('moly-b'), 'firmware-upgrade');
    await saveMtkDevice(dir, d, { force: true });
    expect(await loadMtkDevice(dir)).toEqual(d);
    await writeFile(join(dir, 'nvdata/md/NVRAM/NVD_IMEI/LD0B_001'), new Uint8Array(3));
    await expect(loadMtkDevice(dir)).rejects.toMatchObject({ code: 'NV_SIM_MTK_BAD_STATE', path: join(dir, 'nvdata/md/NVRAM/NVD_IMEI/LD0B_001') });
    await expect(loadMtkDevice(join(root, 'nope'))).rejects.toMatchObject({ code: 'NV_NOT_FOUND' });
  });
});
