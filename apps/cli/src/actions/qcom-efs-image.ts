/**
 * `nv qcom efs pack`, `ls`, `unpack`: the device image commands. They import only `@nv/qcom-efs/node` at start-up, so
 * a pack loads neither the XML compiler nor tar-stream (issue 17: whole-process time of `efs pack`).
 */
import { stat } from 'node:fs/promises';
import type { EfsTree, EfsWarning, TarFormat } from '@nv/qcom-efs';
import { assertCanWrite } from '@nv/core/node';
import {
  listEfsImageFile,
  readEfsFolder,
  readEfsImageFile,
  unpackEfsImageFile,
  writeEfsFolder,
  writeEfsImageFile,
} from '@nv/qcom-efs/node';
import { formatTable, type CliContext } from '../context.ts';

function warn(ctx: CliContext, warnings: readonly EfsWarning[]): void {
  for (const w of warnings) ctx.note(`warning ${w.code}: ${w.message}`);
}

export async function isFolder(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

/** A tree from a folder (with manifest) or any EFS image file. */
export async function readTree(
  ctx: CliContext,
  input: string,
): Promise<{ tree: EfsTree; container: string; warnings: EfsWarning[] }> {
  const path = ctx.resolvePath(input);
  if (await isFolder(path)) {
    const { tree, warnings } = await readEfsFolder(path);
    return { tree, container: 'folder', warnings };
  }
  const image = await readEfsImageFile(path, { strictTypeflag: false });
  return { tree: image.tree, container: image.chain.join('>'), warnings: image.warnings };
}

/** `nv qcom efs pack` */
export async function efsPack(
  ctx: CliContext,
  dir: string,
  flags: { output: string; force?: boolean; format?: TarFormat; tar?: boolean; pad512?: boolean; mtime?: number },
): Promise<void> {
  const out = ctx.resolvePath(flags.output);
  await assertCanWrite(out, flags.force === true);
  const { tree, warnings: rw } = await readEfsFolder(
    ctx.resolvePath(dir),
    flags.mtime !== undefined ? { mtime: flags.mtime } : {},
  );
  const r = await writeEfsImageFile(out, tree, {
    force: flags.force === true,
    gzip: flags.tar !== true,
    pad512: flags.pad512 === true,
    progress: ctx.progress(),
    ...(flags.format !== undefined ? { format: flags.format } : {}),
  });
  warn(ctx, [...rw, ...r.warnings]);
  ctx.result(
    {
      entries: r.entries,
      tarBytes: r.tarBytes,
      gzBytes: r.gzBytes,
      output: flags.output,
      warnings: [...rw, ...r.warnings],
    },
    () =>
      `${flags.output}: ${r.entries} entries, tar ${r.tarBytes} B${flags.tar === true ? '' : `, gzip ${r.gzBytes} B`}\n`,
  );
}

/** `nv qcom efs ls` */
export async function efsLs(ctx: CliContext, file: string): Promise<void> {
  // A big plain tar.gz is streamed (bounded memory, issue 17); the rows are the same.
  const { container, entries, warnings } = await listEfsImageFile(ctx.resolvePath(file), { strictTypeflag: false });
  warn(ctx, warnings);
  ctx.result(
    { container, entries, warnings },
    () =>
      `${container}\n${formatTable(
        entries.map((e) => [
          e.mode,
          e.type,
          String(e.size),
          e.target !== undefined ? `${e.path} -> ${e.target}` : e.path,
        ]),
        ['mode', 'type', 'size', 'path'],
      )}`,
  );
}

/** `nv qcom efs unpack` */
export async function efsUnpack(
  ctx: CliContext,
  file: string,
  flags: { output: string; force?: boolean; links?: boolean },
): Promise<void> {
  const path = ctx.resolvePath(file);
  // A folder input keeps the tree path (the same checks); an image file may be streamed (issue 17).
  const { files, entries, container, warnings } = (await isFolder(path))
    ? await (async () => {
        const r = await readTree(ctx, file);
        warn(ctx, r.warnings);
        const w = await writeEfsFolder(ctx.resolvePath(flags.output), r.tree, {
          force: flags.force === true,
          links: flags.links === true,
          inputs: [path],
        });
        return { files: w.files, entries: r.tree.entries.length, container: r.container, warnings: r.warnings };
      })()
    : await unpackEfsImageFile(path, ctx.resolvePath(flags.output), {
        strictTypeflag: false,
        force: flags.force === true,
        links: flags.links === true,
        inputs: [path],
      });
  if (!(await isFolder(path))) warn(ctx, warnings);
  ctx.result(
    { files, entries, container, output: flags.output, warnings },
    () => `${flags.output}: ${files} files from ${container}\n`,
  );
}
