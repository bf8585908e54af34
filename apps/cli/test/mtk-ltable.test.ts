import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { mkdtemp, rm, writeFile, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { sampleLtable } from '@nv/mtk-nvram-ltable/sample';
import { serializeLtableJson, type Ltable } from '@nv/mtk-nvram-ltable';
import { runNv } from './_spawn.ts';

const FIX = fileURLToPath(new URL('../../../packages/mtk-nvram-ltable/test/fixtures/', import.meta.url));
let dir: string;
const bump = (t: Ltable, name: string, patch: object): Ltable => ({
  ...t,
  entries: t.entries.map((e) => (e.name === name ? { ...e, ...patch } : e)),
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'nv-ltable-'));
  const t = sampleLtable();
  await writeFile(join(dir, 'old.json'), serializeLtableJson(t));
  await writeFile(join(dir, 'new-ok.json'), serializeLtableJson(bump(t, 'NVRAM_EF_SMS_SETTING_LID', { verno: '002' })));
  await writeFile(join(dir, 'new-bad.json'), serializeLtableJson(bump(t, 'NVRAM_EF_FT_RF_CAL_LID', { verno: '003' })));
  await writeFile(
    join(dir, 'dup.json'),
    serializeLtableJson(bump(t, 'NVRAM_EF_SMS_SETTING_LID', { prefix: 'MP0C', verno: '1' })),
  );
  await writeFile(
    join(dir, 'broken.c'),
    'ltable_entry_struct t[] = {\n  { A_LID, 1, 4, NVRAM_EF_ZERO_DEFAULT, NVRAM_CATEGORY_USER, NVRAM_ATTR_BOGUS, "AB01", "000" },\n};\n',
  );
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('nv mtk ltable', () => {
  it('import C → JSON shape, -D, and -o writes the table', async () => {
    const r = await runNv(
      [
        'mtk',
        'ltable',
        'import',
        join(FIX, 'lid_groups.h'),
        join(FIX, 'nvram_ltable_core.c'),
        '-D',
        '__NVRAM_LOCK__',
        '-o',
        'table.json',
        '--json',
      ],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.generation).toBe('moly-b');
    expect(out.entries).toHaveLength(6);
    expect(out.entries[1]).toMatchObject({
      lid: 0xf006,
      name: 'NVRAM_EF_NVRAM_LOCK_LID',
      size: 8,
      records: 1,
      category: 0x2000,
      attr: 0x60ae,
      prefix: 'MP0C',
      verno: '000',
      description: null,
    });
    expect(out.entries[1].attributes).toEqual([
      'WRITEPROTECT',
      'MULTIPLE',
      'CONFIDENTIAL',
      'MSP',
      'GEN_DEFAULT',
      'FAULT_ASSERT',
      'COMMITTED',
    ]);
    expect(out.warnings.map((w: { code: string }) => w.code)).toEqual(['NV_LTABLE_SMART_QUOTES']);
    const written = JSON.parse(await readFile(join(dir, 'table.json'), 'utf8'));
    expect(written.entries.map((e: { name: string }) => e.name)).toEqual(
      out.entries.map((e: { name: string }) => e.name),
    );
    // Refuses to overwrite without --force; C export with --format c.
    const again = await runNv(['mtk', 'ltable', 'import', join(dir, 'table.json'), '-o', 'table.json', '--json'], {
      cwd: dir,
    });
    expect(again.code).toBe(1);
    expect(JSON.parse(again.stdout).error.code).toBe('NV_EXISTS');
    const c = await runNv(['mtk', 'ltable', 'import', 'table.json', '-o', 'table.c', '--json'], { cwd: dir });
    expect(c.code).toBe(0);
    expect(await readFile(join(dir, 'table.c'), 'utf8')).toContain('ltable_entry_struct logical_data_item_table[] = {');
    const back = await runNv(['mtk', 'ltable', 'import', 'table.c', '--json'], { cwd: dir });
    expect(JSON.parse(back.stdout).entries.map((e: { attr: number }) => e.attr)).toEqual(
      out.entries.map((e: { attr: number }) => e.attr),
    );
  });

  it('import errors: exit 1 with code and position, no output file left', async () => {
    const r = await runNv(['mtk', 'ltable', 'import', 'broken.c', '-o', 'never.json', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    const err = JSON.parse(r.stdout).error;
    expect(err.code).toBe('NV_LTABLE_UNKNOWN_ATTR');
    expect(err.data).toEqual({ line: 2, column: 62 });
    expect((await readdir(dir)).filter((f) => f.startsWith('never'))).toEqual([]);
    const maui = await runNv(['mtk', 'ltable', 'import', join(FIX, 'maui_demo.c'), '--json'], { cwd: dir });
    expect([maui.code, JSON.parse(maui.stdout).error.code]).toEqual([1, 'NV_LTABLE_ENUMSET_REQUIRED']);
    const ok = await runNv(['mtk', 'ltable', 'import', join(FIX, 'maui_demo.c'), '--enum-set', 'maui-1', '--json'], {
      cwd: dir,
    });
    expect(JSON.parse(ok.stdout).entries[1].categories).toEqual(['SYSTEM', 'FACTORY']);
  });

  it('lint: {ok, findings} shape, exit 1 when a finding is an error', async () => {
    const ok = await runNv(['mtk', 'ltable', 'lint', 'old.json', '--json'], { cwd: dir });
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, findings: [] });
    const bad = await runNv(['mtk', 'ltable', 'lint', 'dup.json', '--json'], { cwd: dir });
    expect(bad.code).toBe(1);
    const doc = JSON.parse(bad.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.findings.map((f: { code: string }) => f.code)).toEqual(['NV_LTABLE_DUP_PREFIX', 'NV_LTABLE_BAD_VERNO']);
    const human = await runNv(['mtk', 'ltable', 'lint', 'dup.json'], { cwd: dir });
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('NV_LTABLE_DUP_PREFIX');
  });

  it('plan: {actions, blocked} shape per mode', async () => {
    const r = await runNv(
      ['mtk', 'ltable', 'plan', '--from', 'old.json', '--to', 'new-ok.json', '--mode', 'ota', '--json'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const p = JSON.parse(r.stdout);
    expect(p).toMatchObject({ generation: 'moly-b', mode: 'ota', ok: true, blocked: [] });
    expect(p.actions.find((a: { name: string }) => a.name === 'NVRAM_EF_SMS_SETTING_LID')).toMatchObject({
      lid: 0x08c5,
      action: 'migrate',
      row: '17',
    });
    expect(p.actions.find((a: { name: string }) => a.name === 'NVRAM_EF_IMEI_IMEISV_LID')).toMatchObject({
      lid: 0xef10,
      action: 'keep',
      reason: expect.any(String),
    });
    const fu = JSON.parse(
      (
        await runNv(
          [
            'mtk',
            'ltable',
            'plan',
            '--from',
            'old.json',
            '--to',
            'old.json',
            '--mode',
            'firmware-upgrade',
            '--bin-region',
            'empty',
            '--json',
          ],
          { cwd: dir },
        )
      ).stdout,
    );
    expect(fu.actions.find((a: { name: string }) => a.name === 'NVRAM_EF_IMEI_IMEISV_LID')).toMatchObject({
      action: 'lost',
      code: 'NV_LTABLE_PLAN_BIN_REGION_EMPTY',
    });
  });

  it('plan: blocked changes exit 1 (or 0 with --allow-blocked); bad mode is a usage error', async () => {
    const r = await runNv(
      ['mtk', 'ltable', 'plan', '--from', 'old.json', '--to', 'new-bad.json', '--mode', 'firmware-upgrade', '--json'],
      { cwd: dir },
    );
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.ok).toBe(false);
    expect(doc.blocked).toEqual([
      expect.objectContaining({
        lid: 0x05c1,
        name: 'NVRAM_EF_FT_RF_CAL_LID',
        code: 'NV_LTABLE_PLAN_CALIBRATION_LOSS',
        row: '5',
        advice: expect.stringContaining('revert the VERNO'),
      }),
    ]);
    const allowed = await runNv(
      [
        'mtk',
        'ltable',
        'plan',
        '--from',
        'old.json',
        '--to',
        'new-bad.json',
        '--mode',
        'firmware-upgrade',
        '--allow-blocked',
        '--json',
      ],
      { cwd: dir },
    );
    expect(allowed.code).toBe(0);
    expect(JSON.parse(allowed.stdout).blocked).toHaveLength(1);
    const human = await runNv(
      ['mtk', 'ltable', 'plan', '--from', 'old.json', '--to', 'new-bad.json', '--mode', 'ota'],
      { cwd: dir },
    );
    expect(human.code).toBe(1);
    expect(human.stdout).toContain('BLOCKED NVRAM_EF_FT_RF_CAL_LID');
    const bad = await runNv(
      ['mtk', 'ltable', 'plan', '--from', 'old.json', '--to', 'old.json', '--mode', 'flash', '--json'],
      { cwd: dir },
    );
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.stdout).error.code).toBe('NV_USAGE');
    const missing = await runNv(
      ['mtk', 'ltable', 'plan', '--from', 'nope.json', '--to', 'old.json', '--mode', 'ota', '--json'],
      { cwd: dir },
    );
    expect([missing.code, JSON.parse(missing.stdout).error.code]).toEqual([1, 'NV_NOT_FOUND']);
  });

  it('issue 15.6: lint of a vendor-style table flags the swapped entry and the missing VERNO define (exit 1)', async () => {
    const r = await runNv([
      'mtk',
      'ltable',
      'lint',
      join(FIX, 'moly_vendor_style.c'),
      '--generation',
      'moly-b',
      '--json',
    ]);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout) as {
      ok: boolean;
      findings: { code: string; severity: string; message: string }[];
    };
    expect(out.ok).toBe(false);
    expect(out.findings).toContainEqual(
      expect.objectContaining({ code: 'NV_LTABLE_ORDER_SWAPPED', severity: 'error' }),
    );
    expect(out.findings.find((f) => f.code === 'NV_LTABLE_BAD_VERNO')?.message).toContain(
      'NVRAM_EF_DEMO_NOVER_LID_VERNO is not defined',
    );
    const imp = await runNv(['mtk', 'ltable', 'import', join(FIX, 'moly_vendor_style.c'), '--generation', 'moly-b']);
    expect(imp.stderr).toMatch(/error NV_LTABLE_ORDER_SWAPPED: .*64 record\(s\) of 2 byte\(s\)/);
  });

  it('help shows an example', async () => {
    const r = await runNv(['mtk', 'ltable', 'plan', '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('$ nv mtk ltable plan --from');
  });
});
