/**
 * `@nv/device-sim/node`: Node-only helpers of both sides — save and load a simulated device's state to a folder,
 * and the Qualcomm format backends that need node:zlib. One side alone: `./qcom/node`, `./mtk/node` (they load
 * less).
 * @module
 */
export * from './qcom-node.ts';
export * from './mtk-node.ts';
