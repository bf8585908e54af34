import { dirname, basename } from 'node:path';
import { stat } from 'node:fs/promises';
import { NvError } from '@nv/core';
import { bytesEqual, decodeUtf8 } from '@nv/core/bytes';
import { readFileLimited, writeFileAtomic } from '@nv/core/node';
import {
  buildMbn,
  diffMbn,
  diffRows,
  lintMbn,
  lintMcfgXml,
  parseMbn,
  parseMcfgXml,
  summarizeMcfg,
  toXml,
  type McfgFinding,
} from '@nv/qcom-mbn';
import {
  NODE_HASH_OPTIONS,
  createFileResolver,
  inspectCorpus,
  streamCorpus,
  writeToXmlOutput,
} from '@nv/qcom-mbn/node';
import { formatTable, type CliContext } from '../context.ts';
import { usage } from '../options.ts';

const MAX_MBN = 64 * 1024 * 1024;

async function readInput(ctx: CliContext, path: string): Promise<Uint8Array> {
  return readFileLimited(ctx.resolvePath(path), MAX_MBN);
}

const hex2 = (v: number): string => `0x${v.toString(16).toUpperCase().padStart(2, '0')}`;
const findingLine = (f: McfgFinding): string => `${f.severity.padEnd(7)} ${f.code}  ${f.message}`;

/** `nv qcom mbn build`. */
export async function mbnBuild(
  ctx: CliContext,
  xmlPath: string,
  flags: {
    output: string;
    force?: boolean;
    buildRoot?: string;
    dialect?: number;
    format?: number;
    quirks?: 'jo';
    stripSignature?: boolean;
  },
): Promise<void> {
  const abs = ctx.resolvePath(xmlPath);
  const text = decodeUtf8(await readFileLimited(abs, MAX_MBN), { path: abs });
  const doc = parseMcfgXml(text, {
    path: xmlPath,
    ...(flags.dialect === undefined ? {} : { dialect: flags.dialect as 1 | 2 }),
  });
  const warnings: McfgFinding[] = [];
  const bytes = buildMbn(
    doc,
    createFileResolver(flags.buildRoot !== undefined ? ctx.resolvePath(flags.buildRoot) : dirname(abs)),
    {
      ...NODE_HASH_OPTIONS,
      ...(flags.format === undefined ? {} : { format: flags.format }),
      ...(flags.quirks === undefined ? {} : { quirks: flags.quirks }),
      ...(flags.stripSignature === true ? { stripSignature: true } : {}),
      onWarning: (f) => warnings.push(f),
    },
  );
  await writeFileAtomic(ctx.resolvePath(flags.output), bytes, { force: flags.force ?? false });
  const file = parseMbn(bytes, NODE_HASH_OPTIONS);
  for (const w of warnings) ctx.note(`warning: ${w.code} ${w.message}`);
  ctx.result(
    {
      items: file.items.length,
      version: `0x${file.version.toString(16).toUpperCase().padStart(8, '0')}`,
      size: bytes.length,
      format: file.format,
      output: flags.output,
      warnings,
    },
    () =>
      `wrote ${flags.output}: ${bytes.length} bytes, ${file.items.length} items, format ${file.format}, version 0x${file.version.toString(16).toUpperCase().padStart(8, '0')}`,
  );
}

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

/** `nv qcom mbn to-xml`: decompile and prove the round trip before writing anything. */
export async function mbnToXml(
  ctx: CliContext,
  input: string,
  flags: { output: string; force?: boolean },
): Promise<void> {
  const bytes = await readInput(ctx, input);
  const file = parseMbn(bytes, { ...NODE_HASH_OPTIONS, path: input });
  const name = basename(flags.output).replace(/\.xml$/i, '');
  const result = toXml(file, { name });
  const rebuilt = buildMbn(parseMcfgXml(result.xml), { readFile: (p) => result.files[p] }, NODE_HASH_OPTIONS);
  const reference = file.findings.some(
    (f) => f.code === 'NV_MBN_HASH_MISMATCH' || f.code === 'NV_MBN_HEADER_HASH_MISMATCH',
  )
    ? undefined
    : bytes;
  if (reference !== undefined && !bytesEqual(rebuilt, reference)) {
    throw new NvError(
      'NV_MBN_ROUNDTRIP',
      `the decompiled XML does not rebuild ${input} byte for byte; nothing was written (please report this file)`,
      { path: input },
    );
  }
  if (reference === undefined) ctx.note('warning: the input hashes are stale; building the XML gives a re-hashed file');
  const written = await writeToXmlOutput(result, ctx.resolvePath(flags.output), { force: flags.force ?? false });
  ctx.result(
    { items: file.items.length, rawItems: result.rawItems, files: written.slice(1), output: flags.output },
    () =>
      `wrote ${flags.output}: ${file.items.length} items (${result.rawItems} raw), ${written.length - 1} sidecar files`,
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

/** `nv qcom mbn lint`: MBN or XML (by content); exit 1 when there is an error finding. */
export async function mbnLint(
  ctx: CliContext,
  input: string,
  flags: { target?: 'jo' | 'v4'; family?: number; buildRoot?: string; profile?: 'device' | 'build' },
): Promise<void> {
  const abs = ctx.resolvePath(input);
  const bytes = await readFileLimited(abs, MAX_MBN);
  let i = 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 ||
      bytes[i] === 0x0a ||
      bytes[i] === 0x0d ||
      bytes[i] === 0x09 ||
      bytes[i] === 0xef ||
      bytes[i] === 0xbb ||
      bytes[i] === 0xbf)
  )
    i++;
  const options = {
    ...NODE_HASH_OPTIONS,
    ...(flags.target === undefined ? {} : { target: flags.target }),
    ...(flags.family === undefined ? {} : { family: flags.family }),
    ...(flags.profile === undefined ? {} : { profile: flags.profile }),
  };
  const result =
    bytes[i] === 0x3c
      ? lintMcfgXml(
          decodeUtf8(bytes.subarray(i), { path: abs }),
          createFileResolver(flags.buildRoot !== undefined ? ctx.resolvePath(flags.buildRoot) : dirname(abs)),
          options,
        )
      : lintMbn(bytes, options);
  if (!result.ok) ctx.fail();
  ctx.result(result, () =>
    result.findings.length === 0
      ? `${input}: no findings`
      : `${result.findings.map(findingLine).join('\n')}\n${result.ok ? 'ok' : 'errors found'}`,
  );
}
