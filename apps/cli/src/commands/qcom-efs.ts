import { Option } from '@commander-js/extra-typings';
import { integerArg } from '../options.ts';
import type { CommandRegistrar } from './registry.ts';
import { commandGroup, withExample } from './registry.ts';

const nvIdArg = integerArg('NV id', { min: 0, max: 0xffff });
/** `--factory-id 550 --factory-id 1943,4678` → [550, 1943, 4678]. */
const idList = (v: string, prev: number[] | undefined): number[] => [
  ...(prev ?? []),
  ...v
    .split(',')
    .filter((t) => t.trim() !== '')
    .map((t) => nvIdArg(t.trim())),
];

/** Commands of `@nv/qcom-efs`: `nv qcom nv compile`, `nv qcom qcn inspect|to-efs`, `nv qcom efs pack|ls|unpack|lint`. */
export const registerQcomEfs: CommandRegistrar = (program, context) => {
  const qcom = commandGroup(
    program,
    'qcom',
    'Qualcomm: QCN, EFS images, FSG signing, MCFG',
    'nv qcom efs ls fs_image.tar.gz',
  );

  const nv = withExample(
    qcom.command('nv').description('NvSource/NvDefinition XML (the QRCT "Generate QCN from source" step)'),
    'nv qcom nv compile master.xml --definition NvDefinition.xml -o out.qcn',
  );
  withExample(
    nv
      .command('compile')
      .description('NvSource master file (with xi:include) + NvDefinition → QCN')
      .argument('<master.xml>', 'NvSource master file')
      .requiredOption('--definition <NvDefinition.xml>', 'NvDefinition with the item layouts')
      .requiredOption('-o, --output <out.qcn>', 'QCN to write (XQCN when the name ends in .xqcn)')
      .option(
        '--strict',
        'warnings marked W/E in the spec (undefined items, unknown elements, duplicate definitions) become errors',
      )
      .addOption(
        new Option('--efs-variable-size <mode>', 'variableSize NvEfsItem: pad (QMSL 6.0.11) or trim').choices([
          'pad',
          'trim',
        ] as const),
      )
      .addOption(
        new Option('--model <n>', 'mobile model number of the QCN (default 0)').argParser(
          integerArg('--model', { min: 0, max: 0xffff }),
        ),
      )
      .option('--force', 'replace an existing output file')
      .action(async (master, opts) => {
        const { nvCompile } = await import('../actions/qcom-efs.ts');
        await nvCompile(context(), master, opts);
      }),
    'nv qcom nv compile master.xml --definition NvDefinition.xml -o out.qcn --json',
  );

  const qcn = withExample(
    qcom
      .command('qcn')
      .description(
        'QCN backups (OLE2 compound files): inspect, diff, convert (XQCN, JSON), decode, expand into an EFS tree',
      ),
    'nv qcom qcn inspect backup.qcn',
  );
  withExample(
    qcn
      .command('inspect')
      .description('list what a QCN holds: file version, numbered items, EFS store files, streams')
      .argument('<file.qcn>', 'QCN or XQCN backup')
      .action(async (file) => {
        const { qcnInspect } = await import('../actions/qcom-efs.ts');
        await qcnInspect(context(), file);
      }),
    'nv qcom qcn inspect backup.qcn --json',
  );
  withExample(
    qcn
      .command('to-efs')
      .description('expand a QCN into the EFS file tree (/nvm/num/<id>, item files) plus the .nv-efs.json manifest')
      .argument('<file.qcn>', 'QCN or XQCN backup')
      .requiredOption('-o, --output <dir>', 'new folder for the EFS tree')
      .option('--nv-info <sizes.json>', 'internal legacy NV sizes: {"<id>": {"size": n, "arraySize": k}}')
      .option('--reference <tree>', 'a folder, tar or tar.gz of the same build whose /nvm/num sizes are used')
      .option('--skip-unknown', 'skip numbered items of unknown size (warning) instead of failing')
      .option('--relative-root <path>', 'EFS folder for relative EFS_Backup paths (default: skip them)')
      .option(
        '--definition <NvDefinition.xml>',
        'take legacy NV sizes from this NvDefinition (heuristic; --reference and --nv-info win); without it a <file>.nv-info.json written by nv compile is used',
      )
      .option('--force', 'replace an existing output folder')
      .action(async (file, opts) => {
        const { qcnToEfs } = await import('../actions/qcom-efs.ts');
        await qcnToEfs(context(), file, opts);
      }),
    'nv qcom qcn to-efs backup.qcn --nv-info sizes.json -o efs/',
  );
  withExample(
    qcn
      .command('diff')
      .description(
        'compare two QCN/XQCN/JSON backups: numbered items by (subscription, id, index), EFS files by (store, path); exit 1 when they differ',
      )
      .argument('<a>', 'QCN, XQCN or JSON model')
      .argument('<b>', 'QCN, XQCN or JSON model')
      .option('--definition <NvDefinition.xml>', 'also show the values as named fields')
      .action(async (a, b, opts) => {
        const { qcnDiff } = await import('../actions/qcom-efs.ts');
        await qcnDiff(context(), a, b, opts);
      }),
    'nv qcom qcn diff stock.qcn mine.xqcn --definition NvDefinition.xml --json',
  );
  withExample(
    qcn
      .command('convert')
      .description(
        'QCN ↔ XQCN ↔ JSON model by the output extension (.qcn, .xqcn, .json; schema @nv/qcom-efs/qcn.schema.json); keeps items, EFS files and their stream names, property info and unknown streams',
      )
      .argument('<input>', 'QCN, XQCN or JSON model')
      .requiredOption('-o, --output <file>', 'output: .json, .xqcn or .qcn')
      .option('--force', 'replace an existing output file')
      .action(async (input, opts) => {
        const { qcnConvert } = await import('../actions/qcom-efs.ts');
        await qcnConvert(context(), input, opts);
      }),
    'nv qcom qcn convert backup.qcn -o backup.json && nv qcom qcn convert backup.json -o edited.qcn',
  );
  withExample(
    qcn
      .command('decode')
      .description(
        'every item as named fields through its NvDefinition (arrays, nested DataTypes, signed types); unknown items as bytes',
      )
      .argument('<file>', 'QCN, XQCN or JSON model')
      .requiredOption('--definition <NvDefinition.xml>', 'NvDefinition with the item layouts')
      .addOption(new Option('--id <n>', 'only these NV ids (repeatable, or comma-separated)').argParser(idList))
      .option(
        '-o, --output <NvSource.xml>',
        'also write the decoded values as an NvSource that nv compile turns back into the same bytes',
      )
      .option('--force', 'replace an existing output file')
      .action(async (file, opts) => {
        const { qcnDecode } = await import('../actions/qcom-efs.ts');
        await qcnDecode(context(), file, opts);
      }),
    'nv qcom qcn decode backup.qcn --definition NvDefinition.xml --id 10 --json',
  );

  const efs = withExample(
    qcom.command('efs').description('EFS images (fs_image.tar.gz): pack a tree, list, unpack'),
    'nv qcom efs pack efs/ -o fs_image.tar.gz',
  );
  withExample(
    efs
      .command('pack')
      .description(
        'EFS tree folder → device tar.gz (V7 tar, absolute names, device order, gzip header 1F8B0800000000000 0FF)',
      )
      .argument('<dir>', 'EFS tree folder (with optional .nv-efs.json manifest)')
      .requiredOption('-o, --output <file>', 'fs_image.tar.gz to write')
      .addOption(
        new Option('--format <format>', 'tar header flavour (ustar reaches names over 99 bytes)').choices([
          'v7',
          'ustar',
        ] as const),
      )
      .option('--tar', 'write a plain tar (also valid FSG content)')
      .option('--pad512', 'zero-pad the gzip to a multiple of 512 bytes like device dumps')
      .addOption(
        new Option('--mtime <seconds>', 'mtime of entries the manifest does not list (default 315964800)').argParser(
          integerArg('--mtime', { min: 0, max: 8 ** 11 - 1 }),
        ),
      )
      .option('--force', 'replace an existing output file')
      .action(async (dir, opts) => {
        const { efsPack } = await import('../actions/qcom-efs-image.ts');
        await efsPack(context(), dir, opts);
      }),
    'nv qcom efs pack efs/ -o fs_image.tar.gz',
  );
  withExample(
    efs
      .command('to-qcn')
      .description(
        'EFS tree → QCN (spec §3.8): /nvm/num → numbered items, RFNV → NV_Items, conf-listed → Provisioning_Item_Files, the rest → EFS_Backup',
      )
      .argument('<input>', 'EFS tree folder, tar, tar.gz, .mbn, .img or fsg dump')
      .requiredOption('-o, --output <out.qcn>', 'QCN to write (.xqcn or .json by extension)')
      .option('--definition <NvDefinition.xml>', 'which /nvm/num items are indexed (array items)')
      .option('--nv-info <sizes.json>', 'which /nvm/num items are indexed: {"<id>": {"size": n, "arraySize": k}}')
      .addOption(
        new Option('--model <n>', 'mobile model number of the QCN (default 0)').argParser(
          integerArg('--model', { min: 0, max: 0xffff }),
        ),
      )
      .option('--force', 'replace an existing output file')
      .action(async (input, opts) => {
        const { efsToQcn } = await import('../actions/qcom-efs.ts');
        await efsToQcn(context(), input, opts);
      }),
    'nv qcom efs to-qcn fs_image.tar.gz -o backup.qcn --json',
  );
  withExample(
    efs
      .command('ls')
      .description('list the entries of a tar, tar.gz, .mbn, .img, whole fsg partition dump or EFS tree folder')
      .argument('<file>', 'tar, tar.gz, .mbn, .img, fsg dump or folder')
      .action(async (file) => {
        const { efsLs } = await import('../actions/qcom-efs-image.ts');
        await efsLs(context(), file);
      }),
    'nv qcom efs ls fs_image.tar.gz --json',
  );
  withExample(
    efs
      .command('unpack')
      .description('extract into a new folder plus .nv-efs.json (refuses "..", escaping links and case collisions)')
      .argument('<file>', 'tar, tar.gz, .mbn, .img or fsg dump')
      .requiredOption('-o, --output <dir>', 'new folder')
      .option('--links', 'also make host symlinks for EFS symlinks whose target stays inside the folder')
      .option('--force', 'replace an existing output folder')
      .action(async (file, opts) => {
        const { efsUnpack } = await import('../actions/qcom-efs-image.ts');
        await efsUnpack(context(), file, opts);
      }),
    'nv qcom efs unpack fs_image.tar.gz -o efs/',
  );
  withExample(
    efs
      .command('lint')
      .description(
        'preload lint: runtime state, factory NVs (IMEI, ESN/MEID, MAC/BT), items missing from the definition, names and sizes the modem rejects; exit 1 on errors',
      )
      .argument('<input>', 'QCN, EFS tree folder, tar or tar.gz')
      .option('--definition <NvDefinition.xml>', 'report items the definition lacks')
      .option('--nv-info <sizes.json>', 'check /nvm/num sizes against these internal sizes')
      .option(
        '--strip-factory',
        'write a copy without factory NVs and runtime state to --output (QCN: only those records and store files go, every other stream stays byte-identical; tar.gz for trees)',
      )
      .addOption(
        new Option('--factory-id <id>', 'extra factory NV id (repeatable, or comma-separated)').argParser(idList),
      )
      .addOption(
        new Option('--runtime-id <id>', 'NV id written by the modem while online (repeatable)').argParser(idList),
      )
      .addOption(
        new Option('--runtime-path <path>', 'runtime-state EFS path, a folder if it ends in / (repeatable)').argParser(
          (v: string, prev: string[] | undefined) => [...(prev ?? []), v],
        ),
      )
      .option('--lists <lists.json>', 'more lists: {"factoryIds":[…],"runtimeIds":[…],"runtimePaths":["/…"]}')
      .option('-o, --output <file>', 'output for --strip-factory')
      .option('--force', 'replace an existing output file')
      .action(async (input, opts) => {
        const { efsLint } = await import('../actions/qcom-efs.ts');
        await efsLint(context(), input, opts);
      }),
    'nv qcom efs lint backup.qcn --strip-factory --factory-id 6853 -o clean.qcn --json',
  );
  withExample(
    efs
      .command('repack')
      .description(
        'a tar made by GNU/BSD tar or pax (./ names, long names, pax headers, item bits lost) → the device fs_image.tar.gz, every repair listed; names over 99 bytes are an error, never truncated',
      )
      .argument('<host.tar>', '.tar or .tar.gz made by a host tar')
      .requiredOption('-o, --output <fs_image.tar.gz>', 'device image to write')
      .option(
        '--reference <image>',
        'a device image (tar, tar.gz, .mbn, .img) or folder whose kinds and modes are used',
      )
      .addOption(
        new Option('--strip-components <n>', 'drop this many leading name parts (tar czf x.tgz efs/ → 1)').argParser(
          integerArg('--strip-components', { min: 0, max: 64 }),
        ),
      )
      .option('--tar', 'write a plain tar')
      .option('--force', 'replace an existing output file')
      .action(async (input, opts) => {
        const { efsRepack } = await import('../actions/qcom-efs.ts');
        await efsRepack(context(), input, opts);
      }),
    'nv qcom efs repack host.tar.gz --reference fs_image.tar.gz -o fixed.tar.gz --json',
  );
};
