/**
 * `@nv/device-sim/mtk`: the simulated MediaTek device. Nothing is exported yet.
 * @module
 */
export {};
