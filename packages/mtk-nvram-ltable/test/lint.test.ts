import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { lintLtable } from '../src/lint.ts';
import { sampleLtable, createLtableEntry, type LtableEntryInit } from '../src/sample.ts';
import { locationOf, fileIdentity, effectiveEntry } from '../src/effective.ts';
import type { Ltable, LtableEntry } from '../src/model.ts';
import { arbTable } from './arb.ts';

const codes = (t: Ltable, opts = {}) => lintLtable(t, opts).findings.map((f) => `${f.severity}:${f.code}`);
const tbl = (gen: 'moly-a' | 'moly-b', ...inits: LtableEntryInit[]): Ltable => ({
  generation: gen,
  enumSet: gen,
  entries: inits.map((i) => createLtableEntry(i, gen)),
});
const U: LtableEntryInit = {
  name: 'NVRAM_EF_U_LID',
  lid: 0xf101,
  size: 4,
  prefix: 'US01',
  verno: '000',
  categories: ['USER'],
};

describe('lint (§10)', () => {
  it('the sample tables are clean (only infos)', () => {
    expect(lintLtable(sampleLtable()).ok).toBe(true);
    expect(lintLtable(sampleLtable()).findings).toEqual([]);
    const a = lintLtable(sampleLtable('moly-a'));
    expect(a.ok).toBe(true);
    expect(a.findings.every((f) => f.severity === 'info' && f.code === 'NV_LTABLE_REWRITE_RENAMES')).toBe(true);
    expect(a.findings.find((f) => f.name === 'NVRAM_EF_SML_LID')?.message).toContain('MP0EA002+MP0EB002 to MP0E_002');
  });
  it('duplicates', () => {
    expect(codes(tbl('moly-b', U, { ...U, prefix: 'US02' }))).toEqual([
      'error:NV_LTABLE_DUP_LID',
      'error:NV_LTABLE_DUP_NAME',
    ]);
    const f = lintLtable(tbl('moly-b', U, { ...U, name: 'NVRAM_EF_V_LID', lid: 0xf102 })).findings;
    expect(f).toEqual([
      expect.objectContaining({
        code: 'NV_LTABLE_DUP_PREFIX',
        name: 'NVRAM_EF_V_LID',
        path: 'entries[1].prefix',
        severity: 'error',
      }),
    ]);
  });
  it('prefix, verno, size, records, LID range', () => {
    expect(codes(tbl('moly-b', { ...U, prefix: 'US-1' }))).toEqual(['error:NV_LTABLE_BAD_PREFIX']);
    expect(codes(tbl('moly-b', { ...U, prefix: 'US012' }))).toEqual(['error:NV_LTABLE_BAD_PREFIX']);
    expect(codes(tbl('moly-b', { ...U, verno: '01' }))).toEqual(['error:NV_LTABLE_BAD_VERNO']);
    expect(codes(tbl('moly-b', { ...U, verno: '999' }))).toEqual(['warning:NV_LTABLE_VERNO_OVERFLOW']);
    expect(codes(tbl('moly-b', { ...U, verno: '000' }), { previous: tbl('moly-b', { ...U, verno: '999' }) })).toEqual([
      'error:NV_LTABLE_VERNO_OVERFLOW',
    ]);
    expect(codes(tbl('moly-b', { ...U, size: 0 }))).toEqual(['error:NV_LTABLE_BAD_SIZE']);
    expect(codes(tbl('moly-b', { ...U, size: 2 ** 32 }))).toEqual(['error:NV_LTABLE_BAD_SIZE']);
    expect(codes(tbl('moly-b', { ...U, records: 65536 }))).toEqual(['error:NV_LTABLE_BAD_RECORDS']);
    expect(codes(tbl('moly-b', { ...U, records: 0 }))).toEqual(['error:NV_LTABLE_BAD_RECORDS']);
    expect(codes(tbl('moly-b', { ...U, lid: 0x10000 }))).toEqual(['error:NV_LTABLE_LID_RANGE']);
  });
  it('enum names and bits', () => {
    const e = createLtableEntry(U, 'moly-a');
    const bad: LtableEntry = { ...e, attributes: ['RESERVE_BACKWARD'], attr: 0x1000 };
    expect(codes({ generation: 'moly-a', entries: [bad] })).toContain('error:NV_LTABLE_GEN_MISMATCH');
    expect(codes({ generation: 'moly-a', entries: [{ ...e, categories: ['BOGUS'] }] })).toContain(
      'error:NV_LTABLE_UNKNOWN_CATEGORY',
    );
    expect(codes({ generation: 'moly-a', entries: [{ ...e, attr: 0x10000 }] })).toContain(
      'error:NV_LTABLE_UNKNOWN_ATTR',
    );
    expect(codes(tbl('moly-b', { ...U, attributes: ['MCF_OTA'] }))).toEqual(['warning:NV_LTABLE_UNVERIFIED_BIT']);
    expect(codes({ generation: 'maui', entries: [] })).toEqual(['error:NV_LTABLE_ENUMSET_REQUIRED']);
  });
  it('defaults and attribute conflicts', () => {
    expect(codes(tbl('moly-b', { ...U, default: { kind: 'bytes', hex: '000102' } }))).toEqual([
      'error:NV_LTABLE_DEFAULT_LENGTH',
    ]);
    expect(
      codes(
        tbl('moly-b', { ...U, records: 2, attributes: ['MULTI_DEFAULT'], default: { kind: 'bytes', hex: '00010203' } }),
      ),
    ).toEqual(['error:NV_LTABLE_DEFAULT_LENGTH']);
    expect(codes(tbl('moly-b', { ...U, categories: ['CALIBRAT'], attributes: ['MULTIPLE', 'BACKUP_RAW'] }))).toEqual([
      'error:NV_LTABLE_ATTR_CONFLICT',
    ]);
    expect(codes(tbl('moly-b', { ...U, attributes: ['MULTI_DEFAULT'] }))).toEqual(['error:NV_LTABLE_ATTR_CONFLICT']);
    expect(codes(tbl('moly-b', { ...U, categories: ['FUNC_DEFAULT'] }))).toEqual(['error:NV_LTABLE_ATTR_CONFLICT']);
    expect(codes(tbl('moly-b', { ...U, default: { kind: 'func', symbol: 'f' } }))).toEqual([
      'error:NV_LTABLE_ATTR_CONFLICT',
    ]);
    expect(codes(tbl('moly-b', { ...U, categories: ['OTP'], attributes: ['WRITEPROTECT'] }))).toEqual([
      'error:NV_LTABLE_ATTR_CONFLICT',
    ]);
    expect(codes(tbl('moly-b', { ...U, categories: ['SECUPACK'], attributes: ['CONFIDENTIAL'] }))).toEqual([
      'warning:NV_LTABLE_CONFIDENTIAL_REQUIRED',
    ]);
    const sh = lintLtable(tbl('moly-b', { ...U, categories: ['CALIBRAT', 'IMPORTANT'] })).findings;
    expect(sh.map((f) => f.code)).toEqual(['NV_LTABLE_CATEGORY_SHADOWED']);
    expect(sh[0]?.message).toContain('CALIBRAT wins (CALIBRAT)');
  });
  it('lint never throws on random tables', () => {
    fc.assert(
      fc.property(arbTable(), (t) => void lintLtable(t)),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('folders and effective attributes (§2.2, §7, §12)', () => {
  it('known answers', () => {
    expect(locationOf(['IMPORTANT_L1', 'FUNC_DEFAULT'], 'moly-b').folder).toBe('IMPORTNT');
    expect(locationOf(['RESERVED'], 'moly-b').folder).toBe('BACKUP');
    expect(locationOf(['RESERVED'], 'moly-a').folder).toBe('NVD_DATA');
    expect(locationOf(['IMPORTANT_L4'], 'moly-a')).toEqual({
      partition: 'protect_f',
      folder: 'md',
      by: 'IMPORTANT_L4',
    });
    expect(locationOf(['IMPORTANT_L4'], 'moly-b', { importantPartitions: false }).folder).toBe('IMPORTNT');
    expect(locationOf(['INTERNAL', 'CALIBRAT'], 'moly-b').folder).toBe('NVD_CORE');
    expect(locationOf(['USER'], 'moly-b').folder).toBe('NVD_DATA');
  });
  it('moly-a eMMC IMEI is the single copy MP0B_001; on NAND MSP forces A/B', () => {
    const imei = sampleLtable('moly-a').entries.find((e) => e.name === 'NVRAM_EF_IMEI_IMEISV_LID')!;
    const emmc = fileIdentity(imei, 'moly-a');
    expect(emmc.files).toEqual(['MP0B_001']);
    expect(emmc.location.folder).toBe('NVD_IMEI');
    expect(emmc.effective.rules).toEqual(['msp-forces-multiple', 'important-committed', 'emmc-drops-multiple']);
    expect(emmc.effective.attributes).toContain('AUTO_RECOVER');
    expect(fileIdentity(imei, 'moly-a', { storage: 'nand' }).files).toEqual(['MP0BA001', 'MP0BB001']);
    // moly-b: no NAND-based removal.
    const sml = sampleLtable('moly-b').entries.find((e) => e.name === 'NVRAM_EF_SML_LID')!;
    expect(fileIdentity(sml, 'moly-b').files).toEqual(['MP0EA002', 'MP0EB002']);
  });
  it('SECUPACK forcing, OTP clearing, CALIBRAT exclusivity, SYS keeps MULTIPLE', () => {
    const e = (cats: string[], attrs: string[], name = 'X') =>
      createLtableEntry({ name, size: 1, prefix: 'XX00', categories: cats, attributes: attrs }, 'moly-a');
    expect(effectiveEntry(e(['SECUPACK'], []), 'moly-a', { storage: 'nand' }).attributes.toSorted()).toEqual([
      'CONFIDENTIAL',
      'MSP',
      'MULTIPLE',
    ]);
    expect(effectiveEntry(e(['OTP'], ['WRITEPROTECT', 'MULTIPLE']), 'moly-a', { storage: 'nand' }).attributes).toEqual([
      'AVERAGE',
    ]);
    expect(
      effectiveEntry(e(['CALIBRAT'], ['MULTIPLE', 'BACKUP_FAT']), 'moly-a', { storage: 'nand' }).attributes,
    ).toEqual(['MULTIPLE']);
    expect(effectiveEntry(e(['INTERNAL'], ['MULTIPLE']), 'moly-a').attributes).toEqual(['MULTIPLE']);
    expect(effectiveEntry(e(['IMPORTANT'], ['FACTORY_RESET']), 'moly-a', { device: 'feature-phone' }).rules).toEqual(
      [],
    );
  });
});
