// Shared fast-check arbitraries: random but valid tables of moly-a / moly-b.
import fc from 'fast-check';
import { createLtableEntry } from '../src/sample.ts';
import type { Ltable, LtableEntry, LtableTag, LtableDefault } from '../src/model.ts';

const CATS: Record<'moly-a' | 'moly-b', string[][]> = {
  'moly-a': [
    ['USER'],
    ['CALIBRAT'],
    ['IMPORTANT'],
    ['IMPORTANT_L4'],
    ['CUSTOM_SENSITIVE'],
    ['INTERNAL'],
    ['IMPORTANT_C'],
    ['USER', 'FUNC_DEFAULT'],
    ['OTP'],
  ],
  'moly-b': [
    ['USER'],
    ['CALIBRAT'],
    ['IMPORTANT'],
    ['IMPORTANT_L4'],
    ['CUSTOM_SENSITIVE'],
    ['IMPORTANT_L1', 'FUNC_DEFAULT'],
    ['RESERVED'],
    ['OTP'],
  ],
};
const ATTRS: Record<'moly-a' | 'moly-b', string[]> = {
  'moly-a': [
    'MULTIPLE',
    'CONFIDENTIAL',
    'WRITEPROTECT',
    'MSP',
    'COMMITTED',
    'FACTORY_RESET',
    'SW_VERNO_RESET',
    'BACKUP_RAW',
    'RING',
  ],
  'moly-b': [
    'MULTIPLE',
    'CONFIDENTIAL',
    'WRITEPROTECT',
    'MSP',
    'COMMITTED',
    'OTA_RESET',
    'RESERVE_BACKWARD',
    'RAW_DATA',
    'BACKUP_RAW',
  ],
};
const TAGS: LtableTag[] = [
  'calibration-result',
  'rf-driver-param',
  'barcode',
  'ca-combo',
  'rf-band',
  'imei',
  'sim-lock',
];

export const arbDefault: fc.Arbitrary<LtableDefault> = fc.oneof(
  fc.constant<LtableDefault>({ kind: 'zero' }),
  fc.constant<LtableDefault>({ kind: 'ff' }),
  fc.constant<LtableDefault>({ kind: 'special' }),
  fc.uint8Array({ minLength: 1, maxLength: 8 }).map((b): LtableDefault => ({
    kind: 'bytes',
    symbol: 'DEF_BYTES',
    hex: Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(''),
  })),
  fc.stringMatching(/^[A-Z][A-Z0-9_]{0,12}$/).map((s): LtableDefault => ({ kind: 'symbol', symbol: s })),
);

export function arbEntry(gen: 'moly-a' | 'moly-b', i: number): fc.Arbitrary<LtableEntry> {
  return fc
    .record({
      cats: fc.constantFrom(...CATS[gen]),
      attrs: fc.subarray(ATTRS[gen]),
      size: fc.integer({ min: 1, max: 4096 }),
      records: fc.integer({ min: 1, max: 20 }),
      verno: fc.integer({ min: 0, max: 999 }).map((n) => String(n).padStart(3, '0')),
      def: arbDefault,
      tags: fc.subarray(TAGS, { maxLength: 2 }),
      desc: fc.option(fc.string({ maxLength: 12 }), { nil: null }),
    })
    .map((r) =>
      createLtableEntry(
        {
          name: `NVRAM_EF_T${i}_LID`,
          lid: gen === 'moly-b' ? 0xf100 | i : i,
          size: r.size,
          records: r.records,
          categories: r.cats,
          attributes: r.attrs,
          prefix: `T${i.toString(36).padStart(3, '0')}`,
          verno: r.verno,
          default: r.def.symbol !== undefined ? { ...r.def, symbol: `${r.def.symbol}_${i}` } : r.def,
          tags: r.tags,
          description: r.desc,
        },
        gen,
      ),
    );
}

export function arbTable(gen?: 'moly-a' | 'moly-b', maxEntries = 8): fc.Arbitrary<Ltable> {
  return fc
    .tuple(
      gen !== undefined ? fc.constant(gen) : fc.constantFrom<'moly-a' | 'moly-b'>('moly-a', 'moly-b'),
      fc.integer({ min: 0, max: maxEntries }),
    )
    .chain(([g, n]) => fc.tuple(fc.constant(g), fc.tuple(...Array.from({ length: n }, (_, i) => arbEntry(g, i)))))
    .map(([g, entries]) => ({ generation: g, enumSet: g, entries }));
}
