import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import { FUZZ_RUNS, hasTool } from '../../../scripts/test-tools.ts';
import { apCheckNo, encodeApFile, checkApFile, parseFileVer, encodeFileVer } from '../src/ap.ts';
import {
  binRegionChecksum,
  inspectBinRegion,
  extractBinRegionFile,
  patchBinRegionFile,
  unpackBinRegion,
  buildBinRegion,
  createBinRegionChecksum,
} from '../src/bin-region.ts';

describe('AP files (§10)', () => {
  it('trailer known answers', () => {
    expect(bytesToHex(encodeApFile(hexToBytes('01020304')).subarray(4))).toBe('aa02');
    expect(bytesToHex(encodeApFile(hexToBytes('00112233445566')).subarray(7))).toBe('aa77');
    expect(apCheckNo(new Uint8Array())).toBe(0);
  });
  it('accepts data and data+2, rejects other sizes and bad trailers', () => {
    const f = encodeApFile(hexToBytes('0102030405'));
    expect(checkApFile(f, 5)).toMatchObject({ ok: true, trailer: 'ok' });
    expect(checkApFile(f.subarray(0, 5), 5)).toMatchObject({ ok: true, trailer: 'none' });
    const bad = f.slice();
    bad[6] = 0x99;
    expect(checkApFile(bad, 5)).toMatchObject({ ok: false, trailer: 'bad', stored: 0x99, computed: f[6] });
    expect(() => checkApFile(f, 6)).toThrow(expect.objectContaining({ code: 'NV_LID_AP_BAD_SIZE' }) as Error);
  });
  it('FILE_VER round trip and size check', () => {
    const b = encodeFileVer([
      { name: 'BT_Addr', ver: '001' },
      { name: 'WIFI', ver: '002' },
    ]);
    expect(b.length).toBe(3 * 74);
    expect(parseFileVer(b)).toEqual([
      { lid: -1, name: 'NVRAM_VER_INFO', ver: '000' },
      { lid: 0, name: 'BT_Addr', ver: '001' },
      { lid: 1, name: 'WIFI', ver: '002' },
    ]);
    expect(parseFileVer(hexToBytes('3030310030303200'), 'old')).toEqual([
      { lid: 0, name: '', ver: '001' },
      { lid: 1, name: '', ver: '002' },
    ]);
    expect(() => parseFileVer(b.subarray(1))).toThrow(
      expect.objectContaining({ code: 'NV_LID_FILEVER_BAD_SIZE' }) as Error,
    );
  });
});

describe('ulCheckSum (§11)', () => {
  it('known answers', () => {
    expect(binRegionChecksum(Uint8Array.from({ length: 10 }, (_, i) => i + 1))).toBe(0x0c0a1205);
    expect(binRegionChecksum(Uint8Array.from({ length: 8 }, (_, i) => i + 1))).toBe(0x0c0a080e);
  });
});

describe.skipIf(!hasTool('python3'))('bin region (§11) on an image built by python3 (needs python3)', () => {
  let dir: string;
  let image: Uint8Array;
  let corrupt: Uint8Array;
  const opts = { blockSize: 0x1000 };
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nv-binreg-'));
    const script = new URL('../scripts/make-bin-region.py', import.meta.url).pathname;
    execFileSync('python3', [script, join(dir, 'ok.img')]);
    execFileSync('python3', [script, join(dir, 'bad.img'), '--corrupt']);
    image = new Uint8Array(readFileSync(join(dir, 'ok.img')));
    corrupt = new Uint8Array(readFileSync(join(dir, 'bad.img')));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('inspects: bitmap, bad block, checksum, titles, per-file verdicts', () => {
    const r = inspectBinRegion(image, opts);
    expect(r).toMatchObject({
      empty: false,
      blocks: 8,
      bitmapBlock: 7,
      badBlocks: [2],
      checksum: { ok: true },
      commonFileNum: 4,
      customFileNum: 1,
    });
    expect(r.warnings).toEqual([]);
    expect(r.files).toEqual([
      {
        name: '/mnt/vendor/nvdata/md/NVRAM/NVD_IMEI/LD0B_001',
        size: 384,
        ok: true,
        kind: 'lid',
        code: 'NV_LID_KEY_REQUIRED',
      },
      { name: 'MT79_000', size: 20, ok: true, kind: 'lid' },
      { name: 'WIFI', size: 5002, ok: true, kind: 'ap' },
      { name: 'BT_Addr', size: 8, ok: false, kind: 'ap', code: 'NV_LID_AP_BAD_TRAILER' },
      { name: 'FILE_VER', size: 148, ok: true, kind: 'filever' },
    ]);
  });
  it('extracts files across the bad block and refuses a corrupt backup', () => {
    const wifi = extractBinRegionFile(image, 'WIFI', opts);
    expect(wifi.length).toBe(5002);
    expect(wifi[4999]).toBe((4999 * 7 + 3) & 0xff);
    expect(checkApFile(wifi, 5000).ok).toBe(true);
    expect(bytesToHex(extractBinRegionFile(image, 'LD0B_001', opts))).toBe(
      bytesToHex(new Uint8Array(readFileSync(new URL('./vectors/genb-imei-confidential.bin', import.meta.url)))),
    );
    expect(() => extractBinRegionFile(image, 'NOPE', opts)).toThrow(
      expect.objectContaining({ code: 'NV_LID_BIN_BAD_TITLE' }) as Error,
    );
    expect(inspectBinRegion(corrupt, opts).checksum?.ok).toBe(false);
    expect(() => extractBinRegionFile(corrupt, 'WIFI', opts)).toThrow(
      expect.objectContaining({ code: 'NV_LID_BIN_BAD_CHECKSUM' }) as Error,
    );
  });
  it('patches in place: fixes the AP trailer and the ulCheckSum', () => {
    const body = new Uint8Array(5002).fill(0x11);
    const patched = patchBinRegionFile(image, 'WIFI', body, opts);
    const r = inspectBinRegion(patched, opts);
    expect(r.checksum?.ok).toBe(true);
    const wifi = extractBinRegionFile(patched, 'WIFI', opts);
    expect(checkApFile(wifi, 5000).ok).toBe(true);
    expect(wifi.subarray(0, 5000).every((b) => b === 0x11)).toBe(true);
    expect(patched[2 * 0x1000]).toBe(0x5a); // bad block untouched
  });
  it('blank, no bitmap, bad header', () => {
    expect(inspectBinRegion(new Uint8Array(0x1000 * 24), opts)).toMatchObject({
      empty: true,
      warnings: [{ code: 'NV_LID_BIN_EMPTY' }],
    });
    expect(() => unpackBinRegion(new Uint8Array(0x1000 * 24).fill(0xff), opts)).toThrow(
      expect.objectContaining({ code: 'NV_LID_BIN_EMPTY' }) as Error,
    );
    const noBitmap = image.slice();
    noBitmap.fill(0xff, 7 * 0x1000, 8 * 0x1000);
    const r = (() => {
      try {
        return inspectBinRegion(noBitmap, opts);
      } catch (error) {
        return error as NvError;
      }
    })();
    // Without the bitmap block 2 (junk) is read as AllFile data: the checksum shows it.
    expect('warnings' in r ? r.warnings.map((w) => w.code) : [(r as NvError).code]).toEqual([
      'NV_LID_BIN_NO_BITMAP',
      'NV_LID_BIN_BAD_CHECKSUM',
    ]);
    const badHeader = image.slice();
    new DataView(badHeader.buffer).setUint32(4, 0x7fffffff, true);
    expect(() => inspectBinRegion(badHeader, opts)).toThrow(
      expect.objectContaining({ code: 'NV_LID_BIN_BAD_HEADER' }) as Error,
    );
  });
  it('buildBinRegion reproduces the python-built image byte for byte', () => {
    const vec = (n: string): Uint8Array => new Uint8Array(readFileSync(new URL(`./vectors/${n}`, import.meta.url)));
    const wifi = Uint8Array.from({ length: 5000 }, (_, i) => (i * 7 + 3) & 0xff);
    const files = [
      { name: '/mnt/vendor/nvdata/md/NVRAM/NVD_IMEI/LD0B_001', bytes: vec('genb-imei-confidential.bin') },
      { name: 'MT79_000', bytes: vec('gena-demo.bin') },
      { name: 'WIFI', bytes: encodeApFile(wifi) },
      { name: 'BT_Addr', bytes: hexToBytes('010203040506aa00') },
      { name: 'FILE_VER', bytes: encodeFileVer([{ name: 'WIFI', ver: '001' }]) },
    ];
    const built = buildBinRegion(files, {
      blockSize: 0x1000,
      blocks: 8,
      badBlocks: [2],
      badBlockFill: 0x5a,
      groupCounts: [1, 1, 1, 1, 1, 0],
      commonFileNum: 4,
      customFileNum: 1,
    });
    expect(built.length).toBe(image.length);
    expect(bytesToHex(built) === bytesToHex(image)).toBe(true);
    // Default geometry: fewest blocks, round trip through inspect/extract.
    const small = buildBinRegion(files, { blockSize: 0x1000 });
    expect(inspectBinRegion(small, opts)).toMatchObject({ checksum: { ok: true }, badBlocks: [] });
    expect(extractBinRegionFile(small, 'WIFI', opts)).toEqual(files[2]!.bytes);
  });
  it('fuzz: mutated images only throw NvError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 0x1000 * 8 - 1 }), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.nat(),
        (flips, cut) => {
          let m = image.slice();
          for (const [at, v] of flips) m[at] = v;
          if (cut % 4 === 0) m = m.subarray(0, cut % m.length);
          try {
            inspectBinRegion(m, opts);
            extractBinRegionFile(m, 'WIFI', opts);
          } catch (error) {
            if (!NvError.isInstance(error)) throw error;
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('fuzz: AP parsers only throw NvError', () => {
  it('checkApFile / parseFileVer', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 400 }),
        fc.option(fc.integer({ min: -3, max: 410 })),
        fc.boolean(),
        (b, size, old) => {
          for (const fn of [() => checkApFile(b, size ?? undefined), () => parseFileVer(b, old ? 'old' : 'new')]) {
            try {
              fn();
            } catch (error) {
              if (!NvError.isInstance(error)) throw error;
            }
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('incremental ulCheckSum', () => {
  it('equals the one-shot checksum for any chunking', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat({ max: 200 }), { maxLength: 6 }), (data, cuts) => {
        const c = createBinRegionChecksum();
        let prev = 0;
        for (const cut of [...cuts.map((x) => x % (data.length + 1))].sort((a, b) => a - b)) {
          c.update(data.subarray(prev, cut));
          prev = cut;
        }
        c.update(data.subarray(prev));
        expect(c.digest()).toBe(binRegionChecksum(data));
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
