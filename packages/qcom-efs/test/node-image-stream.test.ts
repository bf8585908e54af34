/**
 * Issue 17: `ls` and `unpack` of a big plain `fs_image.tar.gz` stream it (node:zlib stream + the incremental tar
 * reader) with memory bounded by the largest member, and give the same rows, files and warnings as the whole-file
 * reader. The peak RSS is measured in a child process (a generous bound, not a timing).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hasTool } from '../../../scripts/test-tools.ts';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sha256Hex } from '@nv/core/hash';
import { listEfsTree, packEfsImage, readEfsImage } from '../src/index.ts';
import { listEfsImageFile, unpackEfsImageFile } from '../src/node-efs.ts';
import { NODE_DEFLATE } from '../src/node-zlib.ts';
import { TarReader } from '../src/tar.ts';
import type { EfsEntry } from '../src/tree.ts';

const MiB = 1024 * 1024;
const dir = mkdtempSync(join(tmpdir(), 'nv-efs-stream-'));
const big = join(dir, 'fs_image.tar.gz');
let bytes: Uint8Array;

beforeAll(() => {
  // 64 MiB of incompressible data in 64 files, plus small items and a symlink: a 64 MB image.
  const e = (path: string, type: EfsEntry['type'], extra: Partial<EfsEntry> = {}): EfsEntry => ({
    path,
    type,
    mode: type === 'dir' ? 0o40777 : type === 'item' ? 0o160777 : type === 'symlink' ? 0o120777 : 0o100644,
    uid: 0,
    gid: 0,
    mtime: 315964800,
    ...extra,
  });
  const entries: EfsEntry[] = [];
  for (let i = 0; i < 64; i++) entries.push(e(`/big/f${i}`, 'file', { data: new Uint8Array(randomBytes(MiB)) }));
  for (let i = 0; i < 50; i++) entries.push(e(`/nvm/num/${i}`, 'item', { data: Uint8Array.of(i, 1) }));
  entries.push(e('/link', 'symlink', { target: '/nvm/num/1' }));
  bytes = packEfsImage({ entries }, NODE_DEFLATE).bytes;
  writeFileSync(big, bytes);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('streamed ls and unpack of a 64 MB fs_image.tar.gz', () => {
  it('ls gives the rows, container and warnings of the whole-file reader', async () => {
    const whole = readEfsImage(bytes, NODE_DEFLATE, { strictTypeflag: false });
    const streamed = await listEfsImageFile(big, { strictTypeflag: false });
    expect(streamed.container).toBe('gzip>tar');
    expect(streamed.entries).toEqual(listEfsTree(whole.tree));
    expect(streamed.warnings).toEqual(whole.warnings);
  }, 120_000);

  it('with trailing zero padding: the same NV_EFS_GZIP_TRAILING_DATA warning', async () => {
    const padded = join(dir, 'padded.tar.gz');
    writeFileSync(padded, bytes);
    appendFileSync(padded, new Uint8Array(4096));
    const whole = readEfsImage(new Uint8Array(readFileSync(padded)), NODE_DEFLATE, { strictTypeflag: false });
    const streamed = await listEfsImageFile(padded, { strictTypeflag: false });
    expect(streamed.warnings).toEqual(whole.warnings);
    expect(streamed.warnings.map((w) => w.code)).toEqual(['NV_EFS_GZIP_TRAILING_DATA']);
  }, 120_000);

  it('a damaged CRC is NV_EFS_BAD_GZIP_DATA as with the whole-file reader', async () => {
    const bad = join(dir, 'bad.tar.gz');
    const copy = bytes.slice();
    copy[copy.length - 8] = (copy[copy.length - 8] as number) ^ 1;
    writeFileSync(bad, copy);
    await expect(listEfsImageFile(bad)).rejects.toMatchObject({ code: 'NV_EFS_BAD_GZIP_DATA' });
  }, 120_000);

  it('unpack writes every file with the same bytes and the manifest', async () => {
    const out = join(dir, 'out');
    const r = await unpackEfsImageFile(big, out, { strictTypeflag: false });
    const whole = readEfsImage(bytes, NODE_DEFLATE);
    expect(r).toMatchObject({ container: 'gzip>tar', entries: whole.tree.entries.length, warnings: [] });
    for (const e of whole.tree.entries)
      if (e.data !== undefined) expect(sha256Hex(readFileSync(join(out, e.path))), e.path).toBe(sha256Hex(e.data));
    expect(JSON.parse(readFileSync(join(out, '.nv-efs.json'), 'utf8')).entries['/link'].target).toBe('/nvm/num/1');
  }, 120_000);

  it('peak RSS of a child that lists and unpacks it stays under half the image above its baseline', () => {
    const script = join(dir, 'child.mts');
    const src = join(import.meta.dirname, '..', 'src', 'node-efs.ts');
    writeFileSync(
      script,
      `import { listEfsImageFile, unpackEfsImageFile } from ${JSON.stringify(src)};
const base = process.resourceUsage().maxRSS;
const { entries } = await listEfsImageFile(${JSON.stringify(big)});
const { files } = await unpackEfsImageFile(${JSON.stringify(big)}, ${JSON.stringify(join(dir, 'child-out'))});
process.stdout.write(JSON.stringify({ base, peak: process.resourceUsage().maxRSS, entries: entries.length, files }));
`,
    );
    const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--conditions=@nv/source', script], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const { base, peak, entries, files } = JSON.parse(r.stdout) as {
      base: number;
      peak: number;
      entries: number;
      files: number;
    };
    // 114 files + /, /big, /nvm, /nvm/num and /link
    expect([entries, files]).toEqual([119, 114]);
    // The whole-file reader holds the 64 MB gzip and the 64 MB tar at once (> 128 MB above the baseline).
    expect((peak - base) * 1024, `peak ${peak} KiB, baseline ${base} KiB`).toBeLessThan(32 * MiB);
  }, 180_000);
});

describe('TarReader fed in pieces = fed at once', () => {
  it('any split of the tar gives the same members and warnings', () => {
    const tar = packEfsImage(
      {
        entries: Array.from({ length: 20 }, (_, i) => ({
          path: `/d/f${i}`,
          type: 'file' as const,
          mode: 0o100644,
          uid: 0,
          gid: 0,
          mtime: 0,
          data: new Uint8Array(i * 97),
        })),
      },
      NODE_DEFLATE,
      { gzip: false },
    ).bytes;
    const once = new TarReader();
    const a: string[] = [];
    once.feed(tar, true, (m) => a.push(`${m.path}:${m.headerOffset}:${sha256Hex(m.data)}`));
    for (const step of [1, 511, 512, 700, 4096]) {
      const r = new TarReader();
      const b: string[] = [];
      let pending = new Uint8Array(0);
      for (let at = 0; at < tar.length; at += step) {
        const next = new Uint8Array(pending.length + Math.min(step, tar.length - at));
        next.set(pending);
        next.set(tar.subarray(at, at + step), pending.length);
        const n = r.feed(next, false, (m) => b.push(`${m.path}:${m.headerOffset}:${sha256Hex(m.data)}`));
        pending = next.subarray(n);
      }
      r.feed(pending, true, (m) => b.push(`${m.path}:${m.headerOffset}:${sha256Hex(m.data)}`));
      expect(b, `step ${step}`).toEqual(a);
    }
  });
});

describe.skipIf(!hasTool('tar') || !hasTool('gzip'))(
  'streamed ls and unpack of a GNU tar + gzip image our writer did not make (needs tar, gzip)',
  () => {
    it('rows and warnings = the whole-file reader; unpacked bytes = the source files', async () => {
      const src = join(dir, 'gnu-src');
      mkdirSync(join(src, 'nv', 'item_files', 'rfnv'), { recursive: true });
      const sources = new Map<string, Uint8Array>();
      // 18 MiB of incompressible data, so the file is over the 16 MiB streaming threshold.
      for (let i = 0; i < 18; i++) sources.set(`/big${i}`, new Uint8Array(randomBytes(MiB)));
      for (let i = 0; i < 30; i++)
        sources.set(`/nv/item_files/rfnv/${String(i).padStart(8, '0')}`, Uint8Array.of(i, 7));
      for (const [p, data] of sources) writeFileSync(join(src, p), data);
      const gz = join(dir, 'gnu.tar.gz');
      execFileSync('sh', [
        '-c',
        `tar --format=ustar --owner=0 --group=0 --numeric-owner -cf - -C '${src}' . | gzip -6 > '${gz}'`,
      ]);
      expect(statSync(gz).size).toBeGreaterThan(16 * MiB);
      const whole = readEfsImage(new Uint8Array(readFileSync(gz)), NODE_DEFLATE, { strictTypeflag: false });
      const streamed = await listEfsImageFile(gz, { strictTypeflag: false });
      expect(streamed.entries).toEqual(listEfsTree(whole.tree));
      expect(streamed.warnings).toEqual(whole.warnings);
      const out = join(dir, 'gnu-out');
      await unpackEfsImageFile(gz, out, { strictTypeflag: false });
      for (const [p, data] of sources) expect(sha256Hex(readFileSync(join(out, p))), p).toBe(sha256Hex(data));
    }, 180_000);
  },
);
