import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeLatin1, encodeLatin1 } from '@nv/core/bytes';
import { sha256 } from '@nv/core/hash';
import { parseMbn } from '../src/parse.ts';
import { realisticMcfgMbns } from '../../../scripts/mcfg-corpus.mjs';
import * as mbn from '../src/index.ts';

const katMbn = new Uint8Array(readFileSync(new URL('./vectors/kat-4.5.mbn', import.meta.url)));
const codes = (b: Uint8Array): string[] => parseMbn(b).findings.map((f) => f.code);

describe('parse.ts (issue 17: the same model, fewer passes over the bytes)', () => {
  it('hashes each covered range once: the data segment and the headers, no re-wrap to test canonicity', () => {
    const seen: number[] = [];
    const counting = (d: Uint8Array): Uint8Array => (seen.push(d.length), sha256(d));
    const file = parseMbn(katMbn, { sha256: counting });
    expect(file.container.canonical).toBe(true);
    expect(seen.sort((a, b) => a - b)).toEqual([0x94, file.segmentSize]);
  });

  it('canonical only when every wrapper byte is the canonical one and both digests match', () => {
    expect(parseMbn(katMbn).container.canonical).toBe(true);
    const flip = (at: number): Uint8Array => {
      const c = katMbn.slice();
      c[at]! ^= 1;
      return c;
    };
    // zero fill after the headers, the self slot, the data digest, the headers digest, an ELF header byte
    for (const at of [0x200, 0x1050, 0x1070, 0x1030, 0x24]) {
      const f = parseMbn(flip(at));
      expect(f.container.canonical, `byte 0x${at.toString(16)}`).toBe(false);
      expect(f.container.prefix?.length, `byte 0x${at.toString(16)}`).toBe(0x2000);
      expect(codes(flip(at))).toContain('NV_MBN_NONCANONICAL_CONTAINER');
    }
    expect(codes(flip(0x1070))).toContain('NV_MBN_HASH_MISMATCH');
    expect(codes(flip(0x1030))).toContain('NV_MBN_HEADER_HASH_MISMATCH');
  });

  it('item data are copies (never views of the input), held in one buffer per file', () => {
    const [bytes] = realisticMcfgMbns(mbn, 1, 300);
    const file = parseMbn(bytes!);
    expect(file.items.length).toBe(300 + 6);
    const buffers = new Set(file.items.map((i) => i.data.buffer));
    expect(buffers.size).toBe(1);
    expect(buffers.has(bytes!.buffer)).toBe(false);
    const before = file.items.map((i) => Array.from(i.data).join());
    bytes!.fill(0xee);
    expect(file.items.map((i) => Array.from(i.data).join())).toEqual(before);
  });

  it('a Node Buffer input (a view into a pooled ArrayBuffer) gives the same items as a Uint8Array', () => {
    const [bytes] = realisticMcfgMbns(mbn, 1, 50);
    const pool = Buffer.alloc(bytes!.length + 100);
    const buf = pool.subarray(37, 37 + bytes!.length);
    buf.set(bytes!);
    const a = parseMbn(bytes!).items.map((i) => [i.kind, i.nvId ?? i.path, Buffer.from(i.data).toString('hex')]);
    const b = parseMbn(buf).items.map((i) => [i.kind, i.nvId ?? i.path, Buffer.from(i.data).toString('hex')]);
    expect(b).toEqual(a);
  });

  it('EFS paths: ASCII and bytes 0x80–0xFF decode as before (latin1 through @nv/core)', () => {
    const xml = mbn
      .sampleMcfgXml()
      .replace('/nv/item_files/ims/qp_ims_dpl_config', '/nv/item_files/caf\u00e9/\u00ff\u0080x');
    const file = parseMbn(mbn.buildMbn(mbn.parseMcfgXml(xml)));
    const paths = file.items.filter((i) => i.kind === 'efs').map((i) => i.path);
    expect(paths[0]).toBe(decodeLatin1(encodeLatin1('/nv/item_files/caf\u00e9/\u00ff\u0080x')));
    expect(paths[1]).toBe('/nv/item_files/modem/mmode/lte_bandpref');
  });
});
