/**
 * The input limits of the package in one place, for callers that cap their reads before decoding.
 * @module
 */
import { BIN_REGION_MAX_BYTES } from './bin-region.ts';
import { LID_BIT_MAX_CHARS } from './lid-bit.ts';
import { LID_MAX_FILE_BYTES } from './lid-file.ts';

/** Largest inputs accepted: a LID file (bytes), a LID_BIT description (characters), a bin region (bytes). */
export const LID_LIMITS: {
  readonly fileBytes: number;
  readonly lidBitChars: number;
  readonly binRegionBytes: number;
} = Object.freeze({
  fileBytes: LID_MAX_FILE_BYTES,
  lidBitChars: LID_BIT_MAX_CHARS,
  binRegionBytes: BIN_REGION_MAX_BYTES,
});
