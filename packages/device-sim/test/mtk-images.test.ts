import { describe, it, expect, afterAll } from 'vitest';
import { mkdtemp, rm, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { sampleLtable, sampleLtableUpgrade } from '@nv/mtk-nvram-ltable/sample';
import { inspectBinRegion } from '@nv/mtk-lid-file';
import { buildExt4Image, listExt4Image, putExt4File } from '@nv/mtk-lid-file/node';
import { hasTool, nvErrorCodeAsync } from '../../../scripts/test-tools.ts';
import {
  backupMtkBinRegion,
  bootMtkDevice,
  cloneMtkDevice,
  createMtkDevice,
  mtkDeviceToFiles,
  upgradeMtkDevice,
  type MtkDevice,
} from '../src/mtk.ts';
import { corruptMtkLid } from '../src/mtk-device.ts';
import { dumpMtkDevice, loadMtkDevice, mtkStateHasImages, saveMtkDevice } from '../src/node-mtk.ts';
import { MTK_SIM_IMAGE_BYTES, MTK_SIM_NVRAM_TITLE_PREFIX } from '../src/node-mtk-images.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
const tmp = async (): Promise<string> => {
  const d = await mkdtemp(join(tmpdir(), 'nv-sim-mtk-img-'));
  dirs.push(d);
  return d;
};
// The state files of a device, as bytes by path: equal devices give equal files.
const filesOf = (d: MtkDevice) => new Map(mtkDeviceToFiles(d).map((f) => [f.path, f.bytes]));

describe('--images state folder', () => {
  it('keeps nvdata/protect1/protect2 as ext images and nvram as a bin region; load gives the same device', async () => {
    const dir = join(await tmp(), 'phone');
    const d = createMtkDevice(sampleLtable(), { seed: 5 });
    corruptMtkLid(d, 'NVRAM_EF_SMS_SETTING_LID', { record: 1 });
    await saveMtkDevice(dir, d, { images: true });
    expect((await readdir(dir)).sort()).toEqual([
      'device.json',
      'nvdata.img',
      'nvram.bin',
      'protect1.img',
      'protect2.img',
    ]);
    expect(await mtkStateHasImages(dir)).toBe(true);
    const nvdata = new Uint8Array(await readFile(join(dir, 'nvdata.img')));
    expect(nvdata.length).toBe(MTK_SIM_IMAGE_BYTES.nvdata);
    const paths = (await listExt4Image(nvdata)).filter((e) => e.type === 'file').map((e) => e.path);
    expect(paths.sort()).toEqual(
      Object.keys(d.partitions.nvdata)
        .sort()
        .filter((p) => paths.includes(p)),
    );
    expect(paths.length).toBe(Object.keys(d.partitions.nvdata).length);
    const bin = inspectBinRegion(new Uint8Array(await readFile(join(dir, 'nvram.bin'))), { blockSize: 0x20000 });
    expect(bin.files.map((f) => f.name).sort()).toEqual(
      Object.keys(d.binRegion!)
        .map((k) => `${MTK_SIM_NVRAM_TITLE_PREFIX}${k}`)
        .sort(),
    );
    const back = await loadMtkDevice(dir);
    expect(filesOf(back)).toEqual(filesOf(d));
  });

  it('boot, upgrade and backup on an image state keep the images (the folder layout is kept on save)', async () => {
    const dir = join(await tmp(), 'phone');
    const d = createMtkDevice(sampleLtable(), { seed: 9 });
    await saveMtkDevice(dir, d, { images: true });
    const ref = cloneMtkDevice(d);
    const dev = await loadMtkDevice(dir);
    upgradeMtkDevice(dev, sampleLtableUpgrade('safe'), 'firmware-upgrade');
    upgradeMtkDevice(ref, sampleLtableUpgrade('safe'), 'firmware-upgrade');
    await saveMtkDevice(dir, dev, { force: true });
    expect((await readdir(dir)).sort()).toContain('nvdata.img');
    expect(await readdir(dir)).not.toContain('nvdata');
    const again = await loadMtkDevice(dir);
    bootMtkDevice(again);
    bootMtkDevice(ref);
    backupMtkBinRegion(again);
    backupMtkBinRegion(ref);
    await saveMtkDevice(dir, again, { force: true });
    expect(filesOf(await loadMtkDevice(dir))).toEqual(filesOf(ref));
  });

  it('a blank bin region is an erased nvram.bin (0xFF) and loads back blank', async () => {
    const dir = join(await tmp(), 'phone');
    const d = createMtkDevice(sampleLtable(), { seed: 1 });
    d.binRegion = null;
    await saveMtkDevice(dir, d, { images: true });
    const nvram = new Uint8Array(await readFile(join(dir, 'nvram.bin')));
    expect(nvram.every((b) => b === 0xff)).toBe(true);
    expect((await loadMtkDevice(dir)).binRegion).toBeNull();
  });

  it('a byte edited through an image shows up on the device; a damaged image is an NvError naming it', async () => {
    const dir = join(await tmp(), 'phone');
    const d = createMtkDevice(sampleLtable(), { seed: 3 });
    await saveMtkDevice(dir, d, { images: true });
    const img = new Uint8Array(await readFile(join(dir, 'nvdata.img')));
    const target = Object.keys(d.partitions.nvdata).find((p) => p.includes('CALIBRAT'))!;
    const files = mtkDeviceToFiles(d);
    const body = Uint8Array.from(files.find((f) => f.path === `nvdata/${target}`)!.bytes);
    body[body.length - 1]! ^= 0xff;
    await writeFile(join(dir, 'nvdata.img'), (await putExt4File(img, target, body)).image);
    const loaded = await loadMtkDevice(dir);
    expect(
      loaded.partitions.nvdata[target]!.bad.length + (loaded.partitions.nvdata[target]!.headerOk ? 0 : 1),
    ).toBeGreaterThan(0);
    await writeFile(join(dir, 'nvdata.img'), await buildExt4Image([], { size: MTK_SIM_IMAGE_BYTES.nvdata }));
    expect(await nvErrorCodeAsync(loadMtkDevice(dir))).toBe('NV_SIM_MTK_BAD_STATE'); // an empty nvdata: listed files missing
    img.fill(0, 1024, 2048); // no superblock: not an ext image at all
    await writeFile(join(dir, 'nvdata.img'), img);
    await expect(loadMtkDevice(dir)).rejects.toMatchObject({ code: 'NV_LID_IMAGE_BAD', path: join(dir, 'nvdata.img') });
  });

  it('dump writes the four partition images of a folder-kind state too', async () => {
    const root = await tmp();
    const d = createMtkDevice(sampleLtable('moly-a'), { seed: 2 });
    await saveMtkDevice(join(root, 'folder-state'), d);
    expect(await mtkStateHasImages(join(root, 'folder-state'))).toBe(false);
    const r = await dumpMtkDevice(await loadMtkDevice(join(root, 'folder-state')), join(root, 'dump'));
    expect(r.files.map((f) => f.name)).toEqual(['nvdata.img', 'protect1.img', 'protect2.img', 'nvram.bin']);
    expect(await nvErrorCodeAsync(dumpMtkDevice(d, join(root, 'dump')))).toBe('NV_EXISTS');
  });

  describe.skipIf(!hasTool('e2fsck') || !hasTool('debugfs'))(
    'images against e2fsprogs (needs Debian e2fsprogs)',
    () => {
      it('every image is e2fsck-clean and debugfs reads the LID files the device wrote', async () => {
        const root = await tmp();
        const d = createMtkDevice(sampleLtable(), { seed: 4 });
        await dumpMtkDevice(d, join(root, 'dump'));
        for (const name of ['nvdata.img', 'protect1.img', 'protect2.img'])
          execFileSync('e2fsck', ['-fn', join(root, 'dump', name)], { stdio: 'ignore' });
        const files = mtkDeviceToFiles(d);
        for (const f of files.filter((x) => x.path.startsWith('protect_s/'))) {
          const out = join(root, 'x');
          execFileSync(
            'debugfs',
            ['-R', `dump /${f.path.slice('protect_s/'.length)} ${out}`, join(root, 'dump', 'protect2.img')],
            {
              stdio: 'ignore',
            },
          );
          expect(new Uint8Array(await readFile(out))).toEqual(f.bytes);
        }
      });
    },
  );
});
