/**
 * `@nv/core/node`: Node-only file helpers. Atomic writes (same-folder temp file, fsync, rename), the
 * refuse-to-overwrite rule, size-capped reads, and mapping of OS errors to `NvError` codes.
 * @module
 */
import { constants as fsConstants } from 'node:fs';
import { access, lstat, mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { delimiter, dirname, basename, join } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { NvError } from './errors.ts';
import { checkLimit } from './errors.ts';
import { DEFAULT_LIMITS } from './limits.ts';
import type { IncrementalHash } from './hash.ts';

/** Turns a Node `fs` error into an `NvError` naming the path (`NV_NOT_FOUND`, `NV_EXISTS` or `NV_IO`). */
export function toNvIoError(error: unknown, path: string): NvError {
  if (NvError.isInstance(error)) return error.withPath(path);
  const code = (error as { code?: string } | null)?.code;
  if (code === 'ENOENT') return new NvError('NV_NOT_FOUND', `${path}: no such file or folder`, { path, cause: error });
  if (code === 'EEXIST')
    return new NvError('NV_EXISTS', `${path} already exists; pass --force to replace it`, { path, cause: error });
  if (code === 'EISDIR')
    return new NvError('NV_IO', `${path} is a folder, a file was expected`, { path, cause: error });
  if (code === 'ENOTDIR')
    return new NvError('NV_IO', `${path}: a part of the path is not a folder`, { path, cause: error });
  if (code === 'EACCES' || code === 'EPERM')
    return new NvError('NV_IO', `${path}: permission denied`, { path, cause: error });
  if (code === 'ENOSPC') return new NvError('NV_IO', `${path}: no space left on the device`, { path, cause: error });
  const detail = error instanceof Error ? error.message : String(error);
  return new NvError('NV_IO', `${path}: ${detail}`, { path, cause: error });
}

/** Options for writing output files. */
export interface WriteOptions {
  /** Replace an existing output (the CLI's `--force`). Default false. */
  readonly force?: boolean;
  /** File mode for a new file, e.g. `0o600` for private keys. Default `0o644`. */
  readonly mode?: number;
}

/**
 * Throws `NV_EXISTS` if `path` exists and `force` is not set. Call it before expensive work so a user
 * learns at once, not after minutes of computing.
 */
export async function assertCanWrite(path: string, force = false): Promise<void> {
  if (force) return;
  try {
    await lstat(path);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return;
    throw toNvIoError(error, path);
  }
  throw new NvError('NV_EXISTS', `${path} already exists; pass --force to replace it`, { path });
}

function tempNameFor(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/**
 * Writes a file atomically: a temporary file in the same folder is written and fsynced, then renamed over
 * `path`. A reader never sees a partial file; on any failure the temporary file is removed.
 * Accepts bytes or an (async) iterable of chunks, so large outputs stream with bounded memory.
 *
 * @throws NvError `NV_EXISTS` (no `force`), `NV_IO`, `NV_NOT_FOUND` (missing folder).
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string | AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: WriteOptions = {},
): Promise<void> {
  await assertCanWrite(path, options.force);
  const tmp = tempNameFor(path);
  let handle;
  try {
    handle = await open(tmp, 'wx', options.mode ?? 0o644);
  } catch (error) {
    throw toNvIoError(error, dirname(path));
  }
  let ok = false;
  try {
    if (typeof data === 'string' || data instanceof Uint8Array) {
      await handle.writeFile(data);
    } else {
      for await (const chunk of data as AsyncIterable<Uint8Array>) await handle.write(chunk);
    }
    await handle.sync();
    await handle.close();
    handle = undefined;
    // Re-check just before the rename: another process may have created the file meanwhile.
    if (!options.force) await assertCanWrite(path, false);
    await rename(tmp, path);
    ok = true;
  } catch (error) {
    throw toNvIoError(error, path);
  } finally {
    if (handle) await handle.close().catch(() => undefined);
    if (!ok) await rm(tmp, { force: true }).catch(() => undefined);
  }
}

/**
 * Builds a whole output folder atomically: `fill` writes into a fresh temporary folder beside `dir`, which
 * is renamed to `dir` only when `fill` succeeds. With `force`, an existing `dir` is replaced.
 *
 * @throws NvError `NV_EXISTS` when `dir` exists (non-empty) and `force` is not set.
 */
export async function writeDirectoryAtomic<T>(
  dir: string,
  fill: (tempDir: string) => Promise<T>,
  options: { force?: boolean } = {},
): Promise<T> {
  let existing = false;
  try {
    const s = await stat(dir);
    existing = true;
    if (!s.isDirectory()) throw new NvError('NV_EXISTS', `${dir} exists and is not a folder`, { path: dir });
    const { readdir } = await import('node:fs/promises');
    const isEmpty = (await readdir(dir)).length === 0;
    if (!isEmpty && !options.force)
      throw new NvError('NV_EXISTS', `${dir} already exists and is not empty; pass --force to replace it`, {
        path: dir,
      });
  } catch (error) {
    if (NvError.isInstance(error)) throw error;
    if ((error as { code?: string }).code !== 'ENOENT') throw toNvIoError(error, dir);
  }
  const tmp = tempNameFor(dir);
  try {
    await mkdir(tmp, { recursive: false });
  } catch (error) {
    throw toNvIoError(error, dirname(dir));
  }
  try {
    const result = await fill(tmp);
    if (existing) await rm(dir, { recursive: true, force: true });
    await rename(tmp, dir);
    return result;
  } catch (error) {
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    throw NvError.isInstance(error) ? error : toNvIoError(error, dir);
  }
}

/**
 * Reads a whole file, never more than `maxBytes` (default: the core input limit), so a wrong path to a 30 GiB
 * dump fails at once with `NV_LIMIT` instead of exhausting memory. The size is checked from `stat` first and
 * again while reading, because devices and pipes (`/dev/sdb5`, `/dev/zero`, FIFOs) report a size of 0.
 */
export async function readFileLimited(
  path: string,
  maxBytes: number = DEFAULT_LIMITS.maxInputBytes,
): Promise<Uint8Array<ArrayBuffer>> {
  const { handle, size } = await openFileLimited(path, maxBytes);
  try {
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      // The first read takes the whole stat size in one buffer (returned as is: no second copy of a 64 MB image,
      // issue 17); later reads (a file that grew) take 64 KiB…16 MiB.
      const cap = total === 0 ? 1024 * 1024 * 1024 : 16 * 1024 * 1024;
      const chunk = new Uint8Array(Math.min(Math.max(size - total, 64 * 1024), maxBytes + 1 - total, cap));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      checkLimit(`size of ${path}`, total, maxBytes, { path });
      chunks.push(chunk.subarray(0, bytesRead));
    }
    if (chunks.length === 1 && chunks[0]!.byteOffset === 0 && chunks[0]!.length === chunks[0]!.buffer.byteLength)
      return chunks[0] as Uint8Array<ArrayBuffer>;
    const out = new Uint8Array(total);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  } catch (error) {
    throw NvError.isInstance(error) ? error : toNvIoError(error, path);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

/**
 * Opens a file for reading after {@link readFileLimited}'s checks (a file, not a folder; at most `maxBytes` by its
 * `stat` size), for readers that take only part of it. The caller closes the handle.
 * @throws NvError `NV_NOT_FOUND`, `NV_IO`, `NV_LIMIT`
 * @example const { handle, size } = await openFileLimited('fsg.bin', 64 << 20); try { … } finally { await handle.close(); }
 */
export async function openFileLimited(
  path: string,
  maxBytes: number = DEFAULT_LIMITS.maxInputBytes,
): Promise<{ handle: FileHandle; size: number }> {
  let size: number;
  try {
    const s = await stat(path);
    if (s.isDirectory()) throw new NvError('NV_IO', `${path} is a folder, a file was expected`, { path });
    size = s.size;
  } catch (error) {
    throw toNvIoError(error, path);
  }
  checkLimit(`size of ${path}`, size, maxBytes, { path });
  try {
    return { handle: await open(path, 'r'), size };
  } catch (error) {
    throw toNvIoError(error, path);
  }
}

/** Absolute path of an executable on `PATH`, or `undefined`. Used to find reference tools (openssl, tar). */
export async function findExecutable(
  name: string,
  searchPath: string = process.env['PATH'] ?? '',
): Promise<string | undefined> {
  for (const dir of searchPath.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      await access(candidate, fsConstants.X_OK);
      return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/**
 * SHA-256 through node:crypto (OpenSSL): the same digests as `createSha256` (a test checks), about 9× faster
 * on large inputs such as partition dumps. Pure code keeps `createSha256`, which also runs in browsers.
 */
export function createNodeSha256(): IncrementalHash {
  return createNodeHash('sha256');
}

/** Digest names node:crypto computes for the toolkit (certificate chains still use SHA-1). */
export type NodeDigestName = 'sha1' | 'sha256' | 'sha384';

/** An incremental node:crypto hash behind the same `IncrementalHash` face as the pure `createSha256`. */
export function createNodeHash(name: NodeDigestName): IncrementalHash {
  const h = createHash(name);
  const api: IncrementalHash = {
    update(chunk) {
      h.update(chunk);
      return api;
    },
    digest() {
      const d = h.digest();
      return new Uint8Array(d.buffer, d.byteOffset, d.byteLength).slice();
    },
  };
  return api;
}

/** One-shot SHA-1 through node:crypto (only for legacy certificate signatures). */
export function nodeSha1(data: Uint8Array): Uint8Array {
  return createNodeHash('sha1').update(data).digest();
}

/**
 * One-shot SHA-256 through node:crypto: the Node adapter every package passes as its `sha256` hook.
 * @example
 * nodeSha256(new TextEncoder().encode('abc')).length; // 32
 */
export function nodeSha256(data: Uint8Array): Uint8Array {
  return createNodeHash('sha256').update(data).digest();
}

/** One-shot SHA-384 through node:crypto (MBN hash segments v6/v7). */
export function nodeSha384(data: Uint8Array): Uint8Array {
  return createNodeHash('sha384').update(data).digest();
}
