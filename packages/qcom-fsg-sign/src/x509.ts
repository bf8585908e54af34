/**
 * X.509 certificate parsing as secboot does it (docs/formats/fsg.md#chain…#certificates): the chain split, OUs, extensions, keys.
 * Pure and browser-safe.
 * @module
 */
import { NvError } from '@nv/core';
import { bytesEqual, bytesToHex, decodeLatin1 } from '@nv/core/bytes';
import { sha1, sha256 } from './_digest.ts';
import { bytesToBigInt, checkDepth, children, content, oidToString, readTlv, whole, type Tlv } from './der.ts';
import type { RsaPublicKey } from './rsa.ts';

/** OIDs this package reads. */
export const OID: Readonly<
  Record<
    | 'rsaEncryption'
    | 'sha1WithRSA'
    | 'sha256WithRSA'
    | 'ou'
    | 'cn'
    | 'o'
    | 'basicConstraints'
    | 'keyUsage'
    | 'ski'
    | 'aki',
    string
  >
> = Object.freeze({
  rsaEncryption: '1.2.840.113549.1.1.1',
  sha1WithRSA: '1.2.840.113549.1.1.5',
  sha256WithRSA: '1.2.840.113549.1.1.11',
  ou: '2.5.4.11',
  cn: '2.5.4.3',
  o: '2.5.4.10',
  basicConstraints: '2.5.29.19',
  keyUsage: '2.5.29.15',
  ski: '2.5.29.14',
  aki: '2.5.29.35',
});

/** Hard limits (docs/formats/fsg.md#chain, docs/formats/fsg.md#decisions). */
export const CERT_LIMITS: Readonly<
  Record<
    | 'maxCertBytes'
    | 'maxChainBytes'
    | 'maxCerts'
    | 'signCertBytes'
    | 'modemCertBytes'
    | 'modemChainBytes'
    | 'maxSignature',
    number
  >
> = Object.freeze({
  maxCertBytes: 8192,
  maxChainBytes: 64 * 1024,
  maxCerts: 3,
  signCertBytes: 2048,
  modemCertBytes: 3072,
  modemChainBytes: 9216,
  maxSignature: 512,
});

/** One attribute of a subject RDN. */
export interface RdnAttribute {
  oid: string;
  /** ASN.1 string tag (0x0C UTF8String, 0x13 PrintableString, …). */
  tag: number;
  value: string;
}

/** One X.509 v3 extension. */
export interface CertExtension {
  oid: string;
  critical: boolean;
  value: Uint8Array;
}

/** A parsed certificate; byte fields are views into the chain. */
export interface ParsedCert {
  /** Absolute offset of the certificate in the input. */
  offset: number;
  der: Uint8Array;
  tbs: Uint8Array;
  version: number | undefined;
  serial: Uint8Array;
  innerAlgorithm: string;
  outerAlgorithm: string;
  /** Whole AlgorithmIdentifier DER of the TBS (signed) and of the outer one (unsigned); must be equal. */
  innerAlgorithmRaw: Uint8Array;
  outerAlgorithmRaw: Uint8Array;
  signature: Uint8Array;
  issuerRaw: Uint8Array;
  subjectRaw: Uint8Array;
  subject: RdnAttribute[][];
  subjectText: string;
  notBefore: string;
  notAfter: string;
  keyAlgorithm: string;
  key: RsaPublicKey | undefined;
  /** The subjectPublicKey BIT STRING content (without the unused-bits byte), for SKI. */
  publicKeyBits: Uint8Array;
  extensions: CertExtension[];
  sha256: string;
}

const SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
};

function stringValue(bytes: Uint8Array, t: Tlv): string {
  const c = content(bytes, t);
  if (t.tag === 0x0c) return new TextDecoder('utf-8', { fatal: false }).decode(c);
  if (t.tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < c.length; i += 2) s += String.fromCharCode(((c[i] as number) << 8) | (c[i + 1] as number));
    return s;
  }
  return decodeLatin1(c);
}

function parseName(bytes: Uint8Array, name: Tlv, base: number, path?: string): RdnAttribute[][] {
  return children(bytes, name, base, path).map((set) => {
    if (set.tag !== 0x31)
      throw new NvError('NV_FSG_CHAIN_PARSE', 'a Name element is not a SET', { offset: base + set.start, path });
    return children(bytes, set, base, path).map((atv) => {
      const [o, v] = children(bytes, atv, base, path);
      if (o === undefined || v === undefined || o.tag !== 0x06)
        throw new NvError('NV_FSG_CHAIN_PARSE', 'a name attribute is not (OID, value)', {
          offset: base + atv.start,
          path,
        });
      return { oid: oidToString(content(bytes, o)), tag: v.tag, value: stringValue(bytes, v) };
    });
  });
}

function timeText(bytes: Uint8Array, t: Tlv): string {
  const s = decodeLatin1(content(bytes, t));
  if (t.tag === 0x17 && /^\d{12}Z$/.test(s))
    return `${Number(s.slice(0, 2)) >= 50 ? '19' : '20'}${s.slice(0, 2)}-${s.slice(2, 4)}-${s.slice(4, 6)}T${s.slice(6, 8)}:${s.slice(8, 10)}:${s.slice(10, 12)}Z`;
  if (t.tag === 0x18 && /^\d{14}Z$/.test(s))
    return `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(8, 10)}:${s.slice(10, 12)}:${s.slice(12, 14)}Z`;
  return s;
}

/**
 * `CN=…, O=…` text of a subject (for display).
 * @example
 * nameText(cert.subject) // 'O=Acme, CN=Acme FSG Root CA'
 */
export function nameText(rdns: RdnAttribute[][]): string {
  return rdns.map((rdn) => rdn.map((a) => `${SHORT[a.oid] ?? a.oid}=${a.value}`).join('+')).join(', ');
}

/**
 * Parses one DER certificate at `at` (absolute offsets use `base`).
 * @throws NvError `NV_FSG_CHAIN_PARSE`, `NV_LIMIT`.
 * @example
 * parseCertificate(der).subjectText
 */
export function parseCertificate(
  bytes: Uint8Array,
  at = 0,
  limit: number = bytes.length,
  base = 0,
  path?: string,
): ParsedCert {
  const bad = (message: string, offset: number): never => {
    throw new NvError('NV_FSG_CHAIN_PARSE', `certificate at ${base + at}: ${message}`, { offset: base + offset, path });
  };
  const cert = readTlv(bytes, at, limit, base, path);
  if (cert.tag !== 0x30) bad('not a SEQUENCE', at);
  if (cert.end - cert.start > CERT_LIMITS.maxCertBytes)
    throw new NvError(
      'NV_LIMIT',
      `certificate of ${cert.end - cert.start} bytes is over the limit of ${CERT_LIMITS.maxCertBytes}`,
      { offset: base + at, path },
    );
  checkDepth(bytes, cert, base, path);
  const [tbsT, algT, sigT, extra] = children(bytes, cert, base, path);
  if (
    tbsT === undefined ||
    algT === undefined ||
    sigT === undefined ||
    extra !== undefined ||
    tbsT.tag !== 0x30 ||
    algT.tag !== 0x30 ||
    sigT.tag !== 0x03
  )
    bad('not (tbsCertificate, signatureAlgorithm, signature)', at);
  const tbs = children(bytes, tbsT!, base, path);
  let i = 0;
  let version: number | undefined;
  if (tbs[0]?.tag === 0xa0) {
    const v = children(bytes, tbs[0], base, path)[0];
    if (v === undefined || v.tag !== 0x02) bad('bad version', tbs[0].start);
    version = Number(bytesToBigInt(content(bytes, v!)));
    i = 1;
  }
  const [serialT, innerAlgT, issuerT, validityT, subjectT, spkiT] = tbs.slice(i, i + 6);
  if (
    serialT?.tag !== 0x02 ||
    innerAlgT?.tag !== 0x30 ||
    issuerT?.tag !== 0x30 ||
    validityT?.tag !== 0x30 ||
    subjectT?.tag !== 0x30 ||
    spkiT?.tag !== 0x30
  )
    bad('tbsCertificate fields missing', tbsT!.start);
  const algOid = (t: Tlv): string => {
    const o = children(bytes, t, base, path)[0];
    if (o === undefined || o.tag !== 0x06) bad('bad AlgorithmIdentifier', t.start);
    return oidToString(content(bytes, o!));
  };
  const [nbT, naT] = children(bytes, validityT!, base, path);
  if (nbT === undefined || naT === undefined) bad('bad validity', validityT!.start);
  // SubjectPublicKeyInfo: RSA key n, e.
  const [spkiAlg, spkiBits] = children(bytes, spkiT!, base, path);
  if (
    spkiAlg === undefined ||
    spkiBits === undefined ||
    spkiBits.tag !== 0x03 ||
    spkiBits.end - spkiBits.contentStart < 1
  )
    bad('bad subjectPublicKeyInfo', spkiT!.start);
  // DER: a signature or key BIT STRING has no unused bits (a non-zero count would leave bytes unauthenticated).
  if (bytes[spkiBits!.contentStart] !== 0) bad('the public-key BIT STRING has unused bits', spkiBits!.contentStart);
  if (sigT!.end - sigT!.contentStart < 1 || bytes[sigT!.contentStart] !== 0)
    bad('the signature BIT STRING has unused bits or is empty', sigT!.contentStart);
  const keyAlgorithm = algOid(spkiAlg!);
  const publicKeyBits = bytes.subarray(spkiBits!.contentStart + 1, spkiBits!.end);
  let key: RsaPublicKey | undefined;
  if (keyAlgorithm === OID.rsaEncryption) {
    const inner = readTlv(bytes, spkiBits!.contentStart + 1, spkiBits!.end, base, path);
    const [nT, eT] = children(bytes, inner, base, path);
    if (nT?.tag !== 0x02 || eT?.tag !== 0x02) bad('bad RSA public key', inner.start);
    const nBytes = content(bytes, nT!);
    let k = nBytes.length;
    let z = 0;
    while (z < nBytes.length && nBytes[z] === 0) z++;
    k -= z;
    key = { n: bytesToBigInt(nBytes), e: bytesToBigInt(content(bytes, eT!)), size: k };
  }
  const extensions: CertExtension[] = [];
  for (const t of tbs.slice(i + 6)) {
    if (t.tag !== 0xa3) continue;
    const list = children(bytes, t, base, path)[0];
    if (list === undefined || list.tag !== 0x30) bad('bad extensions', t.start);
    for (const ext of children(bytes, list!, base, path)) {
      const parts = children(bytes, ext, base, path);
      const o = parts[0];
      const crit = parts.length === 3 ? parts[1] : undefined;
      const v = parts[parts.length - 1];
      if (
        o?.tag !== 0x06 ||
        v?.tag !== 0x04 ||
        parts.length < 2 ||
        parts.length > 3 ||
        (crit !== undefined && crit.tag !== 0x01)
      )
        bad('bad extension', ext.start);
      extensions.push({
        oid: oidToString(content(bytes, o!)),
        critical: crit !== undefined && bytes[crit.contentStart] !== 0,
        value: content(bytes, v!),
      });
    }
  }
  const subject = parseName(bytes, subjectT!, base, path);
  const der = whole(bytes, cert);
  return {
    offset: base + at,
    der,
    tbs: whole(bytes, tbsT!),
    version,
    serial: content(bytes, serialT!),
    innerAlgorithm: algOid(innerAlgT!),
    outerAlgorithm: algOid(algT!),
    innerAlgorithmRaw: whole(bytes, innerAlgT!),
    outerAlgorithmRaw: whole(bytes, algT!),
    signature: bytes.subarray(sigT!.contentStart + 1, sigT!.end),
    issuerRaw: whole(bytes, issuerT!),
    subjectRaw: whole(bytes, subjectT!),
    subject,
    subjectText: nameText(subject),
    notBefore: timeText(bytes, nbT!),
    notAfter: timeText(bytes, naT!),
    keyAlgorithm,
    key,
    publicKeyBits,
    extensions,
    sha256: bytesToHex(sha256(der)),
  };
}

/** A split certificate chain (docs/formats/fsg.md#chain). */
export interface SplitChain {
  certs: ParsedCert[];
  /** Index of the root (first self-issued cert), or undefined when none within 3. */
  rootIndex: number | undefined;
  /** Absolute offset of the padding after the root. */
  paddingOffset: number;
  /** Absolute offset of the first non-0xFF padding byte, if any. */
  badPaddingOffset: number | undefined;
}

/**
 * Splits the chain as the modem does: certs in order until the first whose issuer DN bytes equal its subject DN bytes
 * (the root), at most 3; then everything must be 0xFF (docs/formats/fsg.md#chain).
 * @throws NvError `NV_FSG_CHAIN_PARSE`, `NV_LIMIT`.
 * @example
 * splitChain(chainBytes).certs.length // 3
 */
export function splitChain(chain: Uint8Array, base = 0, path?: string): SplitChain {
  if (chain.length > CERT_LIMITS.maxChainBytes)
    throw new NvError(
      'NV_LIMIT',
      `certificate chain of ${chain.length} bytes is over the limit of ${CERT_LIMITS.maxChainBytes}`,
      { offset: base, path },
    );
  const certs: ParsedCert[] = [];
  let at = 0;
  let rootIndex: number | undefined;
  while (certs.length < CERT_LIMITS.maxCerts && at < chain.length && chain[at] === 0x30) {
    const c = parseCertificate(chain, at, chain.length, base, path);
    certs.push(c);
    at += c.der.length;
    if (bytesEqual(c.issuerRaw, c.subjectRaw)) {
      rootIndex = certs.length - 1;
      break;
    }
  }
  let badPaddingOffset: number | undefined;
  for (let i = at; i < chain.length; i++) {
    if (chain[i] !== 0xff) {
      badPaddingOffset = base + i;
      break;
    }
  }
  return { certs, rootIndex, paddingOffset: base + at, badPaddingOffset };
}

/**
 * basicConstraints `{ca, pathLen}` or undefined when absent.
 * @example
 * basicConstraints(cert) // { ca: true, pathLen: 0, critical: true }
 */
export function basicConstraints(
  cert: ParsedCert,
): { ca: boolean; pathLen: number | undefined; critical: boolean } | undefined {
  const ext = cert.extensions.find((e) => e.oid === OID.basicConstraints);
  if (ext === undefined) return undefined;
  const v = ext.value;
  const s = readTlv(v, 0, v.length, cert.offset);
  let ca = false;
  let pathLen: number | undefined;
  for (const c of children(v, s)) {
    if (c.tag === 0x01) ca = v[c.contentStart] !== 0;
    if (c.tag === 0x02) pathLen = Number(bytesToBigInt(content(v, c)));
  }
  return { ca, pathLen, critical: ext.critical };
}

/**
 * keyUsage bits as names, or undefined when absent.
 * @example
 * keyUsage(cert)?.has('keyCertSign')
 */
export function keyUsage(cert: ParsedCert): Set<string> | undefined {
  const ext = cert.extensions.find((e) => e.oid === OID.keyUsage);
  if (ext === undefined) return undefined;
  const t = readTlv(ext.value, 0, ext.value.length);
  const bits = ext.value.subarray(t.contentStart + 1, t.end);
  const names = [
    'digitalSignature',
    'nonRepudiation',
    'keyEncipherment',
    'dataEncipherment',
    'keyAgreement',
    'keyCertSign',
    'cRLSign',
    'encipherOnly',
    'decipherOnly',
  ];
  const out = new Set<string>();
  names.forEach((n, i) => {
    if ((((bits[i >> 3] ?? 0) >> (7 - (i & 7))) & 1) === 1) out.add(n);
  });
  return out;
}

/**
 * SKI content bytes, or undefined.
 * @example
 * subjectKeyId(caCert)
 */
export function subjectKeyId(cert: ParsedCert): Uint8Array | undefined {
  const ext = cert.extensions.find((e) => e.oid === OID.ski);
  if (ext === undefined) return undefined;
  const t = readTlv(ext.value, 0, ext.value.length);
  return content(ext.value, t);
}

/**
 * AKI `{keyId, serial}` or undefined.
 * @example
 * authorityKeyId(attCert)?.keyId
 */
export function authorityKeyId(
  cert: ParsedCert,
): { keyId: Uint8Array | undefined; serial: Uint8Array | undefined } | undefined {
  const ext = cert.extensions.find((e) => e.oid === OID.aki);
  if (ext === undefined) return undefined;
  const s = readTlv(ext.value, 0, ext.value.length);
  let keyId: Uint8Array | undefined;
  let serial: Uint8Array | undefined;
  for (const c of children(ext.value, s)) {
    if (c.tag === 0x80) keyId = content(ext.value, c);
    if (c.tag === 0x82) serial = content(ext.value, c);
  }
  return { keyId, serial };
}

/**
 * SKI by RFC 5280 method 1: SHA-1 of the subjectPublicKey bits.
 * @example
 * keyIdOf(cert.publicKeyBits) // SKI method 1
 */
export function keyIdOf(publicKeyBits: Uint8Array): Uint8Array {
  return sha1(publicKeyBits);
}
