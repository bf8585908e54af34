/**
 * `@nv/device-sim/node`: Node-only helpers. Nothing is exported yet.
 * @module
 */
export {};
