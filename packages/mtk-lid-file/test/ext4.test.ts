import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { hexToBytes } from '@nv/core/bytes';
import { FUZZ_RUNS, hasTool, nvErrorCode, nvErrorCodeAsync } from '../../../scripts/test-tools.ts';
import { encodeLidFiles } from '../src/lid-file.ts';
import { verifyLidFiles } from '../src/verify.ts';
import { checkExt4Magic, listExt4Image, putExt4File, readExt4Files } from '../src/node.ts';
import { AB12_ENTRY } from './_entry.ts';

const entry = AB12_ENTRY;

describe('checkExt4Magic (no tool needed)', () => {
  it('names the offset of the magic and recognises sparse images', () => {
    const b = new Uint8Array(4096);
    expect(nvErrorCode(() => checkExt4Magic(b))).toBe('NV_LID_IMAGE_BAD');
    try {
      checkExt4Magic(b);
    } catch (e) {
      expect((e as { offset?: number }).offset).toBe(1080);
    }
    b.set([0x3a, 0xff, 0x26, 0xed]);
    expect(() => checkExt4Magic(b)).toThrow(/simg2img/);
    b[1080] = 0x53;
    b[1081] = 0xef;
    expect(() => checkExt4Magic(b)).not.toThrow();
    expect(nvErrorCode(() => checkExt4Magic(new Uint8Array(100)))).toBe('NV_LID_IMAGE_BAD');
  });
});

describe.skipIf(!hasTool('mke2fs') || !hasTool('debugfs'))(
  'ext4 images made by mke2fs -d, read back by debugfs',
  () => {
    let dir: string;
    let img: string;
    const files = new Map<string, Uint8Array>();
    const dbg = (image: string, cmd: string): string =>
      execFileSync('debugfs', ['-R', cmd, image], { stdio: ['ignore', 'pipe', 'ignore'] }).toString('latin1');
    const dbgW = (image: string, cmd: string): void => {
      execFileSync('debugfs', ['-w', '-R', cmd, image], { stdio: 'ignore' });
    };

    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'nv-ext4-'));
      const src = join(dir, 'src');
      const lids = encodeLidFiles([hexToBytes('01020304'), hexToBytes('05060708')], entry, { generation: 'B' });
      for (const f of lids) files.set(`md/NVRAM/NVD_DATA/${f.name}`, f.bytes);
      files.set(
        'md/NVRAM/NVD_IMEI/LD0B_001',
        new Uint8Array(384).map((_, i) => (i * 7) & 0xff),
      );
      files.set('APCFG/APRDCL/FILE_VER', new Uint8Array(148));
      files.set(
        'md/NVRAM/CALIBRAT/big',
        new Uint8Array(70_000).map((_, i) => (i * 13) & 0xff),
      );
      for (const [p, b] of files) {
        mkdirSync(join(src, p, '..'), { recursive: true });
        writeFileSync(join(src, p), b);
      }
      img = join(dir, 'nvdata.img');
      execFileSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-b', '1024', '-d', src, img, '2M'], { stdio: 'ignore' });
      // Android's owner (system 1000, radio 1001), mode and SELinux label on the IMEI file.
      dbgW(img, 'ea_set /md/NVRAM/NVD_IMEI/LD0B_001 security.selinux u:object_r:nvdata_file:s0');
      dbgW(img, 'sif /md/NVRAM/NVD_IMEI/LD0B_001 uid 1000');
      dbgW(img, 'sif /md/NVRAM/NVD_IMEI/LD0B_001 gid 1001');
      dbgW(img, 'sif /md/NVRAM/NVD_IMEI/LD0B_001 mode 0100660');
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('ls lists every file with size, owner and mode', async () => {
      const list = await listExt4Image(readFileSync(img));
      const lidFiles = list.filter((e) => e.type === 'file');
      expect(lidFiles.map((e) => e.path).sort()).toEqual([...files.keys()].sort());
      const imei = list.find((e) => e.path === 'md/NVRAM/NVD_IMEI/LD0B_001')!;
      expect(imei).toMatchObject({ size: 384, uid: 1000, gid: 1001, mode: 0o660 });
      expect(list.find((e) => e.path === 'md/NVRAM')!.type).toBe('dir');
      expect(list.some((e) => e.path === 'lost+found')).toBe(true);
    });

    it('reads the bytes debugfs reads, and the LID files verify', async () => {
      const read = await readExt4Files(readFileSync(img));
      for (const [p, b] of files) {
        expect(read.get(p)).toEqual(b);
        expect(new Uint8Array(Buffer.from(dbg(img, `cat /${p}`), 'latin1'))).toEqual(b);
      }
      const lids = await readExt4Files(readFileSync(img), { filter: (p) => p.includes('/NVD_DATA/') });
      expect([...lids.keys()]).toEqual(['md/NVRAM/NVD_DATA/AB12A001', 'md/NVRAM/NVD_DATA/AB12B001']);
      expect(
        verifyLidFiles(
          [...lids].map(([path, bytes]) => ({ path, bytes })),
          { entries: [entry] },
        ).ok,
      ).toBe(true);
    });

    it('put rewrites a file in place: owner, mode, inode and SELinux label kept; e2fsck finds no error', async () => {
      const before = readFileSync(img);
      const body = new Uint8Array(384).fill(0x5a);
      const r = await putExt4File(before, 'md/NVRAM/NVD_IMEI/LD0B_001', body);
      expect(readFileSync(img)).toEqual(before); // input untouched
      expect(r.action).toBe('replaced');
      expect(r.after).toEqual({ ...r.before, size: 384 });
      const out = join(dir, 'out.img');
      writeFileSync(out, r.image);
      expect(new Uint8Array(Buffer.from(dbg(out, 'cat /md/NVRAM/NVD_IMEI/LD0B_001'), 'latin1'))).toEqual(body);
      expect(dbg(out, 'ea_get /md/NVRAM/NVD_IMEI/LD0B_001 security.selinux')).toContain('u:object_r:nvdata_file:s0');
      const st = dbg(out, 'stat /md/NVRAM/NVD_IMEI/LD0B_001');
      expect(st).toMatch(/Mode:\s+0660/);
      expect(st).toMatch(/User:\s+1000\s+Group:\s+1001/);
      if (hasTool('e2fsck')) execFileSync('e2fsck', ['-fn', out], { stdio: 'ignore' }); // throws on any finding
      // A larger body (more blocks) also fits.
      const big = await putExt4File(before, 'md/NVRAM/NVD_IMEI/LD0B_001', new Uint8Array(9000).fill(1));
      writeFileSync(out, big.image);
      expect(dbg(out, 'stat /md/NVRAM/NVD_IMEI/LD0B_001')).toMatch(/Size: 9000/);
    });

    it('put refuses a file not in the image unless create; a created file takes its siblings owner and a warning', async () => {
      const bytes = readFileSync(img);
      expect(await nvErrorCodeAsync(putExt4File(bytes, 'md/NVRAM/NVD_IMEI/NEW_FILE', Uint8Array.of(1)))).toBe(
        'NV_LID_IMAGE_NO_FILE',
      );
      expect(await nvErrorCodeAsync(putExt4File(bytes, 'no/such/dir/X', Uint8Array.of(1), { create: true }))).toBe(
        'NV_LID_IMAGE_NO_FILE',
      );
      expect(await nvErrorCodeAsync(putExt4File(bytes, 'md/NVRAM', Uint8Array.of(1)))).toBe('NV_LID_IMAGE_NO_FILE');
      const r = await putExt4File(bytes, 'md/NVRAM/NVD_IMEI/NEW_FILE', Uint8Array.of(1, 2, 3), { create: true });
      expect(r.action).toBe('created');
      expect(r.after).toMatchObject({ uid: 1000, gid: 1001, mode: 0o660, size: 3 });
      expect(r.warnings.map((w) => w.code)).toEqual(['NV_LID_IMAGE_NO_LABEL']);
      const out = join(dir, 'created.img');
      writeFileSync(out, r.image);
      expect(dbg(out, 'cat /md/NVRAM/NVD_IMEI/NEW_FILE')).toBe('\x01\x02\x03');
      if (hasTool('e2fsck')) execFileSync('e2fsck', ['-fn', out], { stdio: 'ignore' });
    });

    it('a full image fails with NV_LID_IMAGE_FULL, not a WASM errno', async () => {
      const code = await nvErrorCodeAsync(
        putExt4File(readFileSync(img), 'md/NVRAM/NVD_IMEI/LD0B_001', new Uint8Array(4 * 1024 * 1024)),
      );
      expect(code).toBe('NV_LID_IMAGE_FULL');
    });

    it('hostile images: damaged metadata gives an NvError or a listing, never another exception', async () => {
      const good = readFileSync(img);
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(fc.integer({ min: 1024, max: 8191 }), fc.integer({ min: 0, max: 255 })), {
            minLength: 1,
            maxLength: 8,
          }),
          async (edits) => {
            const b = Uint8Array.from(good);
            for (const [o, v] of edits) if (o !== 1080 && o !== 1081) b[o] = v;
            const code = await nvErrorCodeAsync(listExt4Image(b));
            expect(['none', 'NV_LID_IMAGE_BAD', 'NV_LID_IMAGE_NO_FILE', 'NV_LIMIT']).toContain(code);
          },
        ),
        { numRuns: Math.min(FUZZ_RUNS, 30) },
      );
    });
  },
);
