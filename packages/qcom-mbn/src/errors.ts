/**
 * `@nv/qcom-mbn/errors`: this package's error codes (prefix `NV_MBN_`). Codes are never renamed or reused.
 * Lint findings use the same codes (docs/formats/mcfg.md#validation).
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

const CODES = {
  NV_MBN_NOT_ELF: {
    meaning: 'The input has neither an ELF header nor the "MCFG" magic.',
    fix: 'Give an MCFG MBN; other MBN images (modem firmware, signed EFS) are not carrier configurations.',
  },
  NV_MBN_ELF_CLASS: {
    meaning: 'The ELF file is not 32-bit little-endian.',
    fix: 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.',
  },
  NV_MBN_PHDR_BOUNDS: {
    meaning: 'A program header points outside the file.',
    fix: 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.',
  },
  NV_MBN_NO_HASH_SEGMENT: {
    meaning: 'No program header has the hash-segment type bits (flags >> 24 & 7 = 2).',
    fix: 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.',
  },
  NV_MBN_NO_DATA_SEGMENT: {
    meaning: 'No loadable program header holds the MCFG segment.',
    fix: 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.',
  },
  NV_MBN_HASH_VERSION: {
    meaning: 'The hash segment header version is not 3, 5, 6 or 7.',
    fix: 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.',
  },
  NV_MBN_HASH_MISMATCH: {
    meaning: 'The hash of the MCFG data segment does not match its slot; the modem rejects the file.',
    fix: 'Re-hash the file (nv qcom mbn build from its XML, or rehashMbn).',
  },
  NV_MBN_HEADER_HASH_MISMATCH: {
    meaning: 'The hash of the ELF headers does not match slot 0 (the modem does not check it).',
    fix: 'Re-hash the file to make it consistent.',
  },
  NV_MBN_SIGNATURE_STALE: {
    meaning: 'The file is signed and its hashes changed, so the signature no longer matches.',
    fix: 'Harmless unless modem authentication is fused; otherwise re-sign with the OEM keys.',
  },
  NV_MBN_NONCANONICAL_CONTAINER: {
    meaning: 'The ELF wrapper is not the canonical unsigned JO layout (§3.1).',
    fix: 'Nothing to do; the container is kept as found.',
  },
  NV_MBN_TRAILING_BYTES: {
    meaning: 'There are bytes after the MCFG data segment.',
    fix: 'Remove them, or rebuild the file from its XML.',
  },
  NV_MBN_BAD_MAGIC: {
    meaning: 'The data segment does not start with "MCFG".',
    fix: 'Check that the file is an MCFG MBN, not another kind of MBN image.',
  },
  NV_MBN_FORMAT: {
    meaning: 'The MCFG format is not 3 or 4, or not the one of the target modem.',
    fix: 'Build for the target: format 3 for JO-era modems, 4 for newer ones.',
  },
  NV_MBN_CONFIG_TYPE: {
    meaning: 'The config type is neither 0 (HW) nor 1 (SW).',
    fix: 'Set NvConfigurationData/@type to 0 or 1.',
  },
  NV_MBN_SPARE_NONZERO: {
    meaning: 'The header spare (spare_crc) field is not zero.',
    fix: 'Usually harmless; rebuild to clear it.',
  },
  NV_MBN_VERSION_RECORD: {
    meaning: 'The first record is not the version record (id 4995, length 4).',
    fix: 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.',
  },
  NV_MBN_ITEM_COUNT: {
    meaning: 'Walking count - 1 items does not end where the trailer starts.',
    fix: 'The header item count is wrong; rebuild the file from its XML.',
  },
  NV_MBN_ITEM_TRUNCATED: {
    meaning: 'An item is shorter than its 8-byte prefix or runs past the segment end.',
    fix: 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.',
  },
  NV_MBN_ITEM_LENGTH: {
    meaning: 'An item length disagrees with its body (NV: 12 + data, EFS: 17 + path + data).',
    fix: 'Rebuild the file from its XML.',
  },
  NV_MBN_ITEM_TYPE_UNKNOWN: {
    meaning: 'An item type is not 1..6; a JO modem refuses the whole SW config.',
    fix: 'Remove the item or target a modem generation that knows it.',
  },
  NV_MBN_ATTR_NO_ACTION: {
    meaning: 'An item has none of the C (0x01), D (0x40), M (0x02) attribute bits, so the modem does nothing with it.',
    fix: 'Set mcfgAttributes, e.g. 0x19 to write on all subscriptions.',
  },
  NV_MBN_ATTR_CONFLICT: {
    meaning: 'An item has both C (write) and D (delete); C wins on the device.',
    fix: 'Clear one of the two bits.',
  },
  NV_MBN_SUBS_MASK: {
    meaning:
      'An item with the S bit (0x10) has no subscription mask, a zero mask or one over 0x0F (dialect 2: mask & 7 = 0).',
    fix: 'Give a mask such as 7 (all subscriptions).',
  },
  NV_MBN_INDEX_MISSING: {
    meaning: 'An item with the I bit (0x20) has no index byte.',
    fix: 'Add the index byte (e.g. NAM 0) as the first value member.',
  },
  NV_MBN_NV_ID_RANGE: {
    meaning: 'An NV id is over 7232; such items must be EFS items under /nv/item_files/.',
    fix: 'Use NvEfsItemData with the item-file path.',
  },
  NV_MBN_FORBIDDEN_ITEM: {
    meaning:
      "The item is on the generator's forbidden list (§2.4): the vendor tool refuses it and modems must not receive it.",
    fix: 'Remove the item.',
  },
  NV_MBN_DUPLICATE: {
    meaning: 'The same NV id or EFS path appears twice without a subscription mask, index or slot variant.',
    fix: 'Remove the duplicate or give each copy a distinguishing attribute.',
  },
  NV_MBN_EFS_TAGS: {
    meaning:
      'An EFS item body does not have tag 1 (path) and tag 2 (data) with a NUL-terminated path of the declared length.',
    fix: 'Rebuild the file from its XML.',
  },
  NV_MBN_EFS_PATH: {
    meaning: 'An EFS path is not absolute, is over 127 characters, or is too long once _SubscriptionNN is appended.',
    fix: 'Use an absolute path of at most 112 characters.',
  },
  NV_MBN_EFS_TOO_LARGE: {
    meaning: 'EFS data or a source file is over 65,535 bytes.',
    fix: 'Split the data; an MCFG EFS item holds at most 65,535 bytes.',
  },
  NV_MBN_DELETE_DATA: {
    meaning: 'A delete item carries data that the modem ignores.',
    fix: 'Remove the value members of the delete item.',
  },
  NV_MBN_PRL: {
    meaning: 'The PRL item or file is inconsistent (length header, version or size).',
    fix: 'Check the PRL binary.',
  },
  NV_MBN_TRAILER_OFFSET: {
    meaning: 'The last u32 (trailer back-pointer) is out of range or not where the item walk ends.',
    fix: 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.',
  },
  NV_MBN_TRAILER_MARKER: {
    meaning: 'The trailer item is not type 0x0A with record 0xA1.',
    fix: 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.',
  },
  NV_MBN_TRAILER_MAGIC: {
    meaning: 'The trailer does not carry "MCFG_TRL".',
    fix: 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.',
  },
  NV_MBN_TRAILER_LENGTH: {
    meaning: 'Trailer lengths are inconsistent (record_length, payload length, back-pointer).',
    fix: 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.',
  },
  NV_MBN_TRAILER_PAD: {
    meaning: 'The padding before the back-pointer is not 1..4 zero bytes.',
    fix: 'Rebuild the file from its XML.',
  },
  NV_MBN_TRAILER_PAYLOAD_BYTE: {
    meaning: 'The trailer payload is over 255 bytes; a JO modem reads its length as one byte.',
    fix: 'Shorten the trailer (name, IIN list) for JO targets.',
  },
  NV_MBN_TLV_TRUNCATED: {
    meaning: 'A trailer TLV runs past the trailer.',
    fix: 'Fix the TLV length in the NvTrlRecord members.',
  },
  NV_MBN_TLV_FORMAT: {
    meaning: 'Trailer TLV 0 (format) is missing or its major version is not 1.',
    fix: 'Start the trailer with TLV 0 = 00 01.',
  },
  NV_MBN_TLV_VERSION_MISSING: {
    meaning: 'Trailer TLV 1 (config version) is missing; PDC refuses the load.',
    fix: 'Add TLV 1 with the config version.',
  },
  NV_MBN_COMPAT: {
    meaning: "The family byte (AA) of the header or TLV 1 is not the target modem's.",
    fix: 'Use the family of the target modem (5 = JO).',
  },
  NV_MBN_VERSION_MISMATCH: {
    meaning: 'The header version differs from trailer TLV 1 (allowed, but each copy is used elsewhere).',
    fix: 'Make them equal unless this is intended.',
  },
  NV_MBN_IIN_LIST: {
    meaning: 'Trailer TLV 4 (IIN list) has a bad length or more than 32 entries.',
    fix: 'Length must be 2 + 4 x count, count <= 32.',
  },
  NV_MBN_PLMN_LIST: {
    meaning: 'Trailer TLV 6 (PLMN list) has a bad length, more than 32 entries, or MCC/MNC over 999.',
    fix: 'Length must be 2 + 4 x count, count <= 32.',
  },
  NV_MBN_NAME: {
    meaning: 'Trailer TLV 3 (name) is over 63 bytes or not printable ASCII.',
    fix: 'Use a short ASCII carrier name.',
  },
  NV_MBN_IIN_STRING: {
    meaning: 'Trailer TLV 10 (IIN prefixes) is over 127 bytes or has characters other than hex digits and commas.',
    fix: 'Use e.g. "89860D,8901".',
  },
  NV_MBN_TLV_DUPLICATE: { meaning: 'A trailer TLV id appears more than once.', fix: 'Keep one TLV per id.' },
  NV_MBN_TLV_UNKNOWN: {
    meaning: 'A trailer TLV id is over 10; devices skip it.',
    fix: 'Nothing to do unless the id is a typo.',
  },
  NV_MBN_NO_SELECTOR: {
    meaning: 'A SW config has no IIN list, PLMN list or IIN prefixes, so autoselect never picks it.',
    fix: 'Add TLV 4, 6 or 10 if the config should be auto-selected.',
  },
  NV_MBN_XML_SYNTAX: { meaning: 'The MCFG XML is not well-formed.', fix: 'Fix the XML at the place in the message.' },
  NV_MBN_XML_ROOT: {
    meaning: 'The XML root element is not NvData.',
    fix: 'Give an MCFG XML document (<NvData>…</NvData>).',
  },
  NV_MBN_XML_CONFIG: {
    meaning: 'NvConfigurationData is missing, repeated or invalid.',
    fix: 'Give exactly one NvConfigurationData with type, version and carrierIndex.',
  },
  NV_MBN_XML_UNKNOWN_ELEMENT: {
    meaning: 'An element is not part of the MCFG dialect (§2.1).',
    fix: 'Remove or rename the element.',
  },
  NV_MBN_XML_ATTR: {
    meaning: 'A required attribute is missing or has the wrong radix (decimal-only fields reject 0x).',
    fix: 'Write the attribute as the spec table §2.2 says.',
  },
  NV_MBN_XML_MEMBER_TYPE: {
    meaning: 'A Member type is not u?int<bits> with bits a multiple of 8 (or string in dialect 2).',
    fix: 'Use e.g. uint8, int16, uint32, uint216.',
  },
  NV_MBN_XML_MEMBER_VALUE: {
    meaning: 'A Member value is not 0x-hex, decimal or -decimal, or a string is too long.',
    fix: 'Fix the value.',
  },
  NV_MBN_XML_MEMBER_OVERFLOW: {
    meaning: 'A Member value does not fit its type and is masked.',
    fix: 'Use a value that fits the type.',
  },
  NV_MBN_XML_MEMBER_WS: {
    meaning: 'A Member has leading whitespace, which the JO generator turns into an extra 0 element.',
    fix: 'Remove the leading whitespace.',
  },
  NV_MBN_XML_EFS_META: {
    meaning: 'NvEfsFile metadata is not single uint8 members, or NvEfsFile carries the index bit.',
    fix: 'Use single-byte uint8 members; do not set 0x20 on NvEfsFile.',
  },
  NV_MBN_XML_FILE_MISSING: {
    meaning: 'A buildPath could not be read.',
    fix: 'Check the path (relative to the XML or --build-root).',
  },
  NV_MBN_XML_GROUP_VERSION: {
    meaning: 'A GroupFile version differs from the group XML NvConfigurationData version.',
    fix: 'Make the versions equal.',
  },
  NV_MBN_XML_DIR_ORDER: {
    meaning: "NvEfsDir files are taken in byte order, not the vendor tool's readdir order.",
    fix: 'Nothing to do unless the order matters.',
  },
  NV_MBN_XML_TRAILER_COUNT: {
    meaning: 'The XML does not have exactly one NvTrlRecord.',
    fix: 'Give exactly one NvTrlRecord.',
  },
  NV_MBN_XML_DIALECT: {
    meaning: 'The XML mixes dialect 1 and dialect 2 constructs (e.g. subscription_mask in dialect 1).',
    fix: 'Set McfgXmlVersion="2.0" on NvData for dialect 2, or remove the dialect-2 attributes.',
  },
  NV_MBN_XML_EXTENSION: {
    meaning: 'The XML uses nv: extensions, which the vendor generator does not understand.',
    fix: 'Nothing to do when building with nv.',
  },
  NV_MBN_ROUNDTRIP: { meaning: 'An internal round-trip check failed.', fix: 'Report the input file; this is a bug.' },
  NV_MBN_CONTAINER: {
    meaning: 'The container sidecar (nv:container) is missing or unusable.',
    fix: 'Keep the .files folder written by to-xml next to the XML.',
  },
};

/** A code of `@nv/qcom-mbn` (`NV_MBN_…`). */
export type MbnErrorCode = keyof typeof CODES;

/** Every `NV_MBN_*` code this package throws or reports, with its meaning and fix (rendered by the docs and `nv errors`). */
export const MBN_ERROR_CODES: ErrorCodeTable<MbnErrorCode> = defineErrorCodes('NV_MBN_', CODES);

declare module '@nv/core' {
  interface NvErrorCodes extends Record<MbnErrorCode, true> {}
}
