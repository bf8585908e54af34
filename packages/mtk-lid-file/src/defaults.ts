/**
 * Default record values (docs/formats/lid-files.md#defaults), so a reset can be reproduced offline.
 * @module
 */
import { NvError } from '@nv/core';
import { hexToBytes } from '@nv/core/bytes';
import type { LtableDefault } from '@nv/mtk-nvram-ltable';
import type { LidEntry } from './lid-file.ts';

/** An entry with its default value (an `LtableEntry` fits). */
export interface LidEntryWithDefault extends LidEntry {
  /** Default value; absent = `NULL` (all `FF`). */
  readonly default?: LtableDefault;
}

/** Options of {@link defaultRecords}. */
export interface LidDefaultOptions {
  /**
   * Bytes of a default that cannot be evaluated offline (`func`, `custpack`, `secupack`, `symbol`, `special`), or
   * an override: `size` bytes, or `records × size` with MULTI_DEFAULT / FUNC_DEFAULT.
   */
  readonly bytes?: Uint8Array;
}

/**
 * The default content of every record of a LID (docs/formats/lid-files.md#defaults): `NULL`/FF-default → `FF`; ZERO-default → `00`; an array →
 * `default[0…size)` per record, or its slice `size×(i−1)…size×i` with the MULTI_DEFAULT attribute; FUNC_DEFAULT
 * output (user-supplied) sliced the same way (without MULTI_DEFAULT every record = the first).
 * @throws NvError `NV_LID_DEFAULT_UNAVAILABLE`, `NV_LID_DEFAULT_TOO_SHORT`.
 * @example defaultRecords({ ...entry, default: { kind: 'zero' } })[0] // zeros
 */
export function defaultRecords(entry: LidEntryWithDefault, options: LidDefaultOptions = {}): Uint8Array[] {
  const { size, records } = entry;
  const kind = entry.default?.kind;
  const fill = (v: number): Uint8Array[] => Array.from({ length: records }, () => new Uint8Array(size).fill(v));
  let source = options.bytes;
  if (!source) {
    if (kind === undefined || kind === 'ff') return fill(0xff);
    if (kind === 'zero') return fill(0);
    if (kind === 'bytes' && entry.default?.hex !== undefined) source = hexToBytes(entry.default.hex, 'default value');
    else {
      throw new NvError(
        'NV_LID_DEFAULT_UNAVAILABLE',
        `the default of ${entry.name ?? 'this LID'} is ${kind}${entry.default?.symbol ? ` (${entry.default.symbol})` : ''}: it cannot be evaluated offline; supply its bytes`,
        { path: entry.name, data: { kind } },
      );
    }
  }
  const multi = entry.attributes.includes('MULTI_DEFAULT');
  const func = entry.categories?.includes('FUNC_DEFAULT') ?? false;
  const need = multi ? size * records : size;
  if (source.length < need) {
    throw new NvError(
      'NV_LID_DEFAULT_TOO_SHORT',
      `the default has ${source.length} bytes, ${need} are needed (${multi ? `${records} records × ` : ''}${size})`,
      { path: entry.name, data: { need, actual: source.length } },
    );
  }
  void func; // FUNC_DEFAULT output is sliced exactly like an array default (docs/formats/lid-files.md#defaults).
  return Array.from({ length: records }, (_, i) => source.slice(multi ? i * size : 0, multi ? (i + 1) * size : size));
}
