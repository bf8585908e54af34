// Issue 17: the fast Node paths (batched streaming deflate, node:zlib CRC-32) give the bytes of the one-shot
// encoder: same input, same fs_image.tar.gz.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FUZZ_RUNS, hasTool } from '../../../scripts/test-tools.ts';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, concatBytes } from '@nv/core/bytes';
import { crc32, decodeGzip, encodeGzip } from '../src/gzip.ts';
import { encodeEfsTar } from '../src/tar.ts';
import { normalizeEfsPath, normalizeEfsTree } from '../src/tree.ts';
import { readEfsFolder, writeEfsImageFile } from '../src/node-efs.ts';
import { NODE_DEFLATE, gzipChunks, nodeGzip } from '../src/node-zlib.ts';

async function collect(it: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const p of it) parts.push(p);
  return concatBytes(...parts);
}

let seed = 99;
const rand = (n: number): number => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff), seed % n);
const bytes = (n: number): Uint8Array => new Uint8Array(n).map(() => (rand(3) === 0 ? rand(256) : 0));

describe('gzipChunks (batched, native CRC) = encodeGzip (one shot)', () => {
  it('over many small chunks, chunks crossing the 256 KiB batch and one bigger than it', async () => {
    const chunks = [
      ...Array.from({ length: 3000 }, () => bytes(1 + rand(700))),
      bytes(300 * 1024),
      bytes(5),
      bytes(256 * 1024),
      bytes(256 * 1024 - 3),
    ];
    const whole = concatBytes(...chunks);
    const expected = encodeGzip(whole, NODE_DEFLATE);
    expect(bytesToHex(await collect(gzipChunks(chunks)))).toBe(bytesToHex(expected));
    expect(bytesToHex(await collect(gzipChunks(chunks, { pad512: true })))).toBe(
      bytesToHex(encodeGzip(whole, NODE_DEFLATE, { pad512: true })),
    );
    // The trailer CRC is the pure one's.
    const out = await collect(gzipChunks(chunks));
    expect(new DataView(out.buffer, out.byteOffset + out.length - 8).getUint32(0, true)).toBe(crc32(whole) >>> 0);
  });

  it('writeEfsImageFile streamed = in one piece = encodeGzip(encodeEfsTar) on a 2 000-file tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nv-efs-perf-'));
    try {
      mkdirSync(join(dir, 'efs', 'nvm', 'num'), { recursive: true });
      for (let i = 0; i < 2000; i++) writeFileSync(join(dir, 'efs', 'nvm', 'num', String(i)), bytes(2 + rand(120)));
      const { tree } = await readEfsFolder(join(dir, 'efs'));
      await writeEfsImageFile(join(dir, 'a.tar.gz'), tree, { stream: true });
      await writeEfsImageFile(join(dir, 'b.tar.gz'), tree);
      const expected = bytesToHex(encodeGzip(encodeEfsTar(tree).tar, NODE_DEFLATE));
      expect(bytesToHex(readFileSync(join(dir, 'a.tar.gz')))).toBe(expected);
      expect(bytesToHex(readFileSync(join(dir, 'b.tar.gz')))).toBe(expected);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** normalizeEfsPath as it was before the one-pass rewrite (regular expression + split), the reference. */
function oldNormalize(path: string): string {
  if (!path.startsWith('/')) return 'ERR not absolute';
  if (path === '/') return '/';
  const p = path.endsWith('/') ? path.slice(0, -1) : path;
  if (!/^[\x20-\x7e]*$/.test(p)) return 'ERR non-ASCII';
  for (const part of p.slice(1).split('/')) if (part === '' || part === '.' || part === '..') return 'ERR part';
  return p;
}
function newNormalize(path: string): string {
  try {
    return normalizeEfsPath(path);
  } catch (e) {
    const m = (e as Error).message;
    return m.includes('absolute') ? 'ERR not absolute' : m.includes('non-ASCII') ? 'ERR non-ASCII' : 'ERR part';
  }
}

describe('normalizeEfsPath (one pass) = the regular-expression version', () => {
  it('on paths over / . a x7f é \\x1f (fast-check)', () => {
    const path = fc
      .array(fc.constantFrom('/', '/', '.', 'a', 'b', '\x7f', 'é', '\x1f', ' '), { maxLength: 12 })
      .map((a) => a.join(''));
    fc.assert(
      fc.property(path, (p) => {
        expect(newNormalize(p)).toBe(oldNormalize(p));
        expect(newNormalize(`/${p}`)).toBe(oldNormalize(`/${p}`));
      }),
      { numRuns: FUZZ_RUNS * 10 },
    );
    for (const p of ['/', '/a/', '/a//b', '/./a', '/a/..', '/a/.b', '/..a', '/a/b/', '//', '/é/..'])
      expect(newNormalize(p)).toBe(oldNormalize(p));
  });
});

describe('pack without repeated work (issue 17) gives the same bytes', () => {
  it('nodeGzip (native CRC) = encodeGzip (pure CRC), with and without pad512', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), fc.boolean(), (data, pad512) => {
        expect(nodeGzip(data, { pad512 })).toEqual(encodeGzip(data, NODE_DEFLATE, { pad512 }));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('readEfsFolder reads empty, 64 KiB − 1, 64 KiB, 64 KiB + 1 and 200 KiB files whole (scratch-buffer reads)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nv-efs-read-'));
    try {
      const sizes = [0, 65535, 65536, 65537, 200 * 1024];
      sizes.forEach((n, i) =>
        writeFileSync(
          join(dir, `f${i}`),
          Uint8Array.from({ length: n }, (_, k) => (k * 7 + i) & 0xff),
        ),
      );
      const { tree } = await readEfsFolder(dir);
      for (let i = 0; i < sizes.length; i++)
        expect(tree.entries.find((e) => e.path === `/f${i}`)?.data).toEqual(
          new Uint8Array(readFileSync(join(dir, `f${i}`))),
        );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a normalised tree is normalised once; a changed entries array is normalised again', () => {
    const e = (path: string) => ({
      path,
      type: 'item' as const,
      mode: 0o777,
      uid: 0,
      gid: 0,
      mtime: 0,
      data: Uint8Array.of(1),
    });
    const once = normalizeEfsTree({ entries: [e('/a/b')] });
    expect(normalizeEfsTree(once)).toBe(once);
    expect(normalizeEfsTree(once, { mtime: 5 })).toEqual(
      normalizeEfsTree({ entries: [...once.entries] }, { mtime: 5 }),
    );
    (once.entries as unknown as ReturnType<typeof e>[]).push(e('/c/d'));
    expect(normalizeEfsTree(once).entries.map((x) => x.path)).toEqual(['/a/b', '/', '/a', '/c/d', '/c']);
  });
});

describe('NODE_DEFLATE.inflateRaw with the trailer size hint (issue 17: `sim qcom boot` memory)', () => {
  const data = bytes(300 * 1024);
  const raw = NODE_DEFLATE.deflateRaw(data, { level: 6, memLevel: 8 });
  const framed = concatBytes(raw, Uint8Array.of(1, 2, 3)); // bytes after the deflate stream

  it('a right hint inflates into one buffer (no join); any hint gives the same bytes and the same consumed count', () => {
    const plain = NODE_DEFLATE.inflateRaw(framed, 1 << 30);
    expect(bytesToHex(plain.data)).toBe(bytesToHex(data));
    expect(plain.consumed).toBe(raw.length);
    const hinted = NODE_DEFLATE.inflateRaw(framed, 1 << 30, data.length);
    expect(hinted.data.buffer.byteLength).toBe(data.length + 1); // the one piece, returned as a view
    for (const hint of [data.length, 0, 1, 70_000, data.length - 1, data.length + 5, 2 ** 32 - 1]) {
      const r = NODE_DEFLATE.inflateRaw(framed, 1 << 30, hint);
      expect(bytesToHex(r.data)).toBe(bytesToHex(data));
      expect(r.consumed).toBe(raw.length);
    }
  });

  it('a hostile hint reserves no more than deflate can expand the input to, and the limit still holds', () => {
    const tiny = NODE_DEFLATE.deflateRaw(new Uint8Array(100), { level: 6, memLevel: 8 });
    const r = NODE_DEFLATE.inflateRaw(tiny, 1 << 30, 2 ** 32 - 1);
    expect(r.data.length).toBe(100);
    expect(r.data.buffer.byteLength).toBeLessThanOrEqual(Math.max(4 << 20, tiny.length * 1032 + 1));
    expect(() => NODE_DEFLATE.inflateRaw(framed, 1000, data.length)).toThrow(/inflates to more than 1000/);
  });

  it('decodeGzip passes the ISIZE of a member that ends the input, and reads the same with padding after it', () => {
    const gz = encodeGzip(data, NODE_DEFLATE);
    const seen: (number | undefined)[] = [];
    const spy = {
      ...NODE_DEFLATE,
      inflateRaw: (d: Uint8Array, max: number, hint?: number) => (
        seen.push(hint),
        NODE_DEFLATE.inflateRaw(d, max, hint)
      ),
    };
    expect(bytesToHex(decodeGzip(gz, spy).data)).toBe(bytesToHex(data));
    const padded = encodeGzip(data, NODE_DEFLATE, { pad512: true });
    expect(bytesToHex(decodeGzip(padded, spy).data)).toBe(bytesToHex(data));
    expect(seen[0]).toBe(data.length);
    if (padded.length > gz.length) expect(seen[1]).not.toBe(data.length); // a wrong hint: same bytes, as asserted
  });

  it.skipIf(!hasTool('gzip'))(
    'on a member GNU gzip wrote (FNAME set, -9): the hint is its ISIZE and the bytes are its input (needs gzip)',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'nv-gz-hint-'));
      try {
        writeFileSync(join(dir, 'payload.tar'), data);
        const gz = new Uint8Array(execFileSync('gzip', ['-9', '-c', join(dir, 'payload.tar')]));
        expect(gz[3]! & 0x08).toBe(0x08); // FNAME: a header our packer never writes
        const seen: (number | undefined)[] = [];
        const spy = {
          ...NODE_DEFLATE,
          inflateRaw: (d: Uint8Array, max: number, hint?: number) => (
            seen.push(hint),
            NODE_DEFLATE.inflateRaw(d, max, hint)
          ),
        };
        expect(bytesToHex(decodeGzip(gz, spy).data)).toBe(bytesToHex(data));
        expect(seen).toEqual([data.length]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );
});
