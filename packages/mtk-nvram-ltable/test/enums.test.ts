import { describe, it, expect } from 'vitest';
import { LTABLE_ENUMS, decodeBits, bitValue } from '../src/enums.ts';

describe('enum sets (§4)', () => {
  it('decodes the real moly-b IMEI header attr 0x402A', () => {
    expect(decodeBits(LTABLE_ENUMS['moly-b'].attributes, 0x402a)).toEqual({
      names: ['WRITEPROTECT', 'CONFIDENTIAL', 'MSP', 'COMMITTED'],
      unknown: 0,
    });
  });
  it('bits that differ per generation (§11)', () => {
    expect(bitValue(LTABLE_ENUMS['moly-a'].attributes, 'SW_VERNO_RESET')).toBe(0x40);
    expect(bitValue(LTABLE_ENUMS['moly-b'].attributes, 'OTA_RESET')).toBe(0x40);
    expect(bitValue(LTABLE_ENUMS['moly-b'].attributes, 'RESERVE_BACKWARD')).toBe(0x1000);
    expect(bitValue(LTABLE_ENUMS['moly-a'].attributes, 'RESERVE_BACKWARD')).toBeUndefined();
    expect(bitValue(LTABLE_ENUMS['moly-b'].categories, 'IMPORTANT_L1')).toBe(0x8000);
    expect(bitValue(LTABLE_ENUMS['moly-a'].categories, 'IMPORTANT_C')).toBe(0x8000);
    expect(bitValue(LTABLE_ENUMS['moly-b'].attributes, 'MCF_OTA')).toBe(0x80000000);
  });
  it('maui variants and zero names', () => {
    expect(bitValue(LTABLE_ENUMS['maui-2'].categories, 'COMPOSED')).toBe(0x8000);
    expect(bitValue(LTABLE_ENUMS['maui-3'].categories, 'USER')).toBe(1);
    expect(decodeBits(LTABLE_ENUMS['moly-a'].categories, 0).names).toEqual(['USER']);
    expect(decodeBits(LTABLE_ENUMS['maui-3'].categories, 0).names).toEqual(['NONE']);
    expect(decodeBits(LTABLE_ENUMS['moly-a'].attributes, 0x10004)).toEqual({ names: ['MULTIPLE'], unknown: 0x10000 });
  });
});
