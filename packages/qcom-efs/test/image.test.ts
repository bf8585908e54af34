import { describe, it, expect } from 'vitest';
import { nvErrorCode as code } from '../../../scripts/test-tools.ts';
import { encodeGzip } from '../src/gzip.ts';
import { readEfsImage } from '../src/image.ts';
import { encodeEfsTar } from '../src/tar.ts';
import { readEfsImageFile } from '../src/node-efs.ts';
import { NODE_DEFLATE } from '../src/node-zlib.ts';
import { mkdtempSync, rmSync, writeFileSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Containers assembled by hand from docs/formats/efs-tar.md#containers (not with @nv/qcom-fsg-sign's writer).
const tar = encodeEfsTar({
  entries: [
    { path: '/nvm/num/10', type: 'item', mode: 0o160777, uid: 0, gid: 0, mtime: 0, data: Uint8Array.of(0x1f, 0) },
  ],
}).tar;
const gz = encodeGzip(tar, NODE_DEFLATE, { pad512: true }); // device-like tail after the member
function mbn(code: Uint8Array): Uint8Array {
  const out = new Uint8Array(40 + code.length + 256 + 6144);
  const v = new DataView(out.buffer);
  [27, 3, 40, 0, code.length + 256 + 6144, code.length, code.length, 256, code.length + 256, 6144].forEach((x, i) =>
    v.setUint32(4 * i, x, true),
  );
  out.set(code, 40);
  out.fill(0xff, 40 + code.length + 256);
  return out;
}
function img(m: Uint8Array, pad = 0): Uint8Array {
  const out = new Uint8Array(512 + m.length + pad);
  const v = new DataView(out.buffer);
  [20, 3, 472, 0, m.length, m.length].forEach((x, i) => v.setUint32(4 * i, x, true));
  out.set(new TextEncoder().encode('IMGEFS- SIGNED_IMAGE'), 0x28);
  out.set(m, 512);
  return out;
}

describe('signed containers via @nv/qcom-fsg-sign (§2.9, §3.12)', () => {
  it('.mbn, .img and a padded fsg partition dump all reach the tar', () => {
    const m = mbn(gz);
    const r1 = readEfsImage(m, NODE_DEFLATE);
    expect(r1.chain).toEqual(['mbn', 'gzip', 'tar']);
    expect(r1.tree.entries.find((e) => e.path === '/nvm/num/10')?.type).toBe('item');
    expect(readEfsImage(img(m), NODE_DEFLATE).chain).toEqual(['img', 'mbn', 'gzip', 'tar']);
    const part = img(m, 1572864 - 512 - m.length);
    expect(part.length).toBe(1572864);
    const r3 = readEfsImage(part, NODE_DEFLATE);
    expect(r3.chain).toEqual(['partition', 'img', 'mbn', 'gzip', 'tar']);
    expect(r3.warnings.some((w) => w.code === 'NV_EFS_GZIP_TRAILING_DATA')).toBe(true);
  });
  it('a damaged .img (code_size past the end) is an NvError, not a crash', () => {
    const bad = img(mbn(gz)).slice(0, 700);
    expect(code(() => readEfsImage(bad, NODE_DEFLATE))).toMatch(/^NV_/);
  });
});

describe('a 64 MB partition dump is read through its sector and .mbn only', () => {
  it('chain partition>img>mbn>gzip>tar from a sparse 64 MiB file; a small .img file stays img', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nv-efs-part-'));
    try {
      const image = img(mbn(gz));
      writeFileSync(join(dir, 'fsg.bin'), image);
      truncateSync(join(dir, 'fsg.bin'), 64 * 1024 * 1024);
      const r = await readEfsImageFile(join(dir, 'fsg.bin'));
      expect(r.chain).toEqual(['partition', 'img', 'mbn', 'gzip', 'tar']);
      expect(r.tree.entries.find((e) => e.path === '/nvm/num/10')?.data).toEqual(Uint8Array.of(0x1f, 0));
      writeFileSync(join(dir, 'x.img'), image);
      expect((await readEfsImageFile(join(dir, 'x.img'))).chain).toEqual(['img', 'mbn', 'gzip', 'tar']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ELF-wrapped images (§3.12 (5), inferred)', () => {
  function elf32(payload: Uint8Array, withLoad = true): Uint8Array {
    const out = new Uint8Array(52 + 32 * 2 + payload.length);
    const v = new DataView(out.buffer);
    out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
    v.setUint32(28, 52, true); // e_phoff
    v.setUint16(42, 32, true); // e_phentsize
    v.setUint16(44, 2, true); // e_phnum
    v.setUint32(52, 4, true); // PT_NOTE first
    v.setUint32(84, withLoad ? 1 : 4, true);
    v.setUint32(84 + 4, 116, true); // p_offset
    v.setUint32(84 + 16, payload.length, true); // p_filesz
    out.set(payload, 116);
    return out;
  }
  it('finds the tar.gz in a PT_LOAD segment; none is NV_EFS_CONTAINER_UNKNOWN', () => {
    const r = readEfsImage(elf32(gz), NODE_DEFLATE);
    expect(r.chain).toEqual(['elf', 'gzip', 'tar']);
    expect(r.tree.entries.some((e) => e.path === '/nvm/num/10')).toBe(true);
    expect(code(() => readEfsImage(elf32(gz, false), NODE_DEFLATE))).toBe('NV_EFS_CONTAINER_UNKNOWN');
    expect(code(() => readEfsImage(elf32(gz).subarray(0, 60), NODE_DEFLATE))).toMatch(
      /NV_TRUNCATED|NV_EFS_CONTAINER_UNKNOWN/,
    );
  });
});

describe('hostile images (hardening pass)', () => {
  it('regression: a small gzip of 80 000 suspect tar entries reads with its warnings, not a RangeError (hand-made)', () => {
    // One v7 header "a" with a prefix but no ustar magic, repeated: each entry warns (prefix, then "appears twice").
    // payloadToImage merged the tar warnings with push(...tw): a 10⁵-argument spread overflows the stack.
    const h = new Uint8Array(512);
    const put = (s: string, at: number): void =>
      h.set(
        Array.from(s, (c) => c.charCodeAt(0)),
        at,
      );
    put('a', 0);
    put('0000644\0', 100);
    put('0000000\0', 108);
    put('0000000\0', 116);
    put('00000000000\0', 124);
    put('00000000000\0', 136);
    put('0', 156);
    put('p', 345);
    put('        ', 148);
    put(
      `${h
        .reduce((a, b) => a + b, 0)
        .toString(8)
        .padStart(6, '0')}\0 `,
      148,
    );
    const n = 80_000;
    const tar = new Uint8Array((n + 2) * 512);
    for (let i = 0; i < n; i++) tar.set(h, i * 512);
    const gz = encodeGzip(tar, NODE_DEFLATE);
    expect(gz.length).toBeLessThan(1 << 20);
    const r = readEfsImage(gz, NODE_DEFLATE);
    expect(r.chain).toEqual(['gzip', 'tar']);
    expect(r.warnings).toHaveLength(2 * n - 1);
    expect(r.tree.entries.map((e) => e.path)).toContain('/a');
  });
});
