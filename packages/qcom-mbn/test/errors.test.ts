import { describe, it, expect } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { MBN_ERROR_CODES } from '../src/errors.ts';

describe('error-code table', () => {
  it('every NV_MBN_* code used in src/ is in the table, with meaning and fix', () => {
    const dir = new URL('../src/', import.meta.url);
    const used = new Set<string>();
    for (const f of readdirSync(dir)) {
      if (f === 'errors.ts') continue;
      for (const m of readFileSync(new URL(f, dir), 'utf8').matchAll(/'(NV_MBN_[A-Z0-9_]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(40);
    for (const code of used) {
      expect(MBN_ERROR_CODES[code], code).toBeDefined();
      expect(MBN_ERROR_CODES[code]!.meaning.length).toBeGreaterThan(10);
      expect(MBN_ERROR_CODES[code]!.fix.length).toBeGreaterThan(5);
    }
  });
});
