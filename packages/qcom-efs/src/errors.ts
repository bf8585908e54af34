/**
 * `@nv/qcom-efs/errors`: this package's error codes (prefix `NV_EFS_`). Codes are never renamed or reused.
 * Severities (E error, W warning, W/E error under `strict`) follow docs/formats/qcn.md#validation.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

const CODES = {
  NV_EFS_XML_MALFORMED: {
    meaning: 'Not well-formed (line, column) (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_BAD_ROOT: {
    meaning: 'Root not NvSource/NvDefinition (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_MCFG_DIALECT: {
    meaning: 'Root NvData (MCFG; use @nv/qcom-mbn) (E).',
    fix: 'This is an MCFG XML: use `nv qcom mbn` (@nv/qcom-mbn).',
  },
  NV_EFS_XML_INCLUDE_NOT_FOUND: {
    meaning: 'No file, even case-insensitively (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_INCLUDE_AMBIGUOUS: {
    meaning: 'Several files differ only in case (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_INCLUDE_CYCLE: {
    meaning: 'Include loop (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_XPOINTER_UNSUPPORTED: {
    meaning: 'Fragment \u2260 xpointer(/NvSource/*) (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_UNKNOWN_ELEMENT: {
    meaning: 'Child not NvItem/NvEfsItem/include (W/E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_MISSING_ATTR: {
    meaning: 'NvItem without id, NvEfsItem without fullpathname (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_BAD_XML_ATTR: {
    meaning: 'Id \u2209 0\u202665535; mapping \u2209 {direct, byteStream}; encoding \u2209 {dec, hex} (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_BAD_XML_TOKEN: {
    meaning: 'Token invalid for its encoding (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_VALUE_RANGE: {
    meaning: 'Value outside its slot range (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_TOO_MANY_VALUES: {
    meaning: 'More tokens than slots (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_NO_DEFINITION: {
    meaning: 'Undefined item (1 byte written / multi-value dropped) (W/E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_UNKNOWN_MEMBER: {
    meaning:
      'A named member child is not a Member @name of the definition, or holds more tokens than the member has slots (E).',
    fix: 'Use the member names of the NvDefinition, in any order; give at most as many values as the member has slots.',
  },
  NV_EFS_XML_DUPLICATE: {
    meaning: 'Earlier occurrence replaced (W).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_SUBSCRIPTION: {
    meaning: 'Subscriptionid \u2260 0; its mapping is (inferred) (W).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_INDEX_MISMATCH: {
    meaning: 'Index \u2260 first value of an indexed item (W).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_XML_VARIANT_TYPEID: {
    meaning: 'Variant element typeid undefined (E).',
    fix: 'Correct the XML named in the message (file, line, item) and compile again.',
  },
  NV_EFS_DEF_UNKNOWN_TYPE: {
    meaning: 'Member type undefined (E).',
    fix: 'Correct the NvDefinition named in the message.',
  },
  NV_EFS_DEF_TYPE_CYCLE: {
    meaning: 'DataType contains itself (other than primitives) (E).',
    fix: 'Correct the NvDefinition named in the message.',
  },
  NV_EFS_DEF_DUPLICATE: {
    meaning:
      'Duplicate NvItem id/name, NvEfsItem path, DataType name/typeid; real vendor NvDefinition files repeat entries, the later definition wins (W/E).',
    fix: 'Nothing to do unless the earlier definition was the right one: then delete the later one. Under --strict it is an error.',
  },
  NV_EFS_BAD_DEF_SIZEOF: {
    meaning: 'SizeOf not a positive integer (E).',
    fix: 'Correct the NvDefinition named in the message.',
  },
  NV_EFS_ITEM_TOO_LARGE: {
    meaning: 'Legacy > 128 B, RFNV > 8192 B, forced item file > 128 B (E).',
    fix: 'Fix the input named in the message.',
  },
  NV_EFS_NV_INFO_MISSING: {
    meaning: 'No size entry for a numbered item (W/E).',
    fix: 'Give the item sizes with --nv-info <sizes.json> (or a reference tree of the same build), or fix the file size.',
  },
  NV_EFS_NV_SIZE_MISMATCH: {
    meaning: '/nvm/num file size \u2260 table size (E).',
    fix: 'Give the item sizes with --nv-info <sizes.json> (or a reference tree of the same build), or fix the file size.',
  },
  NV_EFS_NV_INDEX_RANGE: {
    meaning: 'Index \u2265 arraySize, or _k on a plain item (E).',
    fix: 'Give the item sizes with --nv-info <sizes.json> (or a reference tree of the same build), or fix the file size.',
  },
  NV_EFS_BAD_QCN_SIGNATURE: {
    meaning: 'Not a CFB file (E).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_QCN_CORRUPT: {
    meaning: 'FAT/directory chain loops or leaves the file (E).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_QCN_NO_MODEL: {
    meaning: 'Zero or several root storages holding default (E).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_BAD_QCN_FILE_VERSION: {
    meaning: 'Absent, \u2260 6 B, or major \u2260 2 (W).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_BAD_QCN_PROPERTY_INFO: {
    meaning: 'String lengths run past the stream (E).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_BAD_QCN_RECORD: {
    meaning: 'Array length not n \u00d7 136, or length field \u2260 136 (E).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_QCN_RECORD_FLAG: {
    meaning: 'Record u16 @2 \u2260 1 (W).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_QCN_DUPLICATE_ITEM: {
    meaning: 'Same (id, index) twice; last wins (W).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_QCN_UNPAIRED: {
    meaning: 'EFS_Dir/<K> without EFS_Data/<K> or the reverse (E).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_BAD_QCN_PATH: {
    meaning: 'Empty, non-ASCII, inner NUL (E).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_QCN_PATH_TERMINATOR: {
    meaning: 'Provisioning path lacks its NUL, or NV_Items path has one (W).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_BAD_QCN_BACKUP_HEADER: {
    meaning: 'Dir < 8 B (E); header \u2260 01 00 01 01 00 00 00 00 (W) (E/W).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_QCN_LEGACY_LOCATION: {
    meaning:
      'Numbered items at <MODEL>/NV_NUMBERED_ITEMS (where earlier @nv/qcom-efs versions wrote them) instead of <MODEL>/default/NV_NUMBERED_ITEMS (QPST/QRCT/QMSL) (W).',
    fix: 'Read anyway; write the QCN again (e.g. `nv qcom efs lint --strip-factory` or a compile) to get the vendor layout.',
  },
  NV_EFS_QCN_UNKNOWN_STREAM: {
    meaning: 'A QCN stream this reader does not understand; it is kept as is and listed by `nv qcom qcn inspect` (W).',
    fix: 'Check what wrote it; report the layout if it holds NV data (it is not converted to EFS files).',
  },
  NV_EFS_QCN_ITEMS_UNREAD: {
    meaning:
      'The QCN has an NV_NUMBERED_ITEMS storage but no numbered item could be read from it: a lint of it would be falsely clean (E, lint finding).',
    fix: 'Inspect the streams (`nv qcom qcn inspect --json`); the arrays must be <MODEL>/default/NV_NUMBERED_ITEMS/NV_ITEM_ARRAY[_SIM_<n>].',
  },
  NV_EFS_BAD_LINT_LIST: {
    meaning: 'A --lists JSON file (factory ids, runtime ids/paths) is not valid (E).',
    fix: 'Give {"factoryIds": [550, …], "runtimeIds": […], "runtimePaths": ["/policyman/…", …]}.',
  },
  NV_EFS_QCN_SKIPPED_ENTRY: {
    meaning: 'Zero-length data or relative path not converted (W).',
    fix: 'Check that the file is a complete QCN backup; take a new backup if it is damaged.',
  },
  NV_EFS_BAD_XQCN_VALUE: {
    meaning: 'Odd count or non-hex digits; (W) Length \u2260 decoded size (E).',
    fix: 'Fix the input named in the message.',
  },
  NV_EFS_PATH_CONFLICT: {
    meaning: 'One path, different bytes, two sources (W).',
    fix: 'Fix the input named in the message.',
  },
  NV_EFS_BAD_PATH: {
    meaning: 'Not absolute; .., . or empty part; non-ASCII; NUL; both file and dir (E).',
    fix: 'Fix the input named in the message.',
  },
  NV_EFS_TAR_NAME_TOO_LONG: {
    meaning: '> 99 B (V7) or not splittable (ustar) (E).',
    fix: 'Rebuild the archive with `nv qcom efs pack`; never re-tar an EFS image with GNU tar or pax.',
  },
  NV_EFS_BAD_TAR_CHECKSUM: {
    meaning: 'Header checksum mismatch (E).',
    fix: 'Rebuild the archive with `nv qcom efs pack`; never re-tar an EFS image with GNU tar or pax.',
  },
  NV_EFS_BAD_TAR_NUMBER: {
    meaning: 'Numeric field not octal (incl. base-256) (E).',
    fix: 'Rebuild the archive with `nv qcom efs pack`; never re-tar an EFS image with GNU tar or pax.',
  },
  NV_EFS_BAD_TAR_TYPEFLAG: {
    meaning: 'Not 0/NUL/5/2 (L K x g 1 3 4 6 \u2026); ls only warns (E).',
    fix: 'Rebuild the archive with `nv qcom efs pack`; never re-tar an EFS image with GNU tar or pax.',
  },
  NV_EFS_BAD_TAR_PADDING: {
    meaning: 'Non-zero frame padding (E).',
    fix: 'Rebuild the archive with `nv qcom efs pack`; never re-tar an EFS image with GNU tar or pax.',
  },
  NV_EFS_BAD_TAR_END: {
    meaning: 'No two zero blocks, data past the end, or empty first name (E).',
    fix: 'Rebuild the archive with `nv qcom efs pack`; never re-tar an EFS image with GNU tar or pax.',
  },
  NV_EFS_TAR_SUSPECT_ENTRY: {
    meaning: 'GNU magic with prefix; item mode with size > 128; path twice (last wins); /safe/sfs skipped (W).',
    fix: 'Rebuild the archive with `nv qcom efs pack`; never re-tar an EFS image with GNU tar or pax.',
  },
  NV_EFS_BAD_HOST_TAR: {
    meaning:
      '`repack`: the archive cannot be read as a tar by the general reader (tar-stream), or a hard link points to no earlier file (E).',
    fix: 'Give a complete .tar or .tar.gz made by GNU tar, bsdtar or pax; re-create it from the folder if it is damaged.',
  },
  NV_EFS_REPACK_KIND_GUESSED: {
    meaning:
      '`repack`: files whose kind (item or regular) neither a reference image nor an archived .nv-efs.json gave were typed by defaultKind, a guess (W).',
    fix: 'Give `--reference <device image>` of the same EFS, or tar the folder together with the .nv-efs.json that unpack wrote.',
  },
  NV_EFS_UNSAFE_PATH: {
    meaning: 'Unpack: escapes the folder, link target outside, case collision on the host (E).',
    fix: 'Inspect the archive with `nv qcom efs ls`; do not extract archives that escape their folder.',
  },
  NV_EFS_BAD_GZIP_HEADER: {
    meaning: 'Not 1F 8B, CM \u2260 8, or FLG bits 5\u20137 set (E).',
    fix: 'Take a complete copy of the file; rebuild it with `nv qcom efs pack` if it is damaged.',
  },
  NV_EFS_BAD_GZIP_DATA: {
    meaning: 'Inflate error, CRC32 or ISIZE mismatch (E).',
    fix: 'Take a complete copy of the file; rebuild it with `nv qcom efs pack` if it is damaged.',
  },
  NV_EFS_GZIP_TRAILING_DATA: {
    meaning: 'Bytes after the first member (normal for device dumps) (W).',
    fix: 'Take a complete copy of the file; rebuild it with `nv qcom efs pack` if it is damaged.',
  },
  NV_EFS_CONTAINER_UNKNOWN: {
    meaning: 'No known signature; all 00/FF; ELF without a findable payload (E).',
    fix: 'Give a tar, tar.gz, .mbn, .img or fsg dump; modemst1/2 and fsc dumps are device-encrypted.',
  },
  NV_EFS_BAD_MBN_HEADER: {
    meaning: 'Code_size > image_size, or data past the file end (E).',
    fix: 'Fix the input named in the message.',
  },
  NV_EFS_MBN_UNEXPECTED_ID: {
    meaning: 'Image_id \u2260 27 (.mbn) or \u2209 {20, 16, 17} (.img), or version \u2260 3 (W).',
    fix: 'Fix the input named in the message.',
  },
  NV_EFS_BAD_META: {
    meaning: 'First row \u2260 EFS_IMAGE_KEYS,VALUES, bad number, duplicate key (E).',
    fix: 'Fix the input named in the message.',
  },
  NV_EFS_IMAGE_TOO_LARGE: {
    meaning: '40 + code_size \u2265 GOLDEN_RAM_SIZE \u2212 512, or .img > known partition size (E).',
    fix: 'Fix the input named in the message.',
  },
  NV_EFS_LINT_RUNTIME_STATE: {
    meaning: 'Runtime state in a preload (\u00a75 #12) (W).',
    fix: 'Take the QCN in offline mode and remove runtime state before building a shared preload.',
  },
  NV_EFS_LINT_FACTORY_DATA: {
    meaning: 'A device-unique factory NV (IMEI, ESN/MEID, serial, MAC/BT address) is in a shared preload (W).',
    fix: 'Remove it (`--strip-factory`): every device would get the same identity.',
  },
  NV_EFS_LINT_NOT_IN_DEFINITION: {
    meaning: 'A numbered item of the preload is missing from the NvDefinition (W).',
    fix: 'Check the item id, or add it to the definition.',
  },
  NV_EFS_BAD_MANIFEST: {
    meaning: 'The `.nv-efs.json` manifest is not valid JSON of version 1 or has a bad entry (E).',
    fix: 'Fix or delete the manifest; unlisted files get their default kind.',
  },
  NV_EFS_BAD_NV_INFO: {
    meaning: 'An NV info table (sizes JSON) entry is malformed (E).',
    fix: 'Give a JSON list or object of {id, size, arraySize}.',
  },
  NV_EFS_STORE_GUESSED: {
    meaning: 'An EFS file is in no conf list and no backup list, so its QCN store was guessed (EFS_Backup) (W).',
    fix: 'List the path in /nv/item_files/conf/<module>.conf or under a folder of a .bl file if another store is wanted.',
  },
  NV_EFS_BAD_QCN_JSON: {
    meaning: 'A QCN JSON model (`qcn convert` output, `qcn.schema.json`) has a missing or malformed value (E).',
    fix: 'Correct the value at the JSON path named in the message; the schema is @nv/qcom-efs/qcn.schema.json.',
  },
};

/** A code of `@nv/qcom-efs` (`NV_EFS_…`). */
export type EfsErrorCode = keyof typeof CODES;

/** Every `NV_EFS_*` code this package throws or warns with, with its meaning and fix (rendered by the docs and `nv errors`). */
export const EFS_ERROR_CODES: ErrorCodeTable<EfsErrorCode> = defineErrorCodes('NV_EFS_', CODES);

declare module '@nv/core' {
  interface NvErrorCodes extends Record<EfsErrorCode, true> {}
}
