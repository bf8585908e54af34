/**
 * The DIAG client: one request at a time over a duplex byte stream, answers matched to requests, unsolicited
 * log/event packets skipped, CRC errors retried within a budget, every call bounded by a timeout. Pure: the
 * transport is injected (TCP and serial ones are in `@nv/qcom-diag/node`; an in-memory one is below).
 * @module
 */
import { NvError } from '@nv/core';
import { UNSOLICITED_CMDS, errorReplyFor, isResponseTo } from './commands.ts';
import { DiagFrameDecoder, encodeDiagFrame, type DiagFraming } from './framing.ts';

/**
 * A duplex byte stream to a modem. `read` resolves with the next chunk of any size, or rejects with
 * `NV_DIAG_TIMEOUT` after `timeoutMs` (and with `NV_DIAG_TRANSPORT` when the stream closed).
 */
export interface DiagTransport {
  write(bytes: Uint8Array, timeoutMs: number): Promise<void>;
  read(timeoutMs: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/**
 * A queue of received chunks with timed reads: the building block of every transport (push from the stream's data
 * event, `end` from its close event).
 */
export class ChunkQueue {
  private readonly chunks: Uint8Array[] = [];
  private waiter: ((v: Uint8Array | NvError) => void) | undefined;
  private ended: NvError | undefined;

  /** A chunk arrived. */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.waiter !== undefined) {
      const w = this.waiter;
      this.waiter = undefined;
      w(chunk);
    } else this.chunks.push(chunk);
  }

  /** The stream ended or failed: pending and later reads reject with `error` once the queue is drained. */
  end(error: NvError): void {
    this.ended ??= error;
    if (this.waiter !== undefined) {
      const w = this.waiter;
      this.waiter = undefined;
      w(error);
    }
  }

  /** The next chunk, within `timeoutMs`. */
  read(timeoutMs: number): Promise<Uint8Array> {
    const next = this.chunks.shift();
    if (next !== undefined) return Promise.resolve(next);
    if (this.ended !== undefined) return Promise.reject(this.ended);
    if (this.waiter !== undefined) return Promise.reject(new TypeError('one read at a time'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiter = undefined;
        reject(new NvError('NV_DIAG_TIMEOUT', `no bytes from the modem within ${timeoutMs} ms`));
      }, timeoutMs);
      this.waiter = (v) => {
        clearTimeout(timer);
        if (v instanceof NvError) reject(v);
        else resolve(v);
      };
    });
  }
}

/** Options of {@link DiagClient}. */
export interface DiagClientOptions {
  /** Framing of the link (default HDLC). */
  framing?: DiagFraming;
  /** Timeout of one request, ms (default 5000). */
  timeoutMs?: number;
  /** Resends of a request after CRC errors (default 3). */
  crcRetries?: number;
  /** Unsolicited or stale packets skipped while waiting for one answer (default 256). */
  maxSkipped?: number;
  /** After a bad frame, how long to wait for a good answer before resending (default 300 ms). */
  resendAfterMs?: number;
}

/** Counters a client keeps (for `--verbose` and tests). */
export interface DiagClientStats {
  requests: number;
  /** Packets skipped while waiting for an answer (unsolicited + stale). */
  skipped: number;
  /** Of those, log/event/message packets. */
  unsolicited: number;
  badFrames: number;
  resends: number;
}

/**
 * A DIAG client over one transport.
 * @example
 * const client = new DiagClient(await connectTcp('127.0.0.1:2500'));
 * const version = decodeVersionResponse(await client.request(encodeVersionRequest()));
 */
export class DiagClient {
  readonly transport: DiagTransport;
  readonly timeoutMs: number;
  readonly stats: DiagClientStats = {
    requests: 0,
    skipped: 0,
    unsolicited: 0,
    badFrames: 0,
    resends: 0,
  };
  private readonly framing: DiagFraming;
  private readonly decoder: DiagFrameDecoder;
  private readonly crcRetries: number;
  private readonly maxSkipped: number;
  private readonly resendAfterMs: number;
  private readonly ready: Uint8Array[] = [];
  private chain: Promise<unknown> = Promise.resolve();

  constructor(transport: DiagTransport, options: DiagClientOptions = {}) {
    this.transport = transport;
    this.framing = options.framing ?? 'hdlc';
    this.decoder = new DiagFrameDecoder(this.framing);
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.crcRetries = options.crcRetries ?? 3;
    this.maxSkipped = options.maxSkipped ?? 256;
    this.resendAfterMs = options.resendAfterMs ?? 300;
  }

  /**
   * Sends one request payload and resolves with its response payload. Error replies (bad command, bad parameter,
   * bad length, bad mode, locked) reject with their `NV_DIAG_*` code.
   * @throws NvError `NV_DIAG_TIMEOUT`, `NV_DIAG_BAD_CRC`, `NV_DIAG_BAD_COMMAND` …, `NV_DIAG_TRANSPORT`
   */
  request(payload: Uint8Array, options: { timeoutMs?: number } = {}): Promise<Uint8Array> {
    const run = this.chain.then(
      () => this.exchange(payload, options.timeoutMs ?? this.timeoutMs),
      () => this.exchange(payload, options.timeoutMs ?? this.timeoutMs),
    );
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Closes the transport. */
  close(): Promise<void> {
    return this.transport.close();
  }

  private async exchange(payload: Uint8Array, timeoutMs: number): Promise<Uint8Array> {
    this.stats.requests++;
    const deadline = Date.now() + timeoutMs;
    const frame = encodeDiagFrame(payload, this.framing);
    await this.transport.write(frame, timeoutMs);
    let resends = 0;
    let skipped = 0;
    let lastBad: NvError | undefined;
    let badSince = 0;
    for (;;) {
      const next = this.ready.shift();
      if (next !== undefined) {
        if (isResponseTo(payload, next)) return next;
        const err = errorReplyFor(payload, next);
        if (err !== undefined) throw err;
        // Unsolicited (log, event, message) or stale (an answer to an earlier, resent request): skip, bounded.
        this.stats.skipped++;
        if (UNSOLICITED_CMDS.has(next[0] ?? -1)) this.stats.unsolicited++;
        if (++skipped > this.maxSkipped)
          throw new NvError(
            'NV_DIAG_BAD_RESPONSE',
            `skipped ${this.maxSkipped} packets that were not the answer to command 0x${(payload[0] ?? 0).toString(16)}`,
          );
        continue;
      }
      const now = Date.now();
      if (lastBad !== undefined && now - badSince >= this.resendAfterMs) {
        if (resends >= this.crcRetries) throw retriesSpent(lastBad, resends);
        resends++;
        this.stats.resends++;
        lastBad = undefined;
        await this.transport.write(frame, Math.max(1, deadline - now));
        continue;
      }
      const left = deadline - now;
      if (left <= 0) {
        if (lastBad !== undefined) throw retriesSpent(lastBad, resends);
        throw new NvError(
          'NV_DIAG_TIMEOUT',
          `no answer to command 0x${(payload[0] ?? 0).toString(16).padStart(2, '0')} within ${timeoutMs} ms`,
        );
      }
      const wait = lastBad !== undefined ? Math.min(left, this.resendAfterMs - (now - badSince)) : left;
      let chunk: Uint8Array;
      try {
        chunk = await this.transport.read(Math.max(1, wait));
      } catch (e) {
        if ((e as { code?: string }).code === 'NV_DIAG_TIMEOUT') continue;
        throw e;
      }
      for (const f of this.decoder.push(chunk)) {
        if (f.ok) this.ready.push(f.payload);
        else {
          this.stats.badFrames++;
          if (lastBad === undefined) badSince = Date.now();
          lastBad = f.error;
        }
      }
    }
  }
}

function retriesSpent(last: NvError, resends: number): NvError {
  return new NvError(
    last.code === 'NV_DIAG_BAD_CRC' ? 'NV_DIAG_BAD_CRC' : 'NV_DIAG_BAD_FRAME',
    `${last.message}; still bad after ${resends} resend${resends === 1 ? '' : 's'}`,
    { cause: last },
  );
}

/**
 * An in-memory transport whose far end is a function from request bytes to reply chunks (tests, the docs).
 * @example new DiagClient(memoryTransport((bytes) => [serverReply(bytes)]))
 */
export function memoryTransport(
  serve: (bytes: Uint8Array) => Uint8Array[] | Promise<Uint8Array[]>,
): DiagTransport & { readonly queue: ChunkQueue } {
  const queue = new ChunkQueue();
  let closed = false;
  return {
    queue,
    async write(bytes) {
      if (closed) throw new NvError('NV_DIAG_TRANSPORT', 'the transport is closed');
      for (const c of await serve(bytes)) queue.push(c);
    },
    read: (t) => queue.read(t),
    async close() {
      closed = true;
      queue.end(new NvError('NV_DIAG_TRANSPORT', 'the transport is closed'));
    },
  };
}
