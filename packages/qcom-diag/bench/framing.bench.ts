/**
 * Framing throughput: encode + streaming decode of 1 MiB of DIAG payloads (64 × 16 KiB, random bytes so ~1 % need
 * escaping, read back in 4 KiB chunks) against a reference measured in the same run: a straightforward framer and
 * deframer written from the spec with plain arrays and a bitwise CRC (what a first implementation looks like).
 */
import { bench, describe } from 'vitest';
import { randomBytes } from 'node:crypto';
import { DiagFrameDecoder, encodeHdlcFrame } from '../src/framing.ts';
import { printRatio } from '../../../scripts/bench-ratio.ts';

const payloads = Array.from({ length: 64 }, () => new Uint8Array(randomBytes(16 * 1024)));

function ours(): number {
  const frames = payloads.map(encodeHdlcFrame);
  const stream = new Uint8Array(frames.reduce((n, f) => n + f.length, 0));
  let at = 0;
  for (const f of frames) {
    stream.set(f, at);
    at += f.length;
  }
  const d = new DiagFrameDecoder();
  let n = 0;
  for (let i = 0; i < stream.length; i += 4096) n += d.push(stream.subarray(i, i + 4096)).length;
  return n;
}

function crcBitwise(data: ArrayLike<number>, len = data.length): number {
  let crc = 0xffff;
  for (let i = 0; i < len; i++) {
    crc ^= data[i] as number;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x8408 : crc >>> 1;
  }
  return crc ^ 0xffff;
}

function reference(): number {
  const stream: number[] = [];
  for (const p of payloads) {
    const crc = crcBitwise(p);
    for (const b of [...p, crc & 0xff, crc >>> 8]) {
      if (b === 0x7e || b === 0x7d) stream.push(0x7d, b ^ 0x20);
      else stream.push(b);
    }
    stream.push(0x7e);
  }
  let frame: number[] = [];
  let esc = false;
  let n = 0;
  for (let i = 0; i < stream.length; i += 4096) {
    for (const b of stream.slice(i, i + 4096)) {
      if (b === 0x7e) {
        if (frame.length >= 3 && crcBitwise(frame, frame.length - 2) === (frame.at(-2)! | (frame.at(-1)! << 8))) n++;
        frame = [];
      } else if (esc) {
        frame.push(b ^ 0x20);
        esc = false;
      } else if (b === 0x7d) esc = true;
      else frame.push(b);
    }
  }
  return n;
}

if (ours() !== 64 || reference() !== 64) throw new Error('bench setup: both must decode 64 frames');

describe('HDLC framing, 1 MiB', () => {
  bench('ours: encodeHdlcFrame + DiagFrameDecoder', () => {
    ours();
  });
  bench('reference: plain-array framer, bitwise CRC', () => {
    reference();
  });
  bench(
    'ratio line',
    async () => {
      await printRatio('HDLC encode+decode', '1 MiB', ours, reference, 3);
    },
    { iterations: 1 },
  );
});
