/**
 * `@nv/device-sim/qcom/node`: the Qualcomm side's Node helpers only — save and load a simulated Qualcomm device, the
 * format backends that need node:zlib, the DIAG server. `nv sim qcom` imports this instead of `./node`, so it does
 * not load the MediaTek side (issue 17: start-up and memory).
 * @module
 */
export { hasQcomDevice, loadQcomDevice, nodeQcomFormats, saveQcomDevice } from './node-qcom.ts';
export { serveQcomDiag } from './node-qcom-diag.ts';
export type { QcomDiagServer } from './node-qcom-diag.ts';
