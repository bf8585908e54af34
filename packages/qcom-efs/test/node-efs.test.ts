import { describe, it, expect } from 'vitest';
import { nvErrorCodeAsync as code } from '../../../scripts/test-tools.ts';
import { mkdtempSync, rmSync, mkdirSync, writeFileSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError } from '@nv/core';
import { bytesToHex } from '@nv/core/bytes';
import { decodeGzip } from '../src/gzip.ts';
import { encodeManifest, decodeManifest } from '../src/manifest.ts';
import { encodeEfsTar } from '../src/tar.ts';
import { readEfsFolder, readEfsImageFile, writeEfsFolder, writeEfsImageFile } from '../src/node-efs.ts';
import { NODE_DEFLATE } from '../src/node-zlib.ts';

describe('Node entry: folders, manifest, streamed pack', () => {
  it('folder → tar.gz (in memory and streamed give the same tar) → folder keeps kinds, modes and symlinks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nv-efs-node-'));
    try {
      mkdirSync(join(dir, 'efs/nvm/num'), { recursive: true });
      mkdirSync(join(dir, 'efs/policyman'), { recursive: true });
      writeFileSync(join(dir, 'efs/nvm/num/10'), Uint8Array.of(0x1f, 0));
      writeFileSync(join(dir, 'efs/policyman/device_config.xml'), '<x/>');
      writeFileSync(join(dir, 'efs/big'), new Uint8Array(3000).fill(9));
      writeFileSync(
        join(dir, 'efs/.nv-efs.json'),
        JSON.stringify({
          version: 1,
          entries: {
            '/l': { type: 'symlink', mode: 0o120777, mtime: 5, uid: 0, gid: 0, target: '/big' },
            '/big': { type: 'file', mode: 0o100600, mtime: 7, uid: 0, gid: 0 },
          },
        }),
      );
      const { tree } = await readEfsFolder(join(dir, 'efs'));
      const kinds = Object.fromEntries(tree.entries.map((e) => [e.path, `${e.type} ${e.mode.toString(8)}`]));
      expect(kinds).toMatchObject({
        '/nvm/num/10': 'item 160777',
        '/policyman/device_config.xml': 'file 100777',
        '/big': 'file 100600',
        '/l': 'symlink 120777',
      });
      const a = await writeEfsImageFile(join(dir, 'a.tar.gz'), tree);
      const seen: Array<[string, number | undefined]> = [];
      const progress = {
        start: (label: string, total?: number) => seen.push([label, total]),
        update: (done: number) => seen.push(['update', done]),
        end: () => seen.push(['end', undefined]),
      };
      const b = await writeEfsImageFile(join(dir, 'b.tar.gz'), tree, { stream: true, pad512: true, progress });
      // Progress: started with the data total, updates never go backwards or past it, ended once.
      const dataTotal = 2 + 4 + 3000;
      expect(seen[0]).toEqual(['packing EFS image', dataTotal]);
      const updates = seen.filter(([k]) => k === 'update').map(([, v]) => v as number);
      expect(updates.length).toBeGreaterThan(2);
      expect(updates.every((v, i) => v <= dataTotal && (i === 0 || v >= updates[i - 1]!))).toBe(true);
      expect(seen.at(-1)).toEqual(['end', undefined]);
      expect(b.entries).toBe(a.entries);
      expect(b.tarBytes).toBe(a.tarBytes);
      const ta = decodeGzip(readFileSync(join(dir, 'a.tar.gz')), NODE_DEFLATE).data;
      const tb = decodeGzip(readFileSync(join(dir, 'b.tar.gz')), NODE_DEFLATE).data;
      expect(bytesToHex(tb)).toBe(bytesToHex(ta));
      expect(bytesToHex(ta)).toBe(bytesToHex(encodeEfsTar(tree).tar));
      expect(readFileSync(join(dir, 'b.tar.gz')).length % 512).toBe(0);
      const img = await readEfsImageFile(join(dir, 'b.tar.gz'));
      await writeEfsFolder(join(dir, 'out'), img.tree);
      const again = await readEfsFolder(join(dir, 'out'));
      expect(bytesToHex(encodeEfsTar(again.tree).tar)).toBe(bytesToHex(ta));
      expect(await code(writeEfsImageFile(join(dir, 'a.tar.gz'), tree))).toBe('NV_EXISTS');
      expect(await code(writeEfsFolder(join(dir, 'out'), img.tree))).toBe('NV_EXISTS');
      // unpack --links: a link inside is made (and packs again), a link leaving the folder is refused.
      await writeEfsFolder(join(dir, 'linked'), img.tree, { links: true });
      expect(readFileSync(join(dir, 'linked/l')).length).toBe(3000);
      expect(bytesToHex(encodeEfsTar((await readEfsFolder(join(dir, 'linked'))).tree).tar)).toBe(bytesToHex(ta));
      const escaping = {
        entries: [
          ...img.tree.entries,
          {
            path: '/x',
            type: 'symlink' as const,
            mode: 0o120777,
            uid: 0,
            gid: 0,
            mtime: 0,
            target: '../../etc/passwd',
          },
        ],
      };
      expect(await code(writeEfsFolder(join(dir, 'esc'), escaping, { links: true }))).toBe('NV_EFS_UNSAFE_PATH');
      symlinkSync('/etc', join(dir, 'efs/evil'));
      expect(await code(readEfsFolder(join(dir, 'efs')))).toBe('NV_EFS_UNSAFE_PATH');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('manifest round trip and errors', () => {
    const tree = {
      entries: [
        { path: '/a', type: 'item' as const, mode: 0o160777, uid: 0, gid: 0, mtime: 1, data: Uint8Array.of(1) },
      ],
    };
    expect(decodeManifest(encodeManifest(tree)).entries['/a']).toEqual({
      type: 'item',
      mode: 0o160777,
      mtime: 1,
      uid: 0,
      gid: 0,
    });
    const bad = (s: string) => {
      try {
        decodeManifest(new TextEncoder().encode(s));
      } catch (e) {
        return (e as NvError).code;
      }
      return 'none';
    };
    expect(bad('{')).toBe('NV_EFS_BAD_MANIFEST');
    expect(bad('{"version":2,"entries":{}}')).toBe('NV_EFS_BAD_MANIFEST');
    expect(bad('{"version":1,"entries":{"/a":{"type":"fifo"}}}')).toBe('NV_EFS_BAD_MANIFEST');
    expect(bad('{"version":1,"entries":{"a/../b":{"type":"file"}}}')).toBe('NV_EFS_BAD_PATH');
  });
});
