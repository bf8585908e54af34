import { describe, it, expect } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { bytesToHex } from '@nv/core/bytes';
import { buildMbn, lintMbn, parseMbn, parseMcfgXml, rehashMbn, toXml, type FileResolver } from '../src/index.ts';
import { NODE_HASH_OPTIONS } from '../src/node.ts';

const kat = new Uint8Array(readFileSync(new URL('./vectors/kat-4.5.mbn', import.meta.url)));
const segment = kat.slice(0x2000);
const hex = (b: Uint8Array): string => bytesToHex(b);
const digest = (alg: string, b: Uint8Array): Uint8Array => new Uint8Array(createHash(alg).update(b).digest());

/**
 * A container written by hand from docs/formats/mcfg.md#program-headers/docs/formats/mcfg.md#hash-segment with node:crypto (not our builder): hash segment v5, v6 or v7 at
 * 0x1000, data at 0x3000 (the signed layout), optional fake signature sizes.
 */
function container(version: 5 | 6 | 7, seg: Uint8Array, signed = false): Uint8Array {
  const out = new Uint8Array(0x3000 + seg.length);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1], 0);
  dv.setUint16(0x10, 2, true);
  dv.setUint32(0x14, 1, true);
  dv.setUint32(0x1c, 0x34, true);
  dv.setUint32(0x24, 5, true);
  dv.setUint16(0x28, 0x34, true);
  dv.setUint16(0x2a, 0x20, true);
  dv.setUint16(0x2c, 3, true);
  dv.setUint16(0x2e, 0x28, true);
  const ph = (i: number, w: number[]): void => w.forEach((v, j) => dv.setUint32(0x34 + 0x20 * i + 4 * j, v, true));
  const alg = version === 5 ? 'sha256' : 'sha384';
  const d = version === 5 ? 32 : 48;
  const oemMd = version === 5 ? 0 : 120;
  const words = version === 5 ? 10 : version === 6 ? 12 : 16;
  const table = 4 * words + oemMd;
  const sig = signed ? 256 : 0;
  const hashSize = table + 3 * d + sig;
  ph(0, [0, 0, 0, 0, 0x94, 0, 0x07000000, 0]);
  ph(1, [0, 0x1000, 0x4000, 0x4000, hashSize, 0x2000, version === 7 ? 0x02000000 : 0x02200000, 0x1000]);
  ph(2, [1, 0x3000, 0, 0, seg.length, seg.length, 6, 4]);
  const h = 0x1000;
  const w = (i: number, v: number): void => dv.setUint32(h + 4 * i, v, true);
  w(1, version);
  if (version === 7) {
    w(2, 24);
    w(4, oemMd);
    w(5, 3 * d);
    w(8, sig);
    w(14, 3);
  } else {
    w(5, 3 * d);
    w(7, sig);
    if (version === 6) w(11, oemMd);
  }
  out.set(seg, 0x3000);
  out.set(digest(alg, seg), h + table + 2 * d);
  out.set(digest(alg, out.subarray(0, 0x94)), h + table);
  return out;
}

describe('non-canonical containers (hash v5, v6, v7; data at 0x3000) are kept and re-hashed', () => {
  for (const version of [5, 6, 7] as const) {
    it(`hash v${version}: verified, decompiled with nv:container, rebuilt byte for byte, re-hashed after an edit`, () => {
      const file = container(version, segment);
      const f = parseMbn(file, NODE_HASH_OPTIONS);
      expect(f.findings.map((x) => x.code)).toEqual(['NV_MBN_NONCANONICAL_CONTAINER']);
      expect(f.container).toMatchObject({
        kind: 'elf',
        canonical: false,
        hashVersion: version,
        dataOffset: 0x3000,
        signed: false,
      });
      const t = toXml(f, { name: 'c' });
      expect(t.xml).toContain('nv:container="c.files/container.bin"');
      const resolver: FileResolver = { readFile: (p) => t.files[p] };
      expect(hex(buildMbn(parseMcfgXml(t.xml), resolver, NODE_HASH_OPTIONS))).toBe(hex(file));
      const edited = rehashMbn({ ...f, version: 0x0501050e }, NODE_HASH_OPTIONS);
      expect(lintMbn(edited, NODE_HASH_OPTIONS).findings.map((x) => x.code)).toEqual([
        'NV_MBN_NONCANONICAL_CONTAINER',
        'NV_MBN_VERSION_MISMATCH',
      ]);
      // Independent check of the new data slot.
      expect(
        lintMbn(container(version, edited.subarray(0x3000)), NODE_HASH_OPTIONS).findings.map((x) => x.code),
      ).toEqual(['NV_MBN_NONCANONICAL_CONTAINER', 'NV_MBN_VERSION_MISMATCH']);
    });
  }

  it('the pure entry verifies and recomputes v6/v7 SHA-384 digests with @nv/core (same bytes as node:crypto)', () => {
    const file = container(6, segment);
    const f = parseMbn(file);
    expect(f.findings.map((x) => [x.code, x.severity])).toEqual([['NV_MBN_NONCANONICAL_CONTAINER', 'info']]);
    expect(hex(rehashMbn(f))).toBe(hex(rehashMbn(f, NODE_HASH_OPTIONS)));
    const tampered = file.slice();
    tampered[0x3000 + 20]! ^= 1;
    expect(lintMbn(tampered).findings.map((x) => x.code)).toContain('NV_MBN_HASH_MISMATCH');
  });

  it('a fake-signed v5 container: edits make the signature stale (warning)', () => {
    const file = container(5, segment, true);
    expect(parseMbn(file).container.signed).toBe(true);
    const tampered = file.slice();
    tampered[0x3000 + 20]! ^= 1;
    expect(lintMbn(tampered).findings.map((x) => x.code)).toEqual(
      expect.arrayContaining(['NV_MBN_HASH_MISMATCH', 'NV_MBN_SIGNATURE_STALE']),
    );
  });
});

describe('nv: extension attributes carry what the dialect cannot', () => {
  it('odd trailer pad, non-zero spare and trailing bytes round-trip through nv:trailerPad, nv:spareCrc, nv:suffix', () => {
    const f = parseMbn(kat);
    const odd = rehashMbn({ ...f, spareCrc: 0xbeef, trailerPad: Uint8Array.of(0, 0, 0, 0, 0) });
    const withTail = Uint8Array.from([...odd, 1, 2, 3]);
    const p = parseMbn(withTail);
    expect(p.findings.map((x) => x.code)).toEqual([
      'NV_MBN_SPARE_NONZERO',
      'NV_MBN_TRAILER_PAD',
      'NV_MBN_NONCANONICAL_CONTAINER',
      'NV_MBN_TRAILING_BYTES',
    ]);
    const t = toXml(p, { name: 'odd' });
    expect(t.xml).toContain('nv:spareCrc="48879"');
    expect(t.xml).toContain('nv:trailerPad="0000000000"');
    expect(t.xml).toContain('nv:suffix="odd.files/suffix.bin"');
    expect(hex(buildMbn(parseMcfgXml(t.xml), { readFile: (x) => t.files[x] }))).toBe(hex(withTail));
  });
});
