/**
 * Every backed-up file of a bin region in memory: the inverse of `buildBinRegion` (the simulator's `nvram.bin`, a
 * test's generated region). Pure.
 * @module
 */
import { NvError } from '@nv/core';
import { binRegionChecksum, scanBinRegionTitles, unpackBinRegion, type BinRegionOptions } from './bin-region.ts';

/**
 * The files of a bin region with their titles (names or full paths as stored), after checking ulCheckSum.
 * @throws NvError `NV_LID_BIN_BAD_CHECKSUM`, `NV_LID_BIN_EMPTY` (blank partition), and as `inspectBinRegion`.
 * @example readBinRegionFiles(image).map((f) => f.name)
 */
export function readBinRegionFiles(
  bytes: Uint8Array,
  options: BinRegionOptions = {},
): { name: string; bytes: Uint8Array<ArrayBuffer> }[] {
  const { allMap, allFile } = unpackBinRegion(bytes, options);
  const stored = new DataView(allMap.buffer, allMap.byteOffset, 4).getUint32(0, true);
  const computed = binRegionChecksum(allFile);
  if (stored !== computed)
    throw new NvError(
      'NV_LID_BIN_BAD_CHECKSUM',
      `ulCheckSum is 0x${stored.toString(16)}, AllFile gives 0x${computed.toString(16)}: the backup is corrupt`,
      { path: options.path },
    );
  return scanBinRegionTitles(allMap, allFile.length, options.path).map((t) => ({
    name: t.name,
    bytes: allFile.slice(t.start, t.start + t.size),
  }));
}
