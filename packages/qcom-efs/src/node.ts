/**
 * `@nv/qcom-efs/node`: Node-only helpers. Nothing is exported yet.
 * @module
 */
export {};
