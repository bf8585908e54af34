/**
 * `@nv/qcom-fsg-sign/node`: Node-only helpers. Nothing is exported yet.
 * @module
 */
export {};
