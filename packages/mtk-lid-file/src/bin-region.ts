/**
 * The `nvram` bin-region partition (docs/formats/bin-region.md#layout): blank check, bad-block bitmap, AllMap/AllFile, ulCheckSum, titles,
 * per-file checks, extraction and in-place patching.
 * @module
 */
import { NvError, checkLimit } from '@nv/core';
import { decodeLatin1 } from '@nv/core/bytes';
import { apCheckNo, checkApFile, parseFileVer } from './ap.ts';
import { decodeLidFile } from './lid-file.ts';
import { isLidFileName } from './names.ts';

/** Largest partition image this package reads (docs/formats/lid-files.md#errors). */
export const BIN_REGION_MAX_BYTES: number = 256 * 1024 * 1024;
/** Default erase block (eMMC/UFS). */
export const BIN_REGION_BLOCK_SIZE = 0x20000;
const BITMAP_MAGIC = 0xaabbccdd;
const TITLE_FLAG = 0xfecf;

/** Geometry options (docs/formats/bin-region.md#layout: platform overridable). */
export interface BinRegionOptions {
  /** Erase block size (default 0x20000). */
  readonly blockSize?: number;
  /** Log blocks at the end (default 8). */
  readonly logBlocks?: number;
  /** Reserved blocks (default 8). */
  readonly reservedBlocks?: number;
  /** File name for errors. */
  readonly path?: string;
}

/** One backed-up file (title). */
export interface BinRegionTitle {
  /** Name or full path as stored. */
  name: string;
  /** Offset in AllFile. */
  start: number;
  size: number;
  /** Offset of the name in AllMap. */
  mapOffset: number;
}

/** One file verdict of {@link inspectBinRegion} (the `cli.md` shape plus details). */
export interface BinRegionFile {
  name: string;
  size: number;
  ok: boolean;
  /** `lid` (modem LID file), `ap` (AP file with trailer), `filever`, or `other`. */
  kind: 'lid' | 'ap' | 'filever' | 'other';
  /** Why it is not ok (an `NV_LID_*` code), or a note (`NV_LID_KEY_REQUIRED`, `NV_LID_HW_BOUND`). */
  code?: string;
}

/** A finding that is not fatal. */
export interface BinRegionWarning {
  code: string;
  message: string;
}

/** Result of {@link inspectBinRegion}. */
export interface BinRegionInspection {
  empty: boolean;
  blockSize: number;
  /** Usable blocks N. */
  blocks: number;
  badBlocks: number[];
  bitmapBlock?: number;
  mapSize?: number;
  datSize?: number;
  checksum?: { stored: number; computed: number; ok: boolean };
  commonFileNum?: number;
  customFileNum?: number;
  /** The i16 per-group counts of the title header (their number varies by build, docs/formats/bin-region.md#layout). */
  groupCounts?: number[];
  titles: BinRegionTitle[];
  files: BinRegionFile[];
  warnings: BinRegionWarning[];
}

/**
 * ulCheckSum of AllFile (docs/formats/bin-region.md#layout): XOR on even words, add on odd words (mod 2³²), add the trailing partial word
 * zero-extended, XOR the length.
 * @example binRegionChecksum(Uint8Array.of(1,2,3,4,5,6,7,8,9,10)) // 0x0C0A1205
 */
export function binRegionChecksum(allFile: Uint8Array): number {
  const full = allFile.length >>> 2;
  const dv = new DataView(allFile.buffer, allFile.byteOffset, allFile.byteLength);
  let s = 0;
  for (let k = 0; k < full; k++) {
    const w = dv.getUint32(k * 4, true);
    s = k % 2 === 0 ? (s ^ w) >>> 0 : (s + w) >>> 0;
  }
  let tail = 0;
  for (let i = allFile.length - 1; i >= full * 4; i--) tail = tail * 256 + allFile[i]!;
  s = (s + tail) >>> 0;
  return (s ^ allFile.length) >>> 0;
}

interface Layout {
  blk: number;
  n: number;
  bad: Set<number>;
  bitmapBlock?: number;
  warnings: BinRegionWarning[];
}

/** Random access to a partition image (a `Uint8Array`, or a file read block by block in Node). */
export interface BinRegionSource {
  readonly size: number;
  /** `length` bytes at `offset` (always inside `size`). */
  read(offset: number, length: number): Uint8Array;
}

const sourceOf = (bytes: Uint8Array): BinRegionSource => ({
  size: bytes.length,
  read: (o, l) => bytes.subarray(o, o + l),
});

function layoutOf(src: BinRegionSource, options: BinRegionOptions): Layout {
  const blk = options.blockSize ?? BIN_REGION_BLOCK_SIZE;
  if (!Number.isInteger(blk) || blk < 64) throw new RangeError('blockSize must be an integer ≥ 64');
  const total = Math.floor(src.size / blk);
  const n = total - (options.logBlocks ?? 8) - (options.reservedBlocks ?? 8);
  if (n < 2)
    throw new NvError(
      'NV_LID_BIN_BAD_HEADER',
      `a ${src.size}-byte partition has ${total} blocks of ${blk}: too few for a bin region`,
      { path: options.path, offset: src.size },
    );
  const warnings: BinRegionWarning[] = [];
  const len = 3 * n + 4;
  for (let b = n - 1; b >= 0 && len <= blk; b--) {
    const blkBytes = src.read(b * blk, len);
    const dv = new DataView(blkBytes.buffer, blkBytes.byteOffset, len);
    if (dv.getUint32(3 * n, true) !== BITMAP_MAGIC) continue;
    const m0 = blkBytes.subarray(0, n);
    if (!m0.every((v, i) => v === blkBytes[n + i] && v === blkBytes[2 * n + i])) continue;
    const bad = new Set<number>();
    m0.forEach((v, i) => v !== 0 && bad.add(i));
    bad.add(b); // the bitmap block holds no data
    return { blk, n, bad, bitmapBlock: b, warnings };
  }
  warnings.push({ code: 'NV_LID_BIN_NO_BITMAP', message: 'no bad-block bitmap found: all blocks are assumed good' });
  return { blk, n, bad: new Set(), warnings };
}

/** Gathers `length` bytes from good blocks starting at good block `from`; returns the bytes and the next block. */
function gather(
  src: BinRegionSource,
  lay: Layout,
  from: number,
  skip: number,
  length: number,
  path?: string,
): { data: Uint8Array; next: number } {
  const out = new Uint8Array(length);
  let got = 0;
  let b = from;
  let first = true;
  while (got < length) {
    while (b < lay.n && lay.bad.has(b)) b++;
    if (b >= lay.n)
      throw new NvError(
        'NV_LID_BIN_BAD_HEADER',
        `the bin region needs ${length} bytes from block ${from} but runs out of good blocks`,
        { path, offset: b * lay.blk },
      );
    const at = b * lay.blk + (first ? skip : 0);
    const take = Math.min(length - got, (b + 1) * lay.blk - at);
    out.set(src.read(at, take), got);
    got += take;
    first = false;
    b++;
  }
  return { data: out, next: b };
}

interface Parsed {
  lay: Layout;
  mapSize: number;
  datSize: number;
  map: Uint8Array;
  allFile: Uint8Array;
}

/** Where the pieces of a bin region are (see {@link readBinRegionMap}). */
export interface BinRegionMap {
  blockSize: number;
  /** Usable blocks N. */
  blocks: number;
  /** Bad blocks from the bitmap (the bitmap block excluded). */
  badBlocks: number[];
  bitmapBlock?: number;
  mapSize: number;
  datSize: number;
  allMap: Uint8Array;
  /** Absolute [offset, length] runs that hold AllFile, in order. */
  dataRuns: [number, number][];
  warnings: BinRegionWarning[];
}

function mapOf(
  src: BinRegionSource,
  options: BinRegionOptions,
): { lay: Layout; mapSize: number; datSize: number; map: Uint8Array; next: number } {
  const path = options.path;
  const lay = layoutOf(src, options);
  let first = 0;
  while (first < lay.n && lay.bad.has(first)) first++;
  if (first >= lay.n) throw new NvError('NV_LID_BIN_BAD_HEADER', 'no good block in the bin region', { path });
  const at = first * lay.blk;
  const hb = src.read(at, 12);
  const dv = new DataView(hb.buffer, hb.byteOffset, 12);
  const mapSize = dv.getUint32(0, true);
  const datSize = dv.getUint32(4, true);
  const capacity = (lay.n - lay.bad.size) * lay.blk;
  if (mapSize < 12 || mapSize + 12 + datSize > capacity) {
    throw new NvError(
      'NV_LID_BIN_BAD_HEADER',
      `mapSize ${mapSize} / datSize ${datSize} do not fit the ${capacity} usable bytes of the partition`,
      { path, offset: at, data: { mapSize, datSize } },
    );
  }
  const m = gather(src, lay, first, 12, mapSize, path);
  return { lay, mapSize, datSize, map: m.data, next: m.next };
}

function parse(bytes: Uint8Array, options: BinRegionOptions): Parsed {
  const src = sourceOf(bytes);
  const m = mapOf(src, options);
  const f = gather(src, m.lay, m.next, 0, m.datSize, options.path);
  return { lay: m.lay, mapSize: m.mapSize, datSize: m.datSize, map: m.map, allFile: f.data };
}

/**
 * Reads bitmap, header and AllMap through a {@link BinRegionSource} and says where AllFile lies, without reading it
 * (for streaming readers).
 * @throws NvError `NV_LID_BIN_BAD_HEADER`.
 * @example readBinRegionMap({ size, read }, { blockSize: 0x20000 }).dataRuns
 */
export function readBinRegionMap(src: BinRegionSource, options: BinRegionOptions = {}): BinRegionMap {
  checkLimit('bin region size', src.size, BIN_REGION_MAX_BYTES, { path: options.path });
  const m = mapOf(src, options);
  const runs: [number, number][] = [];
  let left = m.datSize;
  for (let b = m.next; left > 0; b++) {
    while (b < m.lay.n && m.lay.bad.has(b)) b++;
    if (b >= m.lay.n)
      throw new NvError('NV_LID_BIN_BAD_HEADER', `AllFile (${m.datSize} bytes) runs out of good blocks`, {
        path: options.path,
      });
    const take = Math.min(left, m.lay.blk);
    runs.push([b * m.lay.blk, take]);
    left -= take;
  }
  const out: BinRegionMap = {
    blockSize: m.lay.blk,
    blocks: m.lay.n,
    badBlocks: [...m.lay.bad].filter((b) => b !== m.lay.bitmapBlock).sort((a, b) => a - b),
    mapSize: m.mapSize,
    datSize: m.datSize,
    allMap: m.map,
    dataRuns: runs,
    warnings: m.lay.warnings,
  };
  if (m.lay.bitmapBlock !== undefined) out.bitmapBlock = m.lay.bitmapBlock;
  return out;
}

/** An incremental ulCheckSum (same result as {@link binRegionChecksum} over the concatenated chunks). */
export interface BinRegionChecksum {
  update(chunk: Uint8Array): void;
  digest(): number;
}

/**
 * Incremental ulCheckSum for streamed AllFile data.
 * @example const c = createBinRegionChecksum(); c.update(a); c.update(b); c.digest()
 */
export function createBinRegionChecksum(): BinRegionChecksum {
  let s = 0,
    k = 0,
    length = 0;
  const pending: number[] = [];
  return {
    update(chunk: Uint8Array): void {
      length += chunk.length;
      let i = 0;
      while (pending.length > 0 && pending.length < 4 && i < chunk.length) pending.push(chunk[i++]!);
      const word = (a: number, b: number, c: number, d: number): void => {
        const w = (a | (b << 8) | (c << 16) | (d << 24)) >>> 0;
        s = k % 2 === 0 ? (s ^ w) >>> 0 : (s + w) >>> 0;
        k++;
      };
      if (pending.length === 4) {
        word(pending[0]!, pending[1]!, pending[2]!, pending[3]!);
        pending.length = 0;
      }
      for (; i + 4 <= chunk.length; i += 4) word(chunk[i]!, chunk[i + 1]!, chunk[i + 2]!, chunk[i + 3]!);
      for (; i < chunk.length; i++) pending.push(chunk[i]!);
    },
    digest(): number {
      let tail = 0;
      for (let i = pending.length - 1; i >= 0; i--) tail = tail * 256 + pending[i]!;
      return (((s + tail) >>> 0) ^ length) >>> 0;
    },
  };
}

const NAME_CHAR = (b: number): boolean =>
  (b >= 0x30 && b <= 0x39) ||
  (b >= 0x41 && b <= 0x5a) ||
  (b >= 0x61 && b <= 0x7a) ||
  b === 0x5f ||
  b === 0x2f ||
  b === 0x2e ||
  b === 0x2d;

/**
 * Finds the titles of an AllMap by scanning for name/path strings (docs/formats/bin-region.md#layout): `start` = u32 at name−8, `size` = u32 at
 * name−4; the u32 at name−12 must be the name length (±1 for the NUL) unless the name is a full path.
 * @throws NvError `NV_LID_BIN_BAD_TITLE` when a title points outside AllFile.
 * @example scanBinRegionTitles(map, datSize)
 */
export function scanBinRegionTitles(map: Uint8Array, datSize: number, path?: string): BinRegionTitle[] {
  const dv = new DataView(map.buffer, map.byteOffset, map.byteLength);
  const titles: BinRegionTitle[] = [];
  let p = 12;
  while (p < map.length) {
    if (!NAME_CHAR(map[p]!) || NAME_CHAR(map[p - 1]!) || p < 24) {
      p++;
      continue;
    }
    let e = p;
    while (e < map.length && e - p < 128 && NAME_CHAR(map[e]!)) e++;
    const len = e - p;
    if (e >= map.length || map[e] !== 0 || len < 2) {
      p = e + 1;
      continue;
    }
    const name = decodeLatin1(map.subarray(p, e));
    const nameSize = dv.getUint32(p - 12, true);
    const plausible = nameSize === len || nameSize === len + 1 || (name.startsWith('/') && name.length > 1);
    if (!plausible || !/[A-Za-z]/.test(name)) {
      p = e + 1;
      continue;
    }
    const start = dv.getUint32(p - 8, true);
    const size = dv.getUint32(p - 4, true);
    if (start + size > datSize) {
      throw new NvError(
        'NV_LID_BIN_BAD_TITLE',
        `title "${name}" covers AllFile ${start}…${start + size}, beyond datSize ${datSize}`,
        { path, offset: 12 + p - 8, data: { name, start, size, datSize } },
      );
    }
    titles.push({ name, start, size, mapOffset: p });
    p = e + 1;
  }
  return titles;
}

function judge(name: string, body: Uint8Array): BinRegionFile {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const file: BinRegionFile = { name, size: body.length, ok: true, kind: 'other' };
  try {
    if (base === 'FILE_VER') {
      file.kind = 'filever';
      parseFileVer(body, body.length % 74 === 0 ? 'new' : 'old', name);
    } else if (isLidFileName(base) && !name.includes('/APCFG/')) {
      file.kind = 'lid';
      const d = decodeLidFile(body, undefined, { path: name, allowEncrypted: true });
      // Without a key a gen-B confidential file can only be checked by its header; gen A checksums the ciphertext.
      const recordsOk = d.decrypted || d.generation === 'A' ? d.badRecords.length === 0 : true;
      file.ok = d.headerChecksumOk !== false && recordsOk;
      if (!file.ok) file.code = d.headerChecksumOk === false ? 'NV_LID_BAD_HEADER_CHECKSUM' : 'NV_LID_BAD_CHECKSUM';
      else if (!d.decrypted) file.code = 'NV_LID_KEY_REQUIRED';
    } else if (body.length >= 2 && body[body.length - 2] === 0xaa) {
      file.kind = 'ap';
      const c = checkApFile(body, undefined, name);
      file.ok = c.ok;
      if (!c.ok) file.code = 'NV_LID_AP_BAD_TRAILER';
    }
  } catch (error) {
    if (!NvError.isInstance(error)) throw error;
    file.ok = error.code === 'NV_LID_HW_BOUND';
    file.code = error.code;
  }
  return file;
}

/**
 * Inspects a bin-region partition image (docs/formats/bin-region.md#layout steps 1–7): blank check, bitmap, header, AllFile, ulCheckSum, titles,
 * per-file checks (AP trailer, LID decode, FILE_VER).
 * @throws NvError `NV_LIMIT`, `NV_LID_BIN_BAD_HEADER`, `NV_LID_BIN_BAD_FLAG`, `NV_LID_BIN_BAD_TITLE`.
 * @example inspectBinRegion(image).files // [{ name: 'LD0B_001', size: 384, ok: true, kind: 'lid' }]
 */
export function inspectBinRegion(bytes: Uint8Array, options: BinRegionOptions = {}): BinRegionInspection {
  checkLimit('bin region size', bytes.length, BIN_REGION_MAX_BYTES, { path: options.path });
  const blockSize = options.blockSize ?? BIN_REGION_BLOCK_SIZE;
  if (bytes.every((b) => b === 0) || bytes.every((b) => b === 0xff)) {
    return {
      empty: true,
      blockSize,
      blocks: 0,
      badBlocks: [],
      titles: [],
      files: [],
      warnings: [{ code: 'NV_LID_BIN_EMPTY', message: 'the bin region is blank: nothing is backed up' }],
    };
  }
  const { lay, mapSize, datSize, map, allFile } = parse(bytes, options);
  const dv = new DataView(map.buffer, map.byteOffset, map.byteLength);
  const stored = dv.getUint32(0, true);
  const computed = binRegionChecksum(allFile);
  // The title header ends with i32 fileBufLen, i32 flag = 0xFECF after a build-dependent run of i16 counts.
  let flagAt = -1;
  for (let o = 12; o + 4 <= Math.min(map.length, 12 + 2 * 64 + 8); o += 2)
    if (dv.getUint32(o, true) === TITLE_FLAG) {
      flagAt = o;
      break;
    }
  if (flagAt < 0)
    throw new NvError('NV_LID_BIN_BAD_FLAG', 'no title header flag 0xFECF in AllMap', {
      path: options.path,
      offset: lay.blk * 0 + 12,
    });
  const titles = scanBinRegionTitles(map, datSize, options.path);
  const warnings = [...lay.warnings];
  if (stored !== computed)
    warnings.push({
      code: 'NV_LID_BIN_BAD_CHECKSUM',
      message: `ulCheckSum is 0x${stored.toString(16)}, AllFile gives 0x${computed.toString(16)}`,
    });
  const files = titles.map((t) => judge(t.name, allFile.subarray(t.start, t.start + t.size)));
  const out: BinRegionInspection = {
    empty: false,
    blockSize,
    blocks: lay.n,
    badBlocks: [...lay.bad].filter((b) => b !== lay.bitmapBlock).sort((a, b) => a - b),
    mapSize,
    datSize,
    checksum: { stored, computed, ok: stored === computed },
    commonFileNum: dv.getUint32(4, true),
    customFileNum: dv.getUint32(8, true),
    groupCounts: Array.from({ length: Math.max(0, (flagAt - 16) / 2) }, (_, i) => dv.getInt16(12 + 2 * i, true)),
    titles,
    files,
    warnings,
  };
  if (lay.bitmapBlock !== undefined) out.bitmapBlock = lay.bitmapBlock;
  return out;
}

/**
 * Unpacks a bin region into `AllMap` and `AllFile` (the AP restore step, docs/formats/bin-region.md#layout).
 * @throws NvError as {@link inspectBinRegion}; `NV_LID_BIN_EMPTY` for a blank partition.
 * @example const { allMap, allFile } = unpackBinRegion(image)
 */
export function unpackBinRegion(
  bytes: Uint8Array,
  options: BinRegionOptions = {},
): { allMap: Uint8Array; allFile: Uint8Array } {
  checkLimit('bin region size', bytes.length, BIN_REGION_MAX_BYTES, { path: options.path });
  if (bytes.every((b) => b === 0) || bytes.every((b) => b === 0xff))
    throw new NvError('NV_LID_BIN_EMPTY', 'the bin region is blank: nothing to restore', { path: options.path });
  const p = parse(bytes, options);
  return { allMap: p.map, allFile: p.allFile };
}

/**
 * Extracts one backed-up file by name, path or basename, after verifying ulCheckSum.
 * @throws NvError `NV_LID_BIN_BAD_CHECKSUM`, `NV_LID_BIN_BAD_TITLE` (name not found), and as {@link unpackBinRegion}.
 * @example extractBinRegionFile(image, 'LD0B_001')
 */
export function extractBinRegionFile(
  bytes: Uint8Array,
  name: string,
  options: BinRegionOptions = {},
): Uint8Array<ArrayBuffer> {
  const { allMap, allFile } = unpackBinRegion(bytes, options);
  const stored = new DataView(allMap.buffer, allMap.byteOffset, 4).getUint32(0, true);
  if (stored !== binRegionChecksum(allFile))
    throw new NvError('NV_LID_BIN_BAD_CHECKSUM', 'ulCheckSum does not match AllFile: the backup is corrupt', {
      path: options.path,
    });
  const titles = scanBinRegionTitles(allMap, allFile.length, options.path);
  const t =
    titles.find((x) => x.name === name) ?? titles.find((x) => x.name.slice(x.name.lastIndexOf('/') + 1) === name);
  if (!t)
    throw new NvError('NV_LID_BIN_BAD_TITLE', `"${name}" is not in the bin region (${titles.length} files)`, {
      path: options.path,
      data: { name },
    });
  return allFile.slice(t.start, t.start + t.size);
}

/**
 * Patches one backed-up file in place (writer side inferred, docs/formats/bin-region.md#layout): same size only; fixes the AP trailer when the
 * old body had a valid one, recomputes ulCheckSum; returns a new image.
 * @throws NvError `NV_LID_BIN_BAD_TITLE` (unknown name), `NV_LID_AP_BAD_SIZE` (size change), and as {@link unpackBinRegion}.
 * @example patchBinRegionFile(image, 'WIFI', newBody)
 */
export function patchBinRegionFile(
  bytes: Uint8Array,
  name: string,
  body: Uint8Array,
  options: BinRegionOptions = {},
): Uint8Array<ArrayBuffer> {
  const p = parse(bytes, options);
  const titles = scanBinRegionTitles(p.map, p.datSize, options.path);
  const t =
    titles.find((x) => x.name === name) ?? titles.find((x) => x.name.slice(x.name.lastIndexOf('/') + 1) === name);
  if (!t)
    throw new NvError('NV_LID_BIN_BAD_TITLE', `"${name}" is not in the bin region`, {
      path: options.path,
      data: { name },
    });
  if (body.length !== t.size)
    throw new NvError('NV_LID_AP_BAD_SIZE', `the new body is ${body.length} bytes, the backed-up file is ${t.size}`, {
      path: options.path,
    });
  const allFile = p.allFile.slice();
  const old = allFile.subarray(t.start, t.start + t.size);
  const hadTrailer =
    t.size >= 2 && checkApFile(old, undefined, name).ok && !isLidFileName(name.slice(name.lastIndexOf('/') + 1));
  allFile.set(body, t.start);
  if (hadTrailer) {
    const d = allFile.subarray(t.start, t.start + t.size - 2);
    allFile[t.start + t.size - 2] = 0xaa;
    allFile[t.start + t.size - 1] = apCheckNo(d);
  }
  const map = p.map.slice();
  new DataView(map.buffer).setUint32(0, binRegionChecksum(allFile), true);
  // Write map and AllFile back into their good blocks.
  const out = Uint8Array.from(bytes);
  const put = (data: Uint8Array, from: number, skip: number): number => {
    let got = 0,
      b = from,
      first = true;
    while (got < data.length) {
      while (p.lay.bad.has(b)) b++;
      const at = b * p.lay.blk + (first ? skip : 0);
      const take = Math.min(data.length - got, (b + 1) * p.lay.blk - at);
      out.set(data.subarray(got, got + take), at);
      got += take;
      first = false;
      b++;
    }
    return b;
  };
  let first = 0;
  while (p.lay.bad.has(first)) first++;
  const next = put(map, first, 12);
  put(allFile, next, 0);
  return out;
}

/** Options of {@link buildBinRegion}. */
export interface BinRegionBuildOptions extends BinRegionOptions {
  /** Usable blocks N (default: the fewest that hold map + files + bitmap). The image has N + log + reserved blocks. */
  readonly blocks?: number;
  /** Blocks marked bad in the bitmap (never written with data). */
  readonly badBlocks?: readonly number[];
  /** Byte of unwritten flash (default 0xFF). */
  readonly fill?: number;
  /** Content of bad blocks (default `fill`). */
  readonly badBlockFill?: number;
  /** The i16 per-group counts of the title header (default `[files, 0, 0, 0, 0, 0]`; 6 variants exist, docs/formats/bin-region.md#layout). */
  readonly groupCounts?: readonly number[];
  readonly commonFileNum?: number;
  readonly customFileNum?: number;
}

/**
 * Builds a bin-region partition image (writer side inferred from the reader, docs/formats/bin-region.md#layout): header + AllMap in the first
 * good block, AllFile from the next good block, bad blocks skipped, bitmap ×3 + `0xAABBCCDD` at block N−1.
 * Titles use the classic layout `{nameSize, start, size, name[128]}` (names or full paths up to 127 bytes).
 * @throws RangeError for names over 127 bytes, bad blocks out of range, or too few blocks.
 * @example buildBinRegion([{ name: 'WIFI', bytes: encodeApFile(wifi) }], { blockSize: 0x1000 })
 */
export function buildBinRegion(
  files: readonly { name: string; bytes: Uint8Array }[],
  options: BinRegionBuildOptions = {},
): Uint8Array<ArrayBuffer> {
  const blk = options.blockSize ?? BIN_REGION_BLOCK_SIZE;
  const fill = options.fill ?? 0xff;
  const counts = options.groupCounts ?? [files.length, 0, 0, 0, 0, 0];
  const datSize = files.reduce((s, f) => s + f.bytes.length, 0);
  const allFile = new Uint8Array(datSize);
  const titles = new Uint8Array(files.length * 140);
  const tv = new DataView(titles.buffer);
  let at = 0;
  files.forEach((f, i) => {
    const name = new TextEncoder().encode(f.name);
    if (name.length === 0 || name.length > 127) throw new RangeError(`bin-region name "${f.name}" must be 1…127 bytes`);
    tv.setInt32(i * 140, name.length, true);
    tv.setUint32(i * 140 + 4, at, true);
    tv.setUint32(i * 140 + 8, f.bytes.length, true);
    titles.set(name, i * 140 + 12);
    allFile.set(f.bytes, at);
    at += f.bytes.length;
  });
  const head = 12 + counts.length * 2 + 8;
  const map = new Uint8Array(head + titles.length);
  const mv = new DataView(map.buffer);
  mv.setUint32(0, binRegionChecksum(allFile), true);
  mv.setUint32(4, options.commonFileNum ?? files.length, true);
  mv.setUint32(8, options.customFileNum ?? 0, true);
  counts.forEach((c, i) => mv.setInt16(12 + 2 * i, c, true));
  mv.setInt32(12 + counts.length * 2, datSize, true);
  mv.setUint32(16 + counts.length * 2, TITLE_FLAG, true);
  map.set(titles, head);
  const bad = new Set(options.badBlocks ?? []);
  const mapBlocks = Math.ceil((12 + map.length) / blk);
  const datBlocks = Math.ceil(datSize / blk);
  const n = options.blocks ?? mapBlocks + datBlocks + bad.size + 1;
  if (3 * n + 4 > blk) throw new RangeError(`the bitmap of ${n} blocks does not fit a ${blk}-byte block`);
  for (const b of bad)
    if (!Number.isInteger(b) || b < 0 || b >= n - 1) throw new RangeError(`bad block ${b} is outside 0…${n - 2}`);
  const total = n + (options.logBlocks ?? 8) + (options.reservedBlocks ?? 8);
  const img = new Uint8Array(total * blk).fill(fill);
  for (const b of bad) img.fill(options.badBlockFill ?? fill, b * blk, (b + 1) * blk);
  const lay = { bad: new Set([...bad, n - 1]) };
  const put = (data: Uint8Array, from: number, skip: number): number => {
    let got = 0,
      b = from,
      first = true;
    while (got < data.length || first) {
      while (lay.bad.has(b)) b++;
      if (b >= n - 1 && got < data.length)
        throw new RangeError(`${n} blocks are too few for ${12 + map.length} + ${datSize} bytes`);
      const o = b * blk + (first ? skip : 0);
      const take = Math.min(data.length - got, (b + 1) * blk - o);
      img.set(data.subarray(got, got + take), o);
      got += take;
      first = false;
      b++;
    }
    return b;
  };
  let first = 0;
  while (lay.bad.has(first)) first++;
  const hv = new DataView(img.buffer, first * blk, 12);
  hv.setUint32(0, map.length, true);
  hv.setUint32(4, datSize, true);
  hv.setUint32(8, 0, true);
  const next = put(map, first, 12);
  if (datSize > 0) put(allFile, next, 0);
  const bitmap = new Uint8Array(n);
  for (const b of bad) bitmap[b] = 1;
  const bm = (n - 1) * blk;
  img.set(bitmap, bm);
  img.set(bitmap, bm + n);
  img.set(bitmap, bm + 2 * n);
  new DataView(img.buffer).setUint32(bm + 3 * n, BITMAP_MAGIC, true);
  return img;
}
