import { NvError } from '@nv/core';
import { parseInteger } from '@nv/core/numbers';
import {
  hasQcomDevice,
  loadQcomDevice,
  nodeQcomFormats,
  saveQcomDevice,
  serveQcomDiag,
} from '@nv/device-sim/qcom/node';
import { bootQcom, createQcomDevice, type QcomDevice } from '@nv/device-sim/qcom';
import { parseHostPort } from '@nv/qcom-diag/node';
import type { CliContext } from '../context.ts';
import { usage } from '../options.ts';

/** Flags of `nv sim qcom diag-serve`. */
export interface SimQcomDiagServeFlags {
  state: string;
  tcp: string;
  pty?: boolean;
  splitFrames?: number;
  logPackets?: number;
  badCrcEvery?: number;
  readOnly?: string;
  efsSubsystem?: string;
  idleExit?: number;
}

/**
 * `nv sim qcom diag-serve`: boots the simulated modem from `--state` (an empty one when the folder has none),
 * serves DIAG on TCP, prints the address as the first stdout line, saves the state after changes and on exit.
 */
export async function simQcomDiagServe(ctx: CliContext, flags: SimQcomDiagServeFlags): Promise<void> {
  if (flags.pty === true)
    usage(
      '--pty is not available: Node cannot open a pseudo-terminal without a native module; serve on --tcp and bridge with socat PTY,link=/tmp/diag,raw TCP:127.0.0.1:<port>',
    );
  const { host, port } = parseHostPort(flags.tcp);
  const readOnlyIds =
    flags.readOnly === undefined
      ? []
      : flags.readOnly.split(',').map((s) => parseInteger(s.trim(), { what: '--read-only', min: 0, max: 65535 }));
  const efsSubsystems =
    flags.efsSubsystem === undefined
      ? undefined
      : [parseInteger(flags.efsSubsystem, { what: '--efs-subsystem', min: 0, max: 255 })];
  const dir = ctx.resolvePath(flags.state);
  const formats = nodeQcomFormats();
  let dev: QcomDevice;
  if (await hasQcomDevice(dir)) dev = await loadQcomDevice(dir, formats);
  else {
    dev = createQcomDevice({
      trust: { rootHash: '0'.repeat(64), hwId: 0n, swId: 0n },
      formats,
      partitionSize: 1024 * 1024,
    });
    ctx.note(`no simulated device in ${dir}: serving a new, empty one`);
  }
  bootQcom(dev);
  let saving: Promise<void> = Promise.resolve();
  let lastActivity = Date.now();
  let dirty = false;
  const save = (): Promise<void> => {
    dirty = false;
    saving = saving.then(() => saveQcomDevice(dev, dir));
    return saving;
  };
  await save();
  const server = await serveQcomDiag(dev, {
    host,
    port,
    faults: {
      ...(flags.splitFrames !== undefined ? { splitFrames: flags.splitFrames } : {}),
      ...(flags.logPackets !== undefined ? { logPackets: flags.logPackets } : {}),
      ...(flags.badCrcEvery !== undefined ? { badCrcEvery: flags.badCrcEvery } : {}),
    },
    readOnlyIds,
    ...(efsSubsystems ? { efsSubsystems } : {}),
    onActivity: () => {
      lastActivity = Date.now();
    },
    onChange: () => {
      if (!dirty) {
        dirty = true;
        setTimeout(() => void save(), 100);
      }
    },
  });
  // The first stdout line, compact, so a script can read it before the server stops (cli.md).
  ctx.io.stdout.write(`${ctx.json ? JSON.stringify({ tcp: server.address }) : server.address}\n`);
  ctx.note(`serving the simulated modem's DIAG face on ${server.address}; Ctrl-C to stop`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.removeListener('SIGINT', stop);
      process.removeListener('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    if (flags.idleExit !== undefined) {
      const idleMs = flags.idleExit * 1000;
      const timer = setInterval(
        () => {
          if (Date.now() - lastActivity >= idleMs) {
            clearInterval(timer);
            ctx.note(`no request for ${flags.idleExit} s: stopping`);
            stop();
          }
        },
        Math.min(500, idleMs),
      );
      process.once('SIGINT', () => clearInterval(timer));
      process.once('SIGTERM', () => clearInterval(timer));
    }
  });
  await server.close();
  await save();
  await saving.catch((e: unknown) => {
    throw NvError.isInstance(e) ? e : new NvError('NV_IO', `cannot save the state to ${dir}`, { cause: e });
  });
}
