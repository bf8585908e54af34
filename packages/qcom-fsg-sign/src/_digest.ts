/**
 * The SHA-1/SHA-256 every module of this package hashes with (certificates, key ids, H3, root hash). Pure code
 * (`@nv/core`, browser-safe) until the Node entry installs node:crypto's (issue 17: same digests, no cold start of
 * the pure code in a short CLI process). Internal.
 * @module
 */
import { sha1 as pureSha1, sha256 as pureSha256 } from '@nv/core/hash';

type Digest = (data: Uint8Array) => Uint8Array;
const current: { sha1: Digest; sha256: Digest } = { sha1: pureSha1, sha256: pureSha256 };

/** SHA-1 of `data` with the installed implementation. */
export const sha1 = (data: Uint8Array): Uint8Array => current.sha1(data);

/** SHA-256 of `data` with the installed implementation. */
export const sha256 = (data: Uint8Array): Uint8Array => current.sha256(data);

/** Installs other implementations of the same digests (the Node entry: node:crypto). */
export function useDigests(digests: { sha1: Digest; sha256: Digest }): void {
  current.sha1 = digests.sha1;
  current.sha256 = digests.sha256;
}
