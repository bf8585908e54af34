/**
 * Folders (docs/formats/lid-table.md#folders), boot-time effective attributes (docs/formats/lid-table.md#effective-attributes) and file names (docs/formats/lid-table.md#overview).
 * @module
 */
import type { LtableGeneration } from './enums.ts';
import type { LtableEntry } from './model.ts';

/** Where the modem boots from and whether MSP binds to the chip (docs/formats/lid-table.md#effective-attributes). */
export interface LtablePlatform {
  /** `emmc` (smartphones, default) or `nand`. */
  readonly storage?: 'emmc' | 'nand';
  /** MSP data bound to the chip (default true). */
  readonly bindToChip?: boolean;
  /** Smartphone (default) or feature phone; changes docs/formats/lid-table.md#effective-attributes row 3 and the docs/formats/lid-table.md#boot-check orphan rule. */
  readonly device?: 'smartphone' | 'feature-phone';
  /** The important-partitions feature (protect_f/s) is on (default true). */
  readonly importantPartitions?: boolean;
}

/** The id of one docs/formats/lid-table.md#effective-attributes rule that changed an entry. */
export type LtableRewriteRule =
  | 'msp-forces-multiple'
  | 'secure-forces-confidential'
  | 'otp-clears-protection'
  | 'important-committed'
  | 'calibrat-exclusive-backup'
  | 'emmc-drops-multiple';

/** The entry as the modem uses it after the docs/formats/lid-table.md#effective-attributes rewrites. */
export interface LtableEffective {
  readonly attributes: readonly string[];
  readonly categories: readonly string[];
  /** The rules that fired, in the order applied. */
  readonly rules: readonly LtableRewriteRule[];
}

/** Partition and folder of a LID's files. */
export interface LtableLocation {
  /** `nvdata`, or `protect_f` for IMPORTANT_L4 (copy B on `protect_s` when MULTIPLE). */
  readonly partition: 'nvdata' | 'protect_f';
  /** Folder name (docs/formats/lid-table.md#folders). */
  readonly folder: string;
  /** The docs/formats/lid-table.md#folders category row that decided it (`USER` for the fallback). */
  readonly by: string;
}

// docs/formats/lid-table.md#folders rows, first match wins. `null` folder = row absent in that generation.
const FOLDER_ROWS: readonly { readonly cat: string; readonly a: string | null; readonly b: string | null }[] = [
  { cat: 'INTERNAL', a: 'NVD_CORE', b: 'NVD_CORE' },
  { cat: 'CALIBRAT', a: 'CALIBRAT', b: 'CALIBRAT' },
  { cat: 'IMPORTANT', a: 'NVD_IMEI', b: 'NVD_IMEI' },
  { cat: 'RESERVED', a: null, b: 'BACKUP' },
  { cat: 'IMPORTANT_L4', a: 'md', b: 'md' },
  { cat: 'IMPORTANT_L1', a: null, b: 'IMPORTNT' },
  { cat: 'CUSTOM_SENSITIVE', a: 'NVD_CUST', b: 'NVD_CUST' },
];

/**
 * The folder-selecting category names of docs/formats/lid-table.md#folders present in `categories`, in row order.
 * @example folderCategories(['CALIBRAT', 'IMPORTANT'], 'moly-b') // ['CALIBRAT', 'IMPORTANT']
 */
export function folderCategories(categories: readonly string[], generation: LtableGeneration): string[] {
  return FOLDER_ROWS.filter((r) => (generation === 'moly-a' ? r.a : r.b) !== null && categories.includes(r.cat)).map(
    (r) => r.cat,
  );
}

/**
 * Partition and folder of a LID (docs/formats/lid-table.md#folders, first matching row). MAUI has no documented folders: everything is `NVD_DATA`.
 * @example locationOf(['IMPORTANT_L1', 'FUNC_DEFAULT'], 'moly-b').folder // 'IMPORTNT'
 */
export function locationOf(
  categories: readonly string[],
  generation: LtableGeneration,
  platform: LtablePlatform = {},
): LtableLocation {
  if (generation !== 'maui') {
    for (const row of FOLDER_ROWS) {
      const folder = generation === 'moly-a' ? row.a : row.b;
      if (folder === null || !categories.includes(row.cat)) continue;
      if (row.cat === 'IMPORTANT_L4') {
        if (platform.importantPartitions === false) return { partition: 'nvdata', folder: 'IMPORTNT', by: row.cat };
        return { partition: 'protect_f', folder: 'md', by: row.cat };
      }
      return { partition: 'nvdata', folder, by: row.cat };
    }
  }
  return { partition: 'nvdata', folder: 'NVD_DATA', by: 'USER' };
}

/**
 * True for the SYS LID (INTERNAL category or the `NVRAM_EF_SYS_LID` symbol).
 * @example isSysLid({ name: 'NVRAM_EF_SYS_LID', categories: [] }) // true
 */
export function isSysLid(entry: Pick<LtableEntry, 'name' | 'categories'>): boolean {
  return entry.name === 'NVRAM_EF_SYS_LID' || entry.categories.includes('INTERNAL');
}

/**
 * Effective attributes after the boot-time rewrites (docs/formats/lid-table.md#effective-attributes). Order (open question docs/formats/lid-table.md#open-questions), chosen because eMMC phones
 * show a single-copy IMEI file `MP0B_001` although IMEI carries MSP: the forcing rules run first, then the
 * IMPORTANT and CALIBRAT rules, and the eMMC `MULTIPLE` removal last.
 * @example effectiveEntry(imei, 'moly-a').attributes // MULTIPLE removed on eMMC
 */
export function effectiveEntry(
  entry: Pick<LtableEntry, 'name' | 'attributes' | 'categories'>,
  generation: LtableGeneration,
  platform: LtablePlatform = {},
): LtableEffective {
  const attrs = new Set(entry.attributes.filter((a) => a !== 'AVERAGE'));
  const cats = entry.categories;
  const rules: LtableRewriteRule[] = [];
  const fire = (rule: LtableRewriteRule, change: () => boolean): void => {
    if (change()) rules.push(rule);
  };
  const add = (...names: string[]): boolean => {
    let changed = false;
    for (const n of names) if (!attrs.has(n)) (attrs.add(n), (changed = true));
    return changed;
  };
  const del = (...names: string[]): boolean => {
    let changed = false;
    for (const n of names) if (attrs.delete(n)) changed = true;
    return changed;
  };
  const bind = platform.bindToChip !== false;
  if (generation === 'moly-a') {
    fire('msp-forces-multiple', () => attrs.has('MSP') && bind && add('MULTIPLE'));
    fire(
      'secure-forces-confidential',
      () =>
        (cats.includes('SECUPACK') || cats.includes('CUSTOM_SENSITIVE')) &&
        add('CONFIDENTIAL', 'MULTIPLE', ...(bind ? ['MSP'] : [])),
    );
    fire('otp-clears-protection', () => cats.includes('OTP') && del('WRITEPROTECT', 'MULTIPLE', 'MSP'));
    fire('important-committed', () => {
      if (
        platform.device === 'feature-phone' ||
        !['IMPORTANT', 'IMPORTANT_L4', 'IMPORTANT_C'].some((c) => cats.includes(c))
      )
        return false;
      const lost = del('FACTORY_RESET');
      return add('COMMITTED', 'AUTO_RECOVER') || lost;
    });
  }
  if (generation !== 'maui') {
    // Decision: MULTIPLE wins over BACKUP_RAW, which wins over BACKUP_FAT (the spec only says they are exclusive).
    fire('calibrat-exclusive-backup', () => {
      if (!cats.includes('CALIBRAT')) return false;
      const present = ['MULTIPLE', 'BACKUP_RAW', 'BACKUP_FAT'].filter((n) => attrs.has(n));
      return present.length > 1 && del(...present.slice(1));
    });
  }
  if (generation === 'moly-a') {
    fire('emmc-drops-multiple', () => platform.storage !== 'nand' && !isSysLid(entry) && del('MULTIPLE'));
  }
  const attributes = attrs.size === 0 ? ['AVERAGE'] : [...attrs];
  return { attributes, categories: [...cats], rules };
}

/**
 * File names of a LID: `PPPP_VVV` for one copy, `PPPPAVVV` + `PPPPBVVV` for MULTIPLE (MAUI: lower-case `a`/`b`, docs/formats/lid-table.md#pitfalls).
 * @example lidFileNames('MP0B', '001', false, 'moly-a') // ['MP0B_001']
 */
export function lidFileNames(prefix: string, verno: string, multiple: boolean, generation: LtableGeneration): string[] {
  if (!multiple) return [`${prefix}_${verno}`];
  return generation === 'maui'
    ? [`${prefix}a${verno}`, `${prefix}b${verno}`]
    : [`${prefix}A${verno}`, `${prefix}B${verno}`];
}

/** The effective on-disk identity of an entry: location + file names (docs/formats/lid-table.md#survival (b)). */
export interface LtableFileIdentity {
  readonly location: LtableLocation;
  readonly files: readonly string[];
  readonly effective: LtableEffective;
}

/**
 * Where the entry's files are and what they are called after the docs/formats/lid-table.md#effective-attributes rewrites.
 * @example fileIdentity(entry, 'moly-b').files // ['LD0B_001']
 */
export function fileIdentity(
  entry: Pick<LtableEntry, 'name' | 'attributes' | 'categories' | 'prefix' | 'verno'>,
  generation: LtableGeneration,
  platform: LtablePlatform = {},
): LtableFileIdentity {
  const effective = effectiveEntry(entry, generation, platform);
  return {
    location: locationOf(effective.categories, generation, platform),
    files: lidFileNames(entry.prefix, entry.verno, effective.attributes.includes('MULTIPLE'), generation),
    effective,
  };
}
