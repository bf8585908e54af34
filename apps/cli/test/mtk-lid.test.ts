import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hasTool } from '../../../scripts/test-tools.ts';
import { runNv } from './_spawn.ts';

const VEC = new URL('../../../packages/mtk-lid-file/test/vectors/', import.meta.url).pathname;
const FIX = new URL('../../../packages/mtk-lid-file/test/fixtures/', import.meta.url).pathname;
const AES = '3f06bd14d45fa985dd027410f0214d22';
const TABLE = {
  generation: 'moly-b',
  entries: [
    {
      lid: 0xef10,
      name: 'NVRAM_EF_IMEI_IMEISV_LID',
      size: 10,
      records: 10,
      attr: 0x400a,
      category: 0x2000,
      prefix: 'LD0B',
      verno: '001',
    },
    {
      lid: 0x123,
      name: 'NVRAM_EF_DEMO_CFG_LID',
      size: 8,
      records: 4,
      attr: 0,
      category: 0,
      prefix: 'DEMO',
      verno: '002',
    },
    {
      lid: 0x200,
      name: 'NVRAM_EF_MULTI_LID',
      size: 4,
      records: 2,
      attributes: ['MULTIPLE'],
      category: 0,
      prefix: 'MU00',
      verno: '000',
    },
  ],
};

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'nv-cli-lid-'));
  writeFileSync(join(dir, 'table.json'), JSON.stringify(TABLE));
  copyFileSync(join(VEC, 'genb-imei-confidential.bin'), join(dir, 'LD0B_001'));
  copyFileSync(join(VEC, 'genb-plain.bin'), join(dir, 'DEMO_002'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = (s: string): Record<string, unknown> => JSON.parse(s) as Record<string, unknown>;

describe('nv mtk lid', () => {
  it('decode --json: confidential gen B with a key; fields with --struct', async () => {
    const r = await runNv(['mtk', 'lid', 'decode', 'LD0B_001', '--ltable', 'table.json', '--key', AES, '--json'], {
      cwd: dir,
    });
    expect(r.code).toBe(0);
    const out = json(r.stdout) as {
      generation: string;
      header: { lid: number };
      records: { index: number; bytes: string; checksumOk: boolean }[];
    };
    expect(out.generation).toBe('B');
    expect(out.header.lid).toBe(0xef10);
    expect(out.records[0]).toMatchObject({ index: 1, bytes: '00010121436587f00000', checksumOk: true });
    expect(out.records).toHaveLength(10);
    const s = await runNv(
      ['mtk', 'lid', 'decode', 'DEMO_002', '--ltable', 'table.json', '--struct', join(FIX, 'demo_cfg.h'), '--json'],
      { cwd: dir },
    );
    expect(s.code).toBe(0);
    const fields = (json(s.stdout) as { records: { fields: { name: string; value: unknown; label?: string }[] }[] })
      .records[0]!.fields;
    expect(fields.find((f) => f.name === 'mode.rat')).toEqual({ name: 'mode.rat', value: 2, label: '3G' });
  });
  it('decode errors: no key (exit 1 + JSON error), bad --gen (exit 2)', async () => {
    const r = await runNv(['mtk', 'lid', 'decode', 'LD0B_001', '--ltable', 'table.json', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect((json(r.stdout) as { error: { code: string } }).error.code).toBe('NV_LID_KEY_REQUIRED');
    const u = await runNv(['mtk', 'lid', 'decode', 'LD0B_001', '--gen', 'C', '--json'], { cwd: dir });
    expect(u.code).toBe(2);
  });
  it('encode --json: decode output round-trips byte-exact; MULTIPLE writes both copies; refuses to overwrite', async () => {
    const d = await runNv(['mtk', 'lid', 'decode', 'LD0B_001', '--ltable', 'table.json', '--key', AES, '--json'], {
      cwd: dir,
    });
    writeFileSync(join(dir, 'imei.json'), d.stdout);
    const e = await runNv(
      ['mtk', 'lid', 'encode', 'imei.json', '--ltable', 'table.json', '--key', AES, '-o', 'out/LD0B_001', '--json'],
      { cwd: dir },
    );
    // out/ does not exist: the write fails cleanly and leaves nothing.
    expect(e.code).toBe(1);
    expect(existsSync(join(dir, 'out'))).toBe(false);
    const ok = await runNv(
      [
        'mtk',
        'lid',
        'encode',
        'imei.json',
        '--ltable',
        'table.json',
        '--key',
        AES,
        '-o',
        'LD0B_001.new',
        '--lid',
        'NVRAM_EF_IMEI_IMEISV_LID',
        '--json',
      ],
      { cwd: dir },
    );
    expect(ok.code).toBe(0);
    expect(json(ok.stdout)).toMatchObject({ records: 10, size: 384 });
    expect(readFileSync(join(dir, 'LD0B_001.new')).equals(readFileSync(join(dir, 'LD0B_001')))).toBe(true);
    writeFileSync(join(dir, 'multi.json'), JSON.stringify({ records: ['01020304', '05060708'] }));
    const m = await runNv(
      ['mtk', 'lid', 'encode', 'multi.json', '--ltable', 'table.json', '-o', 'MU00A000', '--json'],
      { cwd: dir },
    );
    expect(m.code).toBe(0);
    expect(json(m.stdout)).toMatchObject({ records: 2, size: 64 + 2 * 12, files: ['MU00A000', 'MU00B000'] });
    expect(readFileSync(join(dir, 'MU00A000')).equals(readFileSync(join(dir, 'MU00B000')))).toBe(true);
    const again = await runNv(
      ['mtk', 'lid', 'encode', 'multi.json', '--ltable', 'table.json', '-o', 'MU00A000', '--json'],
      { cwd: dir },
    );
    expect(again.code).toBe(1);
    expect((json(again.stdout) as { error: { code: string } }).error.code).toBe('NV_EXISTS');
    const bad = await runNv(
      [
        'mtk',
        'lid',
        'encode',
        'multi.json',
        '--ltable',
        'table.json',
        '-o',
        'MU00A000',
        '--lid',
        'NVRAM_EF_DEMO_CFG_LID',
        '--force',
        '--json',
      ],
      { cwd: dir },
    );
    expect(bad.code).toBe(1);
    expect((json(bad.stdout) as { error: { code: string } }).error.code).toBe('NV_LID_BAD_RECORD_INDEX');
    rmSync(join(dir, 'LD0B_001.new'));
  });
  it('verify --json: ok folder, then a corrupt copy with its record index (exit 1)', async () => {
    const good = await runNv(['mtk', 'lid', 'verify', '.', '--ltable', 'table.json', '--key', AES, '--json'], {
      cwd: dir,
    });
    expect(good.code).toBe(0);
    const g = json(good.stdout) as { ok: boolean; files: { path: string; ok: boolean; badRecords: number[] }[] };
    expect(g.ok).toBe(true);
    expect(g.files.map((f) => f.path).sort()).toEqual(['DEMO_002', 'LD0B_001', 'MU00A000', 'MU00B000']);
    const b = readFileSync(join(dir, 'MU00B000'));
    b[64 + 12 + 1] = b[64 + 12 + 1]! ^ 0x40;
    writeFileSync(join(dir, 'MU00B000'), b);
    const bad = await runNv(['mtk', 'lid', 'verify', '.', '--ltable', 'table.json', '--key', AES, '--json'], {
      cwd: dir,
    });
    expect(bad.code).toBe(1);
    const v = json(bad.stdout) as {
      ok: boolean;
      files: { path: string; ok: boolean; badRecords: number[]; code?: string }[];
    };
    expect(v.ok).toBe(false);
    expect(v.files.find((f) => f.path === 'MU00B000')).toMatchObject({
      ok: false,
      badRecords: [2],
      code: 'NV_LID_BAD_CHECKSUM',
    });
  });
});

describe('nv mtk lid with a moly-a table', () => {
  it('uses effective attributes: MULTIPLE is dropped on eMMC, so a single PPPP_VVV gen-A file is right', async () => {
    const a = join(dir, 'gen-a');
    rmSync(a, { recursive: true, force: true });
    mkdirSync(join(a, 'files'), { recursive: true });
    writeFileSync(
      join(a, 'table.json'),
      JSON.stringify({
        generation: 'moly-a',
        entries: [
          {
            lid: 7,
            name: 'NVRAM_EF_MA_LID',
            size: 4,
            records: 1,
            attributes: ['MULTIPLE'],
            category: 0,
            prefix: 'MA00',
            verno: '000',
          },
        ],
      }),
    );
    writeFileSync(join(a, 'files', 'MA00_000'), Uint8Array.from([1, 2, 3, 4, 0x04, 0x06])); // cs2 = 04 06 (hand-computed)
    const r = await runNv(['mtk', 'lid', 'verify', 'files', '--ltable', 'table.json', '--json'], { cwd: a });
    expect(r.code).toBe(0);
    expect(json(r.stdout)).toEqual({
      ok: true,
      files: [
        { path: join('files', 'MA00_000'), ok: true, badRecords: [], generation: 'A', records: 1, recordSize: 4 },
      ],
    });
    const d = await runNv(['mtk', 'lid', 'decode', 'files/MA00_000', '--ltable', 'table.json', '--json'], { cwd: a });
    expect((json(d.stdout) as { records: unknown[] }).records).toEqual([
      { index: 1, bytes: '01020304', checksumOk: true, checksum: '0406', offset: 0 },
    ]);
  });
});

describe.skipIf(!hasTool('python3'))('nv mtk lid on a table-less NVRAM folder (issue 15.1; needs python3)', () => {
  it('verify prints one line per file and ends green; decode takes the one split or asks for a record size', async () => {
    const script = new URL('../../../packages/mtk-lid-file/scripts/make-nvram-folder.py', import.meta.url).pathname;
    const f = join(dir, 'dump');
    execFileSync('python3', [script, f]);
    const v = await runNv(['mtk', 'lid', 'verify', 'NVRAM'], { cwd: f });
    expect(v.code).toBe(0);
    const lines = v.stdout.trim().split('\n');
    expect(lines.filter((l) => /^ok\s/.test(l))).toHaveLength(7);
    expect(lines.filter((l) => /^FAIL/.test(l))).toHaveLength(0);
    expect(lines.at(-1)).toBe('7/7 files ok');
    expect(lines.find((l) => l.includes('ML2B_001'))).toMatch(/10×512 \| 5×1026 .*NV_LID_AMBIGUOUS_LAYOUT/);
    const j = await runNv(['mtk', 'lid', 'verify', 'NVRAM', '--json'], { cwd: f });
    const files = (json(j.stdout) as { ok: boolean; files: { path: string; layouts?: unknown }[] }).files;
    expect(files.find((x) => x.path.endsWith('ML2B_001'))!.layouts).toEqual([
      { records: 10, size: 512 },
      { records: 5, size: 1026 },
    ]);
    const one = await runNv(['mtk', 'lid', 'decode', join('NVRAM', 'NVD_CORE', 'SYS1_000'), '--json'], { cwd: f });
    expect(one.code).toBe(0);
    expect(json(one.stdout)).toMatchObject({ generation: 'A', recordSize: 64, badRecords: [] });
    const amb = await runNv(['mtk', 'lid', 'decode', join('NVRAM', 'CALIBRAT', 'ML2B_001'), '--json'], { cwd: f });
    expect(amb.code).toBe(1);
    expect((json(amb.stdout) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'NV_LID_AMBIGUOUS_LAYOUT',
      message: expect.stringContaining('--record-size') as string,
    });
    const hinted = await runNv(
      ['mtk', 'lid', 'decode', join('NVRAM', 'CALIBRAT', 'ML2B_001'), '--record-size', '512', '--json'],
      { cwd: f },
    );
    expect(hinted.code).toBe(0);
    expect((json(hinted.stdout) as { records: unknown[] }).records).toHaveLength(10);
    const bad = await runNv(['mtk', 'lid', 'decode', join('NVRAM', 'CALIBRAT', 'ML2B_001'), '--records', '0'], {
      cwd: f,
    });
    expect(bad.code).toBe(2);
    execFileSync('python3', [script, f, '--corrupt']);
    const c = await runNv(['mtk', 'lid', 'verify', 'NVRAM'], { cwd: f });
    expect(c.code).toBe(1);
    expect(c.stdout).toMatch(/FAIL\s+NVRAM\/CALIBRAT\/ML1C_000 .*NV_LID_BAD_CHECKSUM/);
  });
});

describe.skipIf(!hasTool('python3'))('nv mtk lid encode with edited fields (issue 15.2/15.3; needs python3)', () => {
  it('typed values; an edited field is written into its bits with the checksum; unchanged is byte-identical; misuse refused', async () => {
    const script = new URL('../../../packages/mtk-lid-file/scripts/make-nvram-folder.py', import.meta.url).pathname;
    const f = join(dir, 'edit');
    execFileSync('python3', [script, f]);
    copyFileSync(join(f, 'NVRAM', 'NVD_DATA', 'MT7A_000'), join(f, 'MT7A_000'));
    writeFileSync(
      join(f, 'table.json'),
      JSON.stringify({
        generation: 'moly-a',
        entries: [
          {
            lid: 0x300,
            name: 'NVRAM_EF_TYPED_CFG_LID',
            size: 72,
            records: 2,
            attr: 0,
            category: 0,
            prefix: 'MT7A',
            verno: '000',
          },
        ],
      }),
    );
    const typed = join(FIX, 'typed.h');
    const d = await runNv(['mtk', 'lid', 'decode', 'MT7A_000', '--ltable', 'table.json', '--struct', typed, '--json'], {
      cwd: f,
    });
    expect(d.code).toBe(0);
    type Doc = { records: { bytes: string; fields: { name: string; value: unknown; label?: string }[] }[] };
    const doc = json(d.stdout) as Doc;
    const field = (name: string): { name: string; value: unknown } =>
      doc.records[0]!.fields.find((x) => x.name === name)!;
    expect(field('temp').value).toBe(-8);
    expect(field('offset').value).toEqual([-1, 1, -2, 127]);
    expect(field('comp').value).toEqual([-8, 300, -32768, 32767]);
    expect(field('big').value).toBe('-2');
    expect(field('gains').value).toEqual([
      { gain: -3, idx: 7 },
      { gain: 1000, idx: 255 },
    ]);
    const enc = (file: string, out: string, extra: string[] = []): Promise<{ code: number; stdout: string }> =>
      runNv(['mtk', 'lid', 'encode', file, '--ltable', 'table.json', '-o', out, '--json', ...extra], { cwd: f });
    // Unchanged decode output: byte-identical.
    writeFileSync(join(f, 'same.json'), d.stdout);
    const same = await enc('same.json', 'MT7A_000', ['--struct', typed, '--force']);
    expect(same.code).toBe(0);
    expect(json(same.stdout)).toMatchObject({ edits: [] });
    const orig = readFileSync(join(f, 'NVRAM', 'NVD_DATA', 'MT7A_000'));
    expect(readFileSync(join(f, 'MT7A_000')).equals(orig)).toBe(true);
    // Edit temp −8 → −9: bytes 0–1 become f7 ff, the record-1 checksum (bytes 72–73) follows, nothing else moves.
    field('temp').value = -9;
    writeFileSync(join(f, 'edited.json'), JSON.stringify(doc));
    const e = await enc('edited.json', 'MT7A_000', ['--struct', typed, '--force']);
    expect(e.code).toBe(0);
    expect((json(e.stdout) as { edits: unknown[] }).edits).toEqual([{ record: 1, name: 'temp', from: -8, to: -9 }]);
    const now = readFileSync(join(f, 'MT7A_000'));
    const rec = now.subarray(0, 72);
    let lo = 0,
      hi = 0;
    rec.forEach((b, i) => (i % 2 ? (hi += b) : (lo += b)));
    const want = Buffer.from(orig);
    want[0] = 0xf7;
    want[72] = lo & 0xff;
    want[73] = hi & 0xff;
    expect(now.toString('hex')).toBe(want.toString('hex'));
    // Fields without --struct, bytes and fields both edited, a value out of range: refused, nothing written.
    const noStruct = await enc('edited.json', 'X1_000', []);
    expect(noStruct.code).toBe(1);
    expect((json(noStruct.stdout) as { error: { code: string } }).error.code).toBe('NV_BAD_INPUT');
    const both = JSON.parse(JSON.stringify(doc)) as Doc;
    both.records[0]!.bytes = `00${both.records[0]!.bytes.slice(2)}`;
    writeFileSync(join(f, 'both.json'), JSON.stringify(both));
    const b = await enc('both.json', 'MT7A_000', ['--struct', typed, '--force']);
    expect((json(b.stdout) as { error: { code: string } }).error.code).toBe('NV_BAD_INPUT');
    field('temp').value = 40000;
    writeFileSync(join(f, 'range.json'), JSON.stringify(doc));
    const r = await enc('range.json', 'MT7A_000', ['--struct', typed, '--force']);
    expect(r.code).toBe(1);
    expect((json(r.stdout) as { error: { code: string } }).error.code).toBe('NV_LID_BIT_BAD_VALUE');
    expect(readFileSync(join(f, 'MT7A_000')).equals(now)).toBe(true);
  });
  it('a confidential gen-B LID: the edited record is re-encrypted with the key, its checksum recomputed', async () => {
    writeFileSync(
      join(dir, 'imei.h'),
      '#define NVRAM_EF_IMEI_IMEISV_LID_VERNO "001"\ntypedef struct { kal_uint8 imei[8]; kal_uint8 filler[2]; } imei_struct;\nBEGIN_NVRAM_DATA\nLID_BIT VER_LID(NVRAM_EF_IMEI_IMEISV_LID) imei_struct * 10 { imei: "IMEI"; filler: "Filler"; };\nEND_NVRAM_DATA\n',
    );
    const d = await runNv(
      ['mtk', 'lid', 'decode', 'LD0B_001', '--ltable', 'table.json', '--key', AES, '--struct', 'imei.h', '--json'],
      { cwd: dir },
    );
    expect(d.code).toBe(0);
    const doc = json(d.stdout) as {
      header: { writeTimes: number };
      records: { fields: { name: string; value: unknown }[] }[];
    };
    doc.records[0]!.fields.find((x) => x.name === 'filler')!.value = [255, 255];
    writeFileSync(join(dir, 'imei-edit.json'), JSON.stringify(doc));
    const e = await runNv(
      [
        'mtk',
        'lid',
        'encode',
        'imei-edit.json',
        '--ltable',
        'table.json',
        '--key',
        AES,
        '--struct',
        'imei.h',
        '-o',
        'LD0B_001.edit',
        '--lid',
        'NVRAM_EF_IMEI_IMEISV_LID',
        '--json',
      ],
      { cwd: dir },
    );
    expect(e.code).toBe(0);
    const before = readFileSync(join(dir, 'LD0B_001'));
    const after = readFileSync(join(dir, 'LD0B_001.edit'));
    // Only section 1 (bytes 64–95, AES-encrypted) changes; header and the other sections stay.
    expect(after.subarray(0, 64).equals(before.subarray(0, 64))).toBe(true);
    expect(after.subarray(96).equals(before.subarray(96))).toBe(true);
    expect(after.subarray(64, 96).equals(before.subarray(64, 96))).toBe(false);
    copyFileSync(join(dir, 'LD0B_001.edit'), join(dir, 'edit-LD0B_001'));
    const back = await runNv(
      [
        'mtk',
        'lid',
        'decode',
        'LD0B_001.edit',
        '--ltable',
        'table.json',
        '--lid',
        'NVRAM_EF_IMEI_IMEISV_LID',
        '--key',
        AES,
        '--json',
      ],
      { cwd: dir },
    );
    expect(back.code).toBe(0);
    expect((json(back.stdout) as { records: { bytes: string; checksumOk: boolean }[] }).records[0]).toMatchObject({
      bytes: '00010121436587f0ffff',
      checksumOk: true,
    });
    rmSync(join(dir, 'LD0B_001.edit'));
    rmSync(join(dir, 'edit-LD0B_001'));
  });
});

describe('nv mtk lid-bit parse', () => {
  it('--json shape, single-LID fields at top level', async () => {
    const r = await runNv(['mtk', 'lid-bit', 'parse', join(FIX, 'demo_cfg.h'), '--json'], { cwd: dir });
    expect(r.code).toBe(0);
    const out = json(r.stdout) as {
      lids: { lid: string; verno: string; type: string; records: number; recordSize: number }[];
      fields: { name: string; offset: number; bit: number; bits: number; description: string }[];
    };
    expect(out.lids[0]).toMatchObject({
      lid: 'NVRAM_EF_DEMO_CFG_LID',
      verno: '002',
      type: 'demo_cfg_struct',
      records: 2,
      recordSize: 8,
    });
    expect(out.fields.map((f) => [f.name, f.offset, f.bit, f.bits])).toContainEqual(['band_mask.b4', 2, 3, 1]);
  });
  it('syntax error → exit 1 with line/column', async () => {
    writeFileSync(
      join(dir, 'bad.h'),
      'typedef struct { kal_uint8 a; } s;\nBEGIN_NVRAM_DATA\nLID_BIT "001" X s * 1 { a "x"; };\nEND_NVRAM_DATA\n',
    );
    const r = await runNv(['mtk', 'lid-bit', 'parse', 'bad.h', '--json'], { cwd: dir });
    expect(r.code).toBe(1);
    expect((json(r.stdout) as { error: { code: string; data: unknown } }).error).toMatchObject({
      code: 'NV_LID_BIT_SYNTAX',
      data: { line: 3, column: 27 },
    });
  });
});

describe.skipIf(!hasTool('python3'))('nv mtk nvram inspect (needs python3)', () => {
  it('--json shape; corrupt backup exits 1; extract', async () => {
    const script = new URL('../../../packages/mtk-lid-file/scripts/make-bin-region.py', import.meta.url).pathname;
    execFileSync('python3', [script, join(dir, 'nvram.bin')]);
    execFileSync('python3', [script, join(dir, 'bad.bin'), '--corrupt']);
    const r = await runNv(
      ['mtk', 'nvram', 'inspect', 'nvram.bin', '--block-size', '0x1000', '--json', '--extract', 'x'],
      { cwd: dir },
    );
    const out = json(r.stdout) as { ok: boolean; files: { name: string; size: number; ok: boolean }[] };
    expect(out.files.map((f) => [f.name, f.size, f.ok])).toEqual([
      ['/mnt/vendor/nvdata/md/NVRAM/NVD_IMEI/LD0B_001', 384, true],
      ['MT79_000', 20, true],
      ['WIFI', 5002, true],
      ['BT_Addr', 8, false],
      ['FILE_VER', 148, true],
    ]);
    expect(r.code).toBe(1); // BT_Addr has a bad trailer
    expect(readdirSync(join(dir, 'x')).sort()).toEqual(['BT_Addr', 'FILE_VER', 'MT79_000', 'WIFI', 'mnt']);
    const c = await runNv(
      ['mtk', 'nvram', 'inspect', 'bad.bin', '--block-size', '0x1000', '--json', '--extract', 'y'],
      { cwd: dir },
    );
    expect(c.code).toBe(1);
    expect((json(c.stdout) as { error: { code: string } }).error.code).toBe('NV_LID_BIN_BAD_CHECKSUM');
    expect(existsSync(join(dir, 'y'))).toBe(false);
    const missing = await runNv(['mtk', 'nvram', 'inspect', 'nope.bin', '--json'], { cwd: dir });
    expect(missing.code).toBe(1);
    expect((json(missing.stdout) as { error: { code: string } }).error.code).toBe('NV_NOT_FOUND');
  });
});
