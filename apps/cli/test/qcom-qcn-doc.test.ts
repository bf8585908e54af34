/**
 * Issue 16 through the CLI: `qcn diff|convert|decode`, `efs to-qcn`, `qcn to-efs --definition` and the NV-info
 * sidecar of `nv compile`.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { hasTool } from '../../../scripts/test-tools.ts';
import { runNv } from './_spawn.ts';

const SCRIPT = fileURLToPath(new URL('../../../packages/qcom-efs/scripts/make-qpst-qcn.py', import.meta.url));
let dir = '';

const MASTER = `<?xml version="1.0" encoding="utf-8"?>
<NvSource>
  <NvItem id="10" mapping="direct" encoding="dec">0,31</NvItem>
  <NvItem id="30" mapping="direct" encoding="dec">-1,4660,-128,1</NvItem>
  <NvItem id="20000" mapping="direct" encoding="dec">1,2,-740</NvItem>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" encoding="hex" useProvisioningStore="true">0x07</NvEfsItem>
</NvSource>`;
const DEF = `<?xml version="1.0" encoding="utf-8"?>
<NvDefinition>
  <DataType name="pair"><Member name="lo" type="int8" sizeOf="1"/><Member name="hi" type="uint16" sizeOf="1"/></DataType>
  <NvItem id="10" name="NV_PREF_MODE_I" permission="rw"><Member name="nam" type="uint8" sizeOf="1"/><Member name="mode" type="uint16" sizeOf="1"/></NvItem>
  <NvItem id="30" name="NESTED" permission="rw"><Member name="pairs" type="pair" sizeOf="2"/></NvItem>
  <NvItem id="20000" name="RFNV_B1" permission="rw"><Member name="a" type="uint8" sizeOf="2"/><Member name="b" type="int16" sizeOf="1"/></NvItem>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" name="autosel" permission="rw"><Member name="on" type="uint8" sizeOf="1"/></NvEfsItem>
</NvDefinition>`;

describe('nv qcom qcn diff / convert / decode, efs to-qcn (issue 16)', () => {
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nv-q16-cli-'));
    await writeFile(join(dir, 'master.xml'), MASTER);
    await writeFile(join(dir, 'def.xml'), DEF);
    const c = await runNv(['qcom', 'nv', 'compile', 'master.xml', '--definition', 'def.xml', '-o', 'a.qcn'], {
      cwd: dir,
    });
    expect(c.code).toBe(0);
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('nv compile records the NV sizes beside its output; qcn to-efs uses them with nothing more (16.4)', async () => {
    const info = JSON.parse(await readFile(join(dir, 'a.qcn.nv-info.json'), 'utf8'));
    expect(info).toEqual([
      { id: 10, size: 2, arraySize: 1 },
      { id: 30, size: 6, arraySize: 0 },
    ]);
    const t = await runNv(['qcom', 'qcn', 'to-efs', 'a.qcn', '-o', 'tree', '--json'], { cwd: dir });
    expect(t.code).toBe(0);
    expect([...(await readFile(join(dir, 'tree/nvm/num/10')))]).toEqual([0x1f, 0]);
    expect((await readFile(join(dir, 'tree/nvm/num/30'))).length).toBe(6);
    // --definition instead of the sidecar (a QCN from elsewhere).
    await runNv(['qcom', 'qcn', 'convert', 'a.qcn', '-o', 'copy.qcn'], { cwd: dir });
    const noInfo = await runNv(['qcom', 'qcn', 'to-efs', 'copy.qcn', '-o', 'tree2'], { cwd: dir });
    expect(noInfo.code).not.toBe(0);
    const d = await runNv(['qcom', 'qcn', 'to-efs', 'copy.qcn', '--definition', 'def.xml', '-o', 'tree2'], {
      cwd: dir,
    });
    expect(d.code).toBe(0);
    expect([...(await readFile(join(dir, 'tree2/nvm/num/10')))]).toEqual([0x1f, 0]);
  });

  it('convert QCN → JSON → XQCN → QCN; diff of the copies is empty (exit 0); an edit shows, exit 1 (16.1, 16.2)', async () => {
    expect((await runNv(['qcom', 'qcn', 'convert', 'a.qcn', '-o', 'a.json', '--json'], { cwd: dir })).code).toBe(0);
    const j = JSON.parse(await readFile(join(dir, 'a.json'), 'utf8'));
    expect(j.format).toBe('nv-qcn');
    expect(j.items[0]).toEqual({ id: 10, index: 0, subscription: 0, payload: '001f' });
    expect((await runNv(['qcom', 'qcn', 'convert', 'a.json', '-o', 'a.xqcn'], { cwd: dir })).code).toBe(0);
    expect((await runNv(['qcom', 'qcn', 'convert', 'a.xqcn', '-o', 'b.qcn'], { cwd: dir })).code).toBe(0);
    const same = await runNv(['qcom', 'qcn', 'diff', 'a.qcn', 'b.qcn', '--json'], { cwd: dir });
    expect(same.code).toBe(0);
    expect(JSON.parse(same.stdout)).toEqual({ same: true, added: [], removed: [], changed: [] });
    j.items[0].payload = '0020';
    j.items.push({ id: 99, payload: '01' });
    await writeFile(join(dir, 'edit.json'), JSON.stringify(j));
    const diff = await runNv(['qcom', 'qcn', 'diff', 'a.xqcn', 'edit.json', '--definition', 'def.xml', '--json'], {
      cwd: dir,
    });
    expect(diff.code).toBe(1);
    const out = JSON.parse(diff.stdout);
    expect(out.added).toEqual([{ kind: 'item', subscription: 0, id: 99, index: 0, value: '01' }]);
    expect(out.changed).toEqual([
      expect.objectContaining({
        id: 10,
        a: '001f',
        b: '0020',
        fieldsA: { nam: 0, mode: 31 },
        fieldsB: { nam: 0, mode: 32 },
      }),
    ]);
    const human = await runNv(['qcom', 'qcn', 'diff', 'a.qcn', 'edit.json'], { cwd: dir });
    expect(human.stdout).toMatch(/1 added, 0 removed, 1 changed/);
    expect(human.stdout).toMatch(/~ NV 10\n {4}a: 001f\n {4}b: 0020/);
  });

  it('decode: named fields; -o writes an NvSource that nv compile turns into the same bytes (16.3)', async () => {
    const r = await runNv(
      ['qcom', 'qcn', 'decode', 'a.qcn', '--definition', 'def.xml', '-o', 'decoded.xml', '--json'],
      { cwd: dir },
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.items.find((i: { id: number }) => i.id === 30).fields).toEqual({
      pairs: [
        { lo: -1, hi: 4660 },
        { lo: -128, hi: 1 },
      ],
    });
    expect(j.efs.find((f: { path: string }) => f.path.endsWith('00020000')).fields).toEqual({ a: [1, 2], b: -740 });
    const only = await runNv(['qcom', 'qcn', 'decode', 'a.qcn', '--definition', 'def.xml', '--id', '10', '--json'], {
      cwd: dir,
    });
    expect(JSON.parse(only.stdout).items.map((i: { id: number }) => i.id)).toEqual([10]);
    const c = await runNv(['qcom', 'nv', 'compile', 'decoded.xml', '--definition', 'def.xml', '-o', 'again.qcn'], {
      cwd: dir,
    });
    expect(c.code).toBe(0);
    // The decoded NvSource holds the numbered items, NvEfsItems and RFNV (through its NvItem id): same QCN.
    expect(await readFile(join(dir, 'decoded.xml'), 'utf8')).toMatch(
      /<NvItem id="20000" name="RFNV_B1" encoding="dec">1,2,-740<\/NvItem>/,
    );
    const d = await runNv(['qcom', 'qcn', 'diff', 'a.qcn', 'again.qcn', '--json'], { cwd: dir });
    expect(d.code, d.stdout).toBe(0);
  });

  it('efs to-qcn: the tree back into a QCN; the diff with the source holds only what a tree cannot say (16.4)', async () => {
    const r = await runNv(
      ['qcom', 'efs', 'to-qcn', 'tree', '--definition', 'def.xml', '-o', 'fromtree.qcn', '--json'],
      {
        cwd: dir,
      },
    );
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.items).toBe(2);
    expect(j.stores).toEqual({ NV_Items: 1, Provisioning_Item_Files: 0, EFS_Backup: 1 });
    const d = JSON.parse(
      (await runNv(['qcom', 'qcn', 'diff', 'a.qcn', 'fromtree.qcn', '--json'], { cwd: dir })).stdout,
    );
    // Items come back identical; the provisioning file has no conf list in the tree, so it lands in EFS_Backup.
    expect(d.changed).toEqual([]);
    expect(d.removed.map((e: { store: string }) => e.store)).toEqual(['Provisioning_Item_Files']);
    expect(d.added.map((e: { store: string }) => e.store)).toEqual(['EFS_Backup']);
    // From the packed image as well: the same QCN.
    expect((await runNv(['qcom', 'efs', 'pack', 'tree', '-o', 'tree.tar.gz'], { cwd: dir })).code).toBe(0);
    const g = await runNv(
      ['qcom', 'efs', 'to-qcn', 'tree.tar.gz', '--definition', 'def.xml', '-o', 'fromgz.xqcn', '--json'],
      {
        cwd: dir,
      },
    );
    expect(JSON.parse(g.stdout)).toMatchObject({ container: 'gzip>tar', items: 2, efs: 2 });
    expect((await runNv(['qcom', 'qcn', 'diff', 'fromtree.qcn', 'fromgz.xqcn'], { cwd: dir })).code).toBe(0);
  });

  it.skipIf(!(hasTool('gsf') && hasTool('python3')))(
    'a QPST backup converted to JSON and back keeps every stream (gsf list shows them; needs libgsf-bin)',
    async () => {
      execFileSync('python3', [SCRIPT, join(dir, 'qpst.qcn'), '--unknown'], { stdio: 'pipe' });
      await runNv(['qcom', 'qcn', 'convert', 'qpst.qcn', '-o', 'qpst.json'], { cwd: dir });
      const r = await runNv(['qcom', 'qcn', 'convert', 'qpst.json', '-o', 'qpst2.qcn', '--json'], { cwd: dir });
      expect(r.code).toBe(0);
      const list = (f: string): string[] =>
        execFileSync('gsf', ['list', join(dir, f)], { encoding: 'utf8' })
          .split('\n')
          .filter((l) => /^f/.test(l))
          .map((l) => l.trim().split(/\s+/).slice(-2).join(' ')) // size and path (gsf prints a date for timed entries)
          .sort();
      expect(list('qpst2.qcn')).toEqual(list('qpst.qcn'));
      const cat = (f: string, s: string): string => execFileSync('gsf', ['cat', join(dir, f), s]).toString('hex');
      for (const s of ['00004094/default/Feature_Mask', '00004094/default/QPST_Future_Stream'])
        expect(cat('qpst2.qcn', s)).toBe(cat('qpst.qcn', s));
      expect((await runNv(['qcom', 'qcn', 'diff', 'qpst.qcn', 'qpst2.qcn'], { cwd: dir })).code).toBe(0);
    },
  );

  it('--help of each new command has an example', async () => {
    for (const c of [
      ['qcn', 'diff'],
      ['qcn', 'convert'],
      ['qcn', 'decode'],
      ['efs', 'to-qcn'],
    ]) {
      const h = await runNv(['qcom', ...c, '--help']);
      expect(h.stdout).toMatch(new RegExp(`nv qcom ${c.join(' ')} `));
    }
  });
});
