/**
 * IMEI records of the simulated device (docs/formats/lid-files.md#defaults "IMEI record"): 15 digits in swapped BCD — digit 1 in the
 * low nibble of byte 0 … digit 15 in the low nibble of byte 7, high nibble `F` — then filler bytes. The simulated
 * IMEIs are test IMEIs (reporting body `00`, never a real TAC) with a valid Luhn check digit, so an IMEI check on
 * them passes.
 * @module
 */
import { NvError } from '@nv/core';

/**
 * The Luhn check digit of the first 14 IMEI digits.
 * @example imeiLuhnDigit('00101012345678') // 0
 */
export function imeiLuhnDigit(first14: string): number {
  if (!/^\d{14}$/.test(first14)) throw new NvError('NV_BAD_INPUT', `${JSON.stringify(first14)} is not 14 digits`);
  let sum = 0;
  for (let i = 0; i < 14; i++) {
    // Positions 2, 4, … 14 (1-based) are doubled: they are every second digit left of the check digit.
    let d = first14.charCodeAt(i) - 48;
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * A 15-digit test IMEI from a seeded generator: `0010` + 10 digits + the Luhn digit.
 * @example mtkTestImei(mtkRng(1)).length // 15
 */
export function mtkTestImei(rng: () => number): string {
  let d = '0010';
  while (d.length < 14) d += String(rng() % 10);
  return d + String(imeiLuhnDigit(d));
}

/**
 * One IMEI record: 15 digits as swapped BCD in 8 bytes, then `filler` up to `size` (docs/formats/lid-files.md#defaults).
 * @throws NV_BAD_INPUT when `imei` is not 15 digits or `size` < 8.
 * @example bytesToHex(mtkImeiRecord('001010123456780', 10, 0)) // '00010121436587f00000'
 */
export function mtkImeiRecord(imei: string, size: number, filler: number): Uint8Array {
  if (!/^\d{15}$/.test(imei)) throw new NvError('NV_BAD_INPUT', `${JSON.stringify(imei)} is not a 15-digit IMEI`);
  if (size < 8) throw new NvError('NV_BAD_INPUT', `an IMEI record needs 8 bytes, the LID record is ${size}`);
  const out = new Uint8Array(size).fill(filler & 0xff);
  const digits = `${imei}F`;
  for (let i = 0; i < 8; i++)
    out[i] = parseInt(digits[2 * i] as string, 16) | (parseInt(digits[2 * i + 1] as string, 16) << 4);
  return out;
}
