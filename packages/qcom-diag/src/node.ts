/**
 * `@nv/qcom-diag/node`: transports to a real modem. TCP (diag-router `-s`, an adb-forwarded bridge) in plain Node;
 * serial ports through the optional `serialport` package, loaded on first use.
 * @module
 */
import { connect, type Socket } from 'node:net';
import { NvError } from '@nv/core';
import { ChunkQueue, DiagClient, type DiagClientOptions, type DiagTransport } from './client.ts';

/**
 * Parses `host:port` (`[v6]:port` too); only the port is required to be valid.
 * @throws NvError `NV_USAGE`
 */
export function parseHostPort(text: string): { host: string; port: number } {
  const m = /^(?:\[([^\]]+)\]|([^:]*)):(\d{1,5})$/.exec(text);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535)
    throw new NvError('NV_USAGE', `--tcp ${JSON.stringify(text)} is not host:port (e.g. 127.0.0.1:2500)`);
  return { host: m[1] ?? (m[2] || '127.0.0.1'), port };
}

function socketTransport(socket: Socket, label: string): DiagTransport {
  const queue = new ChunkQueue();
  socket.on('data', (d: Uint8Array) => queue.push(new Uint8Array(d)));
  socket.on('close', () => queue.end(new NvError('NV_DIAG_TRANSPORT', `${label}: the connection closed`)));
  socket.on('error', (e) => queue.end(new NvError('NV_DIAG_TRANSPORT', `${label}: ${e.message}`, { cause: e })));
  return {
    write: (bytes, timeoutMs) =>
      new Promise((resolve, reject) => {
        if (socket.destroyed) return reject(new NvError('NV_DIAG_TRANSPORT', `${label}: the connection is closed`));
        const timer = setTimeout(
          () => reject(new NvError('NV_DIAG_TIMEOUT', `${label}: write not drained within ${timeoutMs} ms`)),
          timeoutMs,
        );
        socket.write(bytes, (err) => {
          clearTimeout(timer);
          if (err) reject(new NvError('NV_DIAG_TRANSPORT', `${label}: ${err.message}`, { cause: err }));
          else resolve();
        });
      }),
    read: (timeoutMs) => queue.read(timeoutMs),
    close: () =>
      new Promise((resolve) => {
        if (socket.destroyed) return resolve();
        socket.once('close', () => resolve());
        socket.end();
        setTimeout(() => socket.destroy(), 200).unref();
      }),
  };
}

/**
 * Connects to a DIAG byte stream over TCP.
 * @throws NvError `NV_DIAG_TRANSPORT` (refused), `NV_DIAG_TIMEOUT`
 * @example const t = await connectTcp('127.0.0.1:2500');
 */
export function connectTcp(address: string, options: { timeoutMs?: number } = {}): Promise<DiagTransport> {
  const { host, port } = parseHostPort(address);
  const timeoutMs = options.timeoutMs ?? 5000;
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    socket.setNoDelay(true);
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new NvError('NV_DIAG_TIMEOUT', `no TCP connection to ${address} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once('error', (e) => {
      clearTimeout(timer);
      reject(new NvError('NV_DIAG_TRANSPORT', `cannot connect to ${address}: ${e.message}`, { cause: e }));
    });
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socketTransport(socket, `tcp ${address}`));
    });
  });
}

interface SerialPortLike {
  on(event: 'data', cb: (d: Uint8Array) => void): void;
  on(event: 'close' | 'error', cb: (e?: Error) => void): void;
  write(b: Uint8Array, cb: (e?: Error | null) => void): boolean;
  close(cb: (e?: Error | null) => void): void;
  isOpen: boolean;
}

/** How `serialport` is loaded (replaceable in tests). */
export type SerialLoader = () => Promise<{
  SerialPort: new (
    options: { path: string; baudRate: number; autoOpen?: boolean },
    cb?: (e?: Error | null) => void,
  ) => SerialPortLike;
}>;

const defaultSerialLoader: SerialLoader = async () => {
  const name = 'serialport';
  return (await import(/* @vite-ignore */ name)) as Awaited<ReturnType<SerialLoader>>;
};

/**
 * Opens a serial DIAG port (`/dev/ttyUSB0`, `COM5`) in raw mode through the optional `serialport` package.
 * @throws NvError `NV_DIAG_NO_SERIAL` (package absent), `NV_DIAG_TRANSPORT`
 * @example const t = await openSerial('/dev/ttyUSB0');
 */
export async function openSerial(
  path: string,
  options: { baudRate?: number; timeoutMs?: number; load?: SerialLoader } = {},
): Promise<DiagTransport> {
  let mod: Awaited<ReturnType<SerialLoader>>;
  try {
    mod = await (options.load ?? defaultSerialLoader)();
  } catch (cause) {
    throw new NvError(
      'NV_DIAG_NO_SERIAL',
      'serial ports need the optional package "serialport": run `npm install serialport` next to the toolkit (or `npm install -g serialport` for a global nv), or use --tcp',
      { cause },
    );
  }
  const label = `serial ${path}`;
  const port = await new Promise<SerialPortLike>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new NvError('NV_DIAG_TIMEOUT', `${label}: not open within ${options.timeoutMs ?? 5000} ms`)),
      options.timeoutMs ?? 5000,
    );
    const p = new mod.SerialPort({ path, baudRate: options.baudRate ?? 115200 }, (err) => {
      clearTimeout(timer);
      if (err) reject(new NvError('NV_DIAG_TRANSPORT', `cannot open ${path}: ${err.message}`, { path, cause: err }));
      else resolve(p);
    });
  });
  const queue = new ChunkQueue();
  port.on('data', (d) => queue.push(new Uint8Array(d)));
  port.on('close', () => queue.end(new NvError('NV_DIAG_TRANSPORT', `${label}: the port closed`)));
  port.on('error', (e) => queue.end(new NvError('NV_DIAG_TRANSPORT', `${label}: ${e?.message ?? 'error'}`)));
  return {
    write: (bytes, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new NvError('NV_DIAG_TIMEOUT', `${label}: write not done within ${timeoutMs} ms`)),
          timeoutMs,
        );
        port.write(bytes, (err) => {
          clearTimeout(timer);
          if (err) reject(new NvError('NV_DIAG_TRANSPORT', `${label}: ${err.message}`, { cause: err }));
          else resolve();
        });
      }),
    read: (t) => queue.read(t),
    close: () => new Promise((resolve) => (port.isOpen ? port.close(() => resolve()) : resolve())),
  };
}

/**
 * Opens the transport the command line names (`--tcp host:port` or `--port <tty>`) and wraps it in a client.
 * @throws NvError `NV_USAGE` (neither or both), and the transport codes
 */
export async function openDiagClient(
  target: { tcp?: string | undefined; port?: string | undefined },
  options: DiagClientOptions = {},
): Promise<DiagClient> {
  if ((target.tcp === undefined) === (target.port === undefined))
    throw new NvError('NV_USAGE', 'give exactly one of --tcp <host:port> or --port <tty>');
  const timeoutMs = options.timeoutMs ?? 5000;
  const transport =
    target.tcp !== undefined
      ? await connectTcp(target.tcp, { timeoutMs })
      : await openSerial(target.port as string, { timeoutMs });
  return new DiagClient(transport, options);
}
