/**
 * `@nv/qcom-mbn/node`: file resolution for `buildPath`, SHA-384 via node:crypto (hash v6/v7), writing
 * `to-xml` output with sidecars, and parallel corpus inspection with worker threads.
 * @module
 */
import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir, readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { NvError, checkLimit, encodeUtf8, type ProgressReporter } from '@nv/core';
import { writeFileAtomic } from '@nv/core/node';
import type { HashOptions } from './elf.ts';
import type { McfgSummary } from './inspect.ts';
import type { FileResolver } from './model.ts';
import type { ToXmlResult } from './to-xml.ts';

/** Largest file a resolver reads (EFS files are ≤ 64 KiB; containers and group XML are small). */
const MAX_RESOLVED_BYTES = 64 * 1024 * 1024;

/**
 * SHA-384 through node:crypto, for hash segments v6/v7.
 *
 * @example
 * nodeSha384(bytes).length; // 48
 */
export function nodeSha384(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha384').update(data).digest());
}

/**
 * SHA-256 through node:crypto (same digests as `@nv/core`, faster).
 *
 * @example
 * nodeSha256(bytes).length; // 32
 */
export function nodeSha256(data: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update(data).digest());
}

/** Hash options with node:crypto SHA-256/384; pass to `parseMbn`, `buildMbn`, `lintMbn`, `rehashMbn`. */
export const NODE_HASH_OPTIONS: HashOptions = Object.freeze({ sha384: nodeSha384, sha256: nodeSha256 });

/**
 * A {@link FileResolver} reading `buildPath`s relative to `baseDir` (the XML's folder or `--build-root`).
 *
 * @example
 * const mbn = buildMbn(parseMcfgXml(text), createFileResolver(dirname(xmlPath)), NODE_HASH_OPTIONS);
 */
export function createFileResolver(baseDir: string): FileResolver {
  const full = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p.replace(/\\/g, '/')));
  return {
    readFile(p) {
      const path = full(p);
      try {
        const st = statSync(path);
        if (!st.isFile()) return undefined;
        checkLimit(`size of ${p}`, st.size, MAX_RESOLVED_BYTES, { path: p });
        return new Uint8Array(readFileSync(path));
      } catch (error) {
        if (NvError.isInstance(error)) throw error;
        return undefined;
      }
    },
    listDir(p) {
      try {
        const entries = readdirSync(full(p), { withFileTypes: true });
        return {
          files: entries.filter((e) => e.isFile()).map((e) => e.name),
          dirs: entries.filter((e) => e.isDirectory()).map((e) => e.name),
        };
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Writes `to-xml` output: the XML at `xmlPath` and each sidecar under the XML's folder, each atomically.
 * Sidecar names come from `toXml` and never leave the folder.
 * @throws NvError `NV_EXISTS` without `force`, `NV_IO`, `NV_BAD_INPUT` for an escaping sidecar name
 *
 * @example
 * await writeToXmlOutput(toXml(parseMbn(bytes), { name: 'tmo' }), 'tmo.xml', { force: true });
 */
export async function writeToXmlOutput(
  result: ToXmlResult,
  xmlPath: string,
  options: { force?: boolean } = {},
): Promise<string[]> {
  const dir = dirname(resolve(xmlPath));
  const written: string[] = [];
  for (const [name, bytes] of Object.entries(result.files)) {
    const target = resolve(dir, name);
    const rel = relative(dir, target);
    if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..'))
      throw new NvError('NV_BAD_INPUT', `sidecar ${name} would be written outside ${dir}`, { path: name });
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, bytes, { force: options.force ?? false });
    written.push(target);
  }
  await writeFileAtomic(resolve(xmlPath), encodeUtf8(result.xml), { force: options.force ?? false });
  return [resolve(xmlPath), ...written];
}

/** One file of a corpus run. */
export interface CorpusEntry {
  readonly path: string;
  readonly ok: boolean;
  readonly summary?: McfgSummary;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Options of {@link inspectCorpus}. */
export interface CorpusOptions {
  /** Worker threads (default: available cores, at most 8; 0 = inspect in this thread). */
  readonly workers?: number;
  /** Files per message to a worker (default 64). */
  readonly batch?: number;
  readonly progress?: ProgressReporter;
  /** Most files to expand from folders (default 1,000,000). */
  readonly maxFiles?: number;
}

/**
 * Expands files and folders (recursively, `*.mbn` in folders; files named directly are taken whatever their name),
 * sorted bytewise per folder.
 * @throws NvError `NV_NOT_FOUND`, `NV_LIMIT`
 *
 * @example
 * const paths = await expandCorpus(['firmware/']);
 */
export async function expandCorpus(inputs: readonly string[], maxFiles = 1_000_000): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string, depth: number): Promise<void> => {
    if (depth > 64) throw new NvError('NV_LIMIT', `folder nesting deeper than 64 at ${dir}`, { path: dir });
    const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    for (const e of entries) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p, depth + 1);
      else if (e.isFile() && e.name.toLowerCase().endsWith('.mbn')) {
        out.push(p);
        if (out.length > maxFiles)
          throw new NvError('NV_LIMIT', `more than ${maxFiles} files in the corpus`, { path: dir });
      }
    }
  };
  for (const input of inputs) {
    let st;
    try {
      st = await stat(input);
    } catch {
      throw new NvError('NV_NOT_FOUND', `${input} does not exist`, { path: input });
    }
    if (st.isDirectory()) await walk(input, 0);
    else out.push(input);
  }
  return out;
}

function startWorker(): Worker {
  const workerData = { nvMbnCorpusWorker: true };
  if (import.meta.url.endsWith('.ts')) {
    // Running from source (tests, `pnpm nv`): Node 20 applies neither --import nor the main thread's hooks to a
    // worker, so an eval bootstrap registers tsx's ESM hooks in the worker, then loads the TypeScript entry.
    const api = pathToFileURL(
      createRequire(import.meta.url)
        .resolve('tsx/esm/api')
        .replace(/\.cjs$/, '.mjs'),
    ).href;
    const entry = new URL('./node-worker.ts', import.meta.url).href;
    const code = `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`;
    return new Worker(code, { eval: true, execArgv: ['--conditions=@nv/source'], workerData });
  }
  return new Worker(new URL('./node-worker.mjs', import.meta.url), { workerData });
}

/**
 * Inspects many MCFG files in parallel with worker threads; one entry per file, in input order. Files that fail
 * to parse are entries with `ok: false` and the error code; the run itself fails only on I/O of the inputs.
 *
 * @example
 * const entries = await inspectCorpus(['corpus/'], { workers: 2 });
 * @throws NvError `NV_NOT_FOUND`, `NV_LIMIT`
 */
export async function inspectCorpus(inputs: readonly string[], options: CorpusOptions = {}): Promise<CorpusEntry[]> {
  const paths = await expandCorpus(inputs, options.maxFiles);
  const progress = options.progress;
  progress?.start('inspect', paths.length, 'files');
  const results: CorpusEntry[] = new Array(paths.length);
  const workers = Math.min(options.workers ?? Math.min(8, availableParallelism()), Math.ceil(paths.length / 16));
  if (workers <= 0 || paths.length < 32) {
    const { inspectOne } = await import('./node-worker.ts');
    paths.forEach((p, i) => {
      results[i] = inspectOne(p);
      progress?.update(i + 1);
    });
    progress?.end();
    return results;
  }
  const batch = Math.max(1, options.batch ?? 64);
  let next = 0;
  let done = 0;
  await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<void>((resolvePromise, reject) => {
          const worker = startWorker();
          let start = 0;
          const send = (): void => {
            if (next >= paths.length) {
              worker.postMessage({ done: true });
              return;
            }
            start = next;
            next = Math.min(paths.length, next + batch);
            worker.postMessage({ paths: paths.slice(start, next) });
          };
          worker.on('message', (msg: { results: CorpusEntry[] }) => {
            msg.results.forEach((r, i) => (results[start + i] = r));
            done += msg.results.length;
            progress?.update(done);
            send();
          });
          worker.on('error', (error) =>
            reject(new NvError('NV_INTERNAL', `corpus worker failed: ${error.message}`, { cause: error })),
          );
          worker.on('exit', () => resolvePromise());
          send();
        }),
    ),
  );
  progress?.end();
  return results;
}
