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
