/**
 * Binds {@link QcomFormats} to the format packages: `@nv/qcom-fsg-sign` finds the `.mbn` behind the `.img` sector,
 * `@nv/qcom-efs` inflates and untars the payload the way the modem does (strict typeflags) and reads/writes QCN
 * backups with the modem's NV size table. Signature checks come
 * from `@nv/qcom-fsg-sign`'s verifier, passed in as `authenticate`.
 * @module
 */
import { DEVICE_MTIME, decodeGzip, decodeQcn, efsTreeToQcn, encodeQcn, qcnToEfsTree, tarToEfsTree, type DeflateBackend, type EfsEntry } from '@nv/qcom-efs';
import { isGzipHeader, unwrapPartitionImage } from '@nv/qcom-fsg-sign';
import type { QcomFormats, QcomTarEntry } from './qcom-formats.ts';

/** Options of {@link packageQcomFormats}. */
export interface PackageQcomFormatsOptions {
  /** Raw-deflate backend for the gzip payload (`NODE_DEFLATE` from `@nv/qcom-efs/node` in Node). */
  deflate: DeflateBackend;
  /** secboot's checks (§4 steps 4–16), from `@nv/qcom-fsg-sign`. */
  authenticate: QcomFormats['authenticate'];
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
    toQcn(entries, nvInfo) {
      const tree = {
        entries: entries.map((e): EfsEntry => ({
          path: e.path, type: e.kind, mode: e.mode, uid: 0, gid: 0, mtime: DEVICE_MTIME,
          ...(e.kind === 'item' || e.kind === 'file' ? { data: e.data } : {}),
          ...(e.target !== undefined ? { target: e.target } : {}),
        })),
      };
      return encodeQcn(efsTreeToQcn(tree, { nvInfo }).qcn);
    },
    fromQcn(qcn, nvInfo) {
      const { tree } = qcnToEfsTree(decodeQcn(qcn).qcn, { nvInfo });
      return tree.entries.map((e): QcomTarEntry => ({ path: e.path, kind: e.type, mode: e.mode, data: e.data ?? new Uint8Array(0) }));
    },
  };
}
