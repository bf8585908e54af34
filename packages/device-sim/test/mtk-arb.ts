// fast-check arbitraries for the MediaTek simulator tests: an old table (one entry per drawn class) and a new
// table made from it by per-entry changes (VERNO bump, size, default, attributes, prefix, removal) plus added LIDs.
import fc from 'fast-check';
import { createLtableEntry, type LtableEntryInit } from '@nv/mtk-nvram-ltable/sample';
import type { Ltable, LtableEntry, LtableTag } from '@nv/mtk-nvram-ltable';

type Gen = 'moly-a' | 'moly-b';
export type Kind = 'user' | 'cust' | 'l1' | 'cal' | 'barcode' | 'rfdrv' | 'imp' | 'l4' | 'rf';
const KINDS: readonly Kind[] = ['user', 'cust', 'l1', 'cal', 'barcode', 'rfdrv', 'imp', 'l4', 'rf'];
export type Change =
  | 'none'
  | 'verUp'
  | 'size'
  | 'records'
  | 'default'
  | 'resetBit'
  | 'prefix'
  | 'remove'
  | 'conf'
  | 'multiple'
  | 'reserveBackward'
  | 'category'
  | 'toUnit'
  | 'fromUnit'
  | 'confSize'
  | 'rbIdentity'
  | 'faConf'
  | 'faSize';
const CHANGES: readonly Change[] = [
  'none',
  'none',
  'verUp',
  'size',
  'records',
  'default',
  'resetBit',
  'prefix',
  'remove',
  'conf',
  'multiple',
  'reserveBackward',
  'category',
  'toUnit',
  'fromUnit',
  'confSize',
  'rbIdentity',
  'faConf',
  'faSize',
];

export function kindInit(
  kind: Kind,
  gen: Gen,
  i: number,
  size: number,
  records: number,
  verno: number,
  multiple: boolean,
  defHex: string | null,
): LtableEntryInit {
  const cats: Record<Kind, string[]> = {
    user: ['USER'],
    cust: ['CUSTOM_SENSITIVE'],
    l1: gen === 'moly-b' ? ['IMPORTANT_L1'] : ['USER'],
    cal: ['CALIBRAT'],
    barcode: ['CALIBRAT'],
    rfdrv: ['CALIBRAT'],
    imp: ['IMPORTANT'],
    l4: ['IMPORTANT_L4'],
    rf: ['USER'],
  };
  const tags: Record<Kind, LtableTag[]> = {
    user: [],
    cust: [],
    l1: [],
    cal: ['calibration-result'],
    barcode: ['barcode'],
    rfdrv: ['rf-driver-param'],
    imp: ['imei'],
    l4: ['sim-lock'],
    rf: ['rf-band'],
  };
  return {
    name: `NVRAM_EF_${kind.toUpperCase()}${i}_LID`,
    lid: gen === 'moly-b' ? 0xf100 | i : i,
    size,
    records,
    categories: cats[kind],
    attributes: multiple ? ['MULTIPLE'] : [],
    prefix: `Q${i.toString(36).padStart(3, '0')}`,
    verno: String(verno).padStart(3, '0'),
    default: defHex === null ? { kind: 'zero' } : { kind: 'bytes', symbol: `D${i}`, hex: defHex },
    tags: tags[kind],
  };
}

const toggle = (list: readonly string[], name: string): string[] =>
  list.includes(name) ? list.filter((x) => x !== name) : [...list, name];
const hexOf = (n: number, byte: number): string => byte.toString(16).padStart(2, '0').repeat(n);

export interface TablePair {
  readonly old: Ltable;
  readonly next: Ltable;
  readonly kinds: readonly Kind[];
  readonly changes: readonly Change[];
}

export function arbTablePair(
  gen?: Gen,
  kinds: readonly Kind[] = KINDS,
  changes: readonly Change[] = CHANGES,
): fc.Arbitrary<TablePair> {
  const genArb = gen !== undefined ? fc.constant(gen) : fc.constantFrom<Gen>('moly-a', 'moly-b');
  return genArb
    .chain((g) =>
      fc
        .array(
          fc.record({
            kind: fc.constantFrom(...kinds),
            size: fc.integer({ min: 1, max: 48 }),
            records: fc.integer({ min: 1, max: 3 }),
            verno: fc.integer({ min: 0, max: 900 }),
            multiple: fc.boolean(),
            def: fc.option(fc.integer({ min: 1, max: 255 }), { nil: null }),
            change: fc.constantFrom(...changes),
          }),
          { minLength: 1, maxLength: 8 },
        )
        .chain((rows) =>
          fc.tuple(fc.constant(g), fc.constant(rows), fc.integer({ min: 0, max: 2 }), fc.constantFrom(...kinds)),
        ),
    )
    .map(([g, rows, added, addKind]) => {
      const set = g;
      const oldEntries: LtableEntry[] = [];
      const newEntries: LtableEntry[] = [];
      rows.forEach((r, i) => {
        const base = kindInit(
          r.kind,
          g,
          i,
          r.size,
          r.records,
          r.verno,
          r.multiple,
          r.def === null ? null : hexOf(r.size, r.def),
        );
        // rbIdentity: a moly-b user LID with RESERVE_BACKWARD whose MULTIPLE, category or prefix (with a VERNO bump) changes (rows 19, 19p).
        const rbId = r.change === 'rbIdentity' && g === 'moly-b' && r.kind === 'user';
        // faConf / faSize (moly-b): a FAULT_ASSERT LID (not rf: row 3 is a policy) whose first read fails after a CONFIDENTIAL toggle or a size change.
        const fa = (r.change === 'faConf' || r.change === 'faSize') && r.kind !== 'rf' && g === 'moly-b'; // FAULT_ASSERT is a moly-b attribute
        const init: LtableEntryInit = rbId
          ? { ...base, attributes: [...(base.attributes ?? []), 'RESERVE_BACKWARD'] }
          : fa
            ? { ...base, attributes: [...(base.attributes ?? []), 'FAULT_ASSERT'] }
            : base;
        oldEntries.push(createLtableEntry(init, set));
        let n: LtableEntryInit | null = init;
        const attrs = init.attributes ?? [];
        switch (r.change) {
          case 'verUp':
            n = { ...init, verno: String(r.verno + 1).padStart(3, '0') };
            break;
          case 'size':
            n = {
              ...init,
              size: r.size + 1,
              default:
                init.default?.kind === 'bytes'
                  ? { kind: 'bytes', symbol: `D${i}`, hex: hexOf(r.size + 1, r.def ?? 0) }
                  : init.default,
            };
            break;
          case 'records':
            n = { ...init, records: r.records + 1 };
            break;
          case 'default':
            n = { ...init, default: { kind: 'bytes', symbol: `D${i}`, hex: hexOf(r.size, ((r.def ?? 0) + 1) & 0xff) } };
            break;
          case 'resetBit':
            n = { ...init, attributes: toggle(attrs, g === 'moly-b' ? 'OTA_RESET' : 'SW_VERNO_RESET') };
            break;
          case 'prefix':
            n = { ...init, prefix: `R${i.toString(36).padStart(3, '0')}` };
            break;
          case 'remove':
            n = r.kind === 'l4' ? init : null;
            break;
          case 'conf':
            n = { ...init, attributes: toggle(attrs, 'CONFIDENTIAL') };
            break;
          case 'multiple':
            n = { ...init, attributes: toggle(attrs, 'MULTIPLE') };
            break;
          case 'reserveBackward':
            n =
              g === 'moly-b' && r.kind === 'user'
                ? {
                    ...init,
                    attributes: toggle(attrs, 'RESERVE_BACKWARD'),
                    verno: String(r.verno + 1).padStart(3, '0'),
                  }
                : init;
            break;
          case 'category':
            n =
              r.kind === 'user' || r.kind === 'cust' || r.kind === 'l1'
                ? { ...init, categories: r.kind === 'user' ? ['CUSTOM_SENSITIVE'] : ['USER'] }
                : init;
            break;
          // An ordinary LID that becomes unit data (row X7); CONFIDENTIAL toggled together with a size change (row 20).
          case 'toUnit':
            n =
              r.kind === 'user' || r.kind === 'cust'
                ? {
                    ...init,
                    categories: [['CALIBRAT'], ['IMPORTANT'], ['IMPORTANT_L4']][i % 3] as string[],
                    attributes: [],
                  }
                : init;
            break;
          // IMPORTANT → USER / IMPORTANT_L4 → CALIBRAT with a VERNO bump: the IMPORTANT VERNO assert no longer applies (rows 4, 7).
          case 'fromUnit':
            n =
              r.kind === 'imp' || r.kind === 'l4'
                ? {
                    ...init,
                    categories: r.kind === 'imp' ? ['USER'] : ['CALIBRAT'],
                    tags: [],
                    verno: String(r.verno + 1).padStart(3, '0'),
                  }
                : init;
            break;
          case 'rbIdentity': {
            const attrsRb = toggle(attrs, 'MULTIPLE');
            n = !rbId
              ? init
              : ([
                  { ...init, attributes: attrsRb },
                  { ...init, categories: ['CUSTOM_SENSITIVE'] },
                  {
                    ...init,
                    prefix: `R${i.toString(36).padStart(3, '0')}`,
                    verno: String(r.verno + 1).padStart(3, '0'),
                  },
                ][r.size % 3] as LtableEntryInit);
            break;
          }
          case 'faConf':
            n = fa ? { ...init, attributes: toggle(attrs, 'CONFIDENTIAL') } : init;
            break;
          case 'faSize':
            n = fa ? { ...init, size: r.size + 1, default: { kind: 'zero' } } : init;
            break;
          case 'confSize':
            n =
              r.kind === 'user'
                ? { ...init, attributes: toggle(attrs, 'CONFIDENTIAL'), size: r.size + 1, default: { kind: 'zero' } }
                : init;
            break;
          default:
            break;
        }
        if (n !== null) newEntries.push(createLtableEntry(n, set));
      });
      for (let k = 0; k < added; k++)
        newEntries.push(createLtableEntry(kindInit(addKind, g, 50 + k, 8, 1, 0, false, null), set));
      return {
        old: { generation: g, enumSet: g, entries: oldEntries },
        next: { generation: g, enumSet: g, entries: newEntries },
        kinds: rows.map((r) => r.kind),
        changes: rows.map((r) => r.change),
      };
    });
}
