import { describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import { EventEmitter } from 'node:events';
import { bytesToHex } from '@nv/core/bytes';
import { DiagClient, DiagDevice } from '../src/index.ts';
import { DiagFrameDecoder, encodeHdlcFrame } from '../src/framing.ts';
import { encodeNvPacket, decodeNvPacket } from '../src/commands.ts';
import { connectTcp, openDiagClient, openSerial, parseHostPort, type SerialLoader } from '../src/node.ts';
import { nvErrorCode, nvErrorCodeAsync } from '../../../scripts/test-tools.ts';

describe('parseHostPort', () => {
  it('reads host:port and [v6]:port, refuses the rest', () => {
    expect(parseHostPort('127.0.0.1:2500')).toEqual({ host: '127.0.0.1', port: 2500 });
    expect(parseHostPort('[::1]:0')).toEqual({ host: '::1', port: 0 });
    expect(parseHostPort(':2500')).toEqual({ host: '127.0.0.1', port: 2500 });
    for (const bad of ['2500', 'localhost', 'host:99999', 'a:b'])
      expect(
        nvErrorCode(() => parseHostPort(bad)),
        bad,
      ).toBe('NV_USAGE');
  });
});

describe('TCP transport (127.0.0.1 only)', () => {
  it('a refused connection is NV_DIAG_TRANSPORT', async () => {
    // Take a free port, then close it so nothing listens there.
    const srv = createServer();
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    await new Promise<void>((r) => srv.close(() => r()));
    expect(await nvErrorCodeAsync(connectTcp(`127.0.0.1:${port}`, { timeoutMs: 2000 }))).toBe('NV_DIAG_TRANSPORT');
  });

  it('talks to a byte-echo modem across split TCP writes, and times out on silence', async () => {
    const srv = createServer((s) => {
      const dec = new DiagFrameDecoder();
      s.on('data', (d: Uint8Array) => {
        for (const f of dec.push(new Uint8Array(d))) {
          if (!f.ok) continue;
          const p = decodeNvPacket(f.payload)!;
          if (p.id === 99) continue; // silent
          const frame = encodeHdlcFrame(encodeNvPacket({ ...p, data: Uint8Array.of(0x7e, 0x7d), status: 0 }));
          s.write(frame.subarray(0, 10));
          setTimeout(() => s.write(frame.subarray(10)), 20);
        }
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
    const port = (srv.address() as { port: number }).port;
    try {
      const client = await openDiagClient({ tcp: `127.0.0.1:${port}` }, { timeoutMs: 300 });
      const dev = new DiagDevice(client);
      expect(bytesToHex((await dev.nvRead(5)).data.subarray(0, 2))).toBe('7e7d');
      expect(await nvErrorCodeAsync(dev.nvRead(99))).toBe('NV_DIAG_TIMEOUT');
      await client.close();
      expect(await nvErrorCodeAsync(client.request(Uint8Array.of(0)))).toBe('NV_DIAG_TRANSPORT');
    } finally {
      await new Promise<void>((r) => srv.close(() => r()));
    }
  });

  it('openDiagClient wants exactly one of --tcp and --port', async () => {
    expect(await nvErrorCodeAsync(openDiagClient({}))).toBe('NV_USAGE');
    expect(await nvErrorCodeAsync(openDiagClient({ tcp: '127.0.0.1:1', port: '/dev/null' }))).toBe('NV_USAGE');
  });
});

describe('serial transport (optional serialport package)', () => {
  it('without the package: NV_DIAG_NO_SERIAL with the install hint', async () => {
    const missing: SerialLoader = () => Promise.reject(new Error("Cannot find package 'serialport'"));
    const e = (await openSerial('/dev/ttyUSB0', { load: missing }).then(
      () => ({ code: 'none', message: '' }),
      (x: unknown) => x as Error & { code: string },
    )) as { code: string; message: string };
    expect(e.code).toBe('NV_DIAG_NO_SERIAL');
    expect(e.message).toContain('npm install serialport');
  });

  it('with a package of the serialport shape: frames go out and answers come back', async () => {
    class FakePort extends EventEmitter {
      isOpen = true;
      constructor(_o: { path: string; baudRate: number }, cb?: (e?: Error | null) => void) {
        super();
        setTimeout(() => cb?.(null), 1);
      }
      write(b: Uint8Array, cb: (e?: Error | null) => void): boolean {
        const f = new DiagFrameDecoder().push(b)[0]!;
        if (f.ok) setTimeout(() => this.emit('data', encodeHdlcFrame(Uint8Array.of(...f.payload))), 1);
        cb(null);
        return true;
      }
      close(cb: (e?: Error | null) => void): void {
        this.isOpen = false;
        this.emit('close');
        cb(null);
      }
    }
    const load = (() => Promise.resolve({ SerialPort: FakePort })) as unknown as SerialLoader;
    const t = await openSerial('/dev/ttyFAKE', { load });
    const client = new DiagClient(t, { timeoutMs: 500 });
    expect(bytesToHex(await client.request(Uint8Array.of(0x4b, 0x13, 0, 0)))).toBe('4b130000');
    await client.close();
  });
});
