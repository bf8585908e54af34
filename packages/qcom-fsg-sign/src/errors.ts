/**
 * `@nv/qcom-fsg-sign/errors`: this package's error codes (prefix `NV_FSG_`). Codes are never renamed or reused.
 * Verification findings (`verifySignedImage`) use the same codes with a severity.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

const c = (meaning: string, fix: string): { meaning: string; fix: string } => ({ meaning, fix });

/** Every `NV_FSG_*` code this package throws or reports, with its meaning and fix (rendered by the docs and `nv errors`). */
export const FSG_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_FSG_', {
  NV_FSG_HEADER_FIELD: c(
    'An MBN v3 header field has a value the modem does not accept (image_src ≠ 40, image_dest_ptr ≠ 0) or does not expect (image_id ≠ 27, version ≠ 3).',
    'Re-sign the tar.gz with `nv qcom fsg sign`; do not edit the header by hand.',
  ),
  NV_FSG_HEADER_SIZES: c(
    'The MBN v3 header sizes and pointers do not add up (image_size, signature_ptr, cert_chain_ptr, or the file is shorter than the header says).',
    'The image is damaged or not an FSG image; take a complete copy or re-sign it.',
  ),
  NV_FSG_SIG_SIZE: c(
    'The signature size is not a multiple of 4, is over 512 bytes, or differs from the attestation key modulus length (secboot error 2).',
    'Re-sign with an RSA-2048 or RSA-4096 attestation key.',
  ),
  NV_FSG_CHAIN_SIZE: c(
    'The certificate chain is larger than the modem accepts (secboot error 2).',
    'Use at most 3 certificates of at most 2048 bytes each (6144-byte chain).',
  ),
  NV_FSG_IMG_SECTOR_MISSING: c(
    'A bare .mbn was given where a partition image is expected; the modem skips the first 512 bytes of fsg.',
    'Wrap the .mbn with `nv qcom fsg img` before flashing it to fsg.',
  ),
  NV_FSG_IMG_SECTOR: c(
    'The 512-byte .img sector has a non-zero fill, sizes different from the .mbn length, or an unknown image id.',
    'Rebuild the .img with `nv qcom fsg img`.',
  ),
  NV_FSG_ELF_UNSUPPORTED: c(
    'The file is an ELF MBN (SecTools v2 EFS-TAR), not the 40-byte MBN v3 image this package signs.',
    'Use SecTools v2 for ELF EFS-TAR images, or `nv qcom mbn` for MCFG ELF files.',
  ),
  NV_FSG_MBN80_UNSUPPORTED: c(
    'The file has the legacy 80-byte MBN header (magic 0x73D71034), not the 40-byte MBN v3 header.',
    'Only 40-byte MBN v3 FSG images are supported.',
  ),
  NV_FSG_UNSIGNED: c(
    'The file is a plain tar or gzip, not a signed image.',
    'Sign it with `nv qcom fsg sign`, or read it with `nv qcom efs ls`.',
  ),
  NV_FSG_EMPTY: c(
    'The file is all 0x00 or all 0xFF (an erased partition).',
    'The partition holds no image; dump the right partition.',
  ),
  NV_FSG_NOT_MBN: c(
    'The file is not a signed FSG image (no MBN v3 header and no .img sector); it may be a device-encrypted EFS copy.',
    'Check that the file is a .mbn, .img or fsg dump; modemst1/modemst2 are encrypted and cannot be read.',
  ),
  NV_FSG_META_PARSE: c(
    'efs_image_meta.bin is not valid: no EFS_IMAGE_KEYS header row, a duplicate key, or a non-numeric or oversized value.',
    'Use the efs_image_meta.bin produced by the same modem build.',
  ),
  NV_FSG_META_KEY_MISSING: c(
    'efs_image_meta.bin has no GOLDEN_RAM_ADDR (dest 0 is written) or no GOLDEN_RAM_SIZE (the size check is skipped).',
    'Use the meta file of the modem build; a build without SCL_GOLDEN_EFS_RAM_BASE is fine with dest 0.',
  ),
  NV_FSG_ID_FORMAT: c(
    'An ID (SW_ID, HW_ID, OEM_ID, MODEL_ID) is not decimal or 0x hex in its range.',
    'Give 64-bit IDs as 0x hex, e.g. --hw-id 0x009600E100000000.',
  ),
  NV_FSG_HASH_SHA1: c(
    'The attestation certificate has no `07 0001 SHA256` OU, so the modem hashes the image with SHA-1.',
    'Sign with `nv qcom fsg sign`, which always uses SHA-256.',
  ),
  NV_FSG_CHAIN_PADDING: c(
    'A byte after the last certificate of the chain is not 0xFF (secboot error 8).',
    'Pad the chain with 0xFF; zero padding is rejected by the modem.',
  ),
  NV_FSG_CHAIN_PARSE: c(
    'The certificate chain cannot be parsed as the modem does: bad DER, not X.509 v3, not RSA, fewer than 2 certificates or no self-issued root within 3 (secboot error 8).',
    'Re-sign with a 3-certificate chain (attestation, attestation CA, root).',
  ),
  NV_FSG_CERT_ALGO: c(
    'A certificate uses a signature algorithm the modem rejects (only sha1/sha256WithRSAEncryption, inner = outer), or a key over 4096 bits.',
    'Issue the certificates with sha256WithRSAEncryption and RSA-2048/4096 keys.',
  ),
  NV_FSG_CERT_TOO_LARGE: c(
    'A certificate is larger than 2048 bytes and does not fit its slot of the 6144-byte chain.',
    'Use shorter subject names and fewer extensions.',
  ),
  NV_FSG_CERT_STRUCTURE: c(
    'The chain breaks a secboot rule: keyUsage, basicConstraints pathLen, issuer DN bytes, AKI/SKI, or an unknown critical extension (secboot error 9).',
    'Create the keys with `nv qcom fsg keygen`; never re-encode issuer names.',
  ),
  NV_FSG_CERT_SIGNATURE: c(
    'A certificate signature does not verify under its issuer key (secboot error 10).',
    'The chain is damaged or mixed from different key sets; re-sign the image.',
  ),
  NV_FSG_UNTRUSTED_ROOT: c(
    'SHA-256 of the root certificate DER is not the root hash the modem is built with (secboot error 11).',
    'Sign with the keys whose root hash is in fs_signed_img_param.c, or pass the right --root-hash.',
  ),
  NV_FSG_DUMMY_ROOT: c(
    'The configured root hash is the public QDST dummy root d58522cd…, which the modem refuses unless built with FEATURE_FS_TAR_ALLOW_DUMMY_KEY.',
    'Generate your own keys with `nv qcom fsg keygen` and put their root hash in the modem build.',
  ),
  NV_FSG_KNOWN_TEST_ROOT: c(
    'The root, CA or attestation certificate is a publicly known test or default key (anyone can sign with it).',
    'Generate your own keys with `nv qcom fsg keygen`; use --allow-test-root only in a lab.',
  ),
  NV_FSG_QUALCOMM_ROOT: c(
    'The root is a Qualcomm production root (PK hash of unfused devices), not an FSG customer root.',
    'FSG images are verified against the root hash in fs_signed_img_param.c; use your own root.',
  ),
  NV_FSG_OU_UNSUPPORTED: c(
    'The attestation certificate has OU 13 (IN_USE_SOC_HW_VERSION) or 14 (USE_SERIAL_NUMBER_IN_SIGNING); newer secboot then rewrites HW_ID and fails for the FSG.',
    'Remove these OUs; sign with `nv qcom fsg sign`.',
  ),
  NV_FSG_OU_FORMAT: c(
    'An attestation OU value is malformed: wrong length, or digits other than 0-9A-F (the modem silently truncates lower-case hex).',
    'Write OU values as upper-case hex of the exact width (e.g. `01 000000000000001B SW_ID`).',
  ),
  NV_FSG_OU_MISSING: c(
    'The attestation certificate has no SW_ID or no HW_ID OU.',
    'Sign with `nv qcom fsg sign`, which writes all required OUs.',
  ),
  NV_FSG_SWID_TYPE_MISMATCH: c(
    'The low 32 bits (image type) of the OU SW_ID differ from the modem build SW_ID (secboot error 13).',
    'Sign with the SW_ID from fs_signed_img_param.c (0x0 on 3.x, 0x1B on later lines).',
  ),
  NV_FSG_SWID_ROLLBACK: c(
    'The high 32 bits (version) of the OU SW_ID are lower than the modem build version (anti-rollback, secboot error 14).',
    'Sign with a SW_ID version at least the one in the modem build.',
  ),
  NV_FSG_HWID_MISMATCH: c(
    'The OU HW_ID differs from the HW_ID the modem expects (secboot error 15).',
    'Sign with FS_SIGNED_IMG_MSM_HW_ID of the modem build (or the fused HW_ID).',
  ),
  NV_FSG_BAD_EXPONENT: c(
    'An RSA public exponent is not 3 or 65537 (secboot error 3; the SecTools e=257 sets fail).',
    'Use keys with e = 65537 (default) or 3.',
  ),
  NV_FSG_IMAGE_SIGNATURE: c(
    'The image signature does not verify: the hash, HW_ID/SW_ID, padding or key differ (secboot error 12). A DigestInfo signature (openssl dgst -sign) also fails here.',
    'Re-sign the exact bytes with `nv qcom fsg sign`; never edit a signed image.',
  ),
  NV_FSG_DEBUG_OU: c(
    'The DEBUG OU has a value other than 0 (NOP), 2 (off) or 3 with a chip serial (on) (secboot error 16).',
    'Use `03 0000000000000002 DEBUG` (debug off).',
  ),
  NV_FSG_CRASH_DUMP_OU: c(
    'The CRASH_DUMP OU is not 0 or 1 (secboot error 20).',
    'Remove the CRASH_DUMP OU or set it to 0.',
  ),
  NV_FSG_TOO_LARGE: c(
    'The code does not fit the golden EFS RAM buffer (40 + code_size must be < GOLDEN_RAM_SIZE − 512).',
    'Make the EFS image smaller, or use the meta file of the right build.',
  ),
  NV_FSG_PAYLOAD_FORMAT: c(
    'The payload is not a gzip (1F 8B 08, reserved flags 0) or a tar with a valid header checksum; the modem would crash untarring it.',
    'Sign the fs_image.tar.gz produced by `nv qcom efs pack` or the device.',
  ),
  NV_FSG_KEY_SIZE: c(
    'An RSA key is not 2048 or 4096 bits.',
    'Create keys with `nv qcom fsg keygen` (RSA-2048 or --key-bits 4096).',
  ),
  NV_FSG_KEY_MISMATCH: c(
    'A private key does not belong to its certificate.',
    'Use the key and certificate files written together by `nv qcom fsg keygen`.',
  ),
  NV_FSG_KEYS_DIR: c(
    'The keys folder is missing a file (ca.key.pem, ca.crt.pem, root.crt.pem) or a file is not a PEM of the expected kind.',
    'Point --keys at the folder written by `nv qcom fsg keygen`.',
  ),
  NV_FSG_SW_SIZE_MISMATCH: c(
    'The SW_SIZE OU differs from 40 + code_size (the modem does not check it, inferred).',
    'Informational; re-sign with `nv qcom fsg sign` to make it consistent.',
  ),
  NV_FSG_ID_PAD_QUIRK: c(
    'SW_ID or HW_ID has top byte 0x36/0x5C: SecTools drops a zero byte of Si/So, so SecTools images with these IDs fail (inferred). Images from this toolkit are correct.',
    'No action needed for images signed by `nv`.',
  ),
  NV_FSG_CERT_EXPIRED: c(
    'A certificate is outside its validity dates; the modem does not check dates (no trusted clock, inferred).',
    'Informational.',
  ),
  NV_FSG_CERT_INFO: c(
    'An attestation OU the modem ignores (APP_ID, ROT_EN, 11, 12, 15–17) or a multi-valued RDN.',
    'Informational; multi-valued RDNs should be split into one OU per RDN.',
  ),
  NV_FSG_ROOT_INPUT: c(
    'The root certificate input is not a PEM or DER X.509 certificate.',
    'Give root.crt.pem (or its DER), or the keys folder written by keygen.',
  ),
  NV_FSG_SELF_CHECK: c(
    'The image just signed does not pass verification; nothing was written.',
    'Report this with --verbose output; check the keys and IDs.',
  ),
  NV_FSG_SIGNER: c(
    'The signer (key file or --signer-cmd) failed or returned a signature of the wrong length or value.',
    'Check the signer command: it must read the 32-byte digest on stdin and write the raw k-byte signature on stdout.',
  ),
  NV_FSG_VERIFY: c(
    'The image fails a modem check (the data names the first failing check).',
    'See the check list of `nv qcom fsg verify` for the reason.',
  ),
  NV_FSG_SIGNED_INPUT: c(
    'The input to sign is already a signed image (.mbn, .img or fsg dump), not the fs_image.tar.gz payload.',
    'Take the payload out first: `nv qcom fsg unwrap <image> -o fs_image.tar.gz`, then sign that.',
  ),
});

/** A finding's severity: `error` makes the modem refuse (or the tool refuse), `warning`/`info` do not. */
export type FsgSeverity = 'error' | 'warning' | 'info';

/** One finding of a parser or verifier (JSON-ready). */
export interface FsgFinding {
  /** `error`, `warning` or `info`. */
  severity: FsgSeverity;
  /** An `NV_FSG_*` code (or a core code). */
  code: string;
  /** What was found, with the values involved. */
  message: string;
  /** Absolute offset in the input, if the finding is about one place. */
  offset?: number;
}
