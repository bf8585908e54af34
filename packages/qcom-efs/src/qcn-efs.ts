/**
 * QCN ↔ EFS tree (docs/formats/qcn.md#nv-info…#efs-to-qcn) and the NV info table of internal legacy NV sizes.
 * @module
 */
import { NvError } from '@nv/core';
import { decodeLatin1 } from '@nv/core/bytes';
import { NV_ITEM_PATH_RE, nvItemPath } from './nv-path.ts';
import { QCN_PAYLOAD_BYTES, QCN_STORES, type Qcn, type QcnEfsFile, type QcnItem, type QcnStore } from './qcn.ts';
import {
  DEFAULT_MODES,
  DEVICE_MTIME,
  defaultKind,
  normalizeEfsPath,
  normalizeEfsTree,
  type EfsEntry,
  type EfsTree,
  type EfsWarning,
} from './tree.ts';

/** Internal size of one legacy NV (docs/formats/qcn.md#nv-info): `arraySize` 0 = not indexed. */
export interface NvInfoEntry {
  readonly id: number;
  /** Bytes of `/nvm/num/<id>` (for indexed items: without the index byte). */
  readonly size: number;
  readonly arraySize: number;
}

/**
 * Parses an NV info table (docs/formats/qcn.md#nv-info source (1)): `[{id, size, arraySize?}]` or `{"<id>": size | {size, arraySize?}}`.
 * @throws NvError `NV_EFS_BAD_NV_INFO`
 * @example parseNvInfo({ '10': { size: 2, arraySize: 2 } })
 */
export function parseNvInfo(json: unknown): NvInfoEntry[] {
  const bad = (why: string): never => {
    throw new NvError('NV_EFS_BAD_NV_INFO', `NV info table: ${why}`);
  };
  const rows: [unknown, unknown][] = Array.isArray(json)
    ? json.map((r: unknown) => [(r as Record<string, unknown> | null)?.['id'], r])
    : typeof json === 'object' && json !== null
      ? Object.entries(json as Record<string, unknown>)
      : bad('must be a list [{id, size, arraySize}] or an object {"<id>": {size, arraySize}}');
  const out: NvInfoEntry[] = [];
  for (const [idRaw, v] of rows) {
    const id = typeof idRaw === 'string' && /^\d+$/.test(idRaw) ? Number(idRaw) : idRaw;
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id > 65535)
      bad(`id ${JSON.stringify(idRaw)} is not 0..65535`);
    const o = typeof v === 'number' ? { size: v } : (v as Record<string, unknown>);
    const size = o?.['size'];
    const arraySize = o?.['arraySize'] ?? 0;
    if (typeof arraySize !== 'number' || !Number.isInteger(arraySize) || arraySize < 0 || arraySize > 256)
      bad(`NV ${String(id)}: arraySize must be 0..256`);
    const max = (arraySize as number) > 0 ? QCN_PAYLOAD_BYTES - 1 : QCN_PAYLOAD_BYTES;
    if (typeof size !== 'number' || !Number.isInteger(size) || size < 0 || size > max)
      bad(`NV ${String(id)}: size must be 0..${max}`);
    out.push({ id: id as number, size: size as number, arraySize: arraySize as number });
  }
  return out;
}

/**
 * NV info from a reference tree of the same build (docs/formats/qcn.md#nv-info source (2)): file sizes; a `_k` file proves arraySize > k.
 * @example nvInfoFromTree(tree).find((e) => e.id === 10)
 */
export function nvInfoFromTree(tree: EfsTree): NvInfoEntry[] {
  const map = new Map<number, { size: number; arraySize: number }>();
  for (const e of tree.entries) {
    const m = NV_ITEM_PATH_RE.exec(e.path);
    if (m === null || e.data === undefined) continue;
    const id = Number(m[2]);
    if (id > 65535) continue;
    const k = m[3] === undefined ? -1 : Number(m[3]);
    const prev = map.get(id) ?? { size: e.data.length, arraySize: 0 };
    map.set(id, { size: e.data.length, arraySize: Math.max(prev.arraySize, k + 1) });
  }
  return [...map].map(([id, v]) => ({ id, ...v })).sort((a, b) => a.id - b.id);
}

/** Options of {@link qcnToEfsTree}. */
export interface QcnToEfsOptions {
  /** Internal sizes of legacy NVs (docs/formats/qcn.md#nv-info). Records without an entry are an error unless `skipUnknown`. */
  readonly nvInfo?: readonly NvInfoEntry[];
  /** Skip records without an info entry (warning) instead of failing. */
  readonly skipUnknown?: boolean;
  /** Root for relative EFS_Backup paths (`pdp_profiles/Subs1/profile1`); default: skip them with a warning. */
  readonly relativeRoot?: string;
  /** mtime of every entry (default 315964800). */
  readonly mtime?: number;
}

/**
 * Expands a QCN into the EFS tree the modem would hold (docs/formats/qcn.md#qcn-to-efs): `/nvm/num/<id>[_<k>]` with the exact internal size,
 * `/nvm/context<n>/…` for subscription n (inferred), store files (EFS_Backup, then NV_Items, then Provisioning; later wins).
 * @throws NvError `NV_EFS_NV_INFO_MISSING`, `NV_EFS_NV_INDEX_RANGE`, `NV_EFS_BAD_PATH`
 * @example const { tree } = qcnToEfsTree(qcn, { nvInfo: [{ id: 10, size: 2, arraySize: 2 }] });
 */
export function qcnToEfsTree(qcn: Qcn, options: QcnToEfsOptions = {}): { tree: EfsTree; warnings: EfsWarning[] } {
  const info = new Map((options.nvInfo ?? []).map((e) => [e.id, e]));
  const mtime = options.mtime ?? DEVICE_MTIME;
  const warnings: EfsWarning[] = [];
  const files = new Map<string, EfsEntry>();
  const put = (path: string, data: Uint8Array, type?: 'item' | 'file'): void => {
    const t = type ?? defaultKind(path, data.length);
    files.set(path, { path, type: t, mode: DEFAULT_MODES[t], uid: 0, gid: 0, mtime, data });
  };
  for (const item of qcn.items) {
    const at = (k: number): string => nvItemPath(item.id, k, item.subscription);
    const e = info.get(item.id);
    if (e === undefined) {
      const message = `NV ${item.id}: its internal size is unknown, so /nvm/num/${item.id} cannot be written (a wrong size makes the modem delete it, §5 #1). Give sizes with --nv-info <sizes.json> or a reference tree of the same build`;
      if (options.skipUnknown !== true)
        throw new NvError('NV_EFS_NV_INFO_MISSING', message, { path: at(0), data: { id: item.id } });
      warnings.push({ code: 'NV_EFS_NV_INFO_MISSING', message: `${message}; skipped`, path: at(0) });
      continue;
    }
    if (e.arraySize > 0) {
      const k = item.payload[0] ?? 0;
      if (k !== item.index)
        warnings.push({
          code: 'NV_EFS_XML_INDEX_MISMATCH',
          message: `NV ${item.id}: record index ${item.index} differs from payload index ${k}; the payload wins`,
          path: at(0),
        });
      if (k >= e.arraySize)
        throw new NvError(
          'NV_EFS_NV_INDEX_RANGE',
          `NV ${item.id}: index ${k} is not below its array size ${e.arraySize}`,
          { path: at(k), data: { id: item.id, index: k } },
        );
      put(at(k), padded(item.payload).slice(1, 1 + e.size), 'item');
    } else {
      if (item.index !== 0)
        warnings.push({
          code: 'NV_EFS_XML_INDEX_MISMATCH',
          message: `NV ${item.id} is not indexed but its record index is ${item.index}`,
          path: at(0),
        });
      put(at(0), padded(item.payload).slice(0, e.size), 'item');
    }
  }
  for (const store of QCN_STORES) {
    for (const f of qcn.efs.filter((x) => x.store === store)) {
      let path = f.path;
      if (!path.startsWith('/')) {
        if (options.relativeRoot === undefined) {
          warnings.push({
            code: 'NV_EFS_QCN_SKIPPED_ENTRY',
            message: `${store}: relative path ${path} skipped (set relativeRoot to place it)`,
            path,
          });
          continue;
        }
        path = `${options.relativeRoot.replace(/\/+$/, '')}/${path}`;
      }
      path = normalizeEfsPath(path);
      if (f.data.length === 0) {
        warnings.push({
          code: 'NV_EFS_QCN_SKIPPED_ENTRY',
          message: `${store}: ${path} has no data (absent at backup time); skipped`,
          path,
        });
        continue;
      }
      const prev = files.get(path);
      if (prev?.data !== undefined && !bytesSame(prev.data, f.data))
        warnings.push({
          code: 'NV_EFS_PATH_CONFLICT',
          message: `${path}: ${store} replaces different bytes from an earlier store`,
          path,
        });
      put(path, f.data.slice());
    }
  }
  return { tree: normalizeEfsTree({ entries: [...files.values()] }, { mtime }), warnings };
}

function padded(p: Uint8Array): Uint8Array {
  if (p.length >= QCN_PAYLOAD_BYTES) return p;
  const out = new Uint8Array(QCN_PAYLOAD_BYTES);
  out.set(p);
  return out;
}

function bytesSame(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Options of {@link efsTreeToQcn}. */
export interface EfsToQcnOptions {
  /** Model number (default 0). */
  readonly model?: number;
  /** Which numbered items are indexed (arraySize > 0), when no `_k` sibling shows it. */
  readonly nvInfo?: readonly NvInfoEntry[];
}

/**
 * Collects an EFS tree into a QCN (docs/formats/qcn.md#efs-to-qcn): `/nvm/num`/`/nvm/context<n>` → records; RFNV → NV_Items; paths listed in
 * `/nv/item_files/conf/*.conf` → Provisioning_Item_Files; files under folders named in `/nv/item_store/**\/*.bl` and
 * all others → EFS_Backup (others with a warning). Conf/`.bl` files, dirs and symlinks are skipped.
 * @throws NvError `NV_EFS_ITEM_TOO_LARGE`
 * @example const { qcn } = efsTreeToQcn(tree);
 */
export function efsTreeToQcn(tree: EfsTree, options: EfsToQcnOptions = {}): { qcn: Qcn; warnings: EfsWarning[] } {
  const warnings: EfsWarning[] = [];
  const info = new Map((options.nvInfo ?? []).map((e) => [e.id, e]));
  const indexed = new Set<number>();
  for (const e of tree.entries) {
    const m = NV_ITEM_PATH_RE.exec(e.path);
    if (m?.[3] !== undefined) indexed.add(Number(m[2]));
  }
  const conf = new Set<string>();
  const backupRoots: string[] = [];
  for (const e of tree.entries) {
    if (e.data === undefined) continue;
    if (/^\/nv\/item_files\/conf\/[^/]+\.conf$/.test(e.path))
      for (const line of decodeLatin1(e.data).split(/\r?\n/)) if (line.startsWith('/')) conf.add(line.trim());
    if (e.path.startsWith('/nv/item_store/') && e.path.endsWith('.bl')) {
      const root = decodeLatin1(e.data).trim();
      if (root.startsWith('/')) backupRoots.push(root.endsWith('/') ? root : `${root}/`);
    }
  }
  const items: QcnItem[] = [];
  const efs: QcnEfsFile[] = [];
  for (const e of tree.entries) {
    if ((e.type !== 'item' && e.type !== 'file') || e.data === undefined) continue;
    if (
      /^\/nv\/item_files\/conf\/[^/]+\.conf$/.test(e.path) ||
      (e.path.startsWith('/nv/item_store/') && e.path.endsWith('.bl'))
    )
      continue;
    const m = NV_ITEM_PATH_RE.exec(e.path);
    if (m !== null && Number(m[2]) <= 65535) {
      const sub = m[1] === undefined ? 0 : Number(m[1]);
      const id = Number(m[2]);
      const k = m[3] === undefined ? 0 : Number(m[3]);
      const isIndexed = m[3] !== undefined || indexed.has(id) || (info.get(id)?.arraySize ?? 0) > 0;
      const body = isIndexed ? Uint8Array.of(k, ...e.data) : e.data;
      if (body.length > QCN_PAYLOAD_BYTES)
        throw new NvError('NV_EFS_ITEM_TOO_LARGE', `${e.path}: ${body.length} bytes do not fit a 128-byte QCN record`, {
          path: e.path,
        });
      const payload = new Uint8Array(QCN_PAYLOAD_BYTES);
      payload.set(body);
      items.push({ id, index: k, subscription: sub, payload });
      continue;
    }
    let store: QcnStore;
    if (/^\/nv\/item_files\/rfnv\/\d{8}$/.test(e.path)) store = 'NV_Items';
    else if (conf.has(e.path)) store = 'Provisioning_Item_Files';
    else if (backupRoots.some((r) => e.path.startsWith(r))) store = 'EFS_Backup';
    else {
      store = 'EFS_Backup';
      warnings.push({
        code: 'NV_EFS_STORE_GUESSED',
        message: `${e.path} is in no conf list or backup list; put into EFS_Backup (as QPST backups do, inferred)`,
        path: e.path,
      });
    }
    efs.push({ store, path: e.path, data: e.data });
  }
  return { qcn: { model: options.model ?? 0, items, efs, extra: [] }, warnings };
}
