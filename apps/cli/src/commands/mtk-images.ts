import { Option } from '@commander-js/extra-typings';
import type { CommandRegistrar } from './registry.ts';
import { commandGroup, withExample } from './registry.ts';
import { integerArg } from '../options.ts';

const KEY_HELP = 'key of confidential LIDs (hex); no key is shipped';

/**
 * MediaTek partition images: `nv mtk nvdata ls|extract|verify|put` (ext4 images of nvdata/protect*),
 * `nv mtk nvram patch|build` (the bin region), `nv mtk ap ls|decode|verify` (AP-side files).
 */
export const registerMtkImages: CommandRegistrar = (program, context) => {
  const mtk = commandGroup(
    program,
    'mtk',
    'MediaTek: LID tables, LID files and the NVRAM bin region',
    'nv mtk lid decode LD0B_001 --ltable table.json',
  );
  const nvdata = withExample(
    mtk
      .command('nvdata')
      .description('ext2/3/4 partition images (nvdata, protect1/protect2) read and patched without mounting'),
    'nv mtk nvdata ls nvdata.img',
  );
  withExample(
    nvdata
      .command('ls')
      .description('every file and folder of the image with size, owner and mode')
      .argument('<image>', 'ext4 partition image (e.g. nvdata.img from a read-back)'),
    'nv mtk nvdata ls nvdata.img --json',
  ).action(async (image) => {
    const { nvdataLs } = await import('../actions/mtk-images.ts');
    await nvdataLs(context(), image);
  });
  withExample(
    nvdata
      .command('extract')
      .description('copy every file of the image into a folder (atomic: all or nothing)')
      .argument('<image>', 'ext4 partition image')
      .requiredOption('-o, --output <dir>', 'output folder')
      .option('--force', 'replace an existing output folder'),
    'nv mtk nvdata extract nvdata.img -o nvdata',
  ).action(async (image, opts) => {
    const { nvdataExtract } = await import('../actions/mtk-images.ts');
    await nvdataExtract(context(), image, opts);
  });
  withExample(
    nvdata
      .command('verify')
      .description('check every LID file inside the image, A/B copies compared (exit 1 on failure)')
      .argument('<image>', 'ext4 partition image')
      .option('--ltable <table>', 'LID table (C source or JSON): entries by file prefix')
      .addOption(new Option('--gen <gen>', 'force the generation').choices(['A', 'B'] as const))
      .option('--key <hex>', KEY_HELP)
      .option('--key-file <file>', 'read the key bytes from a file'),
    'nv mtk nvdata verify nvdata.img --ltable table.json --json',
  ).action(async (image, opts) => {
    const { nvdataVerify } = await import('../actions/mtk-images.ts');
    await nvdataVerify(context(), image, opts);
  });
  withExample(
    nvdata
      .command('put')
      .description('write a LID file into a copy of the image (never in place); owner, mode and SELinux label kept')
      .argument('<image>', 'ext4 partition image')
      .argument('<file>', 'the file to put (its name finds the file to replace)')
      .requiredOption('-o, --output <image>', 'the new image')
      .option('--path <path>', 'path inside the image (default: the one file with the same name)')
      .option('--create', 'add the file when it is not in the image (it gets no SELinux label)')
      .option('--force', 'overwrite the output file'),
    'nv mtk nvdata put nvdata.img LD0B_001 -o nvdata-fixed.img',
  ).action(async (image, file, opts) => {
    const { nvdataPut } = await import('../actions/mtk-images.ts');
    await nvdataPut(context(), image, file, opts);
  });

  withExample(
    nvdata
      .command('build')
      .description(
        'make a new ext image from a folder (empty filesystem formatted, files written by libext2fs); owners and modes from --owners, else system:system 0771/0660',
      )
      .argument('<dir>', 'folder to put in the image (e.g. from nv mtk nvdata extract)')
      .requiredOption('-o, --output <image>', 'the new image')
      .option('--size <size>', 'image (partition) size: bytes or e.g. 32M (default: the files plus a quarter)')
      .option('--owners <json>', 'mode/uid/gid per path: the output of nv mtk nvdata ls --json')
      .option('--label <name>', 'volume label (up to 16 bytes)')
      .option('--force', 'overwrite the output file'),
    'nv mtk nvdata build nvdata/ -o nvdata.img --size 32M --owners ls.json',
  ).action(async (dir, opts) => {
    const { nvdataBuild } = await import('../actions/mtk-nvdata-build.ts');
    await nvdataBuild(context(), dir, opts);
  });

  const nvram = commandGroup(
    mtk,
    'nvram',
    'the nvram bin-region partition (backup of calibration and AP files)',
    'nv mtk nvram inspect nvram.bin',
  );
  const blockSize = () =>
    new Option('--block-size <n>', 'erase block size (default 0x20000)').argParser(
      integerArg('--block-size', { min: 64, max: 0x1000000 }),
    );
  withExample(
    nvram
      .command('patch')
      .description('replace one backed-up file (same size) in a copy of the bin region; ulCheckSum recomputed')
      .argument('<nvram.bin>', 'partition dump')
      .requiredOption('--lid <file>', 'the new file; its name (or --name) picks the title')
      .requiredOption('-o, --output <file>', 'the new partition image')
      .option('--name <title>', 'title in the bin region (default: the file name)')
      .addOption(blockSize())
      .option('--force', 'overwrite the output file'),
    'nv mtk nvram patch nvram.bin --lid LD0B_001 -o nvram-fixed.bin',
  ).action(async (file, opts) => {
    const { nvramPatch } = await import('../actions/mtk-images.ts');
    await nvramPatch(context(), file, opts);
  });
  withExample(
    nvram
      .command('build')
      .description('pack a folder (as nvram inspect --extract wrote it) into a bin-region partition image')
      .argument('<dir>', 'folder of files; sub-folders become full-path titles')
      .requiredOption('-o, --output <file>', 'the partition image')
      .addOption(blockSize())
      .option('--blocks <n>', 'usable blocks N (default: the fewest that fit)', integerArg('--blocks', { min: 2 }))
      .option('--bad-blocks <list>', 'comma-separated blocks to mark bad and skip')
      .option(
        '--bad-block-fill <byte>',
        'content of bad blocks (default 0xFF)',
        integerArg('--bad-block-fill', { min: 0, max: 255 }),
      )
      .option('--layout <json>', 'titles order, names, geometry and counts from `nv mtk nvram inspect --json`')
      .option('--force', 'overwrite the output file'),
    'nv mtk nvram build extracted/ -o nvram.bin --block-size 0x20000',
  ).action(async (dir, opts) => {
    const { nvramBuild } = await import('../actions/mtk-images.ts');
    await nvramBuild(context(), dir, opts);
  });

  const ap = withExample(
    mtk.command('ap').description('AP-side NVRAM files (APCFG/APRDEB, APRDCL, FILE_VER): trailers, sizes, versions'),
    'nv mtk ap verify nvdata/APCFG',
  );
  const apInput = '<dir-or-image>';
  const apInputHelp = 'APCFG folder (or nvdata root), or an ext4 nvdata image';
  const sizes = 'JSON {"WIFI": 512, …}: data size (recSize × recNum) per file from the AP table';
  withExample(
    ap
      .command('ls')
      .description('AP files with size, trailer state and FILE_VER version')
      .argument(apInput, apInputHelp)
      .option('--sizes <json>', sizes),
    'nv mtk ap ls nvdata.img --json',
  ).action(async (target, opts) => {
    const { apLs } = await import('../actions/mtk-images.ts');
    await apLs(context(), target, opts);
  });
  withExample(
    ap
      .command('decode')
      .description('one AP file (data and check trailer) or FILE_VER (its entries)')
      .argument('<file>', 'AP file, e.g. APCFG/APRDEB/WIFI')
      .option('--size <n>', 'data size from the AP table (recSize × recNum)', integerArg('--size', { min: 0 })),
    'nv mtk ap decode APCFG/APRDCL/FILE_VER --json',
  ).action(async (file, opts) => {
    const { apDecode } = await import('../actions/mtk-images.ts');
    await apDecode(context(), file, opts);
  });
  withExample(
    ap
      .command('verify')
      .description('check every AP file: trailer, size (with --sizes), FILE_VER (exit 1 on failure)')
      .argument(apInput, apInputHelp)
      .option('--sizes <json>', sizes),
    'nv mtk ap verify nvdata/APCFG --sizes ap-sizes.json --json',
  ).action(async (target, opts) => {
    const { apVerify } = await import('../actions/mtk-images.ts');
    await apVerify(context(), target, opts);
  });
};
