import { bench, describe } from 'vitest';
import { createCipheriv, createHash, hash } from 'node:crypto';
import { printRatio } from '../../../scripts/bench-ratio.ts';
import { decodeLidFile, encodeLidFile, type LidEntry } from '../src/lid-file.ts';
import { NODE_LID_CRYPTO } from '../src/node-crypto.ts';

// A realistic gen-B nvdata folder: a few thousand LIDs, record sizes from 4 B to 16 KiB (calibration tables), ≈ 8 MiB of
// records, every 8th LID confidential (AES-128-ECB).
const AES_KEY = Uint8Array.from({ length: 16 }, (_, i) => i * 17);
const lids: { entry: LidEntry; records: Uint8Array[] }[] = [];
let seed = 7;
const rnd = (): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) / 0x1000000;
for (let i = 0; lids.reduce((s, l) => s + l.entry.size * l.entry.records, 0) < 8 * 1024 * 1024; i++) {
  const size = [4, 10, 32, 128, 512, 1024, 4096, 16384][Math.floor(rnd() * 8)]!;
  const records = size >= 4096 ? 1 + Math.floor(rnd() * 3) : 1 + Math.floor(rnd() * 20);
  const conf = i % 8 === 0;
  lids.push({
    entry: { lid: i, size, records, attr: conf ? 8 : 0, category: 0, attributes: conf ? ['CONFIDENTIAL'] : [] },
    records: Array.from({ length: records }, () => Uint8Array.from({ length: size }, () => (rnd() * 256) | 0)),
  });
}
const total = lids.reduce((s, l) => s + l.entry.size * l.entry.records, 0);
const sizeLabel = `${lids.length} LIDs, ${(total / 1048576).toFixed(1)} MiB`;
const files = lids.map((l) => encodeLidFile(l.records, l.entry, { generation: 'B', key: { aesKey: AES_KEY } }));

function ours(): void {
  for (const l of lids) encodeLidFile(l.records, l.entry, { generation: 'B', key: { aesKey: AES_KEY } });
}
// Reference: the same per-record work with node:crypto (MD5 per record, AES-ECB over confidential sections).
function reference(): void {
  for (const l of lids) {
    const conf = l.entry.attributes.includes('CONFIDENTIAL');
    for (const r of l.records) {
      createHash('md5').update(r).digest();
      if (conf) {
        const sec = new Uint8Array(Math.ceil((l.entry.size + 8) / 16) * 16);
        sec.set(r);
        createCipheriv('aes-128-ecb', AES_KEY, null).setAutoPadding(false).update(sec);
      }
    }
  }
}
function verify(): void {
  lids.forEach((l, i) => decodeLidFile(files[i]!, l.entry, { generation: 'B', key: { aesKey: AES_KEY } }));
}

// The `./node` path: the same decode with node:crypto MD5/AES (`NODE_LID_CRYPTO`, what the CLI uses).
function verifyNode(): void {
  lids.forEach((l, i) =>
    decodeLidFile(files[i]!, l.entry, { generation: 'B', key: { aesKey: AES_KEY }, crypto: NODE_LID_CRYPTO }),
  );
}

// What bounds the decode: every record's chk8 is one MD5 (README, Benchmark). This is that MD5 alone, one call per
// record, in node:crypto's cheapest form (one-shot, the digest as a latin1 `binary` string), as the ./node decode takes it.
function md5Only(): void {
  for (const l of lids) for (const r of l.records) hash('md5', r, 'binary');
}

describe(`gen-B encode of an nvdata folder (${sizeLabel})`, () => {
  bench('encodeLidFile (ours, pure TS MD5 + AES)', ours);
  bench('node:crypto MD5 + AES-ECB of the same records (reference)', reference);
  bench('decodeLidFile + verify (ours, pure @noble)', verify);
  bench('decodeLidFile + verify (ours, ./node NODE_LID_CRYPTO)', verifyNode);
  bench('node:crypto MD5 of every record alone (the bound of decode)', md5Only);
});

await printRatio('gen-B encode', sizeLabel, ours, reference);
await printRatio('gen-B decode+verify', sizeLabel, verify, reference);
await printRatio('gen-B decode+verify, ./node crypto', sizeLabel, verifyNode, reference);
await printRatio(
  'gen-B decode+verify, ./node crypto, vs its bound (MD5 of every record)',
  sizeLabel,
  verifyNode,
  md5Only,
);
