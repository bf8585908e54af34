import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NvError, bytesToHex, concatBytes, encodeLatin1, hexToBytes } from '@nv/core';
import { FUZZ_RUNS, nvErrorCode as codeOf } from '../../../scripts/test-tools.ts';
import {
  checkImgSector,
  checkMbnHeader,
  detectSignedImage,
  encodeEfsImageMeta,
  encodeImgSector,
  encodeMbnHeader,
  imageHash,
  innerPad,
  locateSignedImage,
  metaForPartition,
  outerPad,
  parseEfsImageMeta,
  parseHwId,
  parseId,
  parseImgSector,
  parseMbnHeader,
  signingHeader,
  unwrapPartitionImage,
  unwrapSignedImage,
  composeHwId,
  formatId,
} from '../src/index.ts';

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

describe('parser fuzz and ELF naming', () => {
  it('parseMbnHeader / parseImgSector / parseCertificate on random bytes return or throw NvError', async () => {
    const { parseCertificate } = await import('../src/index.ts');
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
