/**
 * `@nv/device-sim/qcom`: the simulated Qualcomm device — partitions, EFS key and fuses, first boot from the signed
 * FSG golden copy with the modem's checks in order, online/offline runtime state, QCN backup/restore, and the MCFG
 * framework (PDC load, activation, autoselect by ICCID/PLMN, refresh on SIM change). See README.qcom.md.
 * @module
 */
export {
  QCOM_DEFAULT_PARTITION_SIZE,
  QCOM_DUMMY_ROOT_HASH,
  QCOM_PARTITIONS,
  backupQcn,
  createQcomDevice,
  currentEfsKey,
  efsEntries,
  erasePartition,
  flashPartition,
  installModemBuild,
  modemNvInfo,
  nvFingerprint,
  readModem,
  restoreQcn,
  syncEfs,
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
export { QCOM_ONLINE_RUNTIME_PATHS, bootQcom } from './qcom-boot.ts';
export type { QcomBootError, QcomBootOptions, QcomBootResult, QcomBootSource } from './qcom-boot.ts';
export { deserializeQcomState, serializeQcomState } from './qcom-state.ts';
export type { QcomSerializedState } from './qcom-state.ts';
export { mcfgConfigFromJson, mcfgConfigToJson } from './qcom-mcfg-config.ts';
export type { QcomMcfgConfig, QcomMcfgConfigJson, QcomMcfgItem, QcomMcfgTrailer } from './qcom-mcfg-config.ts';
export { MODEMST_MAGIC, deriveEfsKey, openModemst, sealModemst } from './qcom-cipher.ts';
export type { ModemstStatus, OpenedModemst } from './qcom-cipher.ts';
export {
  QCOM_EFS_MODES,
  cloneEfs,
  createEfs,
  decodeEfs,
  efsDelete,
  efsNvItems,
  efsWrite,
  encodeEfs,
  listEfs,
  nvItemPath,
  nvKeyOfPath,
} from './qcom-efs-store.ts';
export type { QcomEfs, QcomEfsKind, QcomEfsListing, QcomEfsNode } from './qcom-efs-store.ts';
export type {
  QcomFormats,
  QcomNvInfo,
  QcomFsgAuthentication,
  QcomFsgCheck,
  QcomFsgLocated,
  QcomFsgTrust,
  QcomTarEntry,
} from './qcom-formats.ts';
export {
  MCFG_ATTR,
  MCFG_AUTOSELECT,
  MCFG_RESTORE_FACTORY_VERSION,
  activateConfig,
  applyActiveConfigs,
  autoselectPath,
  checkIccid,
  insertSim,
  markRestoreFactory,
  mcfgVersionPath,
  parsePlmn,
  pdcLoad,
  selectMcfg,
} from './qcom-mcfg.ts';
export type {
  QcomMcfgActivation,
  QcomMcfgApplied,
  QcomMcfgItemAction,
  QcomMcfgOutcome,
  QcomMcfgSelection,
  QcomPdcLoadResult,
  QcomSimChange,
} from './qcom-mcfg.ts';
export { QCOM_SIM_ERROR_CODES } from './errors-qcom.ts';
export { mcfgConfigFromMbn } from './qcom-mcfg-mbn.ts';
export { fsgAuthenticate, packageQcomFormats } from './qcom-package-formats.ts';
export type { PackageQcomFormatsOptions } from './qcom-package-formats.ts';
export { QcomDiagFace } from './qcom-diag-face.ts';
export type { DiagFaults, QcomDiagFaceOptions } from './qcom-diag-face.ts';
