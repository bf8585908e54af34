/**
 * Worker thread of {@link inspectCorpus} (`./node`): reads and inspects the files it is sent.
 * Messages in: `{ paths: string[], lines?: boolean }` or `{ done: true }`; out: `{ results: CorpusEntry[] }`, or
 * with `lines` `{ lines: string, failed: number }` (one JSON line per file, as `streamCorpus` writes them).
 * @module
 */
import { readFileSync, statSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { NvError } from '@nv/core';
import { nodeSha256, nodeSha384 } from '@nv/core/node';
import { inspectMbn } from './inspect.ts';
import { corpusLine, type CorpusEntry } from './node-corpus.ts';
import { verifyMbnSignatures } from './node.ts';

const MAX_FILE = 64 * 1024 * 1024;

/**
 * Inspects one file; never throws (errors become entries).
 *
 * @example
 * inspectOne('mcfg_sw.mbn').summary?.trailer.name;
 */
export function inspectOne(path: string): CorpusEntry {
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE)
      return { path, ok: false, error: { code: 'NV_LIMIT', message: `file is ${size} bytes, over ${MAX_FILE}` } };
    const bytes = new Uint8Array(readFileSync(path));
    return {
      path,
      ok: true,
      summary: inspectMbn(bytes, {
        sha384: nodeSha384,
        sha256: nodeSha256,
        verifySignature: verifyMbnSignatures,
        path,
      }),
    };
  } catch (error) {
    if (NvError.isInstance(error)) return { path, ok: false, error: { code: error.code, message: error.message } };
    const e = error as NodeJS.ErrnoException;
    return { path, ok: false, error: { code: e.code === 'ENOENT' ? 'NV_NOT_FOUND' : 'NV_IO', message: e.message } };
  }
}

// Only when started by inspectCorpus (a test runner's own worker thread must not be hijacked).
if (parentPort && (workerData as { nvMbnCorpusWorker?: boolean } | null)?.nvMbnCorpusWorker === true) {
  const port = parentPort;
  port.on('message', (msg: { paths?: string[]; lines?: boolean; done?: boolean }) => {
    if (msg.done) {
      port.close();
      return;
    }
    const results = (msg.paths ?? []).map(inspectOne);
    if (msg.lines !== true) {
      port.postMessage({ results });
      return;
    }
    // JSON Lines mode: the text is made here, so the main thread receives one string per batch.
    const lines = results.map(corpusLine);
    lines.push('');
    port.postMessage({ lines: lines.join('\n'), failed: results.filter((e) => !e.ok).length });
  });
}
