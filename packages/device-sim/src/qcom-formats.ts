/**
 * What the simulated Qualcomm device needs from the format packages. Each format is parsed in exactly one place
 * (architecture.md): the `.img`/`.mbn` container and signature checks by `@nv/qcom-fsg-sign`, the device tar/tar.gz
 * and QCN by `@nv/qcom-efs`. The device calls them through this interface so that its state machine (which copy,
 * which root first, what happens on each failure) stays independent of their internals.
 * @module
 */

/** One check of the modem's FSG verification, in the modem's order (docs/formats/fsg.md#modem-checks). */
export interface QcomFsgCheck {
  /** Check name, as `@nv/qcom-fsg-sign` names them: `img-sector`, `fuse`, `dummy-root`, `sizes` … `crash-dump`, `size`, `payload`, then `untar`. */
  name: string;
  ok: boolean;
  detail: string;
  /** secboot return value when the check is one of secboot's (docs/formats/fsg.md#modem-checks steps 4–16). */
  secboot?: number;
  /** `NV_FSG_*` / `NV_EFS_*` / `NV_SIM_QCOM_*` code when it failed. */
  code?: string;
}

/** Trust constants the modem checks an FSG image against (`fs_signed_img_param.c`). */
export interface QcomFsgTrust {
  /** `FS_SIGNED_IMG_ROOT_HASH`, 64 hex digits. */
  rootHash: string;
  /** `FS_SIGNED_IMG_MSM_HW_ID`. */
  hwId: bigint;
  /** `FS_SIGNED_IMG_SOFTWARE_ID`. */
  swId: bigint;
}

/** Outcome of secboot's authentication of the `.mbn` (docs/formats/fsg.md#modem-checks steps 4–16). */
export interface QcomFsgAuthentication {
  ok: boolean;
  checks: QcomFsgCheck[];
}

/** The `.mbn` found after the unauthenticated 512-byte sector of an fsg partition. */
export interface QcomFsgLocated {
  mbn: Uint8Array;
  /** `code_size` from the MBN header: the payload is `mbn[40 : 40 + codeSize]`. */
  codeSize: number;
}

/** One entry of the device tar as the modem restores it (docs/formats/efs-tar.md#tar). */
export interface QcomTarEntry {
  path: string;
  kind: 'item' | 'file' | 'dir' | 'symlink';
  mode: number;
  data: Uint8Array;
  target?: string;
}

/** Internal size of a legacy NV item as the modem knows it (docs/formats/qcn.md#nv-info); `arraySize` 0 = not indexed. */
export interface QcomNvInfo {
  id: number;
  size: number;
  arraySize: number;
}

/** Format functions the device calls. Bind them from the format packages (see `QCOM_PACKAGE_FORMATS` when present). */
export interface QcomFormats {
  /**
   * Finds the `.mbn` at offset 512 of an fsg partition. Must throw an `NvError` (`NV_FSG_IMG_SECTOR_MISSING` for a bare
   * `.mbn`, `NV_FSG_EMPTY`, `NV_FSG_NOT_MBN`, …) when the partition does not start with the `.img` sector.
   */
  locateFsg(partition: Uint8Array): QcomFsgLocated;
  /** secboot's checks of the `.mbn` against a root hash + HW_ID + SW_ID, in order; stops at the first failure or not. */
  authenticate(mbn: Uint8Array, trust: QcomFsgTrust): QcomFsgAuthentication;
  /** Reads the tar or tar.gz payload the way the modem untars it. Throws `NvError` (`NV_EFS_*`) where the modem fails. */
  readPayload(payload: Uint8Array): QcomTarEntry[];
  /** EFS entries → QCN bytes (QPST backup). `nvInfo` = the modem's internal legacy NV sizes. Optional: only `backupQcn`. */
  toQcn?(entries: readonly QcomTarEntry[], nvInfo: readonly QcomNvInfo[]): Uint8Array;
  /** QCN bytes → EFS entries (QPST restore) with the modem's NV sizes. Optional: only `restoreQcn`. */
  fromQcn?(qcn: Uint8Array, nvInfo: readonly QcomNvInfo[]): QcomTarEntry[];
}
