/**
 * The closing line of every benchmark: `ratio ours/reference = X.XX (<work>, <size>)`, from medians of
 * interleaved runs of both functions on the same input (interleaving cancels drift on a shared 2-core box).
 */
import { performance } from 'node:perf_hooks';

export interface RatioResult {
  readonly oursMs: number;
  readonly referenceMs: number;
  readonly ratio: number;
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Times `ours` and `reference` alternately `rounds` times and prints the ratio line. */
export async function printRatio(
  work: string,
  size: string,
  ours: () => unknown,
  reference: () => unknown,
  rounds = 7,
): Promise<RatioResult> {
  const a: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    await ours();
    a.push(performance.now() - t);
    t = performance.now();
    await reference();
    b.push(performance.now() - t);
  }
  const result = { oursMs: median(a), referenceMs: median(b), ratio: median(a) / median(b) };
  process.stdout.write(`ratio ours/reference = ${result.ratio.toFixed(2)} (${work}, ${size})\n`);
  return result;
}
