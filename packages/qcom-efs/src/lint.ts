/**
 * Preload lint (`qcom-efs.md` §5, cli.md `nv qcom efs lint`): runtime state, factory-information NVs, items missing
 * from the definition, and names/sizes the modem rejects. Works on an EFS tree; a QCN is linted through its tree view.
 * @module
 */
import { encodeLatin1 } from '@nv/core';
import type { NvDefinition } from './compile.ts';
import type { NvInfoEntry } from './qcn-efs.ts';
import type { Qcn } from './qcn.ts';
import { MAX_ITEM_BYTES, S_IFMT, defaultKind, type EfsTree, type EfsWarning } from './tree.ts';
import { REPACK_HINT, ustarSplit, type TarMember } from './tar.ts';

/** One lint finding (cli.md shape). */
export interface LintFinding {
  readonly severity: 'error' | 'warning';
  readonly code: string;
  readonly path?: string;
  readonly id?: number;
  readonly message: string;
}

/**
 * Device-unique factory NVs that must not go into a shared preload (well-known public ids, inferred):
 * 0 ESN, 447 Bluetooth address, 550 IMEI, 1943 MEID, 4678 WLAN MAC.
 */
export const FACTORY_NV_IDS: Readonly<Record<number, string>> = Object.freeze({
  0: 'ESN',
  447: 'Bluetooth address',
  550: 'IMEI',
  1943: 'MEID',
  4678: 'WLAN MAC address',
});

/** Options of {@link lintEfsTree}. */
export interface LintOptions {
  /** Report numbered items and EFS items the definition lacks. */
  readonly definition?: NvDefinition;
  /** Internal sizes to check `/nvm/num` files against (§5 #1). */
  readonly nvInfo?: readonly NvInfoEntry[];
  /** Extra factory NV ids (added to {@link FACTORY_NV_IDS}). */
  readonly factoryIds?: readonly number[];
  /** Extra runtime-state NV ids (written by the modem while online). */
  readonly runtimeIds?: readonly number[];
}

const NUM_RE = /^\/nvm\/(?:num|context\d{1,2})\/(\d{1,5})(?:_\d{1,3})?$/;

function factoryName(id: number, options: LintOptions): string | undefined {
  return FACTORY_NV_IDS[id] ?? (options.factoryIds?.includes(id) === true ? 'factory data' : undefined);
}

/**
 * Lints an EFS tree as a preload (§5 #1, #6, #8, #9, #12, #16).
 * @example const { ok, findings } = lintEfsTree(tree, { definition });
 */
export function lintEfsTree(tree: EfsTree, options: LintOptions = {}): { ok: boolean; findings: LintFinding[] } {
  const findings: LintFinding[] = [];
  const info = new Map((options.nvInfo ?? []).map((e) => [e.id, e]));
  for (const e of tree.entries) {
    const p = e.path;
    const nameBytes = encodeLatin1(p);
    if (nameBytes.length > 99) {
      // Same rule as `pack --format ustar` (ustarSplit): the modem honours a POSIX prefix (§2.7), so a splittable
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
    if (p.startsWith('/policyman/') && p !== '/policyman/device_config.xml') {
      findings.push({
        severity: 'warning',
        code: 'NV_EFS_LINT_RUNTIME_STATE',
        path: p,
        message: `${p} is policy-manager runtime state; guides keep only /policyman/device_config.xml (§5 #12)`,
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
    const m = NUM_RE.exec(p);
    if (m !== null && e.data !== undefined) {
      const id = Number(m[1]);
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

/**
 * Lints a QCN: its numbered items by id (factory/runtime/definition) and its store files by path.
 * @example lintQcn(qcn).findings
 */
export function lintQcn(qcn: Qcn, options: LintOptions = {}): { ok: boolean; findings: LintFinding[] } {
  const findings: LintFinding[] = [];
  for (const i of qcn.items) {
    const path = i.subscription === 0 ? `/nvm/num/${i.id}` : `/nvm/context${i.subscription}/${i.id}`;
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
        message: `NV ${i.id} is written by the modem while online; take the QCN offline`,
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

/**
 * Removes factory NVs (§5 #12, `--strip-factory`) from a tree.
 * @example stripFactoryFromTree(tree).tree
 */
export function stripFactoryFromTree(
  tree: EfsTree,
  options: Pick<LintOptions, 'factoryIds'> = {},
): { tree: EfsTree; removed: string[] } {
  const removed: string[] = [];
  const entries = tree.entries.filter((e) => {
    const m = NUM_RE.exec(e.path);
    const drop = m !== null && factoryName(Number(m[1]), options) !== undefined;
    if (drop) removed.push(e.path);
    return !drop;
  });
  return { tree: { entries }, removed };
}

/**
 * Removes factory NVs from a QCN's records.
 * @example stripFactoryFromQcn(qcn).qcn
 */
export function stripFactoryFromQcn(
  qcn: Qcn,
  options: Pick<LintOptions, 'factoryIds'> = {},
): { qcn: Qcn; removed: number[] } {
  const removed: number[] = [];
  const items = qcn.items.filter((i) => {
    const drop = factoryName(i.id, options) !== undefined;
    if (drop) removed.push(i.id);
    return !drop;
  });
  return { qcn: { ...qcn, items }, removed };
}

/**
 * Lints an EFS image read from a tar (issue 14.5): the tree findings of {@link lintEfsTree} plus what only the tar
 * shows. GNU long-name and pax headers and other typeflags the modem rejects (§5 #5) are errors; relative names and
 * lost item type bits (§5 #7, a re-tar by a host tar) and other suspect entries are warnings.
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
  // §5 #7: a host tar keeps only permission bits, so no entry has a file type in its mode and items become files.
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
