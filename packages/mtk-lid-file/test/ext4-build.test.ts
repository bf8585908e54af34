import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FUZZ_RUNS, hasTool, nvErrorCode, nvErrorCodeAsync } from '../../../scripts/test-tools.ts';
import { formatExt4Image } from '../src/ext4-format.ts';
import { buildExt4Image, listExt4Image, putExt4File, readExt4Files } from '../src/node.ts';

const MIB = 1024 * 1024;
const u32 = (b: Uint8Array, o: number): number => new DataView(b.buffer, b.byteOffset).getUint32(o, true);
const u16 = (b: Uint8Array, o: number): number => new DataView(b.buffer, b.byteOffset).getUint16(o, true);
const popcount = (b: Uint8Array): number => {
  let n = 0;
  for (const x of b) for (let v = x; v; v &= v - 1) n++;
  return n;
};

describe('formatExt4Image (no tool needed)', () => {
  it('writes the superblock magic, rev 1, 4 KiB blocks and the feature set libext2fs takes', () => {
    const img = formatExt4Image(2 * MIB, { label: 'nvdata', time: 1_700_000_000 });
    expect(img.length).toBe(2 * MIB);
    expect(u16(img, 1024 + 56)).toBe(0xef53);
    expect(u32(img, 1024 + 76)).toBe(1); // s_rev_level
    expect(1024 << u32(img, 1024 + 24)).toBe(4096);
    expect(u32(img, 1024 + 4)).toBe(512); // blocks
    expect(u32(img, 1024 + 96)).toBe(0x2); // incompat: filetype only
    expect(new TextDecoder().decode(img.subarray(1024 + 120, 1024 + 126))).toBe('nvdata');
  });

  it('sizes out of range and bad options are NvErrors', () => {
    expect(nvErrorCode(() => formatExt4Image(1000))).toBe('NV_LIMIT');
    expect(nvErrorCode(() => formatExt4Image(2 ** 40))).toBe('NV_LIMIT');
    expect(nvErrorCode(() => formatExt4Image(1024 * MIB + 4096))).toBe('NV_LIMIT'); // over the 1 GiB in-memory bound
    expect(nvErrorCode(() => formatExt4Image(MIB, { label: 'x'.repeat(17) }))).toBe('NV_BAD_INPUT');
    expect(nvErrorCode(() => formatExt4Image(MIB, { uuid: new Uint8Array(3) }))).toBe('NV_BAD_INPUT');
    expect(nvErrorCode(() => formatExt4Image(MIB, { bytesPerInode: 10 }))).toBe('NV_BAD_INPUT');
  });

  it('property: free counts in the superblock equal the bitmaps of every group, and ext2fs lists only lost+found', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 64, max: 34_000 }), // blocks: one or two groups
        fc.constantFrom(4096, 8192, 16384, 65536),
        async (blocks, ratio) => {
          const img = formatExt4Image(blocks * 4096 + (blocks % 7) * 100, { bytesPerInode: ratio });
          const sb = 1024;
          const total = u32(img, sb + 4);
          const ipg = u32(img, sb + 40);
          const groups = Math.ceil(total / 32768);
          let freeB = 0,
            freeI = 0;
          for (let g = 0; g < groups; g++) {
            const gd = 4096 + g * 32;
            const bb = img.subarray(u32(img, gd) * 4096, u32(img, gd) * 4096 + 4096);
            const ib = img.subarray(u32(img, gd + 4) * 4096, u32(img, gd + 4) * 4096 + 4096);
            const inGroup = Math.min(32768, total - g * 32768);
            expect(inGroup - (popcount(bb) - (32768 - inGroup))).toBe(u16(img, gd + 12));
            expect(ipg - (popcount(ib) - (32768 - ipg))).toBe(u16(img, gd + 14));
            freeB += u16(img, gd + 12);
            freeI += u16(img, gd + 14);
          }
          expect(u32(img, sb + 12)).toBe(freeB);
          expect(u32(img, sb + 16)).toBe(freeI);
          const list = await listExt4Image(img);
          expect(list.map((e) => e.path)).toEqual(['lost+found']);
        },
      ),
      { numRuns: Math.min(FUZZ_RUNS, 12) },
    );
  });
});

describe('buildExt4Image (libext2fs writes the files)', () => {
  const big = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 31) & 0xff);
  const entries = [
    { path: 'md/NVRAM/NVD_IMEI/LD0B_001', type: 'file' as const, bytes: new Uint8Array([1, 2, 3, 4]) },
    { path: 'md/NVRAM/CALIBRAT/LD00_001', type: 'file' as const, bytes: big, uid: 0, gid: 1000, mode: 0o640 },
    { path: 'APCFG', type: 'dir' as const, mode: 0o750 },
  ];

  it('reads back through the package reader with the owners, modes and bytes given (defaults elsewhere)', async () => {
    const img = await buildExt4Image(entries, { label: 'nvdata' });
    expect(img.length % MIB).toBe(0); // the default size: whole MiB
    const list = await listExt4Image(img);
    const by = new Map(list.map((e) => [e.path, e]));
    expect([...by.keys()].sort()).toEqual(
      [
        'APCFG',
        'lost+found',
        'md',
        'md/NVRAM',
        'md/NVRAM/CALIBRAT',
        'md/NVRAM/CALIBRAT/LD00_001',
        'md/NVRAM/NVD_IMEI',
        'md/NVRAM/NVD_IMEI/LD0B_001',
      ].sort(),
    );
    expect(by.get('md/NVRAM/CALIBRAT/LD00_001')).toMatchObject({ mode: 0o640, uid: 0, gid: 1000, size: 300_000 });
    expect(by.get('md/NVRAM/NVD_IMEI/LD0B_001')).toMatchObject({ mode: 0o660, uid: 1000, gid: 1000 });
    expect(by.get('md')).toMatchObject({ type: 'dir', mode: 0o771, uid: 1000 });
    expect(by.get('APCFG')).toMatchObject({ type: 'dir', mode: 0o750 });
    const files = await readExt4Files(img);
    expect(files.get('md/NVRAM/CALIBRAT/LD00_001')).toEqual(big);
    // and the existing writer (put) works on it
    const put = await putExt4File(img, 'md/NVRAM/NVD_IMEI/LD0B_001', new Uint8Array([9, 9]));
    expect(put.after).toMatchObject({ size: 2, mode: 0o660 });
  });

  it('too small a size is NV_LID_IMAGE_FULL; a path twice or a file-folder clash NV_BAD_INPUT', async () => {
    const many = Array.from({ length: 3 }, (_, i) => ({
      path: `f${i}`,
      type: 'file' as const,
      bytes: new Uint8Array(100_000),
    }));
    expect(await nvErrorCodeAsync(buildExt4Image(many, { size: 256 * 1024 }))).toBe('NV_LID_IMAGE_FULL');
    expect(
      await nvErrorCodeAsync(
        buildExt4Image([
          { path: 'a', type: 'dir' },
          { path: '/a/', type: 'dir' },
        ]),
      ),
    ).toBe('NV_BAD_INPUT');
    expect(
      await nvErrorCodeAsync(
        buildExt4Image([
          { path: 'a', type: 'file' },
          { path: 'a/b', type: 'file' },
        ]),
      ),
    ).toBe('NV_BAD_INPUT');
    expect(await nvErrorCodeAsync(buildExt4Image([{ path: '../x', type: 'file' }]))).toBe('NV_BAD_INPUT');
  });

  describe.skipIf(!hasTool('e2fsck') || !hasTool('debugfs'))('against e2fsprogs (needs Debian e2fsprogs)', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'nv-ext4-build-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const run = (cmd: string, args: string[]): string =>
      execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

    it.each([
      ['256 KiB', 256 * 1024],
      ['32 MiB', 32 * MIB],
      ['129 MiB + 40 KiB (a last group too small is left out)', 129 * MIB + 40 * 1024],
      ['300 MiB (10 groups, sparse backups)', 300 * MIB],
    ])('an empty image of %s passes e2fsck -fn and debugfs lists lost+found', (_name, size) => {
      const p = join(dir, `empty-${size}.img`);
      writeFileSync(p, formatExt4Image(size, { label: 'protect1', time: 1_700_000_000 }));
      run('e2fsck', ['-fn', p]); // throws on a non-zero exit (any error found)
      const ls = run('debugfs', ['-R', 'ls -l /', p]);
      expect(ls).toMatch(/\b11\s+40700\b.*lost\+found/);
      const head = run('dumpe2fs', ['-h', p]);
      expect(head).toMatch(/Filesystem features:\s+ext_attr filetype sparse_super large_file/);
      expect(head).toMatch(/Filesystem volume name:\s+protect1/);
    });

    it('files written by libext2fs are read back by debugfs with their bytes, owners and modes; e2fsck clean', () =>
      buildExt4Image(entries, { size: 4 * MIB }).then((img) => {
        const p = join(dir, 'built.img');
        writeFileSync(p, img);
        run('e2fsck', ['-fn', p]);
        const out = join(dir, 'LD00_001');
        run('debugfs', ['-R', `dump /md/NVRAM/CALIBRAT/LD00_001 ${out}`, p]);
        expect(new Uint8Array(readFileSync(out))).toEqual(big);
        const st = run('debugfs', ['-R', 'stat /md/NVRAM/CALIBRAT/LD00_001', p]);
        expect(st).toMatch(/Mode:\s+0640/);
        expect(st).toMatch(/User:\s+0\s+Group:\s+1000/);
        const ls = run('debugfs', ['-R', 'ls -l /md/NVRAM/NVD_IMEI', p]);
        expect(ls).toMatch(/100660\s+\(1\)\s+1000\s+1000\s+4 .*LD0B_001/);
      }));
  });
});
