/**
 * Container sniffing: what a file of the Qualcomm EFS chain is, from its first bytes. The one place that knows every
 * container (`.img`/`fsg`/`.mbn` via `@nv/qcom-fsg-sign`, gzip, tar, ELF, CFB); the CLI and the simulator call it.
 * @module
 */
import { detectSignedImage, type SignedImageContainer } from '@nv/qcom-fsg-sign';
import { hasElfMagic, hasGzipMagic, isTarHeader } from '@nv/qcom-fsg-sign/container';
import { hasCfbSignature } from './cfb.ts';

/** What {@link sniffContainer} recognises. */
export type ContainerKind = SignedImageContainer | 'gzip' | 'tar' | 'elf' | 'cfb';

/**
 * The container at the start of `bytes`: a signed image (`img`, `fsg` dump, bare MBN v3 `mbn`), `gzip` (`1F 8B`), a
 * `tar` header whose checksum holds, an `elf` file, a `cfb` compound file (QCN); `undefined` for anything else.
 * Only the first bytes are looked at; the readers validate the rest.
 * @example sniffContainer(qcnBytes) // 'cfb'
 */
export function sniffContainer(bytes: Uint8Array): ContainerKind | undefined {
  const signed = detectSignedImage(bytes);
  if (signed !== undefined) return signed;
  if (hasGzipMagic(bytes)) return 'gzip';
  if (isTarHeader(bytes)) return 'tar';
  if (hasElfMagic(bytes)) return 'elf';
  if (hasCfbSignature(bytes)) return 'cfb';
  return undefined;
}
