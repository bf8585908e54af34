/**
 * `Member` value encoding (docs/formats/mcfg.md#values): typed integers of any byte width, little-endian,
 * masked two's complement, zero-padded to `sizeOf`; `string` in dialect 2.
 * @module
 */
import { NvError } from '@nv/core';
import type { McfgXmlMember } from './model.ts';

const TYPE_RE = /^(u?)int(\d+)$/;
const MAX_MEMBER_BYTES = 1 << 20;

/**
 * Bytes per element of a Member type, or `undefined` for `string`.
 *
 * @example
 * memberWidth('uint216', 1); // 27
 */
export function memberWidth(type: string, dialect: 1 | 2, path?: string): number | undefined {
  if (type === 'string') {
    if (dialect === 1)
      throw new NvError(
        'NV_MBN_XML_MEMBER_TYPE',
        `Member type "string" exists only in dialect 2 (McfgXmlVersion="2.0"); the JO generator writes no bytes for it`,
        { path },
      );
    return undefined;
  }
  const m = TYPE_RE.exec(type);
  const bits = m ? Number(m[2]) : NaN;
  if (!m || bits === 0 || bits % 8 !== 0 || bits > 4096) {
    throw new NvError(
      'NV_MBN_XML_MEMBER_TYPE',
      `Member type "${type}" is not u?int<bits> with bits a positive multiple of 8`,
      { path },
    );
  }
  return bits / 8;
}

/**
 * Encodes one `Member` to bytes (docs/formats/mcfg.md#values). Returns the bytes and whether some value was masked (lint W).
 * @throws NvError `NV_MBN_XML_MEMBER_TYPE`, `NV_MBN_XML_MEMBER_VALUE`
 *
 * @example
 * encodeMember({ type: 'int8', value: '180' }, 1).bytes; // [0xB4], overflow: true
 */
export function encodeMember(
  member: McfgXmlMember,
  dialect: 1 | 2,
  path?: string,
): { bytes: Uint8Array; overflow: boolean } {
  const width = memberWidth(member.type, dialect, path);
  const sizeOf = member.sizeOf;
  if (sizeOf !== undefined && (!Number.isInteger(sizeOf) || sizeOf < 0 || sizeOf > MAX_MEMBER_BYTES)) {
    throw new NvError('NV_MBN_XML_ATTR', `Member sizeOf ${sizeOf} is not a count 0..${MAX_MEMBER_BYTES}`, { path });
  }
  if (width === undefined) {
    // d2 string: ASCII, zero-padded to sizeOf; longer is an error.
    const text = member.value;
    const n = sizeOf ?? text.length;
    if (text.length > n)
      throw new NvError('NV_MBN_XML_MEMBER_VALUE', `string "${text}" is longer than sizeOf ${n}`, { path });
    const out = new Uint8Array(n);
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) throw new NvError('NV_MBN_XML_MEMBER_VALUE', `string "${text}" is not ASCII`, { path });
      out[i] = c;
    }
    return { bytes: out, overflow: false };
  }
  const tokens = member.value.split(/\s+/).filter((t) => t !== '');
  const count = Math.max(tokens.length, sizeOf ?? tokens.length);
  if (count * width > MAX_MEMBER_BYTES)
    throw new NvError('NV_LIMIT', `Member of ${count} × ${width} bytes is over ${MAX_MEMBER_BYTES}`, { path });
  const out = new Uint8Array(count * width);
  let overflow = false;
  tokens.forEach((token, i) => {
    const o = i * width;
    let value: bigint;
    let isHex = false;
    if (/^0x[0-9a-fA-F]+$/.test(token)) {
      value = BigInt(token);
      isHex = true;
    } else if (/^-?\d+$/.test(token)) {
      value = BigInt(token);
    } else {
      throw new NvError(
        'NV_MBN_XML_MEMBER_VALUE',
        `Member value "${token}" is not 0x-hex (lower-case x), decimal or -decimal`,
        { path },
      );
    }
    if (width > 4 && !isHex) {
      // Decimal in wide fields: low 32 bits, then zero fill (docs/formats/mcfg.md#values, inferred).
      const low = BigInt.asUintN(32, value);
      if (value < 0n || value > 0xffffffffn) overflow = true;
      for (let b = 0; b < 4; b++) out[o + b] = Number((low >> BigInt(8 * b)) & 0xffn);
      return;
    }
    const bits = BigInt(width * 8);
    const masked = BigInt.asUintN(Number(bits), value);
    const unsigned = member.type.startsWith('u');
    const min = unsigned || isHex ? 0n : -(1n << (bits - 1n));
    const max = unsigned || isHex ? (1n << bits) - 1n : (1n << (bits - 1n)) - 1n;
    if (value < min || value > max) overflow = true;
    for (let b = 0; b < width; b++) out[o + b] = Number((masked >> BigInt(8 * b)) & 0xffn);
  });
  return { bytes: out, overflow };
}

/**
 * One `uint8` member holding `bytes` as decimal values (the canonical `to-xml` form, docs/formats/mcfg.md#to-xml).
 *
 * @example
 * bytesMember(Uint8Array.of(1, 2)); // { type: 'uint8', sizeOf: 2, value: '1 2' }
 */
export function bytesMember(bytes: Uint8Array, name?: string): McfgXmlMember {
  return {
    type: 'uint8',
    sizeOf: bytes.length,
    value: Array.from(bytes, String).join(' '),
    ...(name === undefined ? {} : { name }),
  };
}

/**
 * A little-endian unsigned member of `width` bytes holding `value` (decimal text).
 *
 * @example
 * uintMember(4, 2, 'length'); // { type: 'uint16', sizeOf: 1, value: '4', name: 'length' }
 */
export function uintMember(value: number, width: 1 | 2 | 4, name?: string): McfgXmlMember {
  return { type: `uint${width * 8}`, sizeOf: 1, value: String(value), ...(name === undefined ? {} : { name }) };
}
