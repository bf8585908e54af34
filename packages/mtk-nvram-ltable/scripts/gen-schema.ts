// Writes ltable.schema.json from src/schema.ts (run: pnpm exec tsx scripts/gen-schema.ts).
import { writeFileSync } from 'node:fs';
import { LTABLE_JSON_SCHEMA } from '../src/schema.ts';
writeFileSync(new URL('../ltable.schema.json', import.meta.url), `${JSON.stringify(LTABLE_JSON_SCHEMA, null, 2)}\n`);
