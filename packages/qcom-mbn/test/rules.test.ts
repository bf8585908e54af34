import { describe, it, expect } from 'vitest';
import { MCFG_ATTR } from '../src/model.ts';
import { isDuplicateAllowed, isForbiddenEfsPath, isForbiddenNvId, isTrimmed, itemKey } from '../src/rules.ts';

// Expected values written from docs/formats/mcfg.md#items (forbidden list) and #dialects (trim/duplicate rows).
describe('rules.ts: the generator rules shared by build, lint and to-xml', () => {
  it('forbidden NV ids: single ids and both ends of ranges', () => {
    const yes = [69, 70, 91, 95, 121, 140, 453, 585, 706, 1351, 1790, 6828, 6838];
    const no = [0, 1, 68, 71, 94, 120, 141, 452, 454, 584, 707, 6827, 6839, 7232];
    expect(yes.filter((id) => !isForbiddenNvId(id))).toEqual([]);
    expect(no.filter(isForbiddenNvId)).toEqual([]);
  });
  it('forbidden EFS paths: rfnv folder and the autoselect switch only', () => {
    expect(isForbiddenEfsPath('/nv/item_files/rfnv/00020000')).toBe(true);
    expect(isForbiddenEfsPath('/nv/item_files/mcfg/mcfg_autoselect_by_uim')).toBe(true);
    expect(isForbiddenEfsPath('/nv/item_files/mcfg/mcfg_autoselect_by_uim2')).toBe(false);
    expect(isForbiddenEfsPath('/nv/item_files/ims/qp_ims_dpl_config')).toBe(false);
  });
  it('item keys: nv:id, efs:path, none for opaque', () => {
    const base = { type: 1, attrib: 1, spOps: 0, spare: 0, data: new Uint8Array(0) };
    expect(itemKey({ ...base, kind: 'nv', nvId: 71 })).toBe('nv:71');
    expect(itemKey({ ...base, kind: 'efs', path: '/a/b' })).toBe('efs:/a/b');
    expect(itemKey({ ...base, kind: 'opaque' })).toBeUndefined();
  });
  it('duplicates are allowed with S or I, or variant 3/4', () => {
    expect(isDuplicateAllowed({ attrib: MCFG_ATTR.C, type: 1 })).toBe(false);
    expect(isDuplicateAllowed({ attrib: MCFG_ATTR.C | MCFG_ATTR.S, type: 1 })).toBe(true);
    expect(isDuplicateAllowed({ attrib: MCFG_ATTR.C | MCFG_ATTR.I, type: 2 })).toBe(true);
    expect(isDuplicateAllowed({ attrib: MCFG_ATTR.C, type: 3 })).toBe(true);
    expect(isDuplicateAllowed({ attrib: MCFG_ATTR.C, type: 4 })).toBe(true);
    expect(isDuplicateAllowed({ attrib: MCFG_ATTR.C, type: 5 })).toBe(false);
  });
  it('trimming: dialect 1 on D set or C clear, dialect 2 only on D set and C clear', () => {
    const { C, D } = MCFG_ATTR;
    const rows: [number, boolean, boolean][] = [
      // attrib, dialect 1, dialect 2
      [C, false, false],
      [0, true, false],
      [D, true, true],
      [C | D, true, false],
    ];
    for (const [attrib, d1, d2] of rows) {
      expect([isTrimmed(attrib, 1), isTrimmed(attrib, 2)], `attrib 0x${attrib.toString(16)}`).toEqual([d1, d2]);
    }
  });
});
