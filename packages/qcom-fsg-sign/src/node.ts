/**
 * `@nv/qcom-fsg-sign/node`: key generation, signing (node:crypto), signers (PEM key, external command), key folders.
 * @module
 */
import {
  createPrivateKey,
  createPublicKey,
  generateKeyPair,
  privateEncrypt,
  randomBytes,
  sign as cryptoSign,
  constants,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { open, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_LIMITS, NvError, checkLimit } from '@nv/core';
import { bytesEqual, bytesToHex } from '@nv/core/bytes';
import {
  assertCanWrite,
  createNodeSha256,
  nodeSha1,
  nodeSha256,
  readFileLimited,
  toNvIoError,
  writeDirectoryAtomic,
  writeFileAtomic,
} from '@nv/core/node';
import { sha1, sha256, useDigests } from './_digest.ts';
import { assembleCertificate, buildTbs, type CertRole } from './cert-build.ts';
import {
  CERT_CHAIN_SIZE,
  MBN_HEADER_SIZE,
  detectSignedImage,
  encodeMbnHeader,
  isGzipHeader,
  isTarHeader,
  signingHeader,
} from './container.ts';
import { children, readTlv } from './der.ts';
import { formatId, imageHash } from './hash.ts';
import { assertFitsRamBuffer, type EfsImageMeta } from './meta.ts';
import { attestationOuTexts } from './ou.ts';
import { findKnownRoot, rootHashC } from './roots.ts';
import { verifyPkcs1 } from './rsa.ts';
import { verifySignedImage, type VerifyResult } from './verify.ts';
import { CERT_LIMITS, OID, keyIdOf, parseCertificate, type ParsedCert } from './x509.ts';

// The Node entry hashes with node:crypto everywhere in this package (same digests as the pure code, which a test
// checks; no cold start of the pure SHA code in a short CLI process, issue 17).
useDigests({ sha1: nodeSha1, sha256: nodeSha256 });

/** Signs H3: returns the raw type-1 RSA signature (k bytes, no DigestInfo, docs/formats/fsg.md#signature). An HSM or command can implement it. */
export type ImageSigner = (digest: Uint8Array) => Promise<Uint8Array>;

/**
 * A signer from a private key (PEM text, DER PKCS#8 or a KeyObject): `privateEncrypt` with PKCS#1 type-1 padding.
 * @example
 * const signer = createKeySigner(await readFile('att.key.pem', 'utf8'));
 */
export function createKeySigner(key: string | KeyObject): ImageSigner {
  const k = typeof key === 'string' ? privateKeyFrom(key, 'attestation key') : key;
  return async (digest) => {
    try {
      return new Uint8Array(privateEncrypt({ key: k, padding: constants.RSA_PKCS1_PADDING }, digest));
    } catch (cause) {
      throw new NvError('NV_FSG_SIGNER', `the key cannot sign a ${digest.length}-byte digest`, { cause });
    }
  };
}

/**
 * A signer that runs `command` through `sh -c`, writes the digest (32 raw bytes) to its stdin and reads the raw
 * signature from its stdout. Example: `openssl pkeyutl -sign -inkey att.key -pkeyopt rsa_padding_mode:pkcs1`.
 * @throws NvError `NV_FSG_SIGNER` when the command fails.
 * @example
 * const signer = createCommandSigner('openssl pkeyutl -sign -inkey att.key -pkeyopt rsa_padding_mode:pkcs1');
 */
export function createCommandSigner(command: string, options: { cwd?: string; timeoutMs?: number } = {}): ImageSigner {
  // node:child_process is loaded on first use: most runs sign with a key, and a short CLI process pays for every
  // module it loads (issue 17).
  return async (digest) => {
    const { spawn } = await import('node:child_process');
    return new Promise((resolve, reject) => {
      const child = spawn('sh', ['-c', command], {
        cwd: options.cwd,
        stdio: ['pipe', 'pipe', 'pipe'],
        timeout: options.timeoutMs ?? 60_000,
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.on('error', (cause) =>
        reject(new NvError('NV_FSG_SIGNER', `signer command failed to start: ${command}`, { cause })),
      );
      child.on('close', (code) => {
        if (code !== 0)
          reject(
            new NvError(
              'NV_FSG_SIGNER',
              `signer command exited with ${code}: ${Buffer.concat(err).toString('utf8').trim().slice(0, 400)}`,
              { data: { command } },
            ),
          );
        else resolve(new Uint8Array(Buffer.concat(out)));
      });
      child.stdin.on('error', () => {});
      child.stdin.end(Buffer.from(digest));
    });
  };
}

function privateKeyFrom(pem: string | Uint8Array, what: string): KeyObject {
  try {
    return typeof pem === 'string'
      ? createPrivateKey(pem)
      : createPrivateKey({ key: Buffer.from(pem), format: 'der', type: 'pkcs8' });
  } catch (cause) {
    throw new NvError('NV_FSG_KEYS_DIR', `${what} is not a PEM/DER private key`, { cause });
  }
}

function spkiOf(key: KeyObject): Uint8Array {
  return new Uint8Array(createPublicKey(key).export({ format: 'der', type: 'spki' }));
}

function spkiKeyBits(spki: Uint8Array): Uint8Array {
  const top = readTlv(spki, 0, spki.length);
  const bits = children(spki, top)[1];
  if (bits === undefined) throw new RangeError('bad SPKI');
  return spki.subarray(bits.contentStart + 1, bits.end);
}

function checkRsaKey(key: KeyObject, what: string): number {
  const d = key.asymmetricKeyDetails;
  if (key.asymmetricKeyType !== 'rsa' || d?.modulusLength === undefined)
    throw new NvError('NV_FSG_KEY_SIZE', `${what} is not an RSA key (${key.asymmetricKeyType})`);
  if (d.modulusLength !== 2048 && d.modulusLength !== 4096)
    throw new NvError('NV_FSG_KEY_SIZE', `${what} is RSA-${d.modulusLength}; use 2048 or 4096 bits`);
  const e = d.publicExponent ?? 0n;
  if (e !== 3n && e !== 65537n)
    throw new NvError('NV_FSG_BAD_EXPONENT', `${what} has e = ${e}; the modem takes 3 or 65537`);
  return d.modulusLength;
}

/**
 * Converts PEM text (one or more CERTIFICATE blocks) or DER bytes to DER certificates. @throws NvError `NV_FSG_ROOT_INPUT`.
 * @example
 * certificatesFrom(await readFile('root.crt.pem'))[0]
 */
export function certificatesFrom(bytes: Uint8Array, what = 'certificate'): Uint8Array[] {
  if (bytes[0] === 0x30) return [bytes];
  const text = new TextDecoder().decode(bytes);
  const ders = [...text.matchAll(/-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g)].map(
    (m) => new Uint8Array(Buffer.from((m[1] as string).replace(/\s+/g, ''), 'base64')),
  );
  if (ders.length === 0)
    throw new NvError('NV_FSG_ROOT_INPUT', `${what} is neither DER nor PEM with a CERTIFICATE block`);
  for (const d of ders) {
    try {
      parseCertificate(d);
    } catch (cause) {
      throw new NvError('NV_FSG_ROOT_INPUT', `${what} has a CERTIFICATE block that is not a valid X.509 certificate`, {
        cause,
      });
    }
  }
  return ders;
}

function pem(label: string, der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n');
  return `-----BEGIN ${label}-----\n${b64}-----END ${label}-----\n`;
}

function serialFor(role: CertRole, seed: string | undefined): Uint8Array {
  // Random 63-bit serials (docs/formats/fsg.md#certificates); `serialSeed` makes them reproducible for byte-stable output.
  const b =
    seed === undefined
      ? new Uint8Array(randomBytes(8))
      : sha256(new TextEncoder().encode(`${seed}:${role}`)).slice(0, 8);
  b[0] = ((b[0] as number) & 0x7f) | 0x01;
  return b;
}

const DAY_MS = 86_400_000;

function issue(
  role: CertRole,
  opts: {
    subject: ReadonlyArray<readonly [string, string]>;
    subjectKey: KeyObject;
    issuerKey: KeyObject;
    issuer?: ParsedCert;
    notBefore: Date;
    serialSeed?: string;
  },
): Uint8Array {
  const spki = spkiOf(opts.subjectKey);
  const issuerSpkiBits = opts.issuer ? opts.issuer.publicKeyBits : spkiKeyBits(spki);
  const notBefore = new Date(Math.floor(opts.notBefore.getTime() / 1000) * 1000);
  const tbs = buildTbs({
    role,
    serial: serialFor(role, opts.serialSeed),
    issuerName: opts.issuer ? opts.issuer.subjectRaw : new Uint8Array(0),
    subject: opts.subject,
    notBefore,
    notAfter: new Date(notBefore.getTime() + 7300 * DAY_MS),
    spki,
    ...(role !== 'attestation' ? { subjectKeyId: keyIdOf(spkiKeyBits(spki)) } : {}),
    ...(role !== 'root' ? { authorityKeyId: keyIdOf(issuerSpkiBits) } : {}),
  });
  const sig = new Uint8Array(cryptoSign('sha256', tbs, opts.issuerKey));
  const der = assembleCertificate(tbs, sig);
  if (der.length > CERT_LIMITS.signCertBytes)
    throw new NvError(
      'NV_FSG_CERT_TOO_LARGE',
      `${role} certificate is ${der.length} bytes, over the 2048-byte slot of the chain`,
    );
  return der;
}

async function rsaKey(bits: number, exponent: number): Promise<KeyObject> {
  return new Promise((resolve, reject) => {
    generateKeyPair('rsa', { modulusLength: bits, publicExponent: exponent }, (err, _pub, priv) =>
      err ? reject(err) : resolve(priv),
    );
  });
}

/** Options of {@link generateFsgKeys}. */
export interface KeygenOptions {
  /** Organisation for the subjects: `<org> FSG Root CA`, `<org> FSG Attestation CA`. Default `Customer`. */
  org?: string;
  swId?: bigint;
  hwId?: bigint;
  oemId?: number;
  modelId?: number;
  /** 2048 (default) or 4096. */
  keyBits?: 2048 | 4096;
  /** 65537 (default) or 3. */
  exponent?: 3 | 65537;
  notBefore?: Date;
  serialSeed?: string;
}

/** Keys and certificates made by {@link generateFsgKeys}; `files` are the keys-folder contents. */
export interface FsgKeys {
  rootHash: string;
  rootCertDer: Uint8Array;
  caCertDer: Uint8Array;
  rootKey: KeyObject;
  caKey: KeyObject;
  /** file name → bytes (root.key.pem, ca.key.pem, root.crt.pem, ca.crt.pem, fsg-keys.json, fs_signed_img_param.inc). */
  files: Record<string, Uint8Array>;
}

/**
 * Generates the root CA and attestation CA (docs/formats/fsg.md#certificates profile, docs/formats/fsg.md#keygen-sign-img keygen). The attestation key is made per image by `sign`.
 * @throws RangeError for bad options; NvError `NV_FSG_CERT_TOO_LARGE` for very long names.
 * @example
 * const keys = await generateFsgKeys({ org: 'Acme', hwId: 0x009600E100000000n, swId: 0n });
 */
export async function generateFsgKeys(options: KeygenOptions = {}): Promise<FsgKeys> {
  const org = options.org ?? 'Customer';
  if (/test/i.test(org)) throw new RangeError('keygen never writes "test" into names (§5): choose another --org');
  const bits = options.keyBits ?? 2048;
  const e = options.exponent ?? 65537;
  if (bits !== 2048 && bits !== 4096) throw new RangeError('keyBits must be 2048 or 4096');
  if (e !== 3 && e !== 65537) throw new RangeError('exponent must be 3 or 65537');
  const hwId = options.hwId ?? 0n;
  const swId = options.swId ?? 0n;
  const notBefore = options.notBefore ?? new Date();
  const [rootKey, caKey] = await Promise.all([rsaKey(bits, e), rsaKey(bits, e)]);
  const seed = options.serialSeed;
  const rootCertDer = issue('root', {
    subject: [
      [OID.o, org],
      [OID.cn, `${org} FSG Root CA`],
    ],
    subjectKey: rootKey,
    issuerKey: rootKey,
    notBefore,
    ...(seed !== undefined ? { serialSeed: seed } : {}),
  });
  const root = parseCertificate(rootCertDer);
  const caCertDer = issue('ca', {
    subject: [
      [OID.o, org],
      [OID.cn, `${org} FSG Attestation CA`],
    ],
    subjectKey: caKey,
    issuerKey: rootKey,
    issuer: root,
    notBefore,
    ...(seed !== undefined ? { serialSeed: seed } : {}),
  });
  const rootHash = bytesToHex(sha256(rootCertDer));
  const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
  const json = {
    version: 1,
    swId: `0x${formatId(swId)}`,
    hwId: `0x${formatId(hwId)}`,
    oemId: `0x${formatId(BigInt(options.oemId ?? Number((hwId >> 16n) & 0xffffn)), 4)}`,
    modelId: `0x${formatId(BigInt(options.modelId ?? Number(hwId & 0xffffn)), 4)}`,
    keyBits: bits,
    exponent: e,
    rootSha256: rootHash,
  };
  return {
    rootHash,
    rootCertDer,
    caCertDer,
    rootKey,
    caKey,
    files: {
      'root.key.pem': enc(rootKey.export({ format: 'pem', type: 'pkcs8' }) as string),
      'ca.key.pem': enc(caKey.export({ format: 'pem', type: 'pkcs8' }) as string),
      'root.crt.pem': enc(pem('CERTIFICATE', rootCertDer)),
      'ca.crt.pem': enc(pem('CERTIFICATE', caCertDer)),
      'fsg-keys.json': enc(`${JSON.stringify(json, null, 2)}\n`),
      'fs_signed_img_param.inc': enc(rootHashC(rootHash, hwId, swId)),
    },
  };
}

/**
 * Writes {@link generateFsgKeys} output into `dir` atomically; private keys get mode 0600. A non-empty `dir` needs `force`
 * (it is then replaced).
 * @throws NvError `NV_EXISTS`, `NV_IO`.
 * @example
 * const { rootHash } = await writeFsgKeys('keys', { hwId: 0x009600E100000000n });
 */
export async function writeFsgKeys(dir: string, options: KeygenOptions & { force?: boolean } = {}): Promise<FsgKeys> {
  const keys = await generateFsgKeys(options);
  await writeDirectoryAtomic(
    dir,
    async (tmp) => {
      for (const [name, bytes] of Object.entries(keys.files)) {
        await writeFileAtomic(join(tmp, name), bytes, {
          force: true,
          ...(name.endsWith('.key.pem') ? { mode: 0o600 } : {}),
        });
      }
    },
    { force: options.force === true },
  );
  return keys;
}

/** The keys folder `sign` reads (never `root.key.pem`). */
export interface FsgKeyFolder {
  caKey: KeyObject;
  caCertDer: Uint8Array;
  rootCertDer: Uint8Array;
}

/**
 * The `hwId` keygen recorded in `fsg-keys.json` of a keys folder, or undefined when the folder (or file, or field)
 * is absent — e.g. keys made by another tool. A present but unreadable value is an error.
 * @throws NvError `NV_FSG_KEYS_DIR`.
 * @example
 * await recordedHwId('keys') // 0x009600E100000000n
 */
export async function recordedHwId(dir: string): Promise<bigint | undefined> {
  let text: string;
  try {
    text = await readFile(join(dir, 'fsg-keys.json'), 'utf8');
  } catch {
    return undefined;
  }
  let v: unknown;
  try {
    v = (JSON.parse(text) as { hwId?: unknown }).hwId;
  } catch (cause) {
    throw new NvError('NV_FSG_KEYS_DIR', `${join(dir, 'fsg-keys.json')} is not JSON`, {
      path: join(dir, 'fsg-keys.json'),
      cause,
    });
  }
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || !/^0x[0-9a-fA-F]{1,16}$/.test(v))
    throw new NvError('NV_FSG_KEYS_DIR', `hwId ${JSON.stringify(v)} in fsg-keys.json is not 0x hex`, {
      path: join(dir, 'fsg-keys.json'),
    });
  return BigInt(v);
}

/**
 * Reads `ca.key.pem`, `ca.crt.pem`, `root.crt.pem` from a keygen folder.
 * @throws NvError `NV_FSG_KEYS_DIR`.
 * @example
 * const keys = await readFsgKeyFolder('keys');
 */
export async function readFsgKeyFolder(dir: string): Promise<FsgKeyFolder> {
  const read = async (name: string): Promise<Uint8Array> => {
    try {
      return new Uint8Array(await readFile(join(dir, name)));
    } catch (cause) {
      throw new NvError(
        'NV_FSG_KEYS_DIR',
        `${join(dir, name)} is missing; point --keys at the folder written by \`nv qcom fsg keygen\``,
        { path: join(dir, name), cause },
      );
    }
  };
  const [caKeyPem, caCrt, rootCrt] = await Promise.all([read('ca.key.pem'), read('ca.crt.pem'), read('root.crt.pem')]);
  const cert = (b: Uint8Array, name: string): Uint8Array => {
    try {
      return certificatesFrom(b, name)[0] as Uint8Array;
    } catch (cause) {
      throw new NvError('NV_FSG_KEYS_DIR', `${name} is not a certificate`, { path: join(dir, name), cause });
    }
  };
  return {
    caKey: privateKeyFrom(new TextDecoder().decode(caKeyPem), 'ca.key.pem'),
    caCertDer: cert(caCrt, 'ca.crt.pem'),
    rootCertDer: cert(rootCrt, 'root.crt.pem'),
  };
}

/** Options of {@link signFsgImage}. */
export interface SignOptions {
  /** Attestation CA key and certificate, and the root certificate (see {@link readFsgKeyFolder}). */
  caKey?: KeyObject;
  caCertDer: Uint8Array;
  rootCertDer: Uint8Array;
  hwId: bigint;
  swId: bigint;
  /** OU OEM_ID / MODEL_ID; default from the HW_ID low 32 bits. */
  oemId?: number;
  modelId?: number;
  /** A fixed attestation key (the certificate is issued for it by the CA key). */
  attestKey?: KeyObject;
  /** A fixed attestation certificate (with `attestKey` or `signer`; the CA key is then not needed). */
  attestCertDer?: Uint8Array;
  /** External signer for the image digest (needs `attestCertDer`). */
  signer?: ImageSigner;
  /** Fresh attestation key size (default 2048). */
  attestKeyBits?: 2048 | 4096;
  notBefore?: Date;
  serialSeed?: string;
  /** Allow a publicly known test root/CA/attestation certificate (labs only). */
  allowTestRoot?: boolean;
  /** efs_image_meta.bin of the modem build: the image must fit GOLDEN_RAM_SIZE − 512 (docs/formats/fsg.md#modem-checks step 17). */
  meta?: EfsImageMeta;
  /** The payload's name in error messages (e.g. the path the user typed). */
  path?: string;
}

/** Result of {@link signFsgImage}. */
export interface SignResult {
  mbn: Uint8Array<ArrayBuffer>;
  rootHash: string;
  /** H3 (hex). */
  hash: string;
  size: number;
  attestCertDer: Uint8Array;
  verify: VerifyResult;
}

/**
 * The `--attest-key`/`--attest-cert`/default key size of `options` in bytes (the MBN header's signature size), known
 * before any key is made, so the output buffer and its header exist while the file is read and hashed.
 */
function attestationModulusBytes(options: SignOptions): number {
  if (options.attestCertDer !== undefined) {
    const key = parseCertificate(options.attestCertDer).key;
    if (key === undefined) throw new NvError('NV_FSG_KEY_SIZE', 'the attestation certificate has no RSA key');
    return key.size;
  }
  if (options.attestKey !== undefined) return checkRsaKey(options.attestKey, 'attestation key') / 8;
  return (options.attestKeyBits ?? 2048) / 8;
}

/** The modem's input rules for the payload (docs/formats/fsg.md#modem-checks step 18), and no signed image. */
function checkPayload(code: Uint8Array, path: string | undefined): void {
  const signedAs = detectSignedImage(code);
  if (signedAs !== undefined) {
    const name = path ?? 'the input';
    throw new NvError(
      'NV_FSG_SIGNED_INPUT',
      `${name} is already a signed image (${signedAs}); unwrap it first: nv qcom fsg unwrap ${name} -o fs_image.tar.gz, then sign fs_image.tar.gz`,
      { path, offset: 0, data: { container: signedAs } },
    );
  }
  if (!isGzipHeader(code) && !isTarHeader(code))
    throw new NvError(
      'NV_FSG_PAYLOAD_FORMAT',
      'the payload is neither gzip (1F 8B 08) nor a tar with a valid checksum; sign fs_image.tar.gz',
      { offset: 0, path },
    );
}

/** What signing needs besides the image bytes: the checked chain, the attestation certificate and its signer. */
interface Prepared {
  attestCertDer: Uint8Array;
  signer: ImageSigner;
  k: number;
  rootHash: string;
}

/** docs/formats/fsg.md#keygen-sign-img steps 2–3 and the attestation certificate (with a fresh key unless given). */
async function prepareSigning(codeSize: number, options: SignOptions): Promise<Prepared> {
  assertFitsRamBuffer(codeSize, options.meta, 'FSG');
  const root = parseCertificate(options.rootCertDer);
  const ca = parseCertificate(options.caCertDer);
  // Step 2: the root is self-signed, the CA verifies under the root, keys match.
  const verifies = (c: ParsedCert, issuer: ParsedCert): boolean =>
    issuer.key !== undefined &&
    verifyPkcs1(
      issuer.key,
      c.signature,
      c.outerAlgorithm === OID.sha1WithRSA ? 'sha1' : 'sha256',
      c.outerAlgorithm === OID.sha1WithRSA ? sha1(c.tbs) : sha256(c.tbs),
    );
  if (!bytesEqual(root.issuerRaw, root.subjectRaw) || !verifies(root, root))
    throw new NvError('NV_FSG_CERT_SIGNATURE', 'root.crt.pem is not self-signed');
  if (!bytesEqual(ca.issuerRaw, root.subjectRaw) || !verifies(ca, root))
    throw new NvError(
      'NV_FSG_CERT_SIGNATURE',
      'ca.crt.pem does not verify under root.crt.pem (keys from different keygen runs?)',
    );
  for (const c of [root, ca]) {
    if (c.key === undefined || (c.key.size !== 256 && c.key.size !== 512))
      throw new NvError('NV_FSG_KEY_SIZE', `${c.subjectText} key is not RSA-2048/4096`);
    if (c.key.e !== 3n && c.key.e !== 65537n)
      throw new NvError('NV_FSG_BAD_EXPONENT', `${c.subjectText} has e = ${c.key.e}`);
  }
  if (options.caKey !== undefined) {
    checkRsaKey(options.caKey, 'ca.key.pem');
    if (
      !bytesEqual(
        spkiOf(options.caKey),
        new Uint8Array(
          new X509Certificate(Buffer.from(options.caCertDer)).publicKey.export({ format: 'der', type: 'spki' }),
        ),
      )
    )
      throw new NvError('NV_FSG_KEY_MISMATCH', 'ca.key.pem does not belong to ca.crt.pem');
  }
  // Step 3: docs/formats/fsg.md#known-roots policy.
  const policy = (c: ParsedCert, what: string): void => {
    const known = findKnownRoot(c.sha256);
    if (known && options.allowTestRoot !== true)
      throw new NvError(
        'NV_FSG_KNOWN_TEST_ROOT',
        `the ${what} is a publicly known key (${known.label}); anyone could sign for your devices. Generate your own with \`nv qcom fsg keygen\` (or --allow-test-root in a lab)`,
        { data: { sha256: c.sha256, label: known.label } },
      );
  };
  policy(root, 'root');
  policy(ca, 'attestation CA');
  // Attestation key/cert.
  let attestCertDer = options.attestCertDer;
  let signer = options.signer;
  let k: number;
  const signedLen = MBN_HEADER_SIZE + codeSize;
  if (attestCertDer !== undefined) {
    const att = parseCertificate(attestCertDer);
    policy(att, 'attestation certificate');
    if (att.key === undefined) throw new NvError('NV_FSG_KEY_SIZE', 'the attestation certificate has no RSA key');
    k = att.key.size;
    if (signer === undefined) {
      if (options.attestKey === undefined) throw new TypeError('attestCertDer needs attestKey or signer');
      if (
        !bytesEqual(
          spkiOf(options.attestKey),
          new Uint8Array(
            new X509Certificate(Buffer.from(attestCertDer)).publicKey.export({ format: 'der', type: 'spki' }),
          ),
        )
      )
        throw new NvError('NV_FSG_KEY_MISMATCH', 'the attestation key does not belong to the attestation certificate');
      signer = createKeySigner(options.attestKey);
    }
  } else {
    if (options.caKey === undefined)
      throw new TypeError('signFsgImage needs caKey (or attestCertDer with attestKey/signer)');
    const attKey = options.attestKey ?? (await rsaKey(options.attestKeyBits ?? 2048, 65537));
    k = checkRsaKey(attKey, 'attestation key') / 8;
    const oemId = options.oemId ?? Number((options.hwId >> 16n) & 0xffffn);
    const modelId = options.modelId ?? Number(options.hwId & 0xffffn);
    const org = ca.subject.flat().find((a) => a.oid === OID.o)?.value;
    const cn = ca.subject.flat().find((a) => a.oid === OID.cn)?.value ?? 'FSG Attestation CA';
    const subject: Array<readonly [string, string]> = [
      ...(org !== undefined ? [[OID.o, org] as const] : []),
      ...attestationOuTexts({ swId: options.swId, hwId: options.hwId, oemId, modelId, swSize: signedLen }).map(
        (t) => [OID.ou, t] as const,
      ),
      [OID.cn, cn.replace(/ CA$/, '')],
    ];
    attestCertDer = issue('attestation', {
      subject,
      subjectKey: attKey,
      issuerKey: options.caKey,
      issuer: ca,
      notBefore: options.notBefore ?? new Date(),
      ...(options.serialSeed !== undefined ? { serialSeed: options.serialSeed } : {}),
    });
    signer ??= createKeySigner(attKey);
  }
  return { attestCertDer, signer, k, rootHash: root.sha256 };
}

/** Writes the fixed 6144-byte chain (docs/formats/fsg.md#chain) into `out`: three certificates, then 0xFF. */
function writeChain(out: Uint8Array, attestCertDer: Uint8Array, options: SignOptions): void {
  // Each certificate fits its 2048-byte slot of the fixed 6144-byte chain.
  let at = 0;
  for (const [what, d] of [
    ['attestation', attestCertDer],
    ['attestation CA', options.caCertDer],
    ['root', options.rootCertDer],
  ] as const) {
    if (d.length > CERT_LIMITS.signCertBytes)
      throw new NvError(
        'NV_FSG_CERT_TOO_LARGE',
        `the ${what} certificate is ${d.length} bytes, over its 2048-byte slot of the chain`,
      );
    if (at + d.length > CERT_CHAIN_SIZE)
      throw new NvError('NV_FSG_CERT_TOO_LARGE', `the 3 certificates take over the ${CERT_CHAIN_SIZE}-byte chain`);
    out.set(d, at);
    at += d.length;
  }
  out.fill(0xff, at, CERT_CHAIN_SIZE);
}

/**
 * Signs `codeSize` bytes of code that `fill` writes into the output (issue 17): the `.mbn` is one buffer from the
 * start (header ‖ code ‖ signature ‖ chain), so the code is never copied again, H1 is hashed as the code arrives,
 * and the attestation key is generated (thread pool) while `fill` reads and hashes.
 */
async function signSized(
  codeSize: number,
  options: SignOptions,
  fill: (code: Uint8Array<ArrayBuffer>, hash: { update(data: Uint8Array): unknown }) => Promise<void>,
): Promise<SignResult> {
  const k = attestationModulusBytes(options);
  const signedLen = MBN_HEADER_SIZE + codeSize;
  const header = encodeMbnHeader(signingHeader(codeSize, k, CERT_CHAIN_SIZE));
  const mbn = new Uint8Array(signedLen + k + CERT_CHAIN_SIZE);
  mbn.set(header, 0);
  const prepared = prepareSigning(codeSize, options);
  // Handled here so a configuration error that comes while `fill` still reads is no unhandled rejection; it is
  // reported by the `await` below, after the input errors (which come first, as before issue 17).
  prepared.catch(() => undefined);
  // H1 = SHA-256(header ‖ code), fed as the parts arrive (node:crypto, docs/formats/fsg.md#image-hash).
  const h = createNodeSha256().update(header);
  await fill(mbn.subarray(MBN_HEADER_SIZE, signedLen), h);
  const h1 = h.digest();
  const prep = await prepared;
  if (prep.k !== k) throw new NvError('NV_FSG_KEY_SIZE', `the attestation key is ${prep.k * 8} bits, not ${k * 8}`);
  writeChain(mbn.subarray(signedLen + k), prep.attestCertDer, options);
  // Steps 4–6: H3 over the header, then the raw type-1 signature.
  const h3 = imageHash(header, options.swId, options.hwId, 'sha256', () => h1);
  const signature = await prep.signer(h3);
  if (signature.length !== k)
    throw new NvError(
      'NV_FSG_SIGNER',
      `the signer returned ${signature.length} bytes, expected ${k} (raw type-1 RSA signature)`,
    );
  mbn.set(signature, signedLen);
  // Step 7: self-check of the bytes in memory (never re-read from disk). H1 of the signed part is the digest
  // just computed over these very bytes (unchanged since: only the signature and chain after them were written).
  const isSigned = (d: Uint8Array): boolean =>
    d.buffer === mbn.buffer && d.byteOffset === mbn.byteOffset && d.length === signedLen;
  const verify = verifySignedImage(mbn, {
    rootHash: prep.rootHash,
    hwId: options.hwId,
    swId: options.swId,
    allowDummyKey: true,
    sha256: (d) => (isSigned(d) ? h1 : nodeSha256(d)),
    ...(options.meta ? { meta: options.meta } : {}),
  });
  if (!verify.modemResult.ok)
    throw new NvError(
      'NV_FSG_SELF_CHECK',
      `the signed image fails ${verify.modemResult.name}: ${verify.modemResult.detail}`,
      { data: { ...verify.modemResult } },
    );
  return {
    mbn,
    rootHash: prep.rootHash,
    hash: bytesToHex(h3),
    size: mbn.length,
    attestCertDer: prep.attestCertDer,
    verify,
  };
}

/**
 * Signs `fs_image.tar.gz` into an MBN v3 `.mbn` (docs/formats/fsg.md#keygen-sign-img): header, attestation certificate with the docs/formats/fsg.md#ous OUs, H3, raw
 * type-1 signature, chain padded to 6144 bytes; then verifies it as the modem would (nothing is returned on failure).
 * For files, {@link signFsgFile} reads the payload straight into the output (one copy of the image in memory).
 * @throws NvError `NV_FSG_SIGNED_INPUT`, `NV_FSG_PAYLOAD_FORMAT`, `NV_FSG_KEY_MISMATCH`, `NV_FSG_KEY_SIZE`, `NV_FSG_BAD_EXPONENT`,
 *   `NV_FSG_CERT_SIGNATURE`, `NV_FSG_CERT_STRUCTURE`, `NV_FSG_KNOWN_TEST_ROOT`, `NV_FSG_CERT_TOO_LARGE`, `NV_FSG_SIGNER`, `NV_FSG_SELF_CHECK`.
 * @example
 * const keys = await readFsgKeyFolder('keys');
 * const { mbn, rootHash } = await signFsgImage(tgz, { ...keys, hwId: 0x009600E100000000n, swId: 0n });
 */
export async function signFsgImage(payload: Uint8Array, options: SignOptions): Promise<SignResult> {
  checkPayload(payload, options.path);
  return signSized(payload.length, options, async (code, hash) => {
    code.set(payload);
    hash.update(payload);
  });
}

/**
 * Signs the file `input` into `output` (atomic; `force` to overwrite), as {@link signFsgImage} does, with one copy
 * of the image in memory: the payload is read in 4 MiB parts straight into the `.mbn` buffer and hashed as it
 * arrives, while the attestation key is generated (issue 17).
 * @throws NvError the {@link signFsgImage} codes, `NV_EXISTS`, `NV_NOT_FOUND`, `NV_IO`, `NV_LIMIT`.
 * @example
 * const r = await signFsgFile('fs_image.tar.gz', 'fs_image.mbn', { ...(await readFsgKeyFolder('keys')), hwId, swId: 0n });
 */
export async function signFsgFile(
  input: string,
  output: string,
  options: SignOptions & { force?: boolean },
): Promise<SignResult> {
  await assertCanWrite(output, options.force === true);
  const name = options.path ?? input;
  let handle;
  try {
    handle = await open(input, 'r');
  } catch (error) {
    throw toNvIoError(error, input);
  }
  try {
    const st = await handle.stat();
    if (!st.isFile()) throw new NvError('NV_IO', `${name} is not a regular file`, { path: input });
    const size = st.size;
    checkLimit(`size of ${name}`, size, DEFAULT_LIMITS.maxInputBytes, { path: input });
    const r = await signSized(size, options, async (code, hash) => {
      let at = 0;
      while (at < size) {
        const { bytesRead } = await handle.read(code, at, Math.min(READ_PART, size - at), at);
        if (bytesRead === 0) break;
        hash.update(code.subarray(at, at + bytesRead));
        at += bytesRead;
      }
      const { bytesRead: more } = await handle.read(new Uint8Array(1), 0, 1, size);
      if (at !== size || more !== 0)
        throw new NvError('NV_IO', `${name} changed size while it was read (${size} bytes at the start)`, {
          path: input,
        });
      checkPayload(code, name);
    });
    await writeFileAtomic(output, r.mbn, { force: options.force === true });
    return r;
  } catch (error) {
    throw NvError.isInstance(error) ? error : toNvIoError(error, input);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

const READ_PART = 4 * 1024 * 1024;

/**
 * Reads root certificates for `root-hash`: PEM/DER files, or a keys folder (its `root.crt.pem`).
 * @throws NvError `NV_FSG_ROOT_INPUT`, `NV_NOT_FOUND`.
 * @example
 * const ders = await readRootCertificates(['keys']);
 */
export async function readRootCertificates(paths: readonly string[]): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (const p of paths) {
    let file = p;
    try {
      const entries = await readdir(p);
      if (!entries.includes('root.crt.pem'))
        throw new NvError('NV_FSG_ROOT_INPUT', `${p} is a folder without root.crt.pem`, { path: p });
      file = join(p, 'root.crt.pem');
    } catch (e) {
      if (NvError.isInstance(e)) throw e;
    }
    const bytes = await readFileLimited(file, 1024 * 1024);
    try {
      out.push(...certificatesFrom(bytes, file));
    } catch (e) {
      if (NvError.isInstance(e)) throw new NvError(e.code, e.message, { path: file, cause: e.cause });
      throw e;
    }
  }
  return out;
}
