import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FUZZ_RUNS, nvErrorCode } from '../../../scripts/test-tools.ts';
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
