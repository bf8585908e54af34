// One sample file per inspector type with the decoded fields the page must show for it. The inputs come from
// outside the inspector: the qcom-mbn §4.5 known-answer vector (hand-written from the spec), a LID file from
// @nv/mtk-lid-file's encoder, and a QCN and a signed FSG .img made by the `nv` CLI (run in-process) from the
// same sources as the FSG preload guide. The root hash expected on the page is computed by node:crypto.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createHash, X509Certificate } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { run } from '@nv/cli';
import { encodeLidFile } from '@nv/mtk-lid-file';

export interface InspectorSample {
  readonly type: 'qcn' | 'fsg' | 'mbn' | 'lid';
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Text the decoded view must contain. */
  readonly expect: readonly string[];
}

async function nv(dir: string, args: readonly string[]): Promise<void> {
  let out = '';
  const sink = new Writable({
    write(chunk: Buffer, _e, done) {
      out += chunk.toString();
      done();
    },
  });
  const code = await run(args, { stdout: sink, stderr: sink, env: { NO_COLOR: '1' }, cwd: dir });
  if (code !== 0) throw new Error(`nv ${args.join(' ')} exited ${code}: ${out}`);
}

const MASTER = `<?xml version="1.0" encoding="utf-8"?>
<NvSource>
  <NvItem id="10" name="NV_PREF_MODE_I" mapping="direct" encoding="dec">0,31</NvItem>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" mapping="direct" encoding="hex">0x81</NvEfsItem>
  <NvItem id="20000" name="RFNV_B1_EXAMPLE" mapping="direct" encoding="dec">1,2,-740</NvItem>
</NvSource>
`;
const DEFINITION = `<?xml version="1.0" encoding="utf-8"?>
<NvDefinition>
  <NvItem id="10" name="NV_PREF_MODE_I" permission="rw"><Member name="nam" type="uint8" sizeOf="1"/><Member type="uint16" sizeOf="1"/></NvItem>
  <NvItem id="20000" name="RFNV_B1_EXAMPLE" permission="rw"><Member type="uint8" sizeOf="2"/><Member type="int16" sizeOf="1"/></NvItem>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" name="autoselect" permission="rw"><Member type="uint8" sizeOf="1"/></NvEfsItem>
</NvDefinition>
`;

/** The samples (needs `nv qcom nv compile` and the `nv qcom fsg` commands for the QCN and FSG ones). */
export async function inspectorSamples(): Promise<InspectorSample[]> {
  const mbn = new Uint8Array(
    readFileSync(new URL('../../../packages/qcom-mbn/test/vectors/kat-4.5.mbn', import.meta.url)),
  );
  const entry = {
    lid: 0x2a,
    name: 'NVRAM_EF_DEMO_LID',
    size: 8,
    records: 2,
    attributes: [] as string[],
    attr: 0,
    category: 0,
  };
  const lid = encodeLidFile(
    [Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0)],
    entry,
    { generation: 'B' },
  );

  const dir = mkdtempSync(join(tmpdir(), 'nv-docs-samples-'));
  try {
    writeFileSync(join(dir, 'master.xml'), MASTER);
    writeFileSync(join(dir, 'NvDefinition.xml'), DEFINITION);
    await nv(dir, ['qcom', 'nv', 'compile', 'master.xml', '--definition', 'NvDefinition.xml', '-o', 'preload.qcn']);
    mkdirSync(join(dir, 'efs', 'nvm', 'num'), { recursive: true });
    writeFileSync(join(dir, 'efs', 'nvm', 'num', '10'), Uint8Array.of(0x1f, 0));
    writeFileSync(join(dir, 'efs_image_meta.bin'), 'EFS_IMAGE_KEYS,VALUES\r\nGOLDEN_RAM_ADDR,0x87C00000\r\n');
    await nv(dir, ['qcom', 'efs', 'pack', './efs', '-o', 'fs_image.tar.gz']);
    await nv(dir, ['qcom', 'fsg', 'keygen', '-o', './keys', '--hw-id', '0x009600E100000000', '--sw-id', '0x1B']);
    await nv(dir, [
      'qcom',
      'fsg',
      'sign',
      'fs_image.tar.gz',
      '--keys',
      './keys',
      '--hw-id',
      '0x009600E100000000',
      '--sw-id',
      '0x1B',
      '-o',
      'fs_image.tar.gz.mbn',
    ]);
    await nv(dir, [
      'qcom',
      'fsg',
      'img',
      'fs_image.tar.gz.mbn',
      '--meta',
      'efs_image_meta.bin',
      '-o',
      'fs_image.tar.gz.mbn.img',
    ]);
    const rootHash = createHash('sha256')
      .update(new X509Certificate(readFileSync(join(dir, 'keys', 'root.crt.pem'))).raw)
      .digest('hex');
    return [
      {
        type: 'qcn',
        name: 'preload.qcn',
        bytes: new Uint8Array(readFileSync(join(dir, 'preload.qcn'))),
        expect: [
          'fileVersion',
          'NV 10',
          '00 1f 00',
          '/nv/item_files/mcfg/mcfg_autoselect_by_uim',
          '/nv/item_files/rfnv/00020000',
          '01 02 1c fd',
        ],
      },
      {
        type: 'fsg',
        name: 'fs_image.tar.gz.mbn.img',
        bytes: new Uint8Array(readFileSync(join(dir, 'fs_image.tar.gz.mbn.img'))),
        expect: ['header.imageId', '27', 'sector.imageId', '0x87C00200', 'gzip', rootHash],
      },
      {
        type: 'mbn',
        name: 'mcfg_sw.mbn',
        bytes: mbn,
        expect: [
          'carrierIndex',
          'Commercial-TMO',
          '0x0501050D',
          'NV 71',
          'EFS /nv/item_files/ims/qp_ims_dpl_config',
          '8949024',
        ],
      },
      {
        type: 'lid',
        name: 'NVD_DEMO_001',
        bytes: lid,
        expect: ['generation', 'B', '0x002A', 'all ok', '01 02 03 04 05 06 07 08', 'de ad be ef'],
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
