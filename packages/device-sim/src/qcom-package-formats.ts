/**
 * Binds {@link QcomFormats} to the format packages: `@nv/qcom-fsg-sign` finds the `.mbn` behind the `.img` sector,
 * `@nv/qcom-efs` inflates and untars the payload the way the modem does (strict typeflags). Signature checks come
 * from `@nv/qcom-fsg-sign`'s verifier, passed in as `authenticate`.
 * @module
 */
import { decodeGzip, tarToEfsTree, type DeflateBackend } from '@nv/qcom-efs';
import { isGzipHeader, unwrapPartitionImage } from '@nv/qcom-fsg-sign';
import type { QcomFormats, QcomTarEntry } from './qcom-formats.ts';

/** Options of {@link packageQcomFormats}. */
export interface PackageQcomFormatsOptions {
  /** Raw-deflate backend for the gzip payload (`NODE_DEFLATE` from `@nv/qcom-efs/node` in Node). */
  deflate: DeflateBackend;
  /** secboot's checks (§4 steps 4–16), from `@nv/qcom-fsg-sign`. */
  authenticate: QcomFormats['authenticate'];
  /** QCN writer/reader (`@nv/qcom-efs`), for backup/restore. */
  toQcn?: QcomFormats['toQcn'];
  fromQcn?: QcomFormats['fromQcn'];
}

/**
 * The device's format functions backed by the real parsers.
 * @example const formats = packageQcomFormats({ deflate: NODE_DEFLATE, authenticate });
 */
export function packageQcomFormats(options: PackageQcomFormatsOptions): QcomFormats {
  return {
    locateFsg(partition) {
      const located = unwrapPartitionImage(partition, 'fsg');
      return { mbn: located.mbn, codeSize: located.header.codeSize };
    },
    authenticate: options.authenticate,
    readPayload(payload) {
      const tar = isGzipHeader(payload) ? decodeGzip(payload, options.deflate).data : payload;
      const { tree } = tarToEfsTree(tar, { strictTypeflag: true });
      return tree.entries.map((e): QcomTarEntry => ({
        path: e.path,
        kind: e.type,
        mode: e.mode,
        data: e.data ?? new Uint8Array(0),
        ...(e.target !== undefined ? { target: e.target } : {}),
      }));
    },
    ...(options.toQcn ? { toQcn: options.toQcn } : {}),
    ...(options.fromQcn ? { fromQcn: options.fromQcn } : {}),
  };
}
