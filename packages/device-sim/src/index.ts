/**
 * `@nv/device-sim`: the main calls of the simulated Qualcomm and MediaTek devices. The full API of each device is
 * in `@nv/device-sim/qcom` and `@nv/device-sim/mtk`; folder save/load in `@nv/device-sim/node`.
 * @module
 */
export { SIM_ERROR_CODES } from './errors.ts';
export {
  backupQcn,
  bootQcom,
  createQcomDevice,
  flashPartition,
  installModemBuild,
  insertSim,
  mcfgConfigFromMbn,
  packageQcomFormats,
  pdcLoad,
  restoreQcn,
} from './qcom.ts';
export type { QcomBootResult, QcomDevice } from './qcom.ts';
export { bootMtkDevice, compareMtkPlan, createMtkDevice, mtkUpgradeMatrix, upgradeMtkDevice } from './mtk.ts';
export type { MtkBootResult, MtkDevice, MtkUpgradeReport } from './mtk.ts';
