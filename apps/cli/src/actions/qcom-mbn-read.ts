// `nv qcom mbn inspect` and `diff`: MBN readers only, through `@nv/qcom-mbn/read` (no XML layer: a factory script
// that inspects thousands of files does not load the XML parser, issue 17). The XML commands are in qcom-mbn.ts.
import { stat } from 'node:fs/promises';
import { readFileLimited } from '@nv/core/node';
import { diffMbn, diffRows, parseMbn, summarizeMcfg, type McfgFinding } from '@nv/qcom-mbn/read';
import { NODE_HASH_OPTIONS, inspectCorpus, streamCorpus } from '@nv/qcom-mbn/node';
import { formatTable, type CliContext } from '../context.ts';
import { usage } from '../options.ts';

/** Largest MBN read (64 MiB). */
export const MAX_MBN: number = 64 * 1024 * 1024;

/** An MBN named on the command line, up to {@link MAX_MBN}. */
export async function readInput(ctx: CliContext, path: string): Promise<Uint8Array> {
  return readFileLimited(ctx.resolvePath(path), MAX_MBN);
}

const hex2 = (v: number): string => `0x${v.toString(16).toUpperCase().padStart(2, '0')}`;
/** One lint/parse finding as a text line. */
export const findingLine = (f: McfgFinding): string => `${f.severity.padEnd(7)} ${f.code}  ${f.message}`;

/** `nv qcom mbn inspect`: one file → its summary; several files or a folder → `{files:[…]}` via worker threads. */
export async function mbnInspect(
  ctx: CliContext,
  inputs: string[],
  flags: { workers?: number; jsonl?: boolean },
): Promise<void> {
  if (flags.jsonl === true) {
    if (ctx.json) usage('--jsonl writes one JSON document per file; it cannot be combined with --json');
    // Corpus mode: lines go out as batches complete (bounded memory); the count goes to stderr.
    const { total, failed } = await streamCorpus(
      inputs.map((p) => ctx.resolvePath(p)),
      (text) => ctx.io.stdout.write(text),
      { ...(flags.workers === undefined ? {} : { workers: flags.workers }), progress: ctx.progress() },
    );
    ctx.note(`${total} files, ${failed} failed`);
    return;
  }
  const single =
    inputs.length === 1 && (await stat(ctx.resolvePath(inputs[0]!)).catch(() => undefined))?.isFile() === true;
  if (single) {
    const s = summarizeMcfg(parseMbn(await readInput(ctx, inputs[0]!), { ...NODE_HASH_OPTIONS, path: inputs[0]! }));
    ctx.result(s, () => {
      const head = `format ${s.format}  ${s.typeName}  version ${s.version} (family ${s.family}, carrier ${s.carrier})  carrier index ${s.carrierIndex}  ${s.container.kind}${s.container.hashVersion === null ? '' : ` hash v${s.container.hashVersion}`}${s.container.signed ? `  signature ${s.container.signature === 'invalid' ? 'INVALID (no longer matches: changed after signing)' : s.container.signature}` : ''}`;
      const t = s.trailer;
      const trailer = [
        t.name !== undefined ? `name ${t.name}` : '',
        t.version !== undefined ? `config version ${t.version}` : '',
        t.iccids ? `IINs ${t.iccids.join(',')}` : '',
        t.mccmnc ? `PLMNs ${t.mccmnc.join(',')}` : '',
      ].filter(Boolean);
      const rows = s.items.map((i) => [
        String(i.type),
        hex2(i.attributes),
        i.id !== undefined ? `NV ${i.id}` : (i.path ?? '(opaque)'),
        String(i.size),
      ]);
      return `${head}\n${trailer.join('  ')}\n${formatTable(rows, ['type', 'attr', 'item', 'size'])}${s.findings.map(findingLine).join('\n')}`;
    });
    return;
  }
  const entries = await inspectCorpus(
    inputs.map((p) => ctx.resolvePath(p)),
    { ...(flags.workers === undefined ? {} : { workers: flags.workers }), progress: ctx.progress() },
  );
  const failed = entries.filter((e) => !e.ok).length;
  ctx.result(
    {
      files: entries.map((e) => ({
        path: e.path,
        ok: e.ok,
        ...(e.summary ?? {}),
        ...(e.error ? { error: e.error } : {}),
      })),
      total: entries.length,
      failed,
    },
    () =>
      formatTable(
        entries.map((e) => [
          e.path,
          e.ok ? (e.summary!.trailer.name ?? '') : e.error!.code,
          e.ok ? e.summary!.version : '',
          e.ok ? String(e.summary!.format) : '',
          e.ok ? e.summary!.typeName : '',
        ]),
        ['file', 'name / error', 'version', 'format', 'type'],
      ) + `${entries.length} files, ${failed} failed\n`,
  );
}

/** `nv qcom mbn diff`. */
export async function mbnDiff(ctx: CliContext, a: string, b: string): Promise<void> {
  const fa = parseMbn(await readInput(ctx, a), { ...NODE_HASH_OPTIONS, path: a });
  const fb = parseMbn(await readInput(ctx, b), { ...NODE_HASH_OPTIONS, path: b });
  const d = diffMbn(fa, fb);
  const rows = diffRows(d);
  // Like diff(1): exit 1 when the files differ, 0 when they are the same.
  if (rows.length > 0) ctx.fail();
  ctx.result(
    d,
    () =>
      formatTable(rows, ['', 'key', 'change']) +
      `${d.added.length} added, ${d.removed.length} removed, ${d.changed.length} changed\n`,
  );
}
