import { describe, it, expect } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { realisticMcfgMbns } from '../../../scripts/mcfg-corpus.mjs';
import * as mbn from '../src/index.ts';
import { corpusLine, inspectCorpus, streamCorpus, type CorpusEntry } from '../src/node-corpus.ts';

// The line `nv qcom mbn inspect --json` puts in files[] for one entry, made the plain way.
const plainLine = (e: CorpusEntry): string =>
  JSON.stringify({ path: e.path, ok: e.ok, ...(e.summary ?? {}), ...(e.error ? { error: e.error } : {}) });

describe('node-corpus.ts: JSON Lines corpus mode (issue 17)', () => {
  it('corpusLine is the plain JSON.stringify text, whatever the path holds', () => {
    const summary = mbn.inspectMbn(realisticMcfgMbns(mbn, 1, 40)[0]!);
    const odd = summary.items.map((i, k) => (k % 3 === 0 && i.path ? { ...i, path: `${i.path}"\u0000\\é` } : i));
    for (const e of [
      { path: 'a.mbn', ok: true, summary },
      { path: 'x","items":"\u0000nv-items\u0000"\n', ok: true, summary: { ...summary, items: odd } },
      { path: 'e.mbn', ok: false, error: { code: 'NV_MBN_NOT_ELF', message: 'not "ELF"' } },
      { path: 'empty.mbn', ok: true, summary: { ...summary, items: [] } },
    ] as CorpusEntry[]) {
      expect(corpusLine(e)).toBe(plainLine(e));
      expect(JSON.parse(corpusLine(e))).toEqual(JSON.parse(plainLine(e)));
    }
  });

  it('streamCorpus writes one line per file in input order (workers and batches out of order), counts failures', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nv-mbn-stream-'));
    try {
      const variants = realisticMcfgMbns(mbn, 5, 30);
      for (let i = 0; i < 90; i++) {
        const sub = join(dir, `d${i % 4}`);
        mkdirSync(sub, { recursive: true });
        writeFileSync(join(sub, `m${String(i).padStart(3, '0')}.mbn`), i % 13 === 0 ? 'junk' : variants[i % 5]!);
      }
      const entries = await inspectCorpus([dir], { workers: 0 });
      const expected = entries.map((e) => `${plainLine(e)}\n`).join('');
      for (const options of [{ workers: 0 }, { workers: 2, batch: 3 }]) {
        const chunks: string[] = [];
        const r = await streamCorpus([dir], (t) => chunks.push(t), options);
        expect(r).toEqual({ total: 90, failed: entries.filter((e) => !e.ok).length });
        expect(r.failed).toBe(7);
        expect(chunks.join('')).toBe(expected);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
