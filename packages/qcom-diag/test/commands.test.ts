import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import { DiagClient, DiagDevice, memoryTransport } from '../src/index.ts';
import { DiagFrameDecoder, encodeHdlcFrame } from '../src/framing.ts';
import {
  decodeBuildIdResponse,
  decodeNvPacket,
  decodeVersionResponse,
  encodeBuildIdResponse,
  encodeNvPacket,
  encodeSpcRequest,
  encodeVersionResponse,
  errorReplyFor,
} from '../src/commands.ts';
import { decodeEfs2Request, decodeEfs2Response, encodeEfs2Request, encodeEfs2Response } from '../src/efs2.ts';
import { FUZZ_RUNS, nvErrorCode, nvErrorCodeAsync } from '../../../scripts/test-tools.ts';

const hex = (s: string): Uint8Array => hexToBytes(s.replace(/\s+/g, ''));

describe('NV packets (qcom-diag.md §3)', () => {
  it('a plain NV read request is 133 bytes: 26 <u16 item> <128 data> <u16 status>', () => {
    const b = encodeNvPacket({ write: false, id: 0x1234, data: new Uint8Array(0), status: 0 });
    expect(b.length).toBe(133);
    expect(bytesToHex(b.subarray(0, 3))).toBe('263412');
    expect(b.subarray(3).every((x) => x === 0)).toBe(true);
  });
  it('an indexed NV write is 4B 30 02 00 <u16 item> <u16 index> <128 data> <u16 status>', () => {
    const b = encodeNvPacket({ write: true, id: 10, subscription: 1, data: hex('1f00'), status: 0 });
    expect(b.length).toBe(138);
    expect(bytesToHex(b.subarray(0, 10))).toBe('4b3002000a0001001f00');
    expect(decodeNvPacket(b)).toMatchObject({ write: true, id: 10, subscription: 1, status: 0 });
  });
  it('decodes a hand-built read response with status 5 (not active)', () => {
    const rsp = new Uint8Array(133);
    rsp.set(hex('26 0a 00 1f 00'));
    rsp[131] = 5;
    expect(decodeNvPacket(rsp)).toMatchObject({ id: 10, status: 5 });
    expect(nvErrorCode(() => decodeNvPacket(rsp.subarray(0, 100)))).toBe('NV_DIAG_BAD_RESPONSE');
  });
  it('refuses data over 128 bytes and ids over 65535', () => {
    expect(() => encodeNvPacket({ write: true, id: 1, data: new Uint8Array(129), status: 0 })).toThrow(RangeError);
    expect(() => encodeNvPacket({ write: true, id: 65536, data: new Uint8Array(1), status: 0 })).toThrow(RangeError);
  });
});

describe('version and build id', () => {
  it('decodes a hand-built 0x00 response', () => {
    const b = hex(
      '00' +
        bytesToHex(new TextEncoder().encode('Dec 07 2026')) +
        bytesToHex(new TextEncoder().encode('12:00:00')) +
        bytesToHex(new TextEncoder().encode('Nov 01 2026')) +
        bytesToHex(new TextEncoder().encode('08:30:00')) +
        bytesToHex(new TextEncoder().encode('MPSS.AT\0')) +
        '01 06 2a 3412 02 03 04',
    );
    expect(decodeVersionResponse(b)).toMatchObject({
      compileDate: 'Dec 07 2026',
      versionDir: 'MPSS.AT',
      mobileModel: 0x2a,
      firmwareRevision: 0x1234,
      hwMinor: 4,
    });
    expect(bytesToHex(encodeVersionResponse(decodeVersionResponse(b)))).toBe(bytesToHex(b));
  });
  it('decodes a hand-built 0x7C response', () => {
    const b = hex('7c 02 0000 e1000000 2a000000' + bytesToHex(new TextEncoder().encode('MPSS.1.0\0SIM-9607\0')));
    expect(decodeBuildIdResponse(b)).toEqual({
      version: 2,
      msmHwVersion: 0xe1,
      mobileModel: 0x2a,
      swRevision: 'MPSS.1.0',
      modelString: 'SIM-9607',
    });
    expect(bytesToHex(encodeBuildIdResponse(decodeBuildIdResponse(b)))).toBe(bytesToHex(b));
  });
});

describe('error replies', () => {
  it('maps 13/14/15/18/42/47 + the echoed request to codes', () => {
    const req = encodeSpcRequest('000000');
    expect(errorReplyFor(req, Uint8Array.of(0x13, ...req))?.code).toBe('NV_DIAG_BAD_COMMAND');
    expect(errorReplyFor(req, Uint8Array.of(0x14, ...req))?.code).toBe('NV_DIAG_BAD_PARAMETER');
    expect(errorReplyFor(req, Uint8Array.of(0x15, ...req))?.code).toBe('NV_DIAG_BAD_LENGTH');
    expect(errorReplyFor(req, Uint8Array.of(0x18, ...req))?.code).toBe('NV_DIAG_BAD_MODE');
    expect(errorReplyFor(req, Uint8Array.of(0x42, ...req))?.code).toBe('NV_DIAG_LOCKED');
    expect(errorReplyFor(req, Uint8Array.of(0x47, ...req))?.code).toBe('NV_DIAG_LOCKED');
    // an error reply echoing another request is not ours
    expect(errorReplyFor(req, hex('13 26 0a 00'))).toBeUndefined();
  });
});

describe('EFS2 layouts (qcom-diag.md §4)', () => {
  it('encodes STAT on 0x13 and OPEN on 0x3E byte for byte', () => {
    expect(bytesToHex(encodeEfs2Request(0x13, 'stat', { path: '/nv' }))).toBe('4b130f002f6e7600');
    expect(bytesToHex(encodeEfs2Request(0x3e, 'open', { oflag: 0x241, mode: 0o777, path: '/a' }))).toBe(
      '4b3e0200' + '41020000' + 'ff010000' + '2f6100',
    );
  });
  it('PUT carries data_len, pad, flags, i16 mode, data, path', () => {
    const b = encodeEfs2Request(0x13, 'put', {
      dataLength: 2,
      pad: 0,
      flags: 0x40,
      mode: 0o777,
      data: hex('0102'),
      path: '/x',
    });
    expect(bytesToHex(b)).toBe('4b132600' + '0200' + '0000' + '40000000' + 'ff01' + '0102' + '2f7800');
    expect(decodeEfs2Request(b)).toMatchObject({ subsystem: 0x13, cmd: 'put', fields: { dataLength: 2, path: '/x' } });
  });
  it('decodes a hand-built READDIR response and its end marker', () => {
    const b = hex('4b130c00 01000000 03000000 00000000 00000000 ffa10000 02000000 00000000 00000000 00000000 313000');
    expect(decodeEfs2Response('readdir', b)).toMatchObject({ seq: 3, mode: 0xa1ff, size: 2, name: '10' });
    expect(nvErrorCode(() => decodeEfs2Response('readdir', b.subarray(0, 12)))).toBe('NV_DIAG_BAD_RESPONSE');
  });
  it('property: every response layout round-trips', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.integer({ min: -5, max: 1 << 20 }), (data, n) => {
        const f = { fd: n, offset: 7, bytesRead: data.length, errno: 0, data };
        const back = decodeEfs2Response('read', encodeEfs2Response(0x13, 'read', f));
        expect(back).toEqual({ ...f, data });
      }),
      { numRuns: FUZZ_RUNS },
    );
  });
});

/** A tiny modem: answers version and NV read, interleaves a log packet, corrupts the first answer's CRC once. */
function tinyModem(opts: { badCrcOnce?: boolean; split?: boolean; logs?: number; silent?: boolean }) {
  let bad = opts.badCrcOnce === true;
  const dec = new DiagFrameDecoder();
  return memoryTransport((bytes) => {
    const out: Uint8Array[] = [];
    for (const f of dec.push(bytes)) {
      if (!f.ok || opts.silent === true) continue;
      const req = f.payload;
      let rsp: Uint8Array;
      if (req[0] === 0x26) {
        const p = decodeNvPacket(req)!;
        rsp = encodeNvPacket({
          ...p,
          data: p.id === 10 ? hex('1f00') : new Uint8Array(0),
          status: p.id === 10 ? 0 : 5,
        });
      } else rsp = Uint8Array.of(0x13, ...req);
      for (let i = 0; i < (opts.logs ?? 0); i++) out.push(encodeHdlcFrame(hex('10 00 12 00 7e 7d 00')));
      const frame = encodeHdlcFrame(rsp);
      if (bad) {
        bad = false;
        const broken = frame.slice();
        broken[5] = (broken[5] as number) ^ 1;
        out.push(broken);
        continue;
      }
      if (opts.split === true) for (let i = 0; i < frame.length; i += 7) out.push(frame.subarray(i, i + 7));
      else out.push(frame);
    }
    return opts.split === true || out.length < 2 ? out : [Uint8Array.from(out.flatMap((c) => [...c]))];
  });
}

describe('DiagClient', () => {
  it('skips interleaved log packets and reassembles split answers', async () => {
    const client = new DiagClient(tinyModem({ logs: 3, split: true }));
    const r = await new DiagDevice(client).nvRead(10);
    expect(bytesToHex(r.data.subarray(0, 2))).toBe('1f00');
    expect(client.stats.unsolicited).toBe(3);
  });
  it('resends once after a bad CRC and gets the answer', async () => {
    const client = new DiagClient(tinyModem({ badCrcOnce: true }), { resendAfterMs: 20 });
    expect((await new DiagDevice(client).nvRead(10)).status).toBe(0);
    expect(client.stats).toMatchObject({ badFrames: 1, resends: 1 });
  });
  it('gives up with NV_DIAG_BAD_CRC when the retry budget is spent', async () => {
    const dec = new DiagFrameDecoder();
    const t = memoryTransport((b) => dec.push(b).map(() => hex('26 00 00 7e')));
    const client = new DiagClient(t, { resendAfterMs: 5, crcRetries: 2, timeoutMs: 2000 });
    expect(await nvErrorCodeAsync(new DiagDevice(client).nvRead(1))).toBe('NV_DIAG_BAD_CRC');
    expect(client.stats.resends).toBe(2);
  });
  it('turns a "bad command" reply into NV_DIAG_BAD_COMMAND, and NV status into a name', async () => {
    const dev = new DiagDevice(new DiagClient(tinyModem({})));
    expect(await nvErrorCodeAsync(dev.version())).toBe('NV_DIAG_BAD_COMMAND');
    expect(await dev.nvRead(11)).toMatchObject({ status: 5, statusName: 'not active' });
  });
  it('times out with NV_DIAG_TIMEOUT when the modem is silent', async () => {
    const dev = new DiagDevice(new DiagClient(tinyModem({ silent: true }), { timeoutMs: 50 }));
    expect(await nvErrorCodeAsync(dev.nvRead(10))).toBe('NV_DIAG_TIMEOUT');
  });
  it('never sends a write to an identity item', async () => {
    let sent = 0;
    const dev = new DiagDevice(new DiagClient(memoryTransport(() => (sent++, []))));
    for (const id of [0, 550, 1943])
      expect(await nvErrorCodeAsync(dev.nvWrite(id, hex('01')))).toBe('NV_DIAG_IDENTITY_ITEM');
    expect(sent).toBe(0);
  });
});
