import { describe, it, expect } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FSG_ERROR_CODES } from '../src/errors.ts';

describe('error codes', () => {
  it('every NV_FSG_ code used in src/ is in the table, each with meaning and fix', () => {
    const src = join(import.meta.dirname, '../src');
    const used = new Set<string>();
    for (const f of readdirSync(src))
      for (const m of readFileSync(join(src, f), 'utf8').matchAll(/NV_FSG_[A-Z0-9_]+/g)) used.add(m[0]);
    for (const code of used) expect(FSG_ERROR_CODES[code], code).toBeDefined();
    for (const [code, info] of Object.entries(FSG_ERROR_CODES)) {
      expect(info.meaning.length, code).toBeGreaterThan(10);
      expect(info.fix.length, code).toBeGreaterThan(5);
    }
    // The §4 table names: all present.
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
      expect(FSG_ERROR_CODES[`NV_FSG_${name}`], name).toBeDefined();
    }
  });
});
