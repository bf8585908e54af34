/**
 * `@nv/qcom-fsg-sign`: signed FSG images (MBN v3): container parsers, input recognition, image hash, certificate
 * chain parsing and the modem's verification. Pure and browser-safe; signing and key generation are in
 * `@nv/qcom-fsg-sign/node`.
 * @module
 */
export { FSG_ERROR_CODES } from './errors.ts';
export type { FsgFinding, FsgSeverity } from './errors.ts';
export {
  CERT_CHAIN_SIZE,
  IMG_MAGIC,
  IMG_PARTITION_IDS,
  IMG_SECTOR_SIZE,
  MBN_HEADER_SIZE,
  MBN_IMAGE_ID_EFS_TAR,
  checkImgSector,
  checkMbnHeader,
  detectSignedImage,
  elfLayout,
  elfProgramHeader,
  encodeImgSector,
  encodeMbnHeader,
  hasElfMagic,
  hasGzipMagic,
  isGzipHeader,
  isTarHeader,
  locateSignedImage,
  mbnArithmeticHolds,
  mbnLayout,
  parseImgSector,
  parseMbnHeader,
  signingHeader,
  tarHeaderSum,
  unwrapPartitionImage,
  unwrapSignedImage,
} from './container.ts';
export type {
  ElfLayout,
  ElfProgramHeader,
  ImgPartition,
  ImgSector,
  LocatedImage,
  MbnHeader,
  MbnLayout,
  SignedImageContainer,
  UnwrappedImage,
} from './container.ts';
export {
  META_KEYS,
  assertFitsRamBuffer,
  encodeEfsImageMeta,
  metaForPartition,
  parseEfsImageMeta,
  ramBufferFit,
} from './meta.ts';
export type { EfsImageMeta, MetaForPartition, RamBufferFit } from './meta.ts';
export {
  composeHwId,
  formatId,
  hasIdPadQuirk,
  imageHash,
  imageHashSteps,
  innerPad,
  outerPad,
  parseHwId,
  parseId,
} from './hash.ts';
export type { ImageHashAlgorithm, ImageHashSteps } from './hash.ts';
export { DIGEST_INFO_PREFIX, emsaPkcs1Type1, modPow, rsaPublicOp, verifyPkcs1, verifyRawType1 } from './rsa.ts';
export type { RsaPublicKey } from './rsa.ts';
export {
  CERT_LIMITS,
  OID,
  authorityKeyId,
  basicConstraints,
  keyIdOf,
  keyUsage,
  nameText,
  parseCertificate,
  splitChain,
  subjectKeyId,
} from './x509.ts';
export type { CertExtension, ParsedCert, RdnAttribute, SplitChain } from './x509.ts';
export { OU_WIDTH, attestationOuTexts, ousToJson, parseAttestationOus } from './ou.ts';
export type { AttestationOus, OuParse } from './ou.ts';
export {
  DUMMY_ROOT_SHA256,
  KNOWN_ROOTS,
  TEST_SUBJECT_MARKERS,
  findKnownRoot,
  hasTestSubject,
  refusesDummyRoot,
  rootHashC,
  rootHashes,
} from './roots.ts';
export type { KnownRoot, RootHashes } from './roots.ts';
export {
  assertVerified,
  inspectSignedImage,
  normalizeRootHash,
  structureFailure,
  verifySignedImage,
} from './verify.ts';
export type { InspectCert, InspectResult, VerifyCheck, VerifyOptions, VerifyResult } from './verify.ts';
export { unwrapFsgImage } from './unwrap.ts';
export type { UnwrapResult } from './unwrap.ts';
