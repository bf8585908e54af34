/**
 * JSON import/export of the table model (docs/formats/lid-table.md#json), validated against the published schema's rules.
 * @module
 */
import { NvError } from '@nv/core';
import {
  LTABLE_ENUMS,
  LTABLE_ENUM_SETS,
  LTABLE_GENERATIONS,
  LTABLE_ATTR_MASK,
  decodeBits,
  bitValue,
  defaultEnumSet,
  type LtableEnumSet,
  type LtableGeneration,
  type LtableEnumBit,
} from './enums.ts';
import {
  LTABLE_DEFAULT_KINDS,
  LTABLE_TAGS,
  type Ltable,
  type LtableDefault,
  type LtableEntry,
  type LtableTag,
} from './model.ts';

/** Hard limit on entries in one table (real tables hold a few thousand). */
export const LTABLE_MAX_ENTRIES = 65_536;
/** Hard limit on JSON text length accepted by {@link parseLtableJson} (64 MiB). */
export const LTABLE_MAX_JSON_CHARS: number = 64 * 1024 * 1024;

/**
 * The enum set that decodes `table`: its own, or the generation's default.
 * @throws NV_LTABLE_ENUMSET_REQUIRED for maui without one.
 * @example enumSetOf({ generation: 'moly-b' }) // 'moly-b'
 */
export function enumSetOf(table: Pick<Ltable, 'generation' | 'enumSet'>): LtableEnumSet {
  const set = table.enumSet ?? defaultEnumSet(table.generation);
  if (set === undefined)
    throw new NvError(
      'NV_LTABLE_ENUMSET_REQUIRED',
      'a maui table needs an enum set (maui-1, maui-2 or maui-3): the MAUI category values differ per build (spec §4.3)',
    );
  return set;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function bad(path: string, what: string, entryName?: string): NvError {
  const who = entryName !== undefined ? ` (entry ${entryName})` : '';
  return new NvError('NV_LTABLE_BAD_JSON', `${path}${who}: ${what}`, { path });
}

function otherGenerationHas(
  kind: 'attributes' | 'categories',
  name: string,
  enumSet: LtableEnumSet,
): LtableEnumSet | undefined {
  return LTABLE_ENUM_SETS.find((s) => s !== enumSet && bitValue(LTABLE_ENUMS[s][kind], name) !== undefined);
}

/**
 * ORs symbolic names into a value. `NVRAM_ATTR_`/`NVRAM_CATEGORY_` prefixes are accepted.
 * @throws NV_LTABLE_UNKNOWN_ATTR / NV_LTABLE_UNKNOWN_CATEGORY, or NV_LTABLE_GEN_MISMATCH when the name belongs to another generation.
 * @example namesToValue('attributes', ['MULTIPLE', 'CONFIDENTIAL'], 'moly-b') // 0x0c
 */
export function namesToValue(
  kind: 'attributes' | 'categories',
  names: readonly string[],
  enumSet: LtableEnumSet,
  path: string = kind,
): number {
  const bits: readonly LtableEnumBit[] = LTABLE_ENUMS[enumSet][kind];
  let value = 0;
  for (const raw of names) {
    const name = raw.replace(/^NVRAM_(ATTR|CATEGORY)_/, '');
    const v = bitValue(bits, name);
    if (v === undefined) {
      const other = otherGenerationHas(kind, name, enumSet);
      if (other !== undefined)
        throw new NvError('NV_LTABLE_GEN_MISMATCH', `${path}: ${name} is a ${other} name, not valid under ${enumSet}`, {
          path,
        });
      throw new NvError(
        kind === 'attributes' ? 'NV_LTABLE_UNKNOWN_ATTR' : 'NV_LTABLE_UNKNOWN_CATEGORY',
        `${path}: ${name} is not a ${enumSet} ${kind === 'attributes' ? 'attribute' : 'category'}`,
        { path },
      );
    }
    value = (value | v) >>> 0;
  }
  return value;
}

/**
 * Names of a value's bits. @throws NV_LTABLE_UNKNOWN_ATTR / NV_LTABLE_UNKNOWN_CATEGORY when a bit has no name in the set.
 * @example valueToNames('categories', 0x1000, 'moly-a') // ['CALIBRAT']
 */
export function valueToNames(
  kind: 'attributes' | 'categories',
  value: number,
  enumSet: LtableEnumSet,
  path: string = kind,
): string[] {
  const { names, unknown } = decodeBits(LTABLE_ENUMS[enumSet][kind], value);
  if (unknown !== 0) {
    throw new NvError(
      kind === 'attributes' ? 'NV_LTABLE_UNKNOWN_ATTR' : 'NV_LTABLE_UNKNOWN_CATEGORY',
      `${path}: bits 0x${unknown.toString(16)} have no ${enumSet} name`,
      { path },
    );
  }
  return names;
}

function readInt(
  o: Record<string, unknown>,
  key: string,
  path: string,
  max: number,
  entryName: string | undefined,
): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > max)
    throw bad(`${path}.${key}`, `must be an integer 0..${max}, got ${JSON.stringify(v)}`, entryName);
  return v;
}

function readDefault(v: unknown, path: string, entryName: string): LtableDefault {
  if (!isObj(v)) throw bad(path, 'must be an object {kind, symbol?, hex?}', entryName);
  const kind = v['kind'];
  if (typeof kind !== 'string' || !(LTABLE_DEFAULT_KINDS as readonly string[]).includes(kind))
    throw bad(`${path}.kind`, `must be one of ${LTABLE_DEFAULT_KINDS.join(', ')}`, entryName);
  const out: { kind: LtableDefault['kind']; symbol?: string; hex?: string } = { kind: kind as LtableDefault['kind'] };
  if (v['symbol'] !== undefined && v['symbol'] !== null) {
    if (typeof v['symbol'] !== 'string') throw bad(`${path}.symbol`, 'must be a string', entryName);
    out.symbol = v['symbol'];
  }
  if (v['hex'] !== undefined && v['hex'] !== null) {
    if (typeof v['hex'] !== 'string' || !/^([0-9a-fA-F]{2})*$/.test(v['hex']))
      throw bad(`${path}.hex`, 'must be whole bytes of hex digits', entryName);
    out.hex = v['hex'].toLowerCase();
  }
  if (kind === 'bytes' && out.hex === undefined) throw bad(`${path}.hex`, 'is required for kind "bytes"', entryName);
  if (['func', 'custpack', 'secupack', 'symbol'].includes(kind) && out.symbol === undefined)
    throw bad(`${path}.symbol`, `is required for kind "${kind}"`, entryName);
  return out;
}

function readNames(v: unknown, path: string, entryName: string): string[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    throw bad(path, 'must be an array of names', entryName);
  return v as string[];
}

function readEntry(v: unknown, i: number, enumSet: LtableEnumSet, generation: LtableGeneration): LtableEntry {
  const path = `entries[${i}]`;
  if (!isObj(v)) throw bad(path, 'must be an object');
  const name = v['name'];
  if (typeof name !== 'string' || name.length === 0 || name.length > 256)
    throw bad(`${path}.name`, 'must be a non-empty string (≤ 256 chars)');
  const at = `${path}`;
  const lidRaw = v['lid'];
  let lid: number | null;
  if (lidRaw === null || lidRaw === undefined) lid = null;
  else lid = readInt(v, 'lid', at, 0xffffffff, name);
  const size = readInt(v, 'size', at, 0xffffffff, name);
  const records = readInt(v, 'records', at, 0xffffffff, name);
  // Numbers and names must agree when both are given; either alone is enough.
  const resolve = (
    kind: 'attributes' | 'categories',
    numKey: string,
    mask: number,
  ): { value: number; names: string[] } => {
    const names = readNames(v[kind], `${at}.${kind}`, name);
    let value: number | undefined;
    if (v[numKey] !== undefined) value = readInt(v, numKey, at, mask, name);
    if (value === undefined && names === undefined) throw bad(`${at}.${kind}`, `needs ${numKey} or ${kind}`, name);
    const fromNames =
      names !== undefined ? namesToValue(kind, names, enumSet, `${at}.${kind} (entry ${name})`) : undefined;
    if (value !== undefined && fromNames !== undefined && value !== fromNames) {
      throw bad(
        `${at}.${numKey}`,
        `0x${value.toString(16)} disagrees with ${kind} ${JSON.stringify(names)} (0x${fromNames.toString(16)})`,
        name,
      );
    }
    const final = (value ?? fromNames) as number;
    return { value: final, names: valueToNames(kind, final, enumSet, `${at}.${numKey} (entry ${name})`) };
  };
  const cat = resolve('categories', 'category', 0xffffffff);
  const attr = resolve('attributes', 'attr', LTABLE_ATTR_MASK[generation]);
  const prefix = v['prefix'];
  if (typeof prefix !== 'string' || prefix.length > 64) throw bad(`${at}.prefix`, 'must be a string', name);
  const verno = v['verno'];
  if (typeof verno !== 'string' || verno.length > 64) throw bad(`${at}.verno`, 'must be a string', name);
  const d = v['description'];
  if (d !== undefined && d !== null && typeof d !== 'string')
    throw bad(`${at}.description`, 'must be a string or null', name);
  const def: LtableDefault =
    v['default'] === undefined ? { kind: 'zero' } : readDefault(v['default'], `${at}.default`, name);
  const tagsRaw = v['tags'] ?? [];
  if (!Array.isArray(tagsRaw)) throw bad(`${at}.tags`, 'must be an array', name);
  const tags: LtableTag[] = [];
  for (const [k, t] of tagsRaw.entries()) {
    if (typeof t !== 'string' || !(LTABLE_TAGS as readonly string[]).includes(t))
      throw bad(`${at}.tags[${k}]`, `must be one of ${LTABLE_TAGS.join(', ')}`, name);
    if (!tags.includes(t as LtableTag)) tags.push(t as LtableTag);
  }
  const entry: LtableEntry = {
    lid,
    name,
    size,
    records,
    category: cat.value,
    categories: cat.names,
    attr: attr.value,
    attributes: attr.names,
    prefix,
    verno,
    description: typeof d === 'string' ? d : null,
    default: def,
    tags,
  };
  const unr = v['unresolved'];
  if (unr !== undefined && unr !== null) {
    if (!isObj(unr) || Object.values(unr).some((x) => typeof x !== 'string'))
      throw bad(`${at}.unresolved`, 'must map field names to expression text', name);
    entry.unresolved = { ...(unr as Record<string, string>) };
  }
  const src = v['source'];
  if (src !== undefined && src !== null) {
    if (
      !isObj(src) ||
      typeof src['file'] !== 'string' ||
      typeof src['line'] !== 'number' ||
      !Number.isInteger(src['line'])
    )
      throw bad(`${at}.source`, 'must be {file: string, line: integer}', name);
    entry.source = { file: src['file'], line: src['line'] };
  }
  return entry;
}

/**
 * Validates a parsed JSON value as a table (docs/formats/lid-table.md#json) and normalizes it (names recomputed from numbers, canonical order).
 * @throws NV_LTABLE_BAD_JSON naming the entry and field; NV_LTABLE_UNKNOWN_ATTR/_UNKNOWN_CATEGORY/_GEN_MISMATCH/_ENUMSET_REQUIRED; NV_LIMIT.
 * @example ltableFromJson({ generation: 'moly-b', entries: [] })
 */
export function ltableFromJson(value: unknown): Ltable {
  if (!isObj(value)) throw bad('$', 'a table must be an object {generation, enumSet?, entries}');
  const generation = value['generation'];
  if (typeof generation !== 'string' || !(LTABLE_GENERATIONS as readonly string[]).includes(generation))
    throw bad('generation', `must be one of ${LTABLE_GENERATIONS.join(', ')}`);
  const gen = generation as LtableGeneration;
  const es = value['enumSet'];
  if (
    es !== undefined &&
    es !== null &&
    (typeof es !== 'string' || !(LTABLE_ENUM_SETS as readonly string[]).includes(es))
  )
    throw bad('enumSet', `must be one of ${LTABLE_ENUM_SETS.join(', ')}`);
  const enumSet = enumSetOf({ generation: gen, ...(typeof es === 'string' ? { enumSet: es as LtableEnumSet } : {}) });
  if (LTABLE_ENUMS[enumSet].generation !== gen)
    throw new NvError(
      'NV_LTABLE_GEN_MISMATCH',
      `enumSet ${enumSet} belongs to ${LTABLE_ENUMS[enumSet].generation}, not ${gen}`,
      { path: 'enumSet' },
    );
  const entries = value['entries'];
  if (!Array.isArray(entries)) throw bad('entries', 'must be an array');
  if (entries.length > LTABLE_MAX_ENTRIES)
    throw new NvError('NV_LIMIT', `${entries.length} entries is over the limit of ${LTABLE_MAX_ENTRIES}`, {
      path: 'entries',
    });
  return { generation: gen, enumSet, entries: entries.map((e, i) => readEntry(e, i, enumSet, gen)) };
}

/**
 * Parses JSON text as a table.
 * @throws NV_LTABLE_BAD_JSON (also for malformed JSON), plus the codes of {@link ltableFromJson}.
 * @example parseLtableJson('{"generation":"moly-a","entries":[]}')
 */
export function parseLtableJson(text: string): Ltable {
  if (text.length > LTABLE_MAX_JSON_CHARS)
    throw new NvError(
      'NV_LIMIT',
      `JSON text of ${text.length} characters is over the limit of ${LTABLE_MAX_JSON_CHARS}`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    throw new NvError('NV_LTABLE_BAD_JSON', `not valid JSON: ${(cause as Error).message}`, { cause });
  }
  return ltableFromJson(value);
}

/**
 * The JSON-ready form of one entry (docs/formats/lid-table.md#json field order).
 * @example ltableEntryToJson(sampleLtable().entries[0]).prefix // 'MT00'
 */
export function ltableEntryToJson(e: LtableEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {
    lid: e.lid,
    name: e.name,
    size: e.size,
    records: e.records,
    category: e.category,
    categories: [...e.categories],
    attr: e.attr,
    attributes: [...e.attributes],
    prefix: e.prefix,
    verno: e.verno,
    description: e.description ?? null,
    default: { ...e.default },
    tags: [...e.tags],
  };
  if (e.unresolved !== undefined) out['unresolved'] = { ...e.unresolved };
  if (e.source !== undefined) out['source'] = { file: e.source.file, line: e.source.line };
  return out;
}

/**
 * The JSON-ready form of a table (`{generation, enumSet, entries}`), the `nv mtk ltable import` output.
 * @throws NV_LTABLE_ENUMSET_REQUIRED for a maui table without enum set.
 * @example JSON.stringify(ltableToJson(sampleLtable()))
 */
export function ltableToJson(t: Ltable): {
  generation: LtableGeneration;
  enumSet: LtableEnumSet;
  entries: Record<string, unknown>[];
} {
  return { generation: t.generation, enumSet: enumSetOf(t), entries: t.entries.map(ltableEntryToJson) };
}

/**
 * JSON text of a table, 2-space indented with a trailing newline.
 * @throws NV_LTABLE_ENUMSET_REQUIRED for a maui table without enum set.
 * @example parseLtableJson(serializeLtableJson(t)) // equals t
 */
export function serializeLtableJson(t: Ltable): string {
  return `${JSON.stringify(ltableToJson(t), null, 2)}\n`;
}
