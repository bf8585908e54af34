/**
 * Binds {@link QcomFormats} to the format packages: `@nv/qcom-fsg-sign` finds the `.mbn` behind the `.img` sector,
 * `@nv/qcom-efs` inflates and untars the payload the way the modem does (strict typeflags) and reads/writes QCN
 * backups with the modem's NV size table. Signature checks come
 * from `@nv/qcom-fsg-sign`'s verifier, passed in as `authenticate`.
 * @module
 */
import {
  decodeQcn,
  efsTreeToQcn,
  encodeQcn,
  qcnToEfsTree,
  readEfsImage,
  type DeflateBackend,
  type EfsEntry,
} from '@nv/qcom-efs/binary';
import { DEVICE_MTIME } from '@nv/qcom-efs/model';
import { verifySignedImage } from '@nv/qcom-fsg-sign';
import { unwrapPartitionImage } from '@nv/qcom-fsg-sign/container';
import type { QcomFormats, QcomFsgCheck, QcomTarEntry } from './qcom-formats.ts';

/** Options of {@link packageQcomFormats}. */
export interface PackageQcomFormatsOptions {
  /** Raw-deflate backend for the gzip payload (`NODE_DEFLATE` from `@nv/qcom-efs/node` in Node). */
  deflate: DeflateBackend;
  /** secboot's checks (docs/formats/fsg.md#modem-checks steps 4–16); default `fsgAuthenticate` (`@nv/qcom-fsg-sign`'s verifier). */
  authenticate?: QcomFormats['authenticate'];
}

/**
 * secboot's authentication (docs/formats/fsg.md#modem-checks steps 4–16) by `@nv/qcom-fsg-sign`'s `verifySignedImage`. The device runs steps 0–3
 * and 17–19 itself, so the dummy-root rule is left to the device and no fuse options are passed here.
 * @example fsgAuthenticate(mbn, { rootHash, hwId: 0x009600E100000000n, swId: 0n }).ok
 */
export const fsgAuthenticate: QcomFormats['authenticate'] = (mbn, trust) => {
  const r = verifySignedImage(mbn, {
    rootHash: trust.rootHash,
    hwId: trust.hwId,
    swId: trust.swId,
    allowDummyKey: true,
  });
  const checks = r.checks
    .filter((c) => c.step >= 4 && c.step <= 16)
    .map((c): QcomFsgCheck => ({
      name: c.name,
      ok: c.ok,
      detail: c.detail,
      ...(c.code !== undefined ? { code: c.code } : {}),
      ...(c.secboot !== undefined ? { secboot: c.secboot } : {}),
    }));
  return { ok: checks.every((c) => c.ok), checks };
};

/**
 * The device's format functions backed by the real parsers.
 * @example const formats = packageQcomFormats({ deflate: NODE_DEFLATE });
 */
export function packageQcomFormats(options: PackageQcomFormatsOptions): QcomFormats {
  return {
    locateFsg(partition) {
      const located = unwrapPartitionImage(partition, 'fsg');
      return { mbn: located.mbn, codeSize: located.header.codeSize };
    },
    authenticate: options.authenticate ?? fsgAuthenticate,
    readPayload(payload) {
      // The payload passed step 18 (gzip or tar): inflate and untar with the modem's rules, nothing to unwrap.
      const { tree } = readEfsImage(payload, options.deflate, { strictTypeflag: true, unwrapSigned: () => undefined });
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
          path: e.path,
          type: e.kind,
          mode: e.mode,
          uid: 0,
          gid: 0,
          mtime: DEVICE_MTIME,
          ...(e.kind === 'item' || e.kind === 'file' ? { data: e.data } : {}),
          ...(e.target !== undefined ? { target: e.target } : {}),
        })),
      };
      return encodeQcn(efsTreeToQcn(tree, { nvInfo }).qcn);
    },
    fromQcn(qcn, nvInfo) {
      const { tree } = qcnToEfsTree(decodeQcn(qcn).qcn, { nvInfo });
      return tree.entries.map((e): QcomTarEntry => ({
        path: e.path,
        kind: e.type,
        mode: e.mode,
        data: e.data ?? new Uint8Array(0),
      }));
    },
  };
}
