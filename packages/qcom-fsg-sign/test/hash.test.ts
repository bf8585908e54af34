import { describe, it, expect } from 'vitest';
import { bytesToHex, encodeLatin1 } from '@nv/core/bytes';
import { nvErrorCode as codeOf } from '../../../scripts/test-tools.ts';
import { imageHash, innerPad, outerPad, parseHwId, parseId, composeHwId, formatId } from '../src/hash.ts';

describe('IDs and image hash (§3.1, §3.2 KATs)', () => {
  const hw = 0x009600e100000000n;
  const abc = encodeLatin1('abc');
  it('pads', () => {
    expect(bytesToHex(outerPad(hw))).toBe('5cca5cbd5c5c5c5c');
    expect(bytesToHex(innerPad(0n))).toBe('3636363636363636');
    expect(bytesToHex(innerPad(0x1bn))).toBe('363636363636362d');
  });
  it('matches the three KATs', () => {
    expect(bytesToHex(imageHash(abc, 0n, hw))).toBe('aac7b9ade25b9005deadf36b3eeda815537e2ef41276a29f86b79da342a3ed67');
    expect(bytesToHex(imageHash(abc, 0x1bn, hw))).toBe(
      '2fcb4d857534d892e20e4ee4ea4b371fb25dedb97e46458b1ee480f863e60beb',
    );
    expect(bytesToHex(imageHash(abc, 0n, hw, 'sha1'))).toBe('6c57fac03f1dbb94ec0097343783aa681a353029');
  });
  it('parses and formats IDs', () => {
    expect(parseId('0x009600E100000000')).toBe(hw);
    expect(parseId('27')).toBe(27n);
    expect(codeOf(() => parseId('0x1_0'))).toBe('NV_FSG_ID_FORMAT');
    expect(codeOf(() => parseId('18446744073709551616'))).toBe('NV_FSG_ID_FORMAT');
    expect(composeHwId(0x009600e1, 0x1234, 0x5678)).toBe(0x009600e112345678n);
    expect(formatId(0x1bn)).toBe('000000000000001B');
  });
  it('parseHwId wants all 16 hex digits: a 32-bit msm_part is refused, not zero-extended (issue 14.11)', () => {
    expect(parseHwId('0x009600E100000000')).toBe(hw);
    expect(parseHwId(' 0x009600e100000000 ')).toBe(hw);
    expect(parseHwId('0x0000000000000000')).toBe(0n);
    for (const bad of ['0x009600E1', '0x9600E100000000', '9830625', '0', '0x', '0x009600E1000000001', 'zz'])
      expect(
        codeOf(() => parseHwId(bad)),
        bad,
      ).toBe('NV_FSG_HWID_FORMAT');
    let message = '';
    try {
      parseHwId('0x009600E1');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain('has 8 hex digits');
    expect(message).toContain('0x009600E100000000');
  });
});
