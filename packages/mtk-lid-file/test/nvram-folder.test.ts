import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import fc from 'fast-check';
import { FUZZ_RUNS, hasTool, nvErrorCode } from '../../../scripts/test-tools.ts';
import { decodeLidFile, detectLidGeneration, encodeLidFile, findLidLayouts, type LidLayout } from '../src/lid-file.ts';
import { verifyLidFiles } from '../src/verify.ts';
import { verifyLidPath } from '../src/node.ts';

// A real-style NVRAM/ folder without its table, written by scripts/make-nvram-folder.py (python3 stdlib, straight
// from the spec's docs/formats/lid-files.md#gen-a byte tables; it never calls this package) with its own brute-force list of verifying splits.
const SCRIPT = new URL('../scripts/make-nvram-folder.py', import.meta.url).pathname;
type Expected = Record<string, { size: number; splits: LidLayout[] }>;

describe.skipIf(!hasTool('python3'))('table-less NVRAM folder (§3, issue 15.1; needs python3)', () => {
  let dir: string;
  let expected: Expected;
  const file = (rel: string): Uint8Array => new Uint8Array(readFileSync(join(dir, 'NVRAM', rel)));
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'nv-lid-folder-'));
    execFileSync('python3', [SCRIPT, dir, '--corrupt']);
    expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')) as Expected;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('findLidLayouts lists exactly the splits the independent brute force finds', () => {
    expect(Object.keys(expected).length).toBeGreaterThanOrEqual(8);
    for (const [rel, e] of Object.entries(expected)) expect([rel, findLidLayouts(file(rel))]).toEqual([rel, e.splits]);
    // The fixture covers the three cases of docs/formats/lid-files.md#detection.
    const counts = Object.values(expected).map((e) => Math.min(e.splits.length, 2));
    expect(new Set(counts)).toEqual(new Set([0, 1, 2]));
  });

  it('verify of the folder: one verdict per LID file; one split ok, several ok + candidates, none corrupt', async () => {
    const r = await verifyLidPath(join(dir, 'NVRAM'));
    expect(r.files.map((f) => f.path.slice(join(dir, 'NVRAM').length + 1)).sort()).toEqual(
      Object.keys(expected).sort(),
    );
    for (const f of r.files) {
      const e = expected[f.path.slice(join(dir, 'NVRAM').length + 1)]!;
      if (e.splits.length === 1)
        expect(f).toMatchObject({
          ok: true,
          generation: 'A',
          records: e.splits[0]!.records,
          recordSize: e.splits[0]!.size,
        });
      else if (e.splits.length > 1)
        expect(f).toMatchObject({ ok: true, generation: 'A', code: 'NV_LID_AMBIGUOUS_LAYOUT', layouts: e.splits });
      else expect(f).toMatchObject({ ok: false, code: 'NV_LID_BAD_CHECKSUM' });
      expect(f.code === undefined || f.message !== undefined).toBe(true);
    }
    expect(r.ok).toBe(false); // the corrupt ML1C_000
    // Without the corrupt file the folder is green.
    const bad = file('CALIBRAT/ML1C_000');
    rmSync(join(dir, 'NVRAM', 'CALIBRAT', 'ML1C_000'));
    const green = await verifyLidPath(join(dir, 'NVRAM'));
    writeFileSync(join(dir, 'NVRAM', 'CALIBRAT', 'ML1C_000'), bad);
    expect(green.ok).toBe(true);
    expect(green.files).toHaveLength(Object.keys(expected).length - 1);
  });

  it('decode: the one verifying split is the layout; several need a record size or count', () => {
    const d = decodeLidFile(file('NVD_DATA/MT7A_000'));
    expect({ generation: d.generation, n: d.records.length, size: d.recordSize, bad: d.badRecords }).toEqual({
      generation: 'A',
      n: 2,
      size: 72,
      bad: [],
    });
    // The same with the generation forced (`--gen A`): it used to demand the table entry.
    expect(
      decodeLidFile(file('NVD_CORE/SYS1_000'), undefined, { generation: 'A' }).records[1]!.bytes.subarray(0, 4),
    ).toEqual(new TextEncoder().encode('MOLY'));
    const amb = file('CALIBRAT/ML2B_001');
    let data: unknown;
    try {
      decodeLidFile(amb);
    } catch (error) {
      expect((error as { code: string }).code).toBe('NV_LID_AMBIGUOUS_LAYOUT');
      expect((error as Error).message).toContain('10×514');
      expect((error as Error).message).toContain('5×1028');
      data = (error as { data: unknown }).data;
    }
    expect(data).toEqual({ layouts: expected['CALIBRAT/ML2B_001']!.splits });
    expect(decodeLidFile(amb, undefined, { recordSize: 512 }).records).toHaveLength(10);
    expect(decodeLidFile(amb, undefined, { records: 5 }).recordSize).toBe(1026);
    expect(decodeLidFile(amb, undefined, { records: 10, recordSize: 512 }).badRecords).toEqual([]);
    expect(detectLidGeneration(amb, undefined, { recordSize: 1026 }).entry).toMatchObject({ records: 5, size: 1026 });
    // A hint that does not divide the file, or disagrees with it, is a size error.
    expect(nvErrorCode(() => decodeLidFile(amb, undefined, { recordSize: 500 }))).toBe('NV_LID_BAD_SIZE');
    expect(nvErrorCode(() => decodeLidFile(amb, undefined, { records: 3, recordSize: 512 }))).toBe('NV_LID_BAD_SIZE');
    // No split: the file is bad; with its record size the bad record is located.
    const bad = file('CALIBRAT/ML1C_000');
    expect(nvErrorCode(() => decodeLidFile(bad))).toBe('NV_LID_BAD_CHECKSUM');
    try {
      decodeLidFile(bad);
    } catch (error) {
      // A hint, not a verdict: the split under which all but record 2 verify.
      expect((error as Error).message).toContain('most likely 3×32, records of 30, with record 2 bad');
      expect((error as { data: unknown }).data).toEqual({
        layouts: [],
        likely: { records: 3, size: 30, badRecords: [2] },
      });
      expect((error as { offset?: number }).offset).toBe(32);
    }
    expect(decodeLidFile(bad, undefined, { recordSize: 30 }).badRecords).toEqual([2]);
  });

  it('a confidential key-A IMEI file without its table: layout from the ciphertext checksums, then decrypted', () => {
    const d = decodeLidFile(file('NVD_IMEI/LD0B_001'), undefined, { key: { rc4Key: hexToBytes('12abcdef') } });
    // Without a table the file is not known to be confidential: the records stay as stored (ciphertext).
    expect(bytesToHex(d.records[0]!.bytes)).toBe('aba16e0e5c7b1d45aa74');
    expect(d.records).toHaveLength(10);
  });
});

describe('layout search limits', () => {
  it('gives up with NV_LIMIT past the scan budget instead of running away', () => {
    const zeros = encodeLidFile(
      Array.from({ length: 10 }, () => new Uint8Array(512)),
      { lid: null, size: 512, records: 10, attributes: [] },
      { generation: 'A' },
    );
    expect(findLidLayouts(zeros)).toHaveLength(2);
    expect(nvErrorCode(() => findLidLayouts(zeros, { maxScanBytes: 6000 }))).toBe('NV_LIMIT');
  });
  it('verify without a table passes an ambiguous file and fails a corrupt one (in memory)', () => {
    const zeros = new Uint8Array(5140);
    for (let i = 0; i < 10; i++) zeros.set([0xef, 0xcd], i * 514 + 512);
    const corrupt = zeros.slice();
    corrupt[600] = 1;
    const r = verifyLidFiles([
      { path: 'CALIBRAT/AAAA_000', bytes: zeros },
      { path: 'CALIBRAT/BBBB_000', bytes: corrupt },
    ]);
    expect(r.files[0]).toMatchObject({
      ok: true,
      layouts: [
        { records: 10, size: 512 },
        { records: 5, size: 1026 },
      ],
    });
    expect(r.files[1]).toMatchObject({ ok: false, code: 'NV_LID_BAD_CHECKSUM' });
    expect(r.ok).toBe(false);
  });
});

describe('fuzz: table-less detection', () => {
  it('random and mutated files: decode/verify only throw NvError; a found layout verifies every record', () => {
    const base = encodeLidFile(
      [new Uint8Array(12), Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), new Uint8Array(12).fill(0xff)],
      { lid: null, size: 12, records: 3, attributes: [] },
      { generation: 'A' },
    );
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 600 }),
          fc
            .array(fc.tuple(fc.nat(base.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 3 })
            .map((edits) => {
              const b = base.slice();
              for (const [at, v] of edits) b[at] = v;
              return b;
            }),
        ),
        (bytes) => {
          let gen: string | undefined;
          const code = nvErrorCode(() => {
            const d = decodeLidFile(bytes);
            gen = d.generation;
            if (d.generation === 'A') expect(d.badRecords).toEqual([]);
          });
          expect([
            'none',
            'NV_LID_AMBIGUOUS_LAYOUT',
            'NV_LID_BAD_CHECKSUM',
            'NV_LID_UNKNOWN_GENERATION',
            'NV_LID_BAD_HEADER_CHECKSUM',
            'NV_LID_BAD_MAGIC',
            'NV_LID_BAD_SIZE',
            'NV_LID_HEADER_MISMATCH',
            'NV_LID_KEY_REQUIRED',
            'NV_LID_HW_BOUND',
            'NV_LID_BAD_PADDING',
            'NV_TRUNCATED',
          ]).toContain(code);
          const v = verifyLidFiles([{ path: 'X/ABCD_000', bytes }]).files[0]!;
          // Verify passes exactly when no byte is corrupt: one verifying layout, or several (listed).
          if (code === 'none' && gen === 'A') expect(v).toMatchObject({ ok: true, generation: 'A' });
          if (code === 'NV_LID_AMBIGUOUS_LAYOUT') expect(v.ok && v.layouts!.length >= 2).toBe(true);
          if (code === 'NV_LID_BAD_CHECKSUM' || code === 'NV_LID_UNKNOWN_GENERATION') expect(v.ok).toBe(false);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});
