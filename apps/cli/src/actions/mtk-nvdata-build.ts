import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { NvError } from '@nv/core';
import { decodeUtf8 } from '@nv/core/bytes';
import { assertCanWrite, readFileLimited, toNvIoError, writeFileAtomic } from '@nv/core/node';
import { EXT4_BUILD_DEFAULTS, buildExt4Image, type Ext4BuildEntry } from '@nv/mtk-lid-file/node';
import type { CliContext } from '../context.ts';
import { usage } from '../options.ts';

const MAX_ENTRIES = 100_000;
/** Largest single file put in an image (a LID or AP file is far smaller; the bound keeps memory in check). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
type Owner = { mode?: number; uid?: number; gid?: number };

/** `--size`: bytes, `0x` hex, or a whole number with `K`/`M`/`G` (binary units). */
export function parseImageSize(text: string): number {
  const m = /^(0x[0-9a-f]+|\d+)([kmg])?i?b?$/i.exec(text.trim());
  if (!m) usage(`--size: "${text}" is not a size (bytes, or e.g. 32M)`);
  const unit = { k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[(m[2] ?? '').toLowerCase() as 'k' | 'm' | 'g'] ?? 1;
  return Number(m[1]) * unit;
}

/** Reads the `--owners` sidecar: the output of `nv mtk nvdata ls --json` (or its `entries` list). */
async function readOwners(ctx: CliContext, file: string): Promise<Map<string, Owner>> {
  const text = decodeUtf8(await readFileLimited(ctx.resolvePath(file), 64 * 1024 * 1024));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new NvError('NV_BAD_INPUT', `${file} is not valid JSON`, { path: file, cause });
  }
  const list = Array.isArray(raw) ? raw : (raw as { entries?: unknown } | null)?.entries;
  if (!Array.isArray(list))
    throw new NvError('NV_BAD_INPUT', `${file} must be the output of nv mtk nvdata ls --json ({"entries": […]})`, {
      path: file,
    });
  const out = new Map<string, Owner>();
  list.forEach((e: unknown, i) => {
    const o = e as Record<string, unknown> | null;
    const ok = (v: unknown, max: number): boolean =>
      v === undefined || (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max);
    if (typeof o?.['path'] !== 'string' || !ok(o['mode'], 0o7777) || !ok(o['uid'], 0xffff) || !ok(o['gid'], 0xffff))
      throw new NvError('NV_BAD_INPUT', `${file}: entries[${i}] needs a path and numeric mode/uid/gid`, {
        path: file,
      });
    const owner: Owner = {};
    if (o['mode'] !== undefined) owner.mode = o['mode'] as number;
    if (o['uid'] !== undefined) owner.uid = o['uid'] as number;
    if (o['gid'] !== undefined) owner.gid = o['gid'] as number;
    out.set(o['path'].split('/').filter(Boolean).join('/'), owner);
  });
  return out;
}

async function walk(root: string, rel: string, out: { rel: string; dir: boolean }[], skipped: string[]) {
  let entries;
  try {
    entries = await readdir(join(root, rel), { withFileTypes: true });
  } catch (error) {
    throw toNvIoError(error, join(root, rel));
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const r = rel === '' ? e.name : `${rel}/${e.name}`;
    if (rel === '' && e.name === 'lost+found') continue; // the formatter makes its own
    if (out.length >= MAX_ENTRIES)
      throw new NvError('NV_LIMIT', `more than ${MAX_ENTRIES} entries under ${root}`, { path: root });
    if (e.isDirectory()) {
      out.push({ rel: r, dir: true });
      await walk(root, r, out, skipped);
    } else if (e.isFile()) out.push({ rel: r, dir: false });
    else skipped.push(r);
  }
}

/** `nv mtk nvdata build` */
export async function nvdataBuild(
  ctx: CliContext,
  dir: string,
  flags: { output: string; size?: string; owners?: string; label?: string; force?: boolean },
): Promise<void> {
  const root = ctx.resolvePath(dir);
  const outPath = ctx.resolvePath(flags.output);
  await assertCanWrite(outPath, flags.force === true);
  let isDir: boolean;
  try {
    isDir = (await lstat(root)).isDirectory();
  } catch (error) {
    throw toNvIoError(error, root);
  }
  if (!isDir) usage(`${dir} is not a folder`);
  const owners = flags.owners !== undefined ? await readOwners(ctx, flags.owners) : new Map<string, Owner>();
  const found: { rel: string; dir: boolean }[] = [];
  const skipped: string[] = [];
  await walk(root, '', found, skipped);
  for (const s of skipped) ctx.note(`warning: ${s} is not a file or a folder: left out`);
  const entries: Ext4BuildEntry[] = [];
  for (const f of found)
    entries.push({
      path: f.rel,
      type: f.dir ? 'dir' : 'file',
      ...(f.dir ? {} : { bytes: await readFileLimited(join(root, f.rel), MAX_FILE_BYTES) }),
      ...owners.get(f.rel),
    });
  const rootOwner = owners.get('') ?? {};
  const image = await buildExt4Image(entries, {
    path: dir,
    time: Math.floor(Date.now() / 1000),
    uuid: crypto.getRandomValues(new Uint8Array(16)),
    ...(flags.size !== undefined ? { size: parseImageSize(flags.size) } : {}),
    ...(flags.label !== undefined ? { label: flags.label } : {}),
    defaults: {
      ...(rootOwner.uid !== undefined ? { uid: rootOwner.uid } : {}),
      ...(rootOwner.gid !== undefined ? { gid: rootOwner.gid } : {}),
    },
  });
  await writeFileAtomic(outPath, image, { force: flags.force === true });
  const files = entries.filter((e) => e.type === 'file').length;
  const fromSidecar = entries.filter((e) => owners.has(e.path)).length;
  ctx.result(
    {
      output: flags.output,
      size: image.length,
      files,
      folders: entries.length - files,
      owners: { fromSidecar, defaults: entries.length - fromSidecar, ...EXT4_BUILD_DEFAULTS },
      skipped,
    },
    () =>
      `built ${flags.output}: ${files} files, ${entries.length - files} folders, ${image.length} bytes (${fromSidecar} owners from ${flags.owners ?? 'no sidecar'}, others ${EXT4_BUILD_DEFAULTS.uid}:${EXT4_BUILD_DEFAULTS.gid} 0771/0660)\n`,
  );
}
