import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serializeLtableJson } from '@nv/mtk-nvram-ltable';
import { sampleLtable, sampleLtableUpgrade } from '@nv/mtk-nvram-ltable/sample';
import { runNv } from './_spawn.ts';

const SCATTER = fileURLToPath(
  new URL('../../../packages/mtk-nvram-ltable/test/fixtures/MT6765_Android_scatter.txt', import.meta.url),
);
let dir = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-sim-mtk-img-cli-'));
  await writeFile(join(dir, 'old.json'), serializeLtableJson(sampleLtable()));
  await writeFile(join(dir, 'new.json'), serializeLtableJson(sampleLtableUpgrade('safe')));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
const nv = async (...args: string[]): Promise<Record<string, unknown>> => {
  const r = await runNv([...args, '--json'], { cwd: dir });
  if (r.code !== 0) throw new Error(`nv ${args.join(' ')} exited ${r.code}: ${r.stdout}${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
};
type Entry = { path: string; type: string; size: number; mode: number; uid: number; gid: number; inode?: number };
const lsOf = async (image: string): Promise<Map<string, Entry>> =>
  new Map(((await nv('mtk', 'nvdata', 'ls', image)).entries as Entry[]).map((e) => [e.path, e]));

describe('nv sim mtk --images: dump → plan → upgrade → dump → diff, as a factory does', () => {
  it('keeps calibration through a firmware upgrade planned from the scatter file, on image files only', async () => {
    const init = await nv('sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'phone', '--images');
    expect(init).toMatchObject({ firmware: 'build-1' });
    expect((await readdir(join(dir, 'phone'))).sort()).toEqual([
      'device.json',
      'nvdata.img',
      'nvram.bin',
      'protect1.img',
      'protect2.img',
    ]);

    // 1. read back the partitions
    const d1 = await nv('sim', 'mtk', 'dump', '--state', 'phone', '-o', 'before');
    expect((d1.files as { name: string }[]).map((f) => f.name)).toEqual([
      'nvdata.img',
      'protect1.img',
      'protect2.img',
      'nvram.bin',
    ]);
    expect((await nv('mtk', 'nvdata', 'verify', 'before/nvdata.img', '--ltable', 'old.json')).ok).toBe(true);
    const bin = await nv('mtk', 'nvram', 'inspect', 'before/nvram.bin', '--block-size', '0x20000');
    expect((bin.files as { name: string }[]).map((f) => f.name)).toContain(
      '/mnt/vendor/nvdata/md/NVRAM/CALIBRAT/FT02_002',
    );

    // 2. plan: the scatter file and the download list decide the mode
    const plan = await nv(
      'mtk',
      'ltable',
      'plan',
      '--from',
      'old.json',
      '--to',
      'new.json',
      '--scatter',
      SCATTER,
      '--download',
      'nvdata,md1img',
    );
    expect(plan.mode).toBe('firmware-upgrade');

    // 3. the simulated upgrade in that mode, on the image state
    const up = await nv(
      'sim',
      'mtk',
      'upgrade',
      '--state',
      'phone',
      '--from',
      'old.json',
      '--to',
      'new.json',
      '--mode',
      plan.mode as string,
      '--fail-on-loss',
    );
    expect(up.lost).toEqual([]);
    expect((up.planner as { agree: boolean }).agree).toBe(true);
    expect(await readdir(join(dir, 'phone'))).toContain('nvdata.img');

    // 4. read back again and diff
    await nv('sim', 'mtk', 'dump', '--state', 'phone', '-o', 'after');
    expect((await nv('mtk', 'nvdata', 'verify', 'after/nvdata.img', '--ltable', 'new.json')).ok).toBe(true);
    const before = await lsOf('before/nvdata.img');
    const after = await lsOf('after/nvdata.img');
    const calib = [...before.keys()].filter((p) => p.startsWith('md/NVRAM/CALIBRAT/') && after.has(p));
    expect(calib.length).toBeGreaterThanOrEqual(2);
    await nv('mtk', 'nvdata', 'extract', 'before/nvdata.img', '-o', 'before-files');
    await nv('mtk', 'nvdata', 'extract', 'after/nvdata.img', '-o', 'after-files');
    for (const p of calib) {
      // nvdata was erased and CALIBRAT came back from the bin region: same bytes, same owner and mode.
      expect(await readFile(join(dir, 'after-files', p)), p).toEqual(await readFile(join(dir, 'before-files', p)));
      const { inode: _a, ...a } = after.get(p)!;
      const { inode: _b, ...b } = before.get(p)!;
      expect(a).toEqual(b);
    }
    // Unit data on protect2 (IMEI, SIM lock) is untouched by a firmware upgrade: the image holds the same files.
    await nv('mtk', 'nvdata', 'extract', 'before/protect2.img', '-o', 'p2-before');
    await nv('mtk', 'nvdata', 'extract', 'after/protect2.img', '-o', 'p2-after');
    const p2 = (await readdir(join(dir, 'p2-before', 'md'))).sort();
    expect(p2.length).toBeGreaterThan(0);
    for (const f of p2)
      expect(await readFile(join(dir, 'p2-after', 'md', f))).toEqual(await readFile(join(dir, 'p2-before', 'md', f)));
    // The boot of the new firmware reads every LID from the images.
    const boot = await nv('sim', 'mtk', 'boot', '--state', 'phone');
    expect(boot.asserted).toBeUndefined();
  }, 400_000); // about twenty spawned runs of the CLI

  it('dump refuses an existing folder without --force; a state folder without images dumps too', async () => {
    await nv('sim', 'mtk', 'init', '--ltable', 'old.json', '--state', 'folders');
    await nv('sim', 'mtk', 'dump', '--state', 'folders', '-o', 'fdump');
    const again = await runNv(['sim', 'mtk', 'dump', '--state', 'folders', '-o', 'fdump', '--json'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout)).toMatchObject({ error: { code: 'NV_EXISTS' } });
    expect((await readdir(join(dir, 'folders'))).sort()).toContain('nvdata');
    // upgrade creating a new state takes --images too
    await nv(
      'sim',
      'mtk',
      'upgrade',
      '--state',
      'fresh',
      '--from',
      'old.json',
      '--to',
      'new.json',
      '--mode',
      'ota',
      '--images',
    );
    expect((await readdir(join(dir, 'fresh'))).sort()).toContain('protect2.img');
  }, 180_000);
});
