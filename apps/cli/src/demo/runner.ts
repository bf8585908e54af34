import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { NvError, type NvErrorJson } from '@nv/core';

/** One step of the demo as `--json` reports it. */
export interface DemoStep {
  /** Stable id, e.g. `qcom.compile`. */
  readonly id: string;
  readonly title: string;
  readonly ok: boolean;
  /** Not run because an earlier step of the same flow failed. */
  readonly skipped?: boolean;
  /** One line a person reads. */
  readonly summary: string;
  /** Files written, relative to the output folder. */
  readonly artefacts: string[];
  readonly data?: Record<string, unknown>;
  readonly error?: NvErrorJson;
}

/** What a step body returns. */
export interface DemoStepResult {
  readonly summary: string;
  readonly data?: Record<string, unknown>;
  /** A check inside the step failed (the step is reported, the flow stops). */
  readonly failed?: boolean;
}

/**
 * Runs the demo's steps flow by flow: a failing step stops its own flow (the rest are reported as skipped) but
 * not the other flows, so one broken platform never hides what the others do.
 */
export class DemoRunner {
  readonly steps: DemoStep[] = [];
  readonly outDir: string;
  private artefacts: string[] = [];
  private flowBroken = new Set<string>();
  private readonly onStep: (step: DemoStep) => void;

  constructor(outDir: string, onStep: (step: DemoStep) => void) {
    this.outDir = outDir;
    this.onStep = onStep;
  }

  /** Writes an artefact below the output folder and records it for the current step. */
  async write(relativePath: string, data: Uint8Array | string): Promise<string> {
    const full = join(this.outDir, relativePath);
    await mkdir(dirname(full), { recursive: true });
    await writeFile(full, data);
    this.artefacts.push(relativePath);
    return full;
  }

  /** Absolute path of an artefact. */
  path(relativePath: string): string {
    return join(this.outDir, relativePath);
  }

  /** Runs one step of `flow` unless an earlier step of that flow failed. Returns whether it succeeded. */
  async step(flow: string, id: string, title: string, body: () => Promise<DemoStepResult>): Promise<boolean> {
    if (this.flowBroken.has(flow)) {
      this.record({
        id,
        title,
        ok: false,
        skipped: true,
        summary: 'skipped: an earlier step of this flow failed',
        artefacts: [],
      });
      return false;
    }
    this.artefacts = [];
    try {
      const r = await body();
      const ok = r.failed !== true;
      if (!ok) this.flowBroken.add(flow);
      this.record({
        id,
        title,
        ok,
        summary: r.summary,
        artefacts: this.artefacts,
        ...(r.data ? { data: r.data } : {}),
      });
      return ok;
    } catch (error) {
      this.flowBroken.add(flow);
      const nv = NvError.isInstance(error)
        ? error
        : new NvError('NV_INTERNAL', `internal error: ${error instanceof Error ? error.message : String(error)}`, {
            cause: error,
          });
      this.record({
        id,
        title,
        ok: false,
        summary: `${nv.code}: ${nv.message}`,
        artefacts: this.artefacts,
        error: nv.toJSON(),
      });
      return false;
    }
  }

  private record(step: DemoStep): void {
    this.steps.push(step);
    this.onStep(step);
  }
}
