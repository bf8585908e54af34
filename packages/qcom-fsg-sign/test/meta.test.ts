import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { encodeLatin1 } from '@nv/core/bytes';
import { FUZZ_RUNS, nvErrorCode as codeOf } from '../../../scripts/test-tools.ts';
import { encodeEfsImageMeta, metaForPartition, parseEfsImageMeta } from '../src/meta.ts';

describe('efs_image_meta.bin (§2.4)', () => {
  it('parses CRLF, L suffix, FS_ prefix, blank lines, unknown keys', () => {
    const m = parseEfsImageMeta(
      encodeLatin1(
        'EFS_IMAGE_KEYS,VALUES\r\nFS_GOLDEN_RAM_ADDR,0x8A000000L\r\n\r\nGOLDEN_RAM_SIZE,3145728\nOTHER,1\r\n',
      ),
    );
    expect(m.values).toEqual({ GOLDEN_RAM_ADDR: 0x8a000000n, GOLDEN_RAM_SIZE: 3145728n, OTHER: 1n });
    const p = metaForPartition(m, 'FSG');
    expect(p).toEqual({ dest: 0x8a000200, ramSize: 3145728, findings: [] });
    expect(metaForPartition(m, 'FS1').findings.map((f) => f.code)).toEqual([
      'NV_FSG_META_KEY_MISSING',
      'NV_FSG_META_KEY_MISSING',
    ]);
  });
  it('encodes like Python 2 csv and round-trips', () => {
    const b = encodeEfsImageMeta({ GOLDEN_RAM_SIZE: 3145728n, GOLDEN_RAM_ADDR: 0x8a000000n });
    expect(new TextDecoder().decode(b)).toBe(
      'EFS_IMAGE_KEYS,VALUES\r\nGOLDEN_RAM_ADDR,0x8a000000\r\nGOLDEN_RAM_SIZE,3145728\r\n',
    );
    expect(parseEfsImageMeta(b).values).toEqual({ GOLDEN_RAM_ADDR: 0x8a000000n, GOLDEN_RAM_SIZE: 3145728n });
  });
  it('rejects no header, duplicates, non-numbers, dest over 32 bits', () => {
    expect(codeOf(() => parseEfsImageMeta(encodeLatin1('GOLDEN_RAM_ADDR,0x1\r\n')))).toBe('NV_FSG_META_PARSE');
    expect(codeOf(() => parseEfsImageMeta(encodeLatin1('')))).toBe('NV_FSG_META_PARSE');
    expect(codeOf(() => parseEfsImageMeta(encodeLatin1('EFS_IMAGE_KEYS,VALUES\nA,1\nA,2\n')))).toBe(
      'NV_FSG_META_PARSE',
    );
    expect(codeOf(() => parseEfsImageMeta(encodeLatin1('EFS_IMAGE_KEYS,VALUES\nA,zz\n')))).toBe('NV_FSG_META_PARSE');
    expect(
      codeOf(() =>
        metaForPartition(parseEfsImageMeta(encodeLatin1('EFS_IMAGE_KEYS,VALUES\nGOLDEN_RAM_ADDR,0xFFFFFF00\n')), 'FSG'),
      ),
    ).toBe('NV_FSG_META_PARSE');
  });
  it('fuzz: returns or throws NvError', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (s) => {
        try {
          parseEfsImageMeta(encodeLatin1(`EFS_IMAGE_KEYS,VALUES\r\n${s}`.replace(/[^\x00-\xff]/g, '?')));
        } catch (e) {
          expect(NvError.isInstance(e)).toBe(true);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});
