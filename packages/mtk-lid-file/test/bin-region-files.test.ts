import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUZZ_RUNS, hasTool, nvErrorCode } from '../../../scripts/test-tools.ts';
import { buildBinRegion } from '../src/bin-region.ts';
import { readBinRegionFiles } from '../src/bin-region-files.ts';

describe('readBinRegionFiles', () => {
  it('property: returns what buildBinRegion packed (names and bytes, in order)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^\/mnt\/vendor\/nvdata\/md\/NVRAM\/[A-Z]{4,8}\/[A-Z0-9_]{8}$/), {
          minLength: 1,
          maxLength: 6,
        }),
        fc.array(fc.uint8Array({ minLength: 1, maxLength: 3000 }), { minLength: 6, maxLength: 6 }),
        (names, bodies) => {
          const files = names.map((name, i) => ({ name, bytes: bodies[i]! }));
          const image = buildBinRegion(files, { blockSize: 0x1000 });
          expect(readBinRegionFiles(image, { blockSize: 0x1000 })).toEqual(files);
        },
      ),
      { numRuns: Math.min(FUZZ_RUNS, 50) },
    );
  });

  it('a changed AllFile byte is NV_LID_BIN_BAD_CHECKSUM; a blank partition NV_LID_BIN_EMPTY', () => {
    const image = buildBinRegion([{ name: 'CALIBRAT/LD00_001', bytes: new Uint8Array(100).fill(5) }], {
      blockSize: 0x1000,
    });
    image[0x1000 + 10]! ^= 1; // AllFile starts in the next good block
    expect(nvErrorCode(() => readBinRegionFiles(image, { blockSize: 0x1000 }))).toBe('NV_LID_BIN_BAD_CHECKSUM');
    expect(nvErrorCode(() => readBinRegionFiles(new Uint8Array(0x10000).fill(0xff)))).toBe('NV_LID_BIN_EMPTY');
  });
});

describe.skipIf(!hasTool('python3'))('readBinRegionFiles on a region our writer did not make (needs python3)', () => {
  it('reads scripts/make-bin-region.py output (spec tables, python stdlib): titles in order, bodies across the bad block', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nv-binfiles-'));
    try {
      const img = join(dir, 'nvram.bin');
      execFileSync('python3', [new URL('../scripts/make-bin-region.py', import.meta.url).pathname, img]);
      const files = readBinRegionFiles(new Uint8Array(readFileSync(img)), { blockSize: 0x1000 });
      expect(files.map((f) => f.name)).toEqual([
        '/mnt/vendor/nvdata/md/NVRAM/NVD_IMEI/LD0B_001',
        'MT79_000',
        'WIFI',
        'BT_Addr',
        'FILE_VER',
      ]);
      const vector = readFileSync(new URL('./vectors/genb-imei-confidential.bin', import.meta.url));
      expect(Buffer.from(files[0]!.bytes).equals(vector)).toBe(true);
      // WIFI (5 000 bytes + 2-byte trailer) spans block 1 and, after the bad block 2, block 3.
      const wifi = files[2]!.bytes;
      expect(wifi.length).toBe(5002);
      for (let i = 0; i < 5000; i++) if (wifi[i] !== ((i * 7 + 3) & 0xff)) expect.fail(`WIFI byte ${i}`);
      expect(Array.from(files[3]!.bytes)).toEqual([1, 2, 3, 4, 5, 6, 0xaa, 0x00]);
      execFileSync('python3', [new URL('../scripts/make-bin-region.py', import.meta.url).pathname, img, '--corrupt']);
      expect(nvErrorCode(() => readBinRegionFiles(new Uint8Array(readFileSync(img)), { blockSize: 0x1000 }))).toBe(
        'NV_LID_BIN_BAD_CHECKSUM',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
