/**
 * `@nv/qcom-fsg-sign`: signed FSG images (MBN v3): container parsers, input recognition, image hash, certificate
 * chain parsing and the modem's verification. Pure and browser-safe; signing and key generation are in
 * `@nv/qcom-fsg-sign/node`.
 * @module
 */
export { FSG_ERROR_CODES } from './errors.ts';
export type { FsgFinding, FsgSeverity } from './errors.ts';
export {
  CERT_CHAIN_SIZE, IMG_MAGIC, IMG_PARTITION_IDS, IMG_SECTOR_SIZE, MBN_HEADER_SIZE, MBN_IMAGE_ID_EFS_TAR,
  checkImgSector, checkMbnHeader, detectSignedImage, encodeImgSector, encodeMbnHeader, isGzipHeader, isTarHeader,
  locateSignedImage, mbnArithmeticHolds, mbnLayout, parseImgSector, parseMbnHeader, signingHeader, unwrapPartitionImage,
  unwrapSignedImage,
} from './container.ts';
export type { ImgPartition, ImgSector, LocatedImage, MbnHeader, MbnLayout, SignedImageContainer, UnwrappedImage } from './container.ts';
export { META_KEYS, encodeEfsImageMeta, metaForPartition, parseEfsImageMeta } from './meta.ts';
export type { EfsImageMeta, MetaForPartition } from './meta.ts';
export { composeHwId, formatId, hasIdPadQuirk, imageHash, imageHashSteps, innerPad, outerPad, parseId } from './hash.ts';
export type { ImageHashAlgorithm, ImageHashSteps } from './hash.ts';
