import { bench, describe } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '../../../scripts/test-tools.ts';
import { printRatio } from '../../../scripts/bench-ratio.ts';
import { readEfsFolder, writeEfsImageFile } from '../src/node-efs.ts';

// A realistic EFS tree like the spec's example (§2.9: 2 312 entries, tar 2 424 320 B): 300 folders, 1 700 small
// item files (2–100 B), 300 regular files (1–10 KiB), seeded so every run packs the same bytes.
let seed = 12345;
const rand = (n: number): number => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed % n;
};
const root = mkdtempSync(join(tmpdir(), 'nv-efs-bench-'));
const efs = join(root, 'efs');
const dirs: string[] = [];
for (let i = 0; i < 300; i++) {
  const parent = dirs.length === 0 || rand(4) === 0 ? '' : (dirs[rand(dirs.length)] as string);
  const d = `${parent}/d${i}`;
  dirs.push(d);
  mkdirSync(join(efs, d), { recursive: true });
}
let entries = 1 + dirs.length;
for (let i = 0; i < 2000; i++) {
  const size = i < 1700 ? 2 + rand(99) : 1024 + rand(9 * 1024);
  const data = new Uint8Array(size).map(() => (rand(4) === 0 ? rand(256) : 0));
  writeFileSync(join(efs, dirs[rand(dirs.length)] as string, `f${i}`), data);
  entries++;
}
const tarBytes = Number(
  execFileSync('sh', ['-c', `tar --format=v7 -cf - -C ${JSON.stringify(efs)} . | wc -c`], { encoding: 'utf8' }).trim(),
);
const size = `${entries} entries, ${(tarBytes / 1e6).toFixed(2)} MB tar`;

async function ours(): Promise<void> {
  const { tree } = await readEfsFolder(efs);
  await writeEfsImageFile(join(root, 'ours.tar.gz'), tree, { force: true });
}
function reference(): void {
  execFileSync('sh', [
    '-c',
    `tar --format=v7 -cf - -C ${JSON.stringify(efs)} . | gzip -6 > ${JSON.stringify(join(root, 'ref.tar.gz'))}`,
  ]);
}

describe.skipIf(!hasTool('tar') || !hasTool('gzip'))(`pack an EFS tree (${size}) (needs Debian tar, gzip)`, () => {
  bench('nv qcom efs pack (readEfsFolder + writeEfsImageFile)', ours);
  bench('tar --format=v7 -cf - | gzip -6 (spawned reference)', reference);
});

if (hasTool('tar') && hasTool('gzip')) await printRatio('efs pack', size, ours, reference);
// vitest bench runs the benches after this module body, and no afterAll: clean up at exit.
process.once('exit', () => rmSync(root, { recursive: true, force: true }));
