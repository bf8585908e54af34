/**
 * `@nv/device-sim/node`: Node-only helpers — save and load a simulated device's state to a folder, and the
 * Qualcomm format backends that need node:zlib.
 * @module
 */
export { dumpMtkDevice, loadMtkDevice, mtkStateHasImages, saveMtkDevice } from './node-mtk.ts';
export { hasQcomDevice, loadQcomDevice, nodeQcomFormats, saveQcomDevice } from './node-qcom.ts';
export { serveQcomDiag } from './node-qcom-diag.ts';
export type { QcomDiagServer } from './node-qcom-diag.ts';
