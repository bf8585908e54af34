/**
 * `@nv/device-sim/mtk`: the simulated MediaTek device — nvdata category folders, protect_f/protect_s, the nvram
 * bin region, boot-time version check, upgrades per mode, external record read/write, and the comparison with the
 * `@nv/mtk-nvram-ltable` upgrade planner. See README.mtk.md for what it models and what it does not.
 * @module
 */
export type {
  MtkPartition,
  MtkStoredLid,
  MtkAssert,
  MtkDevice,
  MtkLidOutcome,
  MtkBootResult,
  MtkDeviceOptions,
  MtkLidLocation,
  MtkApiOptions,
} from './mtk-device.ts';
export {
  MTK_PARTITIONS,
  createMtkDevice,
  personalizeMtkDevice,
  cloneMtkDevice,
  backupMtkBinRegion,
  restoreMtkBinRegion,
  bootMtkDevice,
  readMtkRecord,
  writeMtkRecord,
  resetMtkRecords,
} from './mtk-device.ts';

export type {
  MtkUpgradeMode,
  MtkUpgradeOptions,
  MtkUpgradeOutcome,
  MtkUpgradeLid,
  MtkUpgradeReport,
} from './mtk-upgrade.ts';
export { MTK_UPGRADE_MODES, upgradeMtkDevice } from './mtk-upgrade.ts';
export type { MtkPlanMismatch, MtkPlanComparison, MtkUpgradeMatrixRow } from './mtk-compare.ts';
export { compareMtkPlan, mtkUpgradeMatrix } from './mtk-compare.ts';
export { MTK_SIM_ERROR_CODES } from './errors-mtk.ts';
export type { MtkStateFile } from './mtk-state.ts';
export { MTK_SIM_KEY, mtkDeviceToFiles, mtkDeviceFromFiles } from './mtk-state.ts';
