/**
 * `@nv/qcom-mbn/node`: Node-only helpers. Nothing is exported yet.
 * @module
 */
export {};
