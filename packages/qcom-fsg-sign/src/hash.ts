/**
 * IDs (docs/formats/fsg.md#ids) and the HMAC-like image hash (docs/formats/fsg.md#image-hash). Pure and browser-safe.
 * @module
 */
import { NvError } from '@nv/core';
import { concatBytes } from '@nv/core/bytes';
import { sha1, sha256 } from './_digest.ts';

/** The hash the modem uses for the image: SHA-256 with OU `07 0001 SHA256`, else SHA-1. */
export type ImageHashAlgorithm = 'sha256' | 'sha1';

const U64_MAX = 0xffffffffffffffffn;

/**
 * Parses a 64-bit ID (decimal or `0x` hex) as bigint (docs/formats/fsg.md#ids).
 * @throws NvError `NV_FSG_ID_FORMAT`.
 * @example
 * parseId('0x009600E100000000', 'HW_ID') // 0x009600E100000000n
 */
export function parseId(text: string | bigint | number, what = 'ID', max: bigint = U64_MAX): bigint {
  let v: bigint | undefined;
  if (typeof text === 'bigint') v = text;
  else if (typeof text === 'number') v = Number.isSafeInteger(text) ? BigInt(text) : undefined;
  else {
    const t = text.trim();
    if (/^0[xX][0-9a-fA-F]{1,16}$/.test(t) || /^\d{1,20}$/.test(t)) v = BigInt(t);
  }
  if (v === undefined || v < 0n || v > max) {
    throw new NvError(
      'NV_FSG_ID_FORMAT',
      `${what} "${String(text)}" is not decimal or 0x hex in 0…0x${max.toString(16).toUpperCase()}`,
      { data: { what } },
    );
  }
  return v;
}

/**
 * Parses a HW_ID option: exactly `0x` + 16 hex digits, the full 64-bit MSM_HW_ID (docs/formats/fsg.md#ids). A shorter value is refused
 * rather than zero-extended: `0x009600E1` (the msm_part alone) would silently become `0x00000000009600E1`, which no
 * modem build uses. Decimal is refused for the same reason (the upper 32 bits cannot be seen).
 * @throws NvError `NV_FSG_HWID_FORMAT`, with a suggestion when the value looks like a msm_part.
 * @example
 * parseHwId('0x009600E100000000') // 0x009600E100000000n
 */
export function parseHwId(text: string, what = '--hw-id'): bigint {
  const t = text.trim();
  const m = /^0[xX]([0-9a-fA-F]+)$/.exec(t);
  if (m && m[1]!.length === 16) return BigInt(t);
  const digits = m ? m[1]!.length : undefined;
  const hint =
    m && digits !== undefined && digits <= 8
      ? ` If ${t} is the msm_part, the HW_ID is 0x${m[1]!.toUpperCase().padStart(8, '0')}00000000 (OEM_ID 0, MODEL_ID 0) or 0x${m[1]!.toUpperCase().padStart(8, '0')}<OEM_ID 4 hex><MODEL_ID 4 hex>.`
      : '';
  throw new NvError(
    'NV_FSG_HWID_FORMAT',
    `${what} "${text}" ${digits !== undefined ? `has ${digits} hex digits` : 'is not 0x hex'}; the HW_ID is the full 64-bit MSM_HW_ID, 0x and 16 hex digits (msm_part<<32 | oem_id<<16 | model_id), e.g. 0x009600E100000000.${hint}`,
    { data: { what } },
  );
}

/**
 * `HW_ID = msm_part<<32 | oem_id<<16 | model_id` (docs/formats/fsg.md#ids).
 * @example
 * composeHwId(0x009600E1, 0, 0) // 0x009600E100000000n
 */
export function composeHwId(msmPart: number, oemId: number, modelId: number): bigint {
  return (BigInt(msmPart >>> 0) << 32n) | (BigInt(oemId & 0xffff) << 16n) | BigInt(modelId & 0xffff);
}

/**
 * `%016X` of a 64-bit ID (OU text, docs/formats/fsg.md#ids).
 * @example
 * formatId(0x1bn) // '000000000000001B'
 */
export function formatId(v: bigint, digits = 16): string {
  return v.toString(16).toUpperCase().padStart(digits, '0');
}

function be64(v: bigint): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setBigUint64(0, v & U64_MAX, false);
  return out;
}

/**
 * `Si = BE64(SW_ID ⊕ 0x3636363636363636)` (docs/formats/fsg.md#image-hash step 3).
 * @example
 * bytesToHex(innerPad(0x1bn)) // '363636363636362d'
 */
export function innerPad(swId: bigint): Uint8Array<ArrayBuffer> {
  return be64(swId ^ 0x3636363636363636n);
}

/**
 * `So = BE64(HW_ID ⊕ 0x5C5C5C5C5C5C5C5C)` (docs/formats/fsg.md#image-hash step 3).
 * @example
 * bytesToHex(outerPad(0x009600E100000000n)) // '5cca5cbd5c5c5c5c'
 */
export function outerPad(hwId: bigint): Uint8Array<ArrayBuffer> {
  return be64(hwId ^ 0x5c5c5c5c5c5c5c5cn);
}

/** Intermediate values of the image hash, for inspection and tests. */
export interface ImageHashSteps {
  h1: Uint8Array;
  h2: Uint8Array;
  h3: Uint8Array;
}

/**
 * The docs/formats/fsg.md#image-hash image hash: `H3 = H(So ‖ H(Si ‖ H(signed)))` where `signed` = header ‖ code.
 * `digest` lets Node pass a faster SHA-256 for `signed` (same result).
 * @example
 * bytesToHex(imageHash(encodeLatin1('abc'), 0n, 0x009600E100000000n)) // 'aac7b9ad…'
 */
export function imageHash(
  signed: Uint8Array,
  swId: bigint,
  hwId: bigint,
  algorithm: ImageHashAlgorithm = 'sha256',
  digest?: (data: Uint8Array) => Uint8Array,
): Uint8Array {
  return imageHashSteps(signed, swId, hwId, algorithm, digest).h3;
}

/**
 * {@link imageHash} with its intermediate values.
 * @example
 * imageHashSteps(signed, 0n, hwId).h1
 */
export function imageHashSteps(
  signed: Uint8Array,
  swId: bigint,
  hwId: bigint,
  algorithm: ImageHashAlgorithm = 'sha256',
  digest?: (data: Uint8Array) => Uint8Array,
): ImageHashSteps {
  const H = algorithm === 'sha256' ? sha256 : sha1;
  const h1 = digest !== undefined && algorithm === 'sha256' ? digest(signed) : H(signed);
  const h2 = H(concatBytes(innerPad(swId), h1));
  const h3 = H(concatBytes(outerPad(hwId), h2));
  return { h1, h2, h3 };
}

/**
 * SecTools drops a zero byte of Si/So when the top byte of the ID is 0x36/0x5C (docs/formats/fsg.md#modem-checks `ID_PAD_QUIRK`, inferred).
 * @example
 * hasIdPadQuirk(0n, 0x5C00000000000000n) // true
 */
export function hasIdPadQuirk(swId: bigint, hwId: bigint): boolean {
  return swId >> 56n === 0x36n || hwId >> 56n === 0x5cn;
}
