/**
 * RSA public-key operations in pure bigint code (docs/formats/fsg.md#signature), so the browser inspector can verify too.
 * Only verification: signing needs the private key and lives in `@nv/qcom-fsg-sign/node`.
 * @module
 */
import { bytesEqual, bytesToHex, concatBytes, hexToBytes } from '@nv/core/bytes';

/**
 * `base^exp mod m` by square-and-multiply.
 * @example
 * modPow(4n, 13n, 497n) // 445n
 */
export function modPow(base: bigint, exp: bigint, m: bigint): bigint {
  if (m === 1n) return 0n;
  let result = 1n;
  let b = base % m;
  let e = exp;
  while (e > 0n) {
    if ((e & 1n) === 1n) result = (result * b) % m;
    e >>= 1n;
    b = (b * b) % m;
  }
  return result;
}

/** An RSA public key. */
export interface RsaPublicKey {
  n: bigint;
  e: bigint;
  /** Modulus length in bytes (k). */
  size: number;
}

/**
 * `sig^e mod n` as k big-endian bytes, or undefined when sig ≥ n or the length ≠ k.
 * @example
 * rsaPublicOp(key, signature) // the k-byte EM
 */
export function rsaPublicOp(key: RsaPublicKey, signature: Uint8Array): Uint8Array | undefined {
  if (signature.length !== key.size) return undefined;
  const s = BigInt(`0x${bytesToHex(signature) || '0'}`);
  if (s >= key.n) return undefined;
  const hex = modPow(s, key.e, key.n)
    .toString(16)
    .padStart(key.size * 2, '0');
  return hexToBytes(hex);
}

/**
 * The type-1 encoded message `00 01 FF… 00 ‖ payload` of k bytes (docs/formats/fsg.md#signature).
 * @example
 * emsaPkcs1Type1(h3, 256) // 00 01 ff … ff 00 ‖ h3
 */
export function emsaPkcs1Type1(payload: Uint8Array, k: number): Uint8Array<ArrayBuffer> {
  if (payload.length + 11 > k)
    throw new RangeError(`payload of ${payload.length} bytes does not fit a ${k}-byte modulus`);
  return concatBytes(Uint8Array.of(0, 1), new Uint8Array(k - payload.length - 3).fill(0xff), Uint8Array.of(0), payload);
}

/** DigestInfo prefixes for certificate signatures (RFC 8017 §9.2 note 1). */
export const DIGEST_INFO_PREFIX: Readonly<Record<'sha1' | 'sha256', Uint8Array>> = Object.freeze({
  sha1: hexToBytes('3021300906052b0e03021a05000414'),
  sha256: hexToBytes('3031300d060960864801650304020105000420'),
});

/**
 * Verifies a raw type-1 signature over `payload` with no DigestInfo (the image signature, docs/formats/fsg.md#signature): exact EM compare.
 * @example
 * verifyRawType1(key, sig, h3) // true
 */
export function verifyRawType1(key: RsaPublicKey, signature: Uint8Array, payload: Uint8Array): boolean {
  const em = rsaPublicOp(key, signature);
  return em !== undefined && payload.length + 11 <= key.size && bytesEqual(em, emsaPkcs1Type1(payload, key.size));
}

/**
 * Verifies a PKCS#1 v1.5 signature with DigestInfo (certificate signatures).
 * @example
 * verifyPkcs1(issuer.key, cert.signature, 'sha256', sha256(cert.tbs))
 */
export function verifyPkcs1(
  key: RsaPublicKey,
  signature: Uint8Array,
  hash: 'sha1' | 'sha256',
  digest: Uint8Array,
): boolean {
  return verifyRawType1(key, signature, concatBytes(DIGEST_INFO_PREFIX[hash], digest));
}
