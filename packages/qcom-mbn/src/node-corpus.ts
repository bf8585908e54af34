/**
 * Corpus inspection for `./node`: expands files and folders, then inspects them in worker threads
 * (`node-worker.ts`) or in this thread for small runs.
 * @module
 */
import { readdir, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { NvError, type ProgressReporter } from '@nv/core';
import type { McfgSummary } from './inspect.ts';

/** One file of a corpus run. */
export interface CorpusEntry {
  readonly path: string;
  readonly ok: boolean;
  readonly summary?: McfgSummary;
  readonly error?: { readonly code: string; readonly message: string };
}

/** Options of {@link inspectCorpus}. */
export interface CorpusOptions {
  /** Worker threads (default: 0 on 2 cores or fewer, else cores − 1, at most 8; 0 = inspect in this thread). */
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
 * One file as a line of `nv qcom mbn inspect --jsonl`: the compact JSON of `{path, ok, …summary, error?}` (the same
 * fields as an entry of `--json`'s `files[]`), without the newline.
 *
 * @example
 * corpusLine({ path: 'a.mbn', ok: false, error: { code: 'NV_MBN_NOT_ELF', message: '…' } });
 */
export function corpusLine(e: CorpusEntry): string {
  if (e.summary === undefined)
    return JSON.stringify({ path: e.path, ok: e.ok, ...(e.error ? { error: e.error } : {}) });
  // The item list is most of a line: written by hand (the same text JSON.stringify gives), the rest by JSON.stringify
  // with a marker in the items' place. A marker inside a string value would be escaped (`\"`), so the unescaped
  // `,"items":"…"` text occurs once, where the key is.
  const text = JSON.stringify({
    path: e.path,
    ok: e.ok,
    ...e.summary,
    items: ITEMS_MARKER,
    ...(e.error ? { error: e.error } : {}),
  });
  const at = text.indexOf(ITEMS_TEXT);
  return `${text.slice(0, at)},"items":${itemsJson(e.summary.items)}${text.slice(at + ITEMS_TEXT.length)}`;
}

const ITEMS_MARKER = '\u0000nv-items\u0000';
const ITEMS_TEXT = `,"items":${JSON.stringify(ITEMS_MARKER)}`;

function itemsJson(items: McfgSummary['items']): string {
  const parts = new Array<string>(items.length);
  for (let k = 0; k < items.length; k++) {
    const i = items[k]!;
    parts[k] =
      i.path !== undefined
        ? `{"type":${i.type},"attributes":${i.attributes}${i.id === undefined ? '' : `,"id":${i.id}`},"path":${JSON.stringify(i.path)},"size":${i.size}}`
        : `{"type":${i.type},"attributes":${i.attributes}${i.id === undefined ? '' : `,"id":${i.id}`},"size":${i.size}}`;
  }
  return `[${parts.join(',')}]`;
}

type Batch = { results: CorpusEntry[] } | { lines: string; failed: number };

/**
 * Runs `paths` through a pool of worker threads, `batch` paths per message; `onBatch(start, reply)` gets each reply
 * with the index of its first path (replies arrive in completion order).
 */
async function runPool(
  paths: readonly string[],
  workers: number,
  batch: number,
  lines: boolean,
  onBatch: (start: number, reply: Batch, count: number) => void,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<void>((resolvePromise, reject) => {
          const worker = startWorker();
          let start = 0;
          let count = 0;
          const send = (): void => {
            if (next >= paths.length) {
              worker.postMessage({ done: true });
              return;
            }
            start = next;
            next = Math.min(paths.length, next + batch);
            count = next - start;
            worker.postMessage({ paths: paths.slice(start, next), lines });
          };
          worker.on('message', (msg: Batch) => {
            onBatch(start, msg, count);
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
}

/**
 * Default pool size: none on 2 cores or fewer, else one per core but the main thread's, at most 8. Measured with
 * `--cpu-prof` on a shared 2-core box over 10 000 realistic MBNs: each worker pays its start-up, its own JIT warm-up
 * and heap, and the clone of its replies, so two workers took about twice the CPU time of the main thread alone
 * (6.8 s against 3.2 s) and twice the wall time; the second core did not pay that back.
 */
function defaultWorkers(): number {
  const cores = availableParallelism();
  return cores <= 2 ? 0 : Math.min(8, cores - 1);
}

const poolSize = (options: CorpusOptions, files: number): number =>
  files < 32 ? 0 : Math.min(options.workers ?? defaultWorkers(), Math.ceil(files / 16));

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
  const workers = poolSize(options, paths.length);
  if (workers <= 0) {
    const { inspectOne } = await import('./node-worker.ts');
    paths.forEach((p, i) => {
      results[i] = inspectOne(p);
      progress?.update(i + 1);
    });
  } else {
    let done = 0;
    await runPool(paths, workers, Math.max(1, options.batch ?? 64), false, (start, msg) => {
      if (!('results' in msg)) return;
      msg.results.forEach((r, i) => (results[start + i] = r));
      done += msg.results.length;
      progress?.update(done);
    });
  }
  progress?.end();
  return results;
}

/**
 * Inspects many MCFG files and streams one JSON line per file ({@link corpusLine}, `\n`-terminated) to `write`, in
 * input order, as batches complete: `nv qcom mbn inspect --jsonl`. Workers serialise their own batch, so the main
 * thread only writes text, and memory holds the batches in flight rather than every summary of the corpus.
 * @throws NvError `NV_NOT_FOUND`, `NV_LIMIT`
 *
 * @example
 * const { total, failed } = await streamCorpus(['firmware/'], (text) => process.stdout.write(text));
 */
export async function streamCorpus(
  inputs: readonly string[],
  write: (text: string) => void,
  options: CorpusOptions = {},
): Promise<{ total: number; failed: number }> {
  const paths = await expandCorpus(inputs, options.maxFiles);
  const progress = options.progress;
  progress?.start('inspect', paths.length, 'files');
  let failed = 0;
  const workers = poolSize(options, paths.length);
  if (workers <= 0) {
    const { inspectOne } = await import('./node-worker.ts');
    paths.forEach((p, i) => {
      const e = inspectOne(p);
      if (!e.ok) failed++;
      write(`${corpusLine(e)}\n`);
      progress?.update(i + 1);
    });
  } else {
    // Replies come in completion order; hold the early ones until the batches before them are written.
    const held = new Map<number, { text: string; count: number }>();
    let written = 0;
    await runPool(paths, workers, Math.max(1, options.batch ?? 64), true, (start, msg, count) => {
      if (!('lines' in msg)) return;
      failed += msg.failed;
      held.set(start, { text: msg.lines, count });
      for (let b = held.get(written); b !== undefined; b = held.get(written)) {
        held.delete(written);
        write(b.text);
        written += b.count;
      }
      progress?.update(written);
    });
  }
  progress?.end();
  return { total: paths.length, failed };
}
