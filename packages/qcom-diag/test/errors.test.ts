import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { CORE_ERROR_CODES } from '@nv/core';
import { DIAG_ERROR_CODES } from '../src/errors.ts';

describe('error codes', () => {
  it('every NV_ code used in src/ is in this table or the core table, each with meaning and fix', () => {
    const src = join(import.meta.dirname, '../src');
    const used = new Set<string>();
    for (const f of readdirSync(src))
      for (const m of readFileSync(join(src, f), 'utf8').matchAll(/'(NV_[A-Z0-9_]*[A-Z0-9])'/g)) used.add(m[1]!);
    expect(used.has('NV_DIAG_NO_SERIAL')).toBe(true);
    for (const code of used) expect(DIAG_ERROR_CODES[code] ?? CORE_ERROR_CODES[code], code).toBeDefined();
    for (const [code, info] of Object.entries(DIAG_ERROR_CODES)) {
      expect(info.meaning.length, code).toBeGreaterThan(10);
      expect(info.fix.length, code).toBeGreaterThan(5);
    }
  });
});
