/**
 * MBN → model (docs/formats/mcfg.md#parse). Structural failures throw `NvError`; everything the file can still be
 * decoded with (hash mismatches, odd items, unknown types) becomes a finding. Unknown items stay opaque.
 * @module
 */
import { DEFAULT_LIMITS, NvError, checkLimit } from '@nv/core';
import { decodeLatin1 } from '@nv/core/bytes';
import { CANONICAL_DATA_OFFSET, hasCanonicalHeaders, openContainer, type HashOptions } from './elf.ts';
import { VERSION_RECORD_ID, type McfgContainer, type McfgFile, type McfgFinding, type McfgItem } from './model.ts';
import { decodeTrailer } from './trailer.ts';
import type { CoreErrorCode } from '@nv/core';
import type { MbnErrorCode } from './errors.ts';

/** Options of {@link parseMbn}. */
export interface ParseMbnOptions extends HashOptions {
  /** Largest input accepted (default 512 MiB). */
  readonly maxBytes?: number;
  /** File name used in errors. */
  readonly path?: string;
}

const rd32 = (b: Uint8Array, o: number): number =>
  (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const rd16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);

/** Short latin1 text: ASCII without TextDecoder's per-call cost, anything else through `decodeLatin1` (same text). */
function latin1(bytes: Uint8Array, from: number, to: number): string {
  if (to - from > 256) return decodeLatin1(bytes.subarray(from, to));
  let s = '';
  for (let i = from; i < to; i++) {
    const c = bytes[i]!;
    if (c >= 0x80) return decodeLatin1(bytes.subarray(from, to));
    s += String.fromCharCode(c);
  }
  return s;
}

/**
 * Decodes the body of one item (docs/formats/mcfg.md#nv-body, docs/formats/mcfg.md#efs-body); inconsistent NV/EFS
 * bodies stay opaque with a finding. `copy` is this parse's one copy of the segment (its own buffer, offset 0):
 * item data are views into it (one allocation per file instead of one per item; `new Uint8Array(buffer, …)` rather
 * than `subarray`, which pays the species lookup per call), so a parsed file never aliases the caller's bytes.
 */
function decodeItem(
  seg: Uint8Array,
  copy: Uint8Array<ArrayBuffer>,
  at: number,
  length: number,
  base: number,
  findings: McfgFinding[],
): McfgItem {
  const type = seg[at + 4]!;
  const b0 = at + 8;
  const end = at + length;
  if (type === 1 || type === 0 || type === 3) {
    if (length >= 12) {
      const nvId = seg[b0]! | (seg[b0 + 1]! << 8);
      const dlen = seg[b0 + 2]! | (seg[b0 + 3]! << 8);
      if (length === 12 + dlen)
        return {
          kind: 'nv',
          type,
          attrib: seg[at + 5]!,
          spOps: seg[at + 6]!,
          spare: seg[at + 7]!,
          offset: base + at,
          nvId,
          data: new Uint8Array(copy.buffer, b0 + 4, end - b0 - 4),
        };
      findings.push({
        severity: 'error',
        code: 'NV_MBN_ITEM_LENGTH',
        message: `NV item ${nvId}: item length ${length} ≠ 12 + data length ${dlen}; kept opaque`,
        offset: base + at,
        path: `nv:${nvId}`,
      });
    } else
      findings.push({
        severity: 'error',
        code: 'NV_MBN_ITEM_LENGTH',
        message: `NV item of ${length} bytes is too short for its id and length`,
        offset: base + at,
      });
    return opaqueItem(seg, copy, at, length, base);
  }
  if (type === 2 || type === 4 || type === 5 || type === 6) {
    const bodyLength = length - 8;
    if (bodyLength < 9)
      return badEfs(seg, copy, at, length, base, findings, `body of ${bodyLength} bytes is too short`);
    if (rd16(seg, b0) !== 1) return badEfs(seg, copy, at, length, base, findings, 'first tag is not 1 (path)');
    const plen = rd16(seg, b0 + 2);
    if (plen < 1 || 4 + plen + 4 > bodyLength)
      return badEfs(seg, copy, at, length, base, findings, `path length ${plen} does not fit`);
    const p0 = b0 + 4;
    const pEnd = p0 + plen - 1;
    let nul = seg[pEnd] !== 0;
    for (let i = p0; i < pEnd && !nul; i++) nul = seg[i] === 0;
    if (nul) return badEfs(seg, copy, at, length, base, findings, 'path is not NUL-terminated at its declared length');
    const t = pEnd + 1;
    if (rd16(seg, t) !== 2) return badEfs(seg, copy, at, length, base, findings, 'second tag is not 2 (data)');
    const dlen = rd16(seg, t + 2);
    const path = latin1(seg, p0, pEnd);
    if (length !== 17 + (plen - 1) + dlen) {
      findings.push({
        severity: 'error',
        code: 'NV_MBN_ITEM_LENGTH',
        message: `EFS item ${path}: item length ${length} ≠ 17 + path + data ${dlen}; kept opaque`,
        offset: base + at,
        path: `efs:${path}`,
      });
      return opaqueItem(seg, copy, at, length, base);
    }
    return {
      kind: 'efs',
      type,
      attrib: seg[at + 5]!,
      spOps: seg[at + 6]!,
      spare: seg[at + 7]!,
      offset: base + at,
      path,
      data: new Uint8Array(copy.buffer, t + 4, end - t - 4),
    };
  }
  return opaqueItem(seg, copy, at, length, base);
}

function opaqueItem(
  seg: Uint8Array,
  copy: Uint8Array<ArrayBuffer>,
  at: number,
  length: number,
  base: number,
): McfgItem {
  return {
    kind: 'opaque',
    type: seg[at + 4]!,
    attrib: seg[at + 5]!,
    spOps: seg[at + 6]!,
    spare: seg[at + 7]!,
    offset: base + at,
    data: new Uint8Array(copy.buffer, at + 8, length - 8),
  };
}

function badEfs(
  seg: Uint8Array,
  copy: Uint8Array<ArrayBuffer>,
  at: number,
  length: number,
  base: number,
  findings: McfgFinding[],
  message: string,
): McfgItem {
  findings.push({
    severity: 'error',
    code: 'NV_MBN_EFS_TAGS',
    message: `EFS item: ${message}; kept opaque`,
    offset: base + at,
  });
  return opaqueItem(seg, copy, at, length, base);
}

/**
 * Parses an MCFG MBN (ELF or bare segment) into {@link McfgFile} (docs/formats/mcfg.md#parse).
 *
 * @example
 * const file = parseMbn(bytes);
 * file.items.filter((i) => i.kind === 'nv').map((i) => i.nvId);
 * @throws NvError `NV_MBN_NOT_ELF`, `NV_MBN_ELF_CLASS`, `NV_MBN_PHDR_BOUNDS`, `NV_MBN_NO_DATA_SEGMENT`, `NV_MBN_BAD_MAGIC`,
 *   `NV_MBN_VERSION_RECORD`, `NV_MBN_ITEM_COUNT`, `NV_MBN_ITEM_TRUNCATED`, `NV_MBN_TRAILER_OFFSET`, `NV_MBN_TRAILER_MARKER`,
 *   `NV_MBN_TRAILER_MAGIC`, `NV_MBN_TRAILER_LENGTH`, `NV_TRUNCATED`, `NV_LIMIT`
 */
export function parseMbn(bytes: Uint8Array, options: ParseMbnOptions = {}): McfgFile {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('parseMbn expects a Uint8Array');
  const where = { path: options.path };
  checkLimit('MBN size', bytes.length, options.maxBytes ?? DEFAULT_LIMITS.maxInputBytes, where);
  let opened;
  try {
    opened = openContainer(bytes, options);
  } catch (error) {
    throw NvError.isInstance(error) && options.path !== undefined ? error.withPath(options.path) : error;
  }
  const findings: McfgFinding[] = [...opened.findings];
  const base = opened.dataOffset;
  const seg = bytes.subarray(base, base + opened.dataSize);
  const n = seg.length;
  const err = (code: MbnErrorCode | CoreErrorCode, message: string, offset: number): NvError =>
    new NvError(code, message, { offset: base + offset, ...where });
  if (n < 4 || seg[0] !== 0x4d || seg[1] !== 0x43 || seg[2] !== 0x46 || seg[3] !== 0x47)
    throw err('NV_MBN_BAD_MAGIC', 'the data segment does not start with "MCFG"', 0);
  if (n < 24 + 24 + 4)
    throw err('NV_TRUNCATED', `the MCFG segment has ${n} bytes, too short for header, version record and trailer`, n);
  const format = rd16(seg, 4);
  const configType = rd16(seg, 6);
  const itemCount = rd32(seg, 8);
  const carrierIndex = rd16(seg, 12);
  const spareCrc = rd16(seg, 14);
  if (format !== 3 && format !== 4)
    findings.push({
      severity: 'error',
      code: 'NV_MBN_FORMAT',
      message: `MCFG format ${format} is not 3 or 4`,
      offset: base + 4,
    });
  if (configType > 1)
    findings.push({
      severity: 'error',
      code: 'NV_MBN_CONFIG_TYPE',
      message: `config type ${configType} is neither 0 (HW) nor 1 (SW)`,
      offset: base + 6,
    });
  if (spareCrc !== 0)
    findings.push({
      severity: 'warning',
      code: 'NV_MBN_SPARE_NONZERO',
      message: `header spare is 0x${spareCrc.toString(16)}, not 0`,
      offset: base + 14,
    });
  if (rd16(seg, 16) !== VERSION_RECORD_ID || rd16(seg, 18) !== 4) {
    throw err(
      'NV_MBN_VERSION_RECORD',
      `first record is id ${rd16(seg, 16)} length ${rd16(seg, 18)}, not the version record 4995/4`,
      16,
    );
  }
  const version = rd32(seg, 20);
  const back = rd32(seg, n - 4);
  const trailerStart = n - back;
  if (back > n - 24 || trailerStart > n - 24)
    throw err('NV_MBN_TRAILER_OFFSET', `the trailer back-pointer ${back} points outside the ${n}-byte segment`, n - 4);
  if (itemCount === 0) throw err('NV_MBN_ITEM_COUNT', 'item count is 0; it must be 1 + the number of items', 8);
  checkLimit('MCFG item count', itemCount - 1, Math.floor((n - 24) / 8), { offset: base + 8, ...where });
  const items: McfgItem[] = [];
  // Not seg.slice(): on a Node Buffer that is a view of the caller's (pooled) memory, not a copy at offset 0.
  const copy = new Uint8Array(n);
  copy.set(seg);
  let pos = 24;
  for (let i = 0; i < itemCount - 1; i++) {
    if (pos + 8 > n - 4) throw err('NV_MBN_ITEM_TRUNCATED', `item ${i} starts at ${pos}, past the segment end`, pos);
    const length = rd32(seg, pos);
    if (length < 8 || length > n - 4 - pos)
      throw err(
        'NV_MBN_ITEM_TRUNCATED',
        `item ${i} has length ${length}, which is under 8 or past the segment end`,
        pos,
      );
    items.push(decodeItem(seg, copy, pos, length, base, findings));
    pos += length;
  }
  if (pos !== trailerStart) {
    throw err(
      'NV_MBN_ITEM_COUNT',
      `walking ${itemCount - 1} items ends at ${pos} but the back-pointer puts the trailer at ${trailerStart}`,
      8,
    );
  }
  const t = trailerStart;
  const recordLength = rd32(seg, t);
  if (seg[t + 4] !== 0x0a || seg[t + 5] !== 0 || seg[t + 6] !== 0 || seg[t + 7] !== 0 || rd16(seg, t + 8) !== 0xa1) {
    throw err('NV_MBN_TRAILER_MARKER', 'the trailer item is not type 0A 00 00 00 with record A1', t + 4);
  }
  if (decodeLatin1(seg.subarray(t + 12, t + 20)) !== 'MCFG_TRL')
    throw err('NV_MBN_TRAILER_MAGIC', 'the trailer does not carry "MCFG_TRL"', t + 12);
  if (recordLength < 24 || recordLength > back || rd16(seg, t + 10) !== recordLength - 16) {
    throw err(
      'NV_MBN_TRAILER_LENGTH',
      `trailer record_length ${recordLength}, payload length ${rd16(seg, t + 10)} and back-pointer ${back} disagree`,
      t,
    );
  }
  const trailerTlvs = seg.slice(t + 20, t + recordLength - 4);
  const trailerPad = seg.slice(t + recordLength - 4, n - 4);
  if (
    trailerPad.length < 1 ||
    trailerPad.length > 4 ||
    trailerPad.some((b) => b !== 0) ||
    (t + recordLength + trailerPad.length) % 4 !== 0
  ) {
    findings.push({
      severity: 'warning',
      code: 'NV_MBN_TRAILER_PAD',
      message: `trailer pad is ${trailerPad.length} bytes (${Array.from(trailerPad, (b) => b.toString(16)).join(' ')}); expected 1…4 zero bytes to a 4-byte boundary`,
      offset: base + t + recordLength - 4,
    });
  }
  findings.push(...decodeTrailer(trailerTlvs, base + t + 20).findings);
  let container: McfgContainer;
  if (opened.kind === 'bare') {
    container = {
      kind: 'bare',
      canonical: false,
      dataOffset: 0,
      ...(n < bytes.length ? { suffix: bytes.slice(n) } : {}),
    };
  } else {
    const end = base + n;
    const canonical =
      base === CANONICAL_DATA_OFFSET &&
      end === bytes.length &&
      opened.digestsVerified === true &&
      hasCanonicalHeaders(bytes, n);
    if (!canonical)
      findings.push({
        severity: 'info',
        code: 'NV_MBN_NONCANONICAL_CONTAINER',
        message: `the ELF wrapper is not the canonical unsigned layout (hash v${opened.hash?.version ?? '?'}, data at 0x${base.toString(16)}); kept as found`,
      });
    if (end < bytes.length)
      findings.push({
        severity: 'warning',
        code: 'NV_MBN_TRAILING_BYTES',
        message: `${bytes.length - end} bytes follow the MCFG data segment`,
        offset: end,
      });
    container = {
      kind: 'elf',
      canonical,
      dataOffset: base,
      ...(opened.hash ? { hashVersion: opened.hash.version, signed: opened.hash.signed } : {}),
      ...(opened.signatures ? { signatures: opened.signatures } : {}),
      ...(canonical ? {} : { prefix: bytes.slice(0, base) }),
      ...(end < bytes.length ? { suffix: bytes.slice(end) } : {}),
    };
  }
  return {
    format,
    configType,
    itemCount,
    carrierIndex,
    spareCrc,
    version,
    items,
    trailerTlvs,
    trailerPad,
    container,
    findings,
    segmentSize: n,
  };
}
