/**
 * `@nv/qcom-fsg-sign/errors`: this package's error codes (prefix `NV_FSG_`). Codes are never renamed or reused.
 * Verification findings (`verifySignedImage`) use the same codes with a severity.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

const CODES = {
  NV_FSG_HEADER_FIELD: {
    meaning:
      'An MBN v3 header field has a value the modem does not accept (image_src ≠ 40, image_dest_ptr ≠ 0) or does not expect (image_id ≠ 27, version ≠ 3).',
    fix: 'Re-sign the tar.gz with `nv qcom fsg sign`; do not edit the header by hand.',
  },
  NV_FSG_HEADER_SIZES: {
    meaning:
      'The MBN v3 header sizes and pointers do not add up (image_size, signature_ptr, cert_chain_ptr, or the file is shorter than the header says).',
    fix: 'The image is damaged or not an FSG image; take a complete copy or re-sign it.',
  },
  NV_FSG_SIG_SIZE: {
    meaning:
      'The signature size is not a multiple of 4, is over 512 bytes, or differs from the attestation key modulus length (secboot error 2).',
    fix: 'Re-sign with an RSA-2048 or RSA-4096 attestation key.',
  },
  NV_FSG_CHAIN_SIZE: {
    meaning: 'The certificate chain is larger than the modem accepts (secboot error 2).',
    fix: 'Use at most 3 certificates of at most 2048 bytes each (6144-byte chain).',
  },
  NV_FSG_IMG_SECTOR_MISSING: {
    meaning: 'A bare .mbn was given where a partition image is expected; the modem skips the first 512 bytes of fsg.',
    fix: 'Wrap the .mbn with `nv qcom fsg img` before flashing it to fsg.',
  },
  NV_FSG_IMG_SECTOR: {
    meaning:
      'The 512-byte .img sector has a non-zero fill, sizes different from the .mbn length, or an unknown image id.',
    fix: 'Rebuild the .img with `nv qcom fsg img`.',
  },
  NV_FSG_ELF_UNSUPPORTED: {
    meaning: 'The file is an ELF MBN (SecTools v2 EFS-TAR), not the 40-byte MBN v3 image this package signs.',
    fix: 'Use SecTools v2 for ELF EFS-TAR images, or `nv qcom mbn` for MCFG ELF files.',
  },
  NV_FSG_MBN80_UNSUPPORTED: {
    meaning: 'The file has the legacy 80-byte MBN header (magic 0x73D71034), not the 40-byte MBN v3 header.',
    fix: 'Only 40-byte MBN v3 FSG images are supported.',
  },
  NV_FSG_UNSIGNED: {
    meaning: 'The file is a plain tar or gzip, not a signed image.',
    fix: 'Sign it with `nv qcom fsg sign`, or read it with `nv qcom efs ls`.',
  },
  NV_FSG_EMPTY: {
    meaning: 'The file is all 0x00 or all 0xFF (an erased partition).',
    fix: 'The partition holds no image; dump the right partition.',
  },
  NV_FSG_NOT_MBN: {
    meaning:
      'The file is not a signed FSG image (no MBN v3 header and no .img sector); it may be a device-encrypted EFS copy.',
    fix: 'Check that the file is a .mbn, .img or fsg dump; modemst1/modemst2 are encrypted and cannot be read.',
  },
  NV_FSG_META_PARSE: {
    meaning:
      'efs_image_meta.bin is not valid: no EFS_IMAGE_KEYS header row, a duplicate key, or a non-numeric or oversized value.',
    fix: 'Use the efs_image_meta.bin produced by the same modem build.',
  },
  NV_FSG_META_KEY_MISSING: {
    meaning:
      'efs_image_meta.bin has no GOLDEN_RAM_ADDR (dest 0 is written) or no GOLDEN_RAM_SIZE (the size check is skipped).',
    fix: 'Use the meta file of the modem build; a build without SCL_GOLDEN_EFS_RAM_BASE is fine with dest 0.',
  },
  NV_FSG_ID_FORMAT: {
    meaning: 'An ID (SW_ID, HW_ID, OEM_ID, MODEL_ID) is not decimal or 0x hex in its range.',
    fix: 'Give 64-bit IDs as 0x hex, e.g. --hw-id 0x009600E100000000.',
  },
  NV_FSG_HWID_FORMAT: {
    meaning:
      'A HW_ID option is not the full 64-bit MSM_HW_ID (0x and 16 hex digits); a 32-bit value such as 0x009600E1 is the msm_part alone.',
    fix: 'Give all 16 hex digits, msm_part<<32 | oem_id<<16 | model_id, e.g. --hw-id 0x009600E100000000 (MSM8909, OEM 0, model 0).',
  },
  NV_FSG_KEYS_HWID_MISMATCH: {
    meaning: 'The HW_ID given differs from the hwId that keygen recorded in fsg-keys.json of the keys folder.',
    fix: 'Use the HW_ID of fsg-keys.json (the modem build the keys were made for), or make keys for this HW_ID with keygen.',
  },
  NV_FSG_HASH_SHA1: {
    meaning: 'The attestation certificate has no `07 0001 SHA256` OU, so the modem hashes the image with SHA-1.',
    fix: 'Sign with `nv qcom fsg sign`, which always uses SHA-256.',
  },
  NV_FSG_CHAIN_PADDING: {
    meaning: 'A byte after the last certificate of the chain is not 0xFF (secboot error 8).',
    fix: 'Pad the chain with 0xFF; zero padding is rejected by the modem.',
  },
  NV_FSG_CHAIN_PARSE: {
    meaning:
      'The certificate chain cannot be parsed as the modem does: bad DER, not X.509 v3, not RSA, fewer than 2 certificates or no self-issued root within 3 (secboot error 8).',
    fix: 'Re-sign with a 3-certificate chain (attestation, attestation CA, root).',
  },
  NV_FSG_CERT_ALGO: {
    meaning:
      'A certificate uses a signature algorithm the modem rejects (only sha1/sha256WithRSAEncryption, inner = outer), or a key over 4096 bits.',
    fix: 'Issue the certificates with sha256WithRSAEncryption and RSA-2048/4096 keys.',
  },
  NV_FSG_CERT_TOO_LARGE: {
    meaning: 'A certificate is larger than 2048 bytes and does not fit its slot of the 6144-byte chain.',
    fix: 'Use shorter subject names and fewer extensions.',
  },
  NV_FSG_CERT_STRUCTURE: {
    meaning:
      'The chain breaks a secboot rule: keyUsage, basicConstraints pathLen, issuer DN bytes, AKI/SKI, or an unknown critical extension (secboot error 9).',
    fix: 'Create the keys with `nv qcom fsg keygen`; never re-encode issuer names.',
  },
  NV_FSG_CERT_SIGNATURE: {
    meaning: 'A certificate signature does not verify under its issuer key (secboot error 10).',
    fix: 'The chain is damaged or mixed from different key sets; re-sign the image.',
  },
  NV_FSG_UNTRUSTED_ROOT: {
    meaning: 'SHA-256 of the root certificate DER is not the root hash the modem is built with (secboot error 11).',
    fix: 'Sign with the keys whose root hash is in fs_signed_img_param.c, or pass the right --root-hash.',
  },
  NV_FSG_DUMMY_ROOT: {
    meaning:
      'The configured root hash is the public QDST dummy root d58522cd…, which the modem refuses unless built with FEATURE_FS_TAR_ALLOW_DUMMY_KEY.',
    fix: 'Generate your own keys with `nv qcom fsg keygen` and put their root hash in the modem build.',
  },
  NV_FSG_KNOWN_TEST_ROOT: {
    meaning:
      'The root, CA or attestation certificate is a publicly known test or default key (anyone can sign with it).',
    fix: 'Generate your own keys with `nv qcom fsg keygen`; use --allow-test-root only in a lab.',
  },
  NV_FSG_QUALCOMM_ROOT: {
    meaning: 'The root is a Qualcomm production root (PK hash of unfused devices), not an FSG customer root.',
    fix: 'FSG images are verified against the root hash in fs_signed_img_param.c; use your own root.',
  },
  NV_FSG_OU_UNSUPPORTED: {
    meaning:
      'The attestation certificate has OU 13 (IN_USE_SOC_HW_VERSION) or 14 (USE_SERIAL_NUMBER_IN_SIGNING); newer secboot then rewrites HW_ID and fails for the FSG.',
    fix: 'Remove these OUs; sign with `nv qcom fsg sign`.',
  },
  NV_FSG_OU_FORMAT: {
    meaning:
      'An attestation OU value is malformed: wrong length, or digits other than 0-9A-F (the modem silently truncates lower-case hex).',
    fix: 'Write OU values as upper-case hex of the exact width (e.g. `01 000000000000001B SW_ID`).',
  },
  NV_FSG_OU_MISSING: {
    meaning: 'The attestation certificate has no SW_ID or no HW_ID OU.',
    fix: 'Sign with `nv qcom fsg sign`, which writes all required OUs.',
  },
  NV_FSG_SWID_TYPE_MISMATCH: {
    meaning: 'The low 32 bits (image type) of the OU SW_ID differ from the modem build SW_ID (secboot error 13).',
    fix: 'Sign with the SW_ID from fs_signed_img_param.c (0x0 on 3.x, 0x1B on later lines).',
  },
  NV_FSG_SWID_ROLLBACK: {
    meaning:
      'The high 32 bits (version) of the OU SW_ID are lower than the modem build version (anti-rollback, secboot error 14).',
    fix: 'Sign with a SW_ID version at least the one in the modem build.',
  },
  NV_FSG_HWID_MISMATCH: {
    meaning: 'The OU HW_ID differs from the HW_ID the modem expects (secboot error 15).',
    fix: 'Sign with FS_SIGNED_IMG_MSM_HW_ID of the modem build (or the fused HW_ID).',
  },
  NV_FSG_BAD_EXPONENT: {
    meaning: 'An RSA public exponent is not 3 or 65537 (secboot error 3; the SecTools e=257 sets fail).',
    fix: 'Use keys with e = 65537 (default) or 3.',
  },
  NV_FSG_IMAGE_SIGNATURE: {
    meaning:
      'The image signature does not verify: the hash, HW_ID/SW_ID, padding or key differ (secboot error 12). A DigestInfo signature (openssl dgst -sign) also fails here.',
    fix: 'Re-sign the exact bytes with `nv qcom fsg sign`; never edit a signed image.',
  },
  NV_FSG_DEBUG_OU: {
    meaning: 'The DEBUG OU has a value other than 0 (NOP), 2 (off) or 3 with a chip serial (on) (secboot error 16).',
    fix: 'Use `03 0000000000000002 DEBUG` (debug off).',
  },
  NV_FSG_CRASH_DUMP_OU: {
    meaning: 'The CRASH_DUMP OU is not 0 or 1 (secboot error 20).',
    fix: 'Remove the CRASH_DUMP OU or set it to 0.',
  },
  NV_FSG_TOO_LARGE: {
    meaning: 'The code does not fit the golden EFS RAM buffer (40 + code_size must be < GOLDEN_RAM_SIZE − 512).',
    fix: 'Make the EFS image smaller, or use the meta file of the right build.',
  },
  NV_FSG_PAYLOAD_FORMAT: {
    meaning:
      'The payload is not a gzip (1F 8B 08, reserved flags 0) or a tar with a valid header checksum; the modem would crash untarring it.',
    fix: 'Sign the fs_image.tar.gz produced by `nv qcom efs pack` or the device.',
  },
  NV_FSG_KEY_SIZE: {
    meaning: 'An RSA key is not 2048 or 4096 bits.',
    fix: 'Create keys with `nv qcom fsg keygen` (RSA-2048 or --key-bits 4096).',
  },
  NV_FSG_KEY_MISMATCH: {
    meaning: 'A private key does not belong to its certificate.',
    fix: 'Use the key and certificate files written together by `nv qcom fsg keygen`.',
  },
  NV_FSG_KEYS_DIR: {
    meaning:
      'The keys folder is missing a file (ca.key.pem, ca.crt.pem, root.crt.pem) or a file is not a PEM of the expected kind.',
    fix: 'Point --keys at the folder written by `nv qcom fsg keygen`.',
  },
  NV_FSG_SW_SIZE_MISMATCH: {
    meaning: 'The SW_SIZE OU differs from 40 + code_size (the modem does not check it, inferred).',
    fix: 'Informational; re-sign with `nv qcom fsg sign` to make it consistent.',
  },
  NV_FSG_ID_PAD_QUIRK: {
    meaning:
      'SW_ID or HW_ID has top byte 0x36/0x5C: SecTools drops a zero byte of Si/So, so SecTools images with these IDs fail (inferred). Images from this toolkit are correct.',
    fix: 'No action needed for images signed by `nv`.',
  },
  NV_FSG_CERT_EXPIRED: {
    meaning:
      'A certificate is outside its validity dates; the modem does not check dates (no trusted clock, inferred).',
    fix: 'Informational.',
  },
  NV_FSG_CERT_INFO: {
    meaning: 'An attestation OU the modem ignores (APP_ID, ROT_EN, 11, 12, 15–17) or a multi-valued RDN.',
    fix: 'Informational; multi-valued RDNs should be split into one OU per RDN.',
  },
  NV_FSG_ROOT_INPUT: {
    meaning: 'The root certificate input is not a PEM or DER X.509 certificate.',
    fix: 'Give root.crt.pem (or its DER), or the keys folder written by keygen.',
  },
  NV_FSG_SELF_CHECK: {
    meaning: 'The image just signed does not pass verification; nothing was written.',
    fix: 'Report this with --verbose output; check the keys and IDs.',
  },
  NV_FSG_SIGNER: {
    meaning: 'The signer (key file or --signer-cmd) failed or returned a signature of the wrong length or value.',
    fix: 'Check the signer command: it must read the 32-byte digest on stdin and write the raw k-byte signature on stdout.',
  },
  NV_FSG_VERIFY: {
    meaning: 'The image fails a modem check (the data names the first failing check).',
    fix: 'See the check list of `nv qcom fsg verify` for the reason.',
  },
  NV_FSG_SIGNED_INPUT: {
    meaning: 'The input to sign is already a signed image (.mbn, .img or fsg dump), not the fs_image.tar.gz payload.',
    fix: 'Take the payload out first: `nv qcom fsg unwrap <image> -o fs_image.tar.gz`, then sign that.',
  },
};

/** A code of `@nv/qcom-fsg-sign` (`NV_FSG_…`). */
export type FsgErrorCode = keyof typeof CODES;

/** Every `NV_FSG_*` code this package throws or reports, with its meaning and fix (rendered by the docs and `nv errors`). */
export const FSG_ERROR_CODES: ErrorCodeTable<FsgErrorCode> = defineErrorCodes('NV_FSG_', CODES);

declare module '@nv/core' {
  interface NvErrorCodes extends Record<FsgErrorCode, true> {}
}

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
