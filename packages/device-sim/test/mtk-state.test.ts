import { describe, it, expect, afterAll } from 'vitest';
import fc from 'fast-check';
import { mkdtemp, rm, readFile, writeFile, readdir, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError } from '@nv/core';
import { encodeUtf8 } from '@nv/core/bytes';
import { sampleLtable } from '@nv/mtk-nvram-ltable/sample';
import { execFileSync } from 'node:child_process';
import { FUZZ_RUNS, hasTool } from '../../../scripts/test-tools.ts';
import {
  createMtkDevice,
  upgradeMtkDevice,
  mtkDeviceToFiles,
  mtkDeviceFromFiles,
  cloneMtkDevice,
  bootMtkDevice,
  type MtkDevice,
  type MtkStoredLid,
} from '../src/mtk.ts';
import { corruptMtkLid } from '../src/mtk-device.ts';
import { mtkStoredLidBytes, MTK_STATE_FILE } from '../src/mtk-state.ts';
import { saveMtkDevice, loadMtkDevice } from '../src/node-mtk.ts';
import { MTK_UPGRADE_MODES } from '../src/mtk.ts';
import { arbTablePair } from './mtk-arb.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});
// A record with a broken checksum has no defined content on flash: compare devices with those records blanked.
function norm(d: MtkDevice): MtkDevice {
  const c = cloneMtkDevice(d);
  const blank = (f: MtkStoredLid): void => {
    for (const i of f.bad) f.data.fill(0, (i - 1) * f.recordSize, i * f.recordSize);
    f.bad.sort((a, b) => a - b);
  };
  for (const p of ['nvdata', 'protect_f', 'protect_s'] as const) Object.values(c.partitions[p]).forEach(blank);
  Object.values(c.binRegion ?? {}).forEach(blank);
  return c;
}
const fromFiles = (files: { path: string; bytes: Uint8Array }[]) => {
  const map = new Map(files.map((f) => [f.path, f.bytes]));
  return mtkDeviceFromFiles(map.get(MTK_STATE_FILE)!, (p) => map.get(p));
};

describe('state folder (pure)', () => {
  it('round-trips a device, including damage, flags, a blank bin region and an assert', () => {
    for (const gen of ['moly-a', 'moly-b'] as const) {
      const d = createMtkDevice(sampleLtable(gen), { seed: 12 });
      corruptMtkLid(d, 'NVRAM_EF_FT_RF_CAL_LID', { record: 2 });
      corruptMtkLid(d, 'NVRAM_EF_SML_LID', { header: true });
      d.factoryResetFlag = true;
      expect(norm(fromFiles(mtkDeviceToFiles(d)))).toEqual(norm(d));
      upgradeMtkDevice(d, sampleLtable(gen), 'format-all');
      expect(d.binRegion).toBeNull();
      expect(norm(fromFiles(mtkDeviceToFiles(d)))).toEqual(norm(d));
    }
    const a = createMtkDevice(sampleLtable('moly-b'));
    corruptMtkLid(a, 'NVRAM_EF_SML_LID', { header: true });
    upgradeMtkDevice(a, sampleLtable('moly-b'), 'ota');
    expect(a.asserted).not.toBeNull();
    expect(norm(fromFiles(mtkDeviceToFiles(a)))).toEqual(norm(a));
  });

  it('round-trips devices after random upgrades (fast-check)', () => {
    fc.assert(
      fc.property(arbTablePair(), fc.constantFrom(...MTK_UPGRADE_MODES), (pair, mode) => {
        const d = createMtkDevice(pair.old, { seed: 2 });
        upgradeMtkDevice(d, pair.next, mode);
        expect(norm(fromFiles(mtkDeviceToFiles(d)))).toEqual(norm(d));
      }),
      { numRuns: Math.max(1, Math.floor(FUZZ_RUNS / 4)) },
    );
  });

  it('a byte edited in a stored LID file is a checksum error on the device (moly-a and moly-b)', () => {
    for (const gen of ['moly-a', 'moly-b'] as const) {
      const d = createMtkDevice(sampleLtable(gen), { seed: 4 });
      const cal = d.partitions.nvdata['md/NVRAM/CALIBRAT/FT02_002']!.data.slice();
      const files = mtkDeviceToFiles(d);
      const f = files.find((x) => x.path === 'nvdata/md/NVRAM/CALIBRAT/FT02_002')!;
      const at = gen === 'moly-b' ? 64 + 1032 + 5 : 1026 + 5;
      f.bytes[at] = f.bytes[at]! ^ 0x80; // a data byte of record 2 (sections of 1032 / 1026 bytes)
      const loaded = fromFiles(files);
      expect(loaded.partitions.nvdata['md/NVRAM/CALIBRAT/FT02_002']!.bad).toEqual([2]);
      const boot = bootMtkDevice(loaded);
      expect(boot.lids.find((l) => l.name === 'NVRAM_EF_FT_RF_CAL_LID')?.outcome).toBe('restored');
      expect(loaded.partitions.nvdata['md/NVRAM/CALIBRAT/FT02_002']!.data).toEqual(cal);
    }
  });

  it('a mutated device.json or missing file gives NvError, never another exception', () => {
    const files = mtkDeviceToFiles(createMtkDevice(sampleLtable('moly-b')));
    const json = files[0]!.bytes;
    const map = new Map(files.map((f) => [f.path, f.bytes]));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: json.length - 1 }),
        fc.integer({ min: 0, max: 255 }),
        fc.boolean(),
        (at, byte, cut) => {
          const m = cut ? json.slice(0, at) : json.slice();
          if (!cut) m[at] = byte;
          try {
            mtkDeviceFromFiles(m, (p) => map.get(p));
          } catch (e) {
            expect(NvError.isInstance(e)).toBe(true);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
    const doc = JSON.parse(new TextDecoder().decode(json));
    doc.files[0].path = '../../etc/passwd';
    expect(() => mtkDeviceFromFiles(encodeUtf8(JSON.stringify(doc)), (p) => map.get(p))).toThrow(
      expect.objectContaining({ code: 'NV_SIM_MTK_BAD_STATE' }),
    );
    expect(() => mtkDeviceFromFiles(json, () => undefined)).toThrow(
      expect.objectContaining({ code: 'NV_SIM_MTK_BAD_STATE' }),
    );
    expect(() => mtkDeviceFromFiles(json, (p) => (p.startsWith('nvdata/') ? new Uint8Array(1) : map.get(p)))).toThrow(
      expect.objectContaining({ code: 'NV_TRUNCATED', path: 'nvdata/md/NVRAM/CALIBRAT/EL1D_003' }),
    );
  });

  it('regression: Object.prototype names as files[].where or platform keys give NV_SIM_MTK_BAD_STATE, not TypeError (hand-made, hardening pass)', () => {
    // `where in PATH_RE` and `allowed[k] ?? []` found inherited members (constructor, toString, __proto__).
    const files = mtkDeviceToFiles(createMtkDevice(sampleLtable('moly-b')));
    const map = new Map(files.map((f) => [f.path, f.bytes]));
    const doc = JSON.parse(new TextDecoder().decode(files[0]!.bytes)) as {
      files: Record<string, unknown>[];
      platform: Record<string, unknown>;
    };
    const load = (d: unknown) => () => mtkDeviceFromFiles(encodeUtf8(JSON.stringify(d)), (p) => map.get(p));
    for (const where of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(load({ ...doc, files: [{ ...doc.files[0], where }] })).toThrow(
        expect.objectContaining({ code: 'NV_SIM_MTK_BAD_STATE' }),
      );
    }
    for (const key of ['constructor', 'toString', 'valueOf']) {
      expect(load({ ...doc, platform: { ...doc.platform, [key]: 1 } })).toThrow(
        expect.objectContaining({ code: 'NV_SIM_MTK_BAD_STATE', message: `platform.${key} = 1 is not supported` }),
      );
    }
    expect(load(doc)).not.toThrow();
  });
});

describe('state folder (Node)', () => {
  it('saves to and loads from a folder; refuses to overwrite without force', async () => {
    const root = await mkdtemp(join(tmpdir(), 'nv-sim-mtk-'));
    dirs.push(root);
    const dir = join(root, 'state');
    const d = createMtkDevice(sampleLtable('moly-b'), { seed: 3 });
    await saveMtkDevice(dir, d);
    expect((await readdir(dir)).sort()).toEqual(['device.json', 'nvdata', 'nvram', 'protect_f', 'protect_s']);
    // Real gen-B LID files: LDI header + 2 confidential sections of 10 + 8 bytes padded to 32.
    const imei = await readFile(join(dir, 'nvdata/md/NVRAM/NVD_IMEI/LD0B_001'));
    expect(imei.length).toBe(64 + 2 * 32);
    expect(imei.subarray(0, 6).toString('hex')).toBe('4c44490010ef');
    expect(await loadMtkDevice(dir)).toEqual(d);
    await expect(saveMtkDevice(dir, d)).rejects.toMatchObject({ code: 'NV_EXISTS' });
    upgradeMtkDevice(d, sampleLtable('moly-b'), 'firmware-upgrade');
    await saveMtkDevice(dir, d, { force: true });
    expect(await loadMtkDevice(dir)).toEqual(d);
    await writeFile(join(dir, 'nvdata/md/NVRAM/NVD_IMEI/LD0B_001'), new Uint8Array(3));
    await expect(loadMtkDevice(dir)).rejects.toMatchObject({
      code: 'NV_TRUNCATED',
      path: join(dir, 'nvdata/md/NVRAM/NVD_IMEI/LD0B_001'),
    });
    await rm(join(dir, 'device.json'));
    await expect(loadMtkDevice(dir)).rejects.toMatchObject({ code: 'NV_NOT_FOUND' });
    await expect(loadMtkDevice(join(root, 'nope'))).rejects.toMatchObject({ code: 'NV_NOT_FOUND' });
  });

  it('regression: a listed file over 16 MiB is NV_LIMIT before it is read; a missing one stays NV_SIM_MTK_BAD_STATE (hand-made, hardening pass)', async () => {
    // loadMtkDevice read every listed path with an unbounded readFile before the pure reader looked at it.
    const root = await mkdtemp(join(tmpdir(), 'nv-sim-mtk-'));
    dirs.push(root);
    const dir = join(root, 'state');
    await saveMtkDevice(dir, createMtkDevice(sampleLtable('moly-b'), { seed: 4 }));
    const lid = join(dir, 'nvdata/md/NVRAM/NVD_IMEI/LD0B_001');
    await truncate(lid, 16 * 1024 * 1024 + 1); // sparse: no 16 MiB written
    // The size check of the read itself ("size of <path>"), not the LID decoder's after a full read.
    await expect(loadMtkDevice(dir)).rejects.toMatchObject({
      code: 'NV_LIMIT',
      path: lid,
      message: expect.stringContaining(`size of ${lid}`),
    });
    await rm(lid);
    await expect(loadMtkDevice(dir)).rejects.toMatchObject({ code: 'NV_SIM_MTK_BAD_STATE', path: lid });
  });
});

describe.skipIf(!hasTool('python3'))('stored LID files against python3 hashlib (needs Debian python3)', () => {
  it('gen-B sections of a plain LID carry chk8 = MD5 folded (lid-file §5.2), header magic and LID', () => {
    const d = createMtkDevice(sampleLtable('moly-b'), { seed: 21 });
    const f = d.partitions.nvdata['md/NVRAM/CALIBRAT/FT02_002']!;
    const bytes = mtkStoredLidBytes(d, f);
    const script = [
      'import sys, hashlib',
      'b = sys.stdin.buffer.read()',
      'assert b[:4] == b"LDI\\0"',
      'lid, total, size = int.from_bytes(b[4:6], "little"), int.from_bytes(b[6:8], "little"), int.from_bytes(b[8:12], "little")',
      'sec = size + 8',
      'ok = []',
      'for i in range(total):',
      '    s = b[64 + i*sec: 64 + (i+1)*sec]',
      '    m = hashlib.md5(s[:size]).digest()',
      '    ok.append(bytes(m[k] ^ m[k+8] for k in range(8)) == s[size:])',
      'print(hex(lid), total, size, len(b), all(ok))',
    ].join('\n');
    const out = execFileSync('python3', ['-c', script], { input: Buffer.from(bytes) })
      .toString()
      .trim();
    expect(out).toBe(`0x5c1 4 1024 ${64 + 4 * 1032} True`);
  });
});
