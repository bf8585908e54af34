/**
 * The simulated EFS encryption of modemst copies. Real modems encrypt modemst1/modemst2 with a key derived from a
 * hardware secret that differs between fused and unfused secure boot (`qcom-fsg-sign.md` §7, `qcom-efs.md` §5 #15).
 * The simulator uses a stand-in cipher, NOT a real one: keystream = SHA-256(key ‖ "ks" ‖ u32be counter) blocks XORed
 * with the plaintext, plus a SHA-256 integrity tag over key ‖ header ‖ plaintext. What matters for the simulation is
 * that a copy sealed under one key is "not sane" under another, exactly like a real copy after a key change.
 * @module
 */
import { ByteReader, ByteWriter, bytesEqual, concatBytes, encodeLatin1, sha256 } from '@nv/core';

/** Magic of a simulated modemst copy. */
export const MODEMST_MAGIC = 'NVSIMST1';
const HEADER = 20;
const TAG = 32;

/**
 * The EFS key of a simulated device: from the device-unique secret (seed) and the secure-boot fuse state.
 * Fused devices derive it from the fused root hash too, so blowing the fuses changes the key.
 */
export function deriveEfsKey(seed: string, fused: boolean, fusedRootHash = ''): Uint8Array {
  return sha256(encodeLatin1(`nv-sim efs key|${seed}|${fused ? `fused|${fusedRootHash.toLowerCase()}` : 'unfused'}`));
}

function keystreamXor(key: Uint8Array, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(data.length);
  const block = new Uint8Array(key.length + 6);
  block.set(key, 0);
  block.set([0x6b, 0x73], key.length); // "ks"
  for (let off = 0, ctr = 0; off < data.length; off += 32, ctr++) {
    new DataView(block.buffer).setUint32(key.length + 2, ctr, false);
    const ks = sha256(block);
    const n = Math.min(32, data.length - off);
    for (let i = 0; i < n; i++) out[off + i] = (data[off + i] as number) ^ (ks[i] as number);
  }
  return out;
}

/**
 * Seals an EFS image into a modemst copy: `"NVSIMST1"`, u32 version 1, u32 generation, u32 length, 32-B tag, ciphertext.
 * @example sealModemst(key, encodeEfs(efs), 1)
 */
export function sealModemst(key: Uint8Array, plaintext: Uint8Array, generation: number): Uint8Array {
  const w = new ByteWriter(HEADER + TAG + plaintext.length);
  w.fixedString(MODEMST_MAGIC, 8).u32le(1).u32le(generation >>> 0).u32le(plaintext.length);
  const header = w.finish();
  const tag = sha256(concatBytes(key, encodeLatin1('tag'), header, plaintext));
  return concatBytes(header, tag, keystreamXor(key, plaintext));
}

/** Why a modemst copy is not sane. */
export type ModemstStatus = 'sane' | 'erased' | 'not-efs' | 'tag-mismatch';

/** Result of opening a modemst copy. */
export interface OpenedModemst {
  status: ModemstStatus;
  generation: number;
  plaintext?: Uint8Array;
}

/** Opens a modemst copy with `key`: sane only when the magic, length and tag all check. */
export function openModemst(key: Uint8Array, partition: Uint8Array): OpenedModemst {
  if (partition.every((b) => b === 0) || partition.every((b) => b === 0xff)) return { status: 'erased', generation: 0 };
  if (partition.length < HEADER + TAG) return { status: 'not-efs', generation: 0 };
  const r = new ByteReader(partition);
  if (r.fixedString(8) !== MODEMST_MAGIC || r.u32le() !== 1) return { status: 'not-efs', generation: 0 };
  const generation = r.u32le();
  const len = r.u32le();
  if (len > partition.length - HEADER - TAG) return { status: 'not-efs', generation };
  const tag = partition.subarray(HEADER, HEADER + TAG);
  const plaintext = keystreamXor(key, partition.subarray(HEADER + TAG, HEADER + TAG + len));
  const expect = sha256(concatBytes(key, encodeLatin1('tag'), partition.subarray(0, HEADER), plaintext));
  if (!bytesEqual(tag, expect)) return { status: 'tag-mismatch', generation };
  return { status: 'sane', generation, plaintext };
}
