/**
 * The LID table model (docs/formats/lid-table.md#json).
 * @module
 */
import type { LtableEnumSet, LtableGeneration } from './enums.ts';

/** How a LID's default value is given (docs/formats/lid-table.md#c-import macro table). ZERO/FF/SPECIAL are shared arrays compared by pointer (docs/formats/lid-table.md#pitfalls). */
export type LtableDefaultKind = 'zero' | 'ff' | 'special' | 'bytes' | 'func' | 'custpack' | 'secupack' | 'symbol';

/** Every default kind. */
export const LTABLE_DEFAULT_KINDS: readonly LtableDefaultKind[] = [
  'zero',
  'ff',
  'special',
  'bytes',
  'func',
  'custpack',
  'secupack',
  'symbol',
];

/** A LID default value. */
export interface LtableDefault {
  readonly kind: LtableDefaultKind;
  /** The C symbol (array, function or pack) when there is one. */
  readonly symbol?: string;
  /** Lower-case hex of the bytes for `bytes`. */
  readonly hex?: string;
}

/** Planner tags (docs/formats/lid-table.md#json); user-assignable, `calibration-result` is implied for CALIBRAT without another class tag. */
export type LtableTag =
  'calibration-result' | 'rf-driver-param' | 'barcode' | 'ca-combo' | 'rf-band' | 'imei' | 'sim-lock';

/** Every tag. */
export const LTABLE_TAGS: readonly LtableTag[] = [
  'calibration-result',
  'rf-driver-param',
  'barcode',
  'ca-combo',
  'rf-band',
  'imei',
  'sim-lock',
];

/** LID names the importer tags `imei` (the IMEI LID, docs/formats/lid-table.md#lid-numbers). */
export const LTABLE_IMEI_LIDS: readonly string[] = ['NVRAM_EF_IMEI_IMEISV_LID'];
/** LID names the importer tags `sim-lock` (the SIM-lock LIDs of docs/formats/lid-table.md#partitions: `IMPORTANT_L4` on protect_f/s). */
export const LTABLE_SIM_LOCK_LIDS: readonly string[] = ['NVRAM_EF_SML_LID', 'NVRAM_EF_SIM_LOCK_LID'];

/**
 * Tags the C importer gives an entry without `<LID>_NV_TAGS` or `--tags` (docs/formats/lid-table.md#json): `barcode` for
 * `NVRAM_EF_BARCODE_NUM_LID`, `imei` for the IMEI LID, `sim-lock` for `NVRAM_EF_SML_LID`/`NVRAM_EF_SIM_LOCK_LID`
 * (by name: these are the LIDs the modem's secure API guards, docs/formats/lid-files.md#external-api), `calibration-result` for other
 * CALIBRAT entries (not under maui).
 * @example ltableAutoTags('NVRAM_EF_SML_LID', ['IMPORTANT_L4'], 'moly-b') // ['sim-lock']
 */
export function ltableAutoTags(name: string, categories: readonly string[], generation: string): LtableTag[] {
  if (name === 'NVRAM_EF_BARCODE_NUM_LID') return ['barcode'];
  if (LTABLE_IMEI_LIDS.includes(name)) return ['imei'];
  if (LTABLE_SIM_LOCK_LIDS.includes(name)) return ['sim-lock'];
  if (categories.includes('CALIBRAT') && generation !== 'maui') return ['calibration-result'];
  return [];
}

/** One LID table row (docs/formats/lid-table.md#entry/docs/formats/lid-table.md#json). Numbers and symbolic names always agree (import checks it). */
export interface LtableEntry {
  /** LID number; null when the enum value cannot be computed (moly-a numbers depend on build features, docs/formats/lid-table.md#lid-numbers). */
  lid: number | null;
  /** LID symbol, e.g. `NVRAM_EF_IMEI_IMEISV_LID`. Entries of two tables are paired by it. */
  name: string;
  /** Record size in bytes. */
  size: number;
  /** Number of records (1 = transparent item). */
  records: number;
  /** Category bits (u32). */
  category: number;
  /** Category names of the enum set (`['USER']` for 0). */
  categories: readonly string[];
  /** Attribute bits (u16 on moly-a/maui, u32 on moly-b). */
  attr: number;
  /** Attribute names of the enum set (`['AVERAGE']` for 0). */
  attributes: readonly string[];
  /** 4-character file prefix. */
  prefix: string;
  /** 3 decimal digits. */
  verno: string;
  /** Description string, or null (NULL on phones). */
  description?: string | null;
  /** Default value. */
  default: LtableDefault;
  /** Planner tags. */
  tags: readonly LtableTag[];
  /** C expressions that could not be evaluated, by field (`size`, `records`, `verno`, `prefix`, `lid`); the field holds 0/''/null (docs/formats/lid-table.md#validation `NV_LTABLE_UNRESOLVED`). */
  unresolved?: Readonly<Record<string, string>>;
  /** Where the entry was read (C import), if known. */
  source?: { readonly file: string; readonly line: number };
}

/** A LID table of one generation. */
export interface Ltable {
  generation: LtableGeneration;
  /** Enum set that decoded the numbers; defaults to the generation for moly-a/moly-b, required for maui. */
  enumSet?: LtableEnumSet;
  entries: LtableEntry[];
}
