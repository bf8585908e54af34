/**
 * Known public roots (docs/formats/fsg.md#known-roots) and the root hash (docs/formats/fsg.md#root-hash). Pure and browser-safe.
 * @module
 */
import { bytesToHex, concatBytes } from '@nv/core/bytes';
import { sha256 } from './_digest.ts';
import { KNOWN_ROOT_LIST, type KnownRoot } from './known-roots.ts';
import { formatId } from './hash.ts';

/** The QDST dummy root hash the modem refuses (docs/formats/fsg.md#modem-checks step 3). */
export const DUMMY_ROOT_SHA256 = 'd58522cd602a501c3a798d201533ae31f924272b0b76f159fe81753b5fcfce60';

/**
 * The modem's step 3 (docs/formats/fsg.md#modem-checks): true when the configured root is the public QDST dummy root and the build
 * lacks `FEATURE_FS_TAR_ALLOW_DUMMY_KEY`, so the golden copy is refused. `verifySignedImage` and the device
 * simulator call it.
 * @example refusesDummyRoot(DUMMY_ROOT_SHA256) // true
 */
export function refusesDummyRoot(rootHash: string | undefined, allowDummyKey = false): boolean {
  return rootHash?.toLowerCase() === DUMMY_ROOT_SHA256 && !allowDummyKey;
}

/** All known roots (same data as the package's `known-roots.json`). */
export const KNOWN_ROOTS: readonly KnownRoot[] = KNOWN_ROOT_LIST;

/**
 * Looks up a hash (hex, any case) among the known roots.
 * @example
 * findKnownRoot('d58522cd…')?.kind // 'dummy'
 */
export function findKnownRoot(hashHex: string): KnownRoot | undefined {
  const h = hashHex.toLowerCase();
  return KNOWN_ROOTS.find((r) => r.hash === h);
}

/** Subject texts that mark a test root (docs/formats/fsg.md#known-roots), any case. */
export const TEST_SUBJECT_MARKERS: readonly string[] = Object.freeze([
  'test',
  'NOT SECURE',
  'Development Signing Tool',
  'Platform Signing Application',
]);

/**
 * True when a subject text contains a test marker.
 * @example
 * hasTestSubject('CN=Generated Test Root CA') // true
 */
export function hasTestSubject(subject: string): boolean {
  const s = subject.toLowerCase();
  return TEST_SUBJECT_MARKERS.some((m) => s.includes(m.toLowerCase()));
}

/** Root hash result: each root and the aggregate (docs/formats/fsg.md#root-hash). */
export interface RootHashes {
  roots: string[];
  /** SHA-256 of the single root DER, or of DER₀‖DER₁‖… for several roots (MRC). */
  rootHash: string;
}

/**
 * SHA-256 of each root DER and of their concatenation (docs/formats/fsg.md#root-hash).
 * @example
 * rootHashes([rootDer]).rootHash
 */
export function rootHashes(ders: readonly Uint8Array[]): RootHashes {
  if (ders.length === 0) throw new RangeError('rootHashes needs at least one certificate');
  const roots = ders.map((d) => bytesToHex(sha256(d)));
  return { roots, rootHash: ders.length === 1 ? (roots[0] as string) : bytesToHex(sha256(concatBytes(...ders))) };
}

/**
 * The `fs_signed_img_param.c` lines (docs/formats/fsg.md#root-hash `--c`): the root hash initializer (8 bytes per line) and the two ID defines.
 * @example
 * rootHashC('eee6…', 0x009600E100000000n, 0n)
 */
export function rootHashC(rootHashHex: string, hwId?: bigint, swId?: bigint): string {
  const bytes = rootHashHex.toLowerCase().match(/../g) ?? [];
  const lines = ['#define FS_SIGNED_IMG_ROOT_HASH \\'];
  for (let i = 0; i < bytes.length; i += 8) {
    const chunk = bytes
      .slice(i, i + 8)
      .map((b) => `0x${b}`)
      .join(', ');
    const first = i === 0 ? '{' : ' ';
    const last = i + 8 >= bytes.length ? '}' : ', \\';
    lines.push(`  ${first}${chunk}${last}`);
  }
  if (hwId !== undefined) lines.push(`#define FS_SIGNED_IMG_MSM_HW_ID 0x${formatId(hwId)}`);
  if (swId !== undefined) lines.push(`#define FS_SIGNED_IMG_SOFTWARE_ID 0x${formatId(swId)}`);
  return `${lines.join('\n')}\n`;
}
