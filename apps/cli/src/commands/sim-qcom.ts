import { Option } from '@commander-js/extra-typings';
import type { CommandRegistrar } from './registry.ts';
import { commandGroup, withExample } from './registry.ts';
import { integerArg } from '../options.ts';

/** `nv sim qcom …`: the simulated Qualcomm device of `@nv/device-sim`. */
export const registerSimQcom: CommandRegistrar = (program, context) => {
  const sim = commandGroup(
    program,
    'sim',
    'Simulated devices: prove a flow keeps every NV item',
    'nv sim qcom mcfg --mbn mcfg_sw.mbn --iccid 8901260123456789012',
  );
  const qcom = withExample(
    sim.command('qcom').description('simulated Qualcomm modem: FSG first boot, key fusing, MCFG selection'),
    'nv sim qcom mcfg --mbn tmo.mbn --mbn att.mbn --iccid 8901410123456789012',
  );
  withExample(
    qcom
      .command('boot')
      .description(
        'first boot of a simulated modem: which copy it uses, whether the golden copy verifies, what NV/EFS it restores',
      )
      .option('--fsg <img>', 'fsg partition image (.img = 512-byte sector + signed .mbn, or a whole fsg dump)')
      .option(
        '--modemst1 <file>',
        'modemst1 partition image (a simulator copy from --state; real device dumps are not sane here)',
      )
      .option('--modemst2 <file>', 'modemst2 partition image')
      .requiredOption('--root-hash <hex>', 'FS_SIGNED_IMG_ROOT_HASH of the modem build (64 hex digits)')
      .requiredOption(
        '--hw-id <id>',
        'FS_SIGNED_IMG_MSM_HW_ID: 0x and all 16 hex digits (msm_part<<32 | oem<<16 | model)',
      )
      .requiredOption('--sw-id <id>', 'FS_SIGNED_IMG_SOFTWARE_ID (decimal or 0x hex, 64-bit)')
      .option('--fused', 'secure-boot fuses blown (fused root/HW_ID = --root-hash/--hw-id unless given below)')
      .option('--fuse-root-hash <hex>', 'fused root hash (implies --fused)')
      .option('--fuse-hw-id <id>', 'fused HW_ID (implies --fused)')
      .option('--online', 'boot online: the modem writes runtime state (policyman) into EFS')
      .addOption(
        new Option(
          '--golden-ram-size <n>',
          'GOLDEN_RAM_SIZE from efs_image_meta.bin (size check, §4 step 17)',
        ).argParser(integerArg('--golden-ram-size', { min: 1024 })),
      )
      .option('--allow-dummy-key', 'modem built with FEATURE_FS_TAR_ALLOW_DUMMY_KEY')
      .option('--seed <text>', 'device-unique seed (EFS key); default nv-sim')
      .option('--state <dir>', 'load the simulated device from this folder (if present) and save it back'),
    'nv sim qcom boot --fsg fs_image.tar.gz.mbn.img --root-hash a16984e397f7a16a5649597cb07811e30aa2fb1ba951c38ca46053f4a574dd7f --hw-id 0x009600E100000000 --sw-id 0',
    'nv sim qcom boot --fsg fs.img --root-hash $(cat root.sha256) --hw-id 0x009600E100000000 --sw-id 0x1B --state ./phone --json',
  ).action(async (opts) => {
    const { simQcomBoot } = await import('../actions/sim-qcom.ts');
    await simQcomBoot(context(), opts);
  });

  withExample(
    qcom
      .command('mcfg')
      .description(
        'load MCFG MBNs over PDC, insert a SIM and show which config autoselect picks and what the modem writes',
      )
      .option('--mbn <files...>', 'MCFG MBNs loaded in this order (repeatable)')
      .requiredOption('--iccid <id>', 'ICCID of the inserted SIM (18–22 digits)')
      .option('--plmn <mcc-mnc>', 'IMSI PLMN of the SIM, e.g. 310-410')
      .addOption(
        new Option('--slot <n>', 'SIM slot 0 or 1').argParser(integerArg('--slot', { min: 0, max: 1 })).default(0),
      )
      .addOption(
        new Option(
          '--autoselect <value>',
          'mcfg_autoselect_by_uim value (default 0x81 on a new device: ICCID + refresh)',
        ).argParser(integerArg('--autoselect', { min: 0, max: 255 })),
      )
      .addOption(
        new Option('--family <AA>', 'MCFG family byte the modem accepts (5 = JO)')
          .argParser(integerArg('--family', { min: 0, max: 255 }))
          .default(5),
      )
      .addOption(
        new Option('--format <n>', 'MCFG header format the modem accepts')
          .argParser(integerArg('--format', { min: 3, max: 4 }))
          .default(3),
      )
      .option('--state <dir>', 'load the simulated device from this folder (if present) and save it back'),
    'nv sim qcom mcfg --mbn tmo.mbn att.mbn --iccid 8901410123456789012',
    'nv sim qcom mcfg --mbn mcfg_sw.mbn --iccid 8944000000000000000 --plmn 234-15 --state ./phone --json',
  ).action(async (opts) => {
    const { simQcomMcfg } = await import('../actions/sim-qcom.ts');
    await simQcomMcfg(context(), opts);
  });
};
