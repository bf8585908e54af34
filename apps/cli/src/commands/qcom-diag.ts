import { Option } from '@commander-js/extra-typings';
import { integerArg } from '../options.ts';
import type { CommandRegistrar } from './registry.ts';
import { commandGroup, withExample } from './registry.ts';

interface LooseCommand {
  option(flags: string, description: string): LooseCommand;
  addOption(option: Option): LooseCommand;
}

/**
 * The transport options every `nv qcom diag …` command takes (cli.md "Qualcomm live device"). The options are
 * added in place (their values reach the action untyped and are checked there).
 */
function transport<T>(cmd: T): T {
  (cmd as unknown as LooseCommand)
    .option('--tcp <host:port>', 'DIAG over TCP (diag-router -s, an adb-forwarded bridge, nv sim qcom diag-serve)')
    .option('--port <tty>', 'DIAG serial port (/dev/ttyUSB0, COM5); needs the optional serialport package')
    .addOption(
      new Option('--timeout <ms>', 'timeout of each DIAG request')
        .argParser(integerArg('--timeout', { min: 50, max: 600_000 }))
        .default(5000),
    );
  return cmd;
}

/** Write-safety options: the automatic backup of what a write replaces, or --yes. */
function safety<T>(cmd: T): T {
  (cmd as unknown as LooseCommand)
    .option('--backup <file>', 'QCN backup of what the write replaces (default nv-diag-backup-<time>.qcn here)')
    .option('--yes', 'write without the automatic backup (the plan is shown on stderr)');
  return cmd;
}

/** Commands of `@nv/qcom-diag`: `nv qcom diag info|nv read|nv write|efs …|backup|restore`. */
export const registerQcomDiag: CommandRegistrar = (program, context) => {
  const qcom = commandGroup(
    program,
    'qcom',
    'Qualcomm: QCN, EFS images, FSG signing, MCFG',
    'nv qcom efs ls fs_image.tar.gz',
  );
  const diag = withExample(
    qcom
      .command('diag')
      .description('a live modem over DIAG (serial or TCP): NV items, EFS files, QCN backup and restore'),
    'nv qcom diag backup --tcp 127.0.0.1:2500 -o phone.qcn',
  );
  const run = async (name: string, ...args: unknown[]): Promise<void> => {
    const actions = (await import('../actions/qcom-diag.ts')) as unknown as Record<
      string,
      (...a: unknown[]) => Promise<void>
    >;
    await actions[name]!(context(), ...args);
  };

  withExample(
    transport(diag.command('info').description('version, build id and the EFS2 subsystem of the modem')).action(
      (opts) => run('diagInfoAction', opts),
    ),
    'nv qcom diag info --tcp 127.0.0.1:2500 --json',
  );

  const nv = withExample(
    diag.command('nv').description('numbered NV items (diag commands 0x26/0x27)'),
    'nv qcom diag nv read 10 --tcp 127.0.0.1:2500',
  );
  withExample(
    transport(
      nv
        .command('read')
        .description('one NV item, raw and decoded with an NvDefinition')
        .argument('<id>', 'NV item id', integerArg('<id>', { min: 0, max: 65535 }))
        .addOption(
          new Option('--index <k>', 'subscription (indexed NV command 4B 30)').argParser(
            integerArg('--index', { min: 0, max: 255 }),
          ),
        )
        .addOption(
          new Option('--element <k>', 'array element of an indexed item (data[0])').argParser(
            integerArg('--element', { min: 0, max: 255 }),
          ),
        )
        .option('--definition <NvDefinition.xml>', 'decode the value into named fields'),
    ).action((id, opts) => run('diagNvRead', id, opts)),
    'nv qcom diag nv read 10 --tcp 127.0.0.1:2500 --definition NvDefinition.xml --json',
  );
  withExample(
    safety(
      transport(
        nv
          .command('write')
          .description('write one NV item after backing up its current value (identity items are refused)')
          .argument('<id>', 'NV item id', integerArg('<id>', { min: 0, max: 65535 }))
          .argument('[hex]', 'value as hex bytes (diag form: arrays begin with the index byte)')
          .option('--fields <values>', 'value as NvSource values ("0,31" or a JSON array), with --definition')
          .addOption(
            new Option('--index <k>', 'subscription (indexed NV command 4B 30)').argParser(
              integerArg('--index', { min: 0, max: 255 }),
            ),
          )
          .option('--definition <NvDefinition.xml>', 'item layouts for --fields'),
      ),
    ).action((id, hex, opts) => run('diagNvWrite', id, hex, opts)),
    'nv qcom diag nv write 6828 01 --tcp 127.0.0.1:2500',
    'nv qcom diag nv write 10 --fields 0,31 --definition NvDefinition.xml --tcp 127.0.0.1:2500 --json',
  );

  const efs = withExample(
    diag.command('efs').description('EFS2 files of the modem (subsystem 0x3E or 0x13)'),
    'nv qcom diag efs ls /nv/item_files -R --tcp 127.0.0.1:2500',
  );
  withExample(
    transport(
      efs
        .command('ls')
        .description('list an EFS folder')
        .argument('[path]', 'EFS folder', '/')
        .option('-R, --recursive', 'list sub-folders too'),
    ).action((path, opts) => run('diagEfsLs', path, opts)),
    'nv qcom diag efs ls / -R --tcp 127.0.0.1:2500 --json',
  );
  withExample(
    transport(
      efs
        .command('get')
        .description('copy one EFS file to the host')
        .argument('<path>', 'EFS file')
        .requiredOption('-o, --output <file>', 'host file to write')
        .option('--force', 'replace an existing output file'),
    ).action((path, opts) => run('diagEfsGet', path, opts)),
    'nv qcom diag efs get /nv/item_files/modem/mmode/ue_usage_setting -o ue.bin --tcp 127.0.0.1:2500',
  );
  withExample(
    safety(
      transport(
        efs
          .command('put')
          .description('copy a host file into EFS after backing up the file it replaces')
          .argument('<file>', 'host file')
          .argument('<path>', 'EFS path')
          .addOption(
            new Option('--type <type>', 'item file (≤ 128 B) or regular file').choices(['item', 'file'] as const),
          ),
      ),
    ).action((file, path, opts) => run('diagEfsPut', file, path, opts)),
    'nv qcom diag efs put ue.bin /nv/item_files/modem/mmode/ue_usage_setting --tcp 127.0.0.1:2500',
  );
  withExample(
    safety(
      transport(
        efs.command('rm').description('remove one EFS file after backing it up').argument('<path>', 'EFS file'),
      ),
    ).action((path, opts) => run('diagEfsRm', path, opts)),
    'nv qcom diag efs rm /policyman/carrier_policy.xml --tcp 127.0.0.1:2500',
  );
  withExample(
    transport(
      efs
        .command('pull')
        .description('the EFS tree into a host folder with .nv-efs.json, ready for nv qcom efs pack')
        .argument('[path]', 'EFS folder to pull', '/')
        .requiredOption('-o, --output <dir>', 'host folder to create')
        .option('--force', 'replace an existing folder'),
    ).action((path, opts) => run('diagEfsPull', path, opts)),
    'nv qcom diag efs pull / -o efs/ --tcp 127.0.0.1:2500 && nv qcom efs pack efs/ -o fs_image.tar.gz',
  );

  withExample(
    transport(
      diag
        .command('backup')
        .description('QCN or XQCN backup of a live modem: numbered items and item files')
        .requiredOption('-o, --output <file>', 'QCN to write (XQCN when the name ends in .xqcn)')
        .option('--definition <NvDefinition.xml>', 'read the items (and array elements) it defines')
        .option('--items <from-to>', 'id range scanned without a definition (default 0-7999)')
        .option('--items-only', 'numbered items only, no EFS item files')
        .option('--force', 'replace an existing output file'),
    ).action((opts) => run('diagBackup', opts)),
    'nv qcom diag backup --tcp 127.0.0.1:2500 -o phone.qcn --json',
  );
  withExample(
    safety(
      transport(
        diag
          .command('restore')
          .description('write a QCN/XQCN back into the modem; identity items and every refusal are reported')
          .argument('<file.qcn>', 'QCN or XQCN backup')
          .option('--spc <digits>', 'unlock with the service programming code first')
          .option('--dry-run', 'show the plan, write nothing'),
      ),
    ).action((file, opts) => run('diagRestore', file, opts)),
    'nv qcom diag restore phone.qcn --tcp 127.0.0.1:2500 --json',
  );
};

/** `nv sim qcom diag-serve`: the simulated modem's DIAG face (registered after `registerSimQcom`). */
export const registerSimQcomDiag: CommandRegistrar = (program, context) => {
  const sim = commandGroup(
    program,
    'sim',
    'Simulated devices: prove a flow keeps every NV item',
    'nv sim qcom mcfg --mbn mcfg_sw.mbn --iccid 8901260123456789012',
  );
  const qcom = commandGroup(
    sim,
    'qcom',
    'simulated Qualcomm modem',
    'nv sim qcom diag-serve --state ./phone --tcp 127.0.0.1:0',
  );
  withExample(
    qcom
      .command('diag-serve')
      .description(
        "serve the simulated modem's DIAG face (NV items, EFS2) on TCP until interrupted; prints the address first",
      )
      .requiredOption('--state <dir>', 'simulated device folder (created empty if missing; saved back on change)')
      .option('--tcp <host:port>', 'listen address; port 0 picks a free port', '127.0.0.1:0')
      .option('--pty', 'serve on a pseudo-terminal (not available: Node has no pty without a native module)')
      .addOption(
        new Option('--split-frames <n>', 'fault: send frames in pieces of n bytes').argParser(
          integerArg('--split-frames', { min: 1, max: 65536 }),
        ),
      )
      .addOption(
        new Option('--log-packets <n>', 'fault: n log packets before every answer').argParser(
          integerArg('--log-packets', { min: 0, max: 100 }),
        ),
      )
      .addOption(
        new Option('--bad-crc-every <n>', 'fault: corrupt the CRC of every n-th answer').argParser(
          integerArg('--bad-crc-every', { min: 1, max: 1_000_000 }),
        ),
      )
      .option('--read-only <ids>', 'NV ids the modem refuses to write (comma-separated)')
      .option('--efs-subsystem <id>', 'answer EFS2 on this subsystem only (0x13 or 0x3E)')
      .addOption(
        new Option('--idle-exit <seconds>', 'stop after this many seconds without a request (scripts, CI)').argParser(
          integerArg('--idle-exit', { min: 1, max: 86_400 }),
        ),
      ),
    'nv sim qcom diag-serve --state ./phone --tcp 127.0.0.1:5555',
    'nv sim qcom diag-serve --state ./phone --tcp 127.0.0.1:0 --json --log-packets 2 --bad-crc-every 10',
  ).action(async (opts) => {
    const { simQcomDiagServe } = await import('../actions/sim-qcom-diag.ts');
    await simQcomDiagServe(context(), opts);
  });
};
