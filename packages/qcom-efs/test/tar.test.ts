import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError } from '@nv/core';
import { bytesToHex, encodeLatin1 } from '@nv/core/bytes';
import { FUZZ_RUNS, hasTool, nvErrorCode as code } from '../../../scripts/test-tools.ts';
import { decodeGzip, encodeGzip } from '../src/gzip.ts';
import { listEfsTree, readEfsImage } from '../src/image.ts';
import { decodeTar, encodeEfsTar, encodeTarHeader, tarToEfsTree } from '../src/tar.ts';
import { deviceOrder, type EfsEntry, type EfsTree } from '../src/tree.ts';
import { NODE_DEFLATE } from '../src/node-zlib.ts';

const vec = (name: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./vectors/${name}`, import.meta.url)));
const item = (path: string, data: number[] | Uint8Array): EfsEntry => ({
  path,
  type: 'item',
  mode: 0o160777,
  uid: 0,
  gid: 0,
  mtime: 315964800,
  data: Uint8Array.from(data),
});
const file = (path: string, data: Uint8Array, mode = 0o100777): EfsEntry => ({
  path,
  type: 'file',
  mode,
  uid: 0,
  gid: 0,
  mtime: 315964800,
  data,
});

/** Recomputes a header checksum after a patch, as a hand-made hostile tar would. */
function patch(tar: Uint8Array, at: number, bytes: number[] | string, headerAt = 0): Uint8Array {
  const t = tar.slice();
  t.set(typeof bytes === 'string' ? encodeLatin1(bytes) : bytes, at);
  const h = t.subarray(headerAt, headerAt + 512);
  h.fill(0x20, 148, 156);
  let s = 0;
  for (const b of h) s += b;
  h.set(encodeLatin1(`${s.toString(8).padStart(6, '0')}\0 `), 148);
  return t;
}

const sample: EfsTree = {
  entries: [
    item('/nvm/num/10', [0x1f, 0]),
    item('/nvm/num/10_1', [1, 0]),
    item('/apn_throttle', [1]),
    file('/CGPS_ME', encodeLatin1('cgps'), 0o100666),
    { path: '/.efs_private', type: 'dir', mode: 0o40777, uid: 0, gid: 0, mtime: 315964800 },
    file('/nv/item_files/conf/mcfg.conf', encodeLatin1('/nv/item_files/mcfg/mcfg_autoselect_by_uim\n')),
    item('/nv/item_files/rfnv/00024997', [1, 2, 3]),
    file('/nv/item_files/rfnv/00020001', new Uint8Array(300).fill(7)),
    { path: '/link', type: 'symlink', mode: 0o120777, uid: 0, gid: 0, mtime: 315964800, target: '/nvm/num/10' },
    file('/empty', new Uint8Array(0)),
    { path: '/emptydir', type: 'dir', mode: 0o40777, uid: 0, gid: 0, mtime: 315964800 },
    item(`/${'a'.repeat(98)}`, [1]),
    item('/safe/sfs/x', [1]),
  ],
};

describe('device tar known answers (§2.7, §6)', () => {
  it('a tar of only / is 1 536 B and equals the hand-assembled vector', () => {
    const { tar, entries } = encodeEfsTar({ entries: [] });
    expect(tar.length).toBe(1536);
    expect(entries).toBe(1);
    expect(bytesToHex(tar)).toBe(bytesToHex(vec('root-only.tar')));
  });

  it('re-encodes the hand-assembled device tar byte for byte', () => {
    const small = vec('small.tar');
    const { tree } = tarToEfsTree(small);
    expect(bytesToHex(encodeEfsTar(tree).tar)).toBe(bytesToHex(small));
    expect(tree.entries.find((e) => e.path === '/nvm/num/10')?.type).toBe('item');
    expect(tree.entries.find((e) => e.path === '/nvm/num/big')?.type).toBe('file');
    expect(tree.entries.find((e) => e.path === '/link')?.target).toBe('/nvm/num/10');
  });

  it('writes the item mode field 0160777\\0, uid/gid 0, device mtime, V7 (no magic)', () => {
    const h = encodeTarHeader(item('/nvm/num/10', [0x1f, 0]));
    expect(new TextDecoder().decode(h.subarray(100, 108))).toBe('0160777\0');
    expect(new TextDecoder().decode(h.subarray(108, 124))).toBe('0000000\u00000000000\0');
    expect(new TextDecoder().decode(h.subarray(124, 148))).toBe('00000000002\u000002265236600\0');
    expect(h[156]).toBe(0x30);
    expect(h.subarray(257).every((b) => b === 0)).toBe(true);
    expect(h[154]).toBe(0);
    expect(h[155]).toBe(0x20);
  });

  it('orders entries breadth-first, children bytewise, and skips /safe/sfs with a warning', () => {
    const { entries, warnings } = deviceOrder(sample);
    const paths = entries.map((e) => e.path);
    expect(paths.slice(0, 9)).toEqual([
      '/',
      '/.efs_private',
      '/CGPS_ME',
      `/${'a'.repeat(98)}`,
      '/apn_throttle',
      '/empty',
      '/emptydir',
      '/link',
      '/nv',
    ]);
    expect(paths.indexOf('/nvm')).toBeLessThan(paths.indexOf('/nv/item_files'));
    expect(paths).toContain('/safe');
    expect(paths).not.toContain('/safe/sfs');
    expect(warnings.map((w) => w.code)).toEqual(['NV_EFS_TAR_SUSPECT_ENTRY']);
  });

  it('refuses a 100-byte name in V7 and splits it with format ustar', () => {
    const long: EfsTree = { entries: [item(`/${'b'.repeat(50)}/${'c'.repeat(49)}`, [1])] };
    expect(code(() => encodeEfsTar(long))).toBe('NV_EFS_TAR_NAME_TOO_LONG');
    const { tar } = encodeEfsTar(long, { format: 'ustar' });
    const back = tarToEfsTree(tar).tree.entries.map((e) => e.path);
    expect(back).toContain(`/${'b'.repeat(50)}/${'c'.repeat(49)}`);
  });

  it('round-trips the sample tree (tar → tree → tar is identical)', () => {
    const { tar } = encodeEfsTar(sample);
    const { tree } = tarToEfsTree(tar);
    expect(bytesToHex(encodeEfsTar(tree).tar)).toBe(bytesToHex(tar));
    expect(tree.entries.length).toBe(encodeEfsTar(sample).entries);
  });
});

describe('tar reader rejects what the modem rejects (§4, §5)', () => {
  const { tar } = encodeEfsTar({ entries: [item('/a', [1, 2])] });
  const second = 512; // header of /a
  it('checksum byte', () => {
    const t = tar.slice();
    t[second + 150] = (t[second + 150] as number) ^ 1;
    expect(code(() => decodeTar(t))).toBe('NV_EFS_BAD_TAR_CHECKSUM');
  });
  it('padding byte', () => {
    const t = tar.slice();
    t[second + 512 + 100] = 1;
    expect(code(() => decodeTar(t))).toBe('NV_EFS_BAD_TAR_PADDING');
  });
  it.each(['L', 'x', '1', '6', 'g', 'K'])('typeflag %s (ls only warns)', (flag) => {
    const t = patch(tar, second + 156, flag, second);
    expect(code(() => decodeTar(t))).toBe('NV_EFS_BAD_TAR_TYPEFLAG');
    const { warnings } = decodeTar(t, { strictTypeflag: false });
    expect(warnings[0]?.code).toBe('NV_EFS_BAD_TAR_TYPEFLAG');
  });
  it('base-256 size', () => {
    const t = patch(tar, second + 124, [0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2], second);
    expect(code(() => decodeTar(t))).toBe('NV_EFS_BAD_TAR_NUMBER');
  });
  it('non-octal mode', () => {
    expect(code(() => decodeTar(patch(tar, second + 100, '01x0777\0', second)))).toBe('NV_EFS_BAD_TAR_NUMBER');
  });
  it('no end blocks / one end block / data after the end', () => {
    expect(code(() => decodeTar(tar.subarray(0, tar.length - 1024)))).toBe('NV_EFS_BAD_TAR_END');
    expect(code(() => decodeTar(tar.subarray(0, tar.length - 512)))).toBe('NV_EFS_BAD_TAR_END');
    const t = new Uint8Array(tar.length + 512);
    t.set(tar);
    t[tar.length + 3] = 1;
    expect(code(() => decodeTar(t))).toBe('NV_EFS_BAD_TAR_END');
  });
  it('accepts extra zero blocks, a trailing / and leading-space octal numbers', () => {
    const t = new Uint8Array(tar.length + 2048);
    t.set(tar);
    expect(decodeTar(t).members.length).toBe(2);
    const d = encodeEfsTar({ entries: [{ path: '/d', type: 'dir', mode: 0o40777, uid: 0, gid: 0, mtime: 0 }] }).tar;
    const slashed = patch(d, 512 + 2, '/', 512);
    expect(tarToEfsTree(slashed).tree.entries.map((e) => e.path)).toContain('/d');
    const spaced = patch(tar, second + 124, '         2\0 ', second);
    expect(decodeTar(spaced).members[1]?.size).toBe(2);
  });
  it('POSIX prefix is honoured, GNU magic + prefix is ignored with a warning', () => {
    const posix = patch(patch(tar, second + 257, 'ustar\u000000', second), second + 345, '/x', second);
    expect(decodeTar(posix).members[1]?.path).toBe('/x//a');
    const gnu = patch(patch(tar, second + 257, 'ustar  \0', second), second + 345, '/x', second);
    const r = decodeTar(gnu);
    expect(r.members[1]?.path).toBe('/a');
    expect(r.warnings[0]?.code).toBe('NV_EFS_TAR_SUSPECT_ENTRY');
  });
  it('".." in a name is a bad path', () => {
    expect(code(() => tarToEfsTree(patch(tar, second, '/../x\0', second)))).toBe('NV_EFS_BAD_PATH');
  });
  it('efs_item_files/ names become items rooted at /', () => {
    const t = patch(patch(tar, second, 'efs_item_files/nvm/num/5\0', second), second + 100, '0100777', second);
    const e = tarToEfsTree(t).tree.entries.find((x) => x.path === '/nvm/num/5');
    expect(e?.type).toBe('item');
  });
  it('item mode with > 128 bytes is a regular file plus a warning', () => {
    const big = encodeEfsTar({ entries: [item('/a', new Uint8Array(200))] });
    expect(big.warnings[0]?.code).toBe('NV_EFS_TAR_SUSPECT_ENTRY');
    const r = tarToEfsTree(big.tar);
    expect(r.tree.entries.find((e) => e.path === '/a')?.type).toBe('file');
    expect(r.warnings.some((w) => w.code === 'NV_EFS_TAR_SUSPECT_ENTRY')).toBe(true);
  });
});

describe('gzip (§2.8, §3.11)', () => {
  const { tar } = encodeEfsTar(sample);
  const gz = encodeGzip(tar, NODE_DEFLATE);
  it('writes the packer header and a verifiable trailer', () => {
    expect(bytesToHex(gz.subarray(0, 10))).toBe('1f8b08000000000000ff');
    expect(bytesToHex(decodeGzip(gz, NODE_DEFLATE).data)).toBe(bytesToHex(tar));
    expect(bytesToHex(encodeGzip(tar, NODE_DEFLATE))).toBe(bytesToHex(gz));
  });
  it('reads the python-made vector (same header bytes) and pads to 512 on request', () => {
    const py = vec('small.tar.gz');
    expect(bytesToHex(py.subarray(0, 10))).toBe('1f8b08000000000000ff');
    expect(bytesToHex(decodeGzip(py, NODE_DEFLATE).data)).toBe(bytesToHex(vec('small.tar')));
    const padded = encodeGzip(tar, NODE_DEFLATE, { pad512: true });
    expect(padded.length % 512).toBe(0);
    expect(decodeGzip(padded, NODE_DEFLATE).warnings[0]?.code).toBe('NV_EFS_GZIP_TRAILING_DATA');
  });
  it('FLG bit 5, CM 7, CRC and ISIZE flips, truncation', () => {
    const f = (i: number, v: number): Uint8Array => {
      const c = gz.slice();
      c[i] = v;
      return c;
    };
    expect(code(() => decodeGzip(f(3, 0x20), NODE_DEFLATE))).toBe('NV_EFS_BAD_GZIP_HEADER');
    expect(code(() => decodeGzip(f(2, 7), NODE_DEFLATE))).toBe('NV_EFS_BAD_GZIP_HEADER');
    expect(code(() => decodeGzip(f(gz.length - 8, (gz[gz.length - 8] as number) ^ 1), NODE_DEFLATE))).toBe(
      'NV_EFS_BAD_GZIP_DATA',
    );
    expect(code(() => decodeGzip(f(gz.length - 1, 1), NODE_DEFLATE))).toBe('NV_EFS_BAD_GZIP_DATA');
    expect(code(() => decodeGzip(gz.subarray(0, gz.length - 20), NODE_DEFLATE))).toMatch(
      /NV_EFS_BAD_GZIP_DATA|NV_TRUNCATED/,
    );
  });
  it('AA padding and a second member are trailing data (warning), the inflation cap is NV_LIMIT', () => {
    const aa = new Uint8Array(gz.length + 100).fill(0xaa);
    aa.set(gz);
    const r = readEfsImage(aa, NODE_DEFLATE);
    expect(r.chain).toEqual(['gzip', 'tar']);
    expect(r.warnings.some((w) => w.code === 'NV_EFS_GZIP_TRAILING_DATA')).toBe(true);
    const two = new Uint8Array(gz.length * 2);
    two.set(gz);
    two.set(gz, gz.length);
    expect(decodeGzip(two, NODE_DEFLATE).warnings[0]?.message).toMatch(/second gzip member/);
    expect(code(() => decodeGzip(gz, NODE_DEFLATE, { maxInflatedBytes: 1000 }))).toBe('NV_LIMIT');
  });
  it('containers: all 00/FF and unknown bytes are NV_EFS_CONTAINER_UNKNOWN; a plain tar is read', () => {
    expect(code(() => readEfsImage(new Uint8Array(4096), NODE_DEFLATE))).toBe('NV_EFS_CONTAINER_UNKNOWN');
    expect(code(() => readEfsImage(new Uint8Array(4096).fill(0xff), NODE_DEFLATE))).toBe('NV_EFS_CONTAINER_UNKNOWN');
    expect(code(() => readEfsImage(encodeLatin1('\x7fELF' + 'x'.repeat(100)), NODE_DEFLATE))).toBe(
      'NV_EFS_CONTAINER_UNKNOWN',
    );
    expect(readEfsImage(tar, NODE_DEFLATE).chain).toEqual(['tar']);
    const rows = listEfsTree(readEfsImage(gz, NODE_DEFLATE).tree);
    expect(rows.find((r) => r.path === '/nvm/num/10')).toEqual({
      path: '/nvm/num/10',
      type: 'item',
      mode: '0160777',
      size: 2,
      sha256: createHash('sha256').update(Uint8Array.of(0x1f, 0)).digest('hex'),
    });
  });
});

describe('tar/gzip readers never throw anything but NvError (fuzz)', () => {
  const { tar } = encodeEfsTar(sample);
  const gz = encodeGzip(tar, NODE_DEFLATE);
  const mutate = (base: Uint8Array) =>
    fc.record({
      flips: fc.array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 1, max: 255 })), { maxLength: 8 }),
      cut: fc.nat(base.length),
    });
  const run = (fn: () => unknown): void => {
    try {
      fn();
    } catch (e) {
      if (!NvError.isInstance(e)) throw e;
    }
  };
  it('tar mutations', () => {
    fc.assert(
      fc.property(mutate(tar), ({ flips, cut }) => {
        const t = tar.slice(0, Math.max(cut, 1));
        for (const [i, x] of flips) if (i < t.length) t[i] = (t[i] as number) ^ x;
        run(() => tarToEfsTree(t, { strictTypeflag: false }));
        run(() => readEfsImage(t, NODE_DEFLATE));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('gzip mutations', () => {
    fc.assert(
      fc.property(mutate(gz), ({ flips, cut }) => {
        const t = gz.slice(0, Math.max(cut, 1));
        for (const [i, x] of flips) if (i < t.length) t[i] = (t[i] as number) ^ x;
        run(() => readEfsImage(t, NODE_DEFLATE, { maxInflatedBytes: 1 << 20 }));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('random trees round-trip through tar.gz', () => {
    const seg = fc.stringMatching(/^[A-Za-z0-9_.-]{1,12}$/).filter((s) => s !== '.' && s !== '..');
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.array(seg, { minLength: 1, maxLength: 4 }), fc.uint8Array({ maxLength: 600 })), {
          maxLength: 12,
        }),
        (files) => {
          const byPath = new Map<string, EfsEntry>();
          for (const [parts, data] of files) {
            const path = `/${parts.join('/')}`;
            if ([...byPath.keys()].some((p) => p.startsWith(`${path}/`) || path.startsWith(`${p}/`))) continue;
            byPath.set(path, data.length <= 128 ? item(path, data) : file(path, data));
          }
          const { tar: t } = encodeEfsTar({ entries: [...byPath.values()] });
          const back = readEfsImage(encodeGzip(t, NODE_DEFLATE), NODE_DEFLATE);
          expect(bytesToHex(encodeEfsTar(back.tree).tar)).toBe(bytesToHex(t));
          for (const e of byPath.values())
            expect(bytesToHex(back.tree.entries.find((x) => x.path === e.path)?.data ?? new Uint8Array())).toBe(
              bytesToHex(e.data ?? new Uint8Array()),
            );
        },
      ),
      { numRuns: Math.min(FUZZ_RUNS, 100) },
    );
  });
});

describe.skipIf(!hasTool('tar') || !hasTool('gzip') || !hasTool('python3'))(
  'differential: GNU tar, gzip -t, python3 tarfile (needs Debian tar, gzip, python3)',
  () => {
    it('lists identically in GNU tar and python tarfile, with full item modes', () => {
      const dir = mkdtempSync(join(tmpdir(), 'nv-efs-'));
      try {
        const { tar } = encodeEfsTar(sample);
        const path = join(dir, 'fs_image.tar.gz');
        writeFileSync(path, encodeGzip(tar, NODE_DEFLATE));
        execFileSync('gzip', ['-t', path]);
        const gnu = execFileSync('sh', ['-c', `gzip -dc ${JSON.stringify(path)} | tar -tvPf - --numeric-owner`], {
          encoding: 'utf8',
        });
        const lines = gnu.trim().split('\n');
        const ours = deviceOrder(sample).entries;
        expect(lines.length).toBe(ours.length);
        expect(lines[0]).toMatch(/^drwxrwxrwx 0\/0\s+0 1980-01-06 00:00 \/$/);
        expect(gnu).toMatch(/-rwxrwxrwx 0\/0\s+2 1980-01-06 00:00 \/nvm\/num\/10\n/);
        expect(gnu).toMatch(/lrwxrwxrwx 0\/0\s+0 1980-01-06 00:00 \/link -> \/nvm\/num\/10\n/);
        lines.forEach((l, i) =>
          expect(l.endsWith(ours[i]?.path as string) || l.includes(` ${ours[i]?.path} -> `)).toBe(true),
        );
        const py = execFileSync(
          'python3',
          [
            '-c',
            'import tarfile,sys\nfor m in tarfile.open(sys.argv[1]): print(oct(m.mode), m.type.decode(), m.size, m.name)',
            path,
          ],
          { encoding: 'utf8' },
        );
        const pyLines = py.trim().split('\n');
        expect(pyLines.length).toBe(ours.length);
        expect(pyLines[0]).toBe('0o40777 5 0 ');
        expect(pyLines).toContain('0o160777 0 2 /nvm/num/10');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
    it('reads what gzip -c makes (FNAME, OS 3) and what GNU tar --format=v7 makes', () => {
      const dir = mkdtempSync(join(tmpdir(), 'nv-efs-'));
      try {
        writeFileSync(join(dir, 'x.tar'), encodeEfsTar(sample).tar);
        const gz = new Uint8Array(execFileSync('gzip', ['-c', join(dir, 'x.tar')]));
        expect(gz[3]).toBe(8);
        expect(readEfsImage(gz, NODE_DEFLATE).tree.entries.length).toBe(deviceOrder(sample).entries.length);
        writeFileSync(join(dir, 'f'), 'hello');
        const gnu = new Uint8Array(execFileSync('tar', ['--format=v7', '-cf', '-', '-C', dir, 'f']));
        const t = tarToEfsTree(gnu).tree;
        // GNU tar drops the item type bits (docs/formats/efs-tar.md#pitfalls #7): the file comes back regular.
        expect(t.entries.find((e) => e.path === '/f')?.type).toBe('file');
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);

describe.skipIf(!hasTool('tar') || !hasTool('gzip') || !hasTool('openssl'))(
  'differential: GNU tar extraction + openssl sha256 = our listing (needs Debian tar, gzip, openssl)',
  () => {
    it('every file entry extracted by GNU tar hashes to the sha256 that listEfsTree reports', () => {
      const dir = mkdtempSync(join(tmpdir(), 'nv-efs-'));
      try {
        const path = join(dir, 'f.tar.gz');
        const gz = encodeGzip(encodeEfsTar(sample).tar, NODE_DEFLATE);
        writeFileSync(path, gz);
        const rows = listEfsTree(readEfsImage(gz, NODE_DEFLATE).tree).filter(
          (r) => r.type === 'item' || r.type === 'file',
        );
        expect(rows.length).toBeGreaterThan(5);
        for (const r of rows) {
          const out = execFileSync(
            'sh',
            [
              '-c',
              `gzip -dc ${JSON.stringify(path)} | tar -xOPf - ${JSON.stringify(r.path)} | openssl dgst -sha256 -r`,
            ],
            { encoding: 'utf8' },
          );
          expect(out.split(' ')[0]).toBe(r.sha256);
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  },
);
