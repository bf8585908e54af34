/**
 * `@nv/mtk-nvram-ltable`: nothing is exported yet; see the package README for what is planned.
 * @module
 */
export {};
