/**
 * Hand-written DER for the three certificates `keygen`/`sign` issue (docs/formats/fsg.md#ous, docs/formats/fsg.md#certificates). Pure and browser-safe:
 * it returns the TBSCertificate; the caller signs it (node:crypto, an HSM) and calls {@link assembleCertificate}.
 * Hand-written so that the issuer DN is the CA subject bytes verbatim, each OU is its own RDN as UTF8String,
 * and the extensions are exactly the profile (no library defaults).
 * @module
 */
import { concatBytes, encodeUtf8, hexToBytes } from '@nv/core/bytes';
import { oid, seq, tlv, uint, uintBytes } from './der.ts';
import { OID } from './x509.ts';

/** The role of a certificate in the FSG chain (docs/formats/fsg.md#certificates profile). */
export type CertRole = 'root' | 'ca' | 'attestation';

/** What goes into one certificate. */
export interface TbsInput {
  role: CertRole;
  /** Serial number bytes (big-endian, positive). */
  serial: Uint8Array;
  /** The issuer's subject Name DER, copied as bytes (for the root: its own subject). */
  issuerName: Uint8Array;
  /** Subject attributes in order, one per RDN: `[oid, text]` (UTF8String). */
  subject: ReadonlyArray<readonly [string, string]>;
  notBefore: Date;
  notAfter: Date;
  /** SubjectPublicKeyInfo DER of the subject key. */
  spki: Uint8Array;
  /** SKI of the subject key (root, CA). */
  subjectKeyId?: Uint8Array;
  /** SKI of the issuer (CA, attestation). */
  authorityKeyId?: Uint8Array;
}

const SHA256_RSA = (): Uint8Array => seq(oid(OID.sha256WithRSA), Uint8Array.of(5, 0));

function time(d: Date): Uint8Array {
  const iso = d.toISOString();
  const y = d.getUTCFullYear();
  const tail = `${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z`;
  // RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050.
  return y < 2050 ? tlv(0x17, encodeUtf8(`${String(y).slice(2)}${tail}`)) : tlv(0x18, encodeUtf8(`${y}${tail}`));
}

/**
 * Encodes a Name with one attribute per RDN, values as UTF8String (docs/formats/fsg.md#ous).
 * @example
 * encodeName([[OID.o, 'Acme'], [OID.cn, 'Acme FSG Root CA']])
 */
export function encodeName(attrs: ReadonlyArray<readonly [string, string]>): Uint8Array<ArrayBuffer> {
  return seq(...attrs.map(([o, v]) => tlv(0x31, seq(oid(o), tlv(0x0c, encodeUtf8(v))))));
}

function ext(o: string, critical: boolean, value: Uint8Array): Uint8Array {
  return seq(oid(o), ...(critical ? [Uint8Array.of(1, 1, 0xff)] : []), tlv(0x04, value));
}

/**
 * Encodes the TBSCertificate of a root, CA or attestation certificate with the docs/formats/fsg.md#certificates profile.
 * @throws RangeError when a key id the role needs is missing.
 * @example
 * const tbs = buildTbs({ role: 'root', serial, issuerName: name, subject: [[OID.o, 'Ex'], [OID.cn, 'Ex FSG Root CA']], notBefore, notAfter, spki, subjectKeyId });
 */
export function buildTbs(input: TbsInput): Uint8Array<ArrayBuffer> {
  const exts: Uint8Array[] = [];
  if (input.role === 'root') exts.push(ext(OID.basicConstraints, true, seq(Uint8Array.of(1, 1, 0xff))));
  else if (input.role === 'ca') exts.push(ext(OID.basicConstraints, true, seq(Uint8Array.of(1, 1, 0xff), uint(0))));
  else exts.push(ext(OID.basicConstraints, true, seq()));
  // keyUsage BIT STRING: keyCertSign|cRLSign = 0x06 (1 unused bit); digitalSignature = 0x80 (7 unused bits).
  exts.push(ext(OID.keyUsage, true, input.role === 'attestation' ? hexToBytes('03020780') : hexToBytes('03020106')));
  if (input.role !== 'attestation') {
    if (!input.subjectKeyId) throw new RangeError(`${input.role} certificate needs subjectKeyId`);
    exts.push(ext(OID.ski, false, tlv(0x04, input.subjectKeyId)));
  }
  if (input.role !== 'root') {
    if (!input.authorityKeyId) throw new RangeError(`${input.role} certificate needs authorityKeyId`);
    exts.push(ext(OID.aki, false, seq(tlv(0x80, input.authorityKeyId))));
  }
  const subjectName =
    input.role === 'root' && input.issuerName.length === 0 ? encodeName(input.subject) : encodeName(input.subject);
  return seq(
    tlv(0xa0, uint(2)),
    uintBytes(input.serial),
    SHA256_RSA(),
    input.issuerName.length === 0 ? subjectName : input.issuerName,
    seq(time(input.notBefore), time(input.notAfter)),
    subjectName,
    input.spki,
    tlv(0xa3, seq(...exts)),
  );
}

/**
 * Wraps a TBSCertificate and its sha256WithRSA signature into a Certificate.
 * @example
 * const der = assembleCertificate(tbs, signature);
 */
export function assembleCertificate(tbs: Uint8Array, signature: Uint8Array): Uint8Array<ArrayBuffer> {
  return seq(tbs, SHA256_RSA(), tlv(0x03, concatBytes(Uint8Array.of(0), signature)));
}
