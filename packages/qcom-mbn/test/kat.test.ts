import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex } from '@nv/core/bytes';
import { sha256Hex } from '@nv/core/hash';
import { hasTool } from '../../../scripts/test-tools.ts';
import { buildMbn, decodeTrailer, parseMbn, parseMcfgXml, sampleMcfgXml, toXml } from '../src/index.ts';
import { wrapCanonical } from '../src/elf.ts';

const vectors = new URL('./vectors/', import.meta.url);
const katMbn = new Uint8Array(readFileSync(new URL('kat-4.5.mbn', vectors)));
const katXml = readFileSync(new URL('kat-4.5.xml', vectors), 'utf8');
const hex = (b: Uint8Array): string => bytesToHex(b);

describe('§4.5 known-answer vector (hand-assembled by scripts/make-vectors.py)', () => {
  it('the vector is the one the spec describes', () => {
    expect(katMbn.length).toBe(8420);
    expect(sha256Hex(katMbn)).toBe('ee5328643fba80422ca9fb4d489dbb9e3cf58b1aaa81e2738a51bf959348c68c');
    expect(sha256Hex(katMbn.subarray(0, 0x94)).startsWith('7080fbc4')).toBe(true);
    expect(sha256Hex(katMbn.subarray(0x2000)).endsWith('203539ee')).toBe(true);
  });

  it('buildMbn(hand-written XML) is byte-identical', () => {
    expect(hex(buildMbn(parseMcfgXml(katXml)))).toBe(hex(katMbn));
  });

  it('parseMbn decodes header, items and trailer', () => {
    const f = parseMbn(katMbn);
    expect(f.findings).toEqual([]);
    expect({
      format: f.format,
      type: f.configType,
      count: f.itemCount,
      carrier: f.carrierIndex,
      version: f.version,
      n: f.segmentSize,
    }).toEqual({
      format: 3,
      type: 1,
      count: 4,
      carrier: 1,
      version: 0x0501050d,
      n: 0xe4,
    });
    expect(f.container).toMatchObject({
      kind: 'elf',
      canonical: true,
      dataOffset: 0x2000,
      hashVersion: 3,
      signed: false,
    });
    expect(f.items.map((i) => [i.kind, i.type, i.attrib, i.nvId ?? i.path, hex(i.data)])).toEqual([
      ['nv', 1, 0x09, 71, '544d4f00000000000000000000'],
      ['nv', 1, 0x29, 848, '000000'],
      ['efs', 2, 0x09, '/nv/item_files/ims/qp_ims_dpl_config', '0000000000010000000000000002'],
    ]);
    expect(hex(f.trailerPad)).toBe('00');
    const t = decodeTrailer(f.trailerTlvs);
    expect(t.findings).toEqual([]);
    expect(t).toMatchObject({
      formatVersion: { major: 1, minor: 0 },
      version: 0x0501050d,
      baseVersion: 0x0501050d,
      mccMnc: { mcc: 310, mnc: 410 },
      name: 'Commercial-TMO',
      iins: { wildcard: false, list: [8949024, 8944302, 8901026, 8901160, 8901260, 8901490] },
    });
  });

  it('build(toXml(parse(x))) === x and toXml is stable', () => {
    const t = toXml(parseMbn(katMbn));
    expect(t.rawItems).toBe(0);
    expect(hex(buildMbn(parseMcfgXml(t.xml)))).toBe(hex(katMbn));
    expect(toXml(parseMbn(buildMbn(parseMcfgXml(t.xml)))).xml).toBe(t.xml);
  });

  it('the bare segment parses and round-trips as bare', () => {
    const bare = katMbn.slice(0x2000);
    const f = parseMbn(bare);
    expect(f.container.kind).toBe('bare');
    const t = toXml(f);
    expect(t.xml).toContain('nv:container="bare"');
    expect(hex(buildMbn(parseMcfgXml(t.xml)))).toBe(hex(bare));
    expect(hex(wrapCanonical(bare))).toBe(hex(katMbn));
  });
});

describe.skipIf(!hasTool('readelf'))('readelf -h -l -W agrees with our ELF fields (needs Debian binutils)', () => {
  it('headers and program headers of the §4.5 vector built by us', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nv-mbn-'));
    try {
      const file = join(dir, 'kat.mbn');
      writeFileSync(file, buildMbn(parseMcfgXml(katXml)));
      const out = execFileSync('readelf', ['-h', '-l', '-W', file], { encoding: 'utf8' });
      expect(out).toMatch(/Class:\s+ELF32/);
      expect(out).toMatch(/Data:\s+2's complement, little endian/);
      expect(out).toMatch(/Type:\s+EXEC/);
      expect(out).toMatch(/Flags:\s+0x5/);
      expect(out).toMatch(/Number of program headers:\s+3/);
      expect(out).toMatch(/Start of program headers:\s+52 \(bytes into file\)/);
      const rows = out
        .split('\n')
        .filter((l) => /^\s+(NULL|LOAD)\s/.test(l))
        .map((l) => l.trim().split(/\s+/));
      expect(rows).toEqual([
        ['NULL', '0x000000', '0x00000000', '0x00000000', '0x00094', '0x00000', '0'],
        ['NULL', '0x001000', '0x00001000', '0x00001000', '0x00088', '0x01000', '0x1000'],
        ['LOAD', '0x002000', '0x00000000', '0x00000000', '0x000e4', '0x000e4', 'RW', '0x4'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a format-4 HW file over one page: A jumps to the next page (§3.3)', () => {
    const big = Array.from({ length: 5000 }, (_, i) => i & 0xff).join(' ');
    const xml = sampleMcfgXml({ format: 4, type: 0, version: 0x0a010800 }).replace(
      '<NvTrlRecord>',
      `<NvEfsItemData fullpathname="/nv/item_files/big" mcfgAttributes="0x01"><Member sizeOf="5000" type="uint8">${big}</Member></NvEfsItemData><NvTrlRecord>`,
    );
    const mbn = buildMbn(parseMcfgXml(xml));
    const n = mbn.length - 0x2000;
    expect(n).toBeGreaterThan(0x1000);
    const a = (n & ~0xfff) + 0x1000;
    const dir = mkdtempSync(join(tmpdir(), 'nv-mbn-'));
    try {
      const file = join(dir, 'hw.mbn');
      writeFileSync(file, mbn);
      const out = execFileSync('readelf', ['-h', '-l', '-W', file], { encoding: 'utf8' });
      const rows = out
        .split('\n')
        .filter((l) => /^\s+(NULL|LOAD)\s/.test(l))
        .map((l) => l.trim().split(/\s+/));
      const h5 = (v: number): string => `0x${v.toString(16).padStart(5, '0')}`;
      expect(rows[1]).toEqual([
        'NULL',
        '0x001000',
        `0x${a.toString(16).padStart(8, '0')}`,
        `0x${a.toString(16).padStart(8, '0')}`,
        '0x00088',
        '0x01000',
        '0x1000',
      ]);
      expect(rows[2]).toEqual(['LOAD', '0x002000', '0x00000000', '0x00000000', h5(n), h5(n), 'RW', '0x4']);
      expect(parseMbn(mbn)).toMatchObject({ format: 4, configType: 0, findings: [] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
