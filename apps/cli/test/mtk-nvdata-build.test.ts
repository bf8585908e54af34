import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '../../../scripts/test-tools.ts';
import { runNv } from './_spawn.ts';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'nv-cli-build-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Entry = { path: string; type: string; size: number; mode: number; uid: number; gid: number };
const entriesOf = (s: string): Omit<Entry, 'inode'>[] =>
  (JSON.parse(s) as { entries: (Entry & { inode?: number })[] }).entries.map(({ inode: _i, ...e }) => e);

describe('nv mtk nvdata build (libext2fs writes the files)', () => {
  beforeAll(() => {
    mkdirSync(join(dir, 'src', 'md', 'NVRAM', 'CALIBRAT'), { recursive: true });
    mkdirSync(join(dir, 'src', 'APCFG', 'APRDEB'), { recursive: true });
    writeFileSync(join(dir, 'src', 'md', 'NVRAM', 'CALIBRAT', 'MT79_002'), new Uint8Array(5000).fill(7));
    writeFileSync(join(dir, 'src', 'APCFG', 'APRDEB', 'WIFI'), new Uint8Array([1, 2, 3, 4, 0xaa, 2]));
  });

  it('defaults to system:system 0771/0660, refuses to overwrite, and a too-small --size is NV_LID_IMAGE_FULL', async () => {
    const r = await runNv(['mtk', 'nvdata', 'build', 'src', '-o', 'a.img', '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ files: 2, folders: 5, size: 1024 * 1024 });
    const ls = await runNv(['mtk', 'nvdata', 'ls', 'a.img', '--json'], { cwd: dir });
    const by = new Map(entriesOf(ls.stdout).map((e) => [e.path, e]));
    expect(by.get('md/NVRAM/CALIBRAT/MT79_002')).toMatchObject({ size: 5000, mode: 0o660, uid: 1000, gid: 1000 });
    expect(by.get('APCFG/APRDEB')).toMatchObject({ type: 'dir', mode: 0o771 });
    const again = await runNv(['mtk', 'nvdata', 'build', 'src', '-o', 'a.img'], { cwd: dir });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('NV_EXISTS');
    const small = await runNv(['mtk', 'nvdata', 'build', 'src', '-o', 'small.img', '--size', '256K', '--json'], {
      cwd: dir,
    });
    writeFileSync(join(dir, 'src', 'big'), new Uint8Array(300_000));
    const full = await runNv(['mtk', 'nvdata', 'build', 'src', '-o', 'full.img', '--size', '256K', '--json'], {
      cwd: dir,
    });
    rmSync(join(dir, 'src', 'big'));
    expect(small.code).toBe(0);
    expect(full.code).toBe(1);
    expect(full.stdout + full.stderr).toContain('NV_LID_IMAGE_FULL');
    const bad = await runNv(['mtk', 'nvdata', 'build', 'src', '-o', 'x.img', '--size', 'lots'], { cwd: dir });
    expect(bad.code).toBe(2);
  });

  describe.skipIf(!hasTool('mke2fs') || !hasTool('debugfs') || !hasTool('e2fsck'))(
    'against e2fsprogs (needs Debian e2fsprogs)',
    () => {
      it('mke2fs image → ls --json + extract → build --owners: the same tree, owners and bytes; e2fsck clean', async () => {
        // The reference image: Debian's mke2fs -d, owners set with debugfs (root-less).
        execFileSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-d', join(dir, 'src'), join(dir, 'ref.img'), '4M']);
        for (const cmd of [
          'set_inode_field /md/NVRAM/CALIBRAT/MT79_002 uid 0',
          'set_inode_field /md/NVRAM/CALIBRAT/MT79_002 gid 1000',
          'set_inode_field /md/NVRAM/CALIBRAT/MT79_002 mode 0100640',
          'set_inode_field /APCFG mode 040750',
        ])
          execFileSync('debugfs', ['-w', '-R', cmd, join(dir, 'ref.img')], { stdio: 'ignore' });
        const ref = await runNv(['mtk', 'nvdata', 'ls', 'ref.img', '--json'], { cwd: dir });
        writeFileSync(join(dir, 'owners.json'), ref.stdout);
        expect((await runNv(['mtk', 'nvdata', 'extract', 'ref.img', '-o', 'out'], { cwd: dir })).code).toBe(0);
        const b = await runNv(
          ['mtk', 'nvdata', 'build', 'out', '-o', 'copy.img', '--owners', 'owners.json', '--size', '4M', '--json'],
          { cwd: dir },
        );
        expect(b.code).toBe(0);
        expect(JSON.parse(b.stdout).owners.defaults).toBe(0);
        const copy = await runNv(['mtk', 'nvdata', 'ls', 'copy.img', '--json'], { cwd: dir });
        // Folder sizes are whole blocks (mke2fs took 1 KiB blocks for 4 MiB, the formatter 4 KiB): compared without.
        const noDirSize = (l: Omit<Entry, 'inode'>[]) => l.map((e) => (e.type === 'dir' ? { ...e, size: 0 } : e));
        expect(noDirSize(entriesOf(copy.stdout))).toEqual(noDirSize(entriesOf(ref.stdout)));
        execFileSync('e2fsck', ['-fn', join(dir, 'copy.img')], { stdio: 'ignore' });
        execFileSync(
          'debugfs',
          ['-R', `dump /md/NVRAM/CALIBRAT/MT79_002 ${join(dir, 'dumped')}`, join(dir, 'copy.img')],
          {
            stdio: 'ignore',
          },
        );
        expect(readFileSync(join(dir, 'dumped'))).toEqual(
          readFileSync(join(dir, 'src', 'md', 'NVRAM', 'CALIBRAT', 'MT79_002')),
        );
        const st = execFileSync('debugfs', [
          '-R',
          'stat /md/NVRAM/CALIBRAT/MT79_002',
          join(dir, 'copy.img'),
        ]).toString();
        expect(st).toMatch(/Mode:\s+0640/);
      });
    },
  );
});
