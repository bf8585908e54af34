/**
 * `@nv/qcom-mbn/node`: file resolution for `buildPath`, SHA-384 via node:crypto (hash v6/v7), writing
 * `to-xml` output with sidecars, and parallel corpus inspection with worker threads.
 * @module
 */
import {
  X509Certificate,
  constants as cryptoConstants,
  createHash,
  publicDecrypt,
  verify as cryptoVerify,
} from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { NvError, checkLimit } from '@nv/core';
import { encodeUtf8 } from '@nv/core/bytes';
import { nodeSha256, nodeSha384, writeFileAtomic } from '@nv/core/node';
import type { HashOptions, HashSegmentInfo } from './elf.ts';
import type { FileResolver, SignatureVerdict } from './model.ts';
import type { ToXmlResult } from './to-xml.ts';

export { inspectCorpus, streamCorpus } from './node-corpus.ts';
export type { CorpusEntry, CorpusOptions } from './node-corpus.ts';

/** Largest file a resolver reads (EFS files are ≤ 64 KiB; containers and group XML are small). */
const MAX_RESOLVED_BYTES = 64 * 1024 * 1024;

/** The first DER certificate of a chain (SEQUENCE with a definite length), or undefined. */
function firstCertificate(chain: Uint8Array): Uint8Array | undefined {
  if (chain.length < 4 || chain[0] !== 0x30) return undefined;
  let len = chain[1]!;
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || chain.length < 2 + n) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + chain[2 + i]!;
    head = 2 + n;
  }
  return head + len <= chain.length ? chain.subarray(0, head + len) : undefined;
}

const be64 = (v: bigint): Uint8Array => {
  const out = new Uint8Array(8);
  for (let i = 7; i >= 0; i--, v >>= 8n) out[i] = Number(v & 0xffn);
  return out;
};

/**
 * Checks the signatures of a signed hash segment with node:crypto, against the public key of the first certificate
 * of each chain (the attestation certificate; the chain itself is not validated up to a root). Schemes, tried in
 * this order, over the bytes the signature covers (hash-segment header, metadata, digest table):
 * RSA-PSS (SHA-256/384, any salt) — what real v6 files use (SecTools "SHA256" OU, salt 32); RSA PKCS#1 v1.5;
 * ECDSA (DER or raw r‖s); and for v3/v5 the secboot-1 construction `H(So ‖ H(Si ‖ H(signed)))` with SW_ID and
 * HW_ID from the certificate's OU fields (`01 … SW_ID`, `02 … HW_ID`, `07 0001 SHA256` else SHA-1).
 *
 * @example
 * parseMbn(bytes, NODE_HASH_OPTIONS).container.signatures; // [{ signer: 'oem', status: 'valid', … }]
 */
export function verifyMbnSignatures(bytes: Uint8Array, hash: HashSegmentInfo): SignatureVerdict[] {
  const msg = bytes.subarray(hash.offset, hash.offset + hash.signedSize);
  return hash.signatures.map((sig) => {
    const base = { signer: sig.signer };
    const der = firstCertificate(bytes.subarray(sig.chainOffset, sig.chainOffset + sig.chainSize));
    let cert: X509Certificate;
    try {
      if (der === undefined) throw new Error('no DER certificate');
      cert = new X509Certificate(der);
    } catch {
      return { ...base, status: 'unknown' as const, detail: 'no readable attestation certificate in the chain' };
    }
    const signature = bytes.subarray(sig.offset, sig.offset + sig.size);
    const key = cert.publicKey;
    const tries: [string, () => boolean][] = [];
    for (const alg of ['sha256', 'sha384']) {
      if (key.asymmetricKeyType === 'rsa') {
        tries.push([
          `RSA-PSS ${alg}`,
          () =>
            cryptoVerify(
              alg,
              msg,
              { key, padding: cryptoConstants.RSA_PKCS1_PSS_PADDING, saltLength: cryptoConstants.RSA_PSS_SALTLEN_AUTO },
              signature,
            ),
        ]);
        tries.push([`RSA PKCS#1 v1.5 ${alg}`, () => cryptoVerify(alg, msg, key, signature)]);
      } else if (key.asymmetricKeyType === 'ec') {
        tries.push([`ECDSA ${alg}`, () => cryptoVerify(alg, msg, key, signature)]);
        tries.push([`ECDSA ${alg} (r‖s)`, () => cryptoVerify(alg, msg, { key, dsaEncoding: 'ieee-p1363' }, signature)]);
      }
    }
    if (key.asymmetricKeyType === 'rsa' && hash.version <= 5) {
      const ou = (n: string): bigint | undefined => {
        const m = new RegExp(`^OU=${n} ([0-9A-Fa-f]{1,16}) `, 'm').exec(cert.subject);
        return m ? BigInt(`0x${m[1]}`) : undefined;
      };
      const swId = ou('01');
      const hwId = ou('02');
      if (swId !== undefined && hwId !== undefined) {
        const alg = /^OU=07 0001 SHA256$/m.test(cert.subject) ? 'sha256' : 'sha1';
        const H = (...parts: Uint8Array[]): Uint8Array => {
          const h = createHash(alg);
          for (const p of parts) h.update(p);
          return new Uint8Array(h.digest());
        };
        const h3 = H(be64(hwId ^ 0x5c5c5c5c5c5c5c5cn), H(be64(swId ^ 0x3636363636363636n), H(msg)));
        tries.push([
          `secboot v1 ${alg} (SW_ID/HW_ID OUs)`,
          () => {
            const em = new Uint8Array(publicDecrypt({ key, padding: cryptoConstants.RSA_PKCS1_PADDING }, signature));
            const tail = em.subarray(em.length - h3.length);
            return em.length <= h3.length + 19 && tail.every((b, i) => b === h3[i]);
          },
        ]);
      }
    }
    for (const [name, attempt] of tries) {
      try {
        if (attempt())
          return {
            ...base,
            status: 'valid' as const,
            detail: `${name}, key of "${cert.subject.split('\n').find((l) => l.startsWith('CN=')) ?? 'attestation certificate'}"`,
          };
      } catch {
        // a scheme that does not apply (wrong size, padding) is just not a match
      }
    }
    if (tries.length === 0)
      return {
        ...base,
        status: 'unknown' as const,
        detail: `attestation key type ${key.asymmetricKeyType} is not supported`,
      };
    return {
      ...base,
      status: 'invalid' as const,
      detail: `no scheme (${tries.map(([n]) => n).join(', ')}) verifies it with the attestation key`,
    };
  });
}

/**
 * Hash options with node:crypto SHA-256/384 and signature checks; pass to `parseMbn`, `buildMbn`, `lintMbn`,
 * `rehashMbn`.
 */
export const NODE_HASH_OPTIONS: HashOptions = Object.freeze({
  sha384: nodeSha384,
  sha256: nodeSha256,
  verifySignature: verifyMbnSignatures,
});

/**
 * A {@link FileResolver} reading `buildPath`s relative to `baseDir` (the XML's folder or `--build-root`).
 *
 * @example
 * const mbn = buildMbn(parseMcfgXml(text), createFileResolver(dirname(xmlPath)), NODE_HASH_OPTIONS);
 */
export function createFileResolver(baseDir: string): FileResolver {
  const full = (p: string): string => (isAbsolute(p) ? p : resolve(baseDir, p.replace(/\\/g, '/')));
  return {
    readFile(p) {
      const path = full(p);
      try {
        const st = statSync(path);
        if (!st.isFile()) return undefined;
        checkLimit(`size of ${p}`, st.size, MAX_RESOLVED_BYTES, { path: p });
        return new Uint8Array(readFileSync(path));
      } catch (error) {
        if (NvError.isInstance(error)) throw error;
        return undefined;
      }
    },
    listDir(p) {
      try {
        const entries = readdirSync(full(p), { withFileTypes: true });
        return {
          files: entries.filter((e) => e.isFile()).map((e) => e.name),
          dirs: entries.filter((e) => e.isDirectory()).map((e) => e.name),
        };
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Writes `to-xml` output: the XML at `xmlPath` and each sidecar under the XML's folder, each atomically.
 * Sidecar names come from `toXml` and never leave the folder.
 * @throws NvError `NV_EXISTS` without `force`, `NV_IO`, `NV_BAD_INPUT` for an escaping sidecar name
 *
 * @example
 * await writeToXmlOutput(toXml(parseMbn(bytes), { name: 'tmo' }), 'tmo.xml', { force: true });
 */
export async function writeToXmlOutput(
  result: ToXmlResult,
  xmlPath: string,
  options: { force?: boolean } = {},
): Promise<string[]> {
  const dir = dirname(resolve(xmlPath));
  const written: string[] = [];
  for (const [name, bytes] of Object.entries(result.files)) {
    const target = resolve(dir, name);
    const rel = relative(dir, target);
    if (rel.startsWith('..') || isAbsolute(rel) || rel.split(sep).includes('..'))
      throw new NvError('NV_BAD_INPUT', `sidecar ${name} would be written outside ${dir}`, { path: name });
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, bytes, { force: options.force ?? false });
    written.push(target);
  }
  await writeFileAtomic(resolve(xmlPath), encodeUtf8(result.xml), { force: options.force ?? false });
  return [resolve(xmlPath), ...written];
}
