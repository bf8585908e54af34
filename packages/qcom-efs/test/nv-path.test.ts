import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { NV_ITEM_PATH_RE, nvItemPath } from '../src/nv-path.ts';

// issue 20.1: the `/nvm/num/<id>` rule has one owner (lint, QCN ↔ EFS and device-sim call it).
describe('nvItemPath / NV_ITEM_PATH_RE', () => {
  it('builds the paths of qcom-efs.md §2.1', () => {
    expect(nvItemPath(10)).toBe('/nvm/num/10');
    expect(nvItemPath(10, 2)).toBe('/nvm/num/10_2');
    expect(nvItemPath(10, 0, 1)).toBe('/nvm/context1/10');
    expect(nvItemPath(10, 1, 1)).toBe('/nvm/context1/10_1');
  });

  it('the pattern reads back what the builder writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 19999 }), fc.integer({ min: 0, max: 255 }), fc.nat(9), (id, k, sub) => {
        const m = NV_ITEM_PATH_RE.exec(nvItemPath(id, k, sub));
        expect(m).not.toBeNull();
        expect([m?.[1] ?? '0', m?.[2], m?.[3] ?? '0']).toEqual([String(sub), String(id), String(k)]);
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(NV_ITEM_PATH_RE.test('/nvm/num/x')).toBe(false);
    expect(NV_ITEM_PATH_RE.test('/nvm/nums/10')).toBe(false);
  });
});
