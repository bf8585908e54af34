/**
 * `@nv/qcom-fsg-sign`: signed FSG images (MBN v3): verify and inspect them as the modem does, unwrap the signed
 * payload, wrap a `.mbn` into the `.img` partition image, the root hash and `fs_signed_img_param.c` lines, and the
 * IDs they use. Pure and browser-safe; key generation and signing are in `@nv/qcom-fsg-sign/node`, the container
 * building blocks (MBN header, `.img` sector, tar/gzip/ELF recognition) in `@nv/qcom-fsg-sign/container`.
 * @module
 */
export { FSG_ERROR_CODES } from './errors.ts';
export type { FsgErrorCode, FsgFinding, FsgSeverity } from './errors.ts';
export { detectSignedImage, unwrapSignedImage } from './container.ts';
export type { ImgPartition, MbnHeader, ImgSector, SignedImageContainer, UnwrappedImage } from './container.ts';
export { parseEfsImageMeta } from './meta.ts';
export type { EfsImageMeta } from './meta.ts';
export { parseHwId, parseId } from './hash.ts';
export { DUMMY_ROOT_SHA256, rootHashC, rootHashes } from './roots.ts';
export type { RootHashes } from './roots.ts';
export { assertVerified, checkBootImage, inspectSignedImage, normalizeRootHash, verifySignedImage } from './verify.ts';
export type {
  BootImageChecks,
  BootImageOptions,
  InspectCert,
  InspectResult,
  VerifyCheck,
  VerifyOptions,
  VerifyResult,
} from './verify.ts';
export { unwrapFsgImage } from './unwrap.ts';
export type { UnwrapResult } from './unwrap.ts';
export { buildFsgImg } from './img.ts';
export type { FsgImg } from './img.ts';
