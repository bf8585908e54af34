/**
 * The progress-reporter interface long operations accept. The CLI turns it into a bar on a TTY;
 * libraries only call it and never print.
 * @module
 */

/** Receives progress of one long operation. All methods are optional to call in any order after `start`. */
export interface ProgressReporter {
  /** Work begins; `total` in `unit` if known. */
  start(label: string, total?: number, unit?: 'bytes' | 'files' | 'items'): void;
  /** `done` units are finished so far (absolute, not a delta). */
  update(done: number): void;
  /** Work ended (successfully or not). */
  end(): void;
}

/** A reporter that does nothing; the default for every library call. */
export const SILENT_PROGRESS: ProgressReporter = Object.freeze({
  start() {},
  update() {},
  end() {},
});
