import { dirname, basename } from 'node:path';
import { NvError } from '@nv/core';
import { bytesEqual, decodeUtf8 } from '@nv/core/bytes';
import { readFileLimited, writeFileAtomic } from '@nv/core/node';
import { buildMbn, lintMbn, lintMcfgXml, parseMbn, parseMcfgXml, toXml, type McfgFinding } from '@nv/qcom-mbn';
import { NODE_HASH_OPTIONS, createFileResolver, writeToXmlOutput } from '@nv/qcom-mbn/node';
import type { CliContext } from '../context.ts';
import { MAX_MBN, findingLine, readInput } from './qcom-mbn-read.ts';

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
