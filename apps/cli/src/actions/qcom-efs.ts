import { NvError } from '@nv/core';
import { sha256Hex } from '@nv/core/hash';
import { readFileLimited, assertCanWrite, writeFileAtomic } from '@nv/core/node';
import {
  decodeQcnValues,
  diffQcn,
  efsTreeToQcn,
  lint,
  nvInfoFromDefinition,
  nvInfoFromTree,
  qcnToEfsTree,
  readQcnDocument,
  sniffContainer,
  stripFactory,
  writeQcnDocument,
  type EfsWarning,
  type NvDefinition,
  type NvInfoEntry,
  type Qcn,
  type QcnDiffEntry,
} from '@nv/qcom-efs';
import {
  compileNvSourceFiles,
  readEfsImageFile,
  readLintListsFile,
  readNvDefinitionFile,
  readNvInfoFile,
  repackEfsArchiveFile,
  writeEfsFolder,
  writeEfsImageFile,
} from '@nv/qcom-efs/node';
import { access } from 'node:fs/promises';
import { formatTable, type CliContext } from '../context.ts';
import { isFolder, readTree } from './qcom-efs-image.ts';
import { usage } from '../options.ts';

function isXml(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] === 0x3c;
}

function warn(ctx: CliContext, warnings: readonly EfsWarning[]): void {
  for (const w of warnings) ctx.note(`warning ${w.code}: ${w.message}`);
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

/** Merges NV info tables, later sources winning per id (docs/formats/qcn.md#nv-info: definition < reference tree < user table). */
function mergeNvInfo(...tables: (readonly NvInfoEntry[])[]): NvInfoEntry[] {
  const m = new Map<number, NvInfoEntry>();
  for (const t of tables) for (const e of t) m.set(e.id, e);
  return [...m.values()].sort((a, b) => a.id - b.id);
}

/** The NV info sidecar `nv qcom nv compile` writes beside its output (decision, README). */
export const NV_INFO_SIDECAR = '.nv-info.json';

async function readNvInfoJson(ctx: CliContext, file: string): Promise<NvInfoEntry[]> {
  return readNvInfoFile(ctx.resolvePath(file), file);
}

async function readDefinition(ctx: CliContext, file: string): Promise<NvDefinition> {
  const def = await readNvDefinitionFile(ctx.resolvePath(file));
  if (def.warnings !== undefined) warn(ctx, def.warnings);
  return def;
}

async function readNvInfo(ctx: CliContext, flags: { nvInfo?: string; reference?: string }): Promise<NvInfoEntry[]> {
  const out: NvInfoEntry[] = [];
  if (flags.reference !== undefined) out.push(...nvInfoFromTree((await readTree(ctx, flags.reference)).tree));
  if (flags.nvInfo !== undefined) {
    const user = await readNvInfoFile(ctx.resolvePath(flags.nvInfo), flags.nvInfo);
    // The user's table wins over the reference tree (docs/formats/qcn.md#nv-info).
    const ids = new Set(user.map((e) => e.id));
    return [...out.filter((e) => !ids.has(e.id)), ...user];
  }
  return out;
}

/** A QCN, an XQCN (XML, detected by its first non-blank character `<`) or the JSON model (`{`). */
async function readQcnFile(ctx: CliContext, file: string) {
  const bytes = await readFileLimited(ctx.resolvePath(file), 256 * 1024 * 1024);
  try {
    return { bytes, ...readQcnDocument(bytes, { file }) };
  } catch (error) {
    throw NvError.isInstance(error) ? error.withPath(file) : error;
  }
}

/** `nv qcom qcn inspect` */
export async function qcnInspect(ctx: CliContext, file: string): Promise<void> {
  const { qcn, warnings, streams } = await readQcnFile(ctx, file);
  warn(ctx, warnings);
  const items = qcn.items.map((i) => ({
    id: i.id,
    index: i.index,
    subscription: i.subscription,
    size: i.payload.length,
    sha256: sha256Hex(i.payload),
  }));
  const efs = qcn.efs.map((f) => ({ store: f.store, path: f.path, size: f.data.length, sha256: sha256Hex(f.data) }));
  // Every stream, with whether the reader understood it: an unknown one is never skipped silently.
  const unknown = streams.filter((s) => !s.known);
  const json = {
    fileVersion: qcn.fileVersion === undefined ? null : qcn.fileVersion.join('.'),
    model: qcn.model,
    propertyInfo: qcn.propertyInfo ?? null,
    items,
    efs,
    streams,
    unknownStreams: unknown.map((u) => u.path),
    warnings,
  };
  ctx.result(json, () =>
    [
      `QCN ${file}: file version ${json.fileVersion ?? '?'}, model ${qcn.model}${qcn.propertyInfo ? `, by ${qcn.propertyInfo.producer}` : ''}`,
      `${items.length} numbered items, ${efs.length} EFS files, ${streams.length} streams`,
      formatTable(
        items.map((i) => [String(i.id), String(i.index), String(i.subscription)]),
        ['id', 'index', 'sub'],
      ).trimEnd(),
      formatTable(
        efs.map((f) => [f.store, String(f.size), f.path]),
        ['store', 'size', 'path'],
      ),
      ...(unknown.length > 0
        ? [
            `${unknown.length} streams not understood (kept as is):`,
            formatTable(
              unknown.map((u) => [String(u.size), u.path]),
              ['size', 'stream'],
            ),
          ]
        : []),
    ].join('\n'),
  );
}

/** `nv qcom qcn to-efs` */
export async function qcnToEfs(
  ctx: CliContext,
  file: string,
  flags: {
    output: string;
    force?: boolean;
    nvInfo?: string;
    reference?: string;
    skipUnknown?: boolean;
    relativeRoot?: string;
    definition?: string;
  },
): Promise<void> {
  const { qcn, warnings: qw } = await readQcnFile(ctx, file);
  // docs/formats/qcn.md#nv-info: the definition heuristic (or the sidecar nv compile wrote) < a reference tree < the user's table.
  const base: NvInfoEntry[] = [];
  const sidecar = ctx.resolvePath(file) + NV_INFO_SIDECAR;
  if (flags.definition !== undefined) base.push(...nvInfoFromDefinition(await readDefinition(ctx, flags.definition)));
  else if (flags.nvInfo === undefined && (await exists(sidecar))) {
    ctx.note(`using the NV sizes recorded by nv qcom nv compile in ${file}${NV_INFO_SIDECAR}`);
    base.push(...(await readNvInfoJson(ctx, file + NV_INFO_SIDECAR)));
  }
  const nvInfo = mergeNvInfo(base, await readNvInfo(ctx, flags));
  const { tree, warnings } = qcnToEfsTree(qcn, {
    nvInfo,
    skipUnknown: flags.skipUnknown === true,
    ...(flags.relativeRoot !== undefined ? { relativeRoot: flags.relativeRoot } : {}),
  });
  const all = [...qw, ...warnings];
  warn(ctx, all);
  const { files } = await writeEfsFolder(ctx.resolvePath(flags.output), tree, { force: flags.force === true });
  ctx.result(
    { files, entries: tree.entries.length, output: flags.output, warnings: all },
    () => `${flags.output}: ${files} files (manifest .nv-efs.json)\n`,
  );
}

/** `nv qcom nv compile` */
export async function nvCompile(
  ctx: CliContext,
  master: string,
  flags: {
    definition: string;
    output: string;
    strict?: boolean;
    efsVariableSize?: 'pad' | 'trim';
    model?: number;
    force?: boolean;
  },
): Promise<void> {
  const out = ctx.resolvePath(flags.output);
  await assertCanWrite(out, flags.force === true);
  await assertCanWrite(out + NV_INFO_SIDECAR, flags.force === true);
  const r = await compileNvSourceFiles(ctx.resolvePath(master), ctx.resolvePath(flags.definition), {
    strict: flags.strict === true,
    ...(flags.efsVariableSize !== undefined ? { efsVariableSize: flags.efsVariableSize } : {}),
    ...(flags.model !== undefined ? { model: flags.model } : {}),
  });
  warn(ctx, r.warnings);
  // An output named *.xqcn gets the XML form (docs/formats/qcn.md#stores).
  const bytes = writeQcnDocument(r.qcn, /\.xqcn$/i.test(flags.output) ? 'xqcn' : 'qcn');
  await writeFileAtomic(out, bytes, { force: flags.force === true });
  // The NV sizes the definition gave, for a later `qcn to-efs` of this output (decision, README): a sidecar, since
  // a QCN cannot carry them without a stream vendor readers do not know.
  const def = await readNvDefinitionFile(ctx.resolvePath(flags.definition));
  const nvInfo = nvInfoFromDefinition(def).filter((e) => r.qcn.items.some((i) => i.id === e.id));
  await writeFileAtomic(
    out + NV_INFO_SIDECAR,
    new TextEncoder().encode(
      `${JSON.stringify(
        nvInfo.map((e) => ({ id: e.id, size: e.size, arraySize: e.arraySize })),
        null,
        1,
      )}\n`,
    ),
    { force: flags.force === true },
  );
  ctx.result(
    {
      items: r.items,
      efsItems: r.efsItems,
      warnings: r.warnings,
      output: flags.output,
      size: bytes.length,
      nvInfo: flags.output + NV_INFO_SIDECAR,
    },
    () => `${flags.output}: ${r.items} numbered items, ${r.efsItems} EFS items, ${r.warnings.length} warnings\n`,
  );
}

/** `nv qcom efs lint` */
export async function efsLint(
  ctx: CliContext,
  input: string,
  flags: {
    definition?: string;
    nvInfo?: string;
    stripFactory?: boolean;
    output?: string;
    force?: boolean;
    factoryId?: number[];
    runtimeId?: number[];
    runtimePath?: string[];
    lists?: string;
  },
): Promise<void> {
  const path = ctx.resolvePath(input);
  if (flags.stripFactory === true && flags.output === undefined) usage('--strip-factory needs -o/--output');
  const definition =
    flags.definition !== undefined ? await readNvDefinitionFile(ctx.resolvePath(flags.definition)) : undefined;
  if (definition?.warnings !== undefined) warn(ctx, definition.warnings);
  const nvInfo = await readNvInfo(ctx, flags.nvInfo !== undefined ? { nvInfo: flags.nvInfo } : {});
  let lists = { factoryIds: [] as number[], runtimeIds: [] as number[], runtimePaths: [] as string[] };
  if (flags.lists !== undefined) lists = await readLintListsFile(ctx.resolvePath(flags.lists), flags.lists);
  for (const p of flags.runtimePath ?? [])
    if (!p.startsWith('/')) usage(`--runtime-path ${p}: give an absolute EFS path`);
  const extend = {
    factoryIds: [...lists.factoryIds, ...(flags.factoryId ?? [])],
    runtimeIds: [...lists.runtimeIds, ...(flags.runtimeId ?? [])],
    runtimePaths: [...lists.runtimePaths, ...(flags.runtimePath ?? [])],
  };
  const opts = { ...(definition !== undefined ? { definition } : {}), nvInfo, ...extend };
  let result;
  let removed: unknown[] = [];
  let removedText: string[] = [];
  const head = (await isFolder(path)) ? new Uint8Array(0) : (await readFileLimited(path)).subarray(0, 8);
  if (sniffContainer(head) === 'cfb' || (head.length > 0 && isXml(await readFileLimited(path, 256 * 1024 * 1024)))) {
    const { bytes, format, qcn, warnings } = await readQcnFile(ctx, input);
    warn(ctx, warnings);
    result = lint(qcn, opts);
    if (flags.stripFactory === true) {
      // In place on the compound-file tree: every stream but the removed records/files stays byte-identical.
      const xqcn = format !== 'qcn' && /\.xqcn$/i.test(flags.output as string);
      const s = stripFactory(bytes, { ...extend, format: xqcn ? 'xqcn' : 'qcn' });
      removed = s.removed;
      removedText = s.removed.map((r) => `${r.path} (${r.reason}) from ${r.streams.join(', ')}`);
      await writeFileAtomic(ctx.resolvePath(flags.output as string), s.bytes, { force: flags.force === true });
    }
  } else if (await isFolder(path)) {
    const { tree } = await readTree(ctx, input);
    result = lint({ tree, warnings: [] }, opts);
    if (flags.stripFactory === true) {
      const s = stripFactory(tree, extend);
      removed = s.removed;
      removedText = s.removed;
      await writeEfsImageFile(ctx.resolvePath(flags.output as string), s.tree, { force: flags.force === true });
    }
  } else {
    // A tar: GNU long-name/pax headers and other typeflags the modem rejects are error findings (issue 14.5).
    const image = await readEfsImageFile(path, { strictTypeflag: false });
    const tree = image.tree;
    result = lint(image, opts);
    if (flags.stripFactory === true) {
      const s = stripFactory(tree);
      removed = s.removed;
      await writeEfsImageFile(ctx.resolvePath(flags.output as string), s.tree, { force: flags.force === true });
    }
  }
  if (!result.ok) ctx.fail();
  ctx.result(
    {
      ok: result.ok,
      findings: result.findings,
      ...(flags.stripFactory === true ? { removed, output: flags.output } : {}),
    },
    () =>
      (result.findings.length === 0
        ? 'no findings\n'
        : formatTable(
            result.findings.map((f) => [f.severity, f.code, f.path ?? '', f.message]),
            ['severity', 'code', 'path', 'message'],
          )) +
      (flags.stripFactory === true
        ? `${flags.output}: removed ${removedText.length}${removedText.map((r) => `\n  ${r}`).join('')}\n`
        : ''),
  );
}

/** `nv qcom efs repack` (issue 14.6) */
export async function efsRepack(
  ctx: CliContext,
  input: string,
  flags: { output: string; reference?: string; stripComponents?: number; tar?: boolean; force?: boolean },
): Promise<void> {
  const out = ctx.resolvePath(flags.output);
  await assertCanWrite(out, flags.force === true);
  const reference = flags.reference !== undefined ? (await readTree(ctx, flags.reference)).tree : undefined;
  const r = await repackEfsArchiveFile(ctx.resolvePath(input), out, {
    force: flags.force === true,
    gzip: flags.tar !== true,
    ...(reference !== undefined ? { reference } : {}),
    ...(flags.stripComponents !== undefined ? { stripComponents: flags.stripComponents } : {}),
  });
  warn(ctx, r.warnings);
  ctx.result(
    {
      entries: r.entries,
      repairs: r.repairs,
      tarBytes: r.tarBytes,
      gzBytes: r.gzBytes,
      output: flags.output,
      warnings: r.warnings,
    },
    () => {
      // Grouped: a re-tarred EFS has a repair per entry; the JSON lists each one.
      const groups = new Map<string, string[]>();
      for (const x of r.repairs) {
        const list = groups.get(x.repair) ?? [];
        list.push(x.repair === 'name' || x.repair === 'manifest' ? x.message : `${x.path}: ${x.message}`);
        groups.set(x.repair, list);
      }
      const lines = [`${flags.output}: ${r.entries} entries, ${r.repairs.length} repairs`];
      for (const [kind, messages] of groups) {
        lines.push(`  ${kind} (${messages.length}):`);
        for (const m of messages.slice(0, 5)) lines.push(`    ${m}`);
        if (messages.length > 5) lines.push(`    … ${messages.length - 5} more (--json lists all)`);
      }
      return `${lines.join('\n')}\n`;
    },
  );
}

/** Writes a QCN model in the format its file name says: `.json` (the model), `.xqcn`, else QCN. */
function encodeByName(qcn: Qcn, name: string): Uint8Array {
  return writeQcnDocument(qcn, /\.json$/i.test(name) ? 'json' : /\.xqcn$/i.test(name) ? 'xqcn' : 'qcn', {
    keepLayout: true,
  });
}

/** `nv qcom qcn convert` (issue 16.2) */
export async function qcnConvert(
  ctx: CliContext,
  input: string,
  flags: { output: string; force?: boolean },
): Promise<void> {
  const out = ctx.resolvePath(flags.output);
  await assertCanWrite(out, flags.force === true);
  const { qcn, warnings } = await readQcnFile(ctx, input);
  warn(ctx, warnings);
  const bytes = encodeByName(qcn, flags.output);
  await writeFileAtomic(out, bytes, { force: flags.force === true });
  const format = /\.json$/i.test(flags.output) ? 'json' : /\.xqcn$/i.test(flags.output) ? 'xqcn' : 'qcn';
  ctx.result(
    {
      output: flags.output,
      format,
      size: bytes.length,
      items: qcn.items.length,
      efs: qcn.efs.length,
      extra: qcn.extra.length,
      warnings,
    },
    () =>
      `${flags.output}: ${format}, ${qcn.items.length} numbered items, ${qcn.efs.length} EFS files, ${qcn.extra.length} other streams\n`,
  );
}

function diffLabel(e: QcnDiffEntry): string {
  return e.kind === 'item'
    ? `NV ${e.id}${e.index ? `_${e.index}` : ''}${e.subscription ? ` (sub ${e.subscription})` : ''}`
    : `${e.store} ${e.path}`;
}

/** `nv qcom qcn diff` (issue 16.1): exit 1 when the two differ. */
export async function qcnDiff(ctx: CliContext, a: string, b: string, flags: { definition?: string }): Promise<void> {
  const ra = await readQcnFile(ctx, a);
  const rb = await readQcnFile(ctx, b);
  warn(ctx, [...ra.warnings, ...rb.warnings]);
  const definition = flags.definition !== undefined ? await readDefinition(ctx, flags.definition) : undefined;
  const d = diffQcn(ra.qcn, rb.qcn, definition !== undefined ? { definition } : {});
  const same = d.added.length + d.removed.length + d.changed.length === 0;
  if (!same) ctx.fail();
  const f = (x: unknown): string => (x === undefined ? '' : ` ${JSON.stringify(x)}`);
  ctx.result({ same, ...d }, () => {
    if (same) return `${a} and ${b}: same items and EFS files\n`;
    const lines = [`${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed`];
    for (const e of d.removed) lines.push(`- ${diffLabel(e)}: ${e.value}${f(e.fields)}`);
    for (const e of d.added) lines.push(`+ ${diffLabel(e)}: ${e.value}${f(e.fields)}`);
    for (const e of d.changed) {
      lines.push(`~ ${diffLabel(e)}`, `    a: ${e.a}${f(e.fieldsA)}`, `    b: ${e.b}${f(e.fieldsB)}`);
    }
    return `${lines.join('\n')}\n`;
  });
}

/** `nv qcom qcn decode` (issue 16.3) */
export async function qcnDecode(
  ctx: CliContext,
  file: string,
  flags: { definition: string; id?: number[]; output?: string; force?: boolean },
): Promise<void> {
  const { qcn, warnings } = await readQcnFile(ctx, file);
  warn(ctx, warnings);
  const def = await readDefinition(ctx, flags.definition);
  const { items, efs } = decodeQcnValues(qcn, def, flags.id !== undefined ? { ids: flags.id } : {});
  if (flags.output !== undefined) {
    // An NvSource that `nv qcom nv compile` turns back into the same bytes (decoded items; others as byteStream).
    const out = ctx.resolvePath(flags.output);
    await assertCanWrite(out, flags.force === true);
    const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');
    const lines = ['<?xml version="1.0" encoding="utf-8"?>', '<NvSource>'];
    for (const i of items) {
      if (i.subscription !== 0) continue;
      if (i.values !== undefined && i.trailing === undefined)
        lines.push(
          `  <NvItem id="${i.id}" index="${i.index}" name="${esc(i.name ?? '')}" encoding="dec">${i.values}</NvItem>`,
        );
    }
    for (const f of efs) {
      // Only what compile places back in the same store: NV_Items (RFNV as NvItem ids >= 20000) and provisioning.
      if (f.values === undefined || f.trailing !== undefined || f.store === 'EFS_Backup') continue;
      const rfnv = /^\/nv\/item_files\/rfnv\/(\d{8})$/.exec(f.path);
      if (rfnv !== null) {
        if (f.store === 'NV_Items' && Number(rfnv[1]) >= 20000 && Number(rfnv[1]) <= 0xffff)
          lines.push(
            `  <NvItem id="${Number(rfnv[1])}" name="${esc(f.name ?? '')}" encoding="dec">${f.values}</NvItem>`,
          );
        continue;
      }
      const prov = f.store === 'Provisioning_Item_Files' ? ' useProvisioningStore="true"' : '';
      lines.push(`  <NvEfsItem fullpathname="${esc(f.path)}" encoding="dec"${prov}>${f.values}</NvEfsItem>`);
    }
    lines.push('</NvSource>', '');
    await writeFileAtomic(out, new TextEncoder().encode(lines.join('\n')), { force: flags.force === true });
  }
  ctx.result({ items, efs, warnings, ...(flags.output !== undefined ? { output: flags.output } : {}) }, () => {
    const lines: string[] = [];
    for (const i of items)
      lines.push(
        `NV ${i.id}${i.index ? `_${i.index}` : ''}${i.subscription ? ` (sub ${i.subscription})` : ''} ${i.name ?? '(unknown)'}: ${
          i.fields !== undefined ? JSON.stringify(i.fields) : i.bytes
        }`,
      );
    for (const f of efs)
      lines.push(
        `${f.store} ${f.path}${f.name !== undefined ? ` ${f.name}` : ''}: ${f.fields !== undefined ? JSON.stringify(f.fields) : f.bytes}`,
      );
    return `${lines.join('\n')}\n`;
  });
}

/** `nv qcom efs to-qcn` (issue 16.4, docs/formats/qcn.md#efs-to-qcn) */
export async function efsToQcn(
  ctx: CliContext,
  input: string,
  flags: { output: string; force?: boolean; model?: number; nvInfo?: string; definition?: string },
): Promise<void> {
  const out = ctx.resolvePath(flags.output);
  await assertCanWrite(out, flags.force === true);
  const { tree, container, warnings: rw } = await readTree(ctx, input);
  const nvInfo = mergeNvInfo(
    flags.definition !== undefined ? nvInfoFromDefinition(await readDefinition(ctx, flags.definition)) : [],
    flags.nvInfo !== undefined ? await readNvInfoJson(ctx, flags.nvInfo) : [],
  );
  const { qcn, warnings } = efsTreeToQcn(tree, {
    nvInfo,
    ...(flags.model !== undefined ? { model: flags.model } : {}),
  });
  const all = [...rw, ...warnings];
  warn(ctx, all);
  const bytes = encodeByName(qcn, flags.output);
  await writeFileAtomic(out, bytes, { force: flags.force === true });
  const stores = Object.fromEntries(
    (['NV_Items', 'Provisioning_Item_Files', 'EFS_Backup'] as const).map((s) => [
      s,
      qcn.efs.filter((f) => f.store === s).length,
    ]),
  );
  ctx.result(
    {
      output: flags.output,
      container,
      items: qcn.items.length,
      efs: qcn.efs.length,
      stores,
      size: bytes.length,
      warnings: all,
    },
    () =>
      `${flags.output}: ${qcn.items.length} numbered items, NV_Items ${stores['NV_Items']}, Provisioning_Item_Files ${stores['Provisioning_Item_Files']}, EFS_Backup ${stores['EFS_Backup']} (from ${container})\n`,
  );
}
