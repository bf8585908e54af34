/**
 * Every docs/formats/fsg.md#modem-checks failure mode and finding, each produced by hand-assembling an image from the committed test keys
 * (certificates issued with the pure DER builder and node:crypto; the image assembled without `sign`'s self-check).
 */
import { describe, it, expect } from 'vitest';
import {
  constants,
  createPrivateKey,
  createPublicKey,
  privateEncrypt,
  sign as cryptoSign,
  type KeyObject,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { concatBytes, bytesToHex, hexToBytes } from '@nv/core/bytes';
import { assembleCertificate, buildTbs, encodeName } from '../src/cert-build.ts';
import { encodeMbnHeader, signingHeader, type MbnHeader } from '../src/container.ts';
import { imageHash } from '../src/hash.ts';
import { verifySignedImage, type VerifyOptions } from '../src/verify.ts';
import { OID, keyIdOf, parseCertificate } from '../src/x509.ts';
import { certificatesFrom } from '../src/node.ts';

const V = join(import.meta.dirname, 'vectors');
const key = (n: string): KeyObject => createPrivateKey(readFileSync(join(V, n), 'utf8'));
const der = (n: string): Uint8Array => certificatesFrom(new Uint8Array(readFileSync(join(V, n))))[0] as Uint8Array;
const CA_KEY = key('test-ca.key.pem');
const ATT_KEY = key('test-att.key.pem');
const CA = der('test-ca.crt.pem');
const ROOT = der('test-root.crt.pem');
const ROOT_HASH = readFileSync(join(V, 'root-sha256.txt'), 'utf8').trim();
const TGZ = new Uint8Array(readFileSync(join(V, 'fs_image.tar.gz')));
const HW = 0x009600e100000000n;
const hex = (v: bigint, n = 16): string => v.toString(16).toUpperCase().padStart(n, '0');
const OUS = (sw = 0n, hw = HW): string[] => [
  `01 ${hex(sw)} SW_ID`,
  `02 ${hex(hw)} HW_ID`,
  '03 0000000000000002 DEBUG',
  '04 0000 OEM_ID',
  `05 ${hex(BigInt(40 + TGZ.length), 8)} SW_SIZE`,
  '06 0000 MODEL_ID',
  '07 0001 SHA256',
];

interface Build {
  ous?: string[];
  issuerName?: Uint8Array;
  payload?: Uint8Array;
  header?: Partial<MbnHeader>;
  sigSize?: number;
  chain?: (att: Uint8Array) => Uint8Array[];
  chainSize?: number;
  hash?: 'sha256' | 'sha1';
  patchAtt?: (att: Uint8Array) => Uint8Array;
}

function build(b: Build = {}): Uint8Array {
  const ca = parseCertificate(CA);
  const ous = b.ous ?? OUS();
  const spki = new Uint8Array(createPublicKey(ATT_KEY).export({ format: 'der', type: 'spki' }));
  const tbs = buildTbs({
    role: 'attestation',
    serial: Uint8Array.of(0x11),
    issuerName: b.issuerName ?? ca.subjectRaw,
    subject: [[OID.o, 'Ex'], ...ous.map((t) => [OID.ou, t] as const), [OID.cn, 'Ex FSG Attestation']],
    notBefore: new Date('2025-01-01T00:00:00Z'),
    notAfter: new Date('2045-01-01T00:00:00Z'),
    spki,
    authorityKeyId: keyIdOf(ca.publicKeyBits),
  });
  let att: Uint8Array = assembleCertificate(tbs, new Uint8Array(cryptoSign('sha256', tbs, CA_KEY)));
  if (b.patchAtt) att = b.patchAtt(att);
  const payload = b.payload ?? TGZ;
  const sigSize = b.sigSize ?? 256;
  const chainSize = b.chainSize ?? 6144;
  const header = encodeMbnHeader({ ...signingHeader(payload.length, sigSize, chainSize), ...b.header });
  const signed = concatBytes(header, payload);
  const swOu = ous.find((t) => t.endsWith(' SW_ID'))?.split(' ')[1] ?? '0';
  const hwOu = ous.find((t) => t.endsWith(' HW_ID'))?.split(' ')[1] ?? '0';
  const h3 = imageHash(signed, BigInt(`0x${swOu}`), BigInt(`0x${hwOu}`), b.hash ?? 'sha256');
  let sig: Uint8Array = new Uint8Array(privateEncrypt({ key: ATT_KEY, padding: constants.RSA_PKCS1_PADDING }, h3));
  if (sigSize !== 256) sig = concatBytes(sig, new Uint8Array(Math.max(0, sigSize - 256))).subarray(0, sigSize);
  const certs = concatBytes(...(b.chain ? b.chain(att) : [att, CA, ROOT]));
  const chain = concatBytes(certs, new Uint8Array(Math.max(0, chainSize - certs.length)).fill(0xff)).subarray(
    0,
    chainSize,
  );
  return concatBytes(signed, sig, chain);
}

const BUILD: VerifyOptions = { rootHash: ROOT_HASH, hwId: HW, swId: 0n };
const result = (img: Uint8Array, o: VerifyOptions = BUILD) => verifySignedImage(img, o);
const failure = (img: Uint8Array, o: VerifyOptions = BUILD): string | undefined => result(img, o).modemResult.code;
const findingCodes = (img: Uint8Array, o: VerifyOptions = BUILD): string[] =>
  result(img, o).findings.map((f) => f.code);

describe('hand-assembled images: every modem check fails with its name', () => {
  it('the baseline passes', () => {
    expect(result(build()).modemResult).toEqual({ ok: true });
  });
  it('step 1 header: image_dest_ptr ≠ 0 → HEADER_FIELD', () => {
    expect(
      failure(
        build({
          header: { imageDest: 0x1000, signaturePtr: 0x1000 + TGZ.length, certChainPtr: 0x1000 + TGZ.length + 256 },
        }),
      ),
    ).toBe('NV_FSG_HEADER_FIELD');
  });
  it('step 4: chain over 9216 → CHAIN_SIZE; signature over 512 → SIG_SIZE', () => {
    expect(failure(build({ chainSize: 10_000 }))).toBe('NV_FSG_CHAIN_SIZE');
    expect(result(build({ sigSize: 516 })).modemResult).toMatchObject({ step: 4, code: 'NV_FSG_SIG_SIZE', secboot: 2 });
  });
  it('step 5: no root, a lone cert, bad DER → CHAIN_PARSE; outer ≠ inner algorithm → CERT_ALGO', () => {
    expect(failure(build({ chain: (att) => [att, CA] }))).toBe('NV_FSG_CHAIN_PARSE');
    expect(failure(build({ chain: () => [ROOT] }))).toBe('NV_FSG_CHAIN_PARSE');
    expect(failure(build({ chain: () => [hexToBytes('3085ffffffff00')] }))).toBe('NV_FSG_CHAIN_PARSE');
    const swapOuterAlg = (att: Uint8Array): Uint8Array => {
      const h = bytesToHex(att);
      const oid = '06092a864886f70d01010b';
      const at = h.lastIndexOf(oid);
      return hexToBytes(`${h.slice(0, at)}06092a864886f70d01010c${h.slice(at + oid.length)}`);
    };
    expect(failure(build({ patchAtt: swapOuterAlg }))).toBe('NV_FSG_CERT_ALGO');
  });
  it('step 5: missing HW_ID OU → OU_MISSING; wrong-length OU is ignored (warning) and then missing', () => {
    expect(failure(build({ ous: OUS().filter((t) => !t.endsWith('HW_ID')) }))).toBe('NV_FSG_OU_MISSING');
    const short = build({ ous: OUS().map((t) => (t.endsWith('HW_ID') ? '02 9600E100000000 HW_ID' : t)) });
    expect(failure(short)).toBe('NV_FSG_OU_MISSING');
    expect(findingCodes(short)).toContain('NV_FSG_OU_FORMAT');
  });
  it('step 6: OU 13 → OU_UNSUPPORTED', () => {
    expect(failure(build({ ous: [...OUS(), '13 0001 IN_USE_SOC_HW_VERSION'] }))).toBe('NV_FSG_OU_UNSUPPORTED');
  });
  it('step 10: re-encoded issuer DN (PrintableString) → CERT_STRUCTURE', () => {
    const printable = hexToBytes(
      bytesToHex(
        encodeName([
          [OID.o, 'Ex'],
          [OID.cn, 'Ex FSG Attestation CA'],
        ]),
      )
        .replace(/0c02/, '1302')
        .replace(/0c15/, '1315'),
    );
    expect(failure(build({ issuerName: printable }))).toBe('NV_FSG_CERT_STRUCTURE');
  });
  it('steps 15, 16: DEBUG 5 → DEBUG_OU; CRASH_DUMP 2 → CRASH_DUMP_OU; DEBUG 3 needs the serial', () => {
    const withOu = (name: string, text: string): string[] => [...OUS().filter((t) => !t.endsWith(name)), text];
    expect(result(build({ ous: withOu('DEBUG', '03 0000000000000005 DEBUG') })).modemResult).toMatchObject({
      code: 'NV_FSG_DEBUG_OU',
      secboot: 16,
    });
    expect(failure(build({ ous: withOu('DEBUG', '03 0000000000000003 DEBUG') }))).toBe('NV_FSG_DEBUG_OU');
    expect(failure(build({ ous: withOu('DEBUG', '03 1234567800000003 DEBUG') }))).toBeUndefined();
    expect(result(build({ ous: [...OUS(), '09 0000000000000002 CRASH_DUMP'] })).modemResult).toMatchObject({
      code: 'NV_FSG_CRASH_DUMP_OU',
      secboot: 20,
    });
    expect(failure(build({ ous: [...OUS(), '09 0000000000000001 CRASH_DUMP'] }))).toBeUndefined();
  });
  it('step 18: a payload that is neither gzip nor tar → PAYLOAD_FORMAT', () => {
    expect(failure(build({ payload: new Uint8Array(1024).fill(0x41) }))).toBe('NV_FSG_PAYLOAD_FORMAT');
  });
  it('step 14: signature size ≠ modulus length → SIG_SIZE', () => {
    expect(result(build({ sigSize: 260 })).modemResult).toMatchObject({ step: 14, code: 'NV_FSG_SIG_SIZE' });
  });
});

describe('warnings and infos', () => {
  it('SHA-1 OU: the modem hashes with SHA-1 → HASH_SHA1; a SHA-1 H3 verifies, a SHA-256 one does not', () => {
    const img = build({ ous: [...OUS().filter((t) => !t.endsWith('SHA256')), '07 0000 SHA1'], hash: 'sha1' });
    expect(failure(img)).toBeUndefined();
    expect(findingCodes(img)).toContain('NV_FSG_HASH_SHA1');
    // The same OUs with a SHA-256 H3 fail: the modem picks the hash from the OU.
    expect(failure(build({ ous: [...OUS().filter((t) => !t.endsWith('SHA256')), '07 0000 SHA1'] }))).toBe(
      'NV_FSG_IMAGE_SIGNATURE',
    );
  });
  it('SW_SIZE mismatch, ID pad quirk, expired certificate', () => {
    const swSize = build({ ous: OUS().map((t) => (t.endsWith('SW_SIZE') ? '05 00000001 SW_SIZE' : t)) });
    expect(failure(swSize)).toBeUndefined();
    expect(findingCodes(swSize)).toContain('NV_FSG_SW_SIZE_MISMATCH');
    const quirkHw = 0x5c9600e100000000n;
    const quirk = build({ ous: OUS(0n, quirkHw) });
    expect(failure(quirk, { ...BUILD, hwId: quirkHw })).toBeUndefined();
    expect(findingCodes(quirk, { ...BUILD, hwId: quirkHw })).toContain('NV_FSG_ID_PAD_QUIRK');
    expect(findingCodes(build(), { ...BUILD, now: new Date('2100-01-01T00:00:00Z') })).toContain('NV_FSG_CERT_EXPIRED');
  });
});
