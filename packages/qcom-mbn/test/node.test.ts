import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bytesToHex } from '@nv/core/bytes';
import { buildMbn, parseMbn, parseMcfgXml, sampleMcfgXml, toXml } from '../src/index.ts';
import { nodeSha256, nodeSha384 } from '@nv/core/node';
import * as mbnNode from '../src/node.ts';
import { NODE_HASH_OPTIONS, createFileResolver, inspectCorpus, writeToXmlOutput } from '../src/node.ts';
import { expandCorpus } from '../src/node-corpus.ts';

const withDir = async (fn: (dir: string) => Promise<void>): Promise<void> => {
  const dir = mkdtempSync(join(tmpdir(), 'nv-mbn-node-'));
  try {
    await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

describe('./node', () => {
  it("hashes through @nv/core/node's one adapter (issue 20.2): no package-local nodeSha256/nodeSha384", () => {
    expect(NODE_HASH_OPTIONS.sha384).toBe(nodeSha384);
    expect(NODE_HASH_OPTIONS.sha256).toBe(nodeSha256);
    expect(Object.keys(mbnNode)).not.toContain('nodeSha384');
    expect(Object.keys(mbnNode)).not.toContain('nodeSha256');
    expect(bytesToHex(NODE_HASH_OPTIONS.sha384!(new TextEncoder().encode('abc')))).toBe(
      'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7',
    );
  });

  it('createFileResolver reads buildPath relative to the XML; writeToXmlOutput writes XML and sidecars that rebuild identically', async () => {
    await withDir(async (dir) => {
      mkdirSync(join(dir, 'src'));
      writeFileSync(join(dir, 'src', 'conf.bin'), new Uint8Array(700).fill(3));
      const xml = sampleMcfgXml().replace(
        '<NvTrlRecord>',
        '<NvEfsFile targetPath="/nv/item_files/big.bin" buildPath="src/conf.bin" mcfgAttributes="0x09"/><NvTrlRecord>',
      );
      const mbn = buildMbn(parseMcfgXml(xml), createFileResolver(dir));
      const t = toXml(parseMbn(mbn), { name: 'out' });
      const written = await writeToXmlOutput(t, join(dir, 'x', 'out.xml'));
      expect(written.map((p) => p.slice(dir.length))).toEqual(['/x/out.xml', '/x/out.files/nv/item_files/big.bin']);
      const again = buildMbn(
        parseMcfgXml(readFileSync(join(dir, 'x', 'out.xml'), 'utf8')),
        createFileResolver(join(dir, 'x')),
      );
      expect(bytesToHex(again)).toBe(bytesToHex(mbn));
      await expect(writeToXmlOutput(t, join(dir, 'x', 'out.xml'))).rejects.toMatchObject({ code: 'NV_EXISTS' });
    });
  });

  it('inspectCorpus: folders expand to *.mbn, results keep input order, bad files are entries with codes', async () => {
    await withDir(async (dir) => {
      const paths: string[] = [];
      for (let i = 0; i < 120; i++) {
        const p = join(dir, `c${i % 3}`, `f${String(i).padStart(3, '0')}.mbn`);
        mkdirSync(dirname(p), { recursive: true });
        writeFileSync(
          p,
          i % 10 === 0
            ? new Uint8Array([1, 2, 3])
            : buildMbn(parseMcfgXml(sampleMcfgXml({ version: 0x05010500 + i, name: `C${i}` }))),
        );
        paths.push(p);
      }
      writeFileSync(join(dir, 'c0', 'notes.txt'), 'not an mbn');
      const expanded = await expandCorpus([dir]);
      expect(expanded.length).toBe(120);
      const entries = await inspectCorpus([dir], { workers: 2, batch: 7 });
      expect(entries.map((e) => e.path)).toEqual(expanded);
      for (const e of entries) {
        const i = Number(/f(\d+)/.exec(e.path)![1]);
        if (i % 10 === 0) expect(e).toMatchObject({ ok: false, error: { code: 'NV_MBN_NOT_ELF' } });
        else expect(e.summary?.trailer.name).toBe(`C${i}`);
      }
      const serial = await inspectCorpus([dir], { workers: 0 });
      expect(serial).toEqual(entries);
      await expect(inspectCorpus([join(dir, 'missing')])).rejects.toMatchObject({ code: 'NV_NOT_FOUND' });
    });
  });
});
