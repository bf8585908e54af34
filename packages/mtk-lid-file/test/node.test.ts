import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexToBytes } from '@nv/core/bytes';
import { hasTool } from '../../../scripts/test-tools.ts';
import { encodeLidFiles } from '../src/lid-file.ts';
import { externalWrite } from '../src/store.ts';
import {
  readLidFolder,
  writeLidFolderChanges,
  verifyLidPath,
  extractBinRegion,
  inspectBinRegionFile,
} from '../src/node.ts';
import { AB12_ENTRY } from './_entry.ts';

let dir: string;
beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'nv-lid-'))));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('folders on disk', () => {
  const entry = AB12_ENTRY;
  it('verify: good files, A/B mismatch, bad checksum with record index', async () => {
    const folder = join(dir, 'NVRAM', 'NVD_DATA');
    mkdirSync(folder, { recursive: true });
    for (const f of encodeLidFiles([hexToBytes('01020304'), hexToBytes('05060708')], entry, { generation: 'B' }))
      writeFileSync(join(folder, f.name), f.bytes);
    expect((await verifyLidPath(join(dir, 'NVRAM'), { entries: [entry] })).ok).toBe(true);
    const b = new Uint8Array(readFileSync(join(folder, 'AB12B001')));
    b[64 + 12] = b[64 + 12]! ^ 1; // record 2 of copy B
    writeFileSync(join(folder, 'AB12B001'), b);
    const r = await verifyLidPath(join(dir, 'NVRAM'), { entries: [entry] });
    expect(r.ok).toBe(false);
    expect(r.files.map((f) => [f.path.slice(folder.length + 1), f.ok, f.badRecords, f.code])).toEqual([
      ['AB12A001', true, [], undefined],
      ['AB12B001', false, [2], 'NV_LID_BAD_CHECKSUM'],
    ]);
    writeFileSync(
      join(folder, 'AB12B001'),
      readFileSync(join(folder, 'AB12A001'))
        .subarray(0, 64 + 24)
        .fill(0, 64, 68),
    );
    const m = await verifyLidPath(folder, { entries: [entry] });
    expect(m.files[1]).toMatchObject({ ok: false, badRecords: [1] });
    const wrongVerno = await verifyLidPath(folder, { entries: [{ ...entry, verno: '002' }] });
    expect(wrongVerno.files[0]!.code).toBe('NV_LID_NAME_MISMATCH');
  });
  it('external write through the Node adapter', async () => {
    const folder = join(dir, 'store');
    mkdirSync(folder);
    const before = await readLidFolder(folder);
    const store = new Map(before);
    externalWrite(store, entry, 2, hexToBytes('aabbccdd'), { generation: 'A' });
    expect(await writeLidFolderChanges(folder, store, before)).toEqual(['AB12A001', 'AB12B001']);
    expect(readdirSync(folder).sort()).toEqual(['AB12A001', 'AB12B001']);
    const again = await readLidFolder(folder);
    expect(await writeLidFolderChanges(folder, again, await readLidFolder(folder))).toEqual([]);
  });
});

describe.skipIf(!hasTool('python3'))('bin region file (needs python3)', () => {
  it('inspects and extracts into a folder tree', async () => {
    const img = join(dir, 'nvram.bin');
    execFileSync('python3', [new URL('../scripts/make-bin-region.py', import.meta.url).pathname, img]);
    expect((await inspectBinRegionFile(img, { blockSize: 0x1000 })).files).toHaveLength(5);
    const out = join(dir, 'extracted');
    const r = await extractBinRegion(img, out, { blockSize: 0x1000 });
    expect(r.files).toEqual([
      'mnt/vendor/nvdata/md/NVRAM/NVD_IMEI/LD0B_001',
      'MT79_000',
      'WIFI',
      'BT_Addr',
      'FILE_VER',
    ]);
    expect(readFileSync(join(out, 'mnt/vendor/nvdata/md/NVRAM/NVD_IMEI/LD0B_001')).length).toBe(384);
    await expect(extractBinRegion(img, out, { blockSize: 0x1000 })).rejects.toMatchObject({ code: 'NV_EXISTS' });
    expect(readFileSync(join(out, 'WIFI')).length).toBe(5002);
    const bad = join(dir, 'bad.bin');
    execFileSync('python3', [new URL('../scripts/make-bin-region.py', import.meta.url).pathname, bad, '--corrupt']);
    await expect(extractBinRegion(bad, join(dir, 'never'), { blockSize: 0x1000 })).rejects.toMatchObject({
      code: 'NV_LID_BIN_BAD_CHECKSUM',
    });
    expect(existsSync(join(dir, 'never'))).toBe(false);
    const blank = join(dir, 'blank.bin');
    writeFileSync(blank, new Uint8Array(0x1000 * 24).fill(0xff));
    await expect(extractBinRegion(blank, join(dir, 'never'), { blockSize: 0x1000 })).rejects.toMatchObject({
      code: 'NV_LID_BIN_EMPTY',
    });
  });
});
