import { Option } from '@commander-js/extra-typings';
import type { CommandRegistrar } from './registry.ts';
import { commandGroup, withExample } from './registry.ts';
import { integerArg } from '../options.ts';

const MODES = ['format-all', 'firmware-upgrade', 'factory-reset', 'download-only', 'ota'] as const;
const GENERATIONS = ['moly-a', 'moly-b'] as const;
const KEY_HELP =
  'key of CONFIDENTIAL LIDs of the simulated device (hex; default 000102…0f): 16 bytes for moly-b (AES-128), an RC4 key or a 256-byte state for moly-a. A new device keeps it (printed by init, in device.json); for an existing state it must match';

/** `nv sim mtk …`: the simulated MediaTek device of `@nv/device-sim/mtk` (init, upgrade, boot, read, write). */
export const registerSimMtk: CommandRegistrar = (program, context) => {
  const sim = commandGroup(
    program,
    'sim',
    'Simulated devices: prove a flow keeps every NV item',
    'nv sim mtk upgrade --state dev --from old.json --to new.json --mode ota',
  );
  const mtk = withExample(
    sim
      .command('mtk')
      .description(
        'simulated MediaTek device: nvdata folders, protect_f/s, nvram bin region, boot-time checks, upgrades',
      ),
    'nv sim mtk init --ltable table.json --state dev',
  );
  const tableOptions = <T extends { addOption(o: Option): T }>(cmd: T): T =>
    cmd
      .addOption(new Option('--generation <gen>', 'generation of C tables (JSON tables carry it)').choices(GENERATIONS))
      .addOption(
        new Option('--storage <kind>', 'boot storage for the boot-time rewrites (new devices)')
          .choices(['emmc', 'nand'] as const)
          .default('emmc' as const),
      )
      .addOption(
        new Option('--seed <n>', 'seed of the unit data of a new device (decimal or 0x hex)')
          .argParser(integerArg('--seed', { min: 0, max: 0xffffffff }))
          .default(1),
      )
      .addOption(new Option('--key <hex>', KEY_HELP));

  withExample(
    tableOptions(
      mtk
        .command('init')
        .description(
          'create a device state folder from an LID table: every LID written, unit data personalized, bin region backed up',
        )
        .requiredOption('--ltable <table>', 'LID table (JSON, or C with --generation)')
        .requiredOption('--state <dir>', 'state folder to create')
        .option('--blank', 'leave LIDs at their defaults and the bin region blank (no factory step)')
        .option('--no-backup', 'write unit data but never trigger the bin-region backup (the bin region stays blank)')
        .option(
          '--images',
          'keep the partitions as image files (nvdata.img, protect1.img, protect2.img ext; nvram.bin bin region)',
        )
        .option('--force', 'replace an existing state folder'),
    ).action(async (opts) => {
      const { simMtkInit } = await import('../actions/sim-mtk.ts');
      await simMtkInit(context(), opts);
    }),
    'nv sim mtk init --ltable table.json --state dev',
    'nv sim mtk init --ltable nvram_ltable.c --generation moly-b --state dev --seed 7 --json',
    'nv sim mtk init --ltable table.json --state unbacked --no-backup',
    'nv sim mtk init --ltable table.json --state dev --key 3f06bd14d45fa985dd027410f0214d22',
    'nv sim mtk init --ltable table.json --state phone --images',
  );

  withExample(
    tableOptions(
      mtk
        .command('upgrade')
        .description(
          'flash the --to firmware in --mode, boot it, and report what happened to every LID (and whether the planner agrees); exit 1 when the modem asserts',
        )
        .requiredOption(
          '--state <dir>',
          'device state folder (created from --from when missing or empty; updated in place)',
        )
        .requiredOption('--from <old>', 'table of the firmware on the device')
        .requiredOption('--to <new>', 'table of the new firmware')
        .addOption(new Option('--mode <mode>', 'upgrade mode').choices(MODES).makeOptionMandatory())
        .option('--firmware <id>', 'build id of the new firmware (default: build-<n>)')
        .option('--fail-on-loss', 'exit 1 when any LID ends LOST (unit data replaced by a default), for CI')
        .option('--images', 'a state created here keeps its partitions as image files (as init --images)'),
    ).action(async (opts) => {
      const { simMtkUpgrade } = await import('../actions/sim-mtk.ts');
      await simMtkUpgrade(context(), opts);
    }),
    'nv sim mtk upgrade --state dev --from old.json --to new.json --mode firmware-upgrade',
    'nv sim mtk upgrade --state dev --from old.json --to new.json --mode ota --json',
    'nv sim mtk upgrade --state ci --from old.json --to new.json --mode firmware-upgrade --fail-on-loss',
  );

  withExample(
    mtk
      .command('boot')
      .description(
        'reboot the simulated device: AP bin-region restore, SYS check, version check, first read of every LID; exit 1 when the modem asserts',
      )
      .requiredOption('--state <dir>', 'device state folder')
      .option('--key <hex>', KEY_HELP)
      .action(async (opts) => {
        const { simMtkBoot } = await import('../actions/sim-mtk.ts');
        await simMtkBoot(context(), opts);
      }),
    'nv sim mtk boot --state dev',
  );

  withExample(
    mtk
      .command('dump')
      .description(
        'read the partitions back as a factory tool does: nvdata.img, protect1.img, protect2.img (ext) and nvram.bin (bin region) into a new folder',
      )
      .requiredOption('--state <dir>', 'device state folder')
      .requiredOption('-o, --output <dir>', 'folder to create with the images')
      .option('--force', 'replace an existing output folder')
      .action(async (opts) => {
        const { simMtkDump } = await import('../actions/sim-mtk-images.ts');
        await simMtkDump(context(), opts);
      }),
    'nv sim mtk dump --state dev -o dump',
    'nv sim mtk dump --state dev -o after --force --json',
  );

  withExample(
    mtk
      .command('read')
      .description("nvram_external_read_data: one record of a LID (1-based), with the modem's read-error recovery")
      .requiredOption('--state <dir>', 'device state folder')
      .requiredOption('--lid <name-or-number>', 'LID symbol or number')
      .requiredOption('--record <i>', 'record index, from 1', integerArg('--record', { min: 1, max: 0xffff }))
      .option('--secure', 'use nvram_external_secure_read_data (required for IMEI and SIM-lock LIDs)')
      .option('--key <hex>', KEY_HELP)
      .action(async (opts) => {
        const { simMtkRead } = await import('../actions/sim-mtk.ts');
        await simMtkRead(context(), opts);
      }),
    'nv sim mtk read --state dev --lid NVRAM_EF_SMS_SETTING_LID --record 1',
    'nv sim mtk read --state dev --lid NVRAM_EF_IMEI_IMEISV_LID --record 1 --secure',
  );

  withExample(
    mtk
      .command('write')
      .description(
        'nvram_external_write_data: write one record of a LID (both copies of MULTIPLE); refuses WRITEPROTECT LIDs outside --factory and IMEI/SIM-lock LIDs without --secure',
      )
      .requiredOption('--state <dir>', 'device state folder')
      .requiredOption('--lid <name-or-number>', 'LID symbol or number')
      .requiredOption('--record <i>', 'record index, from 1', integerArg('--record', { min: 1, max: 0xffff }))
      .requiredOption('--hex <bytes>', 'the record, hex (exactly the LID record size)')
      .option('--backup', 'trigger a bin-region backup afterwards (as the SN writer does)')
      .option('--secure', 'use nvram_external_secure_write_data (required for IMEI and SIM-lock LIDs)')
      .option('--factory', 'write in factory (META) mode, as the SN writer does: WRITEPROTECT does not apply')
      .option('--key <hex>', KEY_HELP)
      .action(async (opts) => {
        const { simMtkWrite } = await import('../actions/sim-mtk.ts');
        await simMtkWrite(context(), opts);
      }),
    'nv sim mtk write --state dev --lid NVRAM_EF_SMS_SETTING_LID --record 1 --hex 0102…',
    'nv sim mtk write --state dev --lid NVRAM_EF_IMEI_IMEISV_LID --record 1 --hex 00010121436587f0ffff --secure --factory --backup',
  );
};
