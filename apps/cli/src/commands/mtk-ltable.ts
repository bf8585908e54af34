import { Option } from '@commander-js/extra-typings';
import type { CommandRegistrar } from './registry.ts';
import { commandGroup, withExample } from './registry.ts';

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];
const GENERATIONS = ['maui', 'moly-a', 'moly-b'] as const;
const ENUM_SETS = ['moly-a', 'moly-b', 'maui-1', 'maui-2', 'maui-3'] as const;
const MODES = ['format-all', 'firmware-upgrade', 'factory-reset', 'download-only', 'ota'] as const;

/** Commands of `@nv/mtk-nvram-ltable`: `nv mtk ltable import|lint|plan`. */
export const registerMtkLtable: CommandRegistrar = (program, context) => {
  const mtk = commandGroup(
    program,
    'mtk',
    'MediaTek: LID tables, LID files and the NVRAM bin region',
    'nv mtk ltable lint nvram_ltable.c',
  );
  const ltable = withExample(
    mtk
      .command('ltable')
      .description('MediaTek LID table (ltable_entry_struct): import from C/JSON, lint, plan upgrades'),
    'nv mtk ltable plan --from old.json --to new.json --mode firmware-upgrade',
  );
  // Options shared by every command that reads a table.
  const readOptions = <T extends { addOption(o: Option): T; option(...a: never[]): T }>(cmd: T): T =>
    cmd
      .addOption(
        new Option('--generation <gen>', 'modem generation (default: from the source, or detected)').choices(
          GENERATIONS,
        ),
      )
      .addOption(
        new Option('--enum-set <set>', 'enum set; required for maui (maui-1, maui-2, maui-3)').choices(ENUM_SETS),
      )
      .addOption(
        new Option('-D, --define <NAME[=VALUE]>', 'preprocessor macro for #if/#ifdef (repeatable)')
          .argParser(collect)
          .default([] as string[]),
      )
      .addOption(
        new Option('--struct-size <TYPE=N>', 'size of a struct for sizeof(TYPE) (repeatable)')
          .argParser(collect)
          .default([] as string[]),
      )
      .addOption(new Option('--tags <file.json>', 'planner tags per LID name: {"NVRAM_EF_X_LID": ["rf-band"]}'));

  withExample(
    readOptions(
      ltable
        .command('import')
        .description('read an LID table (C initializer lists, several files merged, or JSON) into the JSON model')
        .argument('<files...>', 'C sources (headers first) or one JSON table')
        .option('-o, --output <file>', 'write the table (.json, or C when the name ends in .c/.h or with --format c)')
        .addOption(new Option('--format <format>', 'output format').choices(['json', 'c'] as const))
        .option('--force', 'overwrite the output file'),
    ).action(async (files, opts) => {
      const { ltableImport } = await import('../actions/mtk-ltable.ts');
      await ltableImport(context(), files, opts);
    }),
    'nv mtk ltable import lid_enum.h nvram_ltable.c -D __NVRAM_LOCK__ -o table.json',
    'nv mtk ltable import nvram_ltable.c --json',
  );

  withExample(
    readOptions(
      ltable
        .command('lint')
        .description(
          'duplicate LIDs/prefixes, bad prefixes and VERNOs, illegal attribute mixes, folder mapping, boot-time renames',
        )
        .argument('<table...>', 'C sources or one JSON table')
        .option('--previous <table>', 'the table this one replaces (VERNO overflow check)')
        .addOption(
          new Option('--storage <kind>', 'boot storage for the boot-time rewrites')
            .choices(['emmc', 'nand'] as const)
            .default('emmc' as const),
        ),
    ).action(async (files, opts) => {
      const { ltableLint } = await import('../actions/mtk-ltable.ts');
      await ltableLint(context(), files, opts);
    }),
    'nv mtk ltable lint nvram_ltable.c',
    'nv mtk ltable lint table.json --json',
  );

  withExample(
    readOptions(
      ltable
        .command('plan')
        .description(
          "what each LID's data does in an upgrade (the spec's decision table); exit 1 when a change is blocked",
        )
        .requiredOption('--from <old>', 'table of the firmware on the device (C or JSON)')
        .requiredOption('--to <new>', 'table of the new firmware (C or JSON)')
        .addOption(new Option('--mode <mode>', 'upgrade mode (or --scatter)').choices(MODES))
        .option('--scatter <file>', 'infer the mode from the firmware scatter file (MTxxxx_Android_scatter.txt)')
        .option('--download <list>', 'with --scatter: comma-separated partitions written (default: is_download: true)')
        .addOption(
          new Option('--bin-region <state>', 'state of the nvram bin region')
            .choices(['present', 'empty'] as const)
            .default('present' as const),
        )
        .option('--history <file.json>', 'VERNOs used before, per LID name: {"NVRAM_EF_X_LID": ["001", "002"]}')
        .addOption(
          new Option('--storage <kind>', 'boot storage for the boot-time rewrites')
            .choices(['emmc', 'nand'] as const)
            .default('emmc' as const),
        )
        .option('--default-change-reset', 'the build has the moly-b structure/default-change-reset feature')
        .option('--allow-blocked', 'report blocked changes without failing (exit 0)'),
    ).action(async (opts) => {
      const { ltablePlan } = await import('../actions/mtk-ltable.ts');
      await ltablePlan(context(), opts);
    }),
    'nv mtk ltable plan --from old.c --to new.c --mode firmware-upgrade',
    'nv mtk ltable plan --from old.json --to new.json --mode ota --json',
    'nv mtk ltable plan --from old.c --to new.c --scatter MT6765_Android_scatter.txt --download nvdata,md1img',
  );
};
