import { describe, it, expect } from 'vitest';
import { staticImportGraph } from '../../../scripts/test-tools.ts';
import * as main from '../src/index.ts';
import * as node from '../src/node.ts';
import * as read from '../src/read.ts';
import { join } from 'node:path';
import * as errors from '../src/errors.ts';

// Issue 20.2: each entry point exports the task-level API (≤ 20 runtime values), no aliases, no internals.
describe('entry points', () => {
  it('the main entry: build, parse, to-xml, inspect, rehash, lint, diff, trailer, sample, error table', () => {
    expect(Object.keys(main).sort()).toEqual(
      [
        'MBN_ERROR_CODES',
        'MCFG_ATTR',
        'buildMbn',
        'decodeTrailer',
        'diffMbn',
        'diffRows',
        'encodeTrailer',
        'inspectMbn',
        'lintMbn',
        'lintMcfgXml',
        'parseMbn',
        'parseMcfgXml',
        'rehashMbn',
        'sampleMcfgXml',
        'summarizeMcfg',
        'toXml',
        'writeMcfgXml',
      ].sort(),
    );
    expect(Object.keys(main)).not.toContain('MBN_ERRORS');
  });
  it('./node: hash options, signature check, file resolver, to-xml writer, corpus inspection', () => {
    expect(Object.keys(node).sort()).toEqual(
      [
        'NODE_HASH_OPTIONS',
        'createFileResolver',
        'inspectCorpus',
        'streamCorpus',
        'verifyMbnSignatures',
        'writeToXmlOutput',
      ].sort(),
    );
  });
  it('./read: the reading half of the main entry, the same functions, and no XML layer in its import graph', () => {
    expect(Object.keys(read).sort()).toEqual(
      [
        'MCFG_ATTR',
        'decodeTrailer',
        'diffMbn',
        'diffRows',
        'inspectMbn',
        'parseMbn',
        'rehashMbn',
        'summarizeMcfg',
      ].sort(),
    );
    for (const [k, v] of Object.entries(read)) expect(v).toBe(main[k as keyof typeof main]);
    // Issue 17: every module and package reached from read.ts through static value imports.
    const seen = staticImportGraph(join(import.meta.dirname, '..', 'src'), 'read.ts');
    expect(seen.has('parse.ts')).toBe(true);
    for (const heavy of ['xml.ts', 'items.ts', 'to-xml.ts', 'lint.ts', 'fast-xml-parser'])
      expect(seen).not.toContain(heavy);
  });
  it('./errors: the table only', () => {
    expect(Object.keys(errors)).toEqual(['MBN_ERROR_CODES']);
  });
  it('every entry point stays at most 20 runtime values', () => {
    for (const entry of [main, read, node, errors]) expect(Object.keys(entry).length).toBeLessThanOrEqual(20);
  });
});
