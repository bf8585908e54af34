/**
 * Repository rule (issue 20.7): the code's format references point inside the repository. Comments cite the format
 * pages as `docs/formats/<page>.md#<anchor>` (apps/docs/formats/); every such reference names a page and an explicit
 * `{#anchor}` that exist, and no comment cites the outside specs (`§N`, `shared/specs/…`) any more.
 * `node scripts/rewrite-spec-refs.mjs` rewrites old citations.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { relative, sep } from 'node:path';
import { commentRanges, DEFAULT_ROOTS, filesOf, formatAnchors, outsideSpecCites, ROOT } from './rewrite-spec-refs.mjs';

/** The comments of every code file under the codemod's roots, with their line numbers. */
function comments(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  for (const file of DEFAULT_ROOTS.flatMap((r) => filesOf(r))) {
    const rel = relative(ROOT, file).split(sep).join('/');
    const text = readFileSync(file, 'utf8');
    for (const [start, end] of commentRanges(text)) {
      out.push({ where: `${rel}:${text.slice(0, start).split('\n').length}`, text: text.slice(start, end) });
    }
  }
  return out;
}

const pages = formatAnchors();
const all = comments();

describe('format references in code comments', () => {
  it('the format pages exist and carry explicit anchors', () => {
    for (const page of ['index', 'qcn', 'efs-tar', 'fsg', 'mcfg', 'lid-table', 'lid-files', 'bin-region', 'diag']) {
      expect(pages.get(page)?.size ?? 0, `apps/docs/formats/${page}.md`).toBeGreaterThan(0);
    }
    expect(all.length).toBeGreaterThan(500);
  });

  it('every docs/formats/<page>.md#<anchor> names an existing page and anchor', () => {
    const broken: string[] = [];
    let seen = 0;
    for (const c of all) {
      // `page.md#a`, and the end of a range `page.md#a…#b`.
      for (const m of c.text.matchAll(/docs\/formats\/([a-z0-9-]+)\.md(?:#([a-z0-9-]+)(?:…#([a-z0-9-]+))?)?/g)) {
        seen++;
        const [ref, page, anchor, rangeEnd] = m;
        const anchors = pages.get(page!);
        if (!anchors) broken.push(`${c.where}: ${ref} (no page)`);
        else for (const a of [anchor, rangeEnd]) if (a && !anchors.has(a)) broken.push(`${c.where}: ${ref} (no #${a})`);
      }
    }
    expect(broken).toEqual([]);
    expect(seen).toBeGreaterThan(400);
  });

  it('no comment cites the outside specs (§ sections or shared/specs)', () => {
    // A § after a standard's name (`RFC 5280 §4.1.2.5`) is that standard's and stays.
    const outside = all.flatMap((c) => outsideSpecCites(c.text).map((cite) => `${c.where}: ${cite}`));
    expect(outside, 'run: node scripts/rewrite-spec-refs.mjs').toEqual([]);
  });
});
