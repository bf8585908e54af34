/**
 * Default record bytes as the simulated modem writes them on a reset (mtk-lid-file §9), and a seeded PRNG.
 * @module
 */
import { hexToBytes } from '@nv/core';
import type { LtableEntry } from '@nv/mtk-nvram-ltable';

/**
 * The bytes of every record of `entry` after a reset (`records × size`), per mtk-lid-file §9: ZERO ⇒ `00`, FF/NULL ⇒
 * `FF`, an array ⇒ its first `size` bytes per record (`MULTI_DEFAULT`: record *i* takes slice *i*). Defaults that
 * only exist inside a firmware image (`func`, `custpack`, `secupack`, `special`, `symbol`, or an array shorter than
 * needed) get a deterministic stand-in derived from the symbol: a simulator cannot know them, it only needs them
 * to differ from unit data and from other defaults (README.mtk.md, Decisions).
 * @example mtkDefaultRecords({ size: 2, records: 2, default: { kind: 'ff' }, attributes: [], name: 'X' }) // FF FF FF FF
 */
export function mtkDefaultRecords(entry: Pick<LtableEntry, 'size' | 'records' | 'default' | 'attributes' | 'name'>): Uint8Array {
  const total = entry.size * entry.records;
  const out = new Uint8Array(total);
  const d = entry.default;
  if (d.kind === 'zero') return out;
  if (d.kind === 'ff') return out.fill(0xff);
  if (d.kind === 'bytes' && d.hex !== undefined) {
    const bytes = hexToBytes(d.hex);
    const multi = entry.attributes.includes('MULTI_DEFAULT');
    if (bytes.length >= (multi ? total : entry.size)) {
      for (let i = 0; i < entry.records; i++) out.set(bytes.subarray(multi ? i * entry.size : 0, (multi ? i * entry.size : 0) + entry.size), i * entry.size);
      return out;
    }
  }
  // Stand-in: a byte stream seeded by kind + symbol (+ hex), stable across runs.
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
