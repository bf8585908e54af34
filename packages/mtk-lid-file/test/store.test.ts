import { describe, it, expect } from 'vitest';
import { nvErrorCode as codeOf } from '../../../scripts/test-tools.ts';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import { defaultRecords, type LidEntryWithDefault } from '../src/defaults.ts';
import { externalRead, externalWrite, externalReset } from '../src/store.ts';
import { decodeLidFile, encodeLidFile } from '../src/lid-file.ts';

const AES = { aesKey: hexToBytes('3f06bd14d45fa985dd027410f0214d22') };
const entry = (over: Partial<LidEntryWithDefault> = {}): LidEntryWithDefault => ({
  lid: 0x20,
  name: 'NVRAM_EF_TEST_LID',
  size: 4,
  records: 3,
  attr: 0,
  category: 0,
  attributes: [],
  categories: ['USER'],
  prefix: 'TE57',
  verno: '002',
  default: { kind: 'bytes', hex: '0a0b0c0d' },
  ...over,
});

describe('defaults (§9)', () => {
  it('zero, FF, NULL, array, MULTI_DEFAULT, func', () => {
    expect(defaultRecords(entry({ default: { kind: 'zero' } })).map(bytesToHex)).toEqual([
      '00000000',
      '00000000',
      '00000000',
    ]);
    expect(defaultRecords(entry({ default: { kind: 'ff' } })).map(bytesToHex)).toEqual([
      'ffffffff',
      'ffffffff',
      'ffffffff',
    ]);
    const { default: _d, ...noDefault } = entry();
    expect(defaultRecords(noDefault).map(bytesToHex)).toEqual(['ffffffff', 'ffffffff', 'ffffffff']);
    expect(defaultRecords(entry()).map(bytesToHex)).toEqual(['0a0b0c0d', '0a0b0c0d', '0a0b0c0d']);
    const multi = entry({ attributes: ['MULTI_DEFAULT'], default: { kind: 'bytes', hex: '000102030405060708090a0b' } });
    expect(defaultRecords(multi).map(bytesToHex)).toEqual(['00010203', '04050607', '08090a0b']);
    const func = entry({ categories: ['FUNC_DEFAULT'], default: { kind: 'func', symbol: 'nvram_get_x' } });
    expect(() => defaultRecords(func)).toThrow(
      expect.objectContaining({ code: 'NV_LID_DEFAULT_UNAVAILABLE' }) as Error,
    );
    expect(defaultRecords(func, { bytes: hexToBytes('000102030405060708090a0b') }).map(bytesToHex)).toEqual([
      '00010203',
      '00010203',
      '00010203',
    ]);
    expect(() => defaultRecords(multi, { bytes: new Uint8Array(11) })).toThrow(
      expect.objectContaining({ code: 'NV_LID_DEFAULT_TOO_SHORT' }) as Error,
    );
  });
});

describe('external read/write/reset (§8, §13)', () => {
  it('missing file → reset to defaults; write updates checksums and gen-B write_times', () => {
    const store = new Map<string, Uint8Array>();
    const e = entry();
    const r = externalRead(store, e, 2, 4, { generation: 'B' });
    expect(r).toMatchObject({
      ok: true,
      events: [
        { kind: 'missing', file: 'TE57_002' },
        { kind: 'reset', files: ['TE57_002'] },
      ],
    });
    expect(bytesToHex(r.bytes!)).toBe('0a0b0c0d');
    const w = externalWrite(store, e, 3, hexToBytes('deadbeef'), { generation: 'B', debug: { taskId: 7, time: 99 } });
    expect(w.files).toEqual(['TE57_002']);
    const d = decodeLidFile(store.get('TE57_002')!, e);
    expect(d.records.map((x) => bytesToHex(x.bytes))).toEqual(['0a0b0c0d', '0a0b0c0d', 'deadbeef']);
    expect(d.header).toMatchObject({ writeTimes: 2, lastWriteTaskId: 7, lastWriteTime: 99 });
    expect(d.headerChecksumOk).toBe(true);
    expect(bytesToHex(externalRead(store, e, 3, 16, { generation: 'B' }).bytes!)).toBe('deadbeef');
    externalReset(store, e, 3, 1, { generation: 'B' });
    expect(bytesToHex(decodeLidFile(store.get('TE57_002')!, e).records[2]!.bytes)).toBe('0a0b0c0d');
  });
  it('MULTIPLE confidential: both copies written, a bad copy repaired from the good one', () => {
    const store = new Map<string, Uint8Array>();
    const e = entry({ attributes: ['MULTIPLE', 'CONFIDENTIAL'], attr: 0xc });
    externalWrite(store, e, 1, hexToBytes('01020304'), { generation: 'B', key: AES });
    expect([...store.keys()]).toEqual(['TE57A002', 'TE57B002']);
    expect(store.get('TE57A002')).toEqual(store.get('TE57B002'));
    const bad = store.get('TE57B002')!.slice();
    bad[70] = bad[70]! ^ 0xff;
    store.set('TE57B002', bad);
    const r = externalRead(store, e, 1, 4, { generation: 'B', key: AES });
    expect(r.ok).toBe(true);
    expect(bytesToHex(r.bytes!)).toBe('01020304');
    expect(r.events).toContainEqual({ kind: 'copy-repaired', from: 'TE57A002', to: 'TE57B002' });
    expect(store.get('TE57A002')).toEqual(store.get('TE57B002'));
  });
  it('both bad: bin-region restore for gen-B CALIBRAT, assert for FAULT_ASSERT, no reset for INTERNAL', () => {
    const e = entry({ categories: ['CALIBRAT'] });
    const good = encodeLidFile([hexToBytes('11111111'), hexToBytes('22222222'), hexToBytes('33333333')], e, {
      generation: 'B',
    });
    const corrupt = good.slice();
    corrupt[64] = corrupt[64]! ^ 1;
    const store = new Map([['TE57_002', corrupt]]);
    const r = externalRead(store, e, 1, 4, { generation: 'B', restoreFromBinRegion: () => good });
    expect(r).toMatchObject({
      ok: true,
      events: [
        { kind: 'checksum-error', file: 'TE57_002', record: 1 },
        { kind: 'bin-restore', file: 'TE57_002', ok: true },
      ],
    });
    expect(bytesToHex(r.bytes!)).toBe('11111111');
    const failed = externalRead(new Map([['TE57_002', corrupt]]), e, 1, 4, {
      generation: 'B',
      restoreFromBinRegion: () => undefined,
    });
    expect(failed).toMatchObject({ ok: false, error: 'NV_LID_BAD_CHECKSUM' });
    const asserting = externalRead(new Map([['TE57_002', corrupt]]), entry({ attributes: ['FAULT_ASSERT'] }), 1, 4, {
      generation: 'B',
    });
    expect(asserting).toMatchObject({ ok: false, asserted: true });
    const internal = externalRead(new Map([['TE57_002', corrupt]]), entry({ categories: ['INTERNAL'] }), 1, 4, {
      generation: 'B',
    });
    expect(internal).toMatchObject({ ok: false, error: 'NV_LID_BAD_CHECKSUM' });
    expect(internal.asserted).toBeUndefined();
    const funcFail = externalRead(new Map(), entry({ default: { kind: 'func' } }), 1, 4, { generation: 'A' });
    expect(funcFail).toMatchObject({ ok: false, asserted: true, error: 'NV_LID_DEFAULT_UNAVAILABLE' });
  });
  it('API refusals', () => {
    const e = entry({ tags: ['imei'], attributes: ['WRITEPROTECT'] });
    expect(codeOf(() => externalRead(new Map(), e, 0, 4, { generation: 'A' }))).toBe('NV_LID_BAD_RECORD_INDEX');
    expect(codeOf(() => externalRead(new Map(), e, 4, 4, { generation: 'A' }))).toBe('NV_LID_BAD_RECORD_INDEX');
    expect(codeOf(() => externalRead(new Map(), e, 1, 3, { generation: 'A' }))).toBe('NV_LID_BAD_BUFFER_SIZE');
    expect(codeOf(() => externalWrite(new Map(), e, 1, new Uint8Array(5), { generation: 'A' }))).toBe(
      'NV_LID_BAD_BUFFER_SIZE',
    );
    expect(codeOf(() => externalRead(new Map(), e, 1, 4, { generation: 'A', requireSecureApi: true }))).toBe(
      'NV_LID_SECURE_API_REQUIRED',
    );
    expect(
      codeOf(() => externalRead(new Map(), e, 1, 4, { generation: 'A', requireSecureApi: true, api: 'secure' })),
    ).toBe('none');
    expect(
      codeOf(() => externalWrite(new Map(), e, 1, new Uint8Array(4), { generation: 'A', enforceWriteProtect: true })),
    ).toBe('NV_LID_WRITE_PROTECTED');
    expect(codeOf(() => externalReset(new Map(), e, 2, 2, { generation: 'A' }))).toBe('none');
    expect(codeOf(() => externalReset(new Map(), e, 2, 3, { generation: 'A' }))).toBe('NV_LID_BAD_RECORD_INDEX');
  });
});

describe('ltable integration', () => {
  it('effective entry and generation from an @nv/mtk-nvram-ltable entry', async () => {
    const { createLtableEntry } = await import('@nv/mtk-nvram-ltable/sample');
    const { effectiveLidEntry, lidGenerationOf } = await import('../src/entry.ts');
    const { lidStoreNames } = await import('../src/store.ts');
    const e = createLtableEntry(
      {
        name: 'NVRAM_EF_X_LID',
        lid: 0x42,
        size: 4,
        records: 1,
        attributes: ['MULTIPLE'],
        categories: ['USER'],
        prefix: 'XX01',
        verno: '001',
      },
      'moly-a',
    );
    expect(lidGenerationOf('moly-b')).toBe('B');
    expect(lidGenerationOf('moly-a')).toBe('A');
    // moly-a on eMMC drops MULTIPLE (boot-time rewrite): one file.
    expect(lidStoreNames(effectiveLidEntry(e, 'moly-a'))).toEqual(['XX01_001']);
    expect(lidStoreNames(effectiveLidEntry(e, 'moly-a', { storage: 'nand' }))).toEqual(['XX01A001', 'XX01B001']);
  });
});

describe('defaultLidFiles, RAW_DATA, MSP without chip binding', () => {
  it('default files of a MULTIPLE confidential LID decode to the defaults', async () => {
    const { defaultLidFiles } = await import('../src/store.ts');
    const e = entry({
      attributes: ['MULTIPLE', 'CONFIDENTIAL', 'MULTI_DEFAULT'],
      attr: 0xd,
      default: { kind: 'bytes', hex: '000102030405060708090a0b' },
    });
    const files = defaultLidFiles(e, { generation: 'B', key: AES });
    expect(files.map((f) => f.name)).toEqual(['TE57A002', 'TE57B002']);
    expect(decodeLidFile(files[0]!.bytes, e, { key: AES }).records.map((r) => bytesToHex(r.bytes))).toEqual([
      '00010203',
      '04050607',
      '08090a0b',
    ]);
  });
  it('RAW_DATA gen B: header + raw bytes, no checksums', () => {
    const e = entry({ attributes: ['RAW_DATA'], attr: 0x8000 });
    const bytes = encodeLidFile([hexToBytes('01020304'), hexToBytes('05060708'), hexToBytes('090a0b0c')], e, {
      generation: 'B',
    });
    expect(bytes.length).toBe(64 + 12);
    expect(bytesToHex(bytes.subarray(64))).toBe('0102030405060708090a0b0c');
    const d = decodeLidFile(bytes);
    expect(d).toMatchObject({ generation: 'B', raw: true, badRecords: [] });
    expect(bytesToHex(d.records[0]!.bytes)).toBe('0102030405060708090a0b0c');
  });
  it('MSP not bound to the chip: no pad, decodable; bound: HW_BOUND for encode and decode', () => {
    const e = entry({ attributes: ['MSP'], attr: 0x20 });
    const recs = [hexToBytes('01020304'), hexToBytes('05060708'), hexToBytes('090a0b0c')];
    for (const generation of ['A', 'B'] as const) {
      const bytes = encodeLidFile(recs, e, { generation, bindToChip: false });
      expect(bytes.length).toBe(generation === 'A' ? 3 * 6 : 64 + 3 * 12);
      expect(decodeLidFile(bytes, e, { generation, bindToChip: false }).badRecords).toEqual([]);
      expect(() => encodeLidFile(recs, e, { generation })).toThrow(
        expect.objectContaining({ code: 'NV_LID_HW_BOUND' }) as Error,
      );
    }
    // Bound to the chip: gen A sections are padded to 16 bytes; only the size is checked.
    expect(() => decodeLidFile(new Uint8Array(3 * 16), e, { generation: 'A' })).toThrow(
      expect.objectContaining({ code: 'NV_LID_HW_BOUND' }) as Error,
    );
    expect(() => decodeLidFile(new Uint8Array(3 * 6), e, { generation: 'A' })).toThrow(
      expect.objectContaining({ code: 'NV_LID_BAD_SIZE' }) as Error,
    );
  });
});
