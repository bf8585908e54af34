/**
 * SW key derivation facts (docs/formats/lid-files.md#key-derivation). The package embeds no vendor key and no vendor table: callers supply C1, C2 and T
 * (they are in the modem image) or the derived key itself.
 * @module
 */
import { aesCbcEncrypt } from './crypto.ts';
import type { LidKey } from './lid-file.ts';
import { NvError } from '@nv/core';

/**
 * The default 32-byte seed of docs/formats/lid-files.md#key-derivation: bytes `01…12`, then `0B` (an octal `013` literal in vendor source), then
 * `14…1C`, then `00 00 00 00`. It is an input of the derivation, not a key.
 */
export const LID_DEFAULT_KEY_SEED: Uint8Array<ArrayBuffer> = Uint8Array.from([
  ...Array.from({ length: 18 }, (_, i) => i + 1),
  0x0b,
  ...Array.from({ length: 9 }, (_, i) => 0x14 + i),
  0,
  0,
  0,
  0,
]);

/** Inputs of {@link deriveLidKey}: the seed and the three vendor tables. */
export interface LidKeyTables {
  /** 32-byte seed (default {@link LID_DEFAULT_KEY_SEED}). */
  readonly seed?: Uint8Array;
  /** 32-byte table C1. */
  readonly c1: Uint8Array;
  /** 32-byte table C2. */
  readonly c2: Uint8Array;
  /** 256-byte table T. */
  readonly t: Uint8Array;
}

/**
 * Runs the docs/formats/lid-files.md#key-derivation derivation: swap the bytes of each 16-bit pair in seed and C1; `seed[i] ^= C2[i]`, `C1[i] ^= seed[i]`;
 * AES-256-CBC(key C1, IV seed[0…15]) of T without padding; first `n` bytes (16: gen-B AES key, 256: gen-A key-B state).
 * @throws RangeError when a table has the wrong length or `n` is not 1…256.
 * @example deriveLidKey({ c1, c2, t }, 16) // 3f06bd14… with the vendor tables
 */
export function deriveLidKey(tables: LidKeyTables, n: number): Uint8Array<ArrayBuffer> {
  const seed = Uint8Array.from(tables.seed ?? LID_DEFAULT_KEY_SEED);
  const c1 = Uint8Array.from(tables.c1);
  if (seed.length !== 32 || c1.length !== 32 || tables.c2.length !== 32)
    throw new RangeError('seed, C1 and C2 must be 32 bytes');
  if (tables.t.length !== 256) throw new RangeError('T must be 256 bytes');
  if (!Number.isInteger(n) || n < 1 || n > 256) throw new RangeError('n must be 1…256');
  for (const a of [seed, c1]) {
    for (let i = 0; i < 32; i += 2) {
      const x = a[i]!;
      a[i] = a[i + 1]!;
      a[i + 1] = x;
    }
  }
  for (let i = 0; i < 32; i++) {
    seed[i] = seed[i]! ^ tables.c2[i]!;
    c1[i] = c1[i]! ^ seed[i]!;
  }
  return aesCbcEncrypt(c1, seed.subarray(0, 16), tables.t).slice(0, n);
}

/**
 * Turns user key bytes into a {@link LidKey} for a generation: gen B takes 16 bytes (AES-128); gen A takes a
 * 256-byte key-B state (used directly, no schedule) or an RC4 key of 1…255 bytes (key A is `12abcdef`).
 * @throws NvError `NV_LID_KEY_REQUIRED` for a length that fits neither.
 * @example lidKeyFromBytes(hexToBytes('12abcdef'), 'A') // { rc4Key }
 */
export function lidKeyFromBytes(key: Uint8Array, generation: 'A' | 'B'): LidKey {
  if (generation === 'B') {
    if (key.length !== 16)
      throw new NvError('NV_LID_KEY_REQUIRED', `a generation-B key is 16 bytes (AES-128), got ${key.length}`);
    return { aesKey: key };
  }
  if (key.length === 256) return { rc4State: key };
  if (key.length < 1 || key.length > 255)
    throw new NvError(
      'NV_LID_KEY_REQUIRED',
      `a generation-A key is an RC4 key of 1…255 bytes or a 256-byte state, got ${key.length}`,
    );
  return { rc4Key: key };
}
