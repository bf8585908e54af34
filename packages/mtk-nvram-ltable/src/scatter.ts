/**
 * SP Flash Tool scatter files (`MTxxxx_Android_scatter.txt`, the YAML-like v1.1+ layout) and the upgrade mode a
 * download implies for NVRAM: which of nvdata, protect1/protect2 and the nvram bin region it writes.
 * @module
 */
import { NvError } from '@nv/core';
import type { LtableUpgradeMode } from './plan.ts';

/** Largest scatter file read (real ones are 10–60 KiB). */
export const SCATTER_MAX_CHARS: number = 4 * 1024 * 1024;

/** One `- partition_index:` block. */
export interface ScatterPartition {
  /** `partition_index` (e.g. `SYS12`). */
  index: string;
  /** `partition_name` as written (e.g. `nvdata`, `NVRAM`, `PROTECT_F`). */
  name: string;
  /** `file_name`, absent when `NONE`. */
  fileName?: string;
  isDownload: boolean;
  /** `type` (e.g. `EXT4_IMG`, `NORMAL_ROM`). */
  type?: string;
  /** `operation_type` (e.g. `UPDATE`, `BINREGION`, `PROTECTED`, `INVISIBLE`, `BOOTLOADERS`). */
  operationType?: string;
  /** 1-based line of `- partition_index:`. */
  line: number;
  /** Every `key: value` of the block. */
  fields: Record<string, string>;
}

/** A parsed scatter file. */
export interface Scatter {
  /** `platform` of the `- general:` block (e.g. `MT6765`). */
  platform?: string;
  project?: string;
  storage?: string;
  configVersion?: string;
  partitions: ScatterPartition[];
}

/**
 * Parses a scatter file: a `- general: MTK_PLATFORM_CFG` block with `info:` and one `- partition_index:` block
 * per partition, `key: value` lines, `#` comments. The pre-2013 `NAME 0xADDR { }` layout is refused with a hint.
 * @throws NvError `NV_LTABLE_SCATTER_SYNTAX` (line and offset), `NV_LIMIT`.
 * @example parseScatter(text).partitions.find((p) => p.name === 'nvram')?.operationType // 'BINREGION'
 */
export function parseScatter(text: string, options: { path?: string } = {}): Scatter {
  if (text.length > SCATTER_MAX_CHARS)
    throw new NvError('NV_LIMIT', `scatter file over ${SCATTER_MAX_CHARS} characters`, { path: options.path });
  const out: Scatter = { partitions: [] };
  let cur: ScatterPartition | undefined;
  let inGeneral = false;
  let offset = 0;
  const lines = text.split('\n');
  const fail = (line: number, at: number, msg: string): never => {
    throw new NvError('NV_LTABLE_SCATTER_SYNTAX', `line ${line}: ${msg}`, {
      path: options.path,
      offset: at,
      data: { line },
    });
  };
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const at = offset;
    offset += lines[i]!.length + 1;
    const raw = lines[i]!.replace(/\r$/, '');
    const hash = raw.indexOf('#');
    const body = (hash >= 0 ? raw.slice(0, hash) : raw).trimEnd();
    if (body.trim() === '') continue;
    if (/^[A-Za-z_][\w]*\s+0x[0-9a-fA-F]+\s*$/.test(body.trim()) || body.trim() === '{' || body.trim() === '}')
      fail(lineNo, at, 'this is the pre-2013 scatter layout (NAME 0xADDR { }); give a v1.1+ scatter file');
    const m = /^(\s*)(-\s+)?([A-Za-z_][\w]*)\s*:\s*(.*)$/.exec(body);
    if (!m) fail(lineNo, at, `expected "key: value", found "${body.trim().slice(0, 40)}"`);
    const [, , dash, key, value] = m!;
    const v = value!.trim();
    if (dash !== undefined && key === 'general') {
      inGeneral = true;
      cur = undefined;
      continue;
    }
    if (key === 'partition_index') {
      if (dash === undefined) fail(lineNo, at, '"partition_index" must start a "- " block');
      inGeneral = false;
      cur = { index: v, name: '', isDownload: false, line: lineNo, fields: { partition_index: v } };
      out.partitions.push(cur);
      continue;
    }
    if (inGeneral) {
      if (key === 'platform') out.platform = v;
      else if (key === 'project') out.project = v;
      else if (key === 'storage') out.storage = v;
      else if (key === 'config_version') out.configVersion = v;
      continue;
    }
    if (!cur) fail(lineNo, at, `"${key}" outside a "- partition_index:" block`);
    cur!.fields[key!] = v;
    if (key === 'partition_name') cur!.name = v;
    else if (key === 'file_name' && v !== 'NONE' && v !== '') cur!.fileName = v;
    else if (key === 'is_download') {
      if (!/^(true|false)$/i.test(v)) fail(lineNo, at, `is_download must be true or false, not "${v}"`);
      cur!.isDownload = v.toLowerCase() === 'true';
    } else if (key === 'type') cur!.type = v;
    else if (key === 'operation_type') cur!.operationType = v;
  }
  for (const p of out.partitions) if (p.name === '') fail(p.line, 0, `partition ${p.index} has no partition_name`);
  if (out.partitions.length === 0) fail(1, 0, 'no "- partition_index:" block: not a scatter file');
  return out;
}

/** NVRAM partition roles. */
export type ScatterNvramRole = 'nvdata' | 'protect' | 'bin-region';

/**
 * The NVRAM role of a partition: `operation_type: BINREGION` or the name `nvram` is the bin region; `PROTECTED`
 * or `protect1/2`, `protect_f/s` is protect; `nvdata` is nvdata.
 * @example scatterRole({ name: 'protect1', … }) // 'protect'
 */
export function scatterRole(p: Pick<ScatterPartition, 'name' | 'operationType'>): ScatterNvramRole | undefined {
  const n = p.name.toLowerCase();
  const op = (p.operationType ?? '').toUpperCase();
  if (op === 'BINREGION' || n === 'nvram') return 'bin-region';
  if (op === 'PROTECTED' || /^protect(1|2|_f|_s)$/.test(n)) return 'protect';
  if (n === 'nvdata') return 'nvdata';
  return undefined;
}

/** Result of {@link inferUpgradeMode}. */
export interface ScatterModeInference {
  mode: LtableUpgradeMode;
  /** The bin region after the download (`empty` when it is written or formatted). */
  binRegion: 'present' | 'empty';
  /** Partitions the download writes, by role. */
  written: { nvdata: string[]; protect: string[]; binRegion: string[] };
  /** Why, one sentence per finding. */
  reasons: string[];
}

/**
 * Which upgrade mode a download is for NVRAM (docs/formats/lid-table.md#modes): nothing of nvdata/protect/bin region written ⇒
 * `download-only`; nvdata written, protect and bin region kept ⇒ `firmware-upgrade`; protect written ⇒
 * `format-all` (the SIM lock and protect data are lost, as in Format All); the bin region written ⇒ its backup is
 * gone (`binRegion: 'empty'`). `download` lists partition names (case-insensitive); without it, every partition with
 * `is_download: true` (SP Flash Tool's default selection).
 * @throws NvError `NV_LTABLE_SCATTER_UNKNOWN_PARTITION` for a name the scatter does not have.
 * @example inferUpgradeMode(parseScatter(text), ['nvdata', 'system']).mode // 'firmware-upgrade'
 */
export function inferUpgradeMode(
  scatter: Scatter,
  download?: readonly string[],
  options: { path?: string } = {},
): ScatterModeInference {
  const byName = new Map(scatter.partitions.map((p) => [p.name.toLowerCase(), p]));
  let chosen: ScatterPartition[];
  const reasons: string[] = [];
  if (download === undefined) {
    chosen = scatter.partitions.filter((p) => p.isDownload);
    reasons.push(`no --download list: the ${chosen.length} partitions with is_download: true are written`);
  } else {
    chosen = download.map((d) => {
      const p = byName.get(d.trim().toLowerCase());
      if (!p)
        throw new NvError(
          'NV_LTABLE_SCATTER_UNKNOWN_PARTITION',
          `the scatter file has no partition "${d}" (it has ${scatter.partitions.map((x) => x.name).join(', ')})`,
          { path: options.path, data: { partition: d } },
        );
      return p;
    });
  }
  const written = { nvdata: [] as string[], protect: [] as string[], binRegion: [] as string[] };
  for (const p of chosen) {
    const role = scatterRole(p);
    if (role === 'nvdata') written.nvdata.push(p.name);
    else if (role === 'protect') written.protect.push(p.name);
    else if (role === 'bin-region') written.binRegion.push(p.name);
    if (role)
      reasons.push(
        `${p.name} (${p.operationType ?? 'no operation_type'}${p.fileName ? `, file ${p.fileName}` : ', no file: formatted'}) is written: ${role === 'bin-region' ? 'the bin-region backup is replaced' : `${role} is erased`}`,
      );
  }
  for (const p of scatter.partitions) {
    const role = scatterRole(p);
    if (role && !chosen.includes(p)) reasons.push(`${p.name} is not written: ${role} is kept`);
  }
  let mode: LtableUpgradeMode;
  if (written.protect.length > 0) {
    mode = 'format-all';
    reasons.push('protect is written, so SIM lock and protect data are lost: planned as format-all');
    if (written.binRegion.length === 0)
      reasons.push('the bin region is kept, so CALIBRAT and NVD_IMEI can still be restored from it');
  } else if (written.nvdata.length > 0) {
    mode = 'firmware-upgrade';
    reasons.push('nvdata is written while protect is kept: planned as firmware-upgrade');
  } else {
    mode = 'download-only';
    reasons.push('no NVRAM data partition is written: planned as download-only (only the version check runs)');
  }
  const binRegion = written.binRegion.length > 0 ? 'empty' : 'present';
  if (binRegion === 'empty') reasons.push('the bin region is written: planned with an empty bin region');
  return { mode, binRegion, written, reasons };
}
