/**
 * `@nv/device-sim/qcom`: the simulated Qualcomm device — create it, flash its partitions, boot it (the signed FSG
 * golden copy checked in the modem's order), write NV items and EFS files as QPST/DIAG would, QCN backup/restore,
 * a modem build upgrade (fuses), the DIAG face for `@nv/qcom-diag`, and the MCFG framework (PDC load, SIM insert
 * with autoselect). Save/load to a folder is in `@nv/device-sim/node`. See README.qcom.md.
 * @module
 */
export {
  QCOM_DEFAULT_PARTITION_SIZE,
  backupQcn,
  createQcomDevice,
  erasePartition,
  flashPartition,
  installModemBuild,
  readModem,
  restoreQcn,
  writeEfsFile,
  writeNvItem,
} from './qcom-device.ts';
export type {
  CreateQcomDeviceOptions,
  QcomDevice,
  QcomDeviceState,
  QcomFuses,
  QcomModemBuild,
  QcomPartitionName,
  QcomSimCard,
  QcomStoredConfig,
} from './qcom-device.ts';
export type { QcomPartition, QcomPartitionExtent } from './qcom-partition.ts';
export { bootQcom } from './qcom-boot.ts';
export type { QcomBootError, QcomBootOptions, QcomBootResult, QcomBootSource } from './qcom-boot.ts';
export { nvKeyOfPath } from './qcom-efs-store.ts';
export type { QcomEfsListing } from './qcom-efs-store.ts';
export type { QcomFormats, QcomFsgCheck, QcomFsgTrust, QcomNvInfo, QcomTarEntry } from './qcom-formats.ts';
export { applyActiveConfigs, autoselectPath, insertSim, pdcLoad } from './qcom-mcfg.ts';
export type {
  QcomMcfgActivation,
  QcomMcfgApplied,
  QcomMcfgOutcome,
  QcomMcfgSelection,
  QcomPdcLoadResult,
  QcomSimChange,
} from './qcom-mcfg.ts';
export type { QcomMcfgConfig } from './qcom-mcfg-config.ts';
export { mcfgConfigFromMbn } from './qcom-mcfg-mbn.ts';
export { packageQcomFormats } from './qcom-package-formats.ts';
export type { PackageQcomFormatsOptions } from './qcom-package-formats.ts';
export { QcomDiagFace } from './qcom-diag-face.ts';
export type { DiagFaults, QcomDiagFaceOptions } from './qcom-diag-face.ts';
export { QCOM_SIM_ERROR_CODES } from './errors-qcom.ts';
