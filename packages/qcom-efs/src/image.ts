/**
 * Reading an EFS image out of whatever the user has (`qcom-efs.md` §3.12): tar, tar.gz, and — through
 * `unwrapSigned` (`@nv/qcom-fsg-sign`'s container parser) — `.mbn`, `.img` and whole `fsg` partition dumps.
 * @module
 */
import { NvError, sha256Hex } from '@nv/core';
import { detectSignedImage, unwrapSignedImage } from '@nv/qcom-fsg-sign';
import { decodeGzip, type DeflateBackend, type GunzipOptions } from './gzip.ts';
import { TAR_BLOCK, tarToEfsTree, type TarDecodeOptions } from './tar.ts';
import type { EfsEntryType, EfsTree, EfsWarning } from './tree.ts';

/** A signed-container unwrapper: returns the code (the tar.gz) inside an `.mbn`/`.img`/`fsg` dump, or `undefined` when `bytes` is none of them. */
export type SignedUnwrapper = (bytes: Uint8Array) => { container: string; codeOffset: number; code: Uint8Array } | undefined;

/** Options of {@link readEfsImage}. */
export interface ReadEfsImageOptions extends GunzipOptions, Omit<TarDecodeOptions, 'baseOffset'> {
  /** Unwraps `.mbn`/`.img`/`fsg`; default {@link unwrapFsgContainer} (`@nv/qcom-fsg-sign`'s parser, §1, §3.12). */
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
}

/** Container names in the chain for each `@nv/qcom-fsg-sign` kind (§3.12: `partition>img>mbn>gzip>tar`). */
const CHAIN_NAMES: Readonly<Record<string, readonly string[]>> = { fsg: ['partition', 'img', 'mbn'], img: ['img', 'mbn'], mbn: ['mbn'] };

/**
 * The default {@link SignedUnwrapper}: `@nv/qcom-fsg-sign`'s container parser (MBN v3 header, `.img` sector,
 * partition dumps); `undefined` when the bytes are none of them.
 * @throws NvError `NV_FSG_*` codes of a recognised but damaged container
 * @example unwrapFsgContainer(mbnBytes)?.codeOffset // 40
 */
export function unwrapFsgContainer(bytes: Uint8Array): { container: string; codeOffset: number; code: Uint8Array } | undefined {
  if (detectSignedImage(bytes) === undefined) return undefined;
  return unwrapSignedImage(bytes);
}

function isTarHeader(b: Uint8Array): boolean {
  if (b.length < TAR_BLOCK || b[0] === 0) return false;
  let sum = 0;
  for (let i = 0; i < TAR_BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (b[i] as number);
  const field = String.fromCharCode(...b.subarray(148, 156)).replace(/[\0 ]/g, '');
  return /^[0-7]+$/.test(field) && parseInt(field, 8) === sum;
}

/**
 * Detects and unwraps an EFS image (§3.12), returning the chain, the tar and the EFS tree.
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
  let tar: Uint8Array;
  let tarBase = base;
  if (view[0] === 0x1f && view[1] === 0x8b) {
    chain.push('gzip');
    const gz = decodeGzip(view, backend, { ...options, baseOffset: base });
    warnings.push(...gz.warnings);
    tar = gz.data;
    tarBase = 0; // offsets inside a decompressed tar are tar offsets (§4)
  } else if (isTarHeader(view)) {
    tar = view;
  } else if (view.length > 0 && view[0] === 0x7f && view[1] === 0x45 && view[2] === 0x4c && view[3] === 0x46) {
    throw new NvError('NV_EFS_CONTAINER_UNKNOWN', 'ELF-wrapped EFS images (newer SoCs) are not supported yet: no payload found (§3.12 (5))', { offset: base });
  } else if (view.every((b) => b === 0) || view.every((b) => b === 0xff)) {
    throw new NvError('NV_EFS_CONTAINER_UNKNOWN', `the ${chain.length > 0 ? 'payload' : 'file'} is all 00 or FF: an erased partition, no EFS image`, { offset: base });
  } else {
    throw new NvError('NV_EFS_CONTAINER_UNKNOWN', 'no known signature (tar, gzip, .mbn, .img); modemst1/2 and fsc dumps are device-encrypted EFS, not images', { offset: base });
  }
  chain.push('tar');
  const { tree, warnings: tw } = tarToEfsTree(tar, { ...options, baseOffset: tarBase });
  warnings.push(...tw);
  return { chain, tar, tree, warnings };
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
