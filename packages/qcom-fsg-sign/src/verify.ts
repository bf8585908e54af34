/**
 * `verify` and `inspect` (docs/formats/fsg.md#modem-checks): every check the modem performs, in its order, with the modem's error names.
 * Pure and browser-safe (RSA verification in bigint code).
 * @module
 */
import { NvError } from '@nv/core';
import { bytesEqual, bytesToHex, hexToBytes } from '@nv/core/bytes';
import { sha1, sha256 } from './_digest.ts';
import {
  IMG_SECTOR_SIZE,
  MBN_HEADER_SIZE,
  checkImgSector,
  checkMbnHeader,
  isGzipHeader,
  isTarHeader,
  mbnLayout,
  parseImgSector,
  locateSignedImage,
  type ImgSector,
  type MbnHeader,
  type SignedImageContainer,
} from './container.ts';
import type { FsgErrorCode, FsgFinding } from './errors.ts';
import { formatId, hasIdPadQuirk, imageHash } from './hash.ts';
import type { EfsImageMeta } from './meta.ts';
import { metaForPartition, ramBufferFit } from './meta.ts';
import { ousToJson, parseAttestationOus, type AttestationOus } from './ou.ts';
import { DUMMY_ROOT_SHA256, findKnownRoot, hasTestSubject, refusesDummyRoot, rootHashC } from './roots.ts';
import { verifyPkcs1, verifyRawType1 } from './rsa.ts';
import {
  CERT_LIMITS,
  OID,
  authorityKeyId,
  basicConstraints,
  keyUsage,
  splitChain,
  subjectKeyId,
  type ParsedCert,
  type SplitChain,
} from './x509.ts';

/** One check of {@link verifySignedImage}, in the modem's order (docs/formats/fsg.md#modem-checks). */
export interface VerifyCheck {
  /** docs/formats/fsg.md#modem-checks step number. */
  step: number;
  name: string;
  ok: boolean;
  /** True when the check could not run (an earlier structure is broken, or no value was configured). */
  skipped?: boolean;
  detail: string;
  /** `NV_FSG_*` code of the failure. */
  code?: string;
  /** secboot error number of the failure. */
  secboot?: number;
}

/** What the modem build is configured with (fs_signed_img_param.c) and other verify options. */
export interface VerifyOptions {
  /** FS_SIGNED_IMG_ROOT_HASH (64 hex digits). Without it step 12 is skipped. */
  rootHash?: string;
  /** FS_SIGNED_IMG_MSM_HW_ID. Without it the OU value is used (step 13 skipped). */
  hwId?: bigint;
  /** FS_SIGNED_IMG_SOFTWARE_ID. Without it steps 7–8 are skipped. */
  swId?: bigint;
  /** efs_image_meta.bin for the step 17 size check. */
  meta?: EfsImageMeta;
  /** Fused root hash and HW_ID (docs/formats/fsg.md#modem-checks step 2). */
  fuseRootHash?: string;
  fuseHwId?: bigint;
  /** The modem is built with FEATURE_FS_TAR_ALLOW_DUMMY_KEY. */
  allowDummyKey?: boolean;
  /** The input must be a partition image (bare `.mbn` → `IMG_SECTOR_MISSING`). */
  asPartition?: boolean;
  /** A known test root is an error (else a warning). */
  strict?: boolean;
  /** Date for the informational validity check (default: now). */
  now?: Date;
  path?: string;
  /** A faster SHA-256 for the image body (e.g. node:crypto); same result as the built-in one. */
  sha256?: (data: Uint8Array) => Uint8Array;
}

/** Result of {@link verifySignedImage}. */
export interface VerifyResult {
  ok: boolean;
  container: SignedImageContainer;
  checks: VerifyCheck[];
  /** Warnings and infos (and errors outside the modem's checks, e.g. `KNOWN_TEST_ROOT` with `strict`). */
  findings: FsgFinding[];
  /** The first failing modem check, or `{ok: true}`. */
  modemResult: { ok: boolean; step?: number; name?: string; code?: string; secboot?: number; detail?: string };
  /** SHA-256 of the root DER in the chain, if parsed. */
  rootHash?: string;
  /** H3 computed with the image's OU values (hex). */
  hash?: string;
}

const E_OK = new Set([3n, 65537n]);

interface Parsed {
  bytes: Uint8Array;
  container: SignedImageContainer;
  mbnOffset: number;
  header: MbnHeader;
  sector: ImgSector | undefined;
  signed: Uint8Array;
  code: Uint8Array;
  signature: Uint8Array;
  signatureOffset: number;
  chain: Uint8Array;
  chainOffset: number;
  split: SplitChain | undefined;
  splitError: NvError | undefined;
  ous: AttestationOus | undefined;
  ouFindings: FsgFinding[];
  findings: FsgFinding[];
  /** H1 = SHA-256(signed), computed once. */
  h1: () => Uint8Array;
}

function parseAll(bytes: Uint8Array, path?: string, digest: (data: Uint8Array) => Uint8Array = sha256): Parsed {
  const loc = locateSignedImage(bytes, path);
  const findings: FsgFinding[] = [];
  let sector: ImgSector | undefined;
  if (loc.mbnOffset === IMG_SECTOR_SIZE) {
    sector = parseImgSector(bytes, path);
    findings.push(...checkImgSector(sector, loc.mbn.length));
  }
  findings.push(...checkMbnHeader(loc.header, loc.mbn.length, loc.mbnOffset));
  const lay = mbnLayout(loc.header, loc.mbnOffset, path);
  const signatureOffset = loc.mbnOffset + lay.signatureOffset;
  const chainOffset = loc.mbnOffset + lay.certChainOffset;
  const signature = bytes.subarray(signatureOffset, signatureOffset + loc.header.signatureSize);
  const chain = bytes.subarray(chainOffset, chainOffset + loc.header.certChainSize);
  let split: SplitChain | undefined;
  let splitError: NvError | undefined;
  let ous: AttestationOus | undefined;
  let ouFindings: FsgFinding[] = [];
  let h1: Uint8Array | undefined;
  const signed = bytes.subarray(loc.mbnOffset, loc.mbnOffset + MBN_HEADER_SIZE + loc.header.codeSize);
  try {
    split = splitChain(chain, chainOffset, path);
    // Decode the extensions now, so a malformed one is an X.509 parse failure (step 5), as in secboot.
    for (const c of split.certs) {
      basicConstraints(c);
      keyUsage(c);
      subjectKeyId(c);
      authorityKeyId(c);
    }
    const att = split.certs[0];
    if (att !== undefined) ({ ous, findings: ouFindings } = parseAttestationOus(att));
  } catch (e) {
    if (!NvError.isInstance(e)) throw e;
    splitError = e;
  }
  return {
    bytes,
    container: loc.container,
    mbnOffset: loc.mbnOffset,
    header: loc.header,
    sector,
    signed,
    code: loc.code,
    signature,
    signatureOffset,
    chain,
    chainOffset,
    split,
    splitError,
    ous,
    ouFindings,
    findings,
    h1: () => (h1 ??= digest(signed)),
  };
}

const hex16 = (v: bigint): string => `0x${formatId(v)}`;

/** Steps 4–16 (secboot's authentication) with a given root hash and HW_ID. */
function authenticate(
  p: Parsed,
  rootHash: string | undefined,
  hwId: bigint | undefined,
  swId: bigint | undefined,
): VerifyCheck[] {
  const out: VerifyCheck[] = [];
  let broken: string | undefined;
  const push = (
    step: number,
    name: string,
    failure: { code: string; secboot?: number; detail: string } | undefined,
    okDetail: string,
  ): void => {
    if (failure)
      out.push({
        step,
        name,
        ok: false,
        detail: failure.detail,
        code: failure.code,
        ...(failure.secboot !== undefined ? { secboot: failure.secboot } : {}),
      });
    else out.push({ step, name, ok: true, detail: okDetail });
  };
  const skip = (step: number, name: string, why: string, ok = false): void => {
    out.push({ step, name, ok, skipped: true, detail: why });
  };
  // Step 4: sizes.
  const h = p.header;
  let f4: { code: string; secboot: number; detail: string } | undefined;
  if (h.certChainSize > CERT_LIMITS.modemChainBytes)
    f4 = {
      code: 'NV_FSG_CHAIN_SIZE',
      secboot: 2,
      detail: `certificate chain is ${h.certChainSize} bytes, the modem accepts at most ${CERT_LIMITS.modemChainBytes}`,
    };
  else if (h.signatureSize > CERT_LIMITS.maxSignature)
    f4 = {
      code: 'NV_FSG_SIG_SIZE',
      secboot: 2,
      detail: `signature is ${h.signatureSize} bytes, the modem accepts at most 512`,
    };
  push(
    4,
    'sizes',
    f4,
    `chain ${h.certChainSize} B ≤ ${CERT_LIMITS.modemChainBytes}, signature ${h.signatureSize} B ≤ 512`,
  );
  // Step 5: chain parse + OUs.
  const certs = p.split?.certs ?? [];
  let f5: { code: string; secboot: number; detail: string } | undefined;
  if (p.splitError)
    f5 = {
      code: p.splitError.code === 'NV_LIMIT' ? 'NV_FSG_CHAIN_PARSE' : p.splitError.code,
      secboot: 8,
      detail: p.splitError.message,
    };
  else if (p.split !== undefined) {
    const s = p.split;
    const bad = certs.find((c) => c.version !== 2);
    const algoBad = certs.find(
      (c) =>
        !bytesEqual(c.innerAlgorithmRaw, c.outerAlgorithmRaw) ||
        (c.outerAlgorithm !== OID.sha256WithRSA && c.outerAlgorithm !== OID.sha1WithRSA),
    );
    const keyBad = certs.find((c) => c.keyAlgorithm !== OID.rsaEncryption || c.key === undefined || c.key.size > 512);
    if (certs.length === 0)
      f5 = { code: 'NV_FSG_CHAIN_PARSE', secboot: 8, detail: 'the chain does not start with a certificate' };
    else if (bad)
      f5 = {
        code: 'NV_FSG_CHAIN_PARSE',
        secboot: 8,
        detail: `certificate at ${bad.offset} is not X.509 v3 with the version field present`,
      };
    else if (keyBad)
      f5 = {
        code: 'NV_FSG_CERT_ALGO',
        secboot: 8,
        detail: `certificate at ${keyBad.offset} has a non-RSA key or a modulus over 4096 bits`,
      };
    else if (algoBad)
      f5 = {
        code: 'NV_FSG_CERT_ALGO',
        secboot: 8,
        detail: `certificate at ${algoBad.offset} is signed with ${algoBad.outerAlgorithm} (inner ${algoBad.innerAlgorithm}); the modem takes sha1/sha256WithRSAEncryption only`,
      };
    else if (s.rootIndex === undefined)
      f5 = { code: 'NV_FSG_CHAIN_PARSE', secboot: 8, detail: 'no self-issued root within the first 3 certificates' };
    else if (certs.length < 2)
      f5 = {
        code: 'NV_FSG_CHAIN_PARSE',
        secboot: 8,
        detail: 'a lone certificate: the modem needs attestation and root (2 or 3 certificates)',
      };
    else if (s.badPaddingOffset !== undefined)
      f5 = {
        code: 'NV_FSG_CHAIN_PADDING',
        secboot: 8,
        detail: `byte at ${s.badPaddingOffset} after the root is 0x${(p.bytes[s.badPaddingOffset] as number).toString(16).padStart(2, '0')}, the padding must be all 0xFF`,
      };
    else {
      const ouErr = p.ouFindings.find((x) => x.severity === 'error');
      if (ouErr) f5 = { code: ouErr.code, secboot: 8, detail: ouErr.message };
      else if (p.ous?.swId === undefined || p.ous.hwId === undefined)
        f5 = {
          code: 'NV_FSG_OU_MISSING',
          secboot: 8,
          detail: `the attestation certificate has no valid ${p.ous?.swId === undefined ? 'SW_ID' : 'HW_ID'} OU`,
        };
    }
  }
  push(5, 'chain-parse', f5, `${certs.length} certificates, root at index ${p.split?.rootIndex}, 0xFF padding`);
  if (f5) broken = 'the chain did not parse (step 5)';
  const ous = p.ous;
  const att = certs[0];
  const rootIdx = p.split?.rootIndex;
  const root = rootIdx === undefined ? undefined : certs[rootIdx];
  // Step 6.
  if (broken || !ous) skip(6, 'ou-options', `not reached: ${broken}`);
  else
    push(
      6,
      'ou-options',
      ous.unsupported.length > 0
        ? {
            code: 'NV_FSG_OU_UNSUPPORTED',
            detail: `OU ${ous.unsupported.join(', ')}: newer secboot rewrites HW_ID and fails for the FSG`,
          }
        : undefined,
      'no OU 13/14',
    );
  // Steps 7–8.
  if (broken || ous?.swId === undefined) {
    skip(7, 'sw-type', `not reached: ${broken}`);
    skip(8, 'sw-version', `not reached: ${broken}`);
  } else if (swId === undefined) {
    skip(7, 'sw-type', 'not checked: no build SW_ID given (--sw-id)', true);
    skip(8, 'sw-version', 'not checked: no build SW_ID given (--sw-id)', true);
  } else {
    const ou = ous.swId;
    push(
      7,
      'sw-type',
      (ou & 0xffffffffn) !== (swId & 0xffffffffn)
        ? {
            code: 'NV_FSG_SWID_TYPE_MISMATCH',
            secboot: 13,
            detail: `OU SW_ID type 0x${(ou & 0xffffffffn).toString(16).toUpperCase()} ≠ build type 0x${(swId & 0xffffffffn).toString(16).toUpperCase()}`,
          }
        : undefined,
      `SW type 0x${(ou & 0xffffffffn).toString(16).toUpperCase()}`,
    );
    push(
      8,
      'sw-version',
      ou >> 32n < swId >> 32n
        ? {
            code: 'NV_FSG_SWID_ROLLBACK',
            secboot: 14,
            detail: `OU SW_ID version ${ou >> 32n} < build version ${swId >> 32n}`,
          }
        : undefined,
      `SW version ${ou >> 32n} ≥ ${swId >> 32n}`,
    );
  }
  // Step 9: hash certs (algorithms already checked in step 5).
  if (broken) skip(9, 'cert-hash', `not reached: ${broken}`);
  else push(9, 'cert-hash', undefined, 'root: SHA-256 of DER; others: hash of the TBS');
  // Step 10: structure.
  if (broken) skip(10, 'cert-structure', `not reached: ${broken}`);
  else
    push(
      10,
      'cert-structure',
      structureFailure(certs.slice(0, (rootIdx as number) + 1)),
      'keyUsage, basicConstraints, issuer DN bytes, AKI/SKI, critical extensions',
    );
  // Step 11: each cert under the next.
  if (broken) skip(11, 'cert-signature', `not reached: ${broken}`);
  else {
    let f: { code: string; secboot: number; detail: string } | undefined;
    for (let i = 0; i < (rootIdx as number) && !f; i++) {
      const c = certs[i] as ParsedCert;
      const issuer = certs[i + 1] as ParsedCert;
      const alg = c.outerAlgorithm === OID.sha256WithRSA ? 'sha256' : 'sha1';
      const digest = alg === 'sha256' ? sha256(c.tbs) : sha1(c.tbs);
      if (!issuer.key || !verifyPkcs1(issuer.key, c.signature, alg, digest))
        f = {
          code: 'NV_FSG_CERT_SIGNATURE',
          secboot: 10,
          detail: `certificate ${i} (${c.subjectText}) does not verify under certificate ${i + 1} (${issuer.subjectText})`,
        };
    }
    push(11, 'cert-signature', f, 'each certificate verifies under the next (root self-signature not checked)');
  }
  // Step 12: root hash.
  const actualRoot = root?.sha256;
  if (broken || actualRoot === undefined) skip(12, 'root', `not reached: ${broken}`);
  else if (rootHash === undefined)
    skip(12, 'root', `not checked: no root hash given (the image's root is ${actualRoot})`, true);
  else
    push(
      12,
      'root',
      actualRoot !== rootHash.toLowerCase()
        ? {
            code: 'NV_FSG_UNTRUSTED_ROOT',
            secboot: 11,
            detail: `SHA-256 of the root DER is ${actualRoot}, the modem expects ${rootHash.toLowerCase()}`,
          }
        : undefined,
      `root ${actualRoot}`,
    );
  // Step 13: HW_ID.
  if (broken || ous?.hwId === undefined) skip(13, 'hw-id', `not reached: ${broken}`);
  else if (hwId === undefined)
    skip(13, 'hw-id', `not checked: no build HW_ID given (the OU says ${hex16(ous.hwId)})`, true);
  else
    push(
      13,
      'hw-id',
      ous.hwId !== hwId
        ? { code: 'NV_FSG_HWID_MISMATCH', secboot: 15, detail: `OU HW_ID ${hex16(ous.hwId)} ≠ expected ${hex16(hwId)}` }
        : undefined,
      `HW_ID ${hex16(hwId)}`,
    );
  // Step 14: image signature.
  if (broken || !att?.key || ous?.swId === undefined || ous.hwId === undefined)
    skip(14, 'image-signature', `not reached: ${broken}`);
  else {
    const k = att.key.size;
    let f: { code: string; secboot: number; detail: string } | undefined;
    const badE = certs.slice(0, (rootIdx as number) + 1).find((c) => c.key !== undefined && !E_OK.has(c.key.e));
    if (h.signatureSize % 4 !== 0 || h.signatureSize !== k)
      f = {
        code: 'NV_FSG_SIG_SIZE',
        secboot: 2,
        detail: `signature is ${h.signatureSize} bytes, the attestation modulus is ${k} bytes`,
      };
    else if (badE)
      f = {
        code: 'NV_FSG_BAD_EXPONENT',
        secboot: 3,
        detail: `certificate ${badE.subjectText} has e = ${badE.key?.e}; the modem takes 3 or 65537`,
      };
    else {
      const h3 = imageHash(p.signed, ous.swId, hwId ?? ous.hwId, ous.hash, p.h1);
      if (!verifyRawType1(att.key, p.signature, h3))
        f = {
          code: 'NV_FSG_IMAGE_SIGNATURE',
          secboot: 12,
          detail: `the signature does not decrypt to 00 01 FF… 00 ‖ H3 (${ous.hash}, no DigestInfo); the image, IDs or key differ`,
        };
    }
    push(14, 'image-signature', f, `RSA-${k * 8} e=${att.key.e}, ${ous.hash} HMAC-like hash, exact EM`);
  }
  // Steps 15–16.
  if (broken || !ous) {
    skip(15, 'debug', `not reached: ${broken}`);
    skip(16, 'crash-dump', `not reached: ${broken}`);
  } else {
    const d = ous.debug;
    const dOk = d === undefined || d === 0n || d === 2n || ((d & 0xffffffffn) === 3n && d >> 32n !== 0n);
    push(
      15,
      'debug',
      dOk
        ? undefined
        : {
            code: 'NV_FSG_DEBUG_OU',
            secboot: 16,
            detail: `DEBUG OU ${hex16(d as bigint)}: must be 0, 2, or 3 with the chip serial in the high 32 bits`,
          },
      d === undefined ? 'no DEBUG OU (off)' : `DEBUG ${hex16(d)}`,
    );
    const c = ous.crashDump;
    push(
      16,
      'crash-dump',
      c === undefined || c <= 1n
        ? undefined
        : { code: 'NV_FSG_CRASH_DUMP_OU', secboot: 20, detail: `CRASH_DUMP OU ${hex16(c)} must be 0 or 1` },
      c === undefined ? 'no CRASH_DUMP OU' : `CRASH_DUMP ${c}`,
    );
  }
  return out;
}

const KNOWN_EXTENSIONS = new Set<string>([OID.basicConstraints, OID.keyUsage, OID.ski, OID.aki, '2.5.29.37']);

/**
 * docs/formats/fsg.md#certificates structure rules over attestation … root; the failure or undefined.
 * @example
 * structureFailure(splitChain(chain).certs)?.detail
 */
export function structureFailure(
  certs: readonly ParsedCert[],
): { code: string; secboot: number; detail: string } | undefined {
  const fail = (detail: string): { code: string; secboot: number; detail: string } => ({
    code: 'NV_FSG_CERT_STRUCTURE',
    secboot: 9,
    detail,
  });
  if (certs.length < 2 || certs.length > 3) return fail(`${certs.length} certificates; the modem takes 2 or 3`);
  const att = certs[0] as ParsedCert;
  const ku0 = keyUsage(att);
  if (ku0 !== undefined && !ku0.has('digitalSignature')) return fail('the attestation keyUsage lacks digitalSignature');
  for (let i = 0; i < certs.length; i++) {
    const c = certs[i] as ParsedCert;
    for (const e of c.extensions) {
      if (e.critical && !KNOWN_EXTENSIONS.has(e.oid))
        return fail(`certificate ${i} has an unknown critical extension ${e.oid}`);
      if (e.critical && (e.oid === OID.ski || e.oid === OID.aki))
        return fail(`certificate ${i} marks ${e.oid === OID.ski ? 'SKI' : 'AKI'} critical`);
    }
    if (i === 0) continue;
    const bc = basicConstraints(c);
    if (bc === undefined || !bc.ca)
      return fail(`certificate ${i} (${c.subjectText}) issues a certificate but is not CA:TRUE`);
    if (bc.pathLen !== undefined && i > bc.pathLen + 1)
      return fail(
        `certificate ${i} (${c.subjectText}) has pathLen ${bc.pathLen}, too small for position ${i} of the chain`,
      );
    const ku = keyUsage(c);
    if (ku !== undefined && !ku.has('keyCertSign'))
      return fail(`certificate ${i} (${c.subjectText}) keyUsage lacks keyCertSign`);
  }
  for (let i = 0; i + 1 < certs.length; i++) {
    const c = certs[i] as ParsedCert;
    const issuer = certs[i + 1] as ParsedCert;
    if (!bytesEqual(c.issuerRaw, issuer.subjectRaw))
      return fail(
        `certificate ${i} issuer DN bytes differ from certificate ${i + 1} subject DN bytes (re-encoded name?)`,
      );
    const aki = authorityKeyId(c);
    if (aki?.keyId !== undefined) {
      const ski = subjectKeyId(issuer);
      if (ski === undefined || !bytesEqual(ski, aki.keyId))
        return fail(`certificate ${i} AKI keyid ≠ certificate ${i + 1} SKI`);
    }
    if (aki?.serial !== undefined && !bytesEqual(aki.serial, issuer.serial))
      return fail(`certificate ${i} AKI serial ≠ certificate ${i + 1} serial`);
  }
  return undefined;
}

/**
 * Verifies a `.mbn`, `.img` or `fsg` dump as the modem does (docs/formats/fsg.md#modem-checks), every check in order.
 * @throws NvError for inputs that are not a signed image at all (docs/formats/fsg.md#recognise codes, `NV_FSG_HEADER_SIZES`, `NV_TRUNCATED`).
 * @example
 * const r = verifySignedImage(bytes, { rootHash: 'eee6…', hwId: 0x009600E100000000n, swId: 0n });
 * r.ok; r.modemResult.code; r.checks.map((c) => c.name)
 */
export function verifySignedImage(bytes: Uint8Array, options: VerifyOptions = {}): VerifyResult {
  const p = parseAll(bytes, options.path, options.sha256);
  const checks: VerifyCheck[] = [];
  const findings = [...p.findings, ...p.ouFindings];
  // Step 1.
  if (options.asPartition && p.container === 'mbn')
    checks.push({
      step: 1,
      name: 'img-sector',
      ok: false,
      code: 'NV_FSG_IMG_SECTOR_MISSING',
      detail: 'bare .mbn: the modem skips the first 512 bytes of fsg; wrap it with `nv qcom fsg img`',
    });
  else
    checks.push({
      step: 1,
      name: 'img-sector',
      ok: true,
      detail:
        p.container === 'mbn'
          ? 'bare .mbn (flash the .img, not this file)'
          : `.img sector, .mbn at 512${p.sector ? `, dest 0x${p.sector.dest.toString(16)}` : ''}`,
    });
  const headerErr = p.findings.find(
    (x) => x.severity === 'error' && (x.code === 'NV_FSG_HEADER_FIELD' || x.code === 'NV_FSG_HEADER_SIZES'),
  );
  checks.push(
    headerErr
      ? { step: 1, name: 'header', ok: false, code: headerErr.code, detail: headerErr.message }
      : {
          step: 1,
          name: 'header',
          ok: true,
          detail: `MBN v3, code ${p.header.codeSize} B, signature ${p.header.signatureSize} B, chain ${p.header.certChainSize} B`,
        },
  );
  // Step 2: fuse.
  let fusedPass = false;
  if (options.fuseRootHash !== undefined) {
    const fused = authenticate(p, options.fuseRootHash, options.fuseHwId, options.swId);
    const firstFail = fused.find((c) => !c.ok);
    fusedPass = firstFail === undefined;
    checks.push({
      step: 2,
      name: 'fuse',
      ok: fusedPass,
      detail: fusedPass
        ? 'passes with the fused root and HW_ID (steps 3–16 skipped by the modem)'
        : `fails with the fused root (${firstFail?.name}: ${firstFail?.detail}); the modem falls back to the software root`,
      ...(firstFail?.code !== undefined ? { code: firstFail.code } : {}),
    });
  } else checks.push({ step: 2, name: 'fuse', ok: true, skipped: true, detail: 'not fused (no --fuse-root-hash)' });
  // Steps 3–16.
  if (fusedPass) {
    for (const [step, name] of [
      [3, 'dummy-root'],
      [4, 'sizes'],
      [5, 'chain-parse'],
      [6, 'ou-options'],
      [7, 'sw-type'],
      [8, 'sw-version'],
      [9, 'cert-hash'],
      [10, 'cert-structure'],
      [11, 'cert-signature'],
      [12, 'root'],
      [13, 'hw-id'],
      [14, 'image-signature'],
      [15, 'debug'],
      [16, 'crash-dump'],
    ] as const) {
      checks.push({ step, name, ok: true, skipped: true, detail: 'passed in step 2 (fused root)' });
    }
  } else {
    const root = options.rootHash?.toLowerCase();
    checks.push(dummyRootCheck(root, options.allowDummyKey === true));
    checks.push(...authenticate(p, root, options.hwId, options.swId));
  }
  // Steps 17–18: size, payload.
  const meta = options.meta ? metaForPartition(options.meta, 'FSG') : undefined;
  checks.push(sizeCheck(p.header.codeSize, meta?.ramSize), payloadCheck(p.code).check);

  // Findings outside the modem's checks.
  const certs = p.split?.certs ?? [];
  const rootIdx = p.split?.rootIndex;
  const root = rootIdx === undefined ? undefined : certs[rootIdx];
  for (const c of certs.slice(0, rootIdx === undefined ? certs.length : rootIdx + 1)) {
    const known = findKnownRoot(c.sha256);
    if (known?.kind === 'qualcomm')
      findings.push({ severity: 'info', code: 'NV_FSG_QUALCOMM_ROOT', message: `${c.subjectText} is ${known.label}` });
    else if (known)
      findings.push({
        severity: options.strict ? 'error' : 'warning',
        code: 'NV_FSG_KNOWN_TEST_ROOT',
        message: `${c.subjectText} is a publicly known ${known.kind} key: ${known.label}`,
      });
    const now = options.now ?? new Date();
    if (Date.parse(c.notAfter) < now.getTime() || Date.parse(c.notBefore) > now.getTime())
      findings.push({
        severity: 'info',
        code: 'NV_FSG_CERT_EXPIRED',
        message: `${c.subjectText} is valid ${c.notBefore} … ${c.notAfter}; the modem does not check dates`,
        offset: c.offset,
      });
  }
  if (root && !findings.some((f) => f.code === 'NV_FSG_KNOWN_TEST_ROOT') && hasTestSubject(root.subjectText))
    findings.push({
      severity: options.strict ? 'error' : 'warning',
      code: 'NV_FSG_KNOWN_TEST_ROOT',
      message: `the root subject "${root.subjectText}" marks a test root`,
    });
  const ous = p.ous;
  if (ous) {
    if (ous.hash === 'sha1')
      findings.push({
        severity: 'warning',
        code: 'NV_FSG_HASH_SHA1',
        message: 'no `07 0001 SHA256` OU: the modem hashes this image with SHA-1',
      });
    if (ous.swSize !== undefined && ous.swSize !== MBN_HEADER_SIZE + p.header.codeSize)
      findings.push({
        severity: 'warning',
        code: 'NV_FSG_SW_SIZE_MISMATCH',
        message: `SW_SIZE OU ${ous.swSize} ≠ 40 + code_size ${MBN_HEADER_SIZE + p.header.codeSize}`,
      });
    if (ous.swId !== undefined && ous.hwId !== undefined && hasIdPadQuirk(ous.swId, ous.hwId))
      findings.push({
        severity: 'warning',
        code: 'NV_FSG_ID_PAD_QUIRK',
        message:
          'SW_ID/HW_ID top byte is 0x36/0x5C: SecTools-signed images with these IDs fail (inferred); this image is checked with the correct 8-byte pads',
      });
  }
  const modemFail = checks.find((c) => !c.ok && c.step !== 2);
  const strictFail = findings.some((f) => f.severity === 'error');
  const hash =
    ous?.swId !== undefined && ous.hwId !== undefined
      ? bytesToHex(imageHash(p.signed, ous.swId, options.hwId ?? ous.hwId, ous.hash, p.h1))
      : undefined;
  return {
    ok: modemFail === undefined && !strictFail,
    container: p.container,
    checks,
    findings,
    modemResult: modemFail
      ? {
          ok: false,
          step: modemFail.step,
          name: modemFail.name,
          ...(modemFail.code !== undefined ? { code: modemFail.code } : {}),
          ...(modemFail.secboot !== undefined ? { secboot: modemFail.secboot } : {}),
          detail: modemFail.detail,
        }
      : { ok: true },
    ...(root ? { rootHash: root.sha256 } : {}),
    ...(hash !== undefined ? { hash } : {}),
  };
}

/** docs/formats/fsg.md#modem-checks step 3: the configured root is the public QDST dummy root. */
function dummyRootCheck(rootHash: string | undefined, allowDummyKey: boolean): VerifyCheck {
  if (refusesDummyRoot(rootHash, allowDummyKey))
    return {
      step: 3,
      name: 'dummy-root',
      ok: false,
      code: 'NV_FSG_DUMMY_ROOT',
      detail:
        'the configured root is the public QDST dummy root d58522cd…; the modem refuses it unless built with FEATURE_FS_TAR_ALLOW_DUMMY_KEY',
    };
  return {
    step: 3,
    name: 'dummy-root',
    ok: true,
    detail:
      rootHash?.toLowerCase() === DUMMY_ROOT_SHA256
        ? 'dummy root allowed (FEATURE_FS_TAR_ALLOW_DUMMY_KEY)'
        : 'the configured root is not the QDST dummy root',
  };
}

/** docs/formats/fsg.md#modem-checks step 17: `40 + code_size < GOLDEN_RAM_SIZE − 512`; skipped without a RAM size. */
function sizeCheck(codeSize: number, ramSize: number | undefined): VerifyCheck {
  if (ramSize === undefined)
    return { step: 17, name: 'size', ok: true, skipped: true, detail: 'not checked: no GOLDEN_RAM_SIZE (--meta)' };
  const fit = ramBufferFit(codeSize, ramSize);
  return fit.ok
    ? { step: 17, name: 'size', ok: true, detail: fit.detail }
    : { step: 17, name: 'size', ok: false, code: 'NV_FSG_TOO_LARGE', detail: fit.detail };
}

/** docs/formats/fsg.md#modem-checks step 18: the code is a gzip member or a tar with a valid header checksum. */
function payloadCheck(code: Uint8Array): { check: VerifyCheck; kind: 'gzip' | 'tar' | undefined } {
  const kind = isGzipHeader(code) ? 'gzip' : isTarHeader(code) ? 'tar' : undefined;
  return {
    kind,
    check:
      kind !== undefined
        ? { step: 18, name: 'payload', ok: true, detail: kind }
        : {
            step: 18,
            name: 'payload',
            ok: false,
            code: 'NV_FSG_PAYLOAD_FORMAT',
            detail:
              'the code is neither gzip (1F 8B 08, reserved flags 0) nor a tar with a valid checksum: the modem would crash untarring it',
          },
  };
}

/** The modem build's settings {@link checkBootImage} needs (fs_signed_img_param.c, efs_image_meta.bin). */
export interface BootImageOptions {
  /** FS_SIGNED_IMG_ROOT_HASH (hex). */
  rootHash?: string;
  /** Built with FEATURE_FS_TAR_ALLOW_DUMMY_KEY. */
  allowDummyKey?: boolean;
  /** GOLDEN_RAM_SIZE; without it step 17 is skipped. */
  ramSize?: number;
}

/** Result of {@link checkBootImage}: the checks the modem runs around secboot's authentication. */
export interface BootImageChecks {
  /** Step 3: the configured root is not the dummy root (or the build allows it). */
  dummyRoot: VerifyCheck;
  /** Step 17: the code fits the golden RAM buffer. */
  size: VerifyCheck;
  /** Step 18: the code is gzip or tar (else the modem crashes untarring it). */
  payload: VerifyCheck;
  /** What step 18 recognised. */
  payloadKind: 'gzip' | 'tar' | undefined;
}

/**
 * The modem's checks outside secboot's authentication (docs/formats/fsg.md#modem-checks steps 3, 17 and 18) for
 * the code (`fs_image.tar.gz`, `code_size` bytes after the MBN header): the same checks {@link verifySignedImage}
 * runs, for callers (the device simulator) that run the boot steps one by one. Never throws.
 * @example
 * const { dummyRoot, size, payload } = checkBootImage(code, { rootHash, ramSize: 0x300000 });
 */
export function checkBootImage(code: Uint8Array, build: BootImageOptions = {}): BootImageChecks {
  const payload = payloadCheck(code);
  return {
    dummyRoot: dummyRootCheck(build.rootHash?.toLowerCase(), build.allowDummyKey === true),
    size: sizeCheck(code.length, build.ramSize),
    payload: payload.check,
    payloadKind: payload.kind,
  };
}

/** One certificate as `inspect` shows it. */
export interface InspectCert {
  subject: string;
  sha256: string;
  offset: number;
  size: number;
  keyBits: number | null;
  exponent: string | null;
  signatureAlgorithm: string;
  notBefore: string;
  notAfter: string;
}

/** Result of {@link inspectSignedImage} (JSON-ready; the `cli.md` shape). */
export interface InspectResult {
  container: SignedImageContainer;
  header: MbnHeader;
  sector?: ImgSector;
  code: { offset: number; size: number; format: 'gzip' | 'tar' | 'unknown' };
  signature: { offset: number; size: number };
  chain: { offset: number; size: number; paddingOk: boolean | null; error?: string };
  certs: InspectCert[];
  ou: Record<string, string | number | string[]>;
  rootHash: string | null;
  knownRoot: { label: string; kind: string } | null;
  /** The three fs_signed_img_param.c lines the image needs (root, HW_ID, SW_ID), to diff against the build. */
  cLines: string | null;
  trailingBytes: number;
  findings: FsgFinding[];
}

/**
 * Reads every part of a signed image without judging it against a build (docs/formats/fsg.md#modem-checks findings that need no configuration).
 * @throws NvError for inputs that are not a signed image at all (docs/formats/fsg.md#recognise codes, `NV_TRUNCATED`).
 * @example
 * inspectSignedImage(bytes).ou.hwId
 */
export function inspectSignedImage(bytes: Uint8Array, path?: string): InspectResult {
  const p = parseAll(bytes, path);
  const findings = [...p.findings, ...p.ouFindings];
  const certs = p.split?.certs ?? [];
  const rootIdx = p.split?.rootIndex;
  const root = rootIdx === undefined ? undefined : certs[rootIdx];
  const known = root ? findKnownRoot(root.sha256) : undefined;
  if (known)
    findings.push({
      severity: known.kind === 'qualcomm' ? 'info' : 'warning',
      code: known.kind === 'qualcomm' ? 'NV_FSG_QUALCOMM_ROOT' : 'NV_FSG_KNOWN_TEST_ROOT',
      message: `root is ${known.label}`,
    });
  else if (root && hasTestSubject(root.subjectText))
    findings.push({
      severity: 'warning',
      code: 'NV_FSG_KNOWN_TEST_ROOT',
      message: `the root subject "${root.subjectText}" marks a test root`,
    });
  if (p.splitError)
    findings.push({
      severity: 'error',
      code: p.splitError.code,
      message: p.splitError.message,
      ...(p.splitError.offset !== undefined ? { offset: p.splitError.offset } : {}),
    });
  else if (p.split?.badPaddingOffset !== undefined)
    findings.push({
      severity: 'error',
      code: 'NV_FSG_CHAIN_PADDING',
      message: `non-0xFF byte after the root at ${p.split.badPaddingOffset}`,
      offset: p.split.badPaddingOffset,
    });
  const ou = p.ous ? ousToJson(p.ous) : {};
  return {
    container: p.container,
    header: p.header,
    ...(p.sector ? { sector: p.sector } : {}),
    code: {
      offset: p.mbnOffset + MBN_HEADER_SIZE,
      size: p.header.codeSize,
      format: isGzipHeader(p.code) ? 'gzip' : isTarHeader(p.code) ? 'tar' : 'unknown',
    },
    signature: { offset: p.signatureOffset, size: p.header.signatureSize },
    chain: {
      offset: p.chainOffset,
      size: p.header.certChainSize,
      paddingOk: p.split ? p.split.badPaddingOffset === undefined : null,
      ...(p.splitError ? { error: p.splitError.message } : {}),
    },
    certs: certs.map((c) => ({
      subject: c.subjectText,
      sha256: c.sha256,
      offset: c.offset,
      size: c.der.length,
      keyBits: c.key ? c.key.size * 8 : null,
      exponent: c.key ? c.key.e.toString() : null,
      signatureAlgorithm:
        c.outerAlgorithm === OID.sha256WithRSA
          ? 'sha256WithRSA'
          : c.outerAlgorithm === OID.sha1WithRSA
            ? 'sha1WithRSA'
            : c.outerAlgorithm,
      notBefore: c.notBefore,
      notAfter: c.notAfter,
    })),
    ou,
    rootHash: root?.sha256 ?? null,
    knownRoot: known ? { label: known.label, kind: known.kind } : null,
    cLines: root ? rootHashC(root.sha256, p.ous?.hwId, p.ous?.swId) : null,
    trailingBytes: p.bytes.length - p.mbnOffset - MBN_HEADER_SIZE - p.header.imageSize,
    findings,
  };
}

/**
 * Parses a root hash given as hex (64 digits, optional `:`/spaces). @throws NvError `NV_FSG_ROOT_INPUT`.
 * @example
 * normalizeRootHash('D5:85:22:…') // 'd58522…'
 */
export function normalizeRootHash(text: string): string {
  const t = text.replace(/[\s:]/g, '').replace(/^0x/i, '').toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(t))
    throw new NvError('NV_FSG_ROOT_INPUT', `root hash "${text.slice(0, 80)}" is not 64 hex digits (SHA-256)`);
  return bytesToHex(hexToBytes(t));
}

/**
 * Throws when {@link verifySignedImage} says the modem refuses the image: the first failing check's code
 * (e.g. `NV_FSG_HWID_MISMATCH`), or `NV_FSG_VERIFY` for a strict-policy failure. For the device simulator and scripts.
 * @throws NvError the failing check's `NV_FSG_*` code, or `NV_FSG_VERIFY`.
 * @example
 * assertVerified(verifySignedImage(bytes, build));
 */
export function assertVerified(result: VerifyResult, path?: string): void {
  if (result.ok) return;
  const m = result.modemResult;
  if (!m.ok)
    throw new NvError(
      // Every NV_FSG_* literal of this package is declared (scripts/repo-rules.test.ts), so the string is a code.
      (m.code as FsgErrorCode | undefined) ?? 'NV_FSG_VERIFY',
      `the modem refuses this image at step ${m.step} (${m.name}): ${m.detail}`,
      { path, data: { step: m.step, check: m.name, secboot: m.secboot ?? null } },
    );
  const f = result.findings.find((x) => x.severity === 'error');
  throw new NvError('NV_FSG_VERIFY', `the image fails the strict policy: ${f?.message ?? 'error finding'}`, {
    path,
    data: { code: f?.code ?? null },
  });
}
