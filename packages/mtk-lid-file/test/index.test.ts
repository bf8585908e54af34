import { describe, it, expect } from 'vitest';
import * as main from '../src/index.ts';
import * as node from '../src/node.ts';
import * as modem from '../src/modem.ts';
import * as errors from '../src/errors.ts';

// Issue 20.2: each entry point is the task-level API, at most 20 runtime values (one typedoc screen).
describe('public API (index.ts, node.ts, modem.ts, errors.ts)', () => {
  it.each([
    ['main', main],
    ['node', node],
    ['modem', modem],
    ['errors', errors],
  ] as const)('%s exports at most 20 runtime values', (_name, mod) => {
    expect(Object.keys(mod).length).toBeLessThanOrEqual(20);
  });

  it('the main entry is the task-level list', () => {
    expect(Object.keys(main).sort()).toEqual(
      [
        'LID_ERROR_CODES',
        'LID_LIMITS',
        'applyLidBitEdits',
        'buildBinRegion',
        'checkApFile',
        'decodeLidBitRecord',
        'decodeLidFile',
        'detectLidGeneration',
        'effectiveLidEntry',
        'encodeLidFile',
        'encodeLidFiles',
        'inspectBinRegion',
        'isLidFileName',
        'lidKeyFromBytes',
        'parseFileVer',
        'parseLidBit',
        'parseLidFileName',
        'patchBinRegionFile',
        'verifyApFiles',
        'verifyLidFiles',
      ].sort(),
    );
    expect(main.LID_LIMITS).toEqual({
      fileBytes: 16 * 1024 * 1024,
      lidBitChars: 4 * 1024 * 1024,
      binRegionBytes: expect.any(Number),
    });
  });
});
