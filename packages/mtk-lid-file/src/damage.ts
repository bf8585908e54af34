/**
 * Damaged copies of a LID file for simulators and tests (docs/formats/lid-files.md#algorithms): a record whose
 * stored checksum fails, a gen-B header whose checksum fails — the on-flash states the modem's boot checks meet.
 * @module
 */
import { NvError } from '@nv/core';
import { aesEcbDecrypt, aesEcbEncrypt } from './crypto.ts';
import { LDI_HEADER_SIZE, sectionSizeA, sectionSizeB, type LidCodecOptions, type LidEntry } from './lid-file.ts';

/** Options of {@link damageLidFile}: the codec options the file was encoded with, and what to break. */
export interface LidDamageOptions extends Pick<LidCodecOptions, 'key' | 'bindToChip'> {
  readonly generation: 'A' | 'B';
  /** 1-based records whose stored checksum is broken (its first byte XOR 0x01). */
  readonly records?: readonly number[];
  /** Break the gen-B header checksum (its low byte XOR 0xFF at offset 30). */
  readonly header?: boolean;
}

/**
 * A copy of `file` (as `encodeLidFile` wrote it for `entry`) with the chosen checksums broken. A gen-B CONFIDENTIAL
 * section is ciphered with its checksum: it is decrypted, the byte flipped and re-encrypted, so the padding stays
 * valid and only chk8 fails (docs/formats/lid-files.md#gen-b-cipher).
 * @throws NvError `NV_BAD_INPUT` for a record outside 1…records or a file too short; `NV_LID_KEY_REQUIRED` when a
 *   ciphered section needs the AES key.
 * @example damageLidFile(encodeLidFile(records, entry, { generation: 'B' }), entry, { generation: 'B', records: [2] })
 */
export function damageLidFile(file: Uint8Array, entry: LidEntry, options: LidDamageOptions): Uint8Array<ArrayBuffer> {
  const out = Uint8Array.from(file);
  const gen = options.generation;
  const bind = options.bindToChip ?? true;
  const base = gen === 'B' ? LDI_HEADER_SIZE : 0;
  const section =
    gen === 'B' ? sectionSizeB(entry.size, entry.attributes, bind) : sectionSizeA(entry.size, entry.attributes, bind);
  const ciphered = gen === 'B' && entry.attributes.includes('CONFIDENTIAL');
  for (const i of options.records ?? []) {
    const off = base + (i - 1) * section;
    if (!Number.isInteger(i) || i < 1 || i > entry.records || off + section > out.length)
      throw new NvError('NV_BAD_INPUT', `record ${i} is not in 1…${entry.records} of this ${out.length}-byte file`, {
        offset: Math.max(0, off),
      });
    if (ciphered) {
      const key = options.key !== undefined && 'aesKey' in options.key ? options.key.aesKey : undefined;
      if (key === undefined)
        throw new NvError('NV_LID_KEY_REQUIRED', 'a CONFIDENTIAL gen-B section is ciphered: give the AES key', {
          offset: off,
        });
      const plain = aesEcbDecrypt(key, out.subarray(off, off + section));
      plain[entry.size] = (plain[entry.size] as number) ^ 0x01;
      out.set(aesEcbEncrypt(key, plain), off);
    } else out[off + entry.size] = (out[off + entry.size] as number) ^ 0x01;
  }
  if (options.header === true && gen === 'B') {
    if (out.length < LDI_HEADER_SIZE)
      throw new NvError('NV_BAD_INPUT', `a gen-B file has a ${LDI_HEADER_SIZE}-byte header`, { offset: 0 });
    out[30] = (out[30] as number) ^ 0xff;
  }
  return out;
}
