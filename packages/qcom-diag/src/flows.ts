/**
 * What the toolkit builds on DIAG (docs/formats/diag.md#toolkit), composing `@nv/qcom-efs` for every format: device info,
 * EFS walk/pull into an {@link EfsTree} (`.nv-efs.json`-ready), QCN backup and restore, and the automatic backup of
 * what a write replaces. Ctrl-C safety: an `AbortSignal` is honoured only between files and items, so the file or
 * item being written is always finished.
 * @module
 */
import { NvError } from '@nv/core';
import { DEFAULT_MODES, DEVICE_MTIME } from '@nv/qcom-efs/model';
import {
  efsTreeToQcn,
  type EfsEntry,
  type EfsTree,
  type EfsWarning,
  type NvInfoEntry,
  type Qcn,
  type QcnEfsFile,
  type QcnItem,
} from '@nv/qcom-efs/binary';
import { NV_STATUS } from './commands.ts';
import { IDENTITY_NV_IDS, type DiagDevice } from './device.ts';

/** `info` result. */
export interface DiagInfo {
  model: string;
  mobileModel: number;
  swRevision: string;
  msmHwVersion: number;
  compileDate: string;
  releaseDate: string;
  /** EFS2 subsystem id, or null when neither answers. */
  efsSubsystem: number | null;
}

/**
 * Version, build id and EFS2 subsystem of a modem.
 * @example const info = await diagInfo(modem);
 */
export async function diagInfo(dev: DiagDevice): Promise<DiagInfo> {
  const v = await dev.version();
  const b = await dev.buildId();
  let efsSubsystem: number | null = null;
  try {
    efsSubsystem = await dev.efsSubsystem();
  } catch (e) {
    if ((e as { code?: string }).code !== 'NV_DIAG_NO_EFS') throw e;
  }
  return {
    model: b.modelString,
    mobileModel: b.mobileModel,
    swRevision: b.swRevision,
    msmHwVersion: b.msmHwVersion,
    compileDate: `${v.compileDate} ${v.compileTime}`,
    releaseDate: `${v.releaseDate} ${v.releaseTime}`,
    efsSubsystem,
  };
}

function checkAbort(signal: AbortSignal | undefined, where: string): void {
  if (signal?.aborted === true)
    throw new NvError('NV_DIAG_ABORTED', `interrupted ${where}; the last file or item was finished`);
}

/** One row of an EFS listing. */
export interface EfsListRow {
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'item';
  mode: number;
  size: number;
}

/**
 * Lists a folder (recursively with `recursive`), sorted by path. A folder that cannot be opened inside a
 * recursive walk is reported in `skipped`, not fatal.
 */
export async function efsList(
  dev: DiagDevice,
  path: string,
  options: { recursive?: boolean; signal?: AbortSignal; maxEntries?: number } = {},
): Promise<{ entries: EfsListRow[]; skipped: { path: string; reason: string }[] }> {
  const entries: EfsListRow[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const max = options.maxEntries ?? 100_000;
  const queue = [path];
  let first = true;
  while (queue.length > 0) {
    const dir = queue.shift() as string;
    checkAbort(options.signal, `listing ${dir}`);
    let rows;
    try {
      rows = await dev.listDir(dir);
    } catch (e) {
      if (first || (e as { code?: string }).code !== 'NV_DIAG_EFS_ERRNO') throw e;
      skipped.push({ path: dir, reason: (e as Error).message });
      continue;
    }
    first = false;
    for (const r of rows) {
      entries.push({ path: r.path, type: r.type, mode: r.mode, size: r.size });
      if (entries.length > max) throw new NvError('NV_LIMIT', `more than ${max} EFS entries under ${path}`, { path });
      if (r.type === 'dir' && options.recursive === true) queue.push(r.path);
    }
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { entries, skipped };
}

/**
 * One file's bytes: item files through GET (falling back to OPEN/READ), others through OPEN/READ.
 * @throws NvError `NV_DIAG_EFS_ERRNO` (ENOENT …)
 */
export async function efsGet(dev: DiagDevice, path: string): Promise<{ data: Uint8Array; type: 'item' | 'file' }> {
  const st = await dev.stat(path);
  if (st === undefined)
    throw new NvError('NV_DIAG_EFS_ERRNO', `EFS2 stat ${path}: ENOENT (2)`, { path, data: { errno: 2 } });
  if ((st.mode & 0o170000) === 0o160000) {
    try {
      return { data: await dev.getItem(path), type: 'item' };
    } catch (e) {
      if ((e as { code?: string }).code !== 'NV_DIAG_BAD_COMMAND') throw e;
    }
    return { data: await dev.readFile(path), type: 'item' };
  }
  if ((st.mode & 0o170000) === 0o040000)
    throw new NvError('NV_DIAG_EFS_ERRNO', `EFS2 get ${path}: EISDIR (21)`, { path, data: { errno: 21 } });
  return { data: await dev.readFile(path), type: 'file' };
}

/** Writes one file: an item file (≤ 128 B) through PUT, a regular file through OPEN/WRITE/CLOSE. */
export async function efsPut(dev: DiagDevice, path: string, data: Uint8Array, type?: 'item' | 'file'): Promise<void> {
  const t = type ?? (data.length <= 128 ? 'item' : 'file');
  if (t === 'item') await dev.putItem(path, data);
  else await dev.writeFile(path, data);
}

/**
 * Pulls an EFS subtree into a tree model (paths as on the device), ready for `writeEfsFolder` and then
 * `nv qcom efs pack`. Unreadable files and folders are listed in `skipped`.
 */
export async function efsPull(
  dev: DiagDevice,
  root = '/',
  options: { signal?: AbortSignal; exclude?: (path: string) => boolean; onFile?: (path: string) => void } = {},
): Promise<{ tree: EfsTree; files: number; dirs: number; skipped: { path: string; reason: string }[] }> {
  const listing = await efsList(dev, root, { recursive: true, ...(options.signal ? { signal: options.signal } : {}) });
  const skipped = [...listing.skipped];
  const entries: EfsEntry[] = [];
  let files = 0;
  let dirs = 0;
  const base = { uid: 0, gid: 0, mtime: DEVICE_MTIME };
  for (const row of listing.entries) {
    checkAbort(options.signal, `pulling ${row.path}`);
    if (options.exclude?.(row.path) === true) continue;
    const mode = row.mode !== 0 ? row.mode : DEFAULT_MODES[row.type === 'symlink' ? 'symlink' : row.type];
    try {
      if (row.type === 'dir') {
        entries.push({ path: row.path, type: 'dir', mode, ...base });
        dirs++;
      } else if (row.type === 'symlink') {
        entries.push({ path: row.path, type: 'symlink', mode, target: await dev.readlink(row.path), ...base });
      } else {
        const { data, type } = await efsGet(dev, row.path);
        entries.push({ path: row.path, type, mode: mode & 0o170000 ? mode : DEFAULT_MODES[type], data, ...base });
        files++;
        options.onFile?.(row.path);
      }
    } catch (e) {
      if ((e as { code?: string }).code !== 'NV_DIAG_EFS_ERRNO') throw e;
      skipped.push({ path: row.path, reason: (e as Error).message });
    }
  }
  return { tree: { entries }, files, dirs, skipped };
}

/** Folders whose files a backup takes (besides numbered items), when present. */
export const BACKUP_FOLDERS: readonly string[] = Object.freeze([
  '/nv/item_files',
  '/nv/item_store',
  '/policyman',
  '/pdp_profiles',
]);

/** Options of {@link backupToQcn}. */
export interface BackupOptions {
  /** Numbered items to read: an NV info table (sizes and array sizes, e.g. from an NvDefinition) … */
  nvInfo?: readonly NvInfoEntry[];
  /** … or plain ids (scanned; "not active", "bad parameter" and "not defined" are skipped). Default 0…7999. */
  ids?: Iterable<number>;
  /** Subscriptions to read through the indexed command besides 0 (e.g. [1] on a dual-SIM modem). */
  subscriptions?: readonly number[];
  /** EFS folders to take (default {@link BACKUP_FOLDERS}); `[]` for items only. */
  folders?: readonly string[];
  /** QCN model number (default: the modem's mobile model). */
  model?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Reads a live modem into a QCN model (write it with `encodeQcn`/`encodeXqcn` of `@nv/qcom-efs`): numbered items as
 * 128-byte records, and the item files of {@link BACKUP_FOLDERS} sorted into stores by `efsTreeToQcn`.
 */
export async function backupToQcn(
  dev: DiagDevice,
  options: BackupOptions = {},
): Promise<{
  qcn: Qcn;
  items: number;
  efs: number;
  skipped: { path: string; reason: string }[];
  warnings: EfsWarning[];
}> {
  const items: QcnItem[] = [];
  const plan: { id: number; arraySize: number }[] = options.nvInfo
    ? options.nvInfo.map((e) => ({ id: e.id, arraySize: e.arraySize }))
    : [...(options.ids ?? range(0, 8000))].map((id) => ({ id, arraySize: 0 }));
  const subs = [0, ...(options.subscriptions ?? [])];
  let done = 0;
  for (const { id, arraySize } of plan) {
    for (const sub of subs) {
      for (let k = 0; k < Math.max(1, arraySize); k++) {
        checkAbort(options.signal, `reading NV ${id}`);
        const r = await dev.nvRead(id, {
          ...(sub > 0 ? { subscription: sub } : {}),
          ...(arraySize > 0 ? { arrayIndex: k } : {}),
        });
        if (r.status !== NV_STATUS.DONE) continue;
        items.push({ id, index: arraySize > 0 ? k : 0, subscription: sub, payload: r.data });
      }
    }
    options.onProgress?.(++done, plan.length);
  }
  const skipped: { path: string; reason: string }[] = [];
  const entries: EfsEntry[] = [];
  for (const folder of options.folders ?? BACKUP_FOLDERS) {
    if ((await dev.stat(folder)) === undefined) continue;
    const pulled = await efsPull(dev, folder, options.signal ? { signal: options.signal } : {});
    entries.push(...pulled.tree.entries);
    skipped.push(...pulled.skipped);
  }
  const { qcn: fromTree, warnings } = efsTreeToQcn({ entries });
  // RFNV items (ids ≥ 20000) are item files under /nv/item_files/rfnv: keep the file, drop the duplicate record.
  const rfnv = new Set(fromTree.efs.map((f) => f.path));
  const kept = items.filter(
    (it) => it.id < 20000 || !rfnv.has(`/nv/item_files/rfnv/${String(it.id).padStart(8, '0')}`),
  );
  const model = options.model ?? (await dev.buildId()).mobileModel & 0xffff;
  const qcn: Qcn = { model, items: kept, efs: fromTree.efs, extra: [] };
  return { qcn, items: kept.length, efs: fromTree.efs.length, skipped, warnings };
}

function* range(from: number, to: number): Generator<number> {
  for (let i = from; i < to; i++) yield i;
}

/** One refusal of a restore or write. */
export interface Refusal {
  id?: number;
  subscription?: number;
  path?: string;
  code: string;
  reason: string;
}

/**
 * The QCN of what a write is about to replace: the current value of each NV item and EFS file (those that do not
 * exist yet are listed in `absent`). Write it before writing.
 */
export async function snapshotTouched(
  dev: DiagDevice,
  touched: { items?: readonly { id: number; subscription?: number; arrayIndex?: number }[]; paths?: readonly string[] },
  model = 0,
): Promise<{ qcn: Qcn; absent: string[] }> {
  const items: QcnItem[] = [];
  const efs: QcnEfsFile[] = [];
  const absent: string[] = [];
  for (const t of touched.items ?? []) {
    const r = await dev.nvRead(t.id, {
      ...(t.subscription ? { subscription: t.subscription } : {}),
      ...(t.arrayIndex !== undefined ? { arrayIndex: t.arrayIndex } : {}),
    });
    if (r.status === NV_STATUS.DONE)
      items.push({ id: t.id, index: t.arrayIndex ?? 0, subscription: t.subscription ?? 0, payload: r.data });
    else absent.push(`NV ${t.id} (${r.statusName})`);
  }
  for (const p of touched.paths ?? []) {
    const st = await dev.stat(p);
    if (st === undefined || (st.mode & 0o170000) === 0o040000) {
      absent.push(p);
      continue;
    }
    const { data } = await efsGet(dev, p);
    efs.push({ store: 'EFS_Backup', path: p, data });
  }
  return { qcn: { model, items, efs, extra: [] }, absent };
}

/** What a restore would write (for the plan shown before `--yes` and for the automatic backup). */
export function restorePlan(qcn: Qcn): {
  items: { id: number; subscription: number; arrayIndex?: number }[];
  paths: string[];
  refused: Refusal[];
} {
  const refused: Refusal[] = [];
  const items: { id: number; subscription: number; arrayIndex?: number }[] = [];
  for (const it of qcn.items) {
    if (IDENTITY_NV_IDS.has(it.id)) {
      refused.push({
        id: it.id,
        subscription: it.subscription,
        code: 'NV_DIAG_IDENTITY_ITEM',
        reason: `NV ${it.id} is a device identity item; never written`,
      });
      continue;
    }
    items.push({ id: it.id, subscription: it.subscription });
  }
  const paths: string[] = [];
  for (const f of qcn.efs) {
    if (!f.path.startsWith('/')) {
      refused.push({
        path: f.path,
        code: 'NV_DIAG_BAD_PARAMETER',
        reason: `${f.store} path ${f.path} is relative; its EFS folder is not known`,
      });
      continue;
    }
    paths.push(f.path);
  }
  return { items, paths, refused };
}

/**
 * Writes a QCN back into a live modem: every numbered item (identity items refused), then every EFS file
 * (absolute paths). Refusals (read-only, not defined, EACCES …) are collected, not fatal.
 */
export async function restoreFromQcn(
  dev: DiagDevice,
  qcn: Qcn,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ written: number; refused: Refusal[] }> {
  const refused = restorePlan(qcn).refused;
  let written = 0;
  const total = qcn.items.length + qcn.efs.length;
  let done = 0;
  for (const it of qcn.items) {
    checkAbort(options.signal, `before NV ${it.id}`);
    if (IDENTITY_NV_IDS.has(it.id)) continue;
    try {
      await dev.nvWrite(it.id, it.payload, it.subscription > 0 ? { subscription: it.subscription } : {});
      written++;
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (!['NV_DIAG_NV_STATUS', 'NV_DIAG_BAD_PARAMETER', 'NV_DIAG_BAD_COMMAND'].includes(code)) throw e;
      refused.push({ id: it.id, subscription: it.subscription, code, reason: (e as Error).message });
    }
    options.onProgress?.(++done, total);
  }
  for (const f of qcn.efs) {
    if (!f.path.startsWith('/')) continue;
    checkAbort(options.signal, `before ${f.path}`);
    try {
      // A QCN does not record item vs regular file: keep the kind of the file being replaced, else by size.
      const st = await dev.stat(f.path);
      const kind =
        st !== undefined && (st.mode & 0o170000) === 0o100000 ? 'file' : f.data.length <= 128 ? 'item' : 'file';
      await efsPut(dev, f.path, f.data, kind);
      written++;
    } catch (e) {
      const code = (e as { code?: string }).code ?? '';
      if (code !== 'NV_DIAG_EFS_ERRNO' && code !== 'NV_DIAG_BAD_COMMAND') throw e;
      refused.push({ path: f.path, code, reason: (e as Error).message });
    }
    options.onProgress?.(++done, total);
  }
  return { written, refused };
}
