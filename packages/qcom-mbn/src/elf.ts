/**
 * The ELF32 "MBN" wrapper and its hash segment (docs/formats/mcfg.md#layout…#hash-segment, docs/formats/mcfg.md#rehash). Written by hand:
 * the layout is 148 bytes of headers plus a 136-byte hash table, and no ELF library reproduces the vendor's
 * exact bytes (flags, addresses, zero fill) or knows the Qualcomm hash-segment header.
 * @module
 */
import { NvError } from '@nv/core';
import { bytesEqual } from '@nv/core/bytes';
import { sha256, sha384 } from '@nv/core/hash';
import type { McfgFinding, SignatureVerdict } from './model.ts';

/** A hash function over bytes (SHA-256 or SHA-384); `./node` passes node:crypto's, which is faster on big files. */
export type Sha384 = (data: Uint8Array) => Uint8Array;

/**
 * Checks the signatures of a signed hash segment over the bytes they cover. Pure modules cannot do RSA/ECDSA;
 * `./node` passes one built on node:crypto (`NODE_HASH_OPTIONS`).
 */
export type SignatureVerifier = (bytes: Uint8Array, hash: HashSegmentInfo) => readonly SignatureVerdict[];

/** Hash options shared by parse, build and re-hash. */
export interface HashOptions {
  /** A faster SHA-384 (same digests) for hash segments v6/v7; default `@nv/core` sha384. */
  readonly sha384?: Sha384;
  /** A faster SHA-256 (same digests), e.g. node:crypto's; default `@nv/core` sha256. */
  readonly sha256?: Sha384;
  /** Verifies signatures of signed files (parse reports a stale one as `NV_MBN_SIGNATURE_STALE`). */
  readonly verifySignature?: SignatureVerifier;
}

/** Options of {@link rewrapContainer} (and of build/re-hash with a kept container). */
export interface RewrapOptions extends HashOptions {
  /**
   * Remove the signature: the hash header's signature and chain sizes become 0 and their bytes zeros (unsigned use;
   * a device with modem auth fused then refuses the file, as it would a stale signature).
   */
  readonly stripSignature?: boolean;
  /** Receives `NV_MBN_SIGNATURE_STALE` when a signed container's header or digest table changes. */
  readonly onWarning?: (finding: McfgFinding) => void;
}

const ELF_MAGIC = [0x7f, 0x45, 0x4c, 0x46];
/** Offset of the hash segment in the canonical layout (docs/formats/mcfg.md#layout). */
export const CANONICAL_HASH_OFFSET: number = 0x1000;
/** Offset of the MCFG data segment in the canonical layout (docs/formats/mcfg.md#layout). */
export const CANONICAL_DATA_OFFSET: number = 0x2000;
const MAX_PHDRS = 64;

const rd32 = (b: Uint8Array, o: number): number =>
  (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
const rd16 = (b: Uint8Array, o: number): number => b[o]! | (b[o + 1]! << 8);
const wr32 = (b: Uint8Array, o: number, v: number): void => {
  b[o] = v & 0xff;
  b[o + 1] = (v >>> 8) & 0xff;
  b[o + 2] = (v >>> 16) & 0xff;
  b[o + 3] = (v >>> 24) & 0xff;
};

/**
 * The canonical unsigned JO file around an MCFG segment (docs/formats/mcfg.md#layout…#hash-segment): ELF header, 3 program headers,
 * v3 hash segment (SHA-256 of headers, empty self slot, SHA-256 of the segment), segment at 0x2000.
 *
 * @example
 * const mbn = wrapCanonical(encodeMcfgSegment(parts));
 */
export function wrapCanonical(segment: Uint8Array, options: HashOptions = {}): Uint8Array<ArrayBuffer> {
  const h = options.sha256 ?? sha256;
  const n = segment.length;
  const out = new Uint8Array(CANONICAL_DATA_OFFSET + n);
  writeCanonicalHeaders(out, n);
  const hs = CANONICAL_HASH_OFFSET;
  out.set(h(out.subarray(0, 0x94)), hs + 0x28);
  out.set(h(segment), hs + 0x28 + 64);
  out.set(segment, CANONICAL_DATA_OFFSET);
  return out;
}

/** Writes everything of the canonical wrapper but the two digests into `out` (zero-filled, ≥ 0x2000 bytes). */
function writeCanonicalHeaders(out: Uint8Array, n: number): void {
  const a = (n & ~0xfff) + 0x1000; // docs/formats/mcfg.md#program-headers: adds a page even when n is page-aligned
  out.set(ELF_MAGIC, 0);
  out.set([1, 1, 1], 4); // ELFCLASS32, LSB, EV_CURRENT
  const h16 = (o: number, v: number): void => {
    out[o] = v & 0xff;
    out[o + 1] = v >> 8;
  };
  h16(0x10, 2); // e_type EXEC
  h16(0x12, 0); // e_machine
  wr32(out, 0x14, 1); // e_version
  wr32(out, 0x18, 0); // e_entry
  wr32(out, 0x1c, 0x34); // e_phoff
  wr32(out, 0x20, 0); // e_shoff
  wr32(out, 0x24, 5); // e_flags (docs/formats/mcfg.md#elf-header)
  h16(0x28, 0x34);
  h16(0x2a, 0x20);
  h16(0x2c, 3);
  h16(0x2e, 0x28);
  const phdr = (i: number, w: readonly number[]): void => w.forEach((v, j) => wr32(out, 0x34 + 0x20 * i + 4 * j, v));
  phdr(0, [0, 0, 0, 0, 0x94, 0, 0x07000000, 0]);
  phdr(1, [0, CANONICAL_HASH_OFFSET, a, a, 0x88, 0x1000, 0x02200000, 0x1000]);
  phdr(2, [1, CANONICAL_DATA_OFFSET, 0, 0, n, n, 6, 4]);
  const hs = CANONICAL_HASH_OFFSET;
  [0, 3, 0, a + 0x28, 0x60, 0x60, a + 0x88, 0, a + 0x88, 0].forEach((v, j) => wr32(out, hs + 4 * j, v));
}

let template: Uint8Array | undefined;

/**
 * True when `bytes` starts with exactly the wrapper {@link wrapCanonical} writes around an `n`-byte segment, digests
 * aside (the caller knows from {@link openContainer}'s `digestsVerified` that both digests match). Compares in place
 * against a reused template: no allocation and no second hash of the segment per parse.
 */
export function hasCanonicalHeaders(bytes: Uint8Array, n: number): boolean {
  if (bytes.length < CANONICAL_DATA_OFFSET) return false;
  const t = (template ??= new Uint8Array(CANONICAL_DATA_OFFSET));
  t.fill(0, 0, CANONICAL_HASH_OFFSET + 0x28);
  writeCanonicalHeaders(t, n);
  const same = (from: number, to: number): boolean => {
    for (let i = from; i < to; i++) if (bytes[i] !== t[i]) return false;
    return true;
  };
  // Slot 0 (headers) at hash + 0x28 and slot 2 (data) at hash + 0x68 are digests; slot 1 is zero; the rest is fill.
  const hs = CANONICAL_HASH_OFFSET;
  return same(0, hs + 0x28) && same(hs + 0x48, hs + 0x68) && same(hs + 0x88, CANONICAL_DATA_OFFSET);
}

/** One signature and its certificate chain in a hash segment (absolute offsets). */
export interface HashSignature {
  readonly signer: 'oem' | 'qti';
  readonly offset: number;
  readonly size: number;
  readonly chainOffset: number;
  readonly chainSize: number;
}

/** Hash-segment header facts (docs/formats/mcfg.md#hash-segment). */
export interface HashSegmentInfo {
  /** Absolute offset of the hash segment. */
  readonly offset: number;
  /** Bytes from the segment start that a signature covers: header, metadata, digest table. */
  readonly signedSize: number;
  /** Signatures after the table, in file order (empty when unsigned or when they do not fit the segment). */
  readonly signatures: readonly HashSignature[];
  /** Absolute offsets of the header words holding signature and chain sizes. */
  readonly sizeWords: readonly number[];
  readonly version: number;
  /** Absolute offset of the digest table. */
  readonly tableOffset: number;
  readonly tableSize: number;
  readonly digestSize: 32 | 48;
  readonly signed: boolean;
}

/** The container facts {@link openContainer} finds. */
export interface OpenedContainer {
  readonly kind: 'elf' | 'bare';
  readonly dataOffset: number;
  readonly dataSize: number;
  readonly phdrs: readonly { type: number; offset: number; filesz: number; memsz: number; flags: number }[];
  readonly hashIndex: number;
  readonly dataIndex: number;
  readonly hash?: HashSegmentInfo;
  /** Signature checks (signed files, when a {@link SignatureVerifier} was given). */
  readonly signatures?: readonly SignatureVerdict[];
  /** True when the hash segment's data slot and header slot (0) both match what they cover. */
  readonly digestsVerified?: boolean;
  readonly findings: McfgFinding[];
}

function readHashHeader(
  bytes: Uint8Array,
  off: number,
  size: number,
  findings: McfgFinding[],
): HashSegmentInfo | undefined {
  if (size < 8 || off + 8 > bytes.length) {
    findings.push({
      severity: 'error',
      code: 'NV_MBN_HASH_VERSION',
      message: `hash segment of ${size} bytes is too short for a header`,
      offset: off,
    });
    return undefined;
  }
  const version = rd32(bytes, off + 4);
  const words = version === 7 ? 16 : version === 6 ? 12 : 10;
  if (![3, 5, 6, 7].includes(version)) {
    findings.push({
      severity: 'error',
      code: 'NV_MBN_HASH_VERSION',
      message: `hash segment version ${version} is not 3, 5, 6 or 7`,
      offset: off + 4,
    });
    return undefined;
  }
  if (size < 4 * words || off + 4 * words > bytes.length) {
    findings.push({
      severity: 'error',
      code: 'NV_MBN_PHDR_BOUNDS',
      message: `hash segment v${version} header runs past the segment`,
      offset: off,
    });
    return undefined;
  }
  const w = (i: number): number => rd32(bytes, off + 4 * i);
  let table: number;
  let tableSize: number;
  let signed: boolean;
  if (version === 3) {
    table = 40;
    tableSize = w(5);
    signed = w(7) > 0 || w(9) > 0;
  } else if (version === 5) {
    table = 40;
    tableSize = w(5);
    signed = w(2) > 0 || w(3) > 0 || w(7) > 0 || w(9) > 0;
  } else if (version === 6) {
    table = 48 + w(10) + w(11);
    tableSize = w(5);
    signed = w(2) > 0 || w(3) > 0 || w(7) > 0 || w(9) > 0;
  } else {
    table = 64 + w(3) + w(4);
    tableSize = w(5);
    signed = w(6) > 0 || w(7) > 0 || w(8) > 0 || w(9) > 0;
  }
  if (table > size || tableSize > size - table || off + table + tableSize > bytes.length) {
    findings.push({
      severity: 'error',
      code: 'NV_MBN_PHDR_BOUNDS',
      message: `hash table (${tableSize} bytes at +${table}) runs past the hash segment`,
      offset: off,
    });
    return undefined;
  }
  // Sizes of [signature, chain] pairs in file order after the table (docs/formats/mcfg.md#hash-segment): v3 OEM only; v5+ QTI then OEM.
  const pairs: [HashSignature['signer'], number, number][] =
    version === 3
      ? [['oem', 7, 9]]
      : version === 7
        ? [
            ['qti', 6, 7],
            ['oem', 8, 9],
          ]
        : [
            ['qti', 2, 3],
            ['oem', 7, 9],
          ];
  const signatures: HashSignature[] = [];
  let at = table + tableSize;
  let fits = true;
  for (const [signer, sw, cw] of pairs) {
    const sigSize = w(sw);
    const chainSize = w(cw);
    if (sigSize > size - at || chainSize > size - at - sigSize || off + at + sigSize + chainSize > bytes.length) {
      fits = false;
      break;
    }
    if (sigSize > 0 || chainSize > 0)
      signatures.push({ signer, offset: off + at, size: sigSize, chainOffset: off + at + sigSize, chainSize });
    at += sigSize + chainSize;
  }
  return {
    offset: off,
    signedSize: table + tableSize,
    signatures: fits ? signatures : [],
    sizeWords: pairs.flatMap(([, sw, cw]) => [off + 4 * sw, off + 4 * cw]),
    version,
    tableOffset: off + table,
    tableSize,
    digestSize: version >= 6 ? 48 : 32,
    signed,
  };
}

/**
 * Finds the MCFG segment in a file: ELF path (docs/formats/mcfg.md#program-headers lookup, as the modem does) or a bare `MCFG` segment.
 * Structural failures throw; hash problems become findings.
 * @throws NvError `NV_MBN_NOT_ELF`, `NV_MBN_ELF_CLASS`, `NV_MBN_PHDR_BOUNDS`, `NV_MBN_NO_DATA_SEGMENT`, `NV_TRUNCATED`
 *
 * @example
 * const { dataOffset, dataSize, hash } = openContainer(bytes);
 */
export function openContainer(bytes: Uint8Array, options: HashOptions = {}): OpenedContainer {
  const findings: McfgFinding[] = [];
  const isElf = bytes.length >= 4 && ELF_MAGIC.every((b, i) => bytes[i] === b);
  if (!isElf) {
    if (bytes.length >= 4 && bytes[0] === 0x4d && bytes[1] === 0x43 && bytes[2] === 0x46 && bytes[3] === 0x47) {
      return { kind: 'bare', dataOffset: 0, dataSize: bytes.length, phdrs: [], hashIndex: -1, dataIndex: -1, findings };
    }
    throw new NvError(
      'NV_MBN_NOT_ELF',
      'the input is neither an ELF MBN nor a bare MCFG segment (no \\x7fELF or "MCFG" magic)',
      { offset: 0 },
    );
  }
  if (bytes.length < 52)
    throw new NvError('NV_TRUNCATED', `ELF header needs 52 bytes, the file has ${bytes.length}`, {
      offset: bytes.length,
    });
  if (bytes[4] !== 1 || bytes[5] !== 1)
    throw new NvError(
      'NV_MBN_ELF_CLASS',
      `ELF class ${bytes[4]} / data ${bytes[5]}: an MCFG MBN is ELF32 little-endian`,
      { offset: 4 },
    );
  const phoff = rd32(bytes, 0x1c);
  const phentsize = rd16(bytes, 0x2a);
  const phnum = rd16(bytes, 0x2c);
  if (
    phnum === 0 ||
    phnum > MAX_PHDRS ||
    phentsize < 32 ||
    phoff > bytes.length ||
    phnum * phentsize > bytes.length - phoff
  ) {
    throw new NvError(
      'NV_MBN_PHDR_BOUNDS',
      `program headers (${phnum} × ${phentsize} at ${phoff}) do not fit in the ${bytes.length}-byte file`,
      { offset: 0x1c },
    );
  }
  const phdrs = [];
  for (let i = 0; i < phnum; i++) {
    const o = phoff + i * phentsize;
    const p = {
      type: rd32(bytes, o),
      offset: rd32(bytes, o + 4),
      filesz: rd32(bytes, o + 16),
      memsz: rd32(bytes, o + 20),
      flags: rd32(bytes, o + 24),
    };
    if (p.filesz > 0 && (p.offset > bytes.length || p.filesz > bytes.length - p.offset)) {
      throw new NvError(
        'NV_MBN_PHDR_BOUNDS',
        `program header ${i}: segment ${p.offset}+${p.filesz} is outside the ${bytes.length}-byte file`,
        { offset: o + 4 },
      );
    }
    phdrs.push(p);
  }
  const segType = (f: number): number => (f >>> 24) & 7;
  const hashIndex = phdrs.findIndex((p) => segType(p.flags) === 2);
  const dataIndex = phdrs.findIndex(
    (p) =>
      p.type === 1 && segType(p.flags) !== 2 && ((p.flags >>> 20) & 1) === 0 && ![3, 4].includes((p.flags >>> 21) & 7),
  );
  if (dataIndex < 0)
    throw new NvError('NV_MBN_NO_DATA_SEGMENT', 'no PT_LOAD program header holds the MCFG data (§3.3 lookup)', {
      offset: phoff,
    });
  const data = phdrs[dataIndex]!;
  let hash: HashSegmentInfo | undefined;
  let digestsVerified = false;
  if (hashIndex < 0)
    findings.push({
      severity: 'error',
      code: 'NV_MBN_NO_HASH_SEGMENT',
      message: 'no program header is a hash segment ((flags >> 24) & 7 = 2)',
      offset: phoff,
    });
  else {
    const hp = phdrs[hashIndex]!;
    hash = readHashHeader(bytes, hp.offset, hp.filesz, findings);
    if (hash) digestsVerified = verifySlots(bytes, hash, phdrs, dataIndex, options, findings);
  }
  let signatures: readonly SignatureVerdict[] | undefined;
  if (hash?.signed === true && options.verifySignature) {
    signatures = options.verifySignature(bytes, hash);
    for (const v of signatures)
      if (v.status === 'invalid')
        findings.push({
          severity: 'warning',
          code: 'NV_MBN_SIGNATURE_STALE',
          message: `the ${v.signer.toUpperCase()} signature no longer matches the hash segment (header + digest table): the file was changed after signing (${v.detail}); fatal only if modem auth is fused — re-sign, or build with --strip-signature for unsigned use`,
          offset: hash.offset,
        });
  }
  return {
    kind: 'elf',
    dataOffset: data.offset,
    dataSize: data.filesz,
    phdrs,
    hashIndex,
    dataIndex,
    ...(hash ? { hash } : {}),
    ...(signatures ? { signatures } : {}),
    digestsVerified,
    findings,
  };
}

function digestFn(hash: HashSegmentInfo, options: HashOptions): (d: Uint8Array) => Uint8Array {
  return hash.digestSize === 32 ? (options.sha256 ?? sha256) : (options.sha384 ?? sha384);
}

function verifySlots(
  bytes: Uint8Array,
  hash: HashSegmentInfo,
  phdrs: OpenedContainer['phdrs'],
  dataIndex: number,
  options: HashOptions,
  findings: McfgFinding[],
): boolean {
  let ok = true;
  const fn = digestFn(hash, options);
  const slots = Math.floor(hash.tableSize / hash.digestSize);
  const slot = (i: number): Uint8Array =>
    bytes.subarray(hash.tableOffset + i * hash.digestSize, hash.tableOffset + (i + 1) * hash.digestSize);
  const d = phdrs[dataIndex]!;
  if (dataIndex >= slots || !bytesEqual(slot(dataIndex), fn(bytes.subarray(d.offset, d.offset + d.filesz)))) {
    ok = false;
    findings.push({
      severity: 'error',
      code: 'NV_MBN_HASH_MISMATCH',
      message: `hash slot ${dataIndex} does not match the MCFG data segment; the modem rejects this file`,
      offset: hash.tableOffset + dataIndex * hash.digestSize,
    });
  }
  const p0 = phdrs[0]!;
  if (slots > 0 && p0.filesz <= bytes.length && !bytesEqual(slot(0), fn(bytes.subarray(0, p0.filesz)))) {
    ok = false;
    findings.push({
      severity: 'warning',
      code: 'NV_MBN_HEADER_HASH_MISMATCH',
      message: 'hash slot 0 does not match the ELF headers (not checked on the device)',
      offset: hash.tableOffset,
    });
  }
  return ok && slots > 0 && p0.filesz <= bytes.length;
}

/**
 * Puts a new MCFG segment into an existing container prefix (`bytes[0, dataOffset)`), updating the data
 * program header's sizes and recomputing slot 0 and the data slot (docs/formats/mcfg.md#rehash).
 * @throws NvError `NV_MBN_CONTAINER` and the {@link openContainer} codes
 *
 * @example
 * const mbn = rewrapContainer(file.container.prefix!, newSegment);
 */
export function rewrapContainer(
  prefix: Uint8Array,
  segment: Uint8Array,
  suffix: Uint8Array = new Uint8Array(0),
  options: RewrapOptions = {},
): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(prefix.length + segment.length + suffix.length);
  out.set(prefix, 0);
  out.set(segment, prefix.length);
  out.set(suffix, prefix.length + segment.length);
  if (prefix.length === 0) return out; // bare segment
  if (prefix.length < 52 || !ELF_MAGIC.every((b, i) => prefix[i] === b))
    throw new NvError('NV_MBN_CONTAINER', 'the container prefix is not an ELF header');
  const phoff = rd32(out, 0x1c);
  const phentsize = rd16(out, 0x2a);
  const phnum = rd16(out, 0x2c);
  if (phnum === 0 || phnum > MAX_PHDRS || phentsize < 32 || phoff + phnum * phentsize > prefix.length) {
    throw new NvError('NV_MBN_CONTAINER', 'the container prefix does not hold its program headers');
  }
  let dataIndex = -1;
  for (let i = 0; i < phnum && dataIndex < 0; i++) {
    const o = phoff + i * phentsize;
    const flags = rd32(out, o + 24);
    if (
      rd32(out, o) === 1 &&
      ((flags >>> 24) & 7) !== 2 &&
      ((flags >>> 20) & 1) === 0 &&
      ![3, 4].includes((flags >>> 21) & 7)
    )
      dataIndex = i;
  }
  if (dataIndex < 0) throw new NvError('NV_MBN_CONTAINER', 'the container prefix has no data program header');
  const po = phoff + dataIndex * phentsize;
  if (rd32(out, po + 4) !== prefix.length)
    throw new NvError(
      'NV_MBN_CONTAINER',
      `the container's data segment starts at ${rd32(out, po + 4)}, not after the ${prefix.length}-byte prefix`,
    );
  wr32(out, po + 16, segment.length);
  wr32(out, po + 20, segment.length);
  let opened: OpenedContainer;
  try {
    opened = openContainer(out.subarray(0, prefix.length + segment.length), {});
  } catch (cause) {
    throw new NvError(
      'NV_MBN_CONTAINER',
      `the container prefix is not a usable MBN wrapper: ${(cause as Error).message}`,
      { cause },
    );
  }
  const hash = opened.hash;
  if (!hash) return out;
  const fn = digestFn(hash, options);
  const slots = Math.floor(hash.tableSize / hash.digestSize);
  if (opened.dataIndex < slots) out.set(fn(segment), hash.tableOffset + opened.dataIndex * hash.digestSize);
  const p0 = opened.phdrs[0]!;
  if (slots > 0 && p0.filesz <= prefix.length) out.set(fn(out.subarray(0, p0.filesz)), hash.tableOffset);
  if (hash.signed) {
    if (options.stripSignature === true) {
      for (const w of hash.sizeWords) wr32(out, w, 0);
      for (const sig of hash.signatures) out.fill(0, sig.offset, sig.chainOffset + sig.chainSize);
    } else {
      const covered = (b: Uint8Array): Uint8Array => b.subarray(hash.offset, hash.offset + hash.signedSize);
      if (!bytesEqual(covered(prefix), covered(out)))
        options.onWarning?.({
          severity: 'warning',
          code: 'NV_MBN_SIGNATURE_STALE',
          message: `the container is signed (hash v${hash.version}) and its digest table changed: the kept signature no longer matches (fatal only if modem auth is fused); re-sign with the OEM keys, or build with --strip-signature for unsigned use`,
          offset: hash.offset,
        });
    }
  }
  return out;
}
