/**
 * `@nv/device-sim/qcom`: the simulated Qualcomm device. Nothing is exported yet.
 * @module
 */
export {};
