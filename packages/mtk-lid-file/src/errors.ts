/**
 * `@nv/mtk-lid-file/errors`: this package's error codes (prefix `NV_LID_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

const CODES = {
  NV_LID_BAD_NAME: {
    meaning: 'A LID file name does not match PPPP + _/A/B + VVV (8 characters).',
    fix: 'Rename the file to the prefix + copy letter + 3-digit VERNO of its table entry, e.g. LD0B_001.',
  },
  NV_LID_NAME_MISMATCH: {
    meaning: 'The prefix, VERNO or copy letter of a file name disagrees with the table entry.',
    fix: 'Use the entry that matches the file, or rename the file after a VERNO bump.',
  },
  NV_LID_UNKNOWN_GENERATION: {
    meaning: 'No generation-A or generation-B layout fits the file.',
    fix: 'Give the table entry (--ltable) or force the generation with --gen A|B.',
  },
  NV_LID_AMBIGUOUS_LAYOUT: {
    meaning:
      'Several record splits of a table-less generation-A file have every checksum right (no byte is corrupt, but the record size is open).',
    fix: 'Name the record size or count (--record-size / --records) or give the table entry (--ltable); verify passes such a file and lists the candidates.',
  },
  NV_LID_BAD_SIZE: {
    meaning: 'The file length differs from the length its table entry or header implies.',
    fix: 'Check that the table entry matches the firmware that wrote the file; the offset is the expected length.',
  },
  NV_LID_BAD_CHECKSUM: {
    meaning: 'A record checksum does not match its bytes.',
    fix: 'The record is corrupt (or a wrong key was used for a confidential LID); restore it from the other copy, the bin region or the default.',
  },
  NV_LID_BAD_MAGIC: {
    meaning: 'A generation-B file does not start with "LDI\\0".',
    fix: 'Decode it as generation A (--gen A) or restore the file.',
  },
  NV_LID_BAD_HEADER_CHECKSUM: {
    meaning: 'The generation-B header checksum (bytes 30-31) is wrong.',
    fix: 'Re-encode the file: the modem upgrade scan skips files with a bad header checksum.',
  },
  NV_LID_HEADER_MISMATCH: {
    meaning: 'The generation-B header (LID, records, size or category) disagrees with the table entry.',
    fix: 'Use the table of the firmware that wrote the file.',
  },
  NV_LID_COPY_MISMATCH: {
    meaning: 'The A and B copies of a MULTIPLE LID differ.',
    fix: 'Reconcile them: copy the good copy over the bad one (reconcileCopies).',
  },
  NV_LID_KEY_REQUIRED: {
    meaning: 'A confidential LID needs a key to be decrypted or encrypted.',
    fix: 'Supply the key with --key <hex> or --key-file; this package ships no vendor key.',
  },
  NV_LID_BAD_PADDING: {
    meaning: 'After decryption a generation-B section has non-zero pad bytes: the key is wrong.',
    fix: 'Use the key of the device that wrote the file.',
  },
  NV_LID_HW_BOUND: {
    meaning: 'The LID is MSP (chip-bound hardware cipher): data and checksums cannot be checked offline.',
    fix: 'Read it on the device; only the size was checked.',
  },
  NV_LID_BAD_RECORD_INDEX: {
    meaning: 'A record index is outside 1…records.',
    fix: 'Record indexes are 1-based; use one within the entry record count.',
  },
  NV_LID_BAD_BUFFER_SIZE: {
    meaning: 'A record buffer has the wrong length.',
    fix: 'Give exactly the record size of the entry (or at least it, for reads).',
  },
  NV_LID_SECURE_API_REQUIRED: {
    meaning: 'The plain external read/write call is refused for IMEI and SIM-lock LIDs.',
    fix: 'Use the secure read/write call.',
  },
  NV_LID_WRITE_PROTECTED: {
    meaning: 'The LID is write-protected for the external write call.',
    fix: 'Write it in factory mode, or clear the protection in the table.',
  },
  NV_LID_DEFAULT_UNAVAILABLE: {
    meaning: 'The default value is a function or a pack that cannot be evaluated offline.',
    fix: 'Supply the default bytes explicitly.',
  },
  NV_LID_DEFAULT_TOO_SHORT: {
    meaning: 'The default bytes are shorter than the record (or, with MULTI_DEFAULT, than records × size).',
    fix: 'Supply a default of the full length.',
  },
  NV_LID_AP_BAD_TRAILER: {
    meaning: 'An AP file check trailer (0xAA + CheckNo) is wrong.',
    fix: 'Restore the file from the bin region or reset it to its default.',
  },
  NV_LID_AP_BAD_SIZE: {
    meaning: 'An AP file is neither the data size nor the data size + 2.',
    fix: 'Check the AP file table entry (recSize × recNum).',
  },
  NV_LID_FILEVER_BAD_SIZE: {
    meaning: 'FILE_VER is not a whole number of 74-byte (or 4-byte) entries.',
    fix: 'Restore FILE_VER from the bin region.',
  },
  NV_LID_BIN_EMPTY: {
    meaning: 'The nvram bin region is blank (all 00 or all FF).',
    fix: 'Nothing is backed up; this is normal before the first backup.',
  },
  NV_LID_BIN_NO_BITMAP: {
    meaning: 'No bad-block bitmap was found in the bin region; all blocks are assumed good.',
    fix: 'None needed unless the extracted files fail their checks.',
  },
  NV_LID_BIN_BAD_HEADER: {
    meaning: 'mapSize/datSize of the bin region do not fit the partition.',
    fix: 'The partition dump is truncated or not an nvram bin region.',
  },
  NV_LID_BIN_BAD_CHECKSUM: {
    meaning: 'The bin-region ulCheckSum does not match AllFile.',
    fix: 'The backup is corrupt; do not restore from it.',
  },
  NV_LID_BIN_BAD_TITLE: {
    meaning: 'A bin-region title points outside AllFile.',
    fix: 'The backup map is corrupt; do not restore that file.',
  },
  NV_LID_BIN_BAD_FLAG: {
    meaning: 'The bin-region title header flag is not 0xFECF.',
    fix: 'The map layout is unknown or corrupt.',
  },
  NV_LID_IMAGE_BAD: {
    meaning:
      'A partition image is not an ext2/3/4 file system libext2fs can open (bad superblock or corrupt metadata).',
    fix: 'Check that the dump is the nvdata/protect partition itself (magic 0xEF53 at byte 1080), whole and not sparse (simg2img first).',
  },
  NV_LID_IMAGE_NO_FILE: {
    meaning: 'The path named inside an ext4 image does not exist, or a LID name matches several files.',
    fix: 'List the image (nv mtk nvdata ls) and give the full path inside it with --path.',
  },
  NV_LID_IMAGE_FULL: {
    meaning: 'The ext4 image has no free block or inode left for the new file.',
    fix: 'Free space in the image (or make it larger with resize2fs) before putting the file.',
  },
  NV_LID_IMAGE_NO_LABEL: {
    meaning: 'A file new to the image was created without an SELinux label (libext2fs in WASM writes no xattrs).',
    fix: 'Run restorecon on the folder on the device after flashing, or replace an existing file instead of creating one.',
  },
  NV_LID_BIN_BUILD: {
    meaning: 'A folder cannot be packed into a bin region: a name over 127 bytes, or more data than the blocks hold.',
    fix: 'Shorten the path, give more --blocks, or a larger --block-size.',
  },
  NV_LID_BIT_SYNTAX: {
    meaning: 'A LID_BIT description has a syntax error.',
    fix: 'Fix the description at the given line and column.',
  },
  NV_LID_BIT_UNRESOLVED: {
    meaning: 'A LID_BIT count or VERNO uses a macro that is not defined.',
    fix: 'Add the #define or pass the value.',
  },
  NV_LID_BIT_UNKNOWN_TYPE: {
    meaning: 'A LID_BIT record struct or member type is unknown.',
    fix: 'Include the typedef of the struct in the input.',
  },
  NV_LID_BIT_UNKNOWN_FIELD: {
    meaning: 'A LID_BIT path names no member of the record struct.',
    fix: 'Use the full member chain from the record struct (e.g. a.b[2].c).',
  },
  NV_LID_BIT_WIDTH_OVERFLOW: {
    meaning: 'The bit fields of a member are wider than the member.',
    fix: 'Make the widths sum to at most the element width.',
  },
  NV_LID_BIT_SIZE_MISMATCH: {
    meaning: 'sizeof(record struct) differs from the table record size.',
    fix: 'Use the struct of the firmware the table belongs to.',
  },
  NV_LID_BIT_BAD_VALUE: {
    meaning: 'A field value does not fit its C type (integer range, array length, struct member, number kind).',
    fix: 'Give a value of the field type: signed/unsigned integers in range, 64-bit integers as decimal strings, arrays of the declared length, or hex of the raw bytes.',
  },
  NV_LID_BIT_DUP_VALUE: { meaning: 'A value list maps the same raw number twice.', fix: 'Remove the duplicate value.' },
  NV_LID_BIT_MISSING_SEMI: { meaning: 'A `;` is missing after a value list (accepted, warning).', fix: 'Add the `;`.' },
};

/** A code of `@nv/mtk-lid-file` (`NV_LID_…`). */
export type LidErrorCode = keyof typeof CODES;

/** Every `NV_LID_*` code this package throws, with its meaning and fix (rendered by the docs and `nv errors`). */
export const LID_ERROR_CODES: ErrorCodeTable<LidErrorCode> = defineErrorCodes('NV_LID_', CODES);

declare module '@nv/core' {
  interface NvErrorCodes extends Record<LidErrorCode, true> {}
}
