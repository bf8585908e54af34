/**
 * `img`: wrap a bare `.mbn` into the `.img` partition image (docs/formats/fsg.md#img-sector, docs/formats/fsg.md#keygen-sign-img). Pure and browser-safe.
 * @module
 */
import { NvError } from '@nv/core';
import { concatBytes } from '@nv/core/bytes';
import { encodeImgSector, locateSignedImage, type ImgPartition } from './container.ts';
import type { FsgFinding } from './errors.ts';
import { assertFitsRamBuffer, metaForPartition, type EfsImageMeta } from './meta.ts';

/** Result of {@link buildFsgImg}. */
export interface FsgImg {
  img: Uint8Array<ArrayBuffer>;
  size: number;
  /** image_dest_ptr written in the sector. */
  dest: number;
  findings: FsgFinding[];
}

/**
 * Builds `sector ‖ .mbn` for FSG (default), FS1 or FS2; `dest` from the meta file (`<P>_RAM_ADDR + 512`, or 0).
 * @throws NvError `NV_FSG_IMG_SECTOR` when the input already is an `.img`, docs/formats/fsg.md#recognise codes for non-images, `NV_FSG_META_PARSE`,
 *   `NV_FSG_TOO_LARGE` when the code does not fit the partition's RAM buffer of the meta file (docs/formats/fsg.md#modem-checks step 17).
 * @example
 * const { img, dest } = buildFsgImg(mbn, { meta: parseEfsImageMeta(metaBytes) });
 */
export function buildFsgImg(
  mbn: Uint8Array,
  options: { meta?: EfsImageMeta; partition?: ImgPartition; path?: string } = {},
): FsgImg {
  const loc = locateSignedImage(mbn, options.path);
  if (loc.container !== 'mbn')
    throw new NvError(
      'NV_FSG_IMG_SECTOR',
      `the input is already an ${loc.container === 'img' ? '.img' : 'fsg dump'}; give the bare .mbn`,
      { offset: 0, path: options.path },
    );
  if (loc.trailingBytes !== 0)
    throw new NvError(
      'NV_FSG_HEADER_SIZES',
      `${loc.trailingBytes} bytes follow the .mbn (40 + image_size = ${loc.mbn.length}); the .mbn must end there`,
      { offset: loc.mbn.length, path: options.path },
    );
  const m = metaForPartition(options.meta, options.partition ?? 'FSG');
  // The same rule verify checks at step 17: never write an image the modem refuses (issue 14.8).
  assertFitsRamBuffer(loc.header.codeSize, options.meta, options.partition ?? 'FSG', options.path);
  const img = concatBytes(
    encodeImgSector({ mbnSize: mbn.length, dest: m.dest, partition: options.partition ?? 'FSG' }),
    mbn,
  );
  return {
    img,
    size: img.length,
    dest: m.dest,
    findings: options.meta
      ? m.findings
      : [
          {
            severity: 'warning',
            code: 'NV_FSG_META_KEY_MISSING',
            message: 'no efs_image_meta.bin: image_dest_ptr 0 is written and no size check is possible',
          },
        ],
  };
}
