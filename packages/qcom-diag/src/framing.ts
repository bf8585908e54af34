/**
 * DIAG framing (docs/formats/diag.md#framing): HDLC-like frames (escape(payload ‖ crc16le) ‖ 7E) and the length-prefixed mode of
 * diag-router after "HDLC disable" (7E 01 <u16le len> payload 7E). The decoder is streaming: feed it reads of any
 * size (split or merged frames) and it hands back whole frames, good or bad.
 * @module
 */
import { NvError } from '@nv/core';
import { CRC16_X25_RESIDUE, crc16X25 } from './crc.ts';

/** Frame delimiter. */
export const HDLC_FLAG = 0x7e;
/** Escape byte: the next byte is XOR 0x20. */
export const HDLC_ESCAPE = 0x7d;
/** Largest payload either framing carries by default (the length-prefixed header is a u16). */
export const MAX_DIAG_PAYLOAD = 0xffff;

/** Which framing a link uses. */
export type DiagFraming = 'hdlc' | 'length';

/**
 * One HDLC frame: escape(payload ‖ crc16le(payload)) ‖ 7E.
 * @example encodeHdlcFrame(Uint8Array.of(0)) // 00 78 F0 7E
 */
export function encodeHdlcFrame(payload: Uint8Array): Uint8Array {
  const crc = crc16X25(payload);
  const out = new Uint8Array(payload.length * 2 + 5);
  let n = 0;
  const put = (b: number): void => {
    if (b === HDLC_FLAG || b === HDLC_ESCAPE) {
      out[n++] = HDLC_ESCAPE;
      out[n++] = b ^ 0x20;
    } else out[n++] = b;
  };
  for (let i = 0; i < payload.length; i++) put(payload[i] as number);
  put(crc & 0xff);
  put(crc >>> 8);
  out[n++] = HDLC_FLAG;
  return out.slice(0, n);
}

/**
 * One length-prefixed frame: 7E 01 <u16le len> payload 7E (no escaping, no CRC).
 * @throws {RangeError} when the payload is over 65535 bytes
 * @example encodeLengthFrame(Uint8Array.of(0)) // 7E 01 01 00 00 7E
 */
export function encodeLengthFrame(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_DIAG_PAYLOAD) throw new RangeError(`payload of ${payload.length} bytes is over 65535`);
  const out = new Uint8Array(payload.length + 5);
  out[0] = HDLC_FLAG;
  out[1] = 1;
  out[2] = payload.length & 0xff;
  out[3] = payload.length >>> 8;
  out.set(payload, 4);
  out[out.length - 1] = HDLC_FLAG;
  return out;
}

/**
 * A frame in the given framing.
 * @example encodeDiagFrame(Uint8Array.of(0x7c), 'hdlc')
 */
export function encodeDiagFrame(payload: Uint8Array, framing: DiagFraming = 'hdlc'): Uint8Array {
  return framing === 'hdlc' ? encodeHdlcFrame(payload) : encodeLengthFrame(payload);
}

/** A decoded frame: its payload, or why it is bad (the stream stays in sync: the next frame decodes normally). */
export type DecodedFrame =
  { readonly ok: true; readonly payload: Uint8Array } | { readonly ok: false; readonly error: NvError };

/**
 * Streaming frame decoder. `push` takes any chunk and returns every frame it completes; partial frames wait for
 * the next chunk. Empty HDLC frames (a leading or doubled 7E) are skipped.
 *
 * @example
 * const d = new DiagFrameDecoder();
 * d.push(Uint8Array.of(0x00, 0x78)); // []
 * d.push(Uint8Array.of(0xf0, 0x7e)); // [{ ok: true, payload: 00 }]
 */
export class DiagFrameDecoder {
  /** Framing of this stream. */
  readonly framing: DiagFraming;
  private readonly maxPayload: number;
  private buf: Uint8Array;
  private len = 0;
  private escaped = false;
  private badEscape = false;
  private overflow = false;
  /** Offset of the next byte in the whole stream (for error offsets). */
  private streamOffset = 0;
  private frameStart = 0;
  // length-prefixed state
  private want = -1;

  constructor(framing: DiagFraming = 'hdlc', options: { maxPayload?: number } = {}) {
    this.framing = framing;
    this.maxPayload = options.maxPayload ?? MAX_DIAG_PAYLOAD;
    this.buf = new Uint8Array(Math.min(4096, this.maxPayload + 8));
  }

  /** Bytes held for a frame not yet complete. */
  get pending(): number {
    return this.len;
  }

  /** Feeds one read; returns the frames it completes, in order. */
  push(chunk: Uint8Array): DecodedFrame[] {
    return this.framing === 'hdlc' ? this.pushHdlc(chunk) : this.pushLength(chunk);
  }

  private append(b: number): void {
    if (this.len >= this.maxPayload + 2) {
      this.overflow = true;
      return;
    }
    if (this.len === this.buf.length) {
      const next = new Uint8Array(Math.min(this.buf.length * 2, this.maxPayload + 8));
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.len++] = b;
  }

  private bad(message: string): DecodedFrame {
    return { ok: false, error: new NvError('NV_DIAG_BAD_FRAME', message, { offset: this.frameStart }) };
  }

  private pushHdlc(chunk: Uint8Array): DecodedFrame[] {
    const out: DecodedFrame[] = [];
    for (let i = 0; i < chunk.length; i++, this.streamOffset++) {
      const b = chunk[i] as number;
      if (b === HDLC_FLAG) {
        const frame = this.finishHdlc();
        if (frame !== undefined) out.push(frame);
        this.frameStart = this.streamOffset + 1;
        continue;
      }
      if (this.escaped) {
        this.escaped = false;
        const v = b ^ 0x20;
        if (v !== HDLC_FLAG && v !== HDLC_ESCAPE) this.badEscape = true;
        this.append(v);
      } else if (b === HDLC_ESCAPE) this.escaped = true;
      else this.append(b);
    }
    return out;
  }

  private finishHdlc(): DecodedFrame | undefined {
    const len = this.len;
    const escaped = this.escaped;
    const badEscape = this.badEscape;
    const overflow = this.overflow;
    this.len = 0;
    this.escaped = false;
    this.badEscape = false;
    this.overflow = false;
    if (len === 0 && !escaped) return undefined;
    if (overflow) return this.bad(`frame longer than ${this.maxPayload} bytes; dropped`);
    if (escaped) return this.bad('frame ends right after an escape byte 7D');
    if (badEscape) return this.bad('frame has an escape 7D not followed by 5E or 5D');
    if (len < 3) return this.bad(`frame of ${len} bytes is too short for its 2-byte CRC`);
    const body = this.buf.slice(0, len);
    if (crc16X25(body) !== CRC16_X25_RESIDUE) {
      const payload = body.subarray(0, len - 2);
      const got = (body[len - 2] as number) | ((body[len - 1] as number) << 8);
      return {
        ok: false,
        error: new NvError(
          'NV_DIAG_BAD_CRC',
          `frame CRC 0x${got.toString(16).padStart(4, '0')} does not match its ${payload.length}-byte payload (expected 0x${crc16X25(payload).toString(16).padStart(4, '0')})`,
          { offset: this.frameStart, data: { payloadHead: [...payload.subarray(0, 4)] } },
        ),
      };
    }
    return { ok: true, payload: body.subarray(0, len - 2) };
  }

  private pushLength(chunk: Uint8Array): DecodedFrame[] {
    const out: DecodedFrame[] = [];
    for (let i = 0; i < chunk.length; i++, this.streamOffset++) {
      const b = chunk[i] as number;
      // state: len counts header bytes read (0..3), then want = payload length, then payload, then the end flag.
      if (this.want < 0) {
        if (this.len === 0) {
          if (b === HDLC_FLAG) {
            this.frameStart = this.streamOffset;
            this.len = 1;
          }
          // anything else between frames is noise: skipped until a start flag.
          continue;
        }
        if (this.len === 1) {
          if (b === HDLC_FLAG) continue; // doubled flag: still at a frame start
          if (b !== 1) {
            out.push(this.bad(`length-prefixed frame has version byte 0x${b.toString(16)}, not 01`));
            this.len = 0;
            continue;
          }
          this.len = 2;
          continue;
        }
        if (this.len === 2) {
          this.buf[0] = b;
          this.len = 3;
          continue;
        }
        this.want = (this.buf[0] as number) | (b << 8);
        this.len = 0;
        if (this.want > this.maxPayload) {
          out.push(this.bad(`length-prefixed frame of ${this.want} bytes is over the ${this.maxPayload}-byte limit`));
          this.want = -1;
        }
        continue;
      }
      if (this.len < this.want) {
        this.append(b);
        continue;
      }
      // end flag
      const payload = this.buf.slice(0, this.want);
      this.want = -1;
      this.len = 0;
      if (b !== HDLC_FLAG) out.push(this.bad('length-prefixed frame is not followed by its end flag 7E'));
      else out.push({ ok: true, payload });
    }
    return out;
  }
}
