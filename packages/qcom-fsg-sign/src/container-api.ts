/**
 * `@nv/qcom-fsg-sign/container`: the building blocks of a signed FSG image for readers and writers in other
 * packages (`@nv/qcom-efs` unwraps containers with them, the device simulator builds test partitions): the 40-byte
 * MBN v3 header, the 512-byte `.img` sector, and the one recognition of tar headers, gzip members and ELF program
 * headers on the FSG side (docs/formats/fsg.md#recognise). Pure and browser-safe.
 * @module
 */
export {
  IMG_MAGIC,
  IMG_SECTOR_SIZE,
  MBN_HEADER_SIZE,
  elfLayout,
  elfProgramHeader,
  encodeImgSector,
  encodeMbnHeader,
  hasElfMagic,
  hasGzipMagic,
  isGzipHeader,
  isTarHeader,
  parseMbnHeader,
  signingHeader,
  tarHeaderSum,
  unwrapPartitionImage,
} from './container.ts';
export type { ElfLayout, ElfProgramHeader, ImgPartition, LocatedImage, MbnHeader } from './container.ts';
