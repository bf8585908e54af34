import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { nvItemPath as efsNvItemPath } from '@nv/qcom-efs/model';
import { nvKeyOfPath } from '../src/qcom.ts';
import { nvItemPath } from '../src/qcom-efs-store.ts';

// issue 20.1/20.3: the /nvm/num path rule is @nv/qcom-efs's; the simulator re-exports the builder and reads keys with
// its pattern.
describe('NV item paths in the simulated EFS', () => {
  it('nvItemPath is the qcom-efs one', () => {
    expect(nvItemPath).toBe(efsNvItemPath);
  });

  it('nvKeyOfPath reads back every path the builder writes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 19999 }), fc.integer({ min: 0, max: 255 }), fc.nat(9), (id, k, sub) => {
        expect(nvKeyOfPath(nvItemPath(id, k, sub))).toBe(`${id}${k > 0 ? `_${k}` : ''}${sub > 0 ? `@${sub}` : ''}`);
      }),
      { numRuns: FUZZ_RUNS },
    );
    expect(nvKeyOfPath('/nv/item_files/rfnv/00024997')).toBe('24997');
  });

  it('an id of more than 5 digits is no NV item path (NV ids are 16-bit)', () => {
    expect(nvKeyOfPath('/nvm/num/123456')).toBeUndefined();
    expect(nvKeyOfPath('/nvm/context123/10')).toBeUndefined();
  });
});
