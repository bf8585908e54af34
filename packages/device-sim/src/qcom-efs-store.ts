/**
 * The simulated modem's EFS: a flat map of absolute paths to nodes, and the views the simulator reports
 * (NV items by id, EFS file listing). The tar and QCN formats are parsed by `@nv/qcom-efs`; this module only holds
 * the modem's in-memory file system and its (simulator-private) serialisation inside a modemst copy.
 * @module
 */
import { NvError } from '@nv/core';
import { ByteReader, bytesToHex, decodeLatin1, encodeLatin1 } from '@nv/core/bytes';
import { sha256Hex } from '@nv/core/hash';
import { DEFAULT_MODES, NV_ITEM_PATH_RE, type EfsEntryType } from '@nv/qcom-efs/model';

/** Kind of an EFS node (docs/formats/efs-tar.md#paths: item files carry the `S_IFITM` type bits 0160000). */
export type QcomEfsKind = EfsEntryType;

/** One node of the simulated EFS. */
export interface QcomEfsNode {
  /** Node kind. */
  kind: QcomEfsKind;
  /** Full `st_mode` with type bits (`0o160777` item, `0o100777` file, `0o40777` dir, `0o120777` symlink). */
  mode: number;
  /** File content (empty for dirs and symlinks). */
  data: Uint8Array;
  /** Symlink target. */
  target?: string;
}

/** The modem's EFS: absolute path → node. `/` always exists. */
export type QcomEfs = Map<string, QcomEfsNode>;

/**
 * Default modes per kind (docs/formats/efs-tar.md#paths): `@nv/qcom-efs`'s `DEFAULT_MODES`.
 * @example QCOM_EFS_MODES.item.toString(8) // '160777'
 */
export const QCOM_EFS_MODES: Readonly<Record<QcomEfsKind, number>> = DEFAULT_MODES;

/**
 * An EFS holding only `/`.
 * @example const efs = createEfs(); efsWrite(efs, '/nvm/num/10', new Uint8Array([0x1f, 0]))
 */
export function createEfs(): QcomEfs {
  return new Map([['/', { kind: 'dir', mode: QCOM_EFS_MODES.dir, data: new Uint8Array(0) }]]);
}

/**
 * Deep copy of an EFS (node data copied).
 * @example const before = cloneEfs(dev.efs!)
 */
export function cloneEfs(efs: QcomEfs): QcomEfs {
  const out: QcomEfs = new Map();
  for (const [p, n] of efs) out.set(p, { ...n, data: n.data.slice() });
  return out;
}

/**
 * Writes a file (item if ≤ 128 B unless `kind` says otherwise), creating ancestors as dirs like `efs_put` with auto-mkdir.
 * @example efsWrite(efs, '/nv/item_files/ims/qp_ims_dpl_config', new Uint8Array([1]))
 */
export function efsWrite(efs: QcomEfs, path: string, data: Uint8Array, kind?: 'item' | 'file'): void {
  const k = kind ?? (data.length <= 128 ? 'item' : 'file');
  const parts = path.split('/').filter((s) => s !== '');
  let dir = '';
  for (const part of parts.slice(0, -1)) {
    dir += '/' + part;
    if (!efs.has(dir)) efs.set(dir, { kind: 'dir', mode: QCOM_EFS_MODES.dir, data: new Uint8Array(0) });
  }
  efs.set(path, { kind: k, mode: QCOM_EFS_MODES[k], data: data.slice() });
}

/**
 * Removes a file; returns whether it existed.
 * @example efsDelete(efs, '/policyman/ue_mode')
 */
export function efsDelete(efs: QcomEfs, path: string): boolean {
  const n = efs.get(path);
  if (n === undefined || n.kind === 'dir') return false;
  return efs.delete(path);
}

/** The EFS path of a legacy NV item: owned by `@nv/qcom-efs` (re-exported for the simulator's API). */
export { nvItemPath } from '@nv/qcom-efs/model';

/**
 * Key of an NV item in reports: `"<id>"`, `"<id>_<k>"`, with `"@<sub>"` for subscription ≥ 1; RFNV ids ≥ 20000 too.
 * @example nvKeyOfPath('/nv/item_files/rfnv/00024997') // '24997'
 */
export function nvKeyOfPath(path: string): string | undefined {
  let m = NV_ITEM_PATH_RE.exec(path);
  if (m) return `${m[2]}${m[3] !== undefined ? `_${m[3]}` : ''}${m[1] !== undefined ? `@${m[1]}` : ''}`;
  m = /^\/nv\/item_files\/rfnv\/(\d{8})$/.exec(path);
  if (m) return String(Number(m[1]));
  return undefined;
}

/**
 * NV items the modem holds: key (see {@link nvKeyOfPath}) → value as lower-case hex.
 * @example efsNvItems(dev.efs!)['10'] // '1f00'
 */
export function efsNvItems(efs: QcomEfs): Record<string, string> {
  const out: Record<string, string> = {};
  const keys = [...efs.keys()].sort();
  for (const p of keys) {
    const node = efs.get(p);
    const key = nvKeyOfPath(p);
    if (node && key !== undefined && node.kind !== 'dir' && node.kind !== 'symlink') out[key] = bytesToHex(node.data);
  }
  return out;
}

/** One row of an EFS listing. */
export interface QcomEfsListing {
  path: string;
  kind: QcomEfsKind;
  mode: number;
  size: number;
  sha256: string;
  target?: string;
}

/**
 * Every non-directory node, sorted bytewise by path.
 * @example listEfs(dev.efs!).map((f) => f.path)
 */
export function listEfs(efs: QcomEfs): QcomEfsListing[] {
  const out: QcomEfsListing[] = [];
  for (const p of [...efs.keys()].sort()) {
    const n = efs.get(p);
    if (n === undefined || n.kind === 'dir') continue;
    out.push({
      path: p,
      kind: n.kind,
      mode: n.mode,
      size: n.data.length,
      sha256: sha256Hex(n.data),
      ...(n.target !== undefined ? { target: n.target } : {}),
    });
  }
  return out;
}

const KIND_CODES: readonly QcomEfsKind[] = ['item', 'file', 'dir', 'symlink'];
/** Hard limits on a decoded copy (simulator-private format). */
const MAX_NODES = 65_536;
const MAX_PATH = 1024;
const MAX_FILE = 16 * 1024 * 1024;

/**
 * Serialises an EFS (simulator-private, documented in README.qcom.md): u32 count, then per node sorted by path
 * u8 kind, u32 mode, u16 path length, path, u32 data length, data, u16 target length, target.
 * @example sealModemst(key, encodeEfs(efs), 1)
 */
export function encodeEfs(efs: QcomEfs): Uint8Array {
  const plan = planEfsEncoding(efs);
  const out = new Uint8Array(plan.length);
  writeEfsEncoding(plan, out, 0);
  return out;
}

/** What {@link encodeEfs} writes, measured first so that the bytes go straight into their final buffer. */
export interface QcomEfsEncoding {
  /** Encoded length in bytes. */
  length: number;
  /** Nodes sorted by path, as they were when planned (a later change to the EFS does not reach the plan). */
  nodes: { kind: QcomEfsNode['kind']; mode: number; data: Uint8Array; path: Uint8Array; target: Uint8Array }[];
}

function u16Len(n: number): number {
  if (n > 0xffff)
    throw new NvError('NV_RANGE', `value ${n} does not fit in u16 (0..65535)`, { data: { kind: 'u16', value: n } });
  return n;
}

/**
 * Measures the encoding of an EFS (see {@link encodeEfs}).
 * @example const plan = planEfsEncoding(efs); writeEfsEncoding(plan, new Uint8Array(plan.length), 0)
 */
export function planEfsEncoding(efs: QcomEfs): QcomEfsEncoding {
  let length = 4;
  const nodes = [...efs.keys()].sort().map((p) => {
    const node = efs.get(p) as QcomEfsNode;
    const path = encodeLatin1(p);
    const target = encodeLatin1(node.target ?? '');
    length += 1 + 4 + 2 + u16Len(path.length) + 4 + node.data.length + 2 + u16Len(target.length);
    // File data are never written in place (efsWrite and the DIAG face store new arrays), so the reference is a snapshot.
    return { kind: node.kind, mode: node.mode, data: node.data, path, target };
  });
  return { length, nodes };
}

/**
 * The encoding measured by {@link planEfsEncoding} as its pieces in order: the count, then per node its fields up to
 * the data length, the data itself (the node's array, not a copy), and the target length and target. Sealing streams
 * them (a 60 MB EFS is written to a saved state without one buffer of its size).
 * @example for (const piece of efsEncodingPieces(plan)) digest.update(piece)
 */
export function* efsEncodingPieces(plan: QcomEfsEncoding): Generator<Uint8Array> {
  const count = new Uint8Array(4);
  new DataView(count.buffer).setUint32(0, plan.nodes.length, true);
  yield count;
  for (const { kind, mode, data, path, target } of plan.nodes) {
    const head = new Uint8Array(7 + path.length + 4);
    const h = new DataView(head.buffer);
    head[0] = KIND_CODES.indexOf(kind);
    h.setUint32(1, mode >>> 0, true);
    h.setUint16(5, path.length, true);
    head.set(path, 7);
    h.setUint32(7 + path.length, data.length, true);
    yield head;
    if (data.length > 0) yield data;
    const tail = new Uint8Array(2 + target.length);
    new DataView(tail.buffer).setUint16(0, target.length, true);
    tail.set(target, 2);
    yield tail;
  }
}

/**
 * Writes the encoding measured by {@link planEfsEncoding} into `out` at `at` (no intermediate buffer).
 * @example writeEfsEncoding(plan, sealedCopy, 52)
 */
export function writeEfsEncoding(plan: QcomEfsEncoding, out: Uint8Array, at: number): void {
  let o = at;
  for (const piece of efsEncodingPieces(plan)) {
    out.set(piece, o);
    o += piece.length;
  }
}

/**
 * Inverse of {@link encodeEfs}. @throws NvError `NV_SIM_QCOM_COPY_CORRUPT` on malformed records.
 * @example decodeEfs(openModemst(key, part).plaintext!)
 */
export function decodeEfs(bytes: Uint8Array, where: { path?: string; baseOffset?: number } = {}): QcomEfs {
  const base = where.baseOffset ?? 0;
  const r = new ByteReader(bytes, { base, ...(where.path !== undefined ? { path: where.path } : {}) });
  const fail = (msg: string): never => {
    throw new NvError('NV_SIM_QCOM_COPY_CORRUPT', `${where.path ?? 'modemst'}: ${msg}`, {
      offset: base + r.offset,
      path: where.path,
    });
  };
  try {
    const count = r.u32le('node count');
    if (count > MAX_NODES) fail(`${count} nodes, over ${MAX_NODES}`);
    const efs: QcomEfs = new Map();
    for (let i = 0; i < count; i++) {
      const kind = KIND_CODES[r.u8('kind')];
      if (kind === undefined) fail('unknown node kind');
      const mode = r.u32le('mode');
      const plen = r.u16le('path length');
      if (plen === 0 || plen > MAX_PATH) fail(`path length ${plen}`);
      const path = decodeLatin1(r.bytesView(plen, 'path'));
      const dlen = r.u32le('data length');
      if (dlen > MAX_FILE || dlen > r.remaining) fail(`data length ${dlen}`);
      // A view: the plaintext is the boot's own buffer and file data are never written in place (issue 17: a 60 MB
      // EFS is not held twice after a boot from modemst).
      const data = r.bytesView(dlen, 'data');
      const tlen = r.u16le('target length');
      const target = decodeLatin1(r.bytesView(tlen, 'target'));
      efs.set(path, { kind: kind as QcomEfsKind, mode, data, ...(kind === 'symlink' ? { target } : {}) });
    }
    if (!efs.has('/')) fail('no root directory');
    return efs;
  } catch (e) {
    if (NvError.isInstance(e) && e.code === 'NV_SIM_QCOM_COPY_CORRUPT') throw e;
    throw new NvError('NV_SIM_QCOM_COPY_CORRUPT', `${where.path ?? 'modemst'}: ${(e as Error).message}`, {
      offset: base + r.offset,
      path: where.path,
      cause: e,
    });
  }
}
