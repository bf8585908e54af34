import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { bytesToHex, encodeLatin1, hexToBytes } from '@nv/core/bytes';
import { CRC16_X25_RESIDUE, crc16X25 } from '../src/crc.ts';
import { DiagFrameDecoder, encodeHdlcFrame, encodeLengthFrame } from '../src/framing.ts';
import { FUZZ_RUNS, hasTool } from '../../../scripts/test-tools.ts';

const hex = (s: string): Uint8Array => hexToBytes(s.replace(/\s+/g, ''));
const payloads = (d: DiagFrameDecoder, ...chunks: string[]): (string | { error: string })[] =>
  chunks.flatMap((c) => d.push(hex(c))).map((f) => (f.ok ? bytesToHex(f.payload) : { error: f.error.code }));

describe('CRC-16/X.25', () => {
  it('gives 0x906E for "123456789" (catalogue check value; CCITT-FALSE would give 0x29B1)', () => {
    expect(crc16X25(encodeLatin1('123456789'))).toBe(0x906e);
  });
  it('leaves the residue over payload ‖ crc16le', () => {
    const p = encodeLatin1('123456789');
    expect(crc16X25(Uint8Array.of(...p, 0x6e, 0x90))).toBe(CRC16_X25_RESIDUE);
  });
});

describe('HDLC framing: the spec vectors', () => {
  it('version request 00 → 00 78 F0 7E', () => {
    expect(bytesToHex(encodeHdlcFrame(Uint8Array.of(0)))).toBe('0078f07e');
  });
  it('SPC "000000" → 41 30 30 30 30 30 30 DF 8A 7E', () => {
    expect(bytesToHex(encodeHdlcFrame(hex('41303030303030')))).toBe('41303030303030df8a7e');
  });
  it('decodes both vectors back', () => {
    expect(payloads(new DiagFrameDecoder(), '0078f07e', '41303030303030df8a7e')).toEqual(['00', '41303030303030']);
  });
});

describe('HDLC framing: hand-built frames', () => {
  it('escapes 7E and 7D in the payload and in the CRC', () => {
    // payload 7E 7D: CRC 0xCDF1 (computed by scripts/hdlc_frames.py), no CRC byte needs escaping.
    expect(bytesToHex(encodeHdlcFrame(hex('7e7d')))).toBe('7d5e7d5df1cd7e');
    // Find a payload whose CRC contains 7E so the trailer escape is exercised too.
    let p = 0;
    for (; p < 65536; p++) {
      const c = crc16X25(Uint8Array.of(p & 0xff, p >> 8));
      if ((c & 0xff) === 0x7e || c >> 8 === 0x7e) break;
    }
    const payload = Uint8Array.of(p & 0xff, p >> 8);
    const frame = encodeHdlcFrame(payload);
    expect(frame.subarray(0, -1).includes(0x7e)).toBe(false);
    expect(payloads(new DiagFrameDecoder(), bytesToHex(frame))).toEqual([bytesToHex(payload)]);
  });
  it('copes with a frame split across reads, even inside an escape', () => {
    expect(payloads(new DiagFrameDecoder(), '7d', '5e7d', '5df1', 'cd', '7e')).toEqual(['7e7d']);
  });
  it('returns several frames merged in one read, skipping empty frames and a leading 7E', () => {
    expect(payloads(new DiagFrameDecoder(), '7e 0078f07e 7e7e 41303030303030df8a7e')).toEqual(['00', '41303030303030']);
  });
  it('reports a bad CRC and stays in sync for the next frame', () => {
    expect(payloads(new DiagFrameDecoder(), '0078f17e0078f07e')).toEqual([{ error: 'NV_DIAG_BAD_CRC' }, '00']);
  });
  it('reports too-short frames and bad escapes', () => {
    expect(payloads(new DiagFrameDecoder(), '00 7e', '7d 41 78 f0 7e', '00 7d 7e', '0078f07e')).toEqual([
      { error: 'NV_DIAG_BAD_FRAME' },
      { error: 'NV_DIAG_BAD_FRAME' },
      { error: 'NV_DIAG_BAD_FRAME' },
      '00',
    ]);
  });
  it('drops a frame over the payload limit and resyncs', () => {
    const d = new DiagFrameDecoder('hdlc', { maxPayload: 8 });
    expect(payloads(d, '00'.repeat(20) + '7e', '0078f07e')).toEqual([{ error: 'NV_DIAG_BAD_FRAME' }, '00']);
  });
});

describe('length-prefixed framing', () => {
  it('encodes 7E 01 <u16le len> payload 7E with no escaping', () => {
    expect(bytesToHex(encodeLengthFrame(hex('7e7d00')))).toBe('7e0103007e7d007e');
  });
  it('decodes split and merged frames whose payload holds 7E', () => {
    const d = new DiagFrameDecoder('length');
    expect(payloads(d, '7e01', '03', '00 7e 7d', '00 7e 7e 01 01 00 00 7e')).toEqual(['7e7d00', '00']);
  });
  it('reports a missing end flag and a bad version byte', () => {
    const d = new DiagFrameDecoder('length');
    expect(payloads(d, '7e01010000ff', '7e02', '7e0101002a7e')).toEqual([
      { error: 'NV_DIAG_BAD_FRAME' },
      { error: 'NV_DIAG_BAD_FRAME' },
      '2a',
    ]);
  });
});

function chunked(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const at = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let prev = 0;
  for (const c of [...at, bytes.length]) {
    out.push(bytes.subarray(prev, c));
    prev = c;
  }
  return out;
}

describe('property: any payload survives encode → chunked decode', () => {
  for (const framing of ['hdlc', 'length'] as const) {
    it(framing, () => {
      fc.assert(
        fc.property(
          fc.array(fc.uint8Array({ minLength: 1, maxLength: 300 }), { minLength: 1, maxLength: 5 }),
          fc.array(fc.nat(2000), { maxLength: 12 }),
          (list, cuts) => {
            const enc = framing === 'hdlc' ? encodeHdlcFrame : encodeLengthFrame;
            const stream = Uint8Array.from(list.flatMap((p) => [...enc(p)]));
            const d = new DiagFrameDecoder(framing);
            const got = chunked(stream, cuts).flatMap((c) => d.push(c));
            expect(got.map((f) => (f.ok ? bytesToHex(f.payload) : f.error.code))).toEqual(list.map(bytesToHex));
            expect(d.pending).toBe(0);
          },
        ),
        { numRuns: FUZZ_RUNS },
      );
    });
  }
  it('random bytes never throw and never yield a frame whose CRC fails', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (junk) => {
        for (const f of new DiagFrameDecoder().push(junk)) if (f.ok) expect(f.payload.length).toBeGreaterThan(0);
        new DiagFrameDecoder('length').push(junk);
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

describe.skipIf(!hasTool('python3'))('differential: an independent Python framer from the spec (needs python3)', () => {
  it('frames 200 random payloads byte-identically, and ours decodes its frames', () => {
    const list = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 200 }), { numRuns: 200, seed: 18 });
    const out = execFileSync('python3', [join(import.meta.dirname, '../scripts/hdlc_frames.py')], {
      input: list.map(bytesToHex).join('\n') + '\n',
      encoding: 'utf8',
    })
      .trim()
      .split('\n');
    expect(out).toEqual(list.map((p) => bytesToHex(encodeHdlcFrame(p))));
    const d = new DiagFrameDecoder();
    const got = d.push(hex(out.join('')));
    expect(got.map((f) => (f.ok ? bytesToHex(f.payload) : f.error.code))).toEqual(list.map(bytesToHex));
  });
});
