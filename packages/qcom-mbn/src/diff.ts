/**
 * Item-level diff of two MCFG files (docs/formats/mcfg.md#overview: keys `nv:<id>[#index]`, `efs:<path>`, per type).
 * @module
 */
import { bytesEqual, bytesToHex, decodeLatin1 } from '@nv/core/bytes';
import { MCFG_ATTR, type McfgFile, type McfgItem } from './model.ts';
import { decodeTrailer } from './trailer.ts';

/** A decoded item value as diff reports it. */
export interface McfgDiffValue {
  readonly type: number;
  readonly attributes: number;
  readonly size: number;
  /** Subscription mask, if S. */
  readonly mask?: number;
  /** Value bytes after mask/index, hex. */
  readonly hex: string;
  /** Little-endian integer for 1, 2 or 4-byte values. */
  readonly int?: number;
  /**
   * Text when the value is a printable ASCII string (≥ 3 characters, NULs trimmed). A 1, 2, 4 or 8-byte value
   * without a NUL terminator is a number, never text.
   */
  readonly text?: string;
}

/** One changed item or header/trailer field. */
export interface McfgDiffChange {
  readonly key: string;
  readonly from: McfgDiffValue | string | number | null;
  readonly to: McfgDiffValue | string | number | null;
}

/** Result of {@link diffMbn}. */
export interface McfgDiff {
  readonly added: readonly ({ readonly key: string } & McfgDiffValue)[];
  readonly removed: readonly ({ readonly key: string } & McfgDiffValue)[];
  readonly changed: readonly McfgDiffChange[];
}

/**
 * Diff key of an item: `nv:<id>[#index]`, `efs:<path>`, with `/t<type>` for non-default types (3, 4, 5 …), `raw:<type>` for opaque.
 *
 * @example
 * diffKey(item); // 'nv:848#0'
 */
export function diffKey(item: McfgItem): string {
  const index = item.attrib & MCFG_ATTR.I ? item.data[item.attrib & MCFG_ATTR.S ? 1 : 0] : undefined;
  const idx = index === undefined ? '' : `#${index}`;
  if (item.kind === 'nv') return `nv:${item.nvId}${idx}${item.type === 1 ? '' : `/t${item.type}`}`;
  if (item.kind === 'efs') return `efs:${item.path}${idx}${item.type === 2 ? '' : `/t${item.type}`}`;
  return `raw:${item.type}`;
}

/**
 * Decodes an item's value for display.
 *
 * @example
 * describeItem(item).text; // 'TMO'
 */
export function describeItem(item: McfgItem): McfgDiffValue {
  let o = 0;
  let mask: number | undefined;
  if (item.kind !== 'opaque' && item.attrib & MCFG_ATTR.S && item.data.length > 0) mask = item.data[o++];
  if (item.kind !== 'opaque' && item.attrib & MCFG_ATTR.I) o++;
  const v = item.data.subarray(Math.min(o, item.data.length));
  const out: { -readonly [K in keyof McfgDiffValue]: McfgDiffValue[K] } = {
    type: item.type,
    attributes: item.attrib,
    size: item.data.length,
    hex: bytesToHex(v),
  };
  if (mask !== undefined) out.mask = mask;
  if (v.length === 1 || v.length === 2 || v.length === 4) out.int = v.reduce((s, b, i) => s + b * 2 ** (8 * i), 0);
  const text = decodeLatin1(v).replace(/\0+$/, '');
  const numberSized = [1, 2, 4, 8].includes(v.length) && text.length === v.length;
  if (text.length >= 3 && !numberSized && /^[\x20-\x7e]+$/.test(text)) out.text = text;
  return out;
}

const hx2 = (v: number): string => `0x${v.toString(16).toUpperCase().padStart(2, '0')}`;

/** Up to `max` bytes of hex, then `… (n bytes)` so that lines stay readable. */
function shortHex(hex: string, max = 16): string {
  const n = hex.length / 2;
  if (n === 0) return '(empty)';
  const spaced = (h: string): string => h.replace(/(..)(?!$)/g, '$1 ');
  return n <= max ? spaced(hex) : `${spaced(hex.slice(0, 2 * max))} … (${n} bytes)`;
}

/**
 * One value for the text view: the integer (1, 2, 4-byte values), the string, or short hex.
 *
 * @example
 * formatDiffValue(describeItem(item)); // '1 (01)'
 */
export function formatDiffValue(v: McfgDiffValue): string {
  if (v.text !== undefined) return JSON.stringify(v.text);
  if (v.int !== undefined) return `${v.int} (${shortHex(v.hex)})`;
  return shortHex(v.hex);
}

/**
 * The text view of one changed entry: each part that differs (attributes, mask, type, size, value), never
 * `x → x`. Header/trailer fields print as `from → to`.
 *
 * @example
 * formatDiffChange(change); // 'attr 0x19 → 0x09; mask 0x07 → 0x01'
 */
export function formatDiffChange(change: McfgDiffChange): string {
  const { from, to } = change;
  if (from === null || to === null || typeof from !== 'object' || typeof to !== 'object')
    return `${from === null ? '-' : typeof from === 'object' ? formatDiffValue(from) : String(from)} → ${to === null ? '-' : typeof to === 'object' ? formatDiffValue(to) : String(to)}`;
  const parts: string[] = [];
  if (from.type !== to.type) parts.push(`type ${from.type} → ${to.type}`);
  if (from.attributes !== to.attributes) parts.push(`attr ${hx2(from.attributes)} → ${hx2(to.attributes)}`);
  if (from.mask !== to.mask)
    parts.push(
      `mask ${from.mask === undefined ? '-' : hx2(from.mask)} → ${to.mask === undefined ? '-' : hx2(to.mask)}`,
    );
  if (from.hex !== to.hex) {
    const a = from.hex;
    const b = to.hex;
    let i = 0;
    while (i < a.length && i < b.length && a.slice(i, i + 2) === b.slice(i, i + 2)) i += 2;
    const big = Math.max(a.length, b.length) / 2 > 16;
    parts.push(
      big
        ? `value (${a.length / 2} → ${b.length / 2} bytes) differs from +${i / 2}: ${shortHex(a.slice(i), 8)} → ${shortHex(b.slice(i), 8)}`
        : `value ${formatDiffValue(from)} → ${formatDiffValue(to)}`,
    );
  } else if (from.size !== to.size) parts.push(`size ${from.size} → ${to.size}`);
  // Same value bytes but different sp_ops/spare/index bytes.
  return parts.length > 0 ? parts.join('; ') : 'prefix bytes (sp_ops/spare/index) differ';
}

/** True when {@link diffMbn} found any difference. */
export function diffIsEmpty(d: McfgDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}

/**
 * The text view of a diff, one row per entry: `+` added, `-` removed, `~` changed; then the key and what changed
 * (attributes, mask and value for added/removed items; {@link formatDiffChange} for changes). `nv qcom mbn diff`
 * prints these rows as a table.
 *
 * @example
 * diffRows(diffMbn(parseMbn(a), parseMbn(b))); // [['~', 'header:version', '0x0501050D → 0x0501050E'], …]
 */
export function diffRows(d: McfgDiff): [sign: '+' | '-' | '~', key: string, change: string][] {
  const item = (x: McfgDiffValue): string =>
    `attr ${hx2(x.attributes)}${x.mask === undefined ? '' : ` mask ${hx2(x.mask)}`}  ${formatDiffValue(x)}`;
  return [
    ...d.added.map((x) => ['+', x.key, item(x)] as ['+', string, string]),
    ...d.removed.map((x) => ['-', x.key, item(x)] as ['-', string, string]),
    ...d.changed.map((c) => ['~', c.key, formatDiffChange(c)] as ['~', string, string]),
  ];
}

function keyed(file: McfgFile): Map<string, McfgItem> {
  const map = new Map<string, McfgItem>();
  for (const item of file.items) {
    const base = diffKey(item);
    let key = base;
    for (let n = 2; map.has(key); n++) key = `${base}[${n}]`;
    map.set(key, item);
  }
  return map;
}

/**
 * Item-level differences from `a` to `b`, plus header and trailer fields (`header:version`, `trailer:name` …).
 *
 * @example
 * const { added, removed, changed } = diffMbn(parseMbn(a), parseMbn(b));
 */
export function diffMbn(a: McfgFile, b: McfgFile): McfgDiff {
  const ka = keyed(a);
  const kb = keyed(b);
  const added: ({ key: string } & McfgDiffValue)[] = [];
  const removed: ({ key: string } & McfgDiffValue)[] = [];
  const changed: McfgDiffChange[] = [];
  const field = (key: string, x: string | number | undefined, y: string | number | undefined): void => {
    if (x !== y) changed.push({ key, from: x ?? null, to: y ?? null });
  };
  const hex8 = (v: number | undefined): string | undefined =>
    v === undefined ? undefined : `0x${v.toString(16).toUpperCase().padStart(8, '0')}`;
  field('header:format', a.format, b.format);
  field('header:type', a.configType, b.configType);
  field('header:carrierIndex', a.carrierIndex, b.carrierIndex);
  field('header:version', hex8(a.version), hex8(b.version));
  for (const [key, item] of ka) {
    const other = kb.get(key);
    if (!other) removed.push({ key, ...describeItem(item) });
    else if (
      other.attrib !== item.attrib ||
      other.spOps !== item.spOps ||
      other.spare !== item.spare ||
      !bytesEqual(other.data, item.data)
    ) {
      changed.push({ key, from: describeItem(item), to: describeItem(other) });
    }
  }
  for (const [key, item] of kb) if (!ka.has(key)) added.push({ key, ...describeItem(item) });
  const ta = decodeTrailer(a.trailerTlvs);
  const tb = decodeTrailer(b.trailerTlvs);
  field('trailer:version', hex8(ta.version), hex8(tb.version));
  field('trailer:baseVersion', hex8(ta.baseVersion), hex8(tb.baseVersion));
  field('trailer:name', ta.name, tb.name);
  field('trailer:category', ta.category, tb.category);
  field(
    'trailer:mccMnc',
    ta.mccMnc && `${ta.mccMnc.mcc}-${ta.mccMnc.mnc}`,
    tb.mccMnc && `${tb.mccMnc.mcc}-${tb.mccMnc.mnc}`,
  );
  field(
    'trailer:iins',
    ta.iins && `${ta.iins.wildcard ? '*,' : ''}${ta.iins.list.join(',')}`,
    tb.iins && `${tb.iins.wildcard ? '*,' : ''}${tb.iins.list.join(',')}`,
  );
  field(
    'trailer:plmns',
    ta.plmns && ta.plmns.list.map((p) => `${p.mcc}-${p.mnc}`).join(','),
    tb.plmns && tb.plmns.list.map((p) => `${p.mcc}-${p.mnc}`).join(','),
  );
  field('trailer:iinPrefixes', ta.iinPrefixes?.join(','), tb.iinPrefixes?.join(','));
  if (!bytesEqual(a.trailerTlvs, b.trailerTlvs) && !changed.some((c) => c.key.startsWith('trailer:')))
    field('trailer:tlvs', bytesToHex(a.trailerTlvs), bytesToHex(b.trailerTlvs));
  return { added, removed, changed };
}
