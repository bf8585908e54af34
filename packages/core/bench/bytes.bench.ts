import { bench, describe } from 'vitest';
import { createHash } from 'node:crypto';
import { ByteReader, ByteWriter } from '../src/bytes.ts';
import { sha256 } from '../src/hash.ts';
import { printRatio } from '../../../scripts/bench-ratio.ts';

// A realistic NV workload: 64 Ki records of (u16 id, u32 size, 128-byte body) ≈ 8.4 MiB.
const RECORDS = 65_536;
const BODY = new Uint8Array(128).map((_, i) => (i * 31) & 0xff);
const data = (() => {
  const w = new ByteWriter(RECORDS * 134);
  for (let i = 0; i < RECORDS; i++)
    w.u16le(i & 0xffff)
      .u32le(BODY.length)
      .bytes(BODY);
  return w.finish();
})();
const hashInput = new Uint8Array(16 * 1024 * 1024).map((_, i) => i & 0xff);

function walkChecked(): void {
  const r = new ByteReader(data);
  while (!r.isAtEnd) {
    r.u16le();
    r.bytesView(r.u32le());
  }
}

function walkRaw(): void {
  const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let p = 0;
  while (p < data.length) {
    v.getUint16(p, true);
    const n = v.getUint32(p + 2, true);
    data.subarray(p + 6, p + 6 + n);
    p += 6 + n;
  }
}

const sizeLabel = `${(data.length / 1048576).toFixed(1)} MiB`;

describe(`record walk over ${sizeLabel}`, () => {
  bench('ByteReader (bounds-checked)', walkChecked);
  bench('raw DataView (reference, no checks)', walkRaw);
});

describe('SHA-256 of 16 MiB', () => {
  bench('@noble/hashes sha256 (ours)', () => {
    sha256(hashInput);
  });
  bench('node:crypto sha256 (reference, OpenSSL)', () => {
    createHash('sha256').update(hashInput).digest();
  });
});

// The ratio lines (stack.md §5), measured once when the bench file loads.
await printRatio('record walk', sizeLabel, walkChecked, walkRaw);
await printRatio(
  'sha256',
  '16 MiB',
  () => sha256(hashInput),
  () => createHash('sha256').update(hashInput).digest(),
);
