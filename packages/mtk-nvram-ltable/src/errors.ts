/**
 * `@nv/mtk-nvram-ltable/errors`: this package's error codes (prefix `NV_LTABLE_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

const CODES = {
  NV_LTABLE_SYNTAX: {
    meaning: 'The C source has unbalanced braces or quotes, or no LID table was found.',
    fix: 'Check the line and column in the message; the file must hold an `ltable_entry_struct name[] = {…};` array.',
  },
  NV_LTABLE_LAYOUT_UNKNOWN: {
    meaning: 'The entry order (MOLY vs MAUI) cannot be decided.',
    fix: 'Pass --generation, or use the _TOTAL/_SIZE macro names so the order is visible.',
  },
  NV_LTABLE_ORDER_SWAPPED: {
    meaning:
      'An entry lists record size and record count in the other generation’s order (e.g. `…_SIZE, …_TOTAL` in a MOLY table): it compiles, and the modem swaps them (spec §11).',
    fix: 'Put the fields in the table’s order: MOLY `LID, TOTAL, SIZE`; MAUI `LID, SIZE, TOTAL`.',
  },
  NV_LTABLE_FIELD_COUNT: {
    meaning: 'A table entry has fewer than 8 or more than 10 fields.',
    fix: 'Check the entry at the reported line; every entry needs LID, records, size, default, category, attr, prefix and VERNO.',
  },
  NV_LTABLE_UNRESOLVED: {
    meaning: 'A macro or expression could not be evaluated; its text is kept.',
    fix: 'Add the #define to the input, pass -D NAME=VALUE, or give struct sizes for sizeof().',
  },
  NV_LTABLE_DUP_LID: { meaning: 'Two entries use the same LID number.', fix: 'Give each LID its own number.' },
  NV_LTABLE_DUP_NAME: { meaning: 'Two entries use the same LID symbol.', fix: 'Rename or remove one of them.' },
  NV_LTABLE_DUP_PREFIX: {
    meaning: 'Two entries use the same file prefix, so their files would collide.',
    fix: 'Give each LID a unique 4-character prefix.',
  },
  NV_LTABLE_BAD_PREFIX: {
    meaning: 'A file prefix is not 4 characters from [0-9A-Za-z].',
    fix: 'Use exactly 4 letters or digits, such as "MP0B".',
  },
  NV_LTABLE_BAD_VERNO: {
    meaning: 'A VERNO is not exactly 3 decimal digits.',
    fix: 'Write the version as "000" to "999".',
  },
  NV_LTABLE_VERNO_OVERFLOW: {
    meaning: 'A VERNO cannot be bumped past 999.',
    fix: 'Create a new LID with a new prefix starting at "000" (spec §5).',
  },
  NV_LTABLE_BAD_SIZE: {
    meaning: 'A record size is 0 or not below 2^32.',
    fix: 'Use a record size from 1 to 4294967295 bytes.',
  },
  NV_LTABLE_BAD_RECORDS: { meaning: 'A record count is 0 or over 65535.', fix: 'Use a record count from 1 to 65535.' },
  NV_LTABLE_LID_RANGE: {
    meaning: 'A LID number is over 0xFFFF or outside its moly-b group.',
    fix: 'Use groupBase | index within the group (spec §5).',
  },
  NV_LTABLE_UNKNOWN_ATTR: {
    meaning: 'An attribute name or bit is not in the enum set.',
    fix: 'Use a name of the generation’s attribute enum (spec §4.1).',
  },
  NV_LTABLE_UNKNOWN_CATEGORY: {
    meaning: 'A category name or bit is not in the enum set.',
    fix: 'Use a name of the generation’s category enum (spec §4.2/§4.3).',
  },
  NV_LTABLE_UNVERIFIED_BIT: {
    meaning: 'A later-build moly-b attribute bit is used whose behaviour is unverified.',
    fix: 'Check the bit against your modem build’s nvram_attr_enum.',
  },
  NV_LTABLE_GEN_MISMATCH: {
    meaning: 'A name is only valid in another generation (e.g. RESERVE_BACKWARD under moly-a).',
    fix: 'Pick the right --generation or use the name of this generation.',
  },
  NV_LTABLE_ENUMSET_REQUIRED: {
    meaning: 'A maui table needs an explicit enum set.',
    fix: 'Pass --enum-set maui-1, maui-2 or maui-3 (spec §4.3).',
  },
  NV_LTABLE_DEFAULT_LENGTH: {
    meaning: 'A byte default is shorter than the record (or all records with MULTI_DEFAULT).',
    fix: 'Make the default array as long as size (size × records with MULTI_DEFAULT).',
  },
  NV_LTABLE_ATTR_CONFLICT: {
    meaning: 'Attributes or category bits that must not be combined are combined.',
    fix: 'See the rule in the message (spec §10) and drop one of the bits.',
  },
  NV_LTABLE_CONFIDENTIAL_REQUIRED: {
    meaning: 'SECUPACK/CUSTOM_SENSITIVE data without CONFIDENTIAL|MULTIPLE (the boot rewrites add them).',
    fix: 'Declare CONFIDENTIAL|MULTIPLE so the on-disk names match the table.',
  },
  NV_LTABLE_CATEGORY_SHADOWED: {
    meaning: 'Several folder-selecting category bits are set; only the first wins.',
    fix: 'Keep only the category bit whose folder you intend.',
  },
  NV_LTABLE_REWRITE_RENAMES: {
    meaning: 'A boot-time attribute rewrite (spec §7) gives the LID other file names than the table suggests.',
    fix: 'Expect the effective names on the device (e.g. MP0B_001 on eMMC); declare the effective attributes to avoid surprises.',
  },
  NV_LTABLE_SMART_QUOTES: {
    meaning: 'Curly quotes were normalized to straight quotes.',
    fix: 'Replace “ ” with " in the source.',
  },
  NV_LTABLE_BAD_JSON: {
    meaning: 'The JSON table does not match the published schema.',
    fix: 'Fix the entry and field named in the message (see ltable.schema.json).',
  },
  NV_LTABLE_SCATTER_SYNTAX: {
    meaning:
      'A scatter file line is not "key: value" in a "- partition_index:" block, or the file uses the pre-2013 layout.',
    fix: 'Give the MTxxxx_Android_scatter.txt of the firmware package (v1.1 or later); the line is in the message.',
  },
  NV_LTABLE_SCATTER_UNKNOWN_PARTITION: {
    meaning: 'A --download partition name is not in the scatter file.',
    fix: 'Use partition_name values of the scatter file (case does not matter), comma-separated.',
  },
  NV_LTABLE_PLAN_BAD_MODE: {
    meaning: 'The upgrade mode is not one of format-all, firmware-upgrade, factory-reset, download-only, ota.',
    fix: 'Pass one of the five modes with --mode.',
  },
  NV_LTABLE_PLAN_GEN_MISMATCH: {
    meaning: 'The old and new tables are of different generations.',
    fix: 'Plan between tables of the same generation.',
  },
  NV_LTABLE_PLAN_IDENTITY_RESET: {
    meaning: 'Format All erases calibration, IMEI/barcode and SIM-lock data.',
    fix: 'Re-calibrate, re-write IMEI/barcode, re-apply the SIM lock, then trigger a bin-region backup.',
  },
  NV_LTABLE_PLAN_NEEDS_FORMAT_ALL: {
    meaning: 'A CA-combination or RF-band LID changed; only Format All applies it consistently.',
    fix: 'Ship this change with Format All + Download (and re-calibrate), or revert it.',
  },
  NV_LTABLE_PLAN_VERNO_FORBIDDEN: {
    meaning: 'A VERNO bump on IMPORTANT/IMPORTANT_L4 makes the modem assert.',
    fix: 'Revert the VERNO; IMEI and SIM-lock items must keep their version.',
  },
  NV_LTABLE_PLAN_CALIBRATION_LOSS: {
    meaning: 'A VERNO bump on calibration results/barcode regenerates them from defaults.',
    fix: 'Revert the VERNO; calibration data cannot be recreated outside the factory.',
  },
  NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT: {
    meaning: 'The record size/count of a calibration/IMPORTANT/IMPORTANT_L4 LID changed.',
    fix: 'Keep the structure; add a new LID for new fields.',
  },
  NV_LTABLE_PLAN_L4_LOST: {
    meaning: 'An IMPORTANT_L4 (SIM-lock) file would disappear; moly-b asserts.',
    fix: 'Keep the category and the LID.',
  },
  NV_LTABLE_PLAN_IDENTITY_CHANGE: {
    meaning:
      'The folder, prefix or copy count of calibration/IMEI/SIM-lock data changed, so its file is not found after the upgrade.',
    fix: 'Keep category, prefix and MULTIPLE of unit-data items.',
  },
  NV_LTABLE_PLAN_BIN_REGION_EMPTY: {
    meaning: 'The bin region is empty, so calibration/IMEI data is regenerated from defaults.',
    fix: 'Back up to the bin region before upgrading, or re-calibrate afterwards.',
  },
  NV_LTABLE_PLAN_VERNO_REQUIRED: {
    meaning: 'The change will not take effect (or data is mis-read) without a VERNO bump.',
    fix: 'Bump the VERNO by one.',
  },
  NV_LTABLE_PLAN_VERNO_REUSED: {
    meaning: 'The new VERNO names an old orphan file, whose old data comes back.',
    fix: 'Pick a VERNO never used before for this prefix.',
  },
  NV_LTABLE_PLAN_STALE: {
    meaning: 'The new default does not take effect: the old data survives.',
    fix: 'Expected for unit data; bump VERNO only if the new default must win and the data is not unit-specific.',
  },
  NV_LTABLE_PLAN_REMOVED: {
    meaning: 'The LID was removed; its old file stays as an orphan or is deleted.',
    fix: 'Nothing to do unless the data must be migrated.',
  },
};

/** A code of `@nv/mtk-nvram-ltable` (`NV_LTABLE_…`). */
export type LtableErrorCode = keyof typeof CODES;

/** Every `NV_LTABLE_*` code this package throws or reports, with its meaning and fix (docs/formats/lid-table.md#validation, docs/formats/lid-table.md#decision-table). */
export const LTABLE_ERROR_CODES: ErrorCodeTable<LtableErrorCode> = defineErrorCodes('NV_LTABLE_', CODES);

declare module '@nv/core' {
  interface NvErrorCodes extends Record<LtableErrorCode, true> {}
}
