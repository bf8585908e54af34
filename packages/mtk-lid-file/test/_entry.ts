import type { LidEntry } from '../src/lid-file.ts';

/** A small MULTIPLE LID (two 4-byte records, A/B copies) the folder and image tests write and verify. */
export const AB12_ENTRY: LidEntry = {
  lid: 0x33,
  size: 4,
  records: 2,
  attr: 4,
  category: 0,
  attributes: ['MULTIPLE'],
  prefix: 'AB12',
  verno: '001',
};
