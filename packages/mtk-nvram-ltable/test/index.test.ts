import { describe, it, expect } from 'vitest';
import * as main from '../src/index.ts';
import * as node from '../src/node.ts';
import * as sample from '../src/sample.ts';
import * as errors from '../src/errors.ts';

// Issue 20.2: each entry point is the task-level API, at most 20 runtime values (one typedoc screen).
describe('public API (index.ts, node.ts, sample.ts, errors.ts)', () => {
  it.each([
    ['main', main],
    ['node', node],
    ['sample', sample],
    ['errors', errors],
  ] as const)('%s exports at most 20 runtime values', (_name, mod) => {
    expect(Object.keys(mod).length).toBeLessThanOrEqual(20);
  });

  it('the main entry is the task-level list: import C/JSON, export, lint, plan, scatter → mode, storage rules', () => {
    expect(Object.keys(main).sort()).toEqual(
      [
        'LTABLE_ERROR_CODES',
        'LTABLE_IMEI_LIDS',
        'LTABLE_TAGS',
        'SCATTER_MAX_CHARS',
        'effectiveEntry',
        'fileIdentity',
        'importLtableC',
        'inferUpgradeMode',
        'isSysLid',
        'lintLtable',
        'locationOf',
        'ltableFromJson',
        'ltableToC',
        'ltableToJson',
        'parseLtableJson',
        'parseScatter',
        'planUpgrade',
        'serializeLtableJson',
      ].sort(),
    );
    expect(Object.keys(sample).sort()).toEqual(['createLtableEntry', 'sampleLtable', 'sampleLtableUpgrade']);
  });
});
