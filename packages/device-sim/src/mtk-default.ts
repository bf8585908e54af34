/**
 * Default record bytes as the simulated modem writes them on a reset (docs/formats/lid-files.md#defaults), and a seeded PRNG.
 * @module
 */
import { NvError } from '@nv/core';
import { defaultRecords } from '@nv/mtk-lid-file/modem';
import type { LtableEntry } from '@nv/mtk-nvram-ltable';

/**
 * The bytes of every record of `entry` after a reset (`records × size`): `defaultRecords` of `@nv/mtk-lid-file`
 * (docs/formats/lid-files.md#defaults: ZERO, FF/NULL, arrays, MULTI_DEFAULT slices). Defaults that only exist inside a firmware image
 * (`func`, `custpack`, `secupack`, `special`, `symbol`) or arrays shorter than needed cannot be evaluated offline
 * (`NV_LID_DEFAULT_UNAVAILABLE` / `NV_LID_DEFAULT_TOO_SHORT`): the simulator then uses a deterministic stand-in
 * derived from the symbol — it only needs them to differ from unit data and from other defaults (README.mtk.md).
 * @example mtkDefaultRecords({ size: 2, records: 2, default: { kind: 'ff' }, attributes: [], name: 'X', lid: null }) // FF FF FF FF
 */
export function mtkDefaultRecords(
  entry: Pick<LtableEntry, 'size' | 'records' | 'default' | 'attributes' | 'name' | 'lid'> & {
    readonly categories?: readonly string[];
  },
): Uint8Array {
  const total = entry.size * entry.records;
  try {
    const records = defaultRecords(entry);
    const out = new Uint8Array(total);
    records.forEach((r, i) => out.set(r, i * entry.size));
    return out;
  } catch (error) {
    if (
      !NvError.isInstance(error) ||
      (error.code !== 'NV_LID_DEFAULT_UNAVAILABLE' && error.code !== 'NV_LID_DEFAULT_TOO_SHORT')
    )
      throw error;
  }
  const d = entry.default;
  // Stand-in: a byte stream seeded by kind + symbol (+ hex), stable across runs.
  const out = new Uint8Array(total);
  const rng = mtkRng(fnv1a(`${d.kind}:${d.symbol ?? entry.name}:${d.hex ?? ''}`));
  for (let i = 0; i < total; i++) out[i] = rng() & 0xff;
  return out;
}

/** 32-bit FNV-1a of a string (seeds for stand-in defaults and unit data). */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h >>> 0;
}

/**
 * A small seeded PRNG (mulberry32): every run with the same seed produces the same device.
 * @example const next = mtkRng(1); next() // a u32
 */
export function mtkRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}
