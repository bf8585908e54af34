import { Option } from '@commander-js/extra-typings';
import type { CommandRegistrar } from './registry.ts';
import { commandGroup, withExample } from './registry.ts';
import { integerArg } from '../options.ts';

const KEY_HELP =
  'key of confidential LIDs (hex): 16 bytes for gen B (AES-128); an RC4 key or the 256-byte state for gen A. No key is shipped';
const KEY_FILE_HELP = 'read the key bytes (raw binary) from a file';

/** Commands of `@nv/mtk-lid-file`: `nv mtk lid decode|encode|verify`, `nv mtk lid-bit parse`, `nv mtk nvram inspect`. */
export const registerMtkLid: CommandRegistrar = (program, context) => {
  const mtk = commandGroup(
    program,
    'mtk',
    'MediaTek: LID tables, LID files and the NVRAM bin region',
    'nv mtk lid decode LD0B_001 --ltable table.json',
  );
  const lid = withExample(
    mtk
      .command('lid')
      .description('MediaTek LID files (generation A and B): decode, encode, verify checksums, confidential ciphers'),
    'nv mtk lid verify nvdata/md/NVRAM',
  );

  withExample(
    lid
      .command('decode')
      .description('records, checksums and header of one LID file')
      .argument('<file>', 'LID file (e.g. LD0B_001)')
      .option('--ltable <table>', 'LID table (C source or JSON) to take the entry from')
      .option('--lid <name-or-number>', 'table entry (default: the entry whose prefix the file name carries)')
      .option('--struct <description>', 'META LID_BIT description (with typedefs) to decode records into named fields')
      .addOption(new Option('--gen <gen>', 'force the generation').choices(['A', 'B'] as const))
      .option(
        '--record-size <n>',
        'table-less generation A: record size (without its 2 checksum bytes) when several splits verify',
        integerArg('--record-size', { min: 1, max: 16 * 1024 * 1024 }),
      )
      .option(
        '--records <n>',
        'table-less generation A: number of records when several splits verify',
        integerArg('--records', { min: 1, max: 0xffff }),
      )
      .option('--key <hex>', KEY_HELP)
      .option('--key-file <file>', KEY_FILE_HELP)
      .option('--no-bind-to-chip', 'MSP is not bound to the chip (no pad, decodable offline)'),
    'nv mtk lid decode LD0B_001 --ltable table.json --key 3f06…',
    'nv mtk lid decode NVRAM/CALIBRAT/ML2B_001 --record-size 512',
    'nv mtk lid decode MT79_000 --ltable table.json --struct demo_cfg.h --json',
  ).action(async (file, opts) => {
    const { lidDecode } = await import('../actions/mtk-lid.ts');
    await lidDecode(context(), file, opts);
  });

  withExample(
    lid
      .command('encode')
      .description('write a LID file with correct checksums (both copies of a MULTIPLE LID)')
      .argument('<json>', 'records: {"records": ["hex", …]} or the output of decode --json')
      .requiredOption('--ltable <table>', 'LID table (C source or JSON)')
      .requiredOption('-o, --output <file>', 'output file (its name gives the prefix when --lid is not given)')
      .option('--lid <name-or-number>', 'table entry (default: by the output file prefix, or "lid" in the JSON)')
      .addOption(
        new Option('--gen <gen>', 'generation (default: from the table: moly-a → A, moly-b → B)').choices([
          'A',
          'B',
        ] as const),
      )
      .option(
        '--struct <description>',
        'META LID_BIT description: write the edited "fields" of decode --struct --json output into their bits',
      )
      .option('--key <hex>', KEY_HELP)
      .option('--key-file <file>', KEY_FILE_HELP)
      .option('--force', 'overwrite the output file'),
    'nv mtk lid encode records.json --ltable table.json -o LD0B_001',
    'nv mtk lid encode edited.json --ltable table.json --struct demo_cfg.h -o MT79_002 --force',
  ).action(async (json, opts) => {
    const { lidEncode } = await import('../actions/mtk-lid.ts');
    await lidEncode(context(), json, opts);
  });

  withExample(
    lid
      .command('verify')
      .description(
        'check every checksum of a file or every file under a folder; A/B copies compared (exit 1 on failure)',
      )
      .argument('<file-or-dir>', 'LID file or folder (e.g. nvdata/md/NVRAM)')
      .option('--ltable <table>', 'LID table (C source or JSON): entries by file prefix')
      .addOption(new Option('--gen <gen>', 'force the generation').choices(['A', 'B'] as const))
      .option('--key <hex>', KEY_HELP)
      .option('--key-file <file>', KEY_FILE_HELP),
    'nv mtk lid verify nvdata/md/NVRAM --json',
  ).action(async (path, opts) => {
    const { lidVerify } = await import('../actions/mtk-lid.ts');
    await lidVerify(context(), path, opts);
  });

  const lidBit = withExample(
    mtk.command('lid-bit').description('META LID_BIT field descriptions'),
    'nv mtk lid-bit parse demo_cfg.h',
  );
  withExample(
    lidBit
      .command('parse')
      .description('META LID_BIT description (with its typedefs and #defines) → field layout')
      .argument('<description>', 'editor header or text with BEGIN_NVRAM_DATA … END_NVRAM_DATA')
      .option('--ltable <table>', 'LID table: check sizeof(record struct) against its record sizes'),
    'nv mtk lid-bit parse demo_cfg.h --json',
  ).action(async (file, opts) => {
    const { lidBitParse } = await import('../actions/mtk-lid.ts');
    await lidBitParse(context(), file, opts);
  });

  const nvram = withExample(
    mtk.command('nvram').description('the nvram bin-region partition (backup of calibration and AP files)'),
    'nv mtk nvram inspect nvram.bin',
  );
  withExample(
    nvram
      .command('inspect')
      .description('bin-region partition: what it backs up, ulCheckSum, per-file checks (exit 1 on failure)')
      .argument('<nvram.bin>', 'partition dump')
      .option(
        '--block-size <n>',
        'erase block size (default 0x20000)',
        integerArg('--block-size', { min: 64, max: 0x1000000 }),
      )
      .option('--extract <dir>', 'also extract every file into <dir> (after the ulCheckSum check)')
      .option('--force', 'replace an existing --extract folder'),
    'nv mtk nvram inspect nvram.bin --json',
  ).action(async (file, opts) => {
    const { nvramInspect } = await import('../actions/mtk-lid.ts');
    await nvramInspect(context(), file, opts);
  });
};
