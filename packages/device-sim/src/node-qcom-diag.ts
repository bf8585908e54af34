/**
 * The simulated modem's DIAG face on a TCP port (127.0.0.1 by default): one {@link QcomDiagFace} per connection
 * over the same device. A pseudo-terminal is not offered: Node cannot open one without a native module (bridge with
 * `socat PTY,link=/tmp/diag,raw TCP:127.0.0.1:<port>` where a tty is needed).
 * @module
 */
import { createServer, type Server, type Socket } from 'node:net';
import { NvError } from '@nv/core';
import { QcomDiagFace, type QcomDiagFaceOptions } from './qcom-diag-face.ts';
import type { QcomDevice } from './qcom-device.ts';

/** A running DIAG server. */
export interface QcomDiagServer {
  /** `host:port` it listens on (the real port when 0 was asked). */
  readonly address: string;
  readonly host: string;
  readonly port: number;
  /** Faces of the connections so far (tests read their counters). */
  readonly faces: readonly QcomDiagFace[];
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/**
 * Serves the DIAG face of a booted simulated modem on TCP.
 * @throws NvError `NV_SIM_QCOM_NOT_BOOTED`, `NV_IO` (address in use, not allowed)
 * @example const server = await serveQcomDiag(dev, { host: '127.0.0.1', port: 0 }); console.log(server.address)
 */
export async function serveQcomDiag(
  device: QcomDevice,
  options: QcomDiagFaceOptions & { host?: string; port?: number } = {},
): Promise<QcomDiagServer> {
  // Fail now, not at the first connection, when the modem has not booted.
  new QcomDiagFace(device, options);
  const sockets = new Set<Socket>();
  const faces: QcomDiagFace[] = [];
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const face = new QcomDiagFace(device, options);
    faces.push(face);
    socket.on('data', (d: Uint8Array) => {
      for (const chunk of face.receive(new Uint8Array(d))) socket.write(chunk);
    });
    socket.on('close', () => {
      face.reset();
      sockets.delete(socket);
    });
    socket.on('error', () => socket.destroy());
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e) =>
      reject(new NvError('NV_IO', `cannot listen on ${host}:${options.port ?? 0}: ${e.message}`, { cause: e })),
    );
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : (options.port ?? 0);
  const shown = host.includes(':') ? `[${host}]` : host;
  return {
    address: `${shown}:${port}`,
    host,
    port,
    faces,
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
