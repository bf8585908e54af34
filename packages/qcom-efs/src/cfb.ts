/**
 * Microsoft Compound File Binary (MS-CFB) reader and writer for QCN files (docs/formats/qcn.md#container, docs/formats/qcn.md#read-write).
 * Written by hand: the `cfb` package's writer adds an undeletable `\x01Sh33tJ5` stream (docs/formats/index.md#libraries), and an own
 * reader gives stable error codes, hard limits and runs in the browser inspector.
 * @module
 */
import { NvError, resolveLimits, enforceLimit, type Limits } from '@nv/core';

/** One stream or storage, addressed by its `/`-joined path below the root (`00000000/default/Feature_Mask`). */
export interface CfbEntry {
  readonly path: string;
  readonly type: 'storage' | 'stream';
  /** Stream bytes (absent for storages). */
  readonly data?: Uint8Array;
}

/** Options of {@link encodeCfb}. */
export interface CfbWriteOptions {
  /** FILETIME (100-ns units since 1601, as bigint) for storages' creation/modified times; default 0 (docs/formats/qcn.md#read-write). */
  readonly filetime?: bigint;
}

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/**
 * True when `bytes` start with the 8-byte compound-file signature `D0 CF 11 E0 A1 B1 1A E1` (docs/formats/qcn.md#read-write): a QCN.
 * @example hasCfbSignature(qcnBytes) // true
 */
export function hasCfbSignature(bytes: Uint8Array): boolean {
  return bytes.length >= 8 && SIGNATURE.every((b, i) => bytes[i] === b);
}
const FREESECT = 0xffffffff;
const ENDOFCHAIN = 0xfffffffe;
const FATSECT = 0xfffffffd;
const NOSTREAM = 0xffffffff;
const SECTOR = 512;
const MINI = 64;
const CUTOFF = 4096;

interface Node {
  name: string;
  type: 'storage' | 'stream' | 'root';
  children: Node[];
  data: Uint8Array;
  id: number;
  left: number;
  right: number;
  child: number;
  red: boolean;
  start: number;
}

/**
 * CFB sibling order: shorter names first, then by upper-cased UTF-16 code units (MS-CFB 2.6.4).
 * @example ['default', 'File_Version'].sort(compareCfbNames) // ['default', 'File_Version']
 */
export function compareCfbNames(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  const ua = a.toUpperCase();
  const ub = b.toUpperCase();
  return ua < ub ? -1 : ua > ub ? 1 : 0;
}

function checkName(name: string, path: string): void {
  if (name.length === 0 || name.length > 31 || /[/\\:!]/.test(name))
    throw new RangeError(`CFB name ${JSON.stringify(name)} of ${path} must be 1-31 characters without / \\ : !`);
}

/**
 * Writes a CFB v3 file (docs/formats/qcn.md#read-write): 512-B sectors, 64-B mini sectors, cutoff 4096, `Root Entry`, zero CLSIDs,
 * balanced red-black sibling trees, deterministic layout (header, FAT, directory, mini FAT, mini stream, big streams).
 * @throws RangeError on invalid names or a file needing more than 109 FAT sectors (≈ 7 MB)
 * @example encodeCfb([{ path: 'File_Version', type: 'stream', data: Uint8Array.of(2, 0, 0, 0, 0, 0) }])
 */
export function encodeCfb(entries: readonly CfbEntry[], options: CfbWriteOptions = {}): Uint8Array<ArrayBuffer> {
  const root: Node = {
    name: 'Root Entry',
    type: 'root',
    children: [],
    data: new Uint8Array(0),
    id: 0,
    left: NOSTREAM,
    right: NOSTREAM,
    child: NOSTREAM,
    red: false,
    start: ENDOFCHAIN,
  };
  const find = (parent: Node, name: string): Node | undefined =>
    parent.children.find((c) => c.name.toUpperCase() === name.toUpperCase());
  for (const e of entries) {
    const parts = e.path.split('/');
    let at = root;
    parts.forEach((name, i) => {
      checkName(name, e.path);
      const last = i === parts.length - 1;
      let n = find(at, name);
      if (n === undefined) {
        n = {
          name,
          type: last ? e.type : 'storage',
          children: [],
          data: new Uint8Array(0),
          id: 0,
          left: NOSTREAM,
          right: NOSTREAM,
          child: NOSTREAM,
          red: false,
          start: ENDOFCHAIN,
        };
        at.children.push(n);
      } else if (last && n.type !== e.type) {
        throw new RangeError(`${e.path} is both a stream and a storage`);
      } else if (!last && n.type === 'stream') {
        throw new RangeError(`${parts.slice(0, i + 1).join('/')} is a stream and a storage`);
      }
      if (last && e.type === 'stream') n.data = e.data ?? new Uint8Array(0);
      at = n;
    });
  }
  // Number the nodes: root 0, then depth-first.
  const all: Node[] = [];
  const number = (n: Node): void => {
    n.id = all.length;
    all.push(n);
    n.children.sort((a, b) => compareCfbNames(a.name, b.name));
    for (const c of n.children) number(c);
  };
  number(root);
  // Balanced tree from the sorted siblings; nodes below the last complete level are red (valid red-black tree).
  const link = (n: Node): void => {
    const kids = n.children;
    const full = Math.floor(Math.log2(kids.length + 1));
    const build = (lo: number, hi: number, depth: number): number => {
      if (lo > hi) return NOSTREAM;
      const mid = (lo + hi + 1) >> 1;
      const k = kids[mid] as Node;
      k.red = depth >= full;
      k.left = build(lo, mid - 1, depth + 1);
      k.right = build(mid + 1, hi, depth + 1);
      return k.id;
    };
    n.child = build(0, kids.length - 1, 0);
    for (const c of kids) link(c);
  };
  link(root);
  // Mini stream and big streams.
  const streams = all.filter((n) => n.type === 'stream');
  const small = streams.filter((n) => n.data.length > 0 && n.data.length < CUTOFF);
  const big = streams.filter((n) => n.data.length >= CUTOFF);
  const miniFat: number[] = [];
  let miniSize = 0;
  for (const n of small) {
    const count = Math.ceil(n.data.length / MINI);
    n.start = miniSize / MINI;
    for (let i = 0; i < count; i++) miniFat.push(i === count - 1 ? ENDOFCHAIN : n.start + i + 1);
    miniSize += count * MINI;
  }
  const dirSectors = Math.ceil((all.length * 128) / SECTOR);
  const miniFatSectors = Math.ceil((miniFat.length * 4) / SECTOR);
  const miniStreamSectors = Math.ceil(miniSize / SECTOR);
  const bigSectors = big.reduce((s, n) => s + Math.ceil(n.data.length / SECTOR), 0);
  const payload = dirSectors + miniFatSectors + miniStreamSectors + bigSectors;
  let fatSectors = 1;
  while (fatSectors * (SECTOR / 4) < payload + fatSectors) fatSectors++;
  if (fatSectors > 109)
    throw new RangeError(`the compound file would need ${fatSectors} FAT sectors; at most 109 (no DIFAT) are written`);
  const total = fatSectors + payload;
  const fat = new Array<number>(fatSectors * (SECTOR / 4)).fill(FREESECT);
  let next = 0;
  for (let i = 0; i < fatSectors; i++) fat[next++] = FATSECT;
  const chain = (count: number): number => {
    if (count === 0) return ENDOFCHAIN;
    const start = next;
    for (let i = 0; i < count; i++) {
      fat[next] = i === count - 1 ? ENDOFCHAIN : next + 1;
      next++;
    }
    return start;
  };
  const dirStart = chain(dirSectors);
  const miniFatStart = chain(miniFatSectors);
  root.start = chain(miniStreamSectors);
  for (const n of big) n.start = chain(Math.ceil(n.data.length / SECTOR));
  const out = new Uint8Array(SECTOR * (1 + total));
  const v = new DataView(out.buffer);
  out.set(SIGNATURE, 0);
  v.setUint16(0x18, 0x003e, true);
  v.setUint16(0x1a, 3, true);
  v.setUint16(0x1c, 0xfffe, true);
  v.setUint16(0x1e, 9, true);
  v.setUint16(0x20, 6, true);
  v.setUint32(0x2c, fatSectors, true);
  v.setUint32(0x30, dirStart, true);
  v.setUint32(0x38, CUTOFF, true);
  v.setUint32(0x3c, miniFatSectors === 0 ? ENDOFCHAIN : miniFatStart, true);
  v.setUint32(0x40, miniFatSectors, true);
  v.setUint32(0x44, ENDOFCHAIN, true);
  v.setUint32(0x48, 0, true);
  for (let i = 0; i < 109; i++) v.setUint32(0x4c + 4 * i, i < fatSectors ? i : FREESECT, true);
  const sec = (s: number): number => SECTOR * (1 + s);
  fat.forEach((x, i) => v.setUint32(sec(0) + 4 * i, x, true));
  const filetime = options.filetime ?? 0n;
  for (let i = 0; i < dirSectors * 4; i++) {
    const at = sec(dirStart) + 128 * i;
    const n = all[i];
    if (n === undefined) {
      v.setUint32(at + 0x44, NOSTREAM, true);
      v.setUint32(at + 0x48, NOSTREAM, true);
      v.setUint32(at + 0x4c, NOSTREAM, true);
      continue;
    }
    for (let c = 0; c < n.name.length; c++) v.setUint16(at + 2 * c, n.name.charCodeAt(c), true);
    v.setUint16(at + 0x40, 2 * (n.name.length + 1), true);
    out[at + 0x42] = n.type === 'root' ? 5 : n.type === 'storage' ? 1 : 2;
    out[at + 0x43] = n.red ? 0 : 1;
    v.setUint32(at + 0x44, n.left, true);
    v.setUint32(at + 0x48, n.right, true);
    v.setUint32(at + 0x4c, n.type === 'stream' ? NOSTREAM : n.child, true);
    if (n.type === 'storage') {
      v.setBigUint64(at + 0x64, filetime, true);
      v.setBigUint64(at + 0x6c, filetime, true);
    }
    const size = n.type === 'root' ? miniSize : n.type === 'stream' ? n.data.length : 0;
    v.setUint32(at + 0x74, n.type === 'storage' ? 0 : size === 0 ? ENDOFCHAIN : n.start, true);
    v.setUint32(at + 0x78, size, true);
  }
  miniFat.forEach((x, i) => v.setUint32(sec(miniFatStart) + 4 * i, x, true));
  for (let i = miniFat.length; i < miniFatSectors * (SECTOR / 4); i++)
    v.setUint32(sec(miniFatStart) + 4 * i, FREESECT, true);
  for (const n of small) out.set(n.data, sec(root.start) + n.start * MINI);
  for (const n of big) out.set(n.data, sec(n.start));
  return out;
}

/**
 * Reads a CFB v3/v4 file into streams and storages (docs/formats/qcn.md#read-write): chains are followed with loop and bounds checks.
 * @throws NvError `NV_EFS_BAD_QCN_SIGNATURE`, `NV_EFS_QCN_CORRUPT`, `NV_TRUNCATED`, `NV_LIMIT`
 * @example decodeCfb(bytes).find((e) => e.path === 'File_Version')
 */
export function decodeCfb(bytes: Uint8Array, options: { limits?: Partial<Limits> } = {}): CfbEntry[] {
  const limits = resolveLimits(options.limits);
  enforceLimit(limits, 'maxInputBytes', bytes.length);
  if (bytes.length < 512 || !hasCfbSignature(bytes)) {
    throw new NvError(
      'NV_EFS_BAD_QCN_SIGNATURE',
      'not a QCN: the compound-file signature D0 CF 11 E0 A1 B1 1A E1 is missing',
      { offset: 0 },
    );
  }
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const major = v.getUint16(0x1a, true);
  const shift = v.getUint16(0x1e, true);
  if (!((major === 3 && shift === 9) || (major === 4 && shift === 12)))
    corrupt(`compound-file version ${major} with sector shift ${shift} is not 3/9 or 4/12`, 0x1a);
  if (v.getUint16(0x20, true) !== 6) corrupt('mini sector shift is not 6', 0x20);
  const size = 1 << shift;
  const sectorCount = Math.floor((bytes.length - size) / size) + ((bytes.length - size) % size > 0 ? 1 : 0);
  const sectorAt = (s: number): number => {
    if (s >= sectorCount) corrupt(`sector ${s} is past the end of the file`);
    return size * (s + 1);
  };
  const u32 = (at: number): number => {
    if (at + 4 > bytes.length) throw new NvError('NV_TRUNCATED', 'compound file cut short', { offset: bytes.length });
    return v.getUint32(at, true);
  };
  // FAT sector list from the header DIFAT and the DIFAT chain.
  const numFat = v.getUint32(0x2c, true);
  if (numFat > sectorCount)
    corrupt(`the header claims ${numFat} FAT sectors in a file of ${sectorCount} sectors`, 0x2c);
  const fatSectors: number[] = [];
  for (let i = 0; i < 109 && fatSectors.length < numFat; i++) fatSectors.push(v.getUint32(0x4c + 4 * i, true));
  let difat = v.getUint32(0x44, true);
  const seenDifat = new Set<number>();
  while (fatSectors.length < numFat && difat !== ENDOFCHAIN && difat !== FREESECT) {
    if (seenDifat.has(difat)) corrupt('the DIFAT chain loops');
    seenDifat.add(difat);
    const at = sectorAt(difat);
    for (let i = 0; i < size / 4 - 1 && fatSectors.length < numFat; i++) fatSectors.push(u32(at + 4 * i));
    difat = u32(at + size - 4);
  }
  if (fatSectors.length < numFat) corrupt('the DIFAT lists fewer FAT sectors than the header claims');
  const fat = new Uint32Array(fatSectors.length * (size / 4));
  fatSectors.forEach((s, i) => {
    const at = sectorAt(s);
    for (let j = 0; j < size / 4; j++) fat[i * (size / 4) + j] = u32(at + 4 * j);
  });
  const r = new CfbReader(bytes, limits, major, size, sectorCount, fat, v.getUint32(0x38, true));
  const dirChain = r.chainOf(v.getUint32(0x30, true), 'directory');
  enforceLimit(limits, 'maxEntries', dirChain.length * (size / 128));
  r.setDirectory(r.readChain(v.getUint32(0x30, true), dirChain.length * size, 'directory', true));
  const rootAt = r.checkEntry(0);
  if (r.dir[rootAt + 0x42] !== 5) corrupt('the first directory entry is not the root');
  const rootSize = r.sizeAt(rootAt);
  const miniStream =
    rootSize > 0
      ? r.readChain(r.dv.getUint32(rootAt + 0x74, true), checkedSize(rootSize, limits), 'mini stream')
      : new Uint8Array(0);
  const miniFatStart = v.getUint32(0x3c, true);
  const miniFatBytes =
    miniFatStart === ENDOFCHAIN || miniFatStart === FREESECT
      ? new Uint8Array(0)
      : r.readChain(miniFatStart, r.chainOf(miniFatStart, 'mini FAT').length * size, 'mini FAT', true);
  r.setMini(miniStream, miniFatBytes);
  r.walk(r.dv.getUint32(rootAt + 0x4c, true), '', 0);
  return r.result;
}

/** Throws `NV_EFS_QCN_CORRUPT`. */
function corrupt(msg: string, offset?: number): never {
  throw new NvError('NV_EFS_QCN_CORRUPT', msg, { offset });
}

/**
 * The state of one {@link decodeCfb} past the header and FAT. Methods, not closures made per call: V8 keeps one
 * optimised copy and stable call targets across calls (issue 17: fresh closures per file deoptimised the walk on
 * every call, and the first dozens of files ran unoptimised).
 */
class CfbReader {
  /**
   * The reader's copy of the file, filled where a stream lies: every stream whose sectors (or mini sectors) are
   * consecutive, which is what writers lay out, is a view of it (issue 17: a fresh buffer per stream of a few bytes
   * was most of the reader's time and GC). The streams never share memory with the caller's `bytes`; the directory
   * and mini FAT, read only here, are not copied (fresh memory is slow to touch: a copy of all of a 6 MB file was a
   * fifth of the time).
   */
  private readonly file: Uint8Array;
  private readonly bytes: Uint8Array;
  dir: Uint8Array = new Uint8Array(0);
  dv: DataView = new DataView(new ArrayBuffer(0));
  private entryCount = 0;
  private miniStream: Uint8Array = new Uint8Array(0);
  private miniFatBytes: Uint8Array = new Uint8Array(0);
  private miniFat: DataView = new DataView(new ArrayBuffer(0));
  private visited: Uint8Array = new Uint8Array(0);
  private visitedCount = 1;
  readonly result: CfbEntry[] = [];

  private readonly limits: Limits;
  private readonly major: number;
  private readonly size: number;
  private readonly sectorCount: number;
  private readonly fat: Uint32Array;
  private readonly miniCutoff: number;

  constructor(
    bytes: Uint8Array,
    limits: Limits,
    major: number,
    size: number,
    sectorCount: number,
    fat: Uint32Array,
    miniCutoff: number,
  ) {
    this.limits = limits;
    this.major = major;
    this.size = size;
    this.sectorCount = sectorCount;
    this.fat = fat;
    this.miniCutoff = miniCutoff;
    this.bytes = bytes;
    this.file = new Uint8Array(bytes.length);
  }

  sectorAt(s: number): number {
    if (s >= this.sectorCount) corrupt(`sector ${s} is past the end of the file`);
    return this.size * (s + 1);
  }

  chainOf(start: number, what: string): number[] {
    const out: number[] = [];
    let s = start;
    while (s !== ENDOFCHAIN) {
      if (s >= this.fat.length || s >= this.sectorCount) corrupt(`${what}: chain leaves the file at sector ${s}`);
      if (out.length > this.sectorCount) corrupt(`${what}: the sector chain loops`);
      out.push(s);
      s = this.fat[s] as number;
    }
    return out;
  }

  /** The bytes of a sector chain: a view of the reader's copy, or of the input when `internal` (never returned). */
  readChain(start: number, length: number, what: string, internal = false): Uint8Array {
    const size = this.size;
    const file = this.file;
    const bytes = this.bytes;
    const chain = this.chainOf(start, what);
    if (chain.length * size < length)
      corrupt(`${what}: ${length} bytes claimed, the chain holds ${chain.length * size}`);
    let out: Uint8Array | undefined;
    let got = 0;
    // Runs of consecutive sectors are taken with one subarray each; a stream in one run is that view.
    for (let i = 0; i < chain.length && got < length;) {
      const first = chain[i] as number;
      let run = 1;
      while (i + run < chain.length && chain[i + run] === first + run && got + run * size < length) run++;
      const at = this.sectorAt(first + run - 1) - (run - 1) * size;
      const n = Math.min(run * size, length - got, file.length - at);
      if (n < Math.min(run * size, length - got))
        throw new NvError('NV_TRUNCATED', `${what} runs past the end of the file`, { offset: file.length });
      if (got === 0 && n === length) {
        if (internal) return bytes.subarray(at, at + n);
        file.set(bytes.subarray(at, at + n), at);
        return file.subarray(at, at + n);
      }
      out ??= new Uint8Array(length);
      out.set(bytes.subarray(at, at + n), got);
      got += n;
      i += run;
    }
    return out ?? new Uint8Array(length);
  }

  setDirectory(dir: Uint8Array): void {
    this.dir = dir;
    this.dv = new DataView(dir.buffer, dir.byteOffset, dir.byteLength);
    this.entryCount = dir.length / 128;
    this.visited = new Uint8Array(this.entryCount);
    this.visited[0] = 1;
  }

  setMini(miniStream: Uint8Array, miniFatBytes: Uint8Array): void {
    this.miniStream = miniStream;
    this.miniFatBytes = miniFatBytes;
    this.miniFat = new DataView(miniFatBytes.buffer, miniFatBytes.byteOffset, miniFatBytes.byteLength);
  }

  /**
   * Directory entries are read in place, no object per entry (issue 17). An entry is checked when the walk first
   * reaches it (its index, its name length), which is where the errors were raised before; answers its offset.
   */
  checkEntry(i: number): number {
    if (i >= this.entryCount) corrupt(`directory entry ${i} does not exist`);
    const at = 128 * i;
    const nameLen = this.dv.getUint16(at + 0x40, true);
    if (nameLen > 64 || nameLen % 2 !== 0) corrupt(`directory entry ${i} has a name length of ${nameLen}`);
    return at;
  }

  nameAt(at: number): string {
    const chars = this.dv.getUint16(at + 0x40, true) / 2 - 1;
    let name = '';
    for (let c = 0; c < chars; c++) name += String.fromCharCode(this.dv.getUint16(at + 2 * c, true));
    return name;
  }

  sizeAt(at: number): number {
    return this.major === 3 ? this.dv.getUint32(at + 0x78, true) : Number(this.dv.getBigUint64(at + 0x78, true));
  }

  readMini(start: number, length: number, what: string): Uint8Array {
    const miniStream = this.miniStream;
    const miniFatBytes = this.miniFatBytes;
    const miniFat = this.miniFat;
    let out: Uint8Array | undefined;
    let s = start;
    let got = 0;
    let steps = 0;
    while (got < length) {
      if (s === ENDOFCHAIN || s * 4 + 4 > miniFatBytes.length || (s + 1) * MINI > miniStream.length)
        corrupt(`${what}: mini chain leaves the mini stream at ${s}`);
      if (++steps > miniStream.length / MINI + 1) corrupt(`${what}: the mini chain loops`);
      // A run of consecutive mini sectors is one subarray; a stream in one run is that view (issue 17).
      const first = s;
      let run = 1;
      let next = miniFat.getUint32(s * 4, true);
      while (
        next === first + run &&
        got + run * MINI < length &&
        next * 4 + 4 <= miniFatBytes.length &&
        (next + 1) * MINI <= miniStream.length
      ) {
        if (++steps > miniStream.length / MINI + 1) corrupt(`${what}: the mini chain loops`);
        run++;
        next = miniFat.getUint32(next * 4, true);
      }
      const n = Math.min(run * MINI, length - got);
      if (got === 0 && n === length) return miniStream.subarray(first * MINI, first * MINI + n);
      out ??= new Uint8Array(length);
      out.set(miniStream.subarray(first * MINI, first * MINI + n), got);
      got += n;
      s = next;
    }
    return out ?? new Uint8Array(length);
  }

  /** In-order walk of each storage's sibling tree (iterative: writers may chain siblings as a long list). */
  walk(top: number, prefix: string, depth: number): void {
    if (depth > this.limits.maxDepth) corrupt('the storage tree is nested too deep');
    const dv = this.dv;
    const dir = this.dir;
    const visited = this.visited;
    const stack: number[] = [];
    const base = prefix === '' ? '' : `${prefix}/`; // once per storage, not per child
    let id = top;
    while (id !== NOSTREAM || stack.length > 0) {
      while (id !== NOSTREAM) {
        if (visited[id] === 1) corrupt(`directory entry ${id} is reached twice (the tree loops)`);
        visited[id] = 1;
        enforceLimit(this.limits, 'maxEntries', ++this.visitedCount);
        stack.push(id);
        id = dv.getUint32(this.checkEntry(id) + 0x44, true);
      }
      const cur = stack.pop() as number;
      const at = 128 * cur;
      const name = this.nameAt(at);
      const path = base + name;
      const type = dir[at + 0x42] as number;
      if (type === 1) {
        this.result.push({ path, type: 'storage' });
        this.walk(dv.getUint32(at + 0x4c, true), path, depth + 1);
      } else if (type === 2) {
        const length = checkedSize(this.sizeAt(at), this.limits);
        const start = dv.getUint32(at + 0x74, true);
        const data =
          length === 0
            ? new Uint8Array(0)
            : length < this.miniCutoff
              ? this.readMini(start, length, path)
              : this.readChain(start, length, path);
        this.result.push({ path, type: 'stream', data });
      } else if (type !== 0) corrupt(`directory entry ${cur} (${path}) has type ${type}`);
      id = dv.getUint32(at + 0x48, true);
    }
  }
}

function checkedSize(n: number, limits: Limits): number {
  enforceLimit(limits, 'maxInputBytes', n);
  return n;
}
