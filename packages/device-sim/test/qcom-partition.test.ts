import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesEqual, bytesToHex, concatBytes, encodeLatin1 } from '@nv/core/bytes';
import { bootQcom, createQcomDevice, erasePartition, flashPartition, writeNvItem } from '../src/qcom.ts';
import { currentEfsKey } from '../src/qcom-device.ts';
import { isBlank, openModemst, sealModemst } from '../src/qcom-cipher.ts';
import { encodeEfs } from '../src/qcom-efs-store.ts';
import {
  erasedPartition,
  headPartition,
  heldBytes,
  isBlankPartition,
  partitionChunks,
  partitionFromBytes,
  readPartition,
} from '../src/qcom-partition.ts';
import { loadQcomDevice, readPartitionFile, saveQcomDevice } from '../src/node-qcom.ts';
import { HW_ID, OWN_ROOT, PRELOAD, fakeFormats, fakeImg, fakeMbn } from './qcom-fixtures.ts';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';

const MIB = 1024 * 1024;
const trust = { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n };
const held = (dev: ReturnType<typeof createQcomDevice>): number => heldBytes(Object.values(dev.state.partitions));

/** A golden copy whose EFS holds one incompressible-ish file of `n` bytes (xorshift, not gzip-friendly). */
function bigImage(n: number): Uint8Array {
  const data = new Uint8Array(n);
  let x = 0x2545f491;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    data[i] = x & 0xff;
  }
  return fakeImg(fakeMbn([...PRELOAD, { path: '/big/blob', kind: 'file', data: bytesToHex(data) }], trust));
}

describe('sparse partitions (issue 17: memory of `sim qcom boot`)', () => {
  it('a fresh device with 64 MiB partitions holds no partition bytes', () => {
    const dev = createQcomDevice({ trust, formats: fakeFormats, partitionSize: 64 * MIB });
    expect(held(dev)).toBe(0);
    expect(dev.state.partitions.fsg.size).toBe(64 * MIB);
    expect(isBlankPartition(dev.state.partitions.modemst1)).toBe(true);
  });

  it('flash keeps the image itself; the boot holds image + one sealed EFS shared by both modemst copies', () => {
    const dev = createQcomDevice({ trust, formats: fakeFormats, partitionSize: 64 * MIB });
    const img = bigImage(MIB);
    flashPartition(dev, 'fsg', img);
    expect(dev.state.partitions.fsg.extents[0]?.bytes).toBe(img); // no copy
    expect(held(dev)).toBe(img.length);
    const r = bootQcom(dev);
    expect(r.source).toBe('fsg');
    expect(r.verified).toBe(true);
    const [m1, m2] = [dev.state.partitions.modemst1, dev.state.partitions.modemst2];
    // Sealing is lazy: until a copy is read, the device holds the image and the two 20-B headers only.
    expect(held(dev)).toBe(img.length + 2 * 20);
    expect(isBlankPartition(m1)).toBe(false); // the header answers; the ciphertext is still not made
    expect(held(dev)).toBe(img.length + 2 * 20);
    // The ciphertext depends on the key only: one buffer, two headers (generations 1 and 2), two tags.
    expect(m1.extents[2]?.bytes).toBe(m2.extents[2]?.bytes);
    const efsBytes = encodeEfs(dev.efs!).length;
    expect(held(dev)).toBe(img.length + efsBytes + 2 * 20);
    expect(openModemst(currentEfsKey(dev.state), m1)).toMatchObject({ status: 'sane', generation: 1 });
    expect(held(dev)).toBe(img.length + efsBytes + 2 * 20 + 32); // modemst1's tag, made when read
    expect(openModemst(currentEfsKey(dev.state), m2)).toMatchObject({ status: 'sane', generation: 2 });
    expect(held(dev)).toBe(img.length + efsBytes + 2 * 52);
    expect(held(dev)).toBeLessThan(3 * 64 * MIB * 0.05); // ≪ the 4 × 64 MiB of partitions
  });

  it('writing a lazily sealed copy out streams it: the sealed bytes, over several windows, without making it whole', () => {
    const dev = createQcomDevice({ trust, formats: fakeFormats, partitionSize: 4 * MIB, seed: 'stream' });
    const img = bigImage(2 * MIB + 3); // an EFS over two 1 MiB windows, not a multiple of 4
    flashPartition(dev, 'fsg', img);
    bootQcom(dev);
    const key = currentEfsKey(dev.state);
    const plain = encodeEfs(dev.efs!);
    const m2 = dev.state.partitions.modemst2;
    const chunks = [...partitionChunks(m2)];
    expect(chunks.length).toBeGreaterThan(4); // header, tag, ≥ 3 windows, fill
    expect(held(dev)).toBe(img.length + 2 * 20 + 32); // only modemst2's tag was made, no ciphertext
    const expected = new Uint8Array(m2.size).fill(0xff);
    expected.set(sealModemst(key, plain, 2));
    expect(bytesEqual(concatBytes(...chunks), expected)).toBe(true);
    // Made whole afterwards (a read), the copy is the same bytes, and chunks then give the made body.
    expect(bytesEqual(readPartition(m2), expected)).toBe(true);
    expect(bytesEqual(concatBytes(...partitionChunks(m2)), expected)).toBe(true);
  });

  it('a lazily sealed copy is the EFS as it was when written, not as it is when first read', () => {
    const dev = createQcomDevice({ trust, formats: fakeFormats, partitionSize: MIB, seed: 'lazy' });
    flashPartition(dev, 'fsg', fakeImg(fakeMbn(PRELOAD, trust)));
    bootQcom(dev); // seals generations 1 and 2, lazily
    const key = currentEfsKey(dev.state);
    const atBoot = encodeEfs(dev.efs!);
    writeNvItem(dev, 10, Uint8Array.of(0x1e, 0x00)); // changes the EFS, re-seals modemst1 (generation 3)
    const now = encodeEfs(dev.efs!);
    expect(bytesEqual(atBoot, now)).toBe(false);
    // modemst2 is read only now: it must hold the boot's EFS, byte for byte as the eager reference seals it.
    expect(bytesToHex(readPartition(dev.state.partitions.modemst2, 0, 52 + atBoot.length))).toBe(
      bytesToHex(sealModemst(key, atBoot, 2)),
    );
    expect(bytesToHex(readPartition(dev.state.partitions.modemst1, 0, 52 + now.length))).toBe(
      bytesToHex(sealModemst(key, now, 3)),
    );
  });

  it('every partition reads byte for byte as the dense model wrote it (image + 0x00, sealed copy + 0xFF)', () => {
    const size = 256 * 1024;
    const dev = createQcomDevice({ trust, formats: fakeFormats, partitionSize: size, seed: 'dense' });
    const img = fakeImg(fakeMbn(PRELOAD, trust));
    flashPartition(dev, 'fsg', img);
    bootQcom(dev);
    writeNvItem(dev, 10, Uint8Array.of(0x1e, 0x00)); // re-seals the older copy only
    const pad = (b: Uint8Array, fill: number): Uint8Array => {
      const out = new Uint8Array(size).fill(fill);
      out.set(b);
      return out;
    };
    expect(bytesToHex(readPartition(dev.state.partitions.fsg))).toBe(bytesToHex(pad(img, 0)));
    expect(bytesToHex(readPartition(dev.state.partitions.fsc))).toBe(bytesToHex(new Uint8Array(size).fill(0xff)));
    const key = currentEfsKey(dev.state);
    const plain = encodeEfs(dev.efs!);
    // modemst1 got generation 3 (boot wrote 1 and 2), sealed by the reference sealModemst.
    expect(bytesToHex(readPartition(dev.state.partitions.modemst1))).toBe(
      bytesToHex(pad(sealModemst(key, plain, 3), 0xff)),
    );
    const o2 = openModemst(key, dev.state.partitions.modemst2);
    expect(o2).toMatchObject({ status: 'sane', generation: 2 });
    erasePartition(dev, 'modemst1');
    expect(dev.state.partitions.modemst1.extents).toEqual([]);
  });

  it('saved state: full-size raw .bin files (readable by every loader), loaded back sparse', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nv-sparse-'));
    try {
      const size = MIB;
      const dev = createQcomDevice({ trust, formats: fakeFormats, partitionSize: size });
      const img = fakeImg(fakeMbn(PRELOAD, trust));
      flashPartition(dev, 'fsg', img);
      bootQcom(dev);
      await saveQcomDevice(dev, dir);
      for (const p of ['modemst1', 'modemst2', 'fsg', 'fsc'] as const) {
        const file = await readFile(join(dir, `${p}.bin`));
        expect(file.length).toBe(size);
        expect(bytesEqual(file, readPartition(dev.state.partitions[p]))).toBe(true);
      }
      const back = await loadQcomDevice(dir, fakeFormats);
      expect(held(back)).toBeLessThan(size / 4);
      expect(bootQcom(back).source).toBe('modemst2'); // the newer copy
      // A folder written by hand the dense way (what older versions saved) loads the same.
      await writeFile(join(dir, 'fsc.bin'), concatBytes(encodeLatin1('x'), new Uint8Array(size - 1).fill(0xff)));
      const again = await loadQcomDevice(dir, fakeFormats);
      expect(readPartition(again.state.partitions.fsc, 0, 2)).toEqual(Uint8Array.of(0x78, 0xff));
      expect(again.state.partitions.fsc.extents[0]?.bytes.length).toBe(1);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('loading reads no trailing fill and shares one ciphertext between the modemst copies, as before saving', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nv-share-'));
    try {
      const dev = createQcomDevice({ trust, formats: fakeFormats, partitionSize: 4 * MIB });
      flashPartition(dev, 'fsg', bigImage(2 * MIB));
      bootQcom(dev);
      await saveQcomDevice(dev, dir);
      const back = await loadQcomDevice(dir, fakeFormats);
      const [m1, m2] = [back.state.partitions.modemst1, back.state.partitions.modemst2];
      expect(m1.extents.at(-1)?.bytes).toBe(m2.extents.at(-1)?.bytes); // one buffer
      const efsBytes = encodeEfs(dev.efs!).length;
      // fsg: the image; modemst: two 52-B heads and one ciphertext; fsc: nothing.
      expect(held(back)).toBe(dev.state.partitions.fsg.extents[0]!.length + 2 * 52 + efsBytes);
      for (const p of ['modemst1', 'modemst2', 'fsg', 'fsc'] as const)
        expect(bytesEqual(readPartition(back.state.partitions[p]), readPartition(dev.state.partitions[p]))).toBe(true);
      expect(bootQcom(back).source).toBe('modemst2');
      // Different ciphertexts (a later write re-seals one copy) are not shared.
      writeNvItem(back, 10, Uint8Array.of(1, 0));
      await saveQcomDevice(back, dir);
      const again = await loadQcomDevice(dir, fakeFormats);
      expect(again.state.partitions.modemst1.extents.at(-1)?.bytes).not.toBe(
        again.state.partitions.modemst2.extents.at(-1)?.bytes,
      );
      expect(bootQcom(again).source).toBe('modemst1');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('property: readPartitionFile(file) reads as partitionFromBytes(the file bytes), fill and all', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nv-part-'));
    try {
      const dump = fc
        .tuple(
          fc.uint8Array({ maxLength: 64 }),
          fc.constantFrom(0x00, 0xff, 0x41),
          fc.nat(3 * 1024),
          fc.constantFrom(0x00, 0xff),
          fc.nat(2 * 1024 * 1024),
        )
        .map(([head, mid, n, tail, t]) =>
          concatBytes(head, new Uint8Array(n).fill(mid), new Uint8Array(t % 5 === 0 ? t : t % 700).fill(tail)),
        );
      let i = 0;
      await fc.assert(
        fc.asyncProperty(dump, async (bytes) => {
          const file = join(dir, `p${i++}.bin`);
          await writeFile(file, bytes);
          const p = await readPartitionFile(file, 64 * MIB);
          const ref = partitionFromBytes(bytes);
          expect(p.size).toBe(ref.size);
          expect(p.fill).toBe(ref.fill);
          expect(heldBytes([p])).toBe(heldBytes([ref]));
          expect(bytesEqual(readPartition(p), bytes)).toBe(true);
        }),
        { numRuns: Math.min(FUZZ_RUNS, 60) },
      );
      await expect(readPartitionFile(join(dir, 'missing.bin'), MIB)).rejects.toMatchObject({ code: 'NV_NOT_FOUND' });
      await writeFile(join(dir, 'big.bin'), new Uint8Array(MIB + 1));
      await expect(readPartitionFile(join(dir, 'big.bin'), MIB)).rejects.toMatchObject({ code: 'NV_LIMIT' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('property: any dump → sparse → the same bytes, the same blank verdict, the same chunks', () => {
    const dump = fc
      .tuple(
        fc.uint8Array({ maxLength: 64 }),
        fc.constantFrom(0x00, 0xff, 0x41),
        fc.nat(200),
        fc.constantFrom(0x00, 0xff),
      )
      .map(([head, mid, n, tail]) => concatBytes(head, new Uint8Array(n).fill(mid), new Uint8Array(n % 7).fill(tail)));
    fc.assert(
      fc.property(dump, fc.nat(300), fc.nat(300), (bytes, a, b) => {
        const p = partitionFromBytes(bytes);
        expect(bytesToHex(readPartition(p))).toBe(bytesToHex(bytes));
        expect(isBlankPartition(p)).toBe(isBlank(bytes));
        expect(bytesToHex(concatBytes(...partitionChunks(p, 16)))).toBe(bytesToHex(bytes));
        const [s, e] = [Math.min(a, b), Math.max(a, b)];
        expect(bytesToHex(readPartition(p, s, e))).toBe(bytesToHex(bytes.slice(s, e)));
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(heldBytes([erasedPartition(1 << 26)])).toBe(0);
    expect(() => headPartition(4, new Uint8Array(5), 0)).toThrow(RangeError);
  });
});
