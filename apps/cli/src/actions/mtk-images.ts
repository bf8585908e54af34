import { mkdir, open, readdir, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { NvError } from '@nv/core';
import { bytesToHex, decodeUtf8 } from '@nv/core/bytes';
import { assertCanWrite, readFileLimited, toNvIoError, writeDirectoryAtomic, writeFileAtomic } from '@nv/core/node';
import {
  LID_LIMITS,
  buildBinRegion,
  checkApFile,
  parseFileVer,
  verifyApFiles,
  isLidFileName,
  inspectBinRegion,
  patchBinRegionFile,
  verifyLidFiles,
} from '@nv/mtk-lid-file';
import { NODE_LID_CRYPTO, listExt4Image, putExt4File, readExt4Files, readExt4ImageFile } from '@nv/mtk-lid-file/node';
import { formatTable, type CliContext } from '../context.ts';
import { usage } from '../options.ts';
import { keyBytes, readTable, type KeyFlags } from './mtk-lid.ts';

const octal = (m: number): string => `0${m.toString(8).padStart(3, '0')}`;

/** Runs `fn` under a progress bar of `steps` steps (stderr on a TTY only; none with --json or --quiet). */
async function withSteps<T>(
  ctx: CliContext,
  label: string,
  steps: number,
  fn: (step: (done: number) => void) => Promise<T>,
): Promise<T> {
  const bar = ctx.progress();
  bar.start(label, steps, 'items');
  try {
    return await fn((done) => bar.update(done));
  } finally {
    bar.end();
  }
}

/** `nv mtk nvdata ls` */
export async function nvdataLs(ctx: CliContext, image: string): Promise<void> {
  const path = ctx.resolvePath(image);
  const entries = await listExt4Image(await readExt4ImageFile(path), { path: image });
  ctx.result({ entries }, () =>
    formatTable(
      entries.map((e) => [e.type, octal(e.mode), `${e.uid}:${e.gid}`, String(e.size), e.label ?? '-', e.path]),
      ['type', 'mode', 'owner', 'size', 'label', 'path'],
    ),
  );
}

/** `nv mtk nvdata extract` */
export async function nvdataExtract(
  ctx: CliContext,
  image: string,
  flags: { output: string; force?: boolean },
): Promise<void> {
  const path = ctx.resolvePath(image);
  const files = await readExt4Files(await readExt4ImageFile(path), { path: image, progress: ctx.progress() });
  const out = ctx.resolvePath(flags.output);
  await writeDirectoryAtomic(
    out,
    async (tmp) => {
      for (const [rel, bytes] of files) {
        await mkdir(dirname(join(tmp, rel)), { recursive: true });
        await writeFile(join(tmp, rel), bytes);
      }
    },
    { force: flags.force === true },
  );
  ctx.result(
    { files: [...files.keys()], output: flags.output },
    () => `extracted ${files.size} files into ${flags.output}\n`,
  );
}

/** `nv mtk nvdata verify`: the `nv mtk lid verify` shape, paths inside the image. */
export async function nvdataVerify(
  ctx: CliContext,
  image: string,
  flags: KeyFlags & { ltable?: string; gen?: 'A' | 'B' },
): Promise<void> {
  const path = ctx.resolvePath(image);
  const entries = flags.ltable !== undefined ? (await readTable(ctx, flags.ltable)).entries : undefined;
  const key = await keyBytes(ctx, flags);
  const files = await readExt4Files(await readExt4ImageFile(path), {
    path: image,
    filter: (p) => isLidFileName(basename(p)),
    progress: ctx.progress(),
  });
  const r = verifyLidFiles(
    [...files].map(([p, bytes]) => ({ path: p, bytes })),
    {
      ...(entries ? { entries } : {}),
      ...(key ? { key } : {}),
      ...(flags.gen ? { generation: flags.gen } : {}),
      crypto: NODE_LID_CRYPTO,
    },
  );
  ctx.result(
    { ok: r.ok, files: r.files },
    () =>
      formatTable(
        r.files.map((f) => [
          f.ok ? 'ok' : 'FAIL',
          f.path,
          f.generation ?? '-',
          f.badRecords.join(',') || '-',
          f.code ?? '',
        ]),
        ['result', 'file', 'gen', 'bad records', 'code'],
      ) + `${r.files.filter((f) => f.ok).length}/${r.files.length} LID files ok\n`,
  );
  if (!r.ok) ctx.fail();
}

/** `nv mtk nvdata put` */
export async function nvdataPut(
  ctx: CliContext,
  image: string,
  file: string,
  flags: { output: string; path?: string; create?: boolean; force?: boolean },
): Promise<void> {
  const inPath = ctx.resolvePath(image);
  const outPath = ctx.resolvePath(flags.output);
  if (resolve(inPath) === resolve(outPath)) usage('-o must name a new image: the input image is never changed');
  await assertCanWrite(outPath, flags.force === true);
  const { r, target } = await withSteps(ctx, 'nvdata put', 4, async (step) => {
    const bytes = await readExt4ImageFile(inPath);
    step(1);
    const body = await readFileLimited(ctx.resolvePath(file), LID_LIMITS.fileBytes);
    let target = flags.path;
    if (target === undefined) {
      const name = basename(file);
      const hits = (await listExt4Image(bytes, { path: image })).filter(
        (e) => e.type === 'file' && basename(e.path) === name,
      );
      if (hits.length !== 1)
        throw new NvError(
          'NV_LID_IMAGE_NO_FILE',
          hits.length === 0
            ? `no file named ${name} in ${image}: give --path (and --create to add it)`
            : `${hits.length} files named ${name} in ${image} (${hits.map((h) => h.path).join(', ')}): give --path`,
          { path: image, data: { matches: hits.map((h) => h.path) } },
        );
      target = hits[0]!.path;
    }
    step(2);
    const r = await putExt4File(bytes, target, body, { path: image, create: flags.create === true });
    step(3);
    for (const w of r.warnings) ctx.note(`warning ${w.code}: ${w.message}`);
    await writeFileAtomic(outPath, r.image, { force: flags.force === true });
    step(4);
    return { r, target };
  });
  const { image: _img, ...rest } = r;
  ctx.result(
    { ...rest, target, output: flags.output },
    () =>
      `${r.action} ${target} (${r.after.size} bytes, mode ${octal(r.after.mode)}, owner ${r.after.uid}:${r.after.gid}, label ${r.after.label ?? '-'}) in ${flags.output}\n`,
  );
}

/** `nv mtk nvram patch` */
export async function nvramPatch(
  ctx: CliContext,
  file: string,
  flags: { lid: string; output: string; name?: string; blockSize?: number; force?: boolean },
): Promise<void> {
  const inPath = ctx.resolvePath(file);
  const outPath = ctx.resolvePath(flags.output);
  if (resolve(inPath) === resolve(outPath)) usage('-o must name a new file: the input partition is never changed');
  await assertCanWrite(outPath, flags.force === true);
  const name = flags.name ?? basename(flags.lid);
  const { checksum, title } = await withSteps(ctx, 'nvram patch', 4, async (step) => {
    const bytes = await readFileLimited(inPath, LID_LIMITS.binRegionBytes);
    const body = await readFileLimited(ctx.resolvePath(flags.lid), LID_LIMITS.binRegionBytes);
    step(1);
    const opts = { path: file, ...(flags.blockSize !== undefined ? { blockSize: flags.blockSize } : {}) };
    const out = patchBinRegionFile(bytes, name, body, opts);
    step(2);
    const inspection = inspectBinRegion(out, opts);
    const checksum = inspection.checksum!.stored;
    const title = inspection.titles.find((t) => t.name === name || t.name.slice(t.name.lastIndexOf('/') + 1) === name)!;
    step(3);
    await writeFileAtomic(outPath, out, { force: flags.force === true });
    step(4);
    return { checksum, title };
  });
  ctx.result(
    { name: title.name, size: title.size, start: title.start, checksum, output: flags.output },
    () => `patched ${title.name} (${title.size} bytes), ulCheckSum 0x${checksum.toString(16)}: ${flags.output}\n`,
  );
}

interface BuildLayout {
  titles?: { name: string }[];
  blockSize?: number;
  blocks?: number;
  badBlocks?: number[];
  groupCounts?: number[];
  commonFileNum?: number;
  customFileNum?: number;
}

async function listTree(root: string, dir: string, out: string[]): Promise<void> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    throw toNvIoError(error, dir);
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (e.isDirectory()) await listTree(root, join(dir, e.name), out);
    else if (e.isFile()) out.push(relative(root, join(dir, e.name)).split('\\').join('/'));
    if (out.length > 100_000) throw new NvError('NV_LIMIT', `more than 100000 files under ${root}`, { path: root });
  }
}

/** `nv mtk nvram build` */
export async function nvramBuild(
  ctx: CliContext,
  dir: string,
  flags: {
    output: string;
    blockSize?: number;
    blocks?: number;
    badBlocks?: string;
    badBlockFill?: number;
    layout?: string;
    force?: boolean;
  },
): Promise<void> {
  const root = ctx.resolvePath(dir);
  const outPath = ctx.resolvePath(flags.output);
  await assertCanWrite(outPath, flags.force === true);
  let layout: BuildLayout = {};
  if (flags.layout !== undefined) {
    const text = decodeUtf8(await readFileLimited(ctx.resolvePath(flags.layout), 64 * 1024 * 1024));
    try {
      layout = JSON.parse(text) as BuildLayout;
    } catch (cause) {
      throw new NvError('NV_BAD_INPUT', `${flags.layout} is not valid JSON`, { path: flags.layout, cause });
    }
  }
  const found: string[] = [];
  await listTree(root, root, found);
  // With a layout (the output of `nv mtk nvram inspect --json`): its title order and names (full paths keep their
  // leading '/'); files of the folder that it does not name follow in name order.
  const names: { name: string; rel: string }[] = [];
  const used = new Set<string>();
  for (const t of layout.titles ?? []) {
    const rel = t.name
      .split('/')
      .filter((x) => x !== '' && x !== '.' && x !== '..')
      .join('/');
    if (!found.includes(rel))
      throw new NvError('NV_NOT_FOUND', `${flags.layout} names ${t.name}, missing from ${dir}`, { path: dir });
    names.push({ name: t.name, rel });
    used.add(rel);
  }
  for (const rel of found) if (!used.has(rel)) names.push({ name: rel, rel });
  const { files, image } = await withSteps(ctx, 'nvram build', names.length + 2, async (step) => {
    const files = [];
    for (const n of names) {
      files.push({ name: n.name, bytes: await readFileLimited(join(root, n.rel), LID_LIMITS.binRegionBytes) });
      step(files.length);
    }
    const bad =
      flags.badBlocks !== undefined
        ? flags.badBlocks.split(',').map((x) => {
            const v = Number(x.trim());
            if (!Number.isInteger(v) || v < 0) usage(`--bad-blocks: "${x}" is not a block number`);
            return v;
          })
        : layout.badBlocks;
    const blockSize = flags.blockSize ?? layout.blockSize;
    const blocks = flags.blocks ?? layout.blocks;
    let image: Uint8Array;
    try {
      image = buildBinRegion(files, {
        ...(blockSize !== undefined ? { blockSize } : {}),
        ...(blocks !== undefined ? { blocks } : {}),
        ...(bad ? { badBlocks: bad } : {}),
        ...(flags.badBlockFill !== undefined ? { badBlockFill: flags.badBlockFill } : {}),
        ...(layout.groupCounts ? { groupCounts: layout.groupCounts } : {}),
        ...(layout.commonFileNum !== undefined ? { commonFileNum: layout.commonFileNum } : {}),
        ...(layout.customFileNum !== undefined ? { customFileNum: layout.customFileNum } : {}),
      });
    } catch (error) {
      if (error instanceof RangeError)
        throw new NvError('NV_LID_BIN_BUILD', `${dir}: ${error.message}`, { path: dir, cause: error });
      throw error;
    }
    step(names.length + 1);
    await writeFileAtomic(outPath, image, { force: flags.force === true });
    step(names.length + 2);
    return { files, image };
  });
  ctx.result(
    { output: flags.output, size: image.length, files: files.map((f) => ({ name: f.name, size: f.bytes.length })) },
    () => `built ${flags.output}: ${files.length} files, ${image.length} bytes\n`,
  );
}

/** True when `path` is a regular file with the ext superblock magic (an nvdata/protect image). */
export async function isExtImage(path: string): Promise<boolean> {
  let fh;
  try {
    if (!(await stat(path)).isFile()) return false;
    fh = await open(path, 'r');
    const b = new Uint8Array(2);
    await fh.read(b, 0, 2, 1080);
    return b[0] === 0x53 && b[1] === 0xef;
  } catch (error) {
    throw toNvIoError(error, path);
  } finally {
    await fh?.close();
  }
}

// AP files of a folder or an image: those under an APCFG folder when there is one, else every non-LID file.
async function readApFiles(ctx: CliContext, target: string): Promise<{ path: string; bytes: Uint8Array }[]> {
  const abs = ctx.resolvePath(target);
  let all: { path: string; bytes: Uint8Array }[];
  if (await isExtImage(abs)) {
    const m = await readExt4Files(await readExt4ImageFile(abs), { path: target, progress: ctx.progress() });
    all = [...m].map(([path, bytes]) => ({ path, bytes }));
  } else {
    const rels: string[] = [];
    await listTree(abs, abs, rels);
    all = [];
    for (const rel of rels)
      all.push({ path: join(target, rel), bytes: await readFileLimited(join(abs, rel), LID_LIMITS.fileBytes) });
  }
  const norm = (p: string): string => `/${p.split('\\').join('/')}`;
  const ap = all.filter((f) => norm(f.path).includes('/APCFG/'));
  return ap.length > 0 ? ap : all.filter((f) => !isLidFileName(basename(f.path)));
}

async function readSizes(ctx: CliContext, file: string | undefined): Promise<Record<string, number> | undefined> {
  if (file === undefined) return undefined;
  const text = decodeUtf8(await readFileLimited(ctx.resolvePath(file), 16 * 1024 * 1024));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new NvError('NV_BAD_INPUT', `${file} is not valid JSON`, { path: file, cause });
  }
  if (
    typeof raw !== 'object' ||
    raw === null ||
    Object.values(raw).some((v) => typeof v !== 'number' || !Number.isInteger(v) || v < 0)
  )
    throw new NvError('NV_BAD_INPUT', `${file} must be {"NAME": data size in bytes, …}`, { path: file });
  return raw as Record<string, number>;
}

const apRows = (files: ReturnType<typeof verifyApFiles>['files']): string =>
  formatTable(
    files.map((f) => [
      f.ok ? 'ok' : 'FAIL',
      f.path,
      String(f.size),
      f.kind,
      f.trailer ?? '-',
      f.ver ?? '-',
      f.code ?? '',
    ]),
    ['result', 'file', 'size', 'kind', 'trailer', 'ver', 'code'],
  );

/** `nv mtk ap ls` */
export async function apLs(ctx: CliContext, target: string, flags: { sizes?: string }): Promise<void> {
  const sizes = await readSizes(ctx, flags.sizes);
  const r = verifyApFiles(await readApFiles(ctx, target), sizes ? { sizes } : {});
  const files = r.files.map(({ entries: _e, message: _m, ...f }) => f);
  ctx.result({ files }, () => apRows(r.files));
}

/** `nv mtk ap verify`: the `nv mtk lid verify` shape. */
export async function apVerify(ctx: CliContext, target: string, flags: { sizes?: string }): Promise<void> {
  const sizes = await readSizes(ctx, flags.sizes);
  const r = verifyApFiles(await readApFiles(ctx, target), sizes ? { sizes } : {});
  ctx.result(r, () => apRows(r.files) + `${r.files.filter((f) => f.ok).length}/${r.files.length} AP files ok\n`);
  if (!r.ok) ctx.fail();
}

/** `nv mtk ap decode` */
export async function apDecode(ctx: CliContext, file: string, flags: { size?: number }): Promise<void> {
  const bytes = await readFileLimited(ctx.resolvePath(file), LID_LIMITS.fileBytes);
  if (basename(file) === 'FILE_VER') {
    const entries = parseFileVer(bytes, bytes.length % 74 === 0 ? 'new' : 'old', file);
    ctx.result({ kind: 'filever', size: bytes.length, entries }, () =>
      formatTable(
        entries.map((e) => [String(e.lid), e.name, e.ver]),
        ['lid', 'name', 'ver'],
      ),
    );
    return;
  }
  const c = checkApFile(bytes, flags.size, file);
  const json = {
    kind: 'ap',
    size: bytes.length,
    ok: c.ok,
    trailer: c.trailer,
    dataSize: c.data.length,
    ...(c.stored !== undefined ? { stored: c.stored, computed: c.computed } : {}),
    data: bytesToHex(c.data),
  };
  ctx.result(
    json,
    () =>
      `${c.data.length} data bytes, trailer ${c.trailer}${c.stored !== undefined ? ` (CheckNo 0x${c.stored.toString(16)}, computed 0x${(c.computed ?? 0).toString(16)})` : ''}\n${json.data.length > 128 ? `${json.data.slice(0, 128)}…` : json.data}\n`,
  );
  if (!c.ok) ctx.fail();
}
