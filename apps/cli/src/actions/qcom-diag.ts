import { NvError } from '@nv/core';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import { assertCanWrite, readFileLimited, writeFileAtomic } from '@nv/core/node';
import {
  compileNvFiles,
  nvInfoFromDefinition,
  readQcnDocument,
  writeQcnDocument,
  type NvDefinition,
  type Qcn,
} from '@nv/qcom-efs';
import { PRIMITIVES } from '@nv/qcom-efs/model';
import { readNvDefinitionFile, writeEfsFolder } from '@nv/qcom-efs/node';
import {
  DiagDevice,
  IDENTITY_NV_IDS,
  backupToQcn,
  diagInfo,
  efsGet,
  efsList,
  efsPull,
  efsPut,
  restoreFromQcn,
  restorePlan,
  snapshotTouched,
} from '@nv/qcom-diag';
import { openDiagClient } from '@nv/qcom-diag/node';
import { formatTable, type CliContext } from '../context.ts';
import { usage } from '../options.ts';

/** Transport flags of every `nv qcom diag …` command. */
export interface DiagTransportFlags {
  tcp?: string;
  port?: string;
  timeout: number;
}

/** Write-safety flags. */
export interface DiagSafetyFlags {
  backup?: string;
  yes?: boolean;
}

/**
 * Opens the modem, runs `fn` with a signal that Ctrl-C aborts (flows stop between items and files, never in the
 * middle of one), and always closes the transport.
 */
async function withModem<T>(
  flags: DiagTransportFlags,
  fn: (modem: DiagDevice, signal: AbortSignal) => Promise<T>,
): Promise<T> {
  if ((flags.tcp === undefined) === (flags.port === undefined))
    usage('give exactly one of --tcp <host:port> or --port <tty>');
  const client = await openDiagClient({ tcp: flags.tcp, port: flags.port }, { timeoutMs: flags.timeout });
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  try {
    return await fn(new DiagDevice(client), controller.signal);
  } finally {
    process.removeListener('SIGINT', onSigint);
    await client.close();
  }
}

async function loadDefinition(ctx: CliContext, path: string | undefined): Promise<NvDefinition | undefined> {
  return path === undefined ? undefined : await readNvDefinitionFile(ctx.resolvePath(path));
}

function stamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
}

/**
 * The automatic backup before a write: a QCN of the current values of what will be written, or nothing with --yes
 * (the plan is printed on stderr instead). Returns the backup path or null.
 */
async function backupBeforeWrite(
  ctx: CliContext,
  modem: DiagDevice,
  flags: DiagSafetyFlags,
  touched: Parameters<typeof snapshotTouched>[1],
  plan: string,
): Promise<string | null> {
  if (flags.yes === true) {
    ctx.note(`writing without a backup (--yes): ${plan}`);
    return null;
  }
  const path = ctx.resolvePath(flags.backup ?? `nv-diag-backup-${stamp()}.qcn`);
  await assertCanWrite(path, false);
  const { qcn, absent } = await snapshotTouched(modem, touched);
  await writeFileAtomic(path, writeQcnDocument(qcn, path.toLowerCase().endsWith('.xqcn') ? 'xqcn' : 'qcn'));
  ctx.note(
    `backed up ${qcn.items.length + qcn.efs.length} value(s) to ${path}${absent.length > 0 ? ` (not present before: ${absent.join(', ')})` : ''}`,
  );
  return path;
}

/** `nv qcom diag info`. */
export async function diagInfoAction(ctx: CliContext, flags: DiagTransportFlags): Promise<void> {
  const info = await withModem(flags, (m) => diagInfo(m));
  ctx.result(info, () =>
    formatTable([
      ['model', info.model],
      ['mobile model', String(info.mobileModel)],
      ['software', info.swRevision],
      ['compiled', info.compileDate],
      ['EFS2 subsystem', info.efsSubsystem === null ? 'none' : `0x${info.efsSubsystem.toString(16)}`],
    ]),
  );
}

type FieldValue = number | string;
/** Named fields of an item value from its NvDefinition layout (primitive and one level of DataType members). */
function decodeFields(
  def: NvDefinition,
  id: number,
  data: Uint8Array,
): { name: string; type: string; values: FieldValue[] }[] | undefined {
  const item = def.items.get(id);
  if (item === undefined) return undefined;
  const out: { name: string; type: string; values: FieldValue[] }[] = [];
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let at = 0;
  const readOne = (type: string): FieldValue | undefined => {
    const p = PRIMITIVES[type];
    if (p === undefined || at + p.bytes > data.length) return undefined;
    let v: FieldValue;
    if (p.bytes === 1) v = p.signed ? view.getInt8(at) : view.getUint8(at);
    else if (p.bytes === 2) v = p.signed ? view.getInt16(at, true) : view.getUint16(at, true);
    else if (p.bytes === 4) v = p.signed ? view.getInt32(at, true) : view.getUint32(at, true);
    else v = (p.signed ? view.getBigInt64(at, true) : view.getBigUint64(at, true)).toString();
    at += p.bytes;
    return v;
  };
  item.members.forEach((m, i) => {
    const values: FieldValue[] = [];
    const sub = def.dataTypes.get(m.type);
    for (let n = 0; n < m.sizeOf; n++) {
      for (const t of sub ? sub.members.flatMap((s) => Array<string>(s.sizeOf).fill(s.type)) : [m.type]) {
        const v = readOne(t);
        if (v !== undefined) values.push(v);
      }
    }
    out.push({ name: m.name ?? `member${i}`, type: m.type, values });
  });
  return out;
}

/** Flags of `nv qcom diag nv read`. */
export interface DiagNvReadFlags extends DiagTransportFlags {
  index?: number;
  element?: number;
  definition?: string;
}

/** `nv qcom diag nv read <id>`. */
export async function diagNvRead(ctx: CliContext, id: number, flags: DiagNvReadFlags): Promise<void> {
  const def = await loadDefinition(ctx, flags.definition);
  const r = await withModem(flags, (m) =>
    m.nvRead(id, {
      ...(flags.index !== undefined ? { subscription: flags.index } : {}),
      ...(flags.element !== undefined ? { arrayIndex: flags.element } : {}),
    }),
  );
  const fields = def !== undefined && r.status === 0 ? decodeFields(def, id, r.data) : undefined;
  if (r.status !== 0) ctx.fail();
  ctx.result({ id, status: r.status, statusName: r.statusName, bytes: r.data, ...(fields ? { fields } : {}) }, () =>
    [
      `NV ${id}${flags.index ? ` (subscription ${flags.index})` : ''}: ${r.statusName}`,
      ...(r.status === 0 ? [bytesToHex(r.data).replace(/(00)+$/, '') || '00'] : []),
      ...(fields ?? []).map((f) => `  ${f.name} (${f.type}): ${f.values.join(', ')}`),
    ].join('\n'),
  );
}

/** Flags of `nv qcom diag nv write`. */
export interface DiagNvWriteFlags extends DiagTransportFlags, DiagSafetyFlags {
  fields?: string;
  index?: number;
  definition?: string;
}

/** `nv qcom diag nv write <id> <hex | --fields>`. */
export async function diagNvWrite(
  ctx: CliContext,
  id: number,
  hex: string | undefined,
  flags: DiagNvWriteFlags,
): Promise<void> {
  if ((hex === undefined) === (flags.fields === undefined)) usage('give the value as <hex> or as --fields <values>');
  if (IDENTITY_NV_IDS.has(id))
    throw new NvError(
      'NV_DIAG_IDENTITY_ITEM',
      `NV ${id} is a device identity item (ESN 0, IMEI 550, MEID 1943); this toolkit never writes it`,
    );
  let data: Uint8Array;
  if (hex !== undefined) data = hexToBytes(hex);
  else {
    const def =
      (await loadDefinition(ctx, flags.definition)) ?? usage('--fields needs --definition <NvDefinition.xml>');
    const values = flags.fields!.trim().startsWith('[')
      ? (JSON.parse(flags.fields!) as unknown[]).map(String).join(',')
      : flags.fields!;
    const src = `<NvSource><NvItem id="${id}" encoding="dec">${values.replace(/[<&]/g, '')}</NvItem></NvSource>`;
    // The inline NvSource as the one file of a resolver (no includes); messages call it --fields.
    const compiled = compileNvFiles('--fields', def, {
      read: (p) => (p === '--fields' ? src : undefined),
      list: () => [],
    });
    const item = compiled.qcn.items.find((i) => i.id === id);
    if (item === undefined) throw new NvError('NV_BAD_INPUT', `--fields did not give a value for NV ${id}`);
    data = item.payload;
  }
  if (data.length > 128) throw new NvError('NV_RANGE', `an NV value is at most 128 bytes; got ${data.length}`);
  const sub = flags.index !== undefined && flags.index > 0 ? { subscription: flags.index } : {};
  const backup = await withModem(flags, async (m) => {
    const b = await backupBeforeWrite(ctx, m, flags, { items: [{ id, ...sub }] }, `NV ${id} ← ${bytesToHex(data)}`);
    await m.nvWrite(id, data, sub);
    return b;
  });
  ctx.result({ id, status: 0, backup }, () => `NV ${id} written${backup ? `; previous value in ${backup}` : ''}`);
}

/** `nv qcom diag efs ls [path]`. */
export async function diagEfsLs(
  ctx: CliContext,
  path: string,
  flags: DiagTransportFlags & { recursive?: boolean },
): Promise<void> {
  const r = await withModem(flags, (m, signal) => efsList(m, path, { recursive: flags.recursive === true, signal }));
  for (const s of r.skipped) ctx.note(`skipped ${s.path}: ${s.reason}`);
  ctx.result({ entries: r.entries, skipped: r.skipped }, () =>
    formatTable(
      r.entries.map((e) => [e.type, (e.mode & 0o7777).toString(8), String(e.size), e.path]),
      ['type', 'mode', 'size', 'path'],
    ),
  );
}

/** `nv qcom diag efs get <path> -o <file>`. */
export async function diagEfsGet(
  ctx: CliContext,
  path: string,
  flags: DiagTransportFlags & { output: string; force?: boolean },
): Promise<void> {
  const out = ctx.resolvePath(flags.output);
  await assertCanWrite(out, flags.force === true);
  const { data, type } = await withModem(flags, (m) => efsGet(m, path));
  await writeFileAtomic(out, data, { force: flags.force === true });
  ctx.result({ path, type, size: data.length, output: out }, () => `${path} (${type}, ${data.length} bytes) → ${out}`);
}

/** `nv qcom diag efs put <file> <path>`. */
export async function diagEfsPut(
  ctx: CliContext,
  file: string,
  path: string,
  flags: DiagTransportFlags & DiagSafetyFlags & { type?: 'item' | 'file' },
): Promise<void> {
  const data = await readFileLimited(ctx.resolvePath(file), 16 * 1024 * 1024);
  if (flags.type === 'item' && data.length > 128)
    usage(`an item file is at most 128 bytes; ${file} has ${data.length}`);
  const backup = await withModem(flags, async (m) => {
    const b = await backupBeforeWrite(ctx, m, flags, { paths: [path] }, `${path} ← ${file} (${data.length} bytes)`);
    await efsPut(m, path, data, flags.type);
    return b;
  });
  ctx.result({ path, size: data.length, backup }, () => `${file} → ${path} (${data.length} bytes)`);
}

/** `nv qcom diag efs rm <path>`. */
export async function diagEfsRm(
  ctx: CliContext,
  path: string,
  flags: DiagTransportFlags & DiagSafetyFlags,
): Promise<void> {
  const r = await withModem(flags, async (m) => {
    const st = await m.stat(path);
    if (st === undefined)
      throw new NvError('NV_DIAG_EFS_ERRNO', `EFS2 stat ${path}: ENOENT (2)`, { path, data: { errno: 2 } });
    const b = await backupBeforeWrite(ctx, m, flags, { paths: [path] }, `remove ${path}`);
    await m.unlink(path);
    return { size: st.size, backup: b };
  });
  ctx.result({ path, size: r.size, backup: r.backup }, () => `removed ${path}`);
}

/** `nv qcom diag efs pull [path] -o <dir>`. */
export async function diagEfsPull(
  ctx: CliContext,
  path: string,
  flags: DiagTransportFlags & { output: string; force?: boolean },
): Promise<void> {
  const out = ctx.resolvePath(flags.output);
  await assertCanWrite(out, flags.force === true);
  const r = await withModem(flags, (m, signal) => efsPull(m, path, { signal }));
  await writeEfsFolder(out, r.tree, { force: flags.force === true });
  for (const s of r.skipped) ctx.note(`skipped ${s.path}: ${s.reason}`);
  ctx.result(
    { files: r.files, dirs: r.dirs, skipped: r.skipped, output: out },
    () =>
      `${r.files} files, ${r.dirs} folders → ${out}${r.skipped.length ? `; ${r.skipped.length} skipped` : ''}\nnext: nv qcom efs pack ${flags.output} -o fs_image.tar.gz`,
  );
}

/** Flags of `nv qcom diag backup`. */
export interface DiagBackupFlags extends DiagTransportFlags {
  output: string;
  definition?: string;
  items?: string;
  itemsOnly?: boolean;
  force?: boolean;
}

/** `nv qcom diag backup -o <file.qcn|.xqcn>`. */
export async function diagBackup(ctx: CliContext, flags: DiagBackupFlags): Promise<void> {
  const out = ctx.resolvePath(flags.output);
  await assertCanWrite(out, flags.force === true);
  const def = await loadDefinition(ctx, flags.definition);
  let ids: number[] | undefined;
  if (flags.items !== undefined) {
    const m = /^(\d+)-(\d+)$/.exec(flags.items.trim());
    if (!m || Number(m[1]) > Number(m[2]) || Number(m[2]) > 65535) usage('--items takes a range like 0-7999');
    ids = [];
    for (let i = Number(m[1]); i <= Number(m[2]); i++) ids.push(i);
  }
  const progress = ctx.progress();
  const nvInfo = def ? nvInfoFromDefinition(def) : undefined;
  progress.start('reading NV items', nvInfo?.length ?? ids?.length ?? 8000, 'items');
  const r = await withModem(flags, (m, signal) =>
    backupToQcn(m, {
      ...(nvInfo ? { nvInfo } : {}),
      ...(ids ? { ids } : {}),
      ...(flags.itemsOnly ? { folders: [] } : {}),
      signal,
      onProgress: (done) => progress.update(done),
    }),
  );
  progress.end();
  await writeFileAtomic(out, writeQcnDocument(r.qcn, out.toLowerCase().endsWith('.xqcn') ? 'xqcn' : 'qcn'), {
    force: flags.force === true,
  });
  for (const s of r.skipped) ctx.note(`skipped ${s.path}: ${s.reason}`);
  if (ctx.verbose) for (const w of r.warnings) ctx.note(`${w.code}: ${w.message}`);
  ctx.result(
    { items: r.items, efs: r.efs, skipped: r.skipped, output: out },
    () => `${r.items} NV items and ${r.efs} EFS files → ${out}`,
  );
}

async function readQcn(ctx: CliContext, file: string): Promise<Qcn> {
  const bytes = await readFileLimited(ctx.resolvePath(file));
  // QCN, XQCN or the JSON model, told apart by their first byte.
  return readQcnDocument(bytes, { file }).qcn;
}

/** `nv qcom diag restore <file.qcn>`. */
export async function diagRestore(
  ctx: CliContext,
  file: string,
  flags: DiagTransportFlags & DiagSafetyFlags & { spc?: string; dryRun?: boolean },
): Promise<void> {
  if (flags.spc !== undefined && !/^\d{6}$/.test(flags.spc)) usage('--spc is 6 digits');
  const qcn = await readQcn(ctx, file);
  const plan = restorePlan(qcn);
  if (flags.dryRun === true) {
    ctx.result(
      { written: 0, dryRun: true, items: plan.items, paths: plan.paths, refused: plan.refused },
      () =>
        `would write ${plan.items.length} NV items and ${plan.paths.length} EFS files; refused:\n` +
        plan.refused.map((x) => `  ${x.id ?? x.path}: ${x.reason}`).join('\n'),
    );
    return;
  }
  const r = await withModem(flags, async (m, signal) => {
    if (flags.spc !== undefined) await m.unlockSpc(flags.spc);
    const backup = await backupBeforeWrite(
      ctx,
      m,
      flags,
      { items: plan.items, paths: plan.paths },
      `${plan.items.length} NV items and ${plan.paths.length} EFS files from ${file}`,
    );
    return { ...(await restoreFromQcn(m, qcn, { signal })), backup };
  });
  for (const x of r.refused) ctx.note(`refused ${x.id !== undefined ? `NV ${x.id}` : x.path}: ${x.reason}`);
  ctx.result(
    r,
    () => `${r.written} written, ${r.refused.length} refused${r.backup ? `; previous values in ${r.backup}` : ''}`,
  );
}
