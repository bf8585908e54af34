import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { bytesToHex, concatBytes, encodeLatin1, hexToBytes } from '@nv/core/bytes';
import { FUZZ_RUNS, hasTool, nvErrorCode as codeOf } from '../../../scripts/test-tools.ts';
import {
  checkImgSector,
  checkMbnHeader,
  detectSignedImage,
  elfLayout,
  elfProgramHeader,
  encodeImgSector,
  hasGzipMagic,
  isGzipHeader,
  isTarHeader,
  tarHeaderSum,
  encodeMbnHeader,
  locateSignedImage,
  parseImgSector,
  parseMbnHeader,
  signingHeader,
  unwrapPartitionImage,
  unwrapSignedImage,
} from '../src/container.ts';

/** A fake .mbn: header ‖ gzip-looking code ‖ 256-byte "signature" ‖ 6144-byte chain. */
function fakeMbn(codeSize = 141): Uint8Array {
  const code = new Uint8Array(codeSize).fill(0x42);
  code.set([0x1f, 0x8b, 8, 0]);
  return concatBytes(
    encodeMbnHeader(signingHeader(codeSize, 256)),
    code,
    new Uint8Array(256).fill(7),
    new Uint8Array(6144).fill(0xff),
  );
}

describe('MBN v3 header (§2.1, §6 KAT)', () => {
  it('encodes the spec KAT for code 141, RSA-2048', () => {
    expect(bytesToHex(encodeMbnHeader(signingHeader(141, 256)))).toBe(
      '1b000000030000002800000000000000' + '8d1900008d0000008d00000000010000' + '8d01000000180000',
    );
  });
  it('round-trips the real factory vector', () => {
    const h = {
      imageId: 27,
      version: 3,
      imageSrc: 40,
      imageDest: 0,
      imageSize: 121088,
      codeSize: 114688,
      signaturePtr: 114688,
      signatureSize: 256,
      certChainPtr: 114944,
      certChainSize: 6144,
    };
    expect(parseMbnHeader(encodeMbnHeader(h))).toEqual(h);
    expect(checkMbnHeader(h, 40 + 121088)).toEqual([]);
  });
  it('flags fields per the §2.1 table', () => {
    const h = { ...signingHeader(100, 256), imageId: 5, imageDest: 0x1000 };
    const codes = checkMbnHeader(h, 1 << 20).map((f) => `${f.severity}:${f.code}`);
    expect(codes).toContain('warning:NV_FSG_HEADER_FIELD');
    expect(codes).toContain('error:NV_FSG_HEADER_FIELD');
    expect(codes).toContain('error:NV_FSG_HEADER_SIZES'); // sig_ptr ≠ dest + code
    expect(checkMbnHeader({ ...signingHeader(101, 256), imageSize: 101 + 256 + 6144 + 3 }, 1 << 20)).toEqual([]); // SecTools align4
    expect(checkMbnHeader(signingHeader(100, 256), 100).map((f) => f.code)).toEqual(['NV_FSG_HEADER_SIZES']);
  });
  it('rejects non-u32 fields (API misuse)', () => {
    expect(() => encodeMbnHeader({ ...signingHeader(1, 256), codeSize: -1 })).toThrow(RangeError);
  });
});

describe('.img sector (§2.3, §6 KAT)', () => {
  it('encodes the spec KAT (.mbn 6581 B, no meta)', () => {
    const s = encodeImgSector({ mbnSize: 6581 });
    expect(bytesToHex(s.subarray(0, 24))).toBe('1400000003000000d801000000000000b5190000b5190000');
    expect(bytesToHex(s.subarray(24, 40))).toBe('00'.repeat(16));
    expect(new TextDecoder().decode(s.subarray(40, 60))).toBe('IMGEFS- SIGNED_IMAGE');
    expect(s.subarray(60).every((b) => b === 0)).toBe(true);
    expect(s.length).toBe(512);
  });
  it('parses back and warns on fill, sizes and id', () => {
    const s = encodeImgSector({ mbnSize: 100, dest: 0x8a000200, partition: 'FS2' });
    const p = parseImgSector(s);
    expect(p).toMatchObject({ imageId: 17, dest: 0x8a000200, imageSize: 100, fillZero: true, magicOk: true });
    expect(checkImgSector(p, 100)).toEqual([]);
    s[511] = 1;
    s[0] = 9;
    expect(checkImgSector(parseImgSector(s), 101).map((f) => f.code)).toEqual([
      'NV_FSG_IMG_SECTOR',
      'NV_FSG_IMG_SECTOR',
      'NV_FSG_IMG_SECTOR',
    ]);
  });
});

describe('input recognition (§2.2)', () => {
  const mbn = fakeMbn();
  const img = concatBytes(encodeImgSector({ mbnSize: mbn.length }), mbn);
  const dump = concatBytes(img, new Uint8Array(4096).fill(0xff));
  it('detects mbn, img and fsg dumps; unwraps the code as a view', () => {
    expect(detectSignedImage(mbn)).toBe('mbn');
    expect(detectSignedImage(img)).toBe('img');
    expect(detectSignedImage(dump)).toBe('fsg');
    for (const [bytes, container, off] of [
      [mbn, 'mbn', 40],
      [img, 'img', 552],
      [dump, 'fsg', 552],
    ] as const) {
      const u = unwrapSignedImage(bytes);
      expect(u.container).toBe(container);
      expect(u.codeOffset).toBe(off);
      expect(u.code.length).toBe(141);
      expect(u.code.buffer).toBe(bytes.buffer);
      expect(u.code[0]).toBe(0x1f);
    }
    expect(locateSignedImage(dump).trailingBytes).toBe(4096);
  });
  it('bare .mbn where a partition is expected → IMG_SECTOR_MISSING', () => {
    expect(codeOf(() => unwrapPartitionImage(mbn))).toBe('NV_FSG_IMG_SECTOR_MISSING');
    expect(unwrapPartitionImage(img).container).toBe('img');
  });
  it('names every other input (§2.2 rows 3–7)', () => {
    const elf = new Uint8Array(256);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
    expect(codeOf(() => unwrapSignedImage(elf))).toBe('NV_FSG_ELF_UNSUPPORTED');
    const m80 = new Uint8Array(80);
    m80.set([0x34, 0x10, 0xd7, 0x73], 4);
    expect(codeOf(() => unwrapSignedImage(m80))).toBe('NV_FSG_MBN80_UNSUPPORTED');
    expect(codeOf(() => unwrapSignedImage(hexToBytes('1f8b0800000000000003')))).toBe('NV_FSG_UNSIGNED');
    const tar = new Uint8Array(1024);
    tar.set(encodeLatin1('file.txt'));
    let sum = 0;
    for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : (tar[i] as number);
    tar.set(encodeLatin1(`${sum.toString(8).padStart(6, '0')}\0 `), 148);
    expect(codeOf(() => unwrapSignedImage(tar))).toBe('NV_FSG_UNSIGNED');
    expect(codeOf(() => unwrapSignedImage(new Uint8Array(4096)))).toBe('NV_FSG_EMPTY');
    expect(codeOf(() => unwrapSignedImage(new Uint8Array(4096).fill(0xff)))).toBe('NV_FSG_EMPTY');
    expect(codeOf(() => unwrapSignedImage(new Uint8Array(4096).map((_, i) => (i * 131) & 0xff)))).toBe(
      'NV_FSG_NOT_MBN',
    );
    expect(detectSignedImage(new Uint8Array(4096))).toBeUndefined();
    expect(codeOf(() => unwrapSignedImage(mbn.subarray(0, mbn.length - 1)))).toBe('NV_TRUNCATED');
  });
  it('fuzz: mutated/truncated images return or throw NvError', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(dump.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
        fc.nat(dump.length),
        fc.constantFrom(0, 16, 20, 24, 28, 32, 36, 512 + 16, 512 + 20),
        fc.nat(),
        (flips, cut, field, value) => {
          const b = dump.slice(0, cut);
          for (const [i, v] of flips) if (i < b.length) b[i] = v;
          if (field + 4 <= b.length) new DataView(b.buffer).setUint32(field, value >>> 0, true);
          expect(['mbn', 'img', 'fsg', undefined]).toContain(detectSignedImage(b));
          try {
            const u = unwrapSignedImage(b);
            expect(u.codeOffset + u.code.length).toBeLessThanOrEqual(b.length);
          } catch (e) {
            expect(NvError.isInstance(e)).toBe(true);
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe('parser fuzz and ELF naming', () => {
  it('parseMbnHeader / parseImgSector / parseCertificate on random bytes return or throw NvError', async () => {
    const { parseCertificate } = await import('../src/x509.ts');
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (b) => {
        for (const fn of [
          () => parseMbnHeader(b),
          () => parseImgSector(b),
          () => checkImgSector(parseImgSector(b), 1),
          () => parseCertificate(b),
        ]) {
          try {
            fn();
          } catch (e) {
            expect(NvError.isInstance(e)).toBe(true);
          }
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
    // DER-shaped input: a SEQUENCE with random content and inflated lengths.
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 0xffffff }), (body, len) => {
        const b = concatBytes(Uint8Array.of(0x30, 0x83, len >> 16, (len >> 8) & 0xff, len & 0xff), body);
        try {
          parseCertificate(b);
        } catch (e) {
          expect(NvError.isInstance(e)).toBe(true);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
  it('names the MBN version of an ELF image (hash segment PT_NULL with (p_flags>>24)&7 = 2)', () => {
    // ELF32 LE, one phdr at 52: PT_NULL, flags 0x02200000, data at 0x100 whose u32 at +4 is the version 6.
    const elf = new Uint8Array(0x200);
    const dv = new DataView(elf.buffer);
    elf.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1]);
    dv.setUint32(28, 52, true);
    dv.setUint16(42, 32, true);
    dv.setUint16(44, 1, true);
    dv.setUint32(52 + 4, 0x100, true);
    dv.setUint32(52 + 24, 0x02200000, true);
    dv.setUint32(0x104, 6, true);
    try {
      unwrapSignedImage(elf);
      expect.unreachable();
    } catch (e) {
      expect(NvError.isInstance(e) && e.code).toBe('NV_FSG_ELF_UNSUPPORTED');
      expect((e as Error).message).toContain('MBN v6 (SHA-384)');
    }
  });
});

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
