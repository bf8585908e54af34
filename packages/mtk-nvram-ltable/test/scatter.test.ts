import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { FUZZ_RUNS, nvErrorCode } from '../../../scripts/test-tools.ts';
import { inferUpgradeMode, parseScatter, scatterRole } from '../src/scatter.ts';

const TEXT = readFileSync(new URL('./fixtures/MT6765_Android_scatter.txt', import.meta.url), 'utf8');

describe('parseScatter', () => {
  it('reads the general block and every partition block of a v1.1 scatter file', () => {
    const s = parseScatter(TEXT);
    expect(s).toMatchObject({ platform: 'MT6765', project: 'demo_k62v1', storage: 'EMMC', configVersion: 'V1.1.2' });
    expect(s.partitions.map((p) => p.name)).toEqual([
      'preloader',
      'pgpt',
      'recovery',
      'nvcfg',
      'nvdata',
      'md_udc',
      'protect1',
      'protect2',
      'nvram',
      'md1img',
    ]);
    const nvram = s.partitions.find((p) => p.name === 'nvram')!;
    expect(nvram).toMatchObject({ index: 'SYS16', isDownload: false, type: 'NORMAL_ROM', operationType: 'BINREGION' });
    expect(nvram.fileName).toBeUndefined();
    expect(nvram.fields['partition_size']).toBe('0x4000000');
    expect(s.partitions[0]!.fileName).toBe('preloader_demo.bin');
    expect(s.partitions.map((p) => scatterRole(p))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      'nvdata',
      undefined,
      'protect',
      'protect',
      'bin-region',
      undefined,
    ]);
    // CRLF files (SP Flash Tool on Windows) read the same.
    expect(parseScatter(TEXT.replace(/\n/g, '\r\n')).partitions).toHaveLength(10);
    // Old names: PROTECT_F/S by name, NVRAM by name.
    expect(scatterRole({ name: 'PROTECT_F' })).toBe('protect');
    expect(scatterRole({ name: 'NVRAM' })).toBe('bin-region');
  });

  it('refuses the pre-2013 layout, stray keys and bad booleans, naming the line', () => {
    expect(nvErrorCode(() => parseScatter('PRELOADER 0x0\n{\n}\n'))).toBe('NV_LTABLE_SCATTER_SYNTAX');
    expect(nvErrorCode(() => parseScatter('partition_name: x\n'))).toBe('NV_LTABLE_SCATTER_SYNTAX');
    expect(nvErrorCode(() => parseScatter('- partition_index: SYS0\n  is_download: maybe\n'))).toBe(
      'NV_LTABLE_SCATTER_SYNTAX',
    );
    expect(() => parseScatter('- partition_index: SYS0\n  partition_name: a\n  !!!\n')).toThrow(/line 3/);
    expect(nvErrorCode(() => parseScatter('# only a comment\n'))).toBe('NV_LTABLE_SCATTER_SYNTAX');
    expect(nvErrorCode(() => parseScatter('- partition_index: SYS0\n  is_download: true\n'))).toBe(
      'NV_LTABLE_SCATTER_SYNTAX',
    );
  });

  it('fuzz: any text gives a scatter or NV_LTABLE_SCATTER_SYNTAX', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.integer({ min: 0, max: TEXT.length }), (junk, at) => {
        const code = nvErrorCode(() => parseScatter(TEXT.slice(0, at) + junk + TEXT.slice(at)));
        expect(['none', 'NV_LTABLE_SCATTER_SYNTAX']).toContain(code);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('inferUpgradeMode', () => {
  const s = parseScatter(TEXT);
  it('the default selection (is_download: true) keeps every NVRAM partition: download-only', () => {
    const r = inferUpgradeMode(s);
    expect(r.mode).toBe('download-only');
    expect(r.binRegion).toBe('present');
    expect(r.reasons.join('\n')).toMatch(/nvdata is not written: nvdata is kept/);
  });
  it('nvdata written: firmware-upgrade; protect written: format-all; nvram written: empty bin region', () => {
    expect(inferUpgradeMode(s, ['recovery', 'NVDATA'])).toMatchObject({
      mode: 'firmware-upgrade',
      binRegion: 'present',
      written: { nvdata: ['nvdata'], protect: [], binRegion: [] },
    });
    const fa = inferUpgradeMode(s, ['nvdata', 'protect1', 'protect2', 'nvram']);
    expect(fa).toMatchObject({ mode: 'format-all', binRegion: 'empty' });
    expect(fa.reasons.join('\n')).toMatch(/protect is written/);
    const p = inferUpgradeMode(s, ['protect1']);
    expect(p.mode).toBe('format-all');
    expect(p.binRegion).toBe('present');
    expect(p.reasons.join('\n')).toMatch(/bin region is kept/);
    expect(inferUpgradeMode(s, ['nvram', 'md1img'])).toMatchObject({ mode: 'download-only', binRegion: 'empty' });
  });
  it('an unknown partition name is an error, not a silent download-only', () => {
    expect(nvErrorCode(() => inferUpgradeMode(s, ['nvdata', 'nvdta']))).toBe('NV_LTABLE_SCATTER_UNKNOWN_PARTITION');
  });
});
