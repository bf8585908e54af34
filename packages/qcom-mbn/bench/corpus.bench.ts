/**
 * Corpus inspect (issue 6 goal: 10 000 files in under 10 s on 2 cores) vs a reference that only reads each file
 * and hashes it with node:crypto SHA-256 — the floor for any tool that looks at every byte of every file
 * (spawning `readelf -h` per file would measure process start-up, about 1–2 ms × 10 000, not parsing).
 */
import { bench, describe } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { printRatio } from '../../../scripts/bench-ratio.ts';
import { buildMbn, parseMcfgXml, sampleMcfgXml } from '../src/index.ts';
import { expandCorpus } from '../src/node-corpus.ts';
import { inspectCorpus } from '../src/node.ts';

const FILES = Number(process.env['NV_BENCH_FILES'] ?? 10_000);
const root = mkdtempSync(join(tmpdir(), 'nv-mbn-corpus-'));
// Seeded variety: 64 distinct configurations (carriers, versions, formats, PLMN lists), spread over 100 folders.
const variants = Array.from({ length: 64 }, (_, i) =>
  buildMbn(
    parseMcfgXml(
      sampleMcfgXml({
        format: i % 2 === 0 ? 3 : 4,
        version: (i % 2 === 0 ? 0x05010000 : 0x0a010000) + (i << 8) + (i & 0xff),
        name: `Carrier-${i}`,
        plmns: Array.from({ length: 1 + (i % 8) }, (_, j) => ({ mcc: 200 + i, mnc: j })),
        iins: Array.from({ length: 1 + (i % 5) }, (_, j) => 8900000 + i * 10 + j),
      }),
    ),
  ),
);
for (let i = 0; i < FILES; i++) {
  const dir = join(root, `d${i % 100}`);
  if (i < 100) mkdirSync(dir);
  writeFileSync(join(dir, `mcfg_sw_${i}.mbn`), variants[i % variants.length]!);
}
const paths = await expandCorpus([root]);

const ours = async (): Promise<void> => {
  const entries = await inspectCorpus([root], { workers: 2 });
  if (entries.length !== FILES || !entries.every((e) => e.ok)) throw new Error('corpus inspect failed');
};
const reference = (): void => {
  for (const p of paths) createHash('sha256').update(readFileSync(p)).digest();
};

describe(`corpus inspect, ${FILES} files`, () => {
  bench('nv: inspectCorpus (2 worker threads)', ours, { iterations: 3, warmupIterations: 1, time: 0 });
  bench('reference: read + node:crypto sha256 (1 thread)', reference, { iterations: 3, warmupIterations: 1, time: 0 });
});

await printRatio('corpus inspect', `${FILES} files`, ours, reference, 3);
