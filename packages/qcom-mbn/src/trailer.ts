/**
 * Trailer TLV codec (docs/formats/mcfg.md#trailer…#tlvs). The device simulator reads selection data
 * (IIN list, PLMN list, IIN prefixes, config version) through {@link decodeTrailer}.
 * @module
 */
import { NvError } from '@nv/core';
import { decodeLatin1 } from '@nv/core/bytes';
import type { McfgFinding } from './model.ts';
import type { MbnErrorCode } from './errors.ts';

/** One TLV as stored. */
export interface McfgTlv {
  readonly id: number;
  readonly value: Uint8Array;
  /** Offset of the TLV inside the TLV bytes. */
  readonly offset: number;
}

/** A PLMN of TLV 2 / TLV 6. */
export interface McfgPlmn {
  readonly mcc: number;
  readonly mnc: number;
}

/** Decoded trailer (docs/formats/mcfg.md#tlvs); every field is present only when its TLV is well-formed. */
export interface McfgTrailer {
  readonly tlvs: readonly McfgTlv[];
  /** TLV 0 `[minor, major]`. */
  readonly formatVersion?: { readonly major: number; readonly minor: number };
  /** TLV 1 config ("OEM") version. */
  readonly version?: number;
  /** TLV 2 MCC/MNC. */
  readonly mccMnc?: McfgPlmn;
  /** TLV 3 name. */
  readonly name?: string;
  /** TLV 4 IIN list (decimal IIN prefixes of the ICCID). */
  readonly iins?: { readonly wildcard: boolean; readonly list: readonly number[] };
  /** TLV 5 base ("QC") version. */
  readonly baseVersion?: number;
  /** TLV 6 PLMN list. */
  readonly plmns?: { readonly wildcard: boolean; readonly list: readonly McfgPlmn[] };
  /** TLV 7 category bits. */
  readonly category?: number;
  /** TLV 8 digest bytes. */
  readonly digest?: Uint8Array;
  /** TLV 9 build id. */
  readonly buildId?: string;
  /** TLV 10 IIN prefixes (upper-case hex strings). */
  readonly iinPrefixes?: readonly string[];
  /** Bytes after the last whole TLV (a truncated TLV). */
  readonly rest?: Uint8Array;
  readonly findings: readonly McfgFinding[];
}

/** Names of known TLV ids (docs/formats/mcfg.md#tlvs). */
export const TLV_NAMES: Readonly<Record<number, string>> = Object.freeze({
  0: 'format',
  1: 'config version',
  2: 'MCC/MNC',
  3: 'name',
  4: 'IIN list',
  5: 'base version',
  6: 'PLMN list',
  7: 'category',
  8: 'digest',
  9: 'build id',
  10: 'IIN prefixes',
});

const u16 = (b: Uint8Array, o: number): number => (b[o] ?? 0) | ((b[o + 1] ?? 0) << 8);
const u32 = (b: Uint8Array, o: number): number =>
  ((b[o] ?? 0) | ((b[o + 1] ?? 0) << 8) | ((b[o + 2] ?? 0) << 16) | ((b[o + 3] ?? 0) << 24)) >>> 0;

/**
 * Splits TLV bytes and decodes the known ids; problems become findings, never exceptions.
 * `base` is the absolute file offset of the TLV bytes (for findings).
 *
 * @example
 * const t = decodeTrailer(file.trailerTlvs);
 * t.iins?.list; // [8949024, …]
 */
export function decodeTrailer(tlvBytes: Uint8Array, base = 0): McfgTrailer {
  const findings: McfgFinding[] = [];
  const f = (
    severity: McfgFinding['severity'],
    code: string,
    message: string,
    offset: number,
    path = 'trailer',
  ): void => {
    findings.push({ severity, code, message, offset: base + offset, path });
  };
  const tlvs: McfgTlv[] = [];
  let o = 0;
  let rest: Uint8Array | undefined;
  while (o < tlvBytes.length) {
    if (o + 3 > tlvBytes.length || o + 3 + u16(tlvBytes, o + 1) > tlvBytes.length) {
      rest = tlvBytes.slice(o);
      f(
        'error',
        'NV_MBN_TLV_TRUNCATED',
        `trailer TLV at +${o} runs past the trailer (${tlvBytes.length - o} bytes left)`,
        o,
      );
      break;
    }
    const len = u16(tlvBytes, o + 1);
    tlvs.push({ id: tlvBytes[o]!, value: tlvBytes.slice(o + 3, o + 3 + len), offset: o });
    o += 3 + len;
  }
  const out: Record<string, unknown> = {};
  const seen = new Set<number>();
  for (const t of tlvs) {
    const v = t.value;
    const path = `tlv:${t.id}`;
    if (seen.has(t.id))
      f(
        'warning',
        'NV_MBN_TLV_DUPLICATE',
        `trailer TLV ${t.id} appears more than once; the first is used`,
        t.offset,
        path,
      );
    if (t.id > 10) f('info', 'NV_MBN_TLV_UNKNOWN', `trailer TLV ${t.id} is unknown; devices skip it`, t.offset, path);
    if (seen.has(t.id)) continue;
    seen.add(t.id);
    switch (t.id) {
      case 0:
        if (v.length === 2) out['formatVersion'] = { minor: v[0]!, major: v[1]! };
        if (v.length !== 2 || v[1] !== 1)
          f(
            'error',
            'NV_MBN_TLV_FORMAT',
            `TLV 0 (format) must be 00 01, found ${Array.from(v, (b) => b.toString(16).padStart(2, '0')).join(' ')}`,
            t.offset,
            path,
          );
        break;
      case 1:
      case 5:
      case 7:
        if (v.length === 4) out[t.id === 1 ? 'version' : t.id === 5 ? 'baseVersion' : 'category'] = u32(v, 0);
        else
          f(
            'error',
            'NV_MBN_TRAILER_LENGTH',
            `TLV ${t.id} (${TLV_NAMES[t.id]}) must be 4 bytes, is ${v.length}`,
            t.offset,
            path,
          );
        break;
      case 2:
        if (v.length === 4) out['mccMnc'] = { mcc: u16(v, 0), mnc: u16(v, 2) };
        else f('error', 'NV_MBN_PLMN_LIST', `TLV 2 (MCC/MNC) must be 4 bytes, is ${v.length}`, t.offset, path);
        break;
      case 3: {
        const name = decodeLatin1(v);
        out['name'] = name;
        if (v.length > 63 || !/^[\x20-\x7e]*$/.test(name))
          f('error', 'NV_MBN_NAME', `TLV 3 (name) must be printable ASCII of at most 63 bytes`, t.offset, path);
        break;
      }
      case 4:
      case 6: {
        const count = v[1] ?? 0;
        const code = t.id === 4 ? 'NV_MBN_IIN_LIST' : 'NV_MBN_PLMN_LIST';
        if (v.length < 2 || v.length !== 2 + 4 * count || count > 32) {
          f(
            'error',
            code,
            `TLV ${t.id} (${TLV_NAMES[t.id]}): length ${v.length} must be 2 + 4 × count (count ${count} ≤ 32)`,
            t.offset,
            path,
          );
          break;
        }
        const wildcard = ((v[0] ?? 0) & 1) === 1;
        if (t.id === 4) out['iins'] = { wildcard, list: Array.from({ length: count }, (_, i) => u32(v, 2 + 4 * i)) };
        else {
          const list = Array.from({ length: count }, (_, i) => ({ mcc: u16(v, 2 + 4 * i), mnc: u16(v, 4 + 4 * i) }));
          if (list.some((p) => p.mcc > 999 || p.mnc > 999))
            f('error', code, `TLV 6 (PLMN list) has an MCC or MNC over 999`, t.offset, path);
          out['plmns'] = { wildcard, list };
        }
        break;
      }
      case 8:
        out['digest'] = v;
        break;
      case 9:
        out['buildId'] = decodeLatin1(v);
        break;
      case 10: {
        const s = decodeLatin1(v);
        if (v.length > 127 || !/^[0-9A-Fa-f,]*$/.test(s))
          f(
            'error',
            'NV_MBN_IIN_STRING',
            `TLV 10 (IIN prefixes) must be hex digits and commas, at most 127 bytes`,
            t.offset,
            path,
          );
        out['iinPrefixes'] = s
          .split(',')
          .map((p) => p.trim().toUpperCase())
          .filter((p) => p !== '');
        break;
      }
    }
  }
  return { tlvs, ...(out as object), ...(rest === undefined ? {} : { rest }), findings } as McfgTrailer;
}

/** Fields {@link encodeTrailer} writes, in this order: TLV 0, 1, 2, 3, 4, 5, 6, 7, 10, then `extra` as given. */
export interface McfgTrailerInput {
  readonly version?: number;
  readonly mccMnc?: McfgPlmn;
  readonly name?: string;
  readonly iins?: { readonly wildcard?: boolean; readonly list: readonly number[] };
  readonly baseVersion?: number;
  readonly plmns?: { readonly wildcard?: boolean; readonly list: readonly McfgPlmn[] };
  readonly category?: number;
  readonly iinPrefixes?: readonly string[];
  readonly extra?: readonly { readonly id: number; readonly value: Uint8Array }[];
}

/**
 * Encodes trailer TLVs (without the `MCFG_TRL` record header), starting with TLV 0 = `00 01`.
 *
 * @example
 * const tlvs = encodeTrailer({ version: 0x0501050d, name: 'Commercial-TMO', plmns: { list: [{ mcc: 310, mnc: 260 }] } });
 * @throws NvError `NV_MBN_NAME`, `NV_MBN_IIN_LIST`, `NV_MBN_PLMN_LIST`, `NV_MBN_IIN_STRING`; RangeError on values outside their field
 */
export function encodeTrailer(input: McfgTrailerInput): Uint8Array<ArrayBuffer> {
  const parts: number[] = [];
  const tlv = (id: number, value: readonly number[]): void => {
    if (value.length > 0xffff) throw new RangeError(`TLV ${id} is over 65535 bytes`);
    parts.push(id, value.length & 0xff, value.length >> 8, ...value);
  };
  const le = (v: number, n: number): number[] => {
    if (!Number.isInteger(v) || v < 0 || v >= 2 ** (8 * n)) throw new RangeError(`${v} does not fit in ${n} bytes`);
    return Array.from({ length: n }, (_, i) => Math.floor(v / 2 ** (8 * i)) & 0xff);
  };
  const ascii = (s: string, max: number, code: MbnErrorCode, re: RegExp): number[] => {
    if (s.length > max || !re.test(s))
      throw new NvError(code, `trailer string "${s}" must match ${re} and have at most ${max} characters`);
    return Array.from(s, (c) => c.charCodeAt(0));
  };
  const list = <T>(l: readonly T[], code: MbnErrorCode, each: (x: T) => number[], wildcard?: boolean): number[] => {
    if (l.length > 32) throw new NvError(code, `a trailer list holds at most 32 entries, got ${l.length}`);
    return [wildcard === true ? 1 : 0, l.length, ...l.flatMap(each)];
  };
  tlv(0, [0, 1]);
  if (input.version !== undefined) tlv(1, le(input.version, 4));
  if (input.mccMnc !== undefined) tlv(2, [...le(input.mccMnc.mcc, 2), ...le(input.mccMnc.mnc, 2)]);
  if (input.name !== undefined) tlv(3, ascii(input.name, 63, 'NV_MBN_NAME', /^[\x20-\x7e]*$/));
  if (input.iins !== undefined)
    tlv(
      4,
      list(input.iins.list, 'NV_MBN_IIN_LIST', (x) => le(x, 4), input.iins.wildcard),
    );
  if (input.baseVersion !== undefined) tlv(5, le(input.baseVersion, 4));
  if (input.plmns !== undefined) {
    for (const p of input.plmns.list)
      if (p.mcc > 999 || p.mnc > 999) throw new NvError('NV_MBN_PLMN_LIST', `MCC/MNC ${p.mcc}/${p.mnc} is over 999`);
    tlv(
      6,
      list(input.plmns.list, 'NV_MBN_PLMN_LIST', (p) => [...le(p.mcc, 2), ...le(p.mnc, 2)], input.plmns.wildcard),
    );
  }
  if (input.category !== undefined) tlv(7, le(input.category, 4));
  if (input.iinPrefixes !== undefined)
    tlv(10, ascii(input.iinPrefixes.join(','), 127, 'NV_MBN_IIN_STRING', /^[0-9A-Fa-f,]*$/));
  for (const x of input.extra ?? []) tlv(le(x.id, 1)[0]!, Array.from(x.value));
  return Uint8Array.from(parts);
}
