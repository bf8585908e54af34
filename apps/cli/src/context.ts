import { resolve } from 'node:path';
import { createColors } from 'picocolors';
import { NvError, type ProgressReporter } from '@nv/core';

/** The streams and environment a CLI run writes to; tests pass their own. */
export interface CliIo {
  readonly stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
}

/** What every command action receives: output helpers that obey `--json`, colour and TTY rules. */
export interface CliContext {
  readonly io: CliIo;
  readonly json: boolean;
  readonly verbose: boolean;
  /** Colours for stdout (off when not a TTY or NO_COLOR is set). */
  readonly color: ReturnType<typeof createColors>;
  /** Resolves a user-given path against the working directory. */
  resolvePath(path: string): string;
  /** Prints the result: one JSON document with `--json`, else the human rendering. */
  result(json: unknown, human: () => string): void;
  /** A human note or warning on stderr (always stderr, so `--json` stdout stays clean). */
  note(text: string): void;
  /** A progress reporter: a bar on a TTY stderr for work over about a second, silent otherwise. */
  progress(): ProgressReporter;
  /**
   * Marks the run as a domain failure (exit 1) while still printing the normal result, e.g. a lint with
   * errors or a failed verification prints `{ok:false, …}` and exits 1.
   */
  fail(): void;
  /** The exit code the run ends with if nothing throws: 0, or 1 after {@link CliContext.fail}. */
  readonly exitCode: 0 | 1;
}

/** A failure of the command line itself (exit 2), carrying a typed error for `--json`. */
export class UsageFailure extends Error {
  readonly error: NvError;
  constructor(error: NvError) {
    super(error.message);
    this.error = error;
  }
}

function colorEnabled(stream: { isTTY?: boolean }, env: CliIo['env']): boolean {
  return stream.isTTY === true && !('NO_COLOR' in env && env['NO_COLOR'] !== undefined) && env['TERM'] !== 'dumb';
}

const PROGRESS_DELAY_MS = 1000;
const PROGRESS_INTERVAL_MS = 100;

/**
 * A progress bar on stderr, shown only on a TTY and only once work has taken over a second. `NV_PROGRESS=always`
 * draws it as if stderr were a TTY, from the first update (tests, logs); `NV_PROGRESS=never` turns it off.
 */
export function createProgressBar(io: CliIo, now: () => number = Date.now): ProgressReporter {
  const mode = io.env['NV_PROGRESS'];
  const always = mode === 'always';
  if ((io.stderr.isTTY !== true && !always) || mode === 'never') return { start() {}, update() {}, end() {} };
  const delay = always ? 0 : PROGRESS_DELAY_MS;
  const interval = always ? 0 : PROGRESS_INTERVAL_MS;
  const colors = createColors(colorEnabled(io.stderr, io.env));
  let label = '';
  let total: number | undefined;
  let unit: string = '';
  let startedAt = 0;
  let lastDraw = 0;
  let drawn = false;
  const draw = (done: number): void => {
    const width = Math.max(10, Math.min(40, (io.stderr.columns ?? 80) - label.length - 30));
    let line: string;
    if (total !== undefined && total > 0) {
      const frac = Math.min(1, done / total);
      const filled = Math.round(frac * width);
      line = `${label} ${colors.cyan('█'.repeat(filled))}${'░'.repeat(width - filled)} ${(frac * 100).toFixed(0).padStart(3)}%`;
    } else {
      line = `${label} ${done} ${unit}`;
    }
    io.stderr.write(`\r\x1b[2K${line}`);
    drawn = true;
  };
  return {
    start(l, t, u) {
      label = l;
      total = t;
      unit = u ?? '';
      startedAt = now();
      drawn = false;
    },
    update(done) {
      const t = now();
      if (t - startedAt < delay || t - lastDraw < interval) return;
      lastDraw = t;
      draw(done);
    },
    end() {
      if (drawn) io.stderr.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/** Builds the context for one run. */
export function createContext(io: CliIo, flags: { json: boolean; verbose: boolean; quiet?: boolean }): CliContext {
  const color = createColors(!flags.json && colorEnabled(io.stdout, io.env));
  let exitCode: 0 | 1 = 0;
  return {
    get exitCode() {
      return exitCode;
    },
    fail() {
      exitCode = 1;
    },
    io,
    json: flags.json,
    verbose: flags.verbose,
    color,
    resolvePath(path: string): string {
      return resolve(io.cwd, path);
    },
    result(json, human) {
      if (flags.json) io.stdout.write(`${JSON.stringify(json, jsonReplacer, 2)}\n`);
      else {
        const text = human();
        io.stdout.write(text.endsWith('\n') || text === '' ? text : `${text}\n`);
      }
    },
    note(text) {
      io.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
    },
    progress() {
      // Never with --json (one document; scripts read stderr too) nor --quiet.
      if (flags.json || flags.quiet === true) return { start() {}, update() {}, end() {} };
      return createProgressBar(io);
    },
  };
}

/** JSON output: bigints as decimal strings, byte arrays as hex. */
export function jsonReplacer(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return Array.from(value, (b) => b.toString(16).padStart(2, '0')).join('');
  return value;
}

/** Aligns rows of cells into columns for human output. */
export function formatTable(rows: readonly (readonly string[])[], header?: readonly string[]): string {
  const all = header ? [header, ...rows] : rows;
  const widths: number[] = [];
  for (const row of all) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  const line = (row: readonly string[]): string =>
    row
      .map((c, i) => (i === row.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  const out = all.map(line);
  if (header) out.splice(1, 0, widths.map((w) => '─'.repeat(w)).join('  '));
  return `${out.join('\n')}\n`;
}
