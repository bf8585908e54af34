/**
 * The spec-reference codemod (scripts/rewrite-spec-refs.mjs) on hand-written sources: every citation form it must
 * rewrite, what it must leave alone (strings, regex literals), idempotence, and the unmapped report.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  commentRanges,
  missingTargets,
  outsideSpecCites,
  rewriteSource,
  ROOT,
  SPEC_MAP,
} from './rewrite-spec-refs.mjs';

const rw = (text: string, path = 'packages/qcom-efs/src/x.ts'): string => rewriteSource(text, path).text;

describe('rewrite-spec-refs', () => {
  it('maps every spec section to a page anchor that exists', () => {
    expect(missingTargets()).toEqual([]);
    expect(Object.keys(SPEC_MAP)).toEqual(
      expect.arrayContaining([
        'qcom-efs',
        'qcom-fsg-sign',
        'qcom-mbn',
        'mtk-nvram-ltable',
        'mtk-lid-file',
        'qcom-diag',
      ]),
    );
  });

  it('rewrites named citations in every spelling the code uses', () => {
    expect(rw('// see qcom-efs.md §2.2 for the tree')).toBe('// see docs/formats/qcn.md#container for the tree');
    expect(rw('/** (`qcom-mbn.md` §3.8) */')).toBe('/** (docs/formats/mcfg.md#attributes) */');
    expect(rw('// spec qcom-mbn.md §2: dialect')).toBe('// docs/formats/mcfg.md#xml: dialect');
    expect(rw('// (ltable spec §9.1) and (lid-file §5.3)')).toBe(
      '// (docs/formats/lid-table.md#modes) and (docs/formats/lid-files.md#gen-b-cipher)',
    );
    expect(rw('// Spec: shared/specs/qcom-fsg-sign.md')).toBe('// Spec: docs/formats/fsg.md');
    expect(rw('// mtk-lid-file §11: blocks')).toBe('// docs/formats/bin-region.md#layout: blocks');
  });

  it("gives a bare § the spec of the file's package", () => {
    expect(rw('// spec §2.4 record', 'packages/qcom-efs/src/qcn.ts')).toBe('// docs/formats/qcn.md#item-record record');
    expect(rw('// §3.3 headers', 'packages/qcom-mbn/src/elf.ts')).toBe(
      '// docs/formats/mcfg.md#program-headers headers',
    );
    expect(rw('// §3.3 signature', 'packages/qcom-fsg-sign/test/a.test.ts')).toBe(
      '// docs/formats/fsg.md#signature signature',
    );
  });

  it('keeps a bare § in the list of the spec named before it, else uses the file default', () => {
    expect(rw('/* (ltable spec §2, §7; mtk-lid-file §8, §9, §13) */', 'packages/device-sim/src/mtk-device.ts')).toBe(
      '/* (docs/formats/lid-table.md#partitions, docs/formats/lid-table.md#effective-attributes; ' +
        'docs/formats/lid-files.md#read-errors, docs/formats/lid-files.md#defaults, docs/formats/lid-files.md#external-api) */',
    );
    // Outside a format package: the spec the file name suggests, the words after the § (steps → FSG checks).
    expect(rw('// (§4.2) and §4 step 17', 'packages/device-sim/src/mtk-device.ts')).toBe(
      '// (docs/formats/lid-table.md#categories) and docs/formats/fsg.md#modem-checks step 17',
    );
  });

  it('writes ranges and collapses a repeated target', () => {
    expect(rw('// (§3.6–§3.8)')).toBe('// (docs/formats/qcn.md#nv-info…#efs-to-qcn)');
    expect(rw('// (§2.7–2.8)')).toBe('// (docs/formats/efs-tar.md#tar…#gzip)');
    expect(rw('// (§2.2–§2.3)')).toBe('// (docs/formats/qcn.md#container…#property-info)');
    expect(rw('// (lid-file §8.3/§8.4)', 'packages/mtk-nvram-ltable/src/plan.ts')).toBe(
      '// (docs/formats/lid-files.md#read-errors)',
    );
  });

  it('leaves strings, template literals and regex literals alone', () => {
    const src = [
      "const m = 'spec §4.3'; // §4.3",
      'const t = `§5 ${x}`; // §5',
      'const r = /§1\\/\\//; // §1',
      "const u = 'http://x'; // §2.1",
    ].join('\n');
    expect(rw(src, 'packages/mtk-nvram-ltable/src/lint.ts')).toBe(
      [
        "const m = 'spec §4.3'; // docs/formats/lid-table.md#maui-categories",
        'const t = `§5 ${x}`; // docs/formats/lid-table.md#lid-numbers',
        'const r = /§1\\/\\//; // docs/formats/lid-table.md#overview',
        "const u = 'http://x'; // docs/formats/lid-table.md#partitions",
      ].join('\n'),
    );
    expect(commentRanges("a = '//'; // c")).toEqual([[10, 14]]);
  });

  it("leaves a standard's sections alone (RFC 5280 §4.1.2.5)", () => {
    const src = '// RFC 5280 §4.1.2.5: UTCTime; (RFC 8017 §9.2 note 1); ISO/IEC 7816-4 §5.1; spec §3.2';
    expect(rw(src, 'packages/qcom-fsg-sign/src/cert-build.ts')).toBe(
      '// RFC 5280 §4.1.2.5: UTCTime; (RFC 8017 §9.2 note 1); ISO/IEC 7816-4 §5.1; docs/formats/fsg.md#image-hash',
    );
    expect(outsideSpecCites(src)).toEqual(['§3.2']);
    expect(outsideSpecCites('// see shared/specs/qcom-efs.md')).toEqual(['shared/specs/qcom-efs.md']);
  });

  it('is idempotent', () => {
    const once = rewriteSource('// qcom-efs.md §3.10 and §3.11\n', 'packages/qcom-efs/src/tar.ts');
    expect(once.rewritten).toBe(2);
    const twice = rewriteSource(once.text, 'packages/qcom-efs/src/tar.ts');
    expect(twice).toEqual({ text: once.text, rewritten: 0, unmapped: [] });
  });

  it('reports what it cannot map and, as a CLI, exits 1 without writing', () => {
    expect(rewriteSource('// x\n// qcom-efs.md §99 and cli.md §2\n', 'apps/cli/src/a.ts').unmapped).toEqual([
      { line: 2, cite: 'qcom-efs.md §99 (qcom-efs)' },
      { line: 2, cite: 'cli.md §2 (cli)' },
    ]);
    expect(rewriteSource('// §12.1', 'packages/core/src/bytes.ts').unmapped).toEqual([
      { line: 1, cite: '§12.1 (no spec)' },
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'nv-spec-refs-'));
    try {
      const file = join(dir, 'a.ts');
      writeFileSync(file, '// qcom-mbn.md §3.5\n// stack.md §2.7\n');
      const bad = spawnSync(process.execPath, [join(ROOT, 'scripts/rewrite-spec-refs.mjs'), file], {
        encoding: 'utf8',
      });
      expect(bad.status).toBe(1);
      expect(bad.stderr).toContain('stack.md §2.7');
      expect(readFileSync(file, 'utf8')).toBe('// qcom-mbn.md §3.5\n// stack.md §2.7\n');
      writeFileSync(file, '// qcom-mbn.md §3.5\n');
      const check = spawnSync(process.execPath, [join(ROOT, 'scripts/rewrite-spec-refs.mjs'), '--check', file], {
        encoding: 'utf8',
      });
      expect(check.status).toBe(1);
      expect(readFileSync(file, 'utf8')).toBe('// qcom-mbn.md §3.5\n');
      const ok = spawnSync(process.execPath, [join(ROOT, 'scripts/rewrite-spec-refs.mjs'), file], { encoding: 'utf8' });
      expect(ok.status).toBe(0);
      expect(ok.stdout).toContain('rewrote 1 citation(s) in 1 of 1 file(s)');
      expect(readFileSync(file, 'utf8')).toBe('// docs/formats/mcfg.md#mcfg-header\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
