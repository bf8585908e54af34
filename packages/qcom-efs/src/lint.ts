/**
 * Preload lint (docs/formats/efs-tar.md#pitfalls, cli.md `nv qcom efs lint`): runtime state, factory-information NVs, items missing
 * from the definition, and names/sizes the modem rejects. Works on an EFS tree; a QCN is linted through its tree view.
 * @module
 */
import { NvError } from '@nv/core';
import { encodeLatin1 } from '@nv/core/bytes';
import { NV_ITEM_PATH_RE, nvItemPath } from './nv-path.ts';
import { decodeCfb, encodeCfb, type CfbEntry } from './cfb.ts';
import { decodeXqcn, encodeXqcn } from './xqcn.ts';
import type { NvDefinition } from './compile.ts';
import type { NvInfoEntry } from './qcn-efs.ts';
import {
  NUMBERED_STORAGE,
  QCN_RECORD_BYTES,
  decodeQcn,
  isOpaqueQcnStream,
  qcnFromEntries,
  qcnToEntries,
  type Qcn,
} from './qcn.ts';
import { MAX_ITEM_BYTES, S_IFMT, defaultKind, type EfsTree, type EfsWarning } from './tree.ts';
import { REPACK_HINT, ustarSplit, type TarMember } from './tar.ts';
import { FACTORY_NV_IDS } from './factory-nv.ts';

/** One lint finding (cli.md shape). */
export interface LintFinding {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly path?: string;
  readonly id?: number;
  readonly message: string;
}

/**
 * Built-in runtime-state paths (docs/formats/efs-tar.md#pitfalls #12): a path, or a folder when it ends in `/`. Policy-manager state
 * (`/policyman/`), except `/policyman/device_config.xml`, which guides keep. Extend with `runtimePaths`.
 */
export const RUNTIME_PATHS: readonly string[] = Object.freeze(['/policyman/']);
const RUNTIME_KEEP = new Set(['/policyman/device_config.xml']);

/** Options of {@link lintEfsTree}. */
export interface LintOptions {
  /** Report numbered items and EFS items the definition lacks. */
  readonly definition?: NvDefinition;
  /** Internal sizes to check `/nvm/num` files against (docs/formats/efs-tar.md#pitfalls #1). */
  readonly nvInfo?: readonly NvInfoEntry[];
  /** Extra factory NV ids (added to {@link FACTORY_NV_IDS}). */
  readonly factoryIds?: readonly number[];
  /** Extra runtime-state NV ids (written by the modem while online). */
  readonly runtimeIds?: readonly number[];
  /** Extra runtime-state EFS paths (a folder when it ends in `/`), added to {@link RUNTIME_PATHS}. */
  readonly runtimePaths?: readonly string[];
}

/** The user-extendable lists of {@link LintOptions}, as read from a `--lists` JSON file. */
export interface LintLists {
  readonly factoryIds: number[];
  readonly runtimeIds: number[];
  readonly runtimePaths: string[];
}

/**
 * Reads a lists JSON value: `{"factoryIds": [550, …], "runtimeIds": […], "runtimePaths": ["/policyman/", …]}`
 * (every key optional; ids 0…65535, paths absolute).
 * @throws NvError `NV_EFS_BAD_LINT_LIST`
 * @example parseLintLists({ factoryIds: [6853] }).factoryIds // [6853]
 */
export function parseLintLists(json: unknown, file = 'lists'): LintLists {
  const bad = (what: string): never => {
    throw new NvError('NV_EFS_BAD_LINT_LIST', `${file}: ${what}`, { path: file });
  };
  if (typeof json !== 'object' || json === null || Array.isArray(json)) bad('not a JSON object');
  const o = json as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!['factoryIds', 'runtimeIds', 'runtimePaths'].includes(k))
      bad(`unknown key "${k}" (factoryIds, runtimeIds, runtimePaths)`);
  const ids = (k: string): number[] => {
    const v = o[k] ?? [];
    if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 0xffff))
      bad(`"${k}" must be a list of NV ids 0..65535`);
    return v as number[];
  };
  const paths = o['runtimePaths'] ?? [];
  if (!Array.isArray(paths) || !paths.every((x) => typeof x === 'string' && x.startsWith('/')))
    bad('"runtimePaths" must be a list of absolute EFS paths');
  return { factoryIds: ids('factoryIds'), runtimeIds: ids('runtimeIds'), runtimePaths: paths as string[] };
}

/** True if an EFS path is runtime state by {@link RUNTIME_PATHS} or `runtimePaths`. */
function isRuntimePath(p: string, options: Pick<LintOptions, 'runtimePaths'>): boolean {
  if (RUNTIME_KEEP.has(p) && options.runtimePaths?.includes(p) !== true) return false;
  return [...RUNTIME_PATHS, ...(options.runtimePaths ?? [])].some((r) => (r.endsWith('/') ? p.startsWith(r) : p === r));
}

function factoryName(id: number, options: LintOptions): string | undefined {
  return FACTORY_NV_IDS[id] ?? (options.factoryIds?.includes(id) === true ? 'factory data' : undefined);
}

/**
 * Lints an EFS tree as a preload (docs/formats/efs-tar.md#pitfalls #1, #6, #8, #9, #12, #16).
 * @example const { ok, findings } = lintEfsTree(tree, { definition });
 */
export function lintEfsTree(tree: EfsTree, options: LintOptions = {}): { ok: boolean; findings: LintFinding[] } {
  const findings: LintFinding[] = [];
  const info = new Map((options.nvInfo ?? []).map((e) => [e.id, e]));
  for (const e of tree.entries) {
    const p = e.path;
    const nameBytes = encodeLatin1(p);
    if (nameBytes.length > 99) {
      // Same rule as `pack --format ustar` (ustarSplit): the modem honours a POSIX prefix (docs/formats/efs-tar.md#tar), so a splittable
      // name is only a warning; an unsplittable one fits no device tar (issue 14.7).
      if (ustarSplit(nameBytes) < 0)
        findings.push({
          severity: 'error',
          code: 'NV_EFS_TAR_NAME_TOO_LONG',
          path: p,
          message: `${p} is ${nameBytes.length} bytes and cannot be split into a 155-B prefix and a 99-B name: no device tar can hold it; shorten the path (§5 #6)`,
        });
      else
        findings.push({
          severity: 'warning',
          code: 'NV_EFS_TAR_NAME_TOO_LONG',
          path: p,
          message: `${p} is ${nameBytes.length} bytes: only \`nv qcom efs pack --format ustar\` stores it (POSIX prefix, which the modem honours, §2.7), and the device dumper skips names of 100 bytes or more when it backs up the EFS (§5 #6)`,
        });
    }
    if (e.uid !== 0 || e.gid !== 0)
      findings.push({
        severity: 'warning',
        code: 'NV_EFS_TAR_SUSPECT_ENTRY',
        path: p,
        message: `${p} has owner ${e.uid}:${e.gid}; the modem chowns non-items to it (§5 #9)`,
      });
    if (p === '/safe/sfs' || p.startsWith('/safe/sfs/'))
      findings.push({
        severity: 'warning',
        code: 'NV_EFS_TAR_SUSPECT_ENTRY',
        path: p,
        message: `${p}: /safe/sfs is never packed (§3.10)`,
      });
    if (e.type !== 'dir' && isRuntimePath(p, options)) {
      findings.push({
        severity: 'warning',
        code: 'NV_EFS_LINT_RUNTIME_STATE',
        path: p,
        message: p.startsWith('/policyman/')
          ? `${p} is policy-manager runtime state; guides keep only /policyman/device_config.xml (§5 #12; --strip-factory removes it)`
          : `${p} is listed as runtime state (§5 #12; --strip-factory removes it)`,
      });
    }
    const size = e.data?.length ?? 0;
    if (e.type === 'item' && size > MAX_ITEM_BYTES)
      findings.push({
        severity: 'warning',
        code: 'NV_EFS_TAR_SUSPECT_ENTRY',
        path: p,
        message: `${p} is an item of ${size} bytes (> 128): stored as a regular file (§5 #8)`,
      });
    if (/^\/nv\/item_files\/rfnv\/\d{8}$/.test(p) && size > 8192)
      findings.push({
        severity: 'error',
        code: 'NV_EFS_ITEM_TOO_LARGE',
        path: p,
        message: `${p} is ${size} bytes; RFNV holds at most 8192 (§5 #16)`,
      });
    const m = NV_ITEM_PATH_RE.exec(p);
    if (m !== null && e.data !== undefined) {
      const id = Number(m[2]);
      const f = factoryName(id, options);
      if (f !== undefined)
        findings.push({
          severity: 'warning',
          code: 'NV_EFS_LINT_FACTORY_DATA',
          path: p,
          id,
          message: `NV ${id} (${f}) is device-unique factory data: every device would get the same value (--strip-factory removes it)`,
        });
      if (options.runtimeIds?.includes(id) === true)
        findings.push({
          severity: 'warning',
          code: 'NV_EFS_LINT_RUNTIME_STATE',
          path: p,
          id,
          message: `NV ${id} is written by the modem while online; dump the QCN offline (§5 #12)`,
        });
      if (options.definition !== undefined && !options.definition.items.has(id))
        findings.push({
          severity: 'warning',
          code: 'NV_EFS_LINT_NOT_IN_DEFINITION',
          path: p,
          id,
          message: `NV ${id} is not in the NvDefinition`,
        });
      const want = info.get(id);
      if (want !== undefined && want.size !== size)
        findings.push({
          severity: 'error',
          code: 'NV_EFS_NV_SIZE_MISMATCH',
          path: p,
          id,
          message: `${p} is ${size} bytes but NV ${id} is ${want.size}: the modem deletes it on read (§5 #1)`,
        });
    } else if (
      options.definition !== undefined &&
      e.data !== undefined &&
      p.startsWith('/nv/item_files/') &&
      !p.startsWith('/nv/item_files/conf/') &&
      !/^\/nv\/item_files\/rfnv\/\d{8}$/.test(p)
    ) {
      const base = p.replace(/_Subscription\d\d$/, '');
      if (!options.definition.efsItems.has(p) && !options.definition.efsItems.has(base))
        findings.push({
          severity: 'warning',
          code: 'NV_EFS_LINT_NOT_IN_DEFINITION',
          path: p,
          message: `EFS item ${p} is not in the NvDefinition`,
        });
    }
  }
  return { ok: !findings.some((f) => f.severity === 'error'), findings };
}

/** Where a numbered record lives as an EFS file (`/nvm/num/<id>`, `/nvm/context<n>/<id>`). */
function recordPath(id: number, subscription: number): string {
  return nvItemPath(id, 0, subscription);
}

/**
 * Lints a QCN: its numbered items by id (factory/runtime/definition), its store files by path, and its streams:
 * a stream the reader did not understand is a warning (`NV_EFS_QCN_UNKNOWN_STREAM`), and a stream under an
 * `NV_NUMBERED_ITEMS` storage that gave no records is an error (`NV_EFS_QCN_ITEMS_UNREAD`): a lint that saw no
 * numbered items there would be falsely clean.
 * @example lintQcn(qcn).findings
 */
export function lintQcn(qcn: Qcn, options: LintOptions = {}): { ok: boolean; findings: LintFinding[] } {
  const findings: LintFinding[] = [];
  const modelName = qcn.modelName ?? String(qcn.model).padStart(8, '0');
  for (const e of qcn.extra) {
    if (e.type !== 'stream' || isOpaqueQcnStream(e.path, modelName)) continue;
    const numbered = e.path.split('/').some((p) => p.toUpperCase() === NUMBERED_STORAGE);
    findings.push(
      numbered
        ? {
            severity: 'error',
            code: 'NV_EFS_QCN_ITEMS_UNREAD',
            path: e.path,
            message: `${e.path} (${e.data?.length ?? 0} bytes) is in an ${NUMBERED_STORAGE} storage but no numbered item was read from it: factory items in it would go unnoticed`,
          }
        : {
            severity: 'warning',
            code: 'NV_EFS_QCN_UNKNOWN_STREAM',
            path: e.path,
            message: `${e.path} (${e.data?.length ?? 0} bytes) is a stream the reader does not understand; not linted, kept as is`,
          },
    );
  }
  for (const i of qcn.items) {
    const path = recordPath(i.id, i.subscription);
    const f = factoryName(i.id, options);
    if (f !== undefined)
      findings.push({
        severity: 'warning',
        code: 'NV_EFS_LINT_FACTORY_DATA',
        path,
        id: i.id,
        message: `NV ${i.id} (${f}) is device-unique factory data (--strip-factory removes it)`,
      });
    if (options.runtimeIds?.includes(i.id) === true)
      findings.push({
        severity: 'warning',
        code: 'NV_EFS_LINT_RUNTIME_STATE',
        path,
        id: i.id,
        message: `NV ${i.id} is written by the modem while online; take the QCN offline (--strip-factory removes it)`,
      });
    if (options.definition !== undefined && !options.definition.items.has(i.id))
      findings.push({
        severity: 'warning',
        code: 'NV_EFS_LINT_NOT_IN_DEFINITION',
        path,
        id: i.id,
        message: `NV ${i.id} is not in the NvDefinition`,
      });
  }
  const files = lintEfsTree(
    {
      entries: qcn.efs
        .filter((f) => f.path.startsWith('/'))
        .map((f) => ({ path: f.path, type: 'file', mode: 0o100777, uid: 0, gid: 0, mtime: 0, data: f.data })),
    },
    { ...options, nvInfo: [] },
  );
  for (const f of files.findings) findings.push(f); // not push(...): 10⁵ findings overflow the stack
  return { ok: !findings.some((f) => f.severity === 'error'), findings };
}

/** What `--strip-factory` removes: factory or runtime ids, runtime paths. */
export type StripOptions = Pick<LintOptions, 'factoryIds' | 'runtimeIds' | 'runtimePaths'>;

/** Why an EFS path is stripped (undefined: kept). */
function stripPathReason(p: string, options: StripOptions): string | undefined {
  const m = NV_ITEM_PATH_RE.exec(p);
  if (m !== null) {
    const r = stripIdReason(Number(m[2]), options);
    if (r !== undefined) return r;
  }
  return isRuntimePath(p, options) ? 'runtime state' : undefined;
}

function stripIdReason(id: number, options: StripOptions): string | undefined {
  const f = factoryName(id, options);
  if (f !== undefined) return f;
  return options.runtimeIds?.includes(id) === true ? 'runtime state' : undefined;
}

/**
 * Removes factory NVs and runtime state (docs/formats/efs-tar.md#pitfalls #12, `--strip-factory`) from a tree: `/nvm/num` and `/nvm/context<n>`
 * files of factory/runtime ids, and runtime paths.
 * @example stripFactoryFromTree(tree).removed // ['/nvm/num/550', '/policyman/ue_mode']
 */
export function stripFactoryFromTree(tree: EfsTree, options: StripOptions = {}): { tree: EfsTree; removed: string[] } {
  const removed: string[] = [];
  const entries = tree.entries.filter((e) => {
    const drop = e.type !== 'dir' && stripPathReason(e.path, options) !== undefined;
    if (drop) removed.push(e.path);
    return !drop;
  });
  return { tree: { entries }, removed };
}

/**
 * Removes factory NVs and runtime state from a QCN model (records by id, store files by path).
 * @example stripFactoryFromQcnModel(qcn).removed // [550, 1943]
 */
export function stripFactoryFromQcnModel(qcn: Qcn, options: StripOptions = {}): { qcn: Qcn; removed: number[] } {
  const removed: number[] = [];
  const items = qcn.items.filter((i) => {
    const drop = stripIdReason(i.id, options) !== undefined;
    if (drop) removed.push(i.id);
    return !drop;
  });
  const efs = qcn.efs.filter((f) => stripPathReason(f.path, options) === undefined);
  return { qcn: { ...qcn, items, efs }, removed };
}

/** One thing `--strip-factory` removed from a QCN. */
export interface StrippedEntry {
  /** `record`: an NV_ITEM_ARRAY record; `file`: an EFS store file (its Dir and Data streams). */
  readonly kind: 'record' | 'file';
  /** EFS path (`/nvm/num/<id>` for a record). */
  readonly path: string;
  readonly id?: number;
  readonly index?: number;
  readonly subscription?: number;
  /** The stream(s) it was removed from. */
  readonly streams: readonly string[];
  /** Why: the factory name (`IMEI`, …) or `runtime state`. */
  readonly reason: string;
}

/**
 * `--strip-factory` on a QCN's compound-file tree, in place: drops the factory/runtime records from each
 * `NV_ITEM_ARRAY[_SIM_<n>]` stream (the other records keep their bytes and order) and the Dir/Data stream pairs of
 * factory/runtime store files; every other stream is kept byte for byte, under its own name (`<K>` keys, property
 * info, `Feature_Mask`, unknown streams). Write the result with `encodeCfb`.
 * @throws NvError as `qcnFromEntries`
 * @example const { entries, removed } = stripFactoryFromQcnEntries(decodeCfb(bytes)); encodeCfb(entries)
 */
export function stripFactoryFromQcnEntries(
  entries: readonly CfbEntry[],
  options: StripOptions = {},
): { entries: CfbEntry[]; removed: StrippedEntry[] } {
  const { qcn } = qcnFromEntries(entries); // validates the tree and finds the model storage and store keys
  const modelName = qcn.modelName as string;
  const lower = (p: string): string => p.toLowerCase();
  const removed: StrippedEntry[] = [];
  const drop = new Set<string>();
  for (const f of qcn.efs) {
    const reason = stripPathReason(f.path, options);
    if (reason === undefined || f.key === undefined) continue;
    const base = `${modelName}/default/${f.store}`;
    const streams = [`${base}/EFS_Dir/${f.key}`, `${base}/EFS_Data/${f.key}`];
    for (const s of streams) drop.add(lower(s));
    removed.push({ kind: 'file', path: f.path, streams, reason });
  }
  const arrayRe = new RegExp(
    `^${escapeRe(lower(modelName))}/(?:default/)?${lower(NUMBERED_STORAGE)}/nv_item_array(?:_sim_(\\d{1,2}))?$`,
  );
  const out: CfbEntry[] = [];
  for (const e of entries) {
    if (drop.has(lower(e.path))) continue;
    const m = e.type === 'stream' && e.data !== undefined ? arrayRe.exec(lower(e.path)) : null;
    if (m === null || e.data === undefined) {
      out.push(e);
      continue;
    }
    const data = e.data;
    const subscription = m[1] === undefined ? 0 : Number(m[1]);
    const v = new DataView(data.buffer, data.byteOffset, data.byteLength);
    const keep: Uint8Array[] = [];
    for (let at = 0; at + QCN_RECORD_BYTES <= data.length; at += QCN_RECORD_BYTES) {
      const id = v.getUint16(at + 4, true);
      const reason = stripIdReason(id, options);
      if (reason === undefined) keep.push(data.subarray(at, at + QCN_RECORD_BYTES));
      else
        removed.push({
          kind: 'record',
          path: recordPath(id, subscription),
          id,
          index: v.getUint16(at + 6, true),
          subscription,
          streams: [e.path],
          reason,
        });
    }
    if (keep.length * QCN_RECORD_BYTES === data.length) {
      out.push(e);
      continue;
    }
    const next = new Uint8Array(keep.length * QCN_RECORD_BYTES);
    keep.forEach((r, i) => next.set(r, i * QCN_RECORD_BYTES));
    out.push({ ...e, data: next });
  }
  return { entries: out, removed };
}

function escapeRe(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Lints an EFS image read from a tar (issue 14.5): the tree findings of {@link lintEfsTree} plus what only the tar
 * shows. GNU long-name and pax headers and other typeflags the modem rejects (docs/formats/efs-tar.md#pitfalls #5) are errors; relative names and
 * lost item type bits (docs/formats/efs-tar.md#pitfalls #7, a re-tar by a host tar) and other suspect entries are warnings.
 * @example lintEfsImage(await readEfsImageFile('fs_image.tar.gz', { strictTypeflag: false }))
 */
export function lintEfsImage(
  image: { readonly tree: EfsTree; readonly warnings: readonly EfsWarning[]; readonly members?: readonly TarMember[] },
  options: LintOptions = {},
): { ok: boolean; findings: LintFinding[] } {
  const findings: LintFinding[] = [];
  for (const w of image.warnings) {
    if (w.code === 'NV_EFS_BAD_TAR_TYPEFLAG')
      findings.push({
        severity: 'error',
        code: w.code,
        ...(w.path !== undefined ? { path: w.path } : {}),
        message: w.message,
      });
    else if (w.code === 'NV_EFS_TAR_SUSPECT_ENTRY')
      findings.push({
        severity: 'warning',
        code: w.code,
        ...(w.path !== undefined ? { path: w.path } : {}),
        message: w.message,
      });
  }
  const members = image.members ?? [];
  const data = members.filter((m) => m.typeflag === '0' || m.typeflag === '\0');
  const relative = members.filter(
    (m) =>
      m.typeflag !== 'x' &&
      m.typeflag !== 'g' &&
      m.typeflag !== 'L' &&
      m.typeflag !== 'K' &&
      !m.path.startsWith('/') &&
      !m.path.startsWith('efs_item_files/'),
  );
  if (relative.length > 0)
    findings.push({
      severity: 'warning',
      code: 'NV_EFS_TAR_SUSPECT_ENTRY',
      path: relative[0]?.path as string,
      message: `${relative.length} entries have relative names (${JSON.stringify(relative[0]?.path)}…) where the device writes absolute EFS paths; ${REPACK_HINT}`,
    });
  // docs/formats/efs-tar.md#pitfalls #7: a host tar keeps only permission bits, so no entry has a file type in its mode and items become files.
  const typeless = data.filter((m) => (m.mode & S_IFMT) === 0);
  if (data.length > 0 && typeless.length === data.length) {
    const items = typeless.filter(
      (m) => m.size <= MAX_ITEM_BYTES && defaultKind(m.path.replace(/^\.?\/?/, '/'), m.size) === 'item',
    );
    if (items.length > 0)
      findings.push({
        severity: 'warning',
        code: 'NV_EFS_TAR_SUSPECT_ENTRY',
        path: items[0]?.path as string,
        message: `no entry has file-type bits in its mode (a host tar made this archive): ${items.length} item files such as ${items[0]?.path} become regular files on the modem (§5 #7); ${REPACK_HINT}`,
      });
  }
  const tree = lintEfsTree(image.tree, options);
  for (const f of tree.findings) findings.push(f);
  return { ok: !findings.some((f) => f.severity === 'error'), findings };
}

/** What {@link lint} checks: a QCN model, or an EFS tree with what its reader saw (a folder: `{ tree, warnings: [] }`). */
export type LintSubject =
  Qcn | { readonly tree: EfsTree; readonly warnings: readonly EfsWarning[]; readonly members?: readonly TarMember[] };

/** Result of {@link lint}. */
export interface LintResult {
  /** `false` when any finding is an error. */
  readonly ok: boolean;
  readonly findings: LintFinding[];
}

/**
 * The preload lint (`nv qcom efs lint`, docs/formats/efs-tar.md#pitfalls): of a QCN model, or of an EFS image as read by
 * `readEfsImage` with `strictTypeflag: false` (tar-level findings: GNU/pax headers, relative names, lost item bits),
 * or of a folder's tree (`{ tree, warnings: [] }`).
 * @example const { ok, findings } = lint(readEfsImage(bytes, NODE_DEFLATE, { strictTypeflag: false }), { definition });
 */
export function lint(subject: LintSubject, options: LintOptions = {}): LintResult {
  return 'tree' in subject ? lintEfsImage(subject, options) : lintQcn(subject, options);
}

/**
 * Removes factory NVs and runtime state (`--strip-factory`, docs/formats/efs-tar.md#pitfalls #12). From a QCN or
 * XQCN file's bytes: in place on its compound-file tree (every other stream keeps its bytes and name), written as
 * `format` (default `qcn`), each removal listed. From an EFS tree: the `/nvm/num`, `/nvm/context<n>` files of
 * factory/runtime ids and the runtime paths.
 * @throws NvError the QCN/XQCN reader's codes
 * @example const { bytes, removed } = stripFactory(qcnBytes, { factoryIds: [6853] });
 */
export function stripFactory(
  qcn: Uint8Array,
  options?: StripOptions & { format?: 'qcn' | 'xqcn' },
): { bytes: Uint8Array; removed: StrippedEntry[] };
export function stripFactory(tree: EfsTree, options?: StripOptions): { tree: EfsTree; removed: string[] };
export function stripFactory(
  input: Uint8Array | EfsTree,
  options: StripOptions & { format?: 'qcn' | 'xqcn' } = {},
): { bytes: Uint8Array; removed: StrippedEntry[] } | { tree: EfsTree; removed: string[] } {
  if (!(input instanceof Uint8Array)) return stripFactoryFromTree(input, options);
  let i = input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf ? 3 : 0;
  while (i < input.length && (input[i] === 0x20 || input[i] === 0x0a || input[i] === 0x0d || input[i] === 0x09)) i++;
  const entries = input[i] === 0x3c ? qcnToEntries(decodeXqcn(new TextDecoder().decode(input)).qcn) : decodeCfb(input);
  const s = stripFactoryFromQcnEntries(entries, options);
  const out = encodeCfb(s.entries);
  return {
    bytes: options.format === 'xqcn' ? new TextEncoder().encode(encodeXqcn(decodeQcn(out).qcn)) : out,
    removed: s.removed,
  };
}
