/**
 * The generator's rules shared by build, parse-side lint and to-xml (docs/formats/mcfg.md#items,
 * docs/formats/mcfg.md#dialects): forbidden NV ids and EFS paths, item keys, which items may repeat a key, and which
 * dialect trims a value.
 * @module
 */
import { MCFG_ATTR, type McfgItem } from './model.ts';

/** NV ids the vendor generator refuses (docs/formats/mcfg.md#items item 4). */
const FORBIDDEN_NV_RANGES: readonly (readonly [number, number])[] = (
  '69,70,91,95,121-140,146,149-159,194,199-208,330-370,376-397,431-439,453,585-706,726-812,856-874,948-1013,' +
  '1033-1189,1210-1301,1312-1340,1351-1790,1877,1898-1903,2080-2085,3253-3282,3386-3388,3515,3632,4257,4548,6828,6838'
)
  .split(',')
  .map((r) => {
    const [a, b] = r.split('-').map(Number);
    return [a!, b ?? a!] as const;
  });

/**
 * True when the vendor generator refuses NV `id` (docs/formats/mcfg.md#items).
 *
 * @example
 * isForbiddenNvId(453); // true
 */
export function isForbiddenNvId(id: number): boolean {
  return FORBIDDEN_NV_RANGES.some(([a, b]) => id >= a && id <= b);
}

/**
 * True when the vendor generator refuses EFS `path` (docs/formats/mcfg.md#items).
 *
 * @example
 * isForbiddenEfsPath('/nv/item_files/rfnv/00020000'); // true
 */
export function isForbiddenEfsPath(path: string): boolean {
  return path.startsWith('/nv/item_files/rfnv/') || path === '/nv/item_files/mcfg/mcfg_autoselect_by_uim';
}

/**
 * Key of an item for duplicate checks and diff: `nv:<id>`, `efs:<path>`, or undefined for opaque items.
 *
 * @example
 * itemKey(parseMbn(bytes).items[0]!); // 'nv:71'
 */
export function itemKey(item: McfgItem): string | undefined {
  if (item.kind === 'nv') return `nv:${item.nvId}`;
  if (item.kind === 'efs') return `efs:${item.path}`;
  return undefined;
}

/**
 * True when an item may repeat its key (docs/formats/mcfg.md#dialects: attr 0x20 or 0x10, or variant 3/4).
 *
 * @example
 * isDuplicateAllowed({ attrib: 0x19, type: 1 }); // true (S bit)
 */
export function isDuplicateAllowed(item: Pick<McfgItem, 'attrib' | 'type'>): boolean {
  return (item.attrib & (MCFG_ATTR.S | MCFG_ATTR.I)) !== 0 || item.type === 3 || item.type === 4;
}

/**
 * docs/formats/mcfg.md#dialects trimming rule: which dialect drops the value and keeps only mask/index bytes.
 *
 * @example
 * isTrimmed(0x18, 1); // true: dialect 1 trims when C is clear
 */
export function isTrimmed(attrib: number, dialect: 1 | 2): boolean {
  const d = (attrib & MCFG_ATTR.D) !== 0;
  const c = (attrib & MCFG_ATTR.C) !== 0;
  return dialect === 1 ? d || !c : d && !c;
}
