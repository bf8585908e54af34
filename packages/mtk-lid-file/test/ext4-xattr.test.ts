import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { FUZZ_RUNS, hasTool, nvErrorCode } from '../../../scripts/test-tools.ts';
import { ext4SelinuxLabel, readExt4Xattrs } from '../src/ext4-xattr.ts';
import { listExt4Image, putExt4File } from '../src/node.ts';

const LABEL = 'u:object_r:nvdata_file:s0';
const F = '/md/NVRAM/NVD_IMEI/LD0B_001';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'nv-xattr-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const dbg = (image: string, cmd: string, write = false): string =>
  execFileSync('debugfs', [...(write ? ['-w'] : []), '-R', cmd, image], {
    stdio: ['ignore', 'pipe', 'ignore'],
  }).toString('latin1');

/**
 * An image by Debian's `mke2fs -t ext4 -d <folder>`, labels set by `debugfs ea_set` (never by our code).
 * `-I 128` inodes have no in-inode area: every attribute goes to the attribute block (`i_file_acl`).
 */
function makeImage(name: string, inodeSize: 128 | 256): string {
  const root = join(dir, `${name}-root`);
  mkdirSync(join(root, 'md', 'NVRAM', 'NVD_IMEI'), { recursive: true });
  writeFileSync(join(root, 'md', 'NVRAM', 'NVD_IMEI', 'LD0B_001'), 'A'.repeat(40));
  writeFileSync(join(root, 'md', 'NVRAM', 'NVD_IMEI', 'LD0C_001'), 'unlabelled');
  const image = join(dir, `${name}.img`);
  execFileSync('mke2fs', ['-q', '-F', '-t', 'ext4', '-I', String(inodeSize), '-b', '1024', '-d', root, image, '2M'], {
    stdio: 'ignore',
  });
  dbg(image, `ea_set ${F} security.selinux ${LABEL}`, true);
  dbg(image, `ea_set ${F} user.note hello`, true);
  dbg(image, `set_inode_field ${F} uid 1001`, true);
  dbg(image, `set_inode_field ${F} mode 0100660`, true);
  return image;
}
const inodeOf = (image: string, path: string): number => Number(/Inode: (\d+)/.exec(dbg(image, `stat ${path}`))![1]);

describe('ext4-xattr: no tool needed', () => {
  it('bad images and inode numbers are NV_LID_IMAGE_BAD with an offset, never a RangeError', () => {
    expect(nvErrorCode(() => readExt4Xattrs(new Uint8Array(100), 1))).toBe('NV_LID_IMAGE_BAD');
    const b = new Uint8Array(4096);
    b[1080] = 0x53;
    b[1081] = 0xef;
    expect(nvErrorCode(() => readExt4Xattrs(b, 1))).toBe('NV_LID_IMAGE_BAD');
  });
});

describe.skipIf(!hasTool('mke2fs') || !hasTool('debugfs'))(
  'ext4-xattr on debugfs-made images (needs e2fsprogs)',
  () => {
    it.each([
      ['in-inode area (256-byte inodes)', 256],
      ['attribute block i_file_acl (128-byte inodes)', 128],
    ] as const)('reads security.selinux and user.* from the %s', (_what, size) => {
      const image = makeImage(`img${size}`, size);
      const bytes = new Uint8Array(readFileSync(image));
      const ino = inodeOf(image, F);
      if (size === 128) expect(dbg(image, `stat ${F}`)).toMatch(/File ACL: [1-9]/);
      const xattrs = readExt4Xattrs(bytes, ino);
      expect(new TextDecoder().decode(xattrs.get('security.selinux'))).toBe(LABEL);
      expect(new TextDecoder().decode(xattrs.get('user.note'))).toBe('hello');
      expect(ext4SelinuxLabel(bytes, ino)).toBe(LABEL);
      expect(ext4SelinuxLabel(bytes, inodeOf(image, '/md/NVRAM/NVD_IMEI/LD0C_001'))).toBeUndefined();
    });

    it.each([256, 128] as const)(
      'listExt4Image shows labels; putExt4File keeps owner, mode, inode and label (%i-byte inodes, read back by debugfs)',
      async (size) => {
        const image = makeImage(`put${size}`, size);
        const bytes = new Uint8Array(readFileSync(image));
        const ls = await listExt4Image(bytes);
        expect(ls.find((e) => e.path === F.slice(1))).toMatchObject({ label: LABEL, uid: 1001, mode: 0o660 });
        expect(ls.find((e) => e.path === 'md/NVRAM/NVD_IMEI/LD0C_001')?.label).toBeNull();
        const body = new Uint8Array(3000).fill(0x5a); // grows the file from 40 bytes to 3 blocks
        const r = await putExt4File(bytes, F, body);
        expect(r.before).toMatchObject({ label: LABEL, uid: 1001, mode: 0o660 });
        expect(r.after).toMatchObject({ label: LABEL, uid: 1001, mode: 0o660, inode: r.before!.inode, size: 3000 });
        const out = join(dir, `put${size}-out.img`);
        writeFileSync(out, r.image);
        expect(dbg(out, `ea_get ${F} security.selinux`)).toContain(LABEL);
        expect(dbg(out, `ea_get ${F} user.note`)).toContain('hello');
        const st = dbg(out, `stat ${F}`);
        expect(st).toMatch(/User:\s+1001/);
        expect(st).toMatch(/Mode:\s+0660/);
        expect(st).toMatch(/Size: 3000/);
        expect(ext4SelinuxLabel(r.image, r.after.inode)).toBe(LABEL);
      },
    );

    it('fuzz: a mutated image gives attributes or NV_LID_IMAGE_BAD, never another error', () => {
      const image = makeImage('fuzz', 128);
      const bytes = new Uint8Array(readFileSync(image));
      const ino = inodeOf(image, F);
      fc.assert(
        fc.property(
          fc.array(fc.tuple(fc.integer({ min: 0, max: bytes.length - 1 }), fc.integer({ min: 0, max: 255 })), {
            maxLength: 8,
          }),
          fc.integer({ min: 0, max: 600 }),
          (edits, inode) => {
            const b = Uint8Array.from(bytes);
            // Aim half of the edits at the superblock, the inode table and the attribute block.
            for (const [at, v] of edits) b[at % 2 === 0 ? at : at % 4096] = v;
            try {
              readExt4Xattrs(b, inode % 2 === 0 ? ino : inode);
            } catch (e) {
              expect(NvError.isInstance(e) && e.code).toBe('NV_LID_IMAGE_BAD');
            }
          },
        ),
        { numRuns: FUZZ_RUNS },
      );
    });
  },
);
