/**
 * The compound-file and QCN-model readers as they were before the issue-17 fast path (commit 187bb84), kept verbatim
 * as the straightforward reference that `test/qcn-fast-path.test.ts` compares the shipped readers against: same
 * entries, same model, same warnings, same NvError (code, message, offset) on every generated and mutated file.
 * Test-only; not part of the package.
 */
import { NvError, resolveLimits, enforceLimit, type Limits } from '@nv/core';
import { ByteReader, bytesEqual, decodeLatin1 } from '@nv/core/bytes';
import type { CfbEntry } from '../../src/cfb.ts';
import { hasCfbSignature } from '../../src/cfb.ts';
import {
  EFS_BACKUP_HEADER,
  NUMBERED_STORAGE,
  QCN_RECORD_BYTES,
  isOpaqueQcnStream,
  type Qcn,
  type QcnEfsFile,
  type QcnItem,
  type QcnPropertyInfo,
} from '../../src/qcn.ts';
import type { EfsWarning } from '../../src/tree.ts';

const FREESECT = 0xffffffff;
const ENDOFCHAIN = 0xfffffffe;
const NOSTREAM = 0xffffffff;
const MINI = 64;
const NUMBERED_ARRAY_RE = /^NV_ITEM_ARRAY(?:_SIM_(\d{1,2}))?$/i;

export function referenceDecodeCfb(bytes: Uint8Array, options: { limits?: Partial<Limits> } = {}): CfbEntry[] {
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
  const corrupt = (msg: string, offset?: number): never => {
    throw new NvError('NV_EFS_QCN_CORRUPT', msg, { offset });
  };
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
  const chainOf = (start: number, what: string): number[] => {
    const out: number[] = [];
    let s = start;
    while (s !== ENDOFCHAIN) {
      if (s >= fat.length || s >= sectorCount) corrupt(`${what}: chain leaves the file at sector ${s}`);
      if (out.length > sectorCount) corrupt(`${what}: the sector chain loops`);
      out.push(s);
      s = fat[s] as number;
    }
    return out;
  };
  const readChain = (start: number, length: number, what: string): Uint8Array => {
    const chain = chainOf(start, what);
    if (chain.length * size < length)
      corrupt(`${what}: ${length} bytes claimed, the chain holds ${chain.length * size}`);
    const out = new Uint8Array(length);
    let got = 0;
    // Issue 17: runs of consecutive sectors (what writers lay out) are copied with one set() each.
    for (let i = 0; i < chain.length && got < length;) {
      const first = chain[i] as number;
      let run = 1;
      while (i + run < chain.length && chain[i + run] === first + run && got + run * size < length) run++;
      const at = sectorAt(first + run - 1) - (run - 1) * size;
      const n = Math.min(run * size, length - got, bytes.length - at);
      if (n < Math.min(run * size, length - got))
        throw new NvError('NV_TRUNCATED', `${what} runs past the end of the file`, { offset: bytes.length });
      out.set(bytes.subarray(at, at + n), got);
      got += n;
      i += run;
    }
    return out;
  };
  const dirChain = chainOf(v.getUint32(0x30, true), 'directory');
  enforceLimit(limits, 'maxEntries', dirChain.length * (size / 128));
  const dir = readChain(v.getUint32(0x30, true), dirChain.length * size, 'directory');
  const dv = new DataView(dir.buffer);
  const entryCount = dir.length / 128;
  // Each directory entry is decoded once (issue 17: the walk asked for most of them twice).
  const entries: (DirEntry | undefined)[] = new Array(entryCount);
  const entry = (i: number): DirEntry => {
    if (i >= entryCount) corrupt(`directory entry ${i} does not exist`);
    const cached = entries[i];
    if (cached !== undefined) return cached;
    const at = 128 * i;
    const nameLen = dv.getUint16(at + 0x40, true);
    if (nameLen > 64 || nameLen % 2 !== 0) corrupt(`directory entry ${i} has a name length of ${nameLen}`);
    let name = '';
    for (let c = 0; c < Math.max(0, nameLen / 2 - 1); c++) name += String.fromCharCode(dv.getUint16(at + 2 * c, true));
    const e: DirEntry = {
      name,
      type: dir[at + 0x42] as number,
      left: dv.getUint32(at + 0x44, true),
      right: dv.getUint32(at + 0x48, true),
      child: dv.getUint32(at + 0x4c, true),
      start: dv.getUint32(at + 0x74, true),
      size: major === 3 ? dv.getUint32(at + 0x78, true) : Number(dv.getBigUint64(at + 0x78, true)),
    };
    entries[i] = e;
    return e;
  };
  const rootEntry = entry(0);
  if (rootEntry.type !== 5) corrupt('the first directory entry is not the root');
  const miniCutoff = v.getUint32(0x38, true);
  const miniStream =
    rootEntry.size > 0
      ? readChain(rootEntry.start, checkedSize(rootEntry.size, limits), 'mini stream')
      : new Uint8Array(0);
  const miniFatStart = v.getUint32(0x3c, true);
  const miniFatBytes =
    miniFatStart === ENDOFCHAIN || miniFatStart === FREESECT
      ? new Uint8Array(0)
      : readChain(miniFatStart, chainOf(miniFatStart, 'mini FAT').length * size, 'mini FAT');
  const miniFat = new DataView(miniFatBytes.buffer);
  const readMini = (start: number, length: number, what: string): Uint8Array => {
    const out = new Uint8Array(length);
    let s = start;
    let got = 0;
    let steps = 0;
    while (got < length) {
      if (s === ENDOFCHAIN || s * 4 + 4 > miniFatBytes.length || (s + 1) * MINI > miniStream.length)
        corrupt(`${what}: mini chain leaves the mini stream at ${s}`);
      if (++steps > miniStream.length / MINI + 1) corrupt(`${what}: the mini chain loops`);
      // A run of consecutive mini sectors is copied at once (issue 17).
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
      out.set(miniStream.subarray(first * MINI, first * MINI + n), got);
      got += n;
      s = next;
    }
    return out;
  };
  const result: CfbEntry[] = [];
  const visited = new Set<number>([0]);
  // In-order walk of each storage's sibling tree (iterative: writers may chain siblings as a long list).
  const walk = (top: number, prefix: string, depth: number): void => {
    if (depth > limits.maxDepth) corrupt('the storage tree is nested too deep');
    const stack: number[] = [];
    let id = top;
    while (id !== NOSTREAM || stack.length > 0) {
      while (id !== NOSTREAM) {
        if (visited.has(id)) corrupt(`directory entry ${id} is reached twice (the tree loops)`);
        visited.add(id);
        enforceLimit(limits, 'maxEntries', visited.size);
        stack.push(id);
        id = entry(id).left;
      }
      const cur = stack.pop() as number;
      const e = entry(cur);
      const path = prefix === '' ? e.name : `${prefix}/${e.name}`;
      if (e.type === 1) {
        result.push({ path, type: 'storage' });
        walk(e.child, path, depth + 1);
      } else if (e.type === 2) {
        const length = checkedSize(e.size, limits);
        const data =
          length === 0
            ? new Uint8Array(0)
            : length < miniCutoff
              ? readMini(e.start, length, path)
              : readChain(e.start, length, path);
        result.push({ path, type: 'stream', data });
      } else if (e.type !== 0) corrupt(`directory entry ${cur} (${path}) has type ${e.type}`);
      id = e.right;
    }
  };
  walk(rootEntry.child, '', 0);
  return result;
}

/** One decoded directory entry. */
interface DirEntry {
  readonly name: string;
  readonly type: number;
  readonly left: number;
  readonly right: number;
  readonly child: number;
  readonly start: number;
  readonly size: number;
}

function checkedSize(n: number, limits: Limits): number {
  enforceLimit(limits, 'maxInputBytes', n);
  return n;
}

export function referenceQcnFromEntries(
  entries: readonly CfbEntry[],
  initialWarnings: readonly EfsWarning[] = [],
): { qcn: Qcn; warnings: EfsWarning[] } {
  const warnings: EfsWarning[] = [...initialWarnings];
  const lower = (p: string): string => p.toLowerCase();
  // Every path case-folded once (issue 17: the passes below folded each path again).
  const folded = new Map<CfbEntry, string>();
  for (const e of entries) folded.set(e, lower(e.path));
  const lowerOf = (e: CfbEntry): string => folded.get(e) as string;
  const models = new Set<string>();
  for (const e of entries) {
    const l = lowerOf(e);
    const a = l.indexOf('/');
    if (a < 0) continue;
    const b = l.indexOf('/', a + 1);
    if (l.slice(a + 1, b < 0 ? undefined : b) === 'default') models.add(e.path.slice(0, a));
  }
  if (models.size !== 1) {
    throw new NvError(
      'NV_EFS_QCN_NO_MODEL',
      models.size === 0
        ? 'no root storage holds a "default" storage: not a QCN backup'
        : `several model storages hold "default": ${[...models].join(', ')}`,
      {},
    );
  }
  const modelName = [...models][0] as string;
  const used = new Set<CfbEntry>();
  // One case-folded index instead of a lower-casing scan of every entry per lookup (issue 17: it was most of
  // decodeQcn's time); the first stream of a name wins, as with find().
  const streams = new Map<string, CfbEntry>();
  for (const x of entries) if (x.type === 'stream' && !streams.has(lowerOf(x))) streams.set(lowerOf(x), x);
  const stream = (path: string): CfbEntry | undefined => {
    const e = streams.get(lower(path));
    if (e !== undefined) used.add(e);
    return e;
  };
  let fileVersion: [number, number, number] | undefined;
  const fv = stream('File_Version');
  if (fv?.data === undefined || fv.data.length !== 6) {
    warnings.push({
      code: 'NV_EFS_BAD_QCN_FILE_VERSION',
      message: fv === undefined ? 'File_Version is missing' : `File_Version is ${fv.data?.length} bytes, not 6`,
      path: 'File_Version',
    });
    if (fv?.data !== undefined && fv.data.length >= 6) fileVersion = readVersion(fv.data);
  } else {
    fileVersion = readVersion(fv.data);
    if (fileVersion[0] !== 2)
      warnings.push({
        code: 'NV_EFS_BAD_QCN_FILE_VERSION',
        message: `File_Version major is ${fileVersion[0]}, not 2`,
        path: 'File_Version',
      });
  }
  let propertyInfo: QcnPropertyInfo | undefined;
  const pi = stream(`${modelName}/default/Mobile_Property_Info`);
  if (pi?.data !== undefined) {
    try {
      const r = new ByteReader(pi.data, { path: pi.path });
      const unknown = r.u32le();
      const modelNumber = r.u16le();
      const nvMajor = r.u8();
      const nvMinor = r.u8();
      const softwareVersion = decodeLatin1(r.bytesView(r.u16le(), 'software version'));
      const producer = r.isAtEnd ? '' : decodeLatin1(r.bytesView(r.u16le(), 'producer'));
      propertyInfo = { unknown, modelNumber, nvMajor, nvMinor, softwareVersion, producer };
    } catch (cause) {
      throw new NvError(
        'NV_EFS_BAD_QCN_PROPERTY_INFO',
        `${pi.path}: string lengths run past the stream (${pi.data.length} bytes)`,
        { path: pi.path, cause },
      );
    }
  }
  const model = /^\d{1,8}$/.test(modelName) ? Number(modelName) : (propertyInfo?.modelNumber ?? 0);
  // <MODEL>/default/NV_NUMBERED_ITEMS/NV_ITEM_ARRAY and _SIM_<n> (docs/formats/qcn.md#container, real QPST/QRCT/QMSL files); also the old
  // location <MODEL>/NV_NUMBERED_ITEMS/ that @nv/qcom-efs wrote before issue 14, with a warning.
  const items: QcnItem[] = [];
  const seen = new Map<number, number>();
  const arrayPrefix = lower(`${modelName}/default/${NUMBERED_STORAGE}/`);
  const legacyPrefix = lower(`${modelName}/${NUMBERED_STORAGE}/`);
  for (const e of entries) {
    if (e.type !== 'stream') continue;
    const l = lowerOf(e);
    const legacy = l.startsWith(legacyPrefix);
    if (!legacy && !l.startsWith(arrayPrefix)) continue;
    const name = e.path.slice((legacy ? legacyPrefix : arrayPrefix).length);
    const m = NUMBERED_ARRAY_RE.exec(name);
    if (m === null) continue; // kept in `extra`, reported as an unknown stream below
    used.add(e);
    if (legacy)
      warnings.push({
        code: 'NV_EFS_QCN_LEGACY_LOCATION',
        message: `${e.path}: numbered items outside "default" (where earlier @nv/qcom-efs versions wrote them); read anyway, written back under ${modelName}/default/${NUMBERED_STORAGE}`,
        path: e.path,
      });
    const subscription = m[1] === undefined ? 0 : Number(m[1]);
    const data = e.data as Uint8Array;
    if (data.length % QCN_RECORD_BYTES !== 0)
      throw new NvError('NV_EFS_BAD_QCN_RECORD', `${e.path} is ${data.length} bytes, not a multiple of 136`, {
        path: e.path,
      });
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    for (let at = 0; at < data.length; at += QCN_RECORD_BYTES) {
      const len = v.getUint16(at, true);
      if (len !== QCN_RECORD_BYTES)
        throw new NvError('NV_EFS_BAD_QCN_RECORD', `${e.path}: record at ${at} has length field ${len}, not 136`, {
          path: e.path,
          data: { streamOffset: at },
        });
      const flag = v.getUint16(at + 2, true);
      const id = v.getUint16(at + 4, true);
      const index = v.getUint16(at + 6, true);
      if (flag !== 1)
        warnings.push({
          code: 'NV_EFS_QCN_RECORD_FLAG',
          message: `NV ${id}: record flag is ${flag}, not 1`,
          path: e.path,
        });
      const key = (subscription * 0x10000 + id) * 0x10000 + index;
      const prev = seen.get(key);
      // A view: the stream's bytes are the reader's own copy (issue 17: a copy per record was most of the time);
      // one object shape per case, not a spread.
      const payload = data.subarray(at + 8, at + QCN_RECORD_BYTES);
      const item: QcnItem =
        flag !== 1 ? { id, index, subscription, payload, flag } : { id, index, subscription, payload };
      if (prev !== undefined) {
        warnings.push({
          code: 'NV_EFS_QCN_DUPLICATE_ITEM',
          message: `NV ${id} index ${index} appears twice; the last wins`,
          path: e.path,
        });
        items[prev] = item;
      } else {
        seen.set(key, items.length);
        items.push(item);
      }
    }
  }
  // EFS stores (docs/formats/qcn.md#stores).
  const efs: QcnEfsFile[] = [];
  // One pass sorts the Dir/Data streams of the three stores (issue 17: a pass per store folded every path again).
  const defaultPrefix = lower(`${modelName}/default/`);
  // Read in this order (NV_Items, provisioning, backup): the order of `qcn.efs` (not QCN_STORES's bytewise one).
  const STORE_ORDER = ['NV_Items', 'Provisioning_Item_Files', 'EFS_Backup'] as const;
  const pairs = new Map<string, { dirs: Map<string, CfbEntry>; datas: Map<string, CfbEntry> }>();
  for (const store of STORE_ORDER) pairs.set(store, { dirs: new Map(), datas: new Map() });
  const storeLower = STORE_ORDER.map((st) => [st, `${lower(st)}/efs_dir/`, `${lower(st)}/efs_data/`] as const);
  for (const e of entries) {
    if (e.type !== 'stream') continue;
    const l = lowerOf(e);
    if (!l.startsWith(defaultPrefix)) continue;
    for (const [st, dirL, dataL] of storeLower) {
      const pair = pairs.get(st) as { dirs: Map<string, CfbEntry>; datas: Map<string, CfbEntry> };
      const at = defaultPrefix.length;
      if (l.startsWith(dirL, at) && l.indexOf('/', at + dirL.length) < 0)
        pair.dirs.set(e.path.slice(at + dirL.length), e);
      if (l.startsWith(dataL, at) && l.indexOf('/', at + dataL.length) < 0)
        pair.datas.set(e.path.slice(at + dataL.length), e);
    }
  }
  for (const store of STORE_ORDER) {
    const { dirs, datas } = pairs.get(store) as { dirs: Map<string, CfbEntry>; datas: Map<string, CfbEntry> };
    for (const k of datas.keys())
      if (!dirs.has(k))
        throw new NvError('NV_EFS_QCN_UNPAIRED', `${store}/EFS_Data/${k} has no EFS_Dir/${k}`, {
          path: `${modelName}/default/${store}/EFS_Data/${k}`,
        });
    for (const [k, d] of dirs) {
      const de = datas.get(k);
      if (de === undefined)
        throw new NvError('NV_EFS_QCN_UNPAIRED', `${store}/EFS_Dir/${k} has no EFS_Data/${k}`, { path: d.path });
      used.add(d);
      used.add(de);
      let raw = d.data as Uint8Array;
      let backupHeader: Uint8Array | undefined;
      if (store === 'EFS_Backup') {
        if (raw.length < 8)
          throw new NvError(
            'NV_EFS_BAD_QCN_BACKUP_HEADER',
            `${d.path}: EFS_Backup Dir is ${raw.length} bytes, shorter than its 8-byte header`,
            { path: d.path },
          );
        const h = raw.subarray(0, 8);
        if (!bytesEqual(h, EFS_BACKUP_HEADER)) {
          backupHeader = h.slice();
          warnings.push({
            code: 'NV_EFS_BAD_QCN_BACKUP_HEADER',
            message: `${d.path}: header is not 01 00 01 01 00 00 00 00; kept as found`,
            path: d.path,
          });
        }
        raw = raw.subarray(8);
      }
      let end = raw.length;
      if (end > 0 && raw[end - 1] === 0) {
        end--;
        if (store === 'NV_Items')
          warnings.push({
            code: 'NV_EFS_QCN_PATH_TERMINATOR',
            message: `${d.path}: NV_Items path ends with a NUL`,
            path: d.path,
          });
      } else if (store === 'Provisioning_Item_Files') {
        warnings.push({
          code: 'NV_EFS_QCN_PATH_TERMINATOR',
          message: `${d.path}: provisioning path lacks its NUL`,
          path: d.path,
        });
      }
      const pathBytes = raw.subarray(0, end);
      let badByte = pathBytes.length === 0;
      for (let i = 0; i < pathBytes.length && !badByte; i++) {
        const b = pathBytes[i] as number;
        badByte = b > 0x7e || b < 0x20;
      }
      if (badByte) {
        throw new NvError('NV_EFS_BAD_QCN_PATH', `${d.path}: the EFS path is empty, non-ASCII or has an inner NUL`, {
          path: d.path,
        });
      }
      efs.push({
        store,
        path: decodeLatin1(pathBytes),
        data: de.data as Uint8Array, // the reader's own copy (issue 17)
        key: k,
        ...(backupHeader !== undefined ? { backupHeader } : {}),
      });
    }
  }
  const storeRoots = ['NV_Items', 'Provisioning_Item_Files', 'EFS_Backup'].map((s) =>
    lower(`${modelName}/default/${s}`),
  );
  const extra = entries.filter(
    (e) =>
      !used.has(e) &&
      e.type === 'stream' &&
      !(storeRoots.some((r) => lowerOf(e).startsWith(`${r}/`)) && (e.data?.length ?? 0) === 0), // a 0-byte stream standing for an empty storage (docs/formats/qcn.md#read-write)
  );
  for (const e of extra) {
    if (isOpaqueQcnStream(e.path, modelName)) continue;
    warnings.push({
      code: 'NV_EFS_QCN_UNKNOWN_STREAM',
      message: `${e.path} (${e.data?.length ?? 0} bytes) is a stream this reader does not understand; kept as is`,
      path: e.path,
    });
  }
  return {
    qcn: {
      ...(fileVersion !== undefined ? { fileVersion } : {}),
      model,
      modelName,
      ...(propertyInfo !== undefined ? { propertyInfo } : {}),
      items,
      efs,
      extra,
    },
    warnings,
  };
}

function readVersion(d: Uint8Array): [number, number, number] {
  const v = new DataView(d.buffer, d.byteOffset, d.byteLength);
  return [v.getUint16(0, true), v.getUint16(2, true), v.getUint16(4, true)];
}
