import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToBytes } from '@nv/core/bytes';
import { encodeLidFiles, type LidEntry } from '@nv/mtk-lid-file';
import { hasTool } from '../../../scripts/test-tools.ts';
import { runNv } from './_spawn.ts';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'nv-cli-img-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const json = (s: string): unknown => JSON.parse(s);

const entry: LidEntry = {
  lid: 0x33,
  size: 4,
  records: 2,
  attr: 4,
  category: 0,
  attributes: ['MULTIPLE'],
  prefix: 'AB12',
  verno: '001',
};

describe.skipIf(!hasTool('mke2fs') || !hasTool('debugfs'))('nv mtk nvdata (needs e2fsprogs: mke2fs, debugfs)', () => {
  const dbg = (image: string, cmd: string): string =>
    execFileSync('debugfs', ['-R', cmd, image], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('latin1');
  beforeAll(() => {
    const src = join(dir, 'nvdata-src', 'md', 'NVRAM', 'NVD_DATA');
    mkdirSync(src, { recursive: true });
    for (const f of encodeLidFiles([hexToBytes('01020304'), hexToBytes('05060708')], entry, { generation: 'B' }))
      writeFileSync(join(src, f.name), f.bytes);
    writeFileSync(join(dir, 'nvdata-src', 'md', 'README'), 'not a LID');
    execFileSync(
      'mke2fs',
      ['-q', '-F', '-t', 'ext4', '-b', '1024', '-d', join(dir, 'nvdata-src'), join(dir, 'nvdata.img'), '2M'],
      {
        stdio: 'ignore',
      },
    );
    execFileSync(
      'debugfs',
      [
        '-w',
        '-R',
        'ea_set /md/NVRAM/NVD_DATA/AB12A001 security.selinux u:object_r:nvdata_file:s0',
        join(dir, 'nvdata.img'),
      ],
      { stdio: 'ignore' },
    );
  });

  it('ls --json lists the tree; verify passes; extract writes the files', async () => {
    const ls = await runNv(['mtk', 'nvdata', 'ls', 'nvdata.img', '--json'], { cwd: dir });
    expect(ls.code).toBe(0);
    const entries = (json(ls.stdout) as { entries: { path: string; type: string; label: string | null }[] }).entries;
    expect(entries.filter((e) => e.type === 'file').map((e) => e.path)).toEqual([
      'md/NVRAM/NVD_DATA/AB12A001',
      'md/NVRAM/NVD_DATA/AB12B001',
      'md/README',
    ]);
    // SELinux labels (set by debugfs ea_set above, read by our own xattr reader).
    const labels = Object.fromEntries(entries.map((e) => [e.path, e.label]));
    expect(labels['md/NVRAM/NVD_DATA/AB12A001']).toBe('u:object_r:nvdata_file:s0');
    expect(labels['md/README']).toBeNull();
    const human = await runNv(['mtk', 'nvdata', 'ls', 'nvdata.img'], { cwd: dir });
    expect(human.stdout).toMatch(/u:object_r:nvdata_file:s0\s+md\/NVRAM\/NVD_DATA\/AB12A001/);
    const v = await runNv(['mtk', 'nvdata', 'verify', 'nvdata.img', '--json'], { cwd: dir });
    expect(v.code).toBe(0);
    expect((json(v.stdout) as { ok: boolean; files: { path: string }[] }).files.map((f) => f.path)).toEqual([
      'md/NVRAM/NVD_DATA/AB12A001',
      'md/NVRAM/NVD_DATA/AB12B001',
    ]);
    const lv = await runNv(['mtk', 'lid', 'verify', 'nvdata.img', '--json'], { cwd: dir });
    expect(json(lv.stdout)).toEqual(json(v.stdout)); // nv mtk lid verify takes the image too
    const x = await runNv(['mtk', 'nvdata', 'extract', 'nvdata.img', '-o', 'out', '--json'], { cwd: dir });
    expect(x.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'md', 'README'), 'utf8')).toBe('not a LID');
    const again = await runNv(['mtk', 'nvdata', 'extract', 'nvdata.img', '-o', 'out'], { cwd: dir });
    expect(again.code).toBe(1); // no overwrite without --force
  });

  it('put writes a new image (label kept); a bad LID makes verify exit 1; never in place', async () => {
    const bad = new Uint8Array(readFileSync(join(dir, 'nvdata-src', 'md', 'NVRAM', 'NVD_DATA', 'AB12A001')));
    bad[bad.length - 1] = bad[bad.length - 1]! ^ 0xff;
    writeFileSync(join(dir, 'AB12A001'), bad);
    const inPlace = await runNv(['mtk', 'nvdata', 'put', 'nvdata.img', 'AB12A001', '-o', 'nvdata.img'], { cwd: dir });
    expect(inPlace.code).toBe(2);
    const r = await runNv(['mtk', 'nvdata', 'put', 'nvdata.img', 'AB12A001', '-o', 'new.img', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toMatchObject({
      action: 'replaced',
      target: 'md/NVRAM/NVD_DATA/AB12A001',
      before: { label: 'u:object_r:nvdata_file:s0' },
      after: { label: 'u:object_r:nvdata_file:s0' },
    });
    expect(dbg(join(dir, 'new.img'), 'ea_get /md/NVRAM/NVD_DATA/AB12A001 security.selinux')).toContain('nvdata_file');
    expect(new Uint8Array(Buffer.from(dbg(join(dir, 'new.img'), 'cat /md/NVRAM/NVD_DATA/AB12A001'), 'latin1'))).toEqual(
      bad,
    );
    const v = await runNv(['mtk', 'nvdata', 'verify', 'new.img', '--json'], { cwd: dir });
    expect(v.code).toBe(1);
    writeFileSync(join(dir, 'README'), 'new text');
    const missing = await runNv(['mtk', 'nvdata', 'put', 'nvdata.img', 'README', '-o', 'x.img', '--json'], {
      cwd: dir,
    });
    expect(missing.code).toBe(0); // README is found by name under md/
    writeFileSync(join(dir, 'ZZ99_001'), Uint8Array.of(1));
    const absent = await runNv(['mtk', 'nvdata', 'put', 'nvdata.img', 'ZZ99_001', '-o', 'y.img', '--json'], {
      cwd: dir,
    });
    expect(absent.code).toBe(1);
    expect(absent.stdout + absent.stderr).toContain('NV_LID_IMAGE_NO_FILE');
  });

  it('a file that is not an ext image fails with NV_LID_IMAGE_BAD', async () => {
    writeFileSync(join(dir, 'junk.img'), new Uint8Array(8192));
    const r = await runNv(['mtk', 'nvdata', 'ls', 'junk.img', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('NV_LID_IMAGE_BAD');
  });
});

describe.skipIf(!hasTool('python3'))('nv mtk nvram patch|build (needs python3: the spec-table generator)', () => {
  it('inspect → extract → build --layout is byte-identical to the generated region (bad block skipped)', async () => {
    const script = new URL('../../../packages/mtk-lid-file/scripts/make-bin-region.py', import.meta.url).pathname;
    execFileSync('python3', [script, join(dir, 'nvram.bin')]);
    const ins = await runNv(
      ['mtk', 'nvram', 'inspect', 'nvram.bin', '--block-size', '0x1000', '--json', '--extract', 'bx'],
      {
        cwd: dir,
      },
    );
    writeFileSync(join(dir, 'layout.json'), ins.stdout);
    const b = await runNv(
      [
        'mtk',
        'nvram',
        'build',
        'bx',
        '--layout',
        'layout.json',
        '--bad-block-fill',
        '0x5a',
        '-o',
        'rebuilt.bin',
        '--json',
      ],
      { cwd: dir },
    );
    expect(b.code).toBe(0);
    expect(readFileSync(join(dir, 'rebuilt.bin'))).toEqual(readFileSync(join(dir, 'nvram.bin')));
    // Without a layout: sorted names, default geometry; the reader accepts it.
    const plain = await runNv(['mtk', 'nvram', 'build', 'bx', '--block-size', '0x1000', '-o', 'plain.bin'], {
      cwd: dir,
    });
    expect(plain.code).toBe(0);
    const ins2 = await runNv(['mtk', 'nvram', 'inspect', 'plain.bin', '--block-size', '0x1000', '--json'], {
      cwd: dir,
    });
    const out2 = json(ins2.stdout) as { checksum: { ok: boolean }; files: { name: string }[] };
    expect(out2.checksum.ok).toBe(true);
    expect(out2.files.map((f) => f.name)).toContain('mnt/vendor/nvdata/md/NVRAM/NVD_IMEI/LD0B_001');
  });

  it('patch replaces one file: ulCheckSum recomputed, the other bytes kept; size change refused', async () => {
    const wifi = new Uint8Array(readFileSync(join(dir, 'bx', 'WIFI')));
    wifi[10] = wifi[10]! ^ 0xff; // the AP trailer is fixed by patch
    writeFileSync(join(dir, 'WIFI'), wifi);
    const r = await runNv(
      ['mtk', 'nvram', 'patch', 'nvram.bin', '--lid', 'WIFI', '--block-size', '0x1000', '-o', 'p.bin', '--json'],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(0);
    const ins = await runNv(['mtk', 'nvram', 'inspect', 'p.bin', '--block-size', '0x1000', '--json'], { cwd: dir });
    const o = json(ins.stdout) as { checksum: { ok: boolean }; files: { name: string; ok: boolean }[] };
    expect(o.checksum.ok).toBe(true);
    expect(o.files.find((f) => f.name === 'WIFI')!.ok).toBe(true);
    const a = readFileSync(join(dir, 'nvram.bin'));
    const p = readFileSync(join(dir, 'p.bin'));
    const diff = [...a.keys()].filter((i) => a[i] !== p[i]);
    expect(diff.length).toBeGreaterThan(0);
    expect(diff.length).toBeLessThanOrEqual(7); // one data byte, the CheckNo and ulCheckSum
    expect(diff.every((i) => i < 2 * 0x1000 || (i >= 3 * 0x1000 && i < 4 * 0x1000))).toBe(true); // bad block 2 untouched
    writeFileSync(join(dir, 'WIFI'), wifi.subarray(1));
    const sized = await runNv(
      ['mtk', 'nvram', 'patch', 'nvram.bin', '--lid', 'WIFI', '--block-size', '0x1000', '-o', 'q.bin'],
      {
        cwd: dir,
      },
    );
    expect(sized.code).toBe(1);
    expect(sized.stdout + sized.stderr).toContain('NV_LID_AP_BAD_SIZE');
  });
});

describe('nv mtk ap ls|decode|verify', () => {
  const fileVer = new Uint8Array(148);
  [...'NVRAM_VER_INFO'].forEach((c, i) => (fileVer[i] = c.charCodeAt(0)));
  fileVer.set([0x30, 0x30, 0x30], 70);
  [...'WIFI'].forEach((c, i) => (fileVer[74 + i] = c.charCodeAt(0)));
  fileVer.set([0x30, 0x30, 0x31], 74 + 70);
  beforeAll(() => {
    mkdirSync(join(dir, 'ap', 'APCFG', 'APRDEB'), { recursive: true });
    mkdirSync(join(dir, 'ap', 'APCFG', 'APRDCL'), { recursive: true });
    mkdirSync(join(dir, 'ap', 'md', 'NVRAM'), { recursive: true });
    writeFileSync(join(dir, 'ap', 'APCFG', 'APRDEB', 'WIFI'), Uint8Array.of(1, 2, 3, 4, 0xaa, 0x02));
    writeFileSync(join(dir, 'ap', 'APCFG', 'APRDCL', 'FILE_VER'), fileVer);
    writeFileSync(join(dir, 'ap', 'md', 'NVRAM', 'LD0B_001'), Uint8Array.of(0)); // not an AP file: ignored
  });

  it('verify a folder (only APCFG files), the lid-verify shape; a bad trailer exits 1', async () => {
    const r = await runNv(['mtk', 'ap', 'verify', 'ap', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const doc = json(r.stdout) as { ok: boolean; files: { path: string; ok: boolean; ver?: string }[] };
    expect(doc.files.map((f) => [f.path, f.ok, f.ver])).toEqual([
      ['ap/APCFG/APRDCL/FILE_VER', true, undefined],
      ['ap/APCFG/APRDEB/WIFI', true, '001'],
    ]);
    const ls = await runNv(['mtk', 'ap', 'ls', 'ap', '--json'], { cwd: dir });
    expect((json(ls.stdout) as { files: unknown[] }).files).toHaveLength(2);
    writeFileSync(join(dir, 'ap', 'APCFG', 'APRDEB', 'WIFI'), Uint8Array.of(1, 2, 3, 4, 0xaa, 0x07));
    const bad = await runNv(['mtk', 'ap', 'verify', 'ap', '--json'], { cwd: dir });
    expect(bad.code).toBe(1);
    const d = await runNv(['mtk', 'ap', 'decode', join('ap', 'APCFG', 'APRDEB', 'WIFI'), '--json'], { cwd: dir });
    expect(d.code).toBe(1);
    expect(json(d.stdout)).toMatchObject({ kind: 'ap', trailer: 'bad', stored: 7, computed: 2, data: '01020304' });
    const fv = await runNv(['mtk', 'ap', 'decode', join('ap', 'APCFG', 'APRDCL', 'FILE_VER'), '--json'], { cwd: dir });
    expect((json(fv.stdout) as { entries: { name: string }[] }).entries.map((e) => e.name)).toEqual([
      'NVRAM_VER_INFO',
      'WIFI',
    ]);
    writeFileSync(join(dir, 'ap', 'APCFG', 'APRDEB', 'WIFI'), Uint8Array.of(1, 2, 3, 4, 0xaa, 0x02));
  });

  it.skipIf(!hasTool('mke2fs'))('verify an ext4 image the same way (needs mke2fs)', async () => {
    execFileSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-b', '1024', '-d', join(dir, 'ap'), join(dir, 'ap.img'), '2M'], {
      stdio: 'ignore',
    });
    const r = await runNv(['mtk', 'ap', 'verify', 'ap.img', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect((json(r.stdout) as { files: { path: string }[] }).files.map((f) => f.path)).toEqual([
      'APCFG/APRDCL/FILE_VER',
      'APCFG/APRDEB/WIFI',
    ]);
  });
});
