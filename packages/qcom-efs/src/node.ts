/**
 * `@nv/qcom-efs/node`: node:zlib backend, host folders ↔ EFS trees (with the `.nv-efs.json` manifest), EFS image
 * files (pack, read, repack), and the compiler's and lint's inputs read from files.
 * @module
 */
export { NODE_DEFLATE } from './node-zlib.ts';
export { readEfsFolder, readEfsImageFile, writeEfsFolder, writeEfsImageFile } from './node-efs.ts';
export type { ReadFolderOptions } from './node-efs.ts';
export { compileNvSourceFiles, readLintListsFile, readNvDefinitionFile, readNvInfoFile } from './node-inputs.ts';
export { repackEfsArchiveFile } from './node-repack.ts';
export type { RepackResult } from './node-repack.ts';
