import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FUZZ_RUNS, hasTool } from '../../../scripts/test-tools.ts';
import { elfLayout, elfProgramHeader, hasGzipMagic, isGzipHeader, isTarHeader, tarHeaderSum } from '../src/index.ts';

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

// Fixture written from the ELF byte tables (System V gABI: Elf32_Ehdr/Elf64_Ehdr, Elf32_Phdr/Elf64_Phdr), not by our code.
function elf(is64: boolean, phdrs: { type: number; flags: number; offset: number; size: number }[]): Uint8Array {
  const eh = is64 ? 64 : 52;
  const ph = is64 ? 56 : 32;
  const out = new Uint8Array(eh + ph * phdrs.length);
  const dv = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, is64 ? 2 : 1, 1, 1], 0);
  if (is64) {
    dv.setBigUint64(32, BigInt(eh), true);
    dv.setUint16(54, ph, true);
    dv.setUint16(56, phdrs.length, true);
  } else {
    dv.setUint32(28, eh, true);
    dv.setUint16(42, ph, true);
    dv.setUint16(44, phdrs.length, true);
  }
  phdrs.forEach((p, i) => {
    const at = eh + i * ph;
    dv.setUint32(at, p.type, true);
    if (is64) {
      dv.setUint32(at + 4, p.flags, true);
      dv.setBigUint64(at + 8, BigInt(p.offset), true);
      dv.setBigUint64(at + 32, BigInt(p.size), true);
    } else {
      dv.setUint32(at + 4, p.offset, true);
      dv.setUint32(at + 16, p.size, true);
      dv.setUint32(at + 24, p.flags, true);
    }
  });
  return out;
}

describe('elfLayout / elfProgramHeader (the one FSG-side ELF walk)', () => {
  for (const is64 of [false, true]) {
    it(`reads ELF${is64 ? 64 : 32} program headers`, () => {
      const hdrs = [
        { type: 0, flags: 0x02200000, offset: 0x1000, size: 0x88 },
        { type: 1, flags: 0x80000005, offset: 0x2000, size: 0x1234 },
      ];
      const b = elf(is64, hdrs);
      const l = elfLayout(b);
      expect(l).toEqual({ is64, phoff: is64 ? 64 : 52, phentsize: is64 ? 56 : 32, phnum: 2 });
      expect([0, 1].map((i) => elfProgramHeader(b, l, i))).toEqual(
        hdrs.map((h) => ({ type: h.type, flags: h.flags, offset: h.offset, fileSize: h.size })),
      );
      expect(() => elfProgramHeader(b, l, 2)).toThrow(RangeError);
    });
  }
});
