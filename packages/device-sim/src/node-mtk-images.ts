/**
 * Node-only: the simulated MediaTek device's partitions as image files, the way a read-back gives them — `nvdata.img`,
 * `protect1.img` (protect_f), `protect2.img` (protect_s) as ext images built by `@nv/mtk-lid-file/node`
 * (`buildExt4Image`: libext2fs writes the files) and `nvram.bin` as a bin region (`buildBinRegion`, titles
 * `/mnt/vendor/nvdata/md/NVRAM/<folder>/<name>`). Used by an `--images` state folder and by the dump.
 * @module
 */
import { NvError } from '@nv/core';
import { buildBinRegion } from '@nv/mtk-lid-file';
import { readBinRegionFiles } from '@nv/mtk-lid-file/modem';
import { buildExt4Image, readExt4Files } from '@nv/mtk-lid-file/node';
import type { MtkStateFile } from './mtk-state.ts';

/** Image file names of the partitions, by state-folder location. */
export const MTK_SIM_IMAGE_FILES = {
  nvdata: 'nvdata.img',
  protect_f: 'protect1.img',
  protect_s: 'protect2.img',
  nvram: 'nvram.bin',
} as const;

const MIB = 1024 * 1024;
/** Partition sizes of the simulated phone (bytes): nvdata 32 MiB, protect1/2 10 MiB, nvram 8 MiB. */
export const MTK_SIM_IMAGE_BYTES: { readonly [K in keyof typeof MTK_SIM_IMAGE_FILES]: number } = {
  nvdata: 32 * MIB,
  protect_f: 10 * MIB,
  protect_s: 10 * MIB,
  nvram: 8 * MIB,
};

/** Full-path prefix of the bin-region titles (newer builds store full paths, docs/formats/bin-region.md#layout). */
export const MTK_SIM_NVRAM_TITLE_PREFIX = '/mnt/vendor/nvdata/md/NVRAM/';
const NVRAM_BLOCK = 0x20000;
const EXT_PARTS = ['nvdata', 'protect_f', 'protect_s'] as const;
const LABELS = { nvdata: 'nvdata', protect_f: 'protect1', protect_s: 'protect2' } as const;

/**
 * The partition images of a device's state files (`mtkDeviceToFiles`): one entry per image file name.
 * `blankBinRegion` writes `nvram.bin` erased (0xFF), as a phone whose backup never ran.
 * @throws NvError `NV_LID_IMAGE_FULL` when the files do not fit a partition.
 * @example const images = await mtkStateFilesToImages(mtkDeviceToFiles(device), device.binRegion === null)
 */
export async function mtkStateFilesToImages(
  files: readonly MtkStateFile[],
  blankBinRegion: boolean,
  options: { time?: number } = {},
): Promise<MtkStateFile[]> {
  const time = options.time ?? Math.floor(Date.now() / 1000);
  const out: MtkStateFile[] = [];
  const under = (where: string) =>
    files.filter((f) => f.path.startsWith(`${where}/`)).map((f) => ({ rest: f.path.slice(where.length + 1), f }));
  for (const p of EXT_PARTS) {
    const entries = under(p).map(({ rest, f }) => ({ path: rest, type: 'file' as const, bytes: f.bytes }));
    const bytes = await buildExt4Image(entries, {
      size: MTK_SIM_IMAGE_BYTES[p],
      label: LABELS[p],
      time,
      path: MTK_SIM_IMAGE_FILES[p],
    });
    out.push({ path: MTK_SIM_IMAGE_FILES[p], bytes });
  }
  const bin = under('nvram').map(({ rest, f }) => ({ name: `${MTK_SIM_NVRAM_TITLE_PREFIX}${rest}`, bytes: f.bytes }));
  let nvram: Uint8Array;
  if (blankBinRegion) nvram = new Uint8Array(MTK_SIM_IMAGE_BYTES.nvram).fill(0xff);
  else {
    // N usable blocks + 8 log + 8 reserved = the partition size, unless the files need more.
    const fixed = MTK_SIM_IMAGE_BYTES.nvram / NVRAM_BLOCK - 16;
    const need = Math.ceil((bin.reduce((s, f) => s + f.bytes.length + 140, 0) + 64) / NVRAM_BLOCK) + 2;
    nvram = buildBinRegion(bin, { blockSize: NVRAM_BLOCK, blocks: Math.max(fixed, need) });
  }
  out.push({ path: MTK_SIM_IMAGE_FILES.nvram, bytes: nvram });
  return out;
}

/**
 * The state files (`nvdata/…`, `protect_f/…`, `protect_s/…`, `nvram/<folder>/<name>`) held by partition images; a
 * missing or blank `nvram.bin` holds none.
 * @throws NvError `NV_LID_IMAGE_BAD`, `NV_LID_BIN_*`, `NV_SIM_MTK_BAD_STATE` for a bin-region title outside
 *   `/mnt/vendor/nvdata/md/NVRAM/`.
 * @example const files = await mtkImagesToStateFiles((name) => images.get(name))
 */
export async function mtkImagesToStateFiles(
  read: (name: string) => Uint8Array | undefined,
): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const p of EXT_PARTS) {
    const bytes = read(MTK_SIM_IMAGE_FILES[p]);
    if (bytes === undefined) continue;
    for (const [path, b] of await readExt4Files(bytes, { path: MTK_SIM_IMAGE_FILES[p] })) out.set(`${p}/${path}`, b);
  }
  const nvram = read(MTK_SIM_IMAGE_FILES.nvram);
  if (nvram !== undefined && !nvram.every((b) => b === 0xff) && !nvram.every((b) => b === 0))
    for (const f of readBinRegionFiles(nvram, { path: MTK_SIM_IMAGE_FILES.nvram, blockSize: NVRAM_BLOCK })) {
      if (!f.name.startsWith(MTK_SIM_NVRAM_TITLE_PREFIX))
        throw new NvError(
          'NV_SIM_MTK_BAD_STATE',
          `bin-region title ${f.name} is not under ${MTK_SIM_NVRAM_TITLE_PREFIX}: not a simulated device's nvram`,
          { path: MTK_SIM_IMAGE_FILES.nvram },
        );
      out.set(`nvram/${f.name.slice(MTK_SIM_NVRAM_TITLE_PREFIX.length)}`, f.bytes);
    }
  return out;
}
