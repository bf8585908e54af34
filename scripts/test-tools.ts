/**
 * Shared helpers for differential tests against Debian tools (openssl, GNU tar, gzip, readelf).
 * Use as `describe.skipIf(!hasTool('openssl'))('… (needs Debian openssl)', …)`: the skip is visible.
 * With `NV_REQUIRE_TOOLS=1` (set in CI) a missing tool is a failure instead of a skip.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const cache = new Map<string, boolean>();

/** True when `name` runs; throws under `NV_REQUIRE_TOOLS=1` when it does not. */
export function hasTool(name: string): boolean {
  let found = cache.get(name);
  if (found === undefined) {
    try {
      execFileSync('sh', ['-c', `command -v ${JSON.stringify(name)}`], { stdio: 'ignore' });
      found = true;
    } catch {
      found = false;
    }
    cache.set(name, found);
  }
  if (!found && process.env['NV_REQUIRE_TOOLS'] === '1') {
    throw new Error(
      `${name} is required (NV_REQUIRE_TOOLS=1) but not installed: apt-get install -y ${name === 'readelf' ? 'binutils' : name}`,
    );
  }
  return found;
}

/** Number of fast-check runs: 200 normally, `NV_FUZZ_RUNS` for the long fuzz job. */
export const FUZZ_RUNS: number = Number(process.env['NV_FUZZ_RUNS'] ?? 200);

const NV_ERROR_MARKER = Symbol.for('@nv/core/NvError');

function codeOrRethrow(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && (e as Record<symbol, unknown>)[NV_ERROR_MARKER] === true) return code;
  throw e;
}

/**
 * The `NvError` code a call throws, `'none'` when it returns; any other exception propagates (and fails the test),
 * which is exactly what the hostile-input tests must catch.
 */
export function nvErrorCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    return codeOrRethrow(e);
  }
  return 'none';
}

/** {@link nvErrorCode} for a promise. */
export async function nvErrorCodeAsync(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    return codeOrRethrow(e);
  }
  return 'none';
}

/**
 * Every module (`./x.ts`, relative to `srcDir`) and package reached from `entry` through static value imports and
 * re-exports (type-only imports and `import()` skipped): what loading that entry point loads (issue 17 start-up
 * tests; the bundle keeps the split, one chunk graph per entry).
 */
export function staticImportGraph(srcDir: string, entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(join(srcDir, file), 'utf8');
    for (const m of text.matchAll(/^(?:import|export) (?!type )[^;]*? from '([^']+)';/gms)) {
      const spec = m[1] as string;
      if (spec.startsWith('./')) visit(spec.slice(2));
      else seen.add(spec);
    }
  };
  visit(entry);
  return seen;
}
