import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FUZZ_RUNS, hasTool } from '../../../scripts/test-tools.ts';
import { hasGzipMagic, isGzipHeader, isTarHeader, tarHeaderSum } from '../src/index.ts';

// issue 20.1: one owner for the tar header checksum and the gzip magic (qcom-efs, device-sim import these).
describe('tarHeaderSum / hasGzipMagic (the shared container primitives)', () => {
  it('an all-zero header sums to eight spaces', () => {
    expect(tarHeaderSum(new Uint8Array(512))).toBe(256);
  });

  it('counts the checksum field as spaces whatever it holds, and reads at an offset', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 512, maxLength: 512 }), fc.nat(64), (h, pad) => {
        let want = 0;
        for (let i = 0; i < 512; i++) want += i >= 148 && i < 156 ? 0x20 : (h[i] as number);
        const shifted = new Uint8Array(pad + 512);
        shifted.set(h, pad);
        expect(tarHeaderSum(h)).toBe(want);
        expect(tarHeaderSum(shifted, pad)).toBe(want);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('hasGzipMagic checks 1F 8B only; isGzipHeader adds the modem rules', () => {
    expect(hasGzipMagic(Uint8Array.of(0x1f, 0x8b))).toBe(true);
    expect(hasGzipMagic(Uint8Array.of(0, 0x1f, 0x8b), 1)).toBe(true);
    expect(hasGzipMagic(Uint8Array.of(0x1f))).toBe(false);
    expect(hasGzipMagic(Uint8Array.of(0x8b, 0x1f))).toBe(false);
    expect(isGzipHeader(Uint8Array.of(0x1f, 0x8b, 9, 0, 0, 0, 0, 0, 0, 0xff))).toBe(false);
  });

  it.skipIf(!hasTool('tar') || !hasTool('gzip'))('agrees with GNU tar and gzip', () => {
    const dir = mkdtempSync(join(tmpdir(), 'nv-prim-'));
    try {
      writeFileSync(join(dir, 'a.txt'), 'hello');
      execFileSync('tar', ['-C', dir, '--format=ustar', '-cf', join(dir, 'a.tar'), 'a.txt']);
      const tar = readFileSync(join(dir, 'a.tar'));
      const stored = parseInt(tar.subarray(148, 155).toString('latin1').replace(/\0.*$/, ''), 8);
      expect(tarHeaderSum(tar)).toBe(stored);
      expect(isTarHeader(tar)).toBe(true);
      execFileSync('gzip', ['-k', join(dir, 'a.tar')]);
      const gz = readFileSync(join(dir, 'a.tar.gz'));
      expect(hasGzipMagic(gz) && isGzipHeader(gz)).toBe(true);
      expect(hasGzipMagic(tar)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
