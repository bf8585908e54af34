import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDirectoryAtomic } from '@nv/core/node';
import type { CliContext } from '../context.ts';
import { DemoRunner, type DemoStep } from '../demo/runner.ts';
import { runMcfgFlow } from '../demo/mcfg.ts';
import { runMtkFlow } from '../demo/mtk.ts';
import { runQcomFlow } from '../demo/qcom.ts';

/** The flows of the demo, in the order the story is told. */
const FLOWS: ReadonlyArray<(run: DemoRunner) => Promise<void>> = [runQcomFlow, runMcfgFlow, runMtkFlow];

function printStep(ctx: CliContext, step: DemoStep, index: number, keepsArtefacts: boolean): void {
  if (ctx.json) return;
  const mark = step.ok ? ctx.color.green('✔') : step.skipped ? ctx.color.yellow('–') : ctx.color.red('✘');
  ctx.io.stdout.write(`${mark} ${String(index).padStart(2)}. ${step.title}\n      ${step.summary}\n`);
  // Without --out the files live in a temporary folder that is removed: naming them would mislead.
  if (!keepsArtefacts) return;
  for (const a of step.artefacts.slice(0, 4)) ctx.io.stdout.write(`      ${ctx.color.dim(a)}\n`);
  if (step.artefacts.length > 4)
    ctx.io.stdout.write(`      ${ctx.color.dim(`… and ${step.artefacts.length - 4} more files`)}\n`);
}

/**
 * `nv demo`: the whole story on built-in sample data made by the project. With `--out` every artefact is kept
 * (the folder appears only once the demo has run); without it they live in a temporary folder that is removed.
 */
export async function demo(ctx: CliContext, flags: { out?: string; force?: boolean }): Promise<void> {
  const steps: DemoStep[] = [];
  const runAll = async (dir: string): Promise<void> => {
    const runner = new DemoRunner(dir, (s) => printStep(ctx, s, steps.push(s), flags.out !== undefined));
    for (const flow of FLOWS) await flow(runner);
  };
  if (flags.out !== undefined) {
    await writeDirectoryAtomic(ctx.resolvePath(flags.out), runAll, { force: flags.force === true });
  } else {
    const dir = await mkdtemp(join(tmpdir(), 'nv-demo-'));
    try {
      await runAll(dir);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }
  const ok = steps.every((s) => s.ok);
  ctx.result({ ok, out: flags.out === undefined ? null : ctx.resolvePath(flags.out), steps }, () =>
    ok
      ? `\nAll ${steps.length} steps succeeded.${flags.out ? ` Artefacts: ${flags.out}` : ' (run with --out <dir> to keep the artefacts)'}`
      : `\n${steps.filter((s) => !s.ok).length} of ${steps.length} steps failed.`,
  );
  if (!ok) ctx.fail();
}
