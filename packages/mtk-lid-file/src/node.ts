/**
 * `@nv/mtk-lid-file/node`: Node-only helpers. Nothing is exported yet.
 * @module
 */
export {};
