import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { bytesToHex } from '@nv/core/bytes';
import { encodeItem, encodeMcfgSegment, wrapSegment, type McfgSegmentParts } from '../src/encode.ts';
import { NO_FILES } from '../src/model.ts';
import { parseMbn } from '../src/parse.ts';
import { nvErrorCode } from '../../../scripts/test-tools.ts';

// encode.ts is the mirror of parse.ts. Expected bytes are written by hand from the byte tables of
// docs/formats/mcfg.md#item-prefix…#efs-body and #mcfg-header/#trailer, and from the vector that
// scripts/make-vectors.py assembles from those tables (not by our writer).
const katMbn = new Uint8Array(readFileSync(new URL('./vectors/kat-4.5.mbn', import.meta.url)));
const hex = (b: Uint8Array): string => bytesToHex(b);

describe('encode.ts: items', () => {
  it('NV item: prefix (u32 length, type, attrib, sp_ops, spare), u16 id, u16 size, data', () => {
    const nv = encodeItem({
      kind: 'nv',
      type: 1,
      attrib: 0x09,
      spOps: 0,
      spare: 0,
      nvId: 71,
      data: Uint8Array.of(0x54, 0x4d, 0x4f, 0),
    });
    expect(hex(nv)).toBe('10000000' + '01090000' + '4700' + '0400' + '544d4f00');
  });
  it('EFS item: TLV 1 = path with NUL, TLV 2 = data', () => {
    const efs = encodeItem({
      kind: 'efs',
      type: 2,
      attrib: 0x01,
      spOps: 0,
      spare: 0,
      path: '/a',
      data: Uint8Array.of(5),
    });
    expect(hex(efs)).toBe('14000000' + '02010000' + '0100' + '0300' + '2f6100' + '0200' + '0100' + '05');
  });
  it('opaque item: prefix then the body as is; sp_ops and spare kept', () => {
    const raw = encodeItem({ kind: 'opaque', type: 9, attrib: 0x01, spOps: 3, spare: 4, data: Uint8Array.of(1, 2) });
    expect(hex(raw)).toBe('0a000000' + '09010304' + '0102');
  });
  it('data over 65,535 bytes is refused, not truncated', () => {
    const big = {
      kind: 'nv' as const,
      type: 1,
      attrib: 1,
      spOps: 0,
      spare: 0,
      nvId: 10,
      data: new Uint8Array(0x10000),
    };
    expect(nvErrorCode(() => encodeItem(big))).toBe('NV_MBN_EFS_TOO_LARGE');
  });
});

describe('encode.ts: segment and container', () => {
  const kat = parseMbn(katMbn);
  const { trailerPad: _pad, ...katParts } = kat;
  const parts: McfgSegmentParts = { ...katParts, items: kat.items.map(({ offset: _o, ...i }) => i) };
  const katSegment = katMbn.subarray(0x2000, 0x2000 + kat.segmentSize);

  it('the segment of the hand-assembled vector is re-encoded byte for byte', () => {
    expect(hex(encodeMcfgSegment(parts))).toBe(hex(katSegment));
  });
  it('an empty segment: header, version record, trailer head, TLVs, 4 − n mod 4 pad, back-pointer', () => {
    const tlvs = Uint8Array.of(0, 2, 0, 0, 1); // TLV 0, 2 bytes
    const seg = encodeMcfgSegment({
      format: 3,
      configType: 1,
      carrierIndex: 2,
      version: 0x0501050d,
      items: [],
      trailerTlvs: tlvs,
    });
    // 24 header + 24 + 5 trailer = 53 → pad 3; back-pointer = 29 + 3.
    expect(hex(seg)).toBe(
      '4d434647' +
        '0300' +
        '0100' +
        '01000000' +
        '0200' +
        '0000' +
        '8313' +
        '0400' +
        '0d050105' +
        '1d000000' +
        '0a000000' +
        'a100' +
        '0d00' +
        hex(new TextEncoder().encode('MCFG_TRL')) +
        '0002000001' +
        '000000' +
        '20000000',
    );
    expect(() => encodeMcfgSegment({ ...parts, format: 0x10000 })).toThrow(RangeError);
  });
  it('wrapSegment: canonical by default, bare as is, a missing sidecar is NV_MBN_CONTAINER', () => {
    expect(hex(wrapSegment(katSegment, undefined, undefined, NO_FILES))).toBe(hex(katMbn));
    expect(hex(wrapSegment(katSegment, 'bare', undefined, NO_FILES))).toBe(hex(katSegment));
    expect(nvErrorCode(() => wrapSegment(katSegment, 'prefix.bin', undefined, NO_FILES))).toBe('NV_MBN_CONTAINER');
  });
});
