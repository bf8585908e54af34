/**
 * SHA-256, SHA-384 (newer MBN hash segments) and SHA-1 (legacy ones) through `@noble/hashes`, pure and browser-safe.
 * @module
 */
import { sha256 as nobleSha256, sha384 as nobleSha384 } from '@noble/hashes/sha2.js';
import { sha1 as nobleSha1 } from '@noble/hashes/legacy.js';
import { bytesToHex } from './bytes.ts';

/** An incremental hash: feed chunks, then take the digest once. */
export interface IncrementalHash {
  update(chunk: Uint8Array): IncrementalHash;
  digest(): Uint8Array<ArrayBuffer>;
}

/** SHA-256 of the bytes (32 bytes). */
export function sha256(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return nobleSha256(data) as Uint8Array<ArrayBuffer>;
}

/** Lower-case hex SHA-256 of the bytes. */
export function sha256Hex(data: Uint8Array): string {
  return bytesToHex(nobleSha256(data));
}

/** An incremental SHA-256 for streamed input. */
export function createSha256(): IncrementalHash {
  const h = nobleSha256.create();
  const api: IncrementalHash = {
    update(chunk) {
      h.update(chunk);
      return api;
    },
    digest() {
      return h.digest() as Uint8Array<ArrayBuffer>;
    },
  };
  return api;
}

/** SHA-1 of the bytes (20 bytes); only for formats that still specify it. */
export function sha1(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return nobleSha1(data) as Uint8Array<ArrayBuffer>;
}

/** SHA-384 of the bytes (48 bytes): MBN hash segments v6/v7 use it. */
export function sha384(data: Uint8Array): Uint8Array<ArrayBuffer> {
  return nobleSha384(data) as Uint8Array<ArrayBuffer>;
}
