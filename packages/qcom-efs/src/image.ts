/**
 * Reading an EFS image out of whatever the user has (docs/formats/efs-tar.md#unwrap): tar, tar.gz, and — through
 * `unwrapSigned` (`@nv/qcom-fsg-sign`'s container parser) — `.mbn`, `.img` and whole `fsg` partition dumps.
 * @module
 */
import { NvError } from '@nv/core';
import { sha256Hex } from '@nv/core/hash';
import { detectSignedImage, unwrapSignedImage } from '@nv/qcom-fsg-sign';
import { elfLayout, elfProgramHeader, hasElfMagic, hasGzipMagic, isTarHeader } from '@nv/qcom-fsg-sign/container';
import { decodeGzip, encodeGzip, type DeflateBackend, type GunzipOptions, type GzipOptions } from './gzip.ts';
import { encodeEfsTar, tarToEfsTree, type TarDecodeOptions, type TarEncodeOptions, type TarMember } from './tar.ts';
import type { EfsEntryType, EfsTree, EfsWarning } from './tree.ts';

/** A signed-container unwrapper: returns the code (the tar.gz) inside an `.mbn`/`.img`/`fsg` dump, or `undefined` when `bytes` is none of them. */
export type SignedUnwrapper = (
  bytes: Uint8Array,
) => { container: string; codeOffset: number; code: Uint8Array } | undefined;

/** Options of {@link readEfsImage}. */
export interface ReadEfsImageOptions extends GunzipOptions, Omit<TarDecodeOptions, 'baseOffset'> {
  /** Unwraps `.mbn`/`.img`/`fsg`; default {@link unwrapFsgContainer} (`@nv/qcom-fsg-sign`'s parser, docs/formats/qcn.md#overview, docs/formats/efs-tar.md#unwrap). */
  readonly unwrapSigned?: SignedUnwrapper;
}

/** What {@link readEfsImage} found. */
export interface EfsImage {
  /** Containers from the outside in, e.g. `['img', 'mbn', 'gzip', 'tar']`. */
  readonly chain: string[];
  /** The tar bytes. */
  readonly tar: Uint8Array;
  readonly tree: EfsTree;
  readonly warnings: EfsWarning[];
  /** The raw tar members (names as read, typeflags, modes), for the tar-level lint. */
  readonly members?: readonly TarMember[];
}

/** Container names in the chain for each `@nv/qcom-fsg-sign` kind (docs/formats/efs-tar.md#unwrap: `partition>img>mbn>gzip>tar`). */
const CHAIN_NAMES: Readonly<Record<string, readonly string[]>> = {
  fsg: ['partition', 'img', 'mbn'],
  img: ['img', 'mbn'],
  mbn: ['mbn'],
};

/**
 * The default {@link SignedUnwrapper}: `@nv/qcom-fsg-sign`'s container parser (MBN v3 header, `.img` sector,
 * partition dumps); `undefined` when the bytes are none of them.
 * @throws NvError `NV_FSG_*` codes of a recognised but damaged container
 * @example unwrapFsgContainer(mbnBytes)?.codeOffset // 40
 */
export function unwrapFsgContainer(
  bytes: Uint8Array,
): { container: string; codeOffset: number; code: Uint8Array } | undefined {
  if (detectSignedImage(bytes) === undefined) return undefined;
  return unwrapSignedImage(bytes);
}

/**
 * The payload of an ELF-wrapped image: the first PT_LOAD segment whose bytes start with gzip or a tar header
 * (docs/formats/efs-tar.md#unwrap (5), inferred). ELF32/ELF64, little-endian.
 * @throws NvError `NV_EFS_CONTAINER_UNKNOWN` when no segment holds one, `NV_TRUNCATED` on a cut header
 */
function findElfPayload(b: Uint8Array, base: number): { bytes: Uint8Array; offset: number } {
  const none = (why: string): never => {
    throw new NvError('NV_EFS_CONTAINER_UNKNOWN', `ELF-wrapped image: ${why} (§3.12 (5))`, { offset: base });
  };
  const is64 = b[4] === 2;
  if ((b[4] !== 1 && b[4] !== 2) || b[5] !== 1) none('only little-endian ELF32/ELF64 is read');
  const need = (at: number, n: number): void => {
    if (at + n > b.length)
      throw new NvError('NV_TRUNCATED', 'the ELF header runs past the end of the file', { offset: base + b.length });
  };
  need(0, is64 ? 64 : 52);
  const layout = elfLayout(b);
  const { phoff, phentsize, phnum } = layout;
  if (phnum > 256 || phentsize < (is64 ? 56 : 32)) none(`${phnum} program headers of ${phentsize} bytes`);
  for (let i = 0; i < phnum; i++) {
    const at = phoff + i * phentsize;
    need(at, phentsize);
    const ph = elfProgramHeader(b, layout, i);
    if (ph.type !== 1) continue; // PT_LOAD
    const off = ph.offset;
    const size = ph.fileSize;
    if (off + size > b.length || size === 0) continue;
    const seg = b.subarray(off, off + size);
    if (hasGzipMagic(seg) || isTarHeader(seg)) return { bytes: seg, offset: off };
  }
  return none('no PT_LOAD segment holds a gzip or tar payload');
}

/**
 * Detects and unwraps an EFS image (docs/formats/efs-tar.md#unwrap), returning the chain, the tar and the EFS tree.
 * Order: signed containers (`.mbn`, `.img`, `fsg` dump via `@nv/qcom-fsg-sign`), `1F 8B` gzip, a valid tar header, all `00`/`FF` (empty), else unknown.
 * @throws NvError `NV_EFS_CONTAINER_UNKNOWN`, gzip and tar codes, `NV_LIMIT`
 * @example const { chain, tree } = readEfsImage(bytes, backend);
 */
export function readEfsImage(bytes: Uint8Array, backend: DeflateBackend, options: ReadEfsImageOptions = {}): EfsImage {
  const chain: string[] = [];
  const warnings: EfsWarning[] = [];
  let view = bytes;
  let base = 0;
  for (let depth = 0; depth < 4; depth++) {
    const signed = (options.unwrapSigned ?? unwrapFsgContainer)(view);
    if (signed === undefined) break;
    chain.push(...(CHAIN_NAMES[signed.container] ?? [signed.container]));
    base += signed.codeOffset;
    view = signed.code;
  }
  return payloadToImage(view, base, backend, options, chain, warnings);
}

function payloadToImage(
  view: Uint8Array,
  base: number,
  backend: DeflateBackend,
  options: ReadEfsImageOptions,
  chain: string[],
  warnings: EfsWarning[],
): EfsImage {
  let tar: Uint8Array;
  let tarBase = base;
  if (hasGzipMagic(view)) {
    chain.push('gzip');
    const gz = decodeGzip(view, backend, { ...options, baseOffset: base });
    for (const w of gz.warnings) warnings.push(w);
    tar = gz.data;
    tarBase = 0; // offsets inside a decompressed tar are tar offsets (docs/formats/qcn.md#validation)
  } else if (isTarHeader(view)) {
    tar = view;
  } else if (hasElfMagic(view)) {
    // ELF-wrapped (newer SoCs, docs/formats/efs-tar.md#unwrap (5), inferred): the first PT_LOAD segment holding a gzip or tar.
    const seg = findElfPayload(view, base);
    chain.push('elf');
    // The segment starts with gzip or tar (findElfPayload checks), so this recursion ends at once.
    return payloadToImage(seg.bytes, base + seg.offset, backend, options, chain, warnings);
  } else if (view.every((b) => b === 0) || view.every((b) => b === 0xff)) {
    throw new NvError(
      'NV_EFS_CONTAINER_UNKNOWN',
      `the ${chain.length > 0 ? 'payload' : 'file'} is all 00 or FF: an erased partition, no EFS image`,
      { offset: base },
    );
  } else {
    throw new NvError(
      'NV_EFS_CONTAINER_UNKNOWN',
      'no known signature (tar, gzip, .mbn, .img); modemst1/2 and fsc dumps are device-encrypted EFS, not images',
      { offset: base },
    );
  }
  chain.push('tar');
  const { tree, warnings: tw, members } = tarToEfsTree(tar, { ...options, baseOffset: tarBase });
  for (const w of tw) warnings.push(w); // not push(...tw): a tar of 10⁵ suspect entries overflowed the stack
  return { chain, tar, tree, warnings, members };
}

/** One row of `nv qcom efs ls` (cli.md). */
export interface EfsListEntry {
  readonly path: string;
  readonly type: EfsEntryType;
  /** Full mode in octal text (`0160777`). */
  readonly mode: string;
  readonly size: number;
  /** SHA-256 of the data (empty string for dirs and symlinks). */
  readonly sha256: string;
  readonly target?: string;
}

/**
 * Rows for listing (cli.md `efs ls`), in the tree's order.
 * @example listEfsTree(tree)[0] // { path: '/', type: 'dir', mode: '0040777', size: 0, sha256: '' }
 */
export function listEfsTree(tree: EfsTree): EfsListEntry[] {
  return tree.entries.map((e) => ({
    path: e.path,
    type: e.type,
    mode: e.mode.toString(8).padStart(7, '0'),
    size: e.data?.length ?? 0,
    sha256: e.data !== undefined ? sha256Hex(e.data) : '',
    ...(e.target !== undefined ? { target: e.target } : {}),
  }));
}

/** Options of {@link packEfsImage}. */
export interface PackEfsImageOptions extends TarEncodeOptions, GzipOptions {
  /** `false`: the plain device tar (default: gzip it, the `fs_image.tar.gz`). */
  readonly gzip?: boolean;
}

/** What {@link packEfsImage} made. */
export interface PackedEfsImage {
  /** The `fs_image.tar.gz` (or the tar with `gzip: false`). */
  readonly bytes: Uint8Array<ArrayBuffer>;
  /** Tar members written (the root included). */
  readonly entries: number;
  readonly tarBytes: number;
  readonly warnings: EfsWarning[];
}

/**
 * Packs an EFS tree into the device's `fs_image.tar.gz` in memory (docs/formats/efs-tar.md#pack, #compress): V7 tar in
 * device order, gzip with the packer's fixed header. `writeEfsImageFile` of `@nv/qcom-efs/node` writes the same bytes
 * to a file.
 * @throws NvError `NV_EFS_BAD_PATH`, `NV_EFS_TAR_NAME_TOO_LONG`
 * @example const { bytes } = packEfsImage(tree, NODE_DEFLATE);
 */
export function packEfsImage(
  tree: EfsTree,
  backend: DeflateBackend,
  options: PackEfsImageOptions = {},
): PackedEfsImage {
  const { tar, entries, warnings } = encodeEfsTar(tree, options);
  const bytes = options.gzip === false ? tar : encodeGzip(tar, backend, options);
  return { bytes, entries, tarBytes: tar.length, warnings };
}
