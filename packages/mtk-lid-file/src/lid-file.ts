/**
 * LID files of generation A (no header, `cs2`) and B (64-byte `LDI` header, `chk8`): detect, decode, encode,
 * compare and reconcile copies (docs/formats/lid-files.md#detection…#gen-b, docs/formats/lid-files.md#algorithms, docs/formats/lid-files.md#read-errors).
 * @module
 */
import { NvError, checkLimit } from '@nv/core';
import { bytesToHex, bytesEqual } from '@nv/core/bytes';
import { cs2, cs2Accepts, chk8, chk8Matches, chk8MatchesLatin1, ldiHeaderChecksum } from './checksum.ts';
import { aesEcbDecrypt, aesEcbEncrypt, aesExpandKey, rc4KeySchedule, rc4Xor, type AesKey } from './crypto.ts';
import { lidFileNamesOf } from './names.ts';

/** On-disk generation: `A` (MOLY WR8/LR9/LR11, ltable `moly-a`) or `B` (MOLY LR12A, `moly-b`). */
export type LidGeneration = 'A' | 'B';

/** Largest LID file this package reads (docs/formats/lid-files.md#errors). */
export const LID_MAX_FILE_BYTES: number = 16 * 1024 * 1024;
/** Gen-B header length. */
export const LDI_HEADER_SIZE = 64;

/**
 * What the codec needs of a table entry (structurally an `LtableEntry` of `@nv/mtk-nvram-ltable`). Pass the
 * *effective* entry (after the boot-time rewrites) when attributes differ.
 */
export interface LidEntry {
  readonly lid: number | null;
  readonly name?: string;
  /** Record size. */
  readonly size: number;
  /** Number of records. */
  readonly records: number;
  /** Attribute names (`CONFIDENTIAL`, `MSP`, `MULTIPLE`, `MULTI_DEFAULT`, `RAW_DATA`, …). */
  readonly attributes: readonly string[];
  /** Attribute bits (gen-B header `ldi_attr`); 0 when absent. */
  readonly attr?: number;
  /** Category bits (gen-B header `ldi_category`). */
  readonly category?: number;
  readonly categories?: readonly string[];
  readonly prefix?: string;
  readonly verno?: string;
  /** Planner tags (`imei`, `sim-lock` need the secure external API, docs/formats/lid-files.md#external-api). */
  readonly tags?: readonly string[];
}

/**
 * Key of a confidential LID (docs/formats/lid-files.md#gen-a, docs/formats/lid-files.md#key-derivation). Gen A: `rc4Key` (key A is the 4 bytes `12 AB CD EF`) or `rc4State` (key B:
 * the 256-byte derived output used directly); gen B: `aesKey` (16 bytes). The package ships no vendor key.
 */
export type LidKey =
  | { readonly rc4Key: Uint8Array; readonly skip?: number }
  | { readonly rc4State: Uint8Array; readonly skip?: number }
  | { readonly aesKey: Uint8Array };

/** Every field of the gen-B 64-byte header (docs/formats/lid-files.md#gen-b). Byte runs are lower-case hex. */
export interface LdiHeader {
  lid: number;
  totalRecords: number;
  recordSize: number;
  attr: number;
  category: number;
  /** 10 bytes at 20. */
  defvalChkrstH: string;
  /** Stored header checksum (u16 LE at 30). */
  checksum: number;
  lastWriteTaskId: number;
  /** 6 bytes at 36. */
  defvalChkrstL: string;
  lastWriteTime: number;
  writeTimes: number;
  /** 16 bytes at 48. */
  structChkrst: string;
}

/** One decoded record. */
export interface LidRecord {
  /** 1-based record index. */
  index: number;
  /**
   * Plain record bytes (ciphertext when the LID is confidential and no key was given with `allowEncrypted`): a view
   * into the decoder's own copy of the file's record area, shared by the records of one result, never the input.
   */
  bytes: Uint8Array;
  checksumOk: boolean;
  /** Stored checksum bytes (hex). */
  checksum: string;
  /** Absolute offset of the section. */
  offset: number;
}

/** Result of {@link decodeLidFile}. */
export interface LidDecoded {
  generation: LidGeneration;
  header?: LdiHeader;
  /** True when the gen-B header checksum is valid (absent for gen A). */
  headerChecksumOk?: boolean;
  recordSize: number;
  /** Section length (record + checksum + pad). */
  sectionSize: number;
  /** False when records hold ciphertext (confidential without key, `allowEncrypted`). */
  decrypted: boolean;
  /** True for a gen-B RAW_DATA file (one record, no checksum). */
  raw?: boolean;
  records: LidRecord[];
  /** 1-based indexes of records whose checksum failed. */
  badRecords: number[];
}

/** Options of {@link decodeLidFile} / {@link encodeLidFile}. */
export interface LidCodecOptions extends LidLayoutHint {
  /** Force the generation (`decode --gen`). */
  readonly generation?: LidGeneration;
  /** Key for CONFIDENTIAL LIDs. */
  readonly key?: LidKey;
  /** MSP binds to the chip (default true): adds pad and makes the file `NV_LID_HW_BOUND`. */
  readonly bindToChip?: boolean;
  /** Decode a confidential LID without a key: records stay ciphertext (gen A still verifies). */
  readonly allowEncrypted?: boolean;
  /** File name for errors. */
  readonly path?: string;
  /**
   * MD5 and AES-128-ECB to use instead of the pure ones (`@noble/hashes`, `@noble/ciphers`): `NODE_LID_CRYPTO` of
   * `@nv/mtk-lid-file/node` uses node:crypto (same bytes, faster; README, Benchmark).
   */
  readonly crypto?: LidCrypto;
}

/** The primitives of the gen-B codec, replaceable by faster native ones ({@link LidCodecOptions.crypto}). */
export interface LidCrypto {
  /** MD5 digest (16 bytes). */
  md5(data: Uint8Array): Uint8Array;
  /** AES-128-ECB without padding, `data.length` a multiple of 16. */
  aesEcbDecrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
  aesEcbEncrypt(key: Uint8Array, data: Uint8Array): Uint8Array;
}

/**
 * Internal (not exported by the package): a {@link LidCrypto} may carry, under this key, an MD5 that returns its
 * digest as a 16-character latin1 string (one character per byte). `NODE_LID_CRYPTO` puts node:crypto's one-shot
 * `hash(…, 'latin1')` here: a string result spares each record's chk8 the Buffer (an off-heap allocation) that costs
 * node:crypto most of a call on a small record.
 */
export const MD5_LATIN1: unique symbol = Symbol('@nv/mtk-lid-file: MD5 as a latin1 string');

const md5Latin1Of = (native: LidCrypto | undefined): ((data: Uint8Array) => string) | undefined =>
  native && (native as { [MD5_LATIN1]?: (data: Uint8Array) => string })[MD5_LATIN1];

const has = (e: LidEntry, a: string): boolean => e.attributes.includes(a);

/** Whether the 8 stored chk8 bytes at `a` and at `b` of `area` are the same. */
function sameChk8(area: Uint8Array, a: number, b: number): boolean {
  for (let i = 0; i < 8; i++) if (area[a + i] !== area[b + i]) return false;
  return true;
}

// Lower-case hex of `len` bytes of `bytes` from `at` (a stored checksum or a header field).
function hexAt(bytes: Uint8Array, at: number, len: number): string {
  return bytesToHex(bytes.subarray(at, at + len));
}

/**
 * Gen-A section length: record + 2 + pad (pad only for MSP bound to the chip, docs/formats/lid-files.md#gen-a).
 * @example sectionSizeA(10, []) // 12
 */
export function sectionSizeA(size: number, attributes: readonly string[], bindToChip = true): number {
  const pad = attributes.includes('MSP') && bindToChip ? (16 - ((size + 2) % 16)) % 16 : 0;
  return size + 2 + pad;
}

/**
 * Gen-B section length: record + 8 + pad (pad for CONFIDENTIAL, or MSP bound to the chip, docs/formats/lid-files.md#gen-b).
 * @example sectionSizeB(10, ['CONFIDENTIAL']) // 32
 */
export function sectionSizeB(size: number, attributes: readonly string[], bindToChip = true): number {
  const padded = attributes.includes('CONFIDENTIAL') || (attributes.includes('MSP') && bindToChip);
  return size + 8 + (padded ? (16 - ((size + 8) % 16)) % 16 : 0);
}

/**
 * Expected file length of an entry in a generation.
 * @example lidFileSize({ lid: 0xef10, size: 10, records: 10, attributes: [] }, 'B') // 384
 */
export function lidFileSize(entry: LidEntry, generation: LidGeneration, bindToChip = true): number {
  if (generation === 'A') return entry.records * sectionSizeA(entry.size, entry.attributes, bindToChip);
  if (has(entry, 'RAW_DATA')) return LDI_HEADER_SIZE + entry.records * entry.size;
  return LDI_HEADER_SIZE + entry.records * sectionSizeB(entry.size, entry.attributes, bindToChip);
}

// moly-b attribute bits used when a gen-B file is decoded without a table entry.
const B_ATTR_BITS: readonly [string, number][] = [
  ['MULTI_DEFAULT', 0x1],
  ['MULTIPLE', 0x4],
  ['CONFIDENTIAL', 0x8],
  ['MSP', 0x20],
  ['RAW_DATA', 0x8000],
];

/**
 * Decodes the 64-byte gen-B header (every field, docs/formats/lid-files.md#gen-b) without judging it.
 * @throws NvError `NV_TRUNCATED` under 64 bytes, `NV_LID_BAD_MAGIC` without `LDI\0`.
 * @example decodeLdiHeader(file).totalRecords
 */
export function decodeLdiHeader(bytes: Uint8Array, path?: string): LdiHeader {
  if (bytes.length < LDI_HEADER_SIZE)
    throw new NvError('NV_TRUNCATED', `a gen-B LID file needs a 64-byte header, got ${bytes.length} bytes`, {
      offset: bytes.length,
      path,
    });
  if (bytes[0] !== 0x4c || bytes[1] !== 0x44 || bytes[2] !== 0x49 || bytes[3] !== 0) {
    throw new NvError(
      'NV_LID_BAD_MAGIC',
      `gen-B header magic is ${bytesToHex(bytes.subarray(0, 4))}, not 4c444900 ("LDI\\0")`,
      { offset: 0, path },
    );
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, LDI_HEADER_SIZE);
  return {
    lid: dv.getUint16(4, true),
    totalRecords: dv.getUint16(6, true),
    recordSize: dv.getUint32(8, true),
    attr: dv.getUint32(12, true),
    category: dv.getUint32(16, true),
    defvalChkrstH: hexAt(bytes, 20, 10),
    checksum: dv.getUint16(30, true),
    lastWriteTaskId: dv.getUint32(32, true),
    defvalChkrstL: hexAt(bytes, 36, 6),
    lastWriteTime: dv.getUint16(42, true),
    writeTimes: dv.getUint32(44, true),
    structChkrst: hexAt(bytes, 48, 16),
  };
}

function hexField(hex: string, len: number, what: string): Uint8Array {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex) || hex.length !== 2 * len)
    throw new RangeError(`${what} must be ${len} bytes of hex`);
  const out = new Uint8Array(len);
  for (let i = 0; i < len; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Encodes a gen-B header; `checksum` is ignored and recomputed (docs/formats/lid-files.md#header-checksum).
 * @throws RangeError for out-of-range fields (API misuse).
 * @example encodeLdiHeader({ lid: 0xef10, totalRecords: 10, recordSize: 10, attr: 0x400a, category: 0x2000, writeTimes: 0 })
 */
export function encodeLdiHeader(
  fields: Partial<LdiHeader> & Pick<LdiHeader, 'lid' | 'totalRecords' | 'recordSize' | 'attr' | 'category'>,
): Uint8Array<ArrayBuffer> {
  const h = new Uint8Array(LDI_HEADER_SIZE);
  const dv = new DataView(h.buffer);
  h.set([0x4c, 0x44, 0x49, 0]);
  const u = (v: number, max: number, what: string): number => {
    if (!Number.isInteger(v) || v < 0 || v > max) throw new RangeError(`header ${what} ${v} is out of range`);
    return v;
  };
  dv.setUint16(4, u(fields.lid, 0xffff, 'lid'), true);
  dv.setUint16(6, u(fields.totalRecords, 0xffff, 'totalRecords'), true);
  dv.setUint32(8, u(fields.recordSize, 0xffffffff, 'recordSize'), true);
  dv.setUint32(12, u(fields.attr, 0xffffffff, 'attr'), true);
  dv.setUint32(16, u(fields.category, 0xffffffff, 'category'), true);
  h.set(hexField(fields.defvalChkrstH ?? '00'.repeat(10), 10, 'defvalChkrstH'), 20);
  dv.setUint32(32, u(fields.lastWriteTaskId ?? 0, 0xffffffff, 'lastWriteTaskId'), true);
  h.set(hexField(fields.defvalChkrstL ?? '00'.repeat(6), 6, 'defvalChkrstL'), 36);
  dv.setUint16(42, u(fields.lastWriteTime ?? 0, 0xffff, 'lastWriteTime'), true);
  dv.setUint32(44, u(fields.writeTimes ?? 1, 0xffffffff, 'writeTimes'), true);
  h.set(hexField(fields.structChkrst ?? '00'.repeat(16), 16, 'structChkrst'), 48);
  dv.setUint16(30, ldiHeaderChecksum(h), true);
  return h;
}

interface Cipher {
  /** Gen A: per-record stream (restarted per record). */
  rc4?: (data: Uint8Array) => Uint8Array;
  aes?: AesKey;
}

function makeCipher(key: LidKey | undefined, generation: LidGeneration, path: string | undefined): Cipher | undefined {
  if (!key) return undefined;
  if (generation === 'A') {
    if ('aesKey' in key)
      throw new NvError('NV_LID_KEY_REQUIRED', 'generation A uses an RC4 key (rc4Key or rc4State), not an AES key', {
        path,
      });
    const state = 'rc4State' in key ? key.rc4State : rc4KeySchedule(key.rc4Key);
    if (state.length !== 256)
      throw new NvError('NV_LID_KEY_REQUIRED', `an RC4 state must be 256 bytes, got ${state.length}`, { path });
    const skip = key.skip ?? 0;
    return { rc4: (d) => rc4Xor(state, d, skip) };
  }
  if (!('aesKey' in key))
    throw new NvError('NV_LID_KEY_REQUIRED', 'generation B uses a 16-byte AES key (aesKey)', { path });
  if (key.aesKey.length !== 16)
    throw new NvError('NV_LID_KEY_REQUIRED', `the gen-B AES key must be 16 bytes, got ${key.aesKey.length}`, { path });
  return { aes: aesExpandKey(key.aesKey) };
}

function entryFromHeader(h: LdiHeader): LidEntry {
  return {
    lid: h.lid,
    size: h.recordSize,
    records: h.totalRecords,
    attr: h.attr,
    category: h.category,
    attributes: B_ATTR_BITS.filter(([, v]) => (h.attr & v) !== 0).map(([n]) => n),
  };
}

/** One generation-A record split of a table-less file: `records` sections of `size` + 2 bytes. */
export interface LidLayout {
  records: number;
  /** Record size (the section is 2 bytes longer). */
  size: number;
}

/**
 * Most bytes the table-less layout search (docs/formats/lid-files.md#detection) reads over all candidate splits before it gives up with `NV_LIMIT`
 * (a crafted file can make hundreds of splits verify far into the file; real files reject a wrong split within
 * its first sections).
 */
export const LID_LAYOUT_SEARCH_MAX_BYTES: number = 256 * 1024 * 1024;

/**
 * Every generation-A record split of a table-less file whose checksums all verify (docs/formats/lid-files.md#detection): each `len = n × s` with
 * `s ≥ 3` and `n ≤ 65535` (the record count is a u16), smallest section first. Work is bounded by
 * {@link LID_LAYOUT_SEARCH_MAX_BYTES}.
 * @throws NvError `NV_LIMIT` when the search would read more than the bound (give the record size instead).
 * @example findLidLayouts(file) // [{ records: 10, size: 512 }, { records: 5, size: 1026 }]
 */
export function findLidLayouts(bytes: Uint8Array, options: { path?: string; maxScanBytes?: number } = {}): LidLayout[] {
  const len = bytes.length;
  const fits: LidLayout[] = [];
  const max = options.maxScanBytes ?? LID_LAYOUT_SEARCH_MAX_BYTES;
  let budget = max;
  let tried = 0;
  for (let s = Math.max(3, Math.ceil(len / 0xffff)); s <= len; s++) {
    if (len % s !== 0) continue;
    tried++;
    const size = s - 2;
    let ok = true;
    for (let off = 0; off < len && ok; off += s) {
      if (budget < s)
        throw new NvError(
          'NV_LIMIT',
          `the record-split search of this ${len}-byte file read ${max} bytes over ${tried} candidate splits (${fits.length} verified so far) and gave up: give the record size (--record-size) or the table (--ltable)`,
          { path: options.path, data: { tried, found: fits } },
        );
      budget -= s;
      ok = cs2Accepts(bytes.subarray(off, off + size), bytes[off + size]! | (bytes[off + size + 1]! << 8));
    }
    if (ok) fits.push({ records: len / s, size });
  }
  return fits;
}

/** `10×514 (records of 512)` style list for messages. */
export const describeLidLayouts = (layouts: readonly LidLayout[]): string =>
  layouts.map((l) => `${l.records}×${l.size + 2} (records of ${l.size})`).join(', ');

/** Hints for a table-less generation-A file (`--record-size`, `--records`). */
export interface LidLayoutHint {
  /** Record size (without the 2-byte checksum). */
  readonly recordSize?: number;
  /** Number of records. */
  readonly records?: number;
}

function hintEntry(len: number, hint: LidLayoutHint, path: string | undefined): LidEntry | undefined {
  const { recordSize, records } = hint;
  if (recordSize === undefined && records === undefined) return undefined;
  const bad = (msg: string): never => {
    throw new NvError('NV_LID_BAD_SIZE', msg, { path, offset: len, data: { recordSize, records, actual: len } });
  };
  if (recordSize !== undefined && (!Number.isInteger(recordSize) || recordSize < 1))
    throw new RangeError(`record size ${recordSize} must be a positive integer`);
  if (records !== undefined && (!Number.isInteger(records) || records < 1 || records > 0xffff))
    throw new RangeError(`record count ${records} must be 1…65535`);
  if (recordSize !== undefined && records !== undefined) {
    if (records * (recordSize + 2) !== len)
      bad(
        `${records} records of ${recordSize} (+2 checksum bytes) make ${records * (recordSize + 2)} bytes, the file has ${len}`,
      );
    return { lid: null, size: recordSize, records, attributes: [] };
  }
  if (recordSize !== undefined) {
    if (len % (recordSize + 2) !== 0)
      bad(`${len} bytes are not a whole number of ${recordSize + 2}-byte sections (records of ${recordSize} + 2)`);
    return { lid: null, size: recordSize, records: len / (recordSize + 2), attributes: [] };
  }
  if (len % records! !== 0 || len / records! < 3) bad(`${len} bytes do not split into ${records} sections`);
  return { lid: null, size: len / records! - 2, records: records!, attributes: [] };
}

/**
 * Table-less generation-A layout (docs/formats/lid-files.md#detection): the hint when given, else the single split whose checksums all verify.
 * @throws NvError `NV_LID_AMBIGUOUS_LAYOUT` (several splits, `data.layouts`), `NV_LID_BAD_CHECKSUM` (none),
 *   `NV_LID_BAD_SIZE` (hint does not fit), `NV_LIMIT`.
 */
function tablelessLayoutA(bytes: Uint8Array, hint: LidLayoutHint, path: string | undefined): LidEntry {
  const hinted = hintEntry(bytes.length, hint, path);
  if (hinted) return hinted;
  const fits = findLidLayouts(bytes, path === undefined ? {} : { path });
  if (fits.length === 1) return { lid: null, size: fits[0]!.size, records: fits[0]!.records, attributes: [] };
  if (fits.length > 1)
    throw new NvError(
      'NV_LID_AMBIGUOUS_LAYOUT',
      `${fits.length} generation-A record splits of this ${bytes.length}-byte file verify: ${describeLidLayouts(fits)}; give --record-size or --records (or the table with --ltable)`,
      { path, data: { layouts: fits } },
    );
  const likely = likelyLayoutA(bytes);
  throw new NvError(
    'NV_LID_BAD_CHECKSUM',
    `no record split of this ${bytes.length}-byte generation-A file has every checksum right: it is corrupt` +
      (likely
        ? ` (most likely ${likely.records}×${likely.size + 2}, records of ${likely.size}, with record${likely.badRecords.length > 1 ? 's' : ''} ${likely.badRecords.join(', ')} bad)`
        : '') +
      '; decode --record-size N or verify --ltable locates the bad record',
    {
      path,
      offset: likely ? (likely.badRecords[0]! - 1) * (likely.size + 2) : 0,
      data: { layouts: [], ...(likely ? { likely } : {}) },
    },
  );
}

/**
 * For a corrupt table-less file: the split under which most sections still verify, when at least half of them
 * do and no other split does as well (a wrong split verifies a section only by chance, ~2⁻¹⁶). A hint only.
 */
function likelyLayoutA(bytes: Uint8Array): (LidLayout & { badRecords: number[] }) | undefined {
  const len = bytes.length;
  let best: (LidLayout & { badRecords: number[] }) | undefined;
  let bestGood = 0;
  let tie = false;
  let budget = LID_LAYOUT_SEARCH_MAX_BYTES;
  for (let s = Math.max(3, Math.ceil(len / 0xffff)); s <= len / 2; s++) {
    if (len % s !== 0) continue;
    if (budget < len) return undefined;
    budget -= len;
    const size = s - 2;
    const bad: number[] = [];
    for (let off = 0, i = 1; off < len; off += s, i++)
      if (!cs2Accepts(bytes.subarray(off, off + size), bytes[off + size]! | (bytes[off + size + 1]! << 8))) bad.push(i);
    const good = len / s - bad.length;
    if (good < 1 || good * 2 < len / s) continue;
    if (good > bestGood) {
      best = { records: len / s, size, badRecords: bad };
      bestGood = good;
      tie = false;
    } else if (good === bestGood) tie = true;
  }
  return tie ? undefined : best;
}

/**
 * Detects the generation of a LID file (docs/formats/lid-files.md#detection). With `entry` (or a record size/count hint), gen A must match its
 * length exactly; without, every split `len = n × s` (s ≥ 3) whose every checksum verifies is tried: exactly one
 * is the layout, several are `NV_LID_AMBIGUOUS_LAYOUT`, none is `NV_LID_BAD_CHECKSUM`.
 * @throws NvError `NV_LID_UNKNOWN_GENERATION`, `NV_LID_AMBIGUOUS_LAYOUT`, `NV_LID_BAD_CHECKSUM`,
 *   `NV_LID_BAD_HEADER_CHECKSUM`, `NV_LID_BAD_SIZE`, `NV_LIMIT`.
 * @example detectLidGeneration(file) // { generation: 'B' }
 */
export function detectLidGeneration(
  bytes: Uint8Array,
  entry?: LidEntry,
  options: { bindToChip?: boolean; path?: string } & LidLayoutHint = {},
): { generation: LidGeneration; entry?: LidEntry } {
  const bind = options.bindToChip !== false;
  const len = bytes.length;
  let magic = false;
  if (len >= LDI_HEADER_SIZE && bytes[0] === 0x4c && bytes[1] === 0x44 && bytes[2] === 0x49 && bytes[3] === 0) {
    magic = true;
    const h = decodeLdiHeader(bytes, options.path);
    const e = entry ?? entryFromHeader(h);
    if (h.checksum === ldiHeaderChecksum(bytes) && lidFileSize(e, 'B', bind) === len)
      return { generation: 'B', entry: e };
  }
  if (entry) {
    if (lidFileSize(entry, 'A', bind) === len && len > 0) return { generation: 'A', entry };
  } else if (len >= 3) {
    try {
      return { generation: 'A', entry: tablelessLayoutA(bytes, options, options.path) };
    } catch (error) {
      // A file with the LDI magic whose gen-A reading fails is a damaged gen-B file: say so below.
      if (!magic || !NvError.isInstance(error) || error.code !== 'NV_LID_BAD_CHECKSUM') throw error;
    }
  }
  if (magic) {
    const h = decodeLdiHeader(bytes, options.path);
    if (h.checksum !== ldiHeaderChecksum(bytes))
      throw new NvError(
        'NV_LID_BAD_HEADER_CHECKSUM',
        `gen-B header checksum is 0x${h.checksum.toString(16)}, expected 0x${ldiHeaderChecksum(bytes).toString(16)}`,
        { offset: 30, path: options.path },
      );
  }
  throw new NvError(
    'NV_LID_UNKNOWN_GENERATION',
    `no generation-A or generation-B layout fits this ${len}-byte file${entry ? ' and its table entry' : ''}`,
    { path: options.path, offset: 0 },
  );
}

/**
 * Decodes a LID file (docs/formats/lid-files.md#algorithms): every record with its checksum verdict; never stops at the first bad record.
 * @throws NvError `NV_LIMIT`, `NV_LID_UNKNOWN_GENERATION`, `NV_LID_AMBIGUOUS_LAYOUT`, `NV_LID_BAD_SIZE`,
 *   `NV_LID_BAD_MAGIC`, `NV_LID_HEADER_MISMATCH`, `NV_LID_KEY_REQUIRED`, `NV_LID_BAD_PADDING`, `NV_LID_HW_BOUND`.
 * @example decodeLidFile(bytes, entry, { key: { aesKey } }).records[0].bytes
 */
export function decodeLidFile(bytes: Uint8Array, entry?: LidEntry, options: LidCodecOptions = {}): LidDecoded {
  const path = options.path;
  const bind = options.bindToChip !== false;
  checkLimit('LID file size', bytes.length, LID_MAX_FILE_BYTES, { path });
  let generation = options.generation;
  let e = entry;
  if (!generation) {
    const d = detectLidGeneration(bytes, entry, {
      bindToChip: bind,
      ...(path === undefined ? {} : { path }),
      ...(options.recordSize === undefined ? {} : { recordSize: options.recordSize }),
      ...(options.records === undefined ? {} : { records: options.records }),
    });
    generation = d.generation;
    e = d.entry;
  }
  let header: LdiHeader | undefined;
  let base = 0;
  let headerChecksumOk: boolean | undefined;
  if (generation === 'B') {
    header = decodeLdiHeader(bytes, path);
    headerChecksumOk = header.checksum === ldiHeaderChecksum(bytes);
    if (!e) e = entryFromHeader(header);
    else {
      const diffs: string[] = [];
      if (e.lid !== null && e.lid !== header.lid)
        diffs.push(`LID 0x${header.lid.toString(16)} ≠ 0x${e.lid.toString(16)}`);
      if (e.records !== header.totalRecords) diffs.push(`records ${header.totalRecords} ≠ ${e.records}`);
      if (e.size !== header.recordSize) diffs.push(`record size ${header.recordSize} ≠ ${e.size}`);
      if (e.category !== undefined && e.category !== header.category)
        diffs.push(`category 0x${header.category.toString(16)} ≠ 0x${e.category.toString(16)}`);
      if (diffs.length)
        throw new NvError(
          'NV_LID_HEADER_MISMATCH',
          `gen-B header disagrees with the table entry: ${diffs.join(', ')}`,
          { offset: 4, path, data: { diffs } },
        );
    }
    base = LDI_HEADER_SIZE;
  }
  // docs/formats/lid-files.md#detection: a table-less gen-A file (a real NVRAM/ folder dump) uses its one verifying split, or the hint.
  if (!e) e = tablelessLayoutA(bytes, options, path);
  checkLimit('record count', e.records, 0xffff, { path });
  checkLimit('record size', e.size, LID_MAX_FILE_BYTES, { path });
  const expected = lidFileSize(e, generation, bind);
  if (bytes.length !== expected) {
    throw new NvError(
      'NV_LID_BAD_SIZE',
      `file is ${bytes.length} bytes, the entry needs ${expected} (${e.records} records of ${e.size})`,
      { offset: expected, path, data: { expected, actual: bytes.length } },
    );
  }
  if (has(e, 'MSP') && bind)
    throw new NvError(
      'NV_LID_HW_BOUND',
      `this LID is MSP (chip-bound hardware cipher): only its size (${expected} bytes) could be checked`,
      { path, data: { size: expected } },
    );
  if (generation === 'B' && has(e, 'RAW_DATA')) {
    const raw = bytes.slice(base);
    return {
      generation,
      header: header!,
      headerChecksumOk: headerChecksumOk!,
      recordSize: e.size,
      sectionSize: raw.length,
      decrypted: true,
      raw: true,
      records: [{ index: 1, bytes: raw, checksumOk: true, checksum: '', offset: base }],
      badRecords: [],
    };
  }
  const confidential = has(e, 'CONFIDENTIAL');
  const cipher = confidential ? makeCipher(options.key, generation, path) : undefined;
  if (confidential && !cipher && !options.allowEncrypted)
    throw new NvError(
      'NV_LID_KEY_REQUIRED',
      `LID is CONFIDENTIAL: give the ${generation === 'A' ? 'RC4 key or state' : 'AES-128 key'} (--key)`,
      { path },
    );
  const section =
    generation === 'A' ? sectionSizeA(e.size, e.attributes, bind) : sectionSizeB(e.size, e.attributes, bind);
  const records: LidRecord[] = [];
  const badRecords: number[] = [];
  const native = options.crypto;
  const latin1 = md5Latin1Of(native);
  const digest = native && !latin1 ? (d: Uint8Array) => native.md5(d) : undefined;
  const size = e.size;
  const n = e.records;
  // Records are views into one private copy of the record area (one allocation per file instead of one per record;
  // no record aliases the caller's `bytes`): ECB ciphers each 16-byte block alone, so a confidential gen-B area is
  // deciphered in one call (one key schedule per file) and that output is the copy (a native cipher's output is
  // copied once more, it may be a buffer the provider reuses).
  let area: Uint8Array;
  let ciphered = false;
  if (generation === 'B' && cipher?.aes) {
    const cipherArea = bytes.subarray(base, base + n * section);
    area = native ? native.aesEcbDecrypt(cipher.aes.key, cipherArea).slice() : aesEcbDecrypt(cipher.aes, cipherArea);
    ciphered = true;
  } else if (cipher?.rc4)
    area = bytes.subarray(base, base + n * section); // RC4 returns fresh records
  else area = bytes.slice(base, base + n * section);
  // docs/formats/lid-files.md#gen-b-cipher: non-zero pad after decryption means a wrong key when every padded section shows it; a single corrupt
  // section garbles only its own pad, so that record just fails (decode never stops at the first bad record).
  let badPads = 0;
  let firstBadPad: number | undefined;
  const rc4 = cipher?.rc4;
  const unverifiable = confidential && !cipher;
  // A record equal to the one before it with the same stored chk8 has the same verdict (a function of the two
  // alone): the default records of a multi-record LID are often all alike, and their MD5 is then taken once.
  let prevRec: Uint8Array | undefined;
  let prevAt = -1;
  let prevMatch = false;
  for (let i = 0, at = 0; i < n; i++, at += section) {
    let ok: boolean;
    let rec = area.subarray(at, at + size);
    const checksum = hexAt(area, at + size, generation === 'A' ? 2 : 8);
    if (generation === 'A') {
      ok = cs2Accepts(rec, area[at + size]! | (area[at + size + 1]! << 8)); // docs/formats/lid-files.md#gen-a: checksum covers ciphertext
      if (rc4) rec = rc4(rec);
    } else {
      let padOk = true;
      if (ciphered) {
        for (let p = at + size + 8; p < at + section; p++) {
          if (area[p] !== 0) {
            padOk = false;
            firstBadPad ??= base + p;
            break;
          }
        }
        if (!padOk) badPads++;
      }
      if (!padOk || unverifiable) ok = false;
      else if (prevAt >= 0 && sameChk8(area, prevAt + size, at + size) && bytesEqual(rec, prevRec!)) ok = prevMatch;
      else {
        ok = latin1 ? chk8MatchesLatin1(rec, area, at + size, latin1) : chk8Matches(rec, area, at + size, digest);
        prevRec = rec;
        prevAt = at;
        prevMatch = ok;
      }
    }
    records.push({ index: i + 1, bytes: rec, checksumOk: ok, checksum, offset: base + at });
    if (!ok) badRecords.push(i + 1);
  }
  if (badPads > 0 && badPads === e.records) {
    throw new NvError('NV_LID_BAD_PADDING', `every section has non-zero pad bytes after decryption: wrong key`, {
      offset: firstBadPad,
      path,
      data: { records: e.records },
    });
  }
  const out: LidDecoded = {
    generation,
    recordSize: e.size,
    sectionSize: section,
    decrypted: !confidential || cipher !== undefined,
    records,
    badRecords,
  };
  if (header) {
    out.header = header;
    out.headerChecksumOk = headerChecksumOk!;
  }
  return out;
}

/** Options of {@link encodeLidFile}. */
export interface LidEncodeOptions extends LidCodecOptions {
  /** Generation to write (required: the table generation decides it). */
  readonly generation: LidGeneration;
  /** Gen-B header fields to keep (debug header, chkrst fields); LID/records/size/attr/category come from the entry. */
  readonly header?: Partial<LdiHeader>;
}

/**
 * Encodes records into a LID file (docs/formats/lid-files.md#algorithms): gen A encrypt → `cs2`; gen B `chk8` → zero pad → AES; header for gen B.
 * @throws NvError `NV_LID_BAD_BUFFER_SIZE` (record length ≠ size), `NV_LID_BAD_RECORD_INDEX` (record count),
 *   `NV_LID_KEY_REQUIRED`, `NV_LID_HW_BOUND` (MSP bound to the chip cannot be produced offline).
 * @example encodeLidFile([imei, ...nine], entry, { generation: 'B', key: { aesKey } })
 */
export function encodeLidFile(
  records: readonly Uint8Array[],
  entry: LidEntry,
  options: LidEncodeOptions,
): Uint8Array<ArrayBuffer> {
  const { generation, path } = options;
  const bind = options.bindToChip !== false;
  if (records.length !== entry.records)
    throw new NvError(
      'NV_LID_BAD_RECORD_INDEX',
      `the entry has ${entry.records} records, ${records.length} were given`,
      { path, data: { expected: entry.records, actual: records.length } },
    );
  if (has(entry, 'MSP') && bind)
    throw new NvError(
      'NV_LID_HW_BOUND',
      'an MSP LID bound to the chip needs the device hardware cipher; it cannot be written offline',
      { path },
    );
  const size = lidFileSize(entry, generation, bind);
  checkLimit('LID file size', size, LID_MAX_FILE_BYTES, { path });
  const out = new Uint8Array(size);
  let base = 0;
  if (generation === 'B') {
    if (entry.lid === null) throw new RangeError('a gen-B header needs the LID number');
    out.set(
      encodeLdiHeader({
        ...options.header,
        lid: entry.lid,
        totalRecords: entry.records,
        recordSize: entry.size,
        attr: entry.attr ?? 0,
        category: entry.category ?? 0,
      }),
    );
    base = LDI_HEADER_SIZE;
  }
  records.forEach((r, i) => {
    if (r.length !== entry.size)
      throw new NvError(
        'NV_LID_BAD_BUFFER_SIZE',
        `record ${i + 1} is ${r.length} bytes, the entry record size is ${entry.size}`,
        { path, data: { record: i + 1 } },
      );
  });
  if (generation === 'B' && has(entry, 'RAW_DATA')) {
    records.forEach((r, i) => out.set(r, base + i * entry.size));
    return out;
  }
  const confidential = has(entry, 'CONFIDENTIAL');
  const cipher = confidential ? makeCipher(options.key, generation, path) : undefined;
  if (confidential && !cipher)
    throw new NvError(
      'NV_LID_KEY_REQUIRED',
      `LID is CONFIDENTIAL: give the ${generation === 'A' ? 'RC4 key or state' : 'AES-128 key'} (--key)`,
      { path },
    );
  const section =
    generation === 'A'
      ? sectionSizeA(entry.size, entry.attributes, bind)
      : sectionSizeB(entry.size, entry.attributes, bind);
  const native = options.crypto;
  const digest = native ? (d: Uint8Array) => native.md5(d) : undefined;
  records.forEach((r, i) => {
    const off = base + i * section;
    if (generation === 'A') {
      const stored = cipher?.rc4 ? cipher.rc4(r) : r;
      const c = cs2(stored);
      out.set(stored, off);
      out[off + entry.size] = c & 0xff;
      out[off + entry.size + 1] = c >>> 8;
    } else {
      // Record, chk8, zero pad (`out` is zero-filled); a ciphered area is enciphered in one call below.
      out.set(r, off);
      out.set(digest ? chk8(r, digest) : chk8(r), off + entry.size);
    }
  });
  if (generation === 'B' && cipher?.aes && records.length > 0) {
    const area = out.subarray(base, base + records.length * section);
    area.set(native ? native.aesEcbEncrypt(cipher.aes.key, area) : aesEcbEncrypt(cipher.aes, area));
  }
  return out;
}

/** One named file of a LID. */
export interface LidNamedFile {
  name: string;
  bytes: Uint8Array;
}

/**
 * Encodes a LID and names its files (docs/formats/lid-files.md#algorithms): `PPPP_VVV`, or `PPPPAVVV` + `PPPPBVVV` with identical bytes for MULTIPLE.
 * @throws NvError as {@link encodeLidFile}; `NV_LID_BAD_NAME` when the entry has no valid prefix/verno.
 * @example encodeLidFiles(records, entry, { generation: 'A' }).map((f) => f.name)
 */
export function encodeLidFiles(
  records: readonly Uint8Array[],
  entry: LidEntry,
  options: LidEncodeOptions,
): LidNamedFile[] {
  const bytes = encodeLidFile(records, entry, options);
  return lidFileNamesOf(entry.prefix ?? '', entry.verno ?? '', has(entry, 'MULTIPLE')).map((name) => ({ name, bytes }));
}

/** Outcome of {@link reconcileCopies} (docs/formats/lid-files.md#read-errors). */
export interface LidReconcileResult {
  /** `none` (both good), `copy-a-to-b`, `copy-b-to-a`, or `both-bad`. */
  action: 'none' | 'copy-a-to-b' | 'copy-b-to-a' | 'both-bad';
  /** The two copies differ byte-wise. */
  mismatch: boolean;
  aOk: boolean;
  bOk: boolean;
  /** Bytes both copies hold afterwards (absent when both are bad). */
  bytes?: Uint8Array;
  /** Decoded good copy. */
  decoded?: LidDecoded;
}

function copyOk(
  bytes: Uint8Array | undefined,
  entry: LidEntry | undefined,
  options: LidCodecOptions,
): LidDecoded | undefined {
  if (!bytes) return undefined;
  try {
    const d = decodeLidFile(bytes, entry, options);
    return d.badRecords.length === 0 ? d : undefined;
  } catch (error) {
    if (NvError.isInstance(error) && error.code !== 'NV_LID_KEY_REQUIRED' && error.code !== 'NV_LID_HW_BOUND')
      return undefined;
    throw error;
  }
}

/**
 * Compares the A/B copies of a MULTIPLE LID and decides what the modem does (docs/formats/lid-files.md#read-errors): read A; if good check B; a
 * single good copy is copied over the bad (or missing) one; both bad ⇒ `both-bad`. Two good but different copies
 * keep both (the modem reads A) and report `mismatch`.
 * @throws NvError `NV_LID_KEY_REQUIRED`, `NV_LID_HW_BOUND` (nothing can be judged).
 * @example reconcileCopies(a, b, entry, { key }).action // 'copy-a-to-b'
 */
export function reconcileCopies(
  a: Uint8Array | undefined,
  b: Uint8Array | undefined,
  entry?: LidEntry,
  options: LidCodecOptions = {},
): LidReconcileResult {
  const da = copyOk(a, entry, options);
  const db = copyOk(b, entry, options);
  const mismatch = !(a && b && bytesEqual(a, b));
  if (da && db) return { action: 'none', mismatch, aOk: true, bOk: true, bytes: a!, decoded: da };
  if (da) return { action: 'copy-a-to-b', mismatch, aOk: true, bOk: false, bytes: a!, decoded: da };
  if (db) return { action: 'copy-b-to-a', mismatch, aOk: false, bOk: true, bytes: b!, decoded: db };
  return { action: 'both-bad', mismatch, aOk: false, bOk: false };
}
