import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { parseLidFileName, composeLidFileName, isLidFileName, lidFileNamesOf, lidFolder } from '../src/names.ts';

describe('file names (§2)', () => {
  it('parses and composes', () => {
    expect(parseLidFileName('LD0B_001')).toEqual({ prefix: 'LD0B', copy: '_', verno: '001' });
    expect(parseLidFileName('MT79A000')).toEqual({ prefix: 'MT79', copy: 'A', verno: '000' });
    expect(parseLidFileName('MT79B000_000A0020')).toEqual({
      prefix: 'MT79',
      copy: 'B',
      verno: '000',
      suffix: { records: 10, size: 32 },
    });
    expect(composeLidFileName('MT79', '001')).toBe('MT79_001');
    expect(composeLidFileName('LD0B', '001', '_', { records: 10, size: 0x20 })).toBe('LD0B_001_000A0020');
    expect(lidFileNamesOf('LD0B', '001', true)).toEqual(['LD0BA001', 'LD0BB001']);
    expect(isLidFileName('MT79a000')).toBe(false);
  });
  it('rejects bad names with NV_LID_BAD_NAME', () => {
    for (const bad of ['LD0B_01', 'LD0B-001', 'LD0Bx001', 'LD0B_001_000a0020', 'LD0B_0011', '']) {
      expect(() => parseLidFileName(bad)).toThrow(expect.objectContaining({ code: 'NV_LID_BAD_NAME' }) as Error);
    }
    expect(() => composeLidFileName('LD0', '001')).toThrow(NvError);
  });
  it('fuzz: parse throws only NvError and round-trips what it accepts', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 20 }), (s) => {
        try {
          const n = parseLidFileName(s);
          expect(composeLidFileName(n.prefix, n.verno, n.copy, n.suffix)).toBe(s);
        } catch (error) {
          if (!NvError.isInstance(error)) throw error;
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('maps categories to folders', () => {
    expect(lidFolder(['IMPORTANT'], 'moly-b')).toMatchObject({
      folder: 'NVD_IMEI',
      devicePath: '/mnt/vendor/nvdata/md/NVRAM/NVD_IMEI',
      modemPath: 'Z:\\NVRAM\\NVD_IMEI',
    });
    expect(lidFolder(['USER'], 'moly-a').devicePath).toBe('/mnt/vendor/nvdata/md/NVRAM/NVD_DATA');
    expect(lidFolder(['IMPORTANT_L4'], 'moly-b')).toMatchObject({
      partition: 'protect_f',
      devicePath: '/mnt/vendor/protect_f/md',
      devicePathB: '/mnt/vendor/protect_s/md',
    });
  });
});
