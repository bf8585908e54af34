/**
 * MBN v3 40-byte header (docs/formats/fsg.md#mbn-header), the 512-byte `.img` sector (docs/formats/fsg.md#img-sector) and input recognition (docs/formats/fsg.md#recognise).
 * Pure and browser-safe.
 * @module
 */
import { NvError } from '@nv/core';
import { ByteWriter, bytesEqual, encodeLatin1 } from '@nv/core/bytes';
import type { FsgFinding } from './errors.ts';

/** Size of the MBN v3 header. */
export const MBN_HEADER_SIZE = 40;
/** Size of the `.img` sector the modem skips (docs/formats/fsg.md#img-sector). */
export const IMG_SECTOR_SIZE = 512;
/** Image id of an FSG image (`image_id` of the inner MBN header). */
export const MBN_IMAGE_ID_EFS_TAR = 27;
/** Fixed certificate chain size written by `sign` (QDST: 3 slots of 2 KiB, docs/formats/fsg.md#chain). */
export const CERT_CHAIN_SIZE = 6144;
/** ASCII magic at 0x28 of the `.img` sector (docs/formats/fsg.md#img-sector; 20 bytes, no NUL). */
export const IMG_MAGIC: Uint8Array = encodeLatin1('IMGEFS- SIGNED_IMAGE');
/** Image ids of the `.img` sector per partition (docs/formats/fsg.md#img-sector). */
export const IMG_PARTITION_IDS: Readonly<Record<ImgPartition, number>> = Object.freeze({ FSG: 20, FS1: 16, FS2: 17 });

/** Which partition an `.img` is built for: FSG (golden copy), FS1 (modemst1), FS2 (modemst2). */
export type ImgPartition = 'FSG' | 'FS1' | 'FS2';

/** The ten u32 LE words of an MBN v3 header (docs/formats/fsg.md#mbn-header). */
export interface MbnHeader {
  imageId: number;
  version: number;
  imageSrc: number;
  imageDest: number;
  imageSize: number;
  codeSize: number;
  signaturePtr: number;
  signatureSize: number;
  certChainPtr: number;
  certChainSize: number;
}

const FIELDS = [
  'imageId',
  'version',
  'imageSrc',
  'imageDest',
  'imageSize',
  'codeSize',
  'signaturePtr',
  'signatureSize',
  'certChainPtr',
  'certChainSize',
] as const;

function u32(bytes: Uint8Array, at: number): number {
  return (
    ((bytes[at] as number) |
      ((bytes[at + 1] as number) << 8) |
      ((bytes[at + 2] as number) << 16) |
      ((bytes[at + 3] as number) << 24)) >>>
    0
  );
}

/**
 * Reads the 40-byte MBN v3 header at `offset` (no checks beyond length).
 * @throws NvError `NV_TRUNCATED` when fewer than 40 bytes are left.
 * @example
 * parseMbnHeader(mbn).codeSize
 */
export function parseMbnHeader(bytes: Uint8Array, offset = 0, path?: string): MbnHeader {
  if (offset < 0 || offset + MBN_HEADER_SIZE > bytes.length) {
    throw new NvError(
      'NV_TRUNCATED',
      `need 40 bytes for the MBN v3 header at ${offset}, have ${Math.max(0, bytes.length - offset)}`,
      { offset, path },
    );
  }
  const h = {} as MbnHeader;
  FIELDS.forEach((f, i) => {
    h[f] = u32(bytes, offset + 4 * i);
  });
  return h;
}

/**
 * Encodes an MBN v3 header (40 bytes, u32 LE).
 * @throws RangeError when a field is not a u32.
 * @example
 * encodeMbnHeader(signingHeader(141, 256)) // 1b000000 03000000 28000000 …
 */
export function encodeMbnHeader(header: MbnHeader): Uint8Array<ArrayBuffer> {
  const w = new ByteWriter(MBN_HEADER_SIZE);
  for (const f of FIELDS) {
    const v = header[f];
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new RangeError(`MBN header ${f} must be a u32, got ${v}`);
    w.u32le(v);
  }
  return w.finish();
}

/**
 * The header `sign` writes: `(27, 3, 40, 0, code+k+chain, code, code, k, code+k, chain)` (docs/formats/fsg.md#keygen-sign-img step 4).
 * @throws RangeError when sizes are not u32 or the sum overflows.
 * @example
 * signingHeader(141, 256).imageSize // 6541
 */
export function signingHeader(
  codeSize: number,
  signatureSize: number,
  certChainSize: number = CERT_CHAIN_SIZE,
): MbnHeader {
  const imageSize = codeSize + signatureSize + certChainSize;
  if (imageSize + MBN_HEADER_SIZE > 0xffffffff)
    throw new RangeError(`image of ${imageSize} bytes does not fit a u32 size`);
  return {
    imageId: MBN_IMAGE_ID_EFS_TAR,
    version: 3,
    imageSrc: MBN_HEADER_SIZE,
    imageDest: 0,
    imageSize,
    codeSize,
    signaturePtr: codeSize,
    signatureSize,
    certChainPtr: codeSize + signatureSize,
    certChainSize,
  };
}

/** File offsets (relative to the header start) of the parts of an MBN v3 image. */
export interface MbnLayout {
  codeOffset: number;
  signatureOffset: number;
  certChainOffset: number;
  /** 40 + image_size: the length of the `.mbn`. */
  totalSize: number;
}

/**
 * True when the docs/formats/fsg.md#mbn-header pointer arithmetic holds (sizes exact or SecTools align4).
 * @example
 * mbnArithmeticHolds(signingHeader(141, 256)) // true
 */
export function mbnArithmeticHolds(h: MbnHeader): boolean {
  if (h.version !== 3 || h.imageSrc !== MBN_HEADER_SIZE || h.codeSize === 0) return false;
  if (h.signaturePtr !== h.imageDest + h.codeSize) return false;
  if (h.certChainPtr !== h.signaturePtr + h.signatureSize) return false;
  const sum = h.codeSize + h.signatureSize + h.certChainSize;
  const aligned = Math.ceil(sum / 4) * 4;
  return h.imageSize === sum || h.imageSize === aligned;
}

/**
 * Layout of an MBN v3 image; pointers count from the header end (file offset = 40 + ptr − dest, docs/formats/fsg.md#mbn-header).
 * @throws NvError `NV_FSG_HEADER_SIZES` when the arithmetic does not hold.
 * @example
 * mbnLayout(parseMbnHeader(mbn)).signatureOffset
 */
export function mbnLayout(h: MbnHeader, base = 0, path?: string): MbnLayout {
  if (!mbnArithmeticHolds(h)) {
    throw new NvError(
      'NV_FSG_HEADER_SIZES',
      `MBN v3 header sizes do not add up: code ${h.codeSize}, signature_ptr ${h.signaturePtr}, signature ${h.signatureSize}, cert_chain_ptr ${h.certChainPtr}, chain ${h.certChainSize}, image_size ${h.imageSize}`,
      { offset: base, path, data: { ...h } },
    );
  }
  return {
    codeOffset: MBN_HEADER_SIZE,
    signatureOffset: MBN_HEADER_SIZE + h.signaturePtr - h.imageDest,
    certChainOffset: MBN_HEADER_SIZE + h.certChainPtr - h.imageDest,
    totalSize: MBN_HEADER_SIZE + h.imageSize,
  };
}

/**
 * `verify`'s header findings (docs/formats/fsg.md#mbn-header table).
 * @example
 * checkMbnHeader(parseMbnHeader(mbn), mbn.length)
 */
export function checkMbnHeader(h: MbnHeader, available: number, base = 0): FsgFinding[] {
  const out: FsgFinding[] = [];
  const f = (severity: FsgFinding['severity'], code: string, message: string, field: number): void => {
    out.push({ severity, code, message, offset: base + 4 * field });
  };
  if (h.imageId !== MBN_IMAGE_ID_EFS_TAR)
    f('warning', 'NV_FSG_HEADER_FIELD', `image_id is ${h.imageId}, expected 27 (the modem ignores it, inferred)`, 0);
  if (h.version !== 3) f('warning', 'NV_FSG_HEADER_FIELD', `header_vsn_num is ${h.version}, expected 3`, 1);
  if (h.imageSrc !== MBN_HEADER_SIZE) f('error', 'NV_FSG_HEADER_FIELD', `image_src is ${h.imageSrc}, must be 40`, 2);
  if (h.imageDest !== 0)
    f('error', 'NV_FSG_HEADER_FIELD', `image_dest_ptr is 0x${h.imageDest.toString(16)}, must be 0`, 3);
  if (!mbnArithmeticHolds({ ...h, version: 3, imageSrc: MBN_HEADER_SIZE }))
    f(
      'error',
      'NV_FSG_HEADER_SIZES',
      `sizes do not add up: image_size ${h.imageSize} vs code ${h.codeSize} + signature ${h.signatureSize} + chain ${h.certChainSize}, signature_ptr ${h.signaturePtr}, cert_chain_ptr ${h.certChainPtr}`,
      4,
    );
  else if (MBN_HEADER_SIZE + h.imageSize > available)
    f(
      'error',
      'NV_FSG_HEADER_SIZES',
      `the header says the image is ${MBN_HEADER_SIZE + h.imageSize} bytes, only ${available} are there`,
      4,
    );
  return out;
}

// ---------------------------------------------------------------------------------------------
// .img sector (docs/formats/fsg.md#img-sector)

/** The fields of a 512-byte `.img` sector. */
export interface ImgSector {
  imageId: number;
  version: number;
  imageSrc: number;
  /** image_dest_ptr: `<P>_RAM_ADDR + 512`, or 0. */
  dest: number;
  imageSize: number;
  codeSize: number;
  /** True when the 16 bytes at 0x18 and the fill after the magic are all zero. */
  fillZero: boolean;
  /** True when the magic is at 0x28. */
  magicOk: boolean;
}

/**
 * Encodes the `.img` sector for an `.mbn` of `mbnSize` bytes (docs/formats/fsg.md#img-sector).
 * @throws RangeError for ids/sizes/dest outside u32.
 * @example
 * encodeImgSector({ mbnSize: 6581 }) // 14000000 03000000 d8010000 00000000 b5190000 b5190000 …
 */
export function encodeImgSector(options: {
  mbnSize: number;
  dest?: number;
  partition?: ImgPartition;
}): Uint8Array<ArrayBuffer> {
  const { mbnSize, dest = 0, partition = 'FSG' } = options;
  const id = IMG_PARTITION_IDS[partition];
  if (id === undefined) throw new RangeError(`partition must be FSG, FS1 or FS2, got ${String(partition)}`);
  const out = new Uint8Array(IMG_SECTOR_SIZE);
  const dv = new DataView(out.buffer);
  for (const [i, v] of [id, 3, IMG_SECTOR_SIZE - MBN_HEADER_SIZE, dest, mbnSize, mbnSize].entries()) {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff)
      throw new RangeError(`.img sector word ${i} must be a u32, got ${v}`);
    dv.setUint32(4 * i, v, true);
  }
  out.set(IMG_MAGIC, 0x28);
  return out;
}

/**
 * Reads a `.img` sector (no checks; see {@link checkImgSector}).
 * @throws NvError `NV_TRUNCATED` when fewer than 512 bytes.
 * @example
 * parseImgSector(img).dest
 */
export function parseImgSector(bytes: Uint8Array, path?: string): ImgSector {
  if (bytes.length < IMG_SECTOR_SIZE)
    throw new NvError('NV_TRUNCATED', `need 512 bytes for the .img sector, have ${bytes.length}`, { offset: 0, path });
  let fillZero = true;
  for (let i = 0x18; i < 0x28; i++) if (bytes[i] !== 0) fillZero = false;
  for (let i = 0x28 + IMG_MAGIC.length; i < IMG_SECTOR_SIZE; i++) if (bytes[i] !== 0) fillZero = false;
  return {
    imageId: u32(bytes, 0),
    version: u32(bytes, 4),
    imageSrc: u32(bytes, 8),
    dest: u32(bytes, 12),
    imageSize: u32(bytes, 16),
    codeSize: u32(bytes, 20),
    fillZero,
    magicOk: bytesEqual(bytes.subarray(0x28, 0x28 + IMG_MAGIC.length), IMG_MAGIC),
  };
}

/**
 * `verify`'s `IMG_SECTOR` warnings (docs/formats/fsg.md#img-sector): non-zero fill, sizes ≠ len(.mbn), id not 16/17/20.
 * @example
 * checkImgSector(parseImgSector(img), mbnLength)
 */
export function checkImgSector(s: ImgSector, mbnSize: number): FsgFinding[] {
  const out: FsgFinding[] = [];
  const w = (message: string, offset: number): void => {
    out.push({ severity: 'warning', code: 'NV_FSG_IMG_SECTOR', message, offset });
  };
  if (![16, 17, 20].includes(s.imageId))
    w(`.img sector image id is ${s.imageId}, expected 20 (FSG), 16 (FS1) or 17 (FS2)`, 0);
  if (s.version !== 3 || s.imageSrc !== 472)
    w(`.img sector words 1,2 are ${s.version},${s.imageSrc}, expected 3,472`, 4);
  if (s.imageSize !== mbnSize || s.codeSize !== mbnSize)
    w(`.img sector sizes are ${s.imageSize}/${s.codeSize}, the .mbn is ${mbnSize} bytes`, 16);
  if (!s.fillZero) w('.img sector fill is not all zero', 0x18);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Input recognition (docs/formats/fsg.md#recognise)

/** The three containers of a signed FSG image. */
export type SignedImageContainer = 'mbn' | 'img' | 'fsg';

function magicAt40(bytes: Uint8Array): boolean {
  return (
    bytes.length >= 0x28 + IMG_MAGIC.length && bytesEqual(bytes.subarray(0x28, 0x28 + IMG_MAGIC.length), IMG_MAGIC)
  );
}

function looksLikeMbn(bytes: Uint8Array, at: number): boolean {
  if (bytes.length < at + MBN_HEADER_SIZE) return false;
  return mbnArithmeticHolds(parseMbnHeader(bytes, at));
}

/**
 * Recognises a signed FSG image (docs/formats/fsg.md#recognise rows 1–2): `'img'` (sector + `.mbn`, nothing after it), `'fsg'` (a partition
 * dump: sector + `.mbn` + fill), `'mbn'` (bare MBN v3). `undefined` for anything else. Never throws.
 * @example
 * detectSignedImage(bytes) // 'img'
 */
export function detectSignedImage(bytes: Uint8Array): SignedImageContainer | undefined {
  if (magicAt40(bytes)) {
    if (!looksLikeMbn(bytes, IMG_SECTOR_SIZE)) return undefined;
    const h = parseMbnHeader(bytes, IMG_SECTOR_SIZE);
    return bytes.length > IMG_SECTOR_SIZE + MBN_HEADER_SIZE + h.imageSize ? 'fsg' : 'img';
  }
  return looksLikeMbn(bytes, 0) ? 'mbn' : undefined;
}

/**
 * True when a ustar/v7 tar header at 0 has a valid checksum (docs/formats/fsg.md#recognise row 5, docs/formats/fsg.md#modem-checks step 18).
 * @example
 * isTarHeader(tarBytes) // true
 */
export function isTarHeader(bytes: Uint8Array): boolean {
  if (bytes.length < 512 || bytes[0] === 0) return false;
  const text = String.fromCharCode(...bytes.subarray(148, 156))
    .replace(/[\0 ]+$/, '')
    .trim();
  if (!/^[0-7]{1,8}$/.test(text)) return false;
  return tarHeaderSum(bytes) === parseInt(text, 8);
}

/**
 * The checksum of the 512-byte tar header at `at`: the byte sum with the checksum field (148–155) counted as spaces.
 * The one implementation of the rule: the tar writer and reader of `@nv/qcom-efs` and the device simulator call it.
 * @example
 * tarHeaderSum(new Uint8Array(512)) // 256 (eight spaces)
 */
export function tarHeaderSum(bytes: Uint8Array, at = 0): number {
  let sum = 256; // 8 × 0x20 for the checksum field
  for (let i = at; i < at + 148; i++) sum += bytes[i] as number;
  for (let i = at + 156; i < at + 512; i++) sum += bytes[i] as number;
  return sum;
}

/**
 * True when `bytes[at]`, `bytes[at + 1]` are the gzip magic `1F 8B` (RFC 1952); nothing else is checked.
 * @example
 * hasGzipMagic(Uint8Array.of(0x1f, 0x8b)) // true
 */
export function hasGzipMagic(bytes: Uint8Array, at = 0): boolean {
  return bytes[at] === 0x1f && bytes[at + 1] === 0x8b;
}

/**
 * True for a gzip member header the modem's gunzip accepts: `1F 8B 08`, reserved flags 0 (docs/formats/fsg.md#modem-checks step 18).
 * @example
 * isGzipHeader(hexToBytes('1f8b08000000000000ff')) // true
 */
export function isGzipHeader(bytes: Uint8Array): boolean {
  return bytes.length >= 10 && hasGzipMagic(bytes) && bytes[2] === 8 && ((bytes[3] as number) & 0xe0) === 0;
}

/**
 * True when `bytes` start with the ELF magic `7F 45 4C 46`.
 * @example hasElfMagic(Uint8Array.of(0x7f, 0x45, 0x4c, 0x46)) // true
 */
export function hasElfMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x7f && bytes[1] === 0x45 && bytes[2] === 0x4c && bytes[3] === 0x46;
}

/** Where the program-header table of an ELF file is (from its ELF header); see {@link elfLayout}. */
export interface ElfLayout {
  /** `EI_CLASS` = 2 (ELF64); anything else is read as ELF32. */
  is64: boolean;
  /** `e_phoff`, `e_phentsize`, `e_phnum`. */
  phoff: number;
  phentsize: number;
  phnum: number;
}

/** One program header; see {@link elfProgramHeader}. */
export interface ElfProgramHeader {
  /** `p_type` (0 = PT_NULL, 1 = PT_LOAD). */
  type: number;
  /** `p_flags` (Qualcomm keeps the segment kind in bits 24–26: 2 = hash segment). */
  flags: number;
  /** `p_offset`, `p_filesz`. */
  offset: number;
  fileSize: number;
}

/**
 * Reads `e_phoff`/`e_phentsize`/`e_phnum` of a little-endian ELF32/ELF64 header. The one ELF program-header walk of
 * the FSG side: this package (MBN version of an ELF image) and `@nv/qcom-efs` (ELF-wrapped EFS images) call it;
 * callers check `EI_DATA`, the header length and their own limits. `@nv/qcom-mbn` keeps its strict ELF32 reader.
 * @throws RangeError when `bytes` is shorter than the ELF header
 * @example
 * const l = elfLayout(bytes); for (let i = 0; i < l.phnum; i++) elfProgramHeader(bytes, l, i)
 */
export function elfLayout(bytes: Uint8Array): ElfLayout {
  const is64 = bytes[4] === 2;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return {
    is64,
    phoff: is64 ? Number(dv.getBigUint64(32, true)) : dv.getUint32(28, true),
    phentsize: dv.getUint16(is64 ? 54 : 42, true),
    phnum: dv.getUint16(is64 ? 56 : 44, true),
  };
}

/**
 * Program header `i` of a little-endian ELF32/ELF64 file (`e_phoff + i × e_phentsize`).
 * @throws RangeError when the header runs past the end of `bytes`
 * @example elfProgramHeader(bytes, elfLayout(bytes), 0).type // 6 (PT_PHDR) or 0 (PT_NULL) …
 */
export function elfProgramHeader(bytes: Uint8Array, layout: ElfLayout, i: number): ElfProgramHeader {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const p = layout.phoff + i * layout.phentsize;
  const is64 = layout.is64;
  return {
    type: dv.getUint32(p, true),
    flags: dv.getUint32(is64 ? p + 4 : p + 24, true),
    offset: is64 ? Number(dv.getBigUint64(p + 8, true)) : dv.getUint32(p + 4, true),
    fileSize: is64 ? Number(dv.getBigUint64(p + 32, true)) : dv.getUint32(p + 16, true),
  };
}

function elfMbnVersion(bytes: Uint8Array): number | undefined {
  // ELF32/64 LE: find the PT_NULL program header whose (p_flags>>24)&7 = 2 (hash segment); MBN version at +4 of its data.
  try {
    if (bytes[5] !== 1) return undefined;
    const layout = elfLayout(bytes);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const phnum = Math.min(layout.phnum, 64);
    for (let i = 0; i < phnum; i++) {
      const ph = elfProgramHeader(bytes, layout, i);
      if (ph.type === 0 && ((ph.flags >>> 24) & 7) === 2) return dv.getUint32(ph.offset + 4, true);
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/**
 * Throws the docs/formats/fsg.md#recognise error for bytes that are not a signed image (rows 3–7).
 * @throws NvError `NV_FSG_ELF_UNSUPPORTED`, `NV_FSG_MBN80_UNSUPPORTED`, `NV_FSG_UNSIGNED`, `NV_FSG_EMPTY`, `NV_FSG_NOT_MBN`.
 */
function rejectUnrecognised(bytes: Uint8Array, path?: string): never {
  if (hasElfMagic(bytes)) {
    const v = elfMbnVersion(bytes);
    const ver = v === undefined ? 'unknown MBN version' : `MBN v${v}${v >= 6 ? ' (SHA-384)' : ''}`;
    throw new NvError(
      'NV_FSG_ELF_UNSUPPORTED',
      `this is an ELF image (${ver}), not a 40-byte MBN v3 FSG image; use SecTools v2 EFS-TAR or \`nv qcom mbn\``,
      { offset: 0, path, data: { mbnVersion: v ?? null } },
    );
  }
  if (bytes.length >= 8 && u32(bytes, 4) === 0x73d71034) {
    throw new NvError(
      'NV_FSG_MBN80_UNSUPPORTED',
      'this file has the legacy 80-byte MBN header (magic 0x73D71034 at 4), not the 40-byte MBN v3 header',
      { offset: 4, path },
    );
  }
  if ((bytes.length >= 3 && hasGzipMagic(bytes) && bytes[2] === 8) || isTarHeader(bytes)) {
    throw new NvError(
      'NV_FSG_UNSIGNED',
      'this is a plain tar/gzip, not a signed image; sign it with `nv qcom fsg sign`',
      { offset: 0, path },
    );
  }
  if (bytes.length > 0 && (bytes.every((b) => b === 0) || bytes.every((b) => b === 0xff))) {
    throw new NvError('NV_FSG_EMPTY', `the file is all 0x${bytes[0] === 0 ? '00' : 'FF'} (an erased partition)`, {
      offset: 0,
      path,
    });
  }
  throw new NvError(
    'NV_FSG_NOT_MBN',
    'no MBN v3 header and no .img sector (IMGEFS- SIGNED_IMAGE at 0x28); the file may be device-encrypted EFS (modemst1/2) or another format',
    { offset: 0, path },
  );
}

/** The result of {@link unwrapSignedImage}. */
export interface UnwrappedImage {
  container: SignedImageContainer;
  /** Absolute offset of the code (tar.gz) in the input. */
  codeOffset: number;
  /** The signed payload (fs_image.tar.gz with its tail), a view into the input. */
  code: Uint8Array;
}

/** Everything {@link locateSignedImage} finds: the unwrap result plus the MBN bounds. */
export interface LocatedImage extends UnwrappedImage {
  /** Absolute offset of the MBN v3 header (0 or 512). */
  mbnOffset: number;
  /** The `.mbn` (40 + image_size bytes), a view. */
  mbn: Uint8Array;
  header: MbnHeader;
  /** Bytes after the `.mbn` in an `fsg` dump. */
  trailingBytes: number;
}

/**
 * Finds the `.mbn` in a bare `.mbn`, `.img` or `fsg` dump (docs/formats/fsg.md#recognise) and checks its bounds.
 * @throws NvError docs/formats/fsg.md#recognise codes, `NV_FSG_HEADER_SIZES`, `NV_TRUNCATED`.
 * @example
 * locateSignedImage(bytes).mbn
 */
export function locateSignedImage(bytes: Uint8Array, path?: string): LocatedImage {
  let mbnOffset: number;
  if (magicAt40(bytes)) {
    mbnOffset = IMG_SECTOR_SIZE;
    if (bytes.length < IMG_SECTOR_SIZE + MBN_HEADER_SIZE)
      throw new NvError(
        'NV_TRUNCATED',
        `.img sector found but the file ends at ${bytes.length}, before the MBN header at 512`,
        { offset: bytes.length, path },
      );
    const h = parseMbnHeader(bytes, mbnOffset, path);
    if (!mbnArithmeticHolds(h))
      throw new NvError('NV_FSG_NOT_MBN', 'the .img sector is there but no MBN v3 header at offset 512', {
        offset: mbnOffset,
        path,
        data: { ...h },
      });
  } else if (looksLikeMbn(bytes, 0)) {
    mbnOffset = 0;
  } else {
    rejectUnrecognised(bytes, path);
  }
  const header = parseMbnHeader(bytes, mbnOffset, path);
  const layout = mbnLayout(header, mbnOffset, path);
  const end = mbnOffset + layout.totalSize;
  if (end > bytes.length)
    throw new NvError(
      'NV_TRUNCATED',
      `the MBN header says the image ends at ${end}, the file has ${bytes.length} bytes`,
      { offset: bytes.length, path, data: { expected: end } },
    );
  const container: SignedImageContainer = mbnOffset === 0 ? 'mbn' : end < bytes.length ? 'fsg' : 'img';
  const codeOffset = mbnOffset + MBN_HEADER_SIZE;
  return {
    container,
    codeOffset,
    code: bytes.subarray(codeOffset, codeOffset + header.codeSize),
    mbnOffset,
    mbn: bytes.subarray(mbnOffset, end),
    header,
    trailingBytes: bytes.length - end,
  };
}

/**
 * Returns the signed payload (fs_image.tar.gz incl. its tail) of a `.mbn`, `.img` or `fsg` dump, as a view.
 * Does not verify the signature (see `verifySignedImage`).
 * @throws NvError `NV_FSG_ELF_UNSUPPORTED`, `NV_FSG_MBN80_UNSUPPORTED`, `NV_FSG_UNSIGNED`, `NV_FSG_EMPTY`,
 *   `NV_FSG_NOT_MBN`, `NV_FSG_HEADER_SIZES`, `NV_TRUNCATED`.
 * @example
 * const { container, codeOffset, code } = unwrapSignedImage(bytes);
 */
export function unwrapSignedImage(bytes: Uint8Array): UnwrappedImage {
  const { container, codeOffset, code } = locateSignedImage(bytes);
  return { container, codeOffset, code };
}

/**
 * For partition images (`sim`, `--as-partition`): a bare `.mbn` is an error, the modem skips 512 bytes (docs/formats/fsg.md#recognise row 2).
 * @throws NvError `NV_FSG_IMG_SECTOR_MISSING` and the {@link unwrapSignedImage} codes.
 * @example
 * unwrapPartitionImage(fsgDump).code
 */
export function unwrapPartitionImage(bytes: Uint8Array, path?: string): LocatedImage {
  const located = locateSignedImage(bytes, path);
  if (located.container === 'mbn')
    throw new NvError(
      'NV_FSG_IMG_SECTOR_MISSING',
      'this is a bare .mbn; the modem skips the first 512 bytes of fsg, so wrap it with `nv qcom fsg img` first',
      { offset: 0, path },
    );
  return located;
}
