// Renders LTABLE_DECISION_TABLE as the Markdown table embedded in README.md (a test keeps them equal).
// Run: pnpm exec tsx scripts/decision-table-md.ts
import { LTABLE_DECISION_TABLE, type LtableRowOutcome } from '../src/plan.ts';

/** The Markdown table of the decision rows. */
export function decisionTableMarkdown(): string {
  const out = (o: LtableRowOutcome): string =>
    `${o.action.toUpperCase()}${o.oldFile ? ` (old file ${o.oldFile})` : ''}${o.code ? ` · \`${o.code}\` ${o.blocked ? '**blocked**' : o.severity}` : ''}`;
  const rows = LTABLE_DECISION_TABLE.map((r) => {
    const cond =
      [
        ...(r.all ?? []).filter((c) => c !== 'paired'),
        ...(r.any ? [`any of ${r.any.join('/')}`] : []),
        ...(r.none ?? []).map((c) => `not ${c}`),
      ].join(', ') || '—';
    const outcomes = [out(r.outcome)];
    for (const [g, o] of Object.entries(r.byGeneration ?? {})) outcomes.push(`${g}: ${out(o as LtableRowOutcome)}`);
    if (r.reserveBackward) outcomes.push(`moly-b RESERVE_BACKWARD: ${out(r.reserveBackward)}`);
    if (r.defaultChangeReset) outcomes.push(`moly-b default-change-reset: ${out(r.defaultChangeReset)}`);
    return `| ${r.id} | ${r.modes.join(' ')}${r.generations ? ` (${r.generations.join(', ')} only)` : ''} | ${r.classes === 'any' ? 'any' : r.classes.join(', ')} | ${cond} | ${outcomes.join('; ')} |`;
  });
  return ['| row | modes | classes | change | outcome |', '|---|---|---|---|---|', ...rows].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${decisionTableMarkdown()}\n`);
