/**
 * The payload of a signed FSG image exactly as it was signed (issue 16.5): the `fs_image.tar.gz` (with its tail) of
 * a `.mbn`, `.img` or `fsg` partition dump, and the old signer's root hash, so a stock image can be re-signed with
 * the customer's own keys (`unwrap → sign → img`).
 * @module
 */
import { locateSignedImage, isGzipHeader, isTarHeader, type SignedImageContainer } from './container.ts';
import { inspectSignedImage } from './verify.ts';

/** Result of {@link unwrapFsgImage}. */
export interface UnwrapResult {
  /** `mbn`, `img` or `fsg` (a partition dump with fill after the `.mbn`). */
  readonly container: SignedImageContainer;
  /** The code exactly as signed (`code_size` bytes at the header end): fs_image.tar.gz plus its tail. */
  readonly payload: Uint8Array;
  /** Bytes of {@link payload}. */
  readonly size: number;
  /** Offset of the payload in the input. */
  readonly offset: number;
  /** `gzip`, `tar` or `unknown`. */
  readonly format: 'gzip' | 'tar' | 'unknown';
  /** True when the image carries a signature and a certificate chain. */
  readonly signed: boolean;
  /** SHA-256 of the old signer's root certificate (hex), null when the chain has none. */
  readonly rootHash: string | null;
  /** The root, when it is a publicly known one (Qualcomm, test keys). */
  readonly knownRoot: { readonly label: string; readonly kind: string } | null;
  /** Bytes after the `.mbn` in an `fsg` dump (dropped). */
  readonly trailingBytes: number;
}

/**
 * Extracts the signed payload of a `.mbn`, `.img` or `fsg` dump without judging the signature.
 * @throws NvError `NV_FSG_ELF_UNSUPPORTED`, `NV_FSG_MBN80_UNSUPPORTED`, `NV_FSG_UNSIGNED`, `NV_FSG_EMPTY`,
 *   `NV_FSG_NOT_MBN`, `NV_FSG_HEADER_SIZES`, `NV_TRUNCATED`
 * @example const { payload, rootHash } = unwrapFsgImage(imgBytes);
 */
export function unwrapFsgImage(bytes: Uint8Array, path?: string): UnwrapResult {
  const located = locateSignedImage(bytes, path);
  const info = inspectSignedImage(bytes, path);
  const payload = located.code.slice();
  return {
    container: located.container,
    payload,
    size: payload.length,
    offset: located.codeOffset,
    format: isGzipHeader(payload) ? 'gzip' : isTarHeader(payload) ? 'tar' : 'unknown',
    signed: located.header.signatureSize > 0 && located.header.certChainSize > 0,
    rootHash: info.rootHash,
    knownRoot: info.knownRoot,
    trailingBytes: located.trailingBytes,
  };
}
