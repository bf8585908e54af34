// Import of a realistic C LID table (~2 000 entries, headers with #defines and an enum) and an upgrade plan,
// against JSON.parse of the same table as JSON (the cheapest way to load the same data).
import { bench, describe } from 'vitest';
import { printRatio } from '../../../scripts/bench-ratio.ts';
import { importLtableC } from '../src/c-import.ts';
import { ltableToC } from '../src/c-export.ts';
import { ltableToJson } from '../src/json.ts';
import { planUpgrade } from '../src/plan.ts';
import { createLtableEntry } from '../src/sample.ts';
import type { Ltable } from '../src/model.ts';

const N = 2000;
const CATS = [['USER'], ['USER'], ['USER'], ['CALIBRAT'], ['IMPORTANT'], ['IMPORTANT_L4'], ['CUSTOM_SENSITIVE']];
const ATTRS = [
  ['AVERAGE'],
  ['MULTIPLE'],
  ['CONFIDENTIAL', 'MULTIPLE'],
  ['WRITEPROTECT'],
  ['OTA_RESET'],
  ['RESERVE_BACKWARD'],
];
const table: Ltable = {
  generation: 'moly-b',
  enumSet: 'moly-b',
  entries: Array.from({ length: N }, (_, i) =>
    createLtableEntry(
      {
        name: `NVRAM_EF_BENCH_${i}_LID`,
        lid: 0xf200 + i,
        size: 16 + (i % 500),
        records: 1 + (i % 7),
        categories: CATS[i % CATS.length],
        attributes: ATTRS[i % ATTRS.length],
        prefix: `B${i.toString(36).toUpperCase().padStart(3, '0')}`,
        verno: String(i % 1000).padStart(3, '0'),
        default:
          i % 5 === 0
            ? { kind: 'bytes', symbol: `BENCH_DEFAULT_${i}`, hex: '5a'.repeat(16 + (i % 500)) }
            : { kind: i % 2 ? 'zero' : 'ff' },
        description: i % 3 === 0 ? `bench item ${i}` : null,
      },
      'moly-b',
    ),
  ),
};
const cText = ltableToC(table);
const jsonText = JSON.stringify(ltableToJson(table));
const newer: Ltable = {
  ...table,
  entries: table.entries.map((e, i) =>
    i % 10 === 0 ? { ...e, verno: String((Number(e.verno) + 1) % 1000).padStart(3, '0') } : e,
  ),
};
const size = `${N} entries, ${(cText.length / 1024).toFixed(0)} KiB C`;

const ours = (): unknown => {
  const { table: t } = importLtableC(cText);
  return planUpgrade(t, newer, 'download-only');
};
const reference = (): unknown => JSON.parse(jsonText);

describe('import C table + plan', () => {
  bench('ours: importLtableC + planUpgrade', () => void ours(), { iterations: 5 });
  bench('reference: JSON.parse of the same table', () => void reference(), { iterations: 5 });
});

await printRatio('ltable C import + plan vs JSON.parse', size, ours, reference);
