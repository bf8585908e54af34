import { dumpMtkDevice, loadMtkDevice } from '@nv/device-sim/mtk/node';
import { formatTable, type CliContext } from '../context.ts';

/** `nv sim mtk dump` */
export async function simMtkDump(
  ctx: CliContext,
  flags: { state: string; output: string; force?: boolean },
): Promise<void> {
  const device = await loadMtkDevice(ctx.resolvePath(flags.state));
  const { files } = await dumpMtkDevice(device, ctx.resolvePath(flags.output), { force: flags.force === true });
  ctx.result(
    { state: flags.state, output: flags.output, firmware: device.firmware, files },
    () =>
      formatTable(
        files.map((f) => [f.name, String(f.size)]),
        ['image', 'bytes'],
      ) + `partitions of ${device.firmware} dumped into ${flags.output}\n`,
  );
}
