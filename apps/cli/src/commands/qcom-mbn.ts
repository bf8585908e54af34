import { Option } from '@commander-js/extra-typings';
import type { CommandRegistrar } from './registry.ts';
import { commandGroup, withExample } from './registry.ts';
import { integerArg } from '../options.ts';

/** `nv qcom mbn …`: MCFG carrier configuration of `@nv/qcom-mbn` (build, inspect, to-xml, diff, lint). */
export const registerQcomMbn: CommandRegistrar = (program, context) => {
  const qcom = commandGroup(
    program,
    'qcom',
    'Qualcomm: QCN, EFS, FSG signing, MCFG',
    'nv qcom mbn inspect mcfg_sw.mbn',
  );
  const mbn = withExample(
    qcom.command('mbn').description('MCFG carrier configuration (mcfg_sw.mbn / mcfg_hw.mbn): XML ↔ MBN, byte-exact'),
    'nv qcom mbn to-xml mcfg_sw.mbn -o mcfg_sw.xml && nv qcom mbn build mcfg_sw.xml -o rebuilt.mbn',
  );
  withExample(
    mbn
      .command('build')
      .description('compile MCFG XML into an ELF MBN (canonical JO layout, or the container named by nv:container)')
      .argument('<mcfg.xml>', 'MCFG XML (NvData)')
      .requiredOption('-o, --output <file>', 'MBN to write')
      .option('--force', 'overwrite the output')
      .option('--build-root <dir>', 'folder that buildPath attributes are relative to (default: the XML folder)')
      .option(
        '--strip-signature',
        'remove the signature of a signed container (nv:container) for unsigned use; without it an edit warns NV_MBN_SIGNATURE_STALE',
      )
      .addOption(
        new Option('--quirks <q>', 'emulate the JO generator: leading whitespace in a Member adds a 0 element').choices(
          ['jo'] as const,
        ),
      )
      .addOption(
        new Option('--dialect <n>', 'XML dialect (default: McfgXmlVersion)').argParser(
          integerArg('--dialect', { min: 1, max: 2 }),
        ),
      )
      .addOption(
        new Option('--format <n>', 'MCFG header format (default: 3 for dialect 1, 4 for dialect 2)').argParser(
          integerArg('--format', { min: 0, max: 0xffff }),
        ),
      ),
    'nv qcom mbn build mcfg_sw.xml -o mcfg_sw.mbn',
    'nv qcom mbn build edited.xml -o edited.mbn --strip-signature',
  ).action(async (xml, opts) => {
    const { mbnBuild } = await import('../actions/qcom-mbn.ts');
    await mbnBuild(context(), xml, opts);
  });
  withExample(
    mbn
      .command('inspect')
      .description(
        'header, version, items and trailer of MCFG MBNs; folders are searched for *.mbn and inspected in parallel',
      )
      .argument('<files...>', 'MBN files or folders')
      .addOption(
        new Option(
          '--workers <n>',
          'worker threads for many files (default: none on ≤ 2 cores, else cores − 1, at most 8)',
        ).argParser(integerArg('--workers', { min: 0, max: 64 })),
      )
      .option(
        '--jsonl',
        'JSON Lines for corpora: one compact {path, ok, …} object per file on stdout as files complete, in input order (not with --json)',
      ),
    'nv qcom mbn inspect mcfg_sw.mbn --json',
    'nv qcom mbn inspect firmware/ --json',
    'nv qcom mbn inspect firmware/ --jsonl > inventory.jsonl',
  ).action(async (files, opts) => {
    const { mbnInspect } = await import('../actions/qcom-mbn-read.ts');
    await mbnInspect(context(), files, opts);
  });
  withExample(
    mbn
      .command('to-xml')
      .description(
        'decompile an MBN to MCFG XML (+ <name>.files/ sidecars); build of the result gives back the same bytes',
      )
      .argument('<mcfg.mbn>', 'MBN file')
      .requiredOption('-o, --output <file>', 'XML to write')
      .option('--force', 'overwrite the outputs'),
    'nv qcom mbn to-xml mcfg_sw.mbn -o mcfg_sw.xml',
  ).action(async (file, opts) => {
    const { mbnToXml } = await import('../actions/qcom-mbn.ts');
    await mbnToXml(context(), file, opts);
  });
  withExample(
    mbn
      .command('diff')
      .description('item-level differences (NV by id and index, EFS by path) with decoded values')
      .argument('<a.mbn>', 'old')
      .argument('<b.mbn>', 'new'),
    'nv qcom mbn diff tmo.mbn att.mbn --json',
  ).action(async (a, b) => {
    const { mbnDiff } = await import('../actions/qcom-mbn-read.ts');
    await mbnDiff(context(), a, b);
  });
  withExample(
    mbn
      .command('lint')
      .description('structural and semantic checks of an MBN or MCFG XML (exit 1 on errors)')
      .argument('<file>', 'MBN or MCFG XML')
      .addOption(
        new Option('--target <t>', 'modem generation: jo (format 3, family 5) or v4 (format 4)').choices([
          'jo',
          'v4',
        ] as const),
      )
      .addOption(
        new Option('--family <AA>', 'family byte the modem accepts (5 = JO)').argParser(
          integerArg('--family', { min: 0, max: 255 }),
        ),
      )
      .addOption(
        new Option(
          '--profile <p>',
          "device: judge as the modem does (default for MBN); build: add the vendor generator's rules (default for XML)",
        ).choices(['device', 'build'] as const),
      )
      .option('--build-root <dir>', 'folder that buildPath attributes are relative to (XML input)'),
    'nv qcom mbn lint mcfg_sw.mbn --target jo',
    'nv qcom mbn lint mcfg_sw.mbn --profile build',
    'nv qcom mbn lint mcfg_sw.xml --json',
  ).action(async (file, opts) => {
    const { mbnLint } = await import('../actions/qcom-mbn.ts');
    await mbnLint(context(), file, opts);
  });
};
