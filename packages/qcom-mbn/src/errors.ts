/**
 * `@nv/qcom-mbn/errors`: this package's error codes (prefix `NV_MBN_`). Codes are never renamed or reused.
 * Lint findings use the same codes (spec qcom-mbn.md §5).
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

const e = (meaning: string, fix: string): { meaning: string; fix: string } => ({ meaning, fix });
const CHECK_MBN = 'Check that the file is a complete MCFG MBN (mcfg_sw.mbn / mcfg_hw.mbn); rebuild it from its XML.';

/** Every `NV_MBN_*` code this package throws or reports, with its meaning and fix (rendered by the docs and `nv errors`). */
export const MBN_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_MBN_', {
  NV_MBN_NOT_ELF: e(
    'The input has neither an ELF header nor the "MCFG" magic.',
    'Give an MCFG MBN; other MBN images (modem firmware, signed EFS) are not carrier configurations.',
  ),
  NV_MBN_ELF_CLASS: e('The ELF file is not 32-bit little-endian.', CHECK_MBN),
  NV_MBN_PHDR_BOUNDS: e('A program header points outside the file.', CHECK_MBN),
  NV_MBN_NO_HASH_SEGMENT: e('No program header has the hash-segment type bits (flags >> 24 & 7 = 2).', CHECK_MBN),
  NV_MBN_NO_DATA_SEGMENT: e('No loadable program header holds the MCFG segment.', CHECK_MBN),
  NV_MBN_HASH_VERSION: e('The hash segment header version is not 3, 5, 6 or 7.', CHECK_MBN),
  NV_MBN_HASH_MISMATCH: e(
    'The hash of the MCFG data segment does not match its slot; the modem rejects the file.',
    'Re-hash the file (nv qcom mbn build from its XML, or rehashMbn).',
  ),
  NV_MBN_HEADER_HASH_MISMATCH: e(
    'The hash of the ELF headers does not match slot 0 (the modem does not check it).',
    'Re-hash the file to make it consistent.',
  ),
  NV_MBN_SIGNATURE_STALE: e(
    'The file is signed and its hashes changed, so the signature no longer matches.',
    'Harmless unless modem authentication is fused; otherwise re-sign with the OEM keys.',
  ),
  NV_MBN_NONCANONICAL_CONTAINER: e(
    'The ELF wrapper is not the canonical unsigned JO layout (§3.1).',
    'Nothing to do; the container is kept as found.',
  ),
  NV_MBN_TRAILING_BYTES: e(
    'There are bytes after the MCFG data segment.',
    'Remove them, or rebuild the file from its XML.',
  ),
  NV_MBN_BAD_MAGIC: e(
    'The data segment does not start with "MCFG".',
    'Check that the file is an MCFG MBN, not another kind of MBN image.',
  ),
  NV_MBN_FORMAT: e(
    'The MCFG format is not 3 or 4, or not the one of the target modem.',
    'Build for the target: format 3 for JO-era modems, 4 for newer ones.',
  ),
  NV_MBN_CONFIG_TYPE: e('The config type is neither 0 (HW) nor 1 (SW).', 'Set NvConfigurationData/@type to 0 or 1.'),
  NV_MBN_SPARE_NONZERO: e('The header spare (spare_crc) field is not zero.', 'Usually harmless; rebuild to clear it.'),
  NV_MBN_VERSION_RECORD: e('The first record is not the version record (id 4995, length 4).', CHECK_MBN),
  NV_MBN_ITEM_COUNT: e(
    'Walking count - 1 items does not end where the trailer starts.',
    'The header item count is wrong; rebuild the file from its XML.',
  ),
  NV_MBN_ITEM_TRUNCATED: e('An item is shorter than its 8-byte prefix or runs past the segment end.', CHECK_MBN),
  NV_MBN_ITEM_LENGTH: e(
    'An item length disagrees with its body (NV: 12 + data, EFS: 17 + path + data).',
    'Rebuild the file from its XML.',
  ),
  NV_MBN_ITEM_TYPE_UNKNOWN: e(
    'An item type is not 1..6; a JO modem refuses the whole SW config.',
    'Remove the item or target a modem generation that knows it.',
  ),
  NV_MBN_ATTR_NO_ACTION: e(
    'An item has none of the C (0x01), D (0x40), M (0x02) attribute bits, so the modem does nothing with it.',
    'Set mcfgAttributes, e.g. 0x19 to write on all subscriptions.',
  ),
  NV_MBN_ATTR_CONFLICT: e(
    'An item has both C (write) and D (delete); C wins on the device.',
    'Clear one of the two bits.',
  ),
  NV_MBN_SUBS_MASK: e(
    'An item with the S bit (0x10) has no subscription mask, a zero mask or one over 0x0F (dialect 2: mask & 7 = 0).',
    'Give a mask such as 7 (all subscriptions).',
  ),
  NV_MBN_INDEX_MISSING: e(
    'An item with the I bit (0x20) has no index byte.',
    'Add the index byte (e.g. NAM 0) as the first value member.',
  ),
  NV_MBN_NV_ID_RANGE: e(
    'An NV id is over 7232; such items must be EFS items under /nv/item_files/.',
    'Use NvEfsItemData with the item-file path.',
  ),
  NV_MBN_FORBIDDEN_ITEM: e(
    "The item is on the generator's forbidden list (§2.4): the vendor tool refuses it and modems must not receive it.",
    'Remove the item.',
  ),
  NV_MBN_DUPLICATE: e(
    'The same NV id or EFS path appears twice without a subscription mask, index or slot variant.',
    'Remove the duplicate or give each copy a distinguishing attribute.',
  ),
  NV_MBN_EFS_TAGS: e(
    'An EFS item body does not have tag 1 (path) and tag 2 (data) with a NUL-terminated path of the declared length.',
    'Rebuild the file from its XML.',
  ),
  NV_MBN_EFS_PATH: e(
    'An EFS path is not absolute, is over 127 characters, or is too long once _SubscriptionNN is appended.',
    'Use an absolute path of at most 112 characters.',
  ),
  NV_MBN_EFS_TOO_LARGE: e(
    'EFS data or a source file is over 65,535 bytes.',
    'Split the data; an MCFG EFS item holds at most 65,535 bytes.',
  ),
  NV_MBN_DELETE_DATA: e(
    'A delete item carries data that the modem ignores.',
    'Remove the value members of the delete item.',
  ),
  NV_MBN_PRL: e('The PRL item or file is inconsistent (length header, version or size).', 'Check the PRL binary.'),
  NV_MBN_TRAILER_OFFSET: e(
    'The last u32 (trailer back-pointer) is out of range or not where the item walk ends.',
    CHECK_MBN,
  ),
  NV_MBN_TRAILER_MARKER: e('The trailer item is not type 0x0A with record 0xA1.', CHECK_MBN),
  NV_MBN_TRAILER_MAGIC: e('The trailer does not carry "MCFG_TRL".', CHECK_MBN),
  NV_MBN_TRAILER_LENGTH: e(
    'Trailer lengths are inconsistent (record_length, payload length, back-pointer).',
    CHECK_MBN,
  ),
  NV_MBN_TRAILER_PAD: e(
    'The padding before the back-pointer is not 1..4 zero bytes.',
    'Rebuild the file from its XML.',
  ),
  NV_MBN_TRAILER_PAYLOAD_BYTE: e(
    'The trailer payload is over 255 bytes; a JO modem reads its length as one byte.',
    'Shorten the trailer (name, IIN list) for JO targets.',
  ),
  NV_MBN_TLV_TRUNCATED: e('A trailer TLV runs past the trailer.', 'Fix the TLV length in the NvTrlRecord members.'),
  NV_MBN_TLV_FORMAT: e(
    'Trailer TLV 0 (format) is missing or its major version is not 1.',
    'Start the trailer with TLV 0 = 00 01.',
  ),
  NV_MBN_TLV_VERSION_MISSING: e(
    'Trailer TLV 1 (config version) is missing; PDC refuses the load.',
    'Add TLV 1 with the config version.',
  ),
  NV_MBN_COMPAT: e(
    "The family byte (AA) of the header or TLV 1 is not the target modem's.",
    'Use the family of the target modem (5 = JO).',
  ),
  NV_MBN_VERSION_MISMATCH: e(
    'The header version differs from trailer TLV 1 (allowed, but each copy is used elsewhere).',
    'Make them equal unless this is intended.',
  ),
  NV_MBN_IIN_LIST: e(
    'Trailer TLV 4 (IIN list) has a bad length or more than 32 entries.',
    'Length must be 2 + 4 x count, count <= 32.',
  ),
  NV_MBN_PLMN_LIST: e(
    'Trailer TLV 6 (PLMN list) has a bad length, more than 32 entries, or MCC/MNC over 999.',
    'Length must be 2 + 4 x count, count <= 32.',
  ),
  NV_MBN_NAME: e('Trailer TLV 3 (name) is over 63 bytes or not printable ASCII.', 'Use a short ASCII carrier name.'),
  NV_MBN_IIN_STRING: e(
    'Trailer TLV 10 (IIN prefixes) is over 127 bytes or has characters other than hex digits and commas.',
    'Use e.g. "89860D,8901".',
  ),
  NV_MBN_TLV_DUPLICATE: e('A trailer TLV id appears more than once.', 'Keep one TLV per id.'),
  NV_MBN_TLV_UNKNOWN: e('A trailer TLV id is over 10; devices skip it.', 'Nothing to do unless the id is a typo.'),
  NV_MBN_NO_SELECTOR: e(
    'A SW config has no IIN list, PLMN list or IIN prefixes, so autoselect never picks it.',
    'Add TLV 4, 6 or 10 if the config should be auto-selected.',
  ),
  NV_MBN_XML_SYNTAX: e('The MCFG XML is not well-formed.', 'Fix the XML at the place in the message.'),
  NV_MBN_XML_ROOT: e('The XML root element is not NvData.', 'Give an MCFG XML document (<NvData>…</NvData>).'),
  NV_MBN_XML_CONFIG: e(
    'NvConfigurationData is missing, repeated or invalid.',
    'Give exactly one NvConfigurationData with type, version and carrierIndex.',
  ),
  NV_MBN_XML_UNKNOWN_ELEMENT: e('An element is not part of the MCFG dialect (§2.1).', 'Remove or rename the element.'),
  NV_MBN_XML_ATTR: e(
    'A required attribute is missing or has the wrong radix (decimal-only fields reject 0x).',
    'Write the attribute as the spec table §2.2 says.',
  ),
  NV_MBN_XML_MEMBER_TYPE: e(
    'A Member type is not u?int<bits> with bits a multiple of 8 (or string in dialect 2).',
    'Use e.g. uint8, int16, uint32, uint216.',
  ),
  NV_MBN_XML_MEMBER_VALUE: e(
    'A Member value is not 0x-hex, decimal or -decimal, or a string is too long.',
    'Fix the value.',
  ),
  NV_MBN_XML_MEMBER_OVERFLOW: e(
    'A Member value does not fit its type and is masked.',
    'Use a value that fits the type.',
  ),
  NV_MBN_XML_MEMBER_WS: e(
    'A Member has leading whitespace, which the JO generator turns into an extra 0 element.',
    'Remove the leading whitespace.',
  ),
  NV_MBN_XML_EFS_META: e(
    'NvEfsFile metadata is not single uint8 members, or NvEfsFile carries the index bit.',
    'Use single-byte uint8 members; do not set 0x20 on NvEfsFile.',
  ),
  NV_MBN_XML_FILE_MISSING: e('A buildPath could not be read.', 'Check the path (relative to the XML or --build-root).'),
  NV_MBN_XML_GROUP_VERSION: e(
    'A GroupFile version differs from the group XML NvConfigurationData version.',
    'Make the versions equal.',
  ),
  NV_MBN_XML_DIR_ORDER: e(
    "NvEfsDir files are taken in byte order, not the vendor tool's readdir order.",
    'Nothing to do unless the order matters.',
  ),
  NV_MBN_XML_TRAILER_COUNT: e('The XML does not have exactly one NvTrlRecord.', 'Give exactly one NvTrlRecord.'),
  NV_MBN_XML_DIALECT: e(
    'The XML mixes dialect 1 and dialect 2 constructs (e.g. subscription_mask in dialect 1).',
    'Set McfgXmlVersion="2.0" on NvData for dialect 2, or remove the dialect-2 attributes.',
  ),
  NV_MBN_XML_EXTENSION: e(
    'The XML uses nv: extensions, which the vendor generator does not understand.',
    'Nothing to do when building with nv.',
  ),
  NV_MBN_ROUNDTRIP: e('An internal round-trip check failed.', 'Report the input file; this is a bug.'),
  NV_MBN_CONTAINER: e(
    'The container sidecar (nv:container) is missing or unusable.',
    'Keep the .files folder written by to-xml next to the XML.',
  ),
});
