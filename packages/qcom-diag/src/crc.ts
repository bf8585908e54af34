/**
 * CRC-16/X.25 (reflected polynomial 0x8408, init 0xFFFF, xorout 0xFFFF) of the DIAG HDLC trailer (docs/formats/diag.md#framing).
 * Not CRC-16/CCITT-FALSE: that one is unreflected and has no final xor.
 * @module
 */

const TABLE: Uint16Array = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

/** The value CRC-16/X.25 leaves over `payload ‖ crc16le(payload)` (before the final xor it is 0xF0B8). */
export const CRC16_X25_RESIDUE = 0x0f47;

/**
 * CRC-16/X.25 of `data`.
 * @example crc16X25(new TextEncoder().encode('123456789')) // 0x906e
 */
export function crc16X25(data: Uint8Array): number {
  let crc = 0xffff;
  for (let i = 0; i < data.length; i++) crc = (crc >>> 8) ^ (TABLE[(crc ^ (data[i] as number)) & 0xff] as number);
  return (crc ^ 0xffff) & 0xffff;
}
