import { describe, it, expect } from 'vitest';
import { FSG_ERROR_CODES } from '../src/errors.ts';

describe('error codes', () => {
  // That every code used in src/ is declared (and every declared code used) is a repository rule for all packages
  // (scripts/repo-rules.test.ts); here: the spec's docs/formats/fsg.md#modem-checks table is covered.
  it('every code of the §4 table is declared', () => {
    for (const name of [
      'IMG_SECTOR_MISSING',
      'DUMMY_ROOT',
      'CHAIN_SIZE',
      'SIG_SIZE',
      'CHAIN_PARSE',
      'CERT_ALGO',
      'CHAIN_PADDING',
      'OU_UNSUPPORTED',
      'SWID_TYPE_MISMATCH',
      'SWID_ROLLBACK',
      'CERT_STRUCTURE',
      'CERT_SIGNATURE',
      'UNTRUSTED_ROOT',
      'HWID_MISMATCH',
      'BAD_EXPONENT',
      'IMAGE_SIGNATURE',
      'DEBUG_OU',
      'CRASH_DUMP_OU',
      'TOO_LARGE',
      'PAYLOAD_FORMAT',
      'KNOWN_TEST_ROOT',
      'QUALCOMM_ROOT',
      'OU_MISSING',
      'KEY_SIZE',
      'SW_SIZE_MISMATCH',
      'ID_PAD_QUIRK',
      'HEADER_FIELD',
      'HEADER_SIZES',
      'ELF_UNSUPPORTED',
      'MBN80_UNSUPPORTED',
      'UNSIGNED',
      'EMPTY',
      'NOT_MBN',
      'IMG_SECTOR',
      'META_PARSE',
      'META_KEY_MISSING',
      'ID_FORMAT',
      'HASH_SHA1',
      'CERT_TOO_LARGE',
      'OU_FORMAT',
      'CERT_EXPIRED',
      'ROOT_INPUT',
      'KEY_MISMATCH',
      'SELF_CHECK',
    ]) {
      expect(Object.hasOwn(FSG_ERROR_CODES, `NV_FSG_${name}`), name).toBe(true);
    }
  });
});
