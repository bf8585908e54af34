/**
 * LID file names and folders (docs/formats/lid-files.md#name).
 * @module
 */
import { NvError } from '@nv/core';
import { locationOf, type LtableGeneration, type LtableLocation } from '@nv/mtk-nvram-ltable';

/** Copy letter of a file name: `_` single, `A`/`B` the copies of a MULTIPLE LID. */
export type LidCopy = '_' | 'A' | 'B';

/** A parsed LID file name. */
export interface LidFileName {
  readonly prefix: string;
  readonly copy: LidCopy;
  readonly verno: string;
  /** Gen-B read-reserved suffix `_%04X%04X` or BACKUP suffix `_RRRRSSSS` (inferred: records, size). */
  readonly suffix?: { readonly records: number; readonly size: number };
}

const NAME_RE = /^([0-9A-Za-z]{4})([_AB])([0-9]{3})(?:_([0-9A-F]{4})([0-9A-F]{4}))?$/;

/**
 * Parses `PPPP` + `_`/`A`/`B` + `VVV` (docs/formats/lid-files.md#name), optionally followed by the gen-B `_RRRRSSSS` suffix.
 * Lower-case `a`/`b` (older MAUI docs) are not accepted: MOLY writes upper case.
 * @throws NvError `NV_LID_BAD_NAME`.
 * @example parseLidFileName('LD0B_001') // { prefix: 'LD0B', copy: '_', verno: '001' }
 */
export function parseLidFileName(name: string): LidFileName {
  const m = NAME_RE.exec(name);
  if (!m)
    throw new NvError(
      'NV_LID_BAD_NAME',
      `"${name.slice(0, 40)}" is not a LID file name (PPPP + _/A/B + 3 digits, e.g. LD0B_001)`,
      { path: name },
    );
  const base = { prefix: m[1]!, copy: m[2] as LidCopy, verno: m[3]! };
  return m[4] !== undefined ? { ...base, suffix: { records: parseInt(m[4], 16), size: parseInt(m[5]!, 16) } } : base;
}

/**
 * True when `name` is a LID file name (no suffix).
 * @example isLidFileName('MT79A000') // true
 */
export function isLidFileName(name: string): boolean {
  return /^[0-9A-Za-z]{4}[_AB][0-9]{3}$/.test(name);
}

/**
 * Composes a LID file name.
 * @throws NvError `NV_LID_BAD_NAME` for a prefix that is not 4 alphanumerics or a VERNO that is not 3 digits.
 * @example composeLidFileName('MT79', '001') // 'MT79_001'
 */
export function composeLidFileName(
  prefix: string,
  verno: string,
  copy: LidCopy = '_',
  suffix?: { records: number; size: number },
): string {
  const name = `${prefix}${copy}${verno}`;
  if (!isLidFileName(name))
    throw new NvError(
      'NV_LID_BAD_NAME',
      `cannot compose a LID file name from prefix "${prefix}", copy "${copy}", verno "${verno}"`,
      { path: name },
    );
  if (!suffix) return name;
  const h = (v: number): string => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`suffix field ${v} is not a u16`);
    return v.toString(16).toUpperCase().padStart(4, '0');
  };
  return `${name}_${h(suffix.records)}${h(suffix.size)}`;
}

/**
 * The file names of a LID: one `_` name, or the `A`/`B` pair when `multiple` (effective MULTIPLE).
 * @example lidFileNamesOf('LD0B', '001', true) // ['LD0BA001', 'LD0BB001']
 */
export function lidFileNamesOf(prefix: string, verno: string, multiple: boolean): string[] {
  return multiple
    ? [composeLidFileName(prefix, verno, 'A'), composeLidFileName(prefix, verno, 'B')]
    : [composeLidFileName(prefix, verno)];
}

/** Device path of a LID folder (docs/formats/lid-files.md#name). */
export interface LidFolder extends LtableLocation {
  /** Device directory of copy A (or the single copy). */
  readonly devicePath: string;
  /** Device directory of copy B when it lives elsewhere (IMPORTANT_L4 → protect_s). */
  readonly devicePathB?: string;
  /** Modem-side path (`Z:\NVRAM\<folder>`) for nvdata LIDs. */
  readonly modemPath?: string;
}

/**
 * Partition, folder and device paths of a LID from its category names (docs/formats/lid-files.md#name, docs/formats/lid-table.md#folders).
 * @example lidFolder(['IMPORTANT'], 'moly-b').devicePath // '/mnt/vendor/nvdata/md/NVRAM/NVD_IMEI'
 */
export function lidFolder(
  categories: readonly string[],
  generation: LtableGeneration,
  options: { importantPartitions?: boolean } = {},
): LidFolder {
  const loc = locationOf(
    categories,
    generation,
    options.importantPartitions === undefined ? {} : { importantPartitions: options.importantPartitions },
  );
  if (loc.partition === 'protect_f')
    return { ...loc, devicePath: '/mnt/vendor/protect_f/md', devicePathB: '/mnt/vendor/protect_s/md' };
  return { ...loc, devicePath: `/mnt/vendor/nvdata/md/NVRAM/${loc.folder}`, modemPath: `Z:\\NVRAM\\${loc.folder}` };
}
