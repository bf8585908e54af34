import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as main from '../src/index.ts';
import * as protocol from '../src/protocol.ts';
import * as node from '../src/node.ts';

describe('public entry points (issue 20.2)', () => {
  it('the main entry is the task-level API: transport, device (NV/EFS2), flows, error table', () => {
    expect(Object.keys(main).sort()).toEqual([
      'BACKUP_FOLDERS',
      'DIAG_ERROR_CODES',
      'DiagClient',
      'DiagDevice',
      'IDENTITY_NV_IDS',
      'backupToQcn',
      'diagInfo',
      'efsGet',
      'efsList',
      'efsPull',
      'efsPut',
      'memoryTransport',
      'restoreFromQcn',
      'restorePlan',
      'snapshotTouched',
    ]);
    expect(Object.keys(protocol).length).toBeLessThanOrEqual(20);
    expect(Object.keys(node).length).toBeLessThanOrEqual(20);
  });
  it('no module imports (even a type) from a module that imports it back', () => {
    const dir = join(import.meta.dirname, '..', 'src');
    const deps = new Map<string, string[]>();
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.ts') && n !== 'index.ts' && n !== 'protocol.ts'))
      deps.set(
        f,
        [...readFileSync(join(dir, f), 'utf8').matchAll(/(?:from\s+|import\()\s*'\.\/([\w-]+\.ts)'/g)].map(
          (m) => m[1] as string,
        ),
      );
    const reaches = (from: string, to: string, seen = new Set<string>()): boolean =>
      (deps.get(from) ?? []).some((d) => d === to || (!seen.has(d) && (seen.add(d), reaches(d, to, seen))));
    expect([...deps.keys()].filter((f) => reaches(f, f))).toEqual([]);
  });
});
