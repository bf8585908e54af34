import { NvError } from '@nv/core';
import { decodeUtf8 } from '@nv/core/bytes';
import { writeFileAtomic, readFileLimited } from '@nv/core/node';
import {
  LTABLE_TAGS,
  lintLtable,
  ltableToC,
  ltableToJson,
  planUpgrade,
  parseScatter,
  inferUpgradeMode,
  SCATTER_MAX_CHARS,
  type ScatterModeInference,
  serializeLtableJson,
  type Ltable,
  type LtableCImportOptions,
  type LtableEnumSet,
  type LtableGeneration,
  type LtableTag,
  type LtableUpgradeMode,
} from '@nv/mtk-nvram-ltable';
import { readLtableFiles } from '@nv/mtk-nvram-ltable/node';
import { formatTable, type CliContext } from '../context.ts';
import { usage } from '../options.ts';

/** Options every table-reading command accepts. */
export interface LtableReadFlags {
  generation?: string;
  enumSet?: string;
  define?: string[];
  structSize?: string[];
  tags?: string;
}

async function readJsonFile(ctx: CliContext, path: string, what: string): Promise<unknown> {
  const bytes = await readFileLimited(ctx.resolvePath(path), 16 * 1024 * 1024);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new NvError('NV_BAD_INPUT', `${what} ${path} is not valid JSON`, { path, cause });
  }
}

async function importOptions(ctx: CliContext, flags: LtableReadFlags): Promise<LtableCImportOptions> {
  const defines: Record<string, string> = {};
  for (const d of flags.define ?? []) {
    const m = /^([A-Za-z_]\w*)(?:=(.*))?$/s.exec(d);
    if (!m) usage(`-D ${d}: expected NAME or NAME=VALUE`);
    defines[m[1] as string] = m[2] ?? '1';
  }
  const structSizes: Record<string, number> = {};
  for (const s of flags.structSize ?? []) {
    const m = /^(.+)=(0x[0-9a-fA-F]+|\d+)$/.exec(s);
    if (!m) usage(`--struct-size ${s}: expected TYPE=N`);
    structSizes[(m[1] as string).trim()] = Number(m[2]);
  }
  let tags: Record<string, LtableTag[]> | undefined;
  if (flags.tags !== undefined) {
    const raw = await readJsonFile(ctx, flags.tags, 'tags file');
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
      throw new NvError('NV_BAD_INPUT', 'tags file must be an object {"LID_NAME": ["tag", …]}', { path: flags.tags });
    tags = {};
    for (const [k, v] of Object.entries(raw)) {
      if (!Array.isArray(v) || v.some((t) => !(LTABLE_TAGS as readonly unknown[]).includes(t)))
        throw new NvError('NV_BAD_INPUT', `tags of ${k} must be a list of ${LTABLE_TAGS.join(', ')}`, {
          path: flags.tags,
        });
      tags[k] = v as LtableTag[];
    }
  }
  return {
    ...(flags.generation !== undefined ? { generation: flags.generation as LtableGeneration } : {}),
    ...(flags.enumSet !== undefined ? { enumSet: flags.enumSet as LtableEnumSet } : {}),
    defines,
    structSizes,
    ...(tags !== undefined ? { tags } : {}),
  };
}

async function readTable(ctx: CliContext, files: readonly string[], flags: LtableReadFlags) {
  const options = await importOptions(ctx, flags);
  const result = await readLtableFiles(
    files.map((f) => ctx.resolvePath(f)),
    options,
  );
  const tags = options.tags;
  if (tags === undefined) return result;
  // --tags also applies to JSON tables (the C importer already used it).
  return {
    ...result,
    table: {
      ...result.table,
      entries: result.table.entries.map((e) =>
        tags[e.name] !== undefined ? { ...e, tags: [...(tags[e.name] as LtableTag[])] } : e,
      ),
    },
  };
}

/** `nv mtk ltable import` */
export async function ltableImport(
  ctx: CliContext,
  files: string[],
  flags: LtableReadFlags & { output?: string; format?: 'json' | 'c'; force?: boolean },
): Promise<void> {
  const { table, warnings } = await readTable(ctx, files, flags);
  for (const w of warnings) ctx.note(`${w.severity} ${w.code}: ${w.message}`);
  const json = ltableToJson(table);
  if (flags.output !== undefined) {
    const asC = flags.format === 'c' || (flags.format === undefined && /\.(c|h)$/i.test(flags.output));
    const text = asC ? ltableToC(table) : serializeLtableJson(table);
    await writeFileAtomic(ctx.resolvePath(flags.output), new TextEncoder().encode(text), {
      force: flags.force === true,
    });
  }
  ctx.result(
    { ...json, warnings, ...(flags.output !== undefined ? { output: flags.output } : {}) },
    () =>
      formatTable(
        table.entries.map((e) => [
          e.lid === null ? '-' : `0x${e.lid.toString(16).toUpperCase().padStart(4, '0')}`,
          e.name,
          String(e.records),
          String(e.size),
          e.categories.join('|'),
          e.attributes.join('|'),
          e.prefix,
          e.verno,
        ]),
        ['lid', 'name', 'records', 'size', 'category', 'attributes', 'prefix', 'verno'],
      ) +
      `${table.entries.length} entries (${table.generation})${flags.output !== undefined ? `, written to ${flags.output}` : ''}\n`,
  );
}

/** `nv mtk ltable lint` */
export async function ltableLint(
  ctx: CliContext,
  files: string[],
  flags: LtableReadFlags & { previous?: string; storage?: 'emmc' | 'nand' },
): Promise<void> {
  const { table, warnings } = await readTable(ctx, files, flags);
  let previous: Ltable | undefined;
  if (flags.previous !== undefined) previous = (await readTable(ctx, [flags.previous], flags)).table;
  const result = lintLtable(table, {
    platform: { storage: flags.storage ?? 'emmc' },
    ...(previous !== undefined ? { previous } : {}),
  });
  const findings = [...warnings, ...result.findings];
  // Import findings of severity error (e.g. NV_LTABLE_ORDER_SWAPPED) fail the lint as well.
  const ok = result.ok && !warnings.some((w) => w.severity === 'error');
  const human = (): string =>
    findings.length === 0
      ? `ok: ${table.entries.length} entries, no findings\n`
      : formatTable(
          findings.map((f) => [f.severity, f.code, f.message]),
          ['severity', 'code', 'message'],
        );
  ctx.result({ ok, findings }, human);
  if (!ok) ctx.fail();
}

// --scatter: the mode (and an emptied bin region) a download implies; exactly one of --mode/--scatter.
async function scatterMode(
  ctx: CliContext,
  flags: { mode?: string; scatter?: string; download?: string },
): Promise<ScatterModeInference | undefined> {
  if ((flags.mode === undefined) === (flags.scatter === undefined)) usage('give --mode or --scatter (one of them)');
  if (flags.download !== undefined && flags.scatter === undefined) usage('--download needs --scatter');
  if (flags.scatter === undefined) return undefined;
  const text = decodeUtf8(await readFileLimited(ctx.resolvePath(flags.scatter), SCATTER_MAX_CHARS));
  const scatter = parseScatter(text, { path: flags.scatter });
  const list = flags.download
    ?.split(',')
    .map((x) => x.trim())
    .filter((x) => x !== '');
  return inferUpgradeMode(scatter, list, { path: flags.scatter });
}

/** `nv mtk ltable plan` */
export async function ltablePlan(
  ctx: CliContext,
  flags: LtableReadFlags & {
    from: string;
    to: string;
    mode?: string;
    scatter?: string;
    download?: string;
    binRegion?: 'present' | 'empty';
    history?: string;
    storage?: 'emmc' | 'nand';
    defaultChangeReset?: boolean;
    allowBlocked?: boolean;
  },
): Promise<void> {
  const oldT = await readTable(ctx, [flags.from], flags);
  const newT = await readTable(ctx, [flags.to], flags);
  for (const w of [...oldT.warnings, ...newT.warnings]) ctx.note(`warning ${w.code}: ${w.message}`);
  let history: Record<string, string[]> | undefined;
  if (flags.history !== undefined) {
    const raw = await readJsonFile(ctx, flags.history, 'history file');
    if (
      typeof raw !== 'object' ||
      raw === null ||
      Object.values(raw).some((v) => !Array.isArray(v) || v.some((x) => typeof x !== 'string'))
    ) {
      throw new NvError('NV_BAD_INPUT', 'history file must be an object {"LID_NAME": ["001", …]}', {
        path: flags.history,
      });
    }
    history = raw as Record<string, string[]>;
  }
  const inferred = await scatterMode(ctx, flags);
  const mode = (flags.mode ?? inferred?.mode) as LtableUpgradeMode;
  const plan = planUpgrade(oldT.table, newT.table, mode, {
    binRegion: inferred?.binRegion === 'empty' ? 'empty' : (flags.binRegion ?? 'present'),
    platform: { storage: flags.storage ?? 'emmc' },
    defaultChangeReset: flags.defaultChangeReset === true,
    ...(history !== undefined ? { history } : {}),
  });
  const json = {
    generation: plan.generation,
    mode: plan.mode,
    ok: plan.blocked.length === 0,
    actions: plan.actions,
    blocked: plan.blocked,
    ...(inferred ? { inferred } : {}),
  };
  const human = (): string => {
    let s = inferred
      ? `mode ${inferred.mode} (bin region ${inferred.binRegion}) from ${flags.scatter}:\n${inferred.reasons.map((r) => `  - ${r}\n`).join('')}`
      : '';
    s += formatTable(
      plan.actions.map((a) => [
        a.lid === null ? '-' : `0x${a.lid.toString(16).toUpperCase()}`,
        a.name,
        a.action,
        `#${a.row}`,
        a.code ?? '',
        a.reason,
      ]),
      ['lid', 'name', 'action', 'row', 'code', 'reason'],
    );
    for (const b of plan.blocked) s += `BLOCKED ${b.name}: ${b.code}: ${b.reason}. Advice: ${b.advice}\n`;
    return s;
  };
  ctx.result(json, human);
  // A blocked change is a failed check: the plan is printed as usual and the run exits 1.
  if (plan.blocked.length > 0 && flags.allowBlocked !== true) ctx.fail();
}
