/**
 * `@nv/mtk-nvram-ltable/node`: Node-only helpers. Nothing is exported yet.
 * @module
 */
export {};
