import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { NvError } from '@nv/core';
import { FUZZ_RUNS, nvErrorCode as codeOf } from '../../../scripts/test-tools.ts';
import { LTABLE_JSON_SCHEMA } from '../src/schema.ts';
import { ltableFromJson, parseLtableJson, serializeLtableJson, ltableToJson } from '../src/json.ts';
import { sampleLtable } from '../src/sample.ts';
import { arbTable } from './arb.ts';

describe('JSON model (§3.2)', () => {
  it('published schema file equals the exported schema', () => {
    const file = JSON.parse(readFileSync(new URL('../ltable.schema.json', import.meta.url), 'utf8'));
    expect(file).toEqual(LTABLE_JSON_SCHEMA);
  });

  it('round-trips the sample table', () => {
    const t = sampleLtable();
    const text = serializeLtableJson(t);
    expect(parseLtableJson(text)).toEqual(t);
    expect(serializeLtableJson(parseLtableJson(text))).toBe(text);
  });

  it('accepts names only and computes the numbers', () => {
    const t = ltableFromJson({
      generation: 'moly-b',
      entries: [
        {
          name: 'X_LID',
          lid: 0xef10,
          size: 10,
          records: 1,
          categories: ['IMPORTANT'],
          attributes: ['NVRAM_ATTR_WRITEPROTECT', 'CONFIDENTIAL', 'MSP', 'COMMITTED'],
          prefix: 'LD0B',
          verno: '001',
        },
      ],
    });
    expect(t.entries[0]?.attr).toBe(0x402a);
    expect(t.entries[0]?.category).toBe(0x2000);
    expect(t.entries[0]?.default).toEqual({ kind: 'zero' });
  });

  it('names the entry and field in validation errors', () => {
    const base = { name: 'NVRAM_EF_X_LID', size: 4, records: 1, category: 0, attr: 0, prefix: 'XX01', verno: '000' };
    try {
      ltableFromJson({ generation: 'moly-a', entries: [base, { ...base, name: 'NVRAM_EF_Y_LID', size: -1 }] });
      expect.unreachable();
    } catch (e) {
      expect(NvError.isInstance(e) && e.code).toBe('NV_LTABLE_BAD_JSON');
      expect((e as Error).message).toContain('entries[1].size');
      expect((e as Error).message).toContain('NVRAM_EF_Y_LID');
    }
    expect(
      codeOf(() =>
        ltableFromJson({
          generation: 'moly-a',
          entries: [{ ...base, attributes: ['RESERVE_BACKWARD'], attr: undefined }],
        }),
      ),
    ).toBe('NV_LTABLE_GEN_MISMATCH');
    expect(
      codeOf(() =>
        ltableFromJson({ generation: 'moly-a', entries: [{ ...base, attributes: ['NOPE'], attr: undefined }] }),
      ),
    ).toBe('NV_LTABLE_UNKNOWN_ATTR');
    expect(codeOf(() => ltableFromJson({ generation: 'moly-a', entries: [{ ...base, category: 0x80000000 }] }))).toBe(
      'NV_LTABLE_UNKNOWN_CATEGORY',
    );
    expect(
      codeOf(() =>
        ltableFromJson({ generation: 'moly-a', entries: [{ ...base, attr: 4, attributes: ['MULTIPLE', 'RING'] }] }),
      ),
    ).toBe('NV_LTABLE_BAD_JSON');
    expect(codeOf(() => ltableFromJson({ generation: 'moly-a', entries: [{ ...base, attr: 0x10000 }] }))).toBe(
      'NV_LTABLE_BAD_JSON',
    );
    expect(codeOf(() => ltableFromJson({ generation: 'maui', entries: [] }))).toBe('NV_LTABLE_ENUMSET_REQUIRED');
    expect(codeOf(() => ltableFromJson({ generation: 'moly-a', enumSet: 'maui-1', entries: [] }))).toBe(
      'NV_LTABLE_GEN_MISMATCH',
    );
    expect(
      codeOf(() =>
        ltableFromJson({
          generation: 'maui',
          enumSet: 'maui-2',
          entries: [{ ...base, categories: ['COMPOSED'], category: undefined }],
        }),
      ),
    ).toBe('none');
    expect(codeOf(() => parseLtableJson('{'))).toBe('NV_LTABLE_BAD_JSON');
    expect(
      codeOf(() => ltableFromJson({ generation: 'moly-a', entries: [{ ...base, default: { kind: 'bytes' } }] })),
    ).toBe('NV_LTABLE_BAD_JSON');
  });

  it('round-trips random tables', () => {
    fc.assert(
      fc.property(arbTable(), (t) => {
        const back = parseLtableJson(serializeLtableJson(t));
        expect(back).toEqual(t);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('fuzz: mutated JSON only ever throws NvError', () => {
    const text = JSON.stringify(ltableToJson(sampleLtable()));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: text.length - 1 }),
        fc.integer({ min: 0, max: 5 }),
        fc.string({ maxLength: 4 }),
        (at, cut, ins) => {
          const mutated = text.slice(0, at) + ins + text.slice(at + cut);
          try {
            parseLtableJson(mutated);
          } catch (e) {
            expect(NvError.isInstance(e)).toBe(true);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    fc.assert(
      fc.property(fc.jsonValue(), (v) => {
        try {
          ltableFromJson({ generation: 'moly-b', entries: [v] });
        } catch (e) {
          expect(NvError.isInstance(e)).toBe(true);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
