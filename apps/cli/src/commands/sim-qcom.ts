import { Option } from '@commander-js/extra-typings';
import type { CommandRegistrar } from './registry.ts';
import { commandGroup, withExample } from './registry.ts';
import { integerArg } from '../options.ts';

/** `nv sim qcom …`: the simulated Qualcomm device of `@nv/device-sim`. */
export const registerSimQcom: CommandRegistrar = (program, context) => {
  const sim = commandGroup(program, 'sim', 'Simulated devices: prove a flow keeps every NV item', 'nv sim qcom mcfg --mbn mcfg_sw.mbn --iccid 8901260123456789012');
  const qcom = withExample(
    sim.command('qcom').description('simulated Qualcomm modem: FSG first boot, key fusing, MCFG selection'),
    'nv sim qcom mcfg --mbn tmo.mbn --mbn att.mbn --iccid 8901410123456789012',
  );
  withExample(
    qcom
      .command('mcfg')
      .description('load MCFG MBNs over PDC, insert a SIM and show which config autoselect picks and what the modem writes')
      .option('--mbn <files...>', 'MCFG MBNs loaded in this order (repeatable)')
      .requiredOption('--iccid <id>', 'ICCID of the inserted SIM (18–22 digits)')
      .option('--plmn <mcc-mnc>', 'IMSI PLMN of the SIM, e.g. 310-410')
      .addOption(new Option('--slot <n>', 'SIM slot 0 or 1').argParser(integerArg('--slot', { min: 0, max: 1 })).default(0))
      .addOption(new Option('--autoselect <value>', 'mcfg_autoselect_by_uim value (default 0x81 on a new device: ICCID + refresh)').argParser(integerArg('--autoselect', { min: 0, max: 255 })))
      .addOption(new Option('--family <AA>', 'MCFG family byte the modem accepts (5 = JO)').argParser(integerArg('--family', { min: 0, max: 255 })).default(5))
      .addOption(new Option('--format <n>', 'MCFG header format the modem accepts').argParser(integerArg('--format', { min: 3, max: 4 })).default(3))
      .option('--state <dir>', 'load the simulated device from this folder (if present) and save it back'),
    'nv sim qcom mcfg --mbn tmo.mbn att.mbn --iccid 8901410123456789012',
    'nv sim qcom mcfg --mbn mcfg_sw.mbn --iccid 8944000000000000000 --plmn 234-15 --state ./phone --json',
  ).action(async (opts) => {
    const { simQcomMcfg } = await import('../actions/sim-qcom.ts');
    await simQcomMcfg(context(), opts);
  });
};
