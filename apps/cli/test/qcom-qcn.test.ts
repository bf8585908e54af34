/**
 * Issue 14 (1, 2) through the CLI: `qcn inspect` and `efs lint [--strip-factory]` on a QPST-style backup built by
 * packages/qcom-efs/scripts/make-qpst-qcn.py from the spec's byte tables and packed by Debian `gsf createole`.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasTool } from '../../../scripts/test-tools.ts';
import { runNv } from './_spawn.ts';

const SCRIPT = fileURLToPath(new URL('../../../packages/qcom-efs/scripts/make-qpst-qcn.py', import.meta.url));
let dir = '';

describe.skipIf(!(hasTool('gsf') && hasTool('python3')))(
  'nv qcom on a QPST-style QCN (needs libgsf-bin, python3)',
  () => {
    beforeAll(async () => {
      dir = await mkdtemp(join(tmpdir(), 'nv-qpst-cli-'));
      execFileSync('python3', [SCRIPT, join(dir, 'backup.qcn')], { stdio: 'pipe' });
      execFileSync('python3', [SCRIPT, join(dir, 'odd.qcn'), '--layout', 'misplaced', '--unknown'], { stdio: 'pipe' });
      await writeFile(join(dir, 'lists.json'), JSON.stringify({ factoryIds: [855], runtimePaths: ['/CGPS_ME/'] }));
    });
    afterAll(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it('qcn inspect lists the numbered items and every stream; unknown streams are named (14.1)', async () => {
      const r = await runNv(['qcom', 'qcn', 'inspect', 'backup.qcn', '--json'], { cwd: dir });
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.items.map((i: { id: number }) => i.id)).toEqual([10, 0, 550, 447, 1943, 4678, 10, 855, 6828, 550, 10]);
      expect(j.streams.length).toBe(27);
      expect(j.streams.every((s: { known: boolean }) => s.known)).toBe(true);
      const odd = await runNv(['qcom', 'qcn', 'inspect', 'odd.qcn'], { cwd: dir });
      expect(odd.code).toBe(0);
      expect(odd.stdout).toMatch(/3 streams not understood/);
      expect(odd.stdout).toMatch(/NV_NUMBERED_ITEMS\/NV_ITEM_ARRAY_SIM_1/);
      expect(odd.stderr).toMatch(/NV_EFS_QCN_UNKNOWN_STREAM: 00004094\/default\/QPST_Future_Stream/);
    });

    it('efs lint: factory findings on a QPST backup; NV_NUMBERED_ITEMS it cannot read is an error, exit 1 (14.2)', async () => {
      const l = await runNv(['qcom', 'efs', 'lint', 'backup.qcn', '--json'], { cwd: dir });
      expect(l.code).toBe(0);
      const ids = JSON.parse(l.stdout)
        .findings.filter((f: { code: string; id?: number }) => f.code === 'NV_EFS_LINT_FACTORY_DATA')
        .map((f: { id: number }) => f.id);
      expect([...new Set(ids)].sort((a, b) => (a as number) - (b as number))).toEqual([0, 447, 550, 1943, 4678]);
      const bad = await runNv(['qcom', 'efs', 'lint', 'odd.qcn', '--json'], { cwd: dir });
      expect(bad.code).toBe(1);
      expect(JSON.parse(bad.stdout).findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([
        expect.objectContaining({ code: 'NV_EFS_QCN_ITEMS_UNREAD', path: 'NV_NUMBERED_ITEMS/NV_ITEM_ARRAY' }),
        expect.objectContaining({ code: 'NV_EFS_QCN_ITEMS_UNREAD', path: 'NV_NUMBERED_ITEMS/NV_ITEM_ARRAY_SIM_1' }),
      ]);
    });

    it('--strip-factory with --factory-id, --runtime-path and --lists lists what it removed; the copy is clean (14.2)', async () => {
      const s = await runNv(
        [
          'qcom',
          'efs',
          'lint',
          'backup.qcn',
          '--strip-factory',
          '--factory-id',
          '6828,10',
          '--runtime-path',
          '/nv/item_files/modem/mmode/sms_only',
          '--lists',
          'lists.json',
          '-o',
          'clean.qcn',
          '--json',
        ],
        { cwd: dir },
      );
      expect(s.code).toBe(0);
      const removed = JSON.parse(s.stdout).removed as { kind: string; path: string; reason: string }[];
      expect(removed.filter((r) => r.kind === 'file').map((r) => r.path)).toEqual([
        '/nv/item_files/modem/mmode/sms_only',
        '/nvm/num/550',
        '/nv/item_files/modem/mmode/sms_only',
        '/policyman/ue_mode',
        '/nvm/context1/550',
        '/CGPS_ME/config',
      ]);
      expect(removed.filter((r) => r.kind === 'record').map((r) => r.path)).toEqual([
        '/nvm/num/10',
        '/nvm/num/0',
        '/nvm/num/550',
        '/nvm/num/447',
        '/nvm/num/1943',
        '/nvm/num/4678',
        '/nvm/num/10',
        '/nvm/num/855',
        '/nvm/num/6828',
        '/nvm/context1/550',
        '/nvm/context1/10',
      ]);
      const again = await runNv(
        ['qcom', 'efs', 'lint', 'clean.qcn', '--factory-id', '6828', '--lists', 'lists.json', '--json'],
        { cwd: dir },
      );
      expect(JSON.parse(again.stdout)).toEqual({ ok: true, findings: [] });
      const text = await runNv(['qcom', 'efs', 'lint', 'backup.qcn', '--strip-factory', '-o', 'c2.qcn'], { cwd: dir });
      expect(text.stdout).toMatch(
        /c2\.qcn: removed 9\n {2}\/nvm\/num\/550 \(IMEI\) from 00004094\/default\/EFS_Backup/,
      );
      const u = await runNv(['qcom', 'efs', 'lint', 'backup.qcn', '--factory-id', '70000'], { cwd: dir });
      expect(u.code).toBe(2);
      const badList = await runNv(['qcom', 'efs', 'lint', 'backup.qcn', '--lists', 'backup.qcn', '--json'], {
        cwd: dir,
      });
      expect(badList.code).toBe(1);
      expect(JSON.parse(badList.stdout).error.code).toBe('NV_EFS_BAD_LINT_LIST');
    });
  },
);

describe('nv qcom qcn inspect on an XQCN (no external tool)', () => {
  it('names an unknown stream even under a foreign model storage name; Feature_Mask is known', async () => {
    const d = await mkdtemp(join(tmpdir(), 'nv-xqcn-cli-'));
    try {
      await writeFile(
        join(d, 'm.xqcn'),
        `<QCN><Stream Name="File_Version" Value="02 00 00 00 00 00"/><Storage Name="Model7"><Storage Name="default">
<Stream Name="Mobile_Property_Info" Value="00000000 0700 0000 0000 0000"/><Stream Name="Odd" Value="01"/>
<Stream Name="Feature_Mask" Value="0102"/></Storage></Storage></QCN>`,
      );
      const r = await runNv(['qcom', 'qcn', 'inspect', 'm.xqcn', '--json'], { cwd: d });
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.unknownStreams).toEqual(['00000007/default/Odd']);
      expect(j.warnings.map((w: { code: string }) => w.code)).toEqual(['NV_EFS_QCN_UNKNOWN_STREAM']);
    } finally {
      await rm(d, { recursive: true, force: true });
    }
  });
});
