/**
 * `@nv/qcom-efs/node`: node:zlib backend, host folders ↔ EFS trees (with the `.nv-efs.json` manifest), EFS image
 * files (pack, read, repack), and the compiler's and lint's inputs read from files. The XML compiler and tar-stream
 * are loaded on first use (issue 17: `efs pack`, `ls` and `unpack` start without them).
 * @module
 */
import type { CompileOptions, CompileResult, DefinitionOptions, NvDefinition } from './compile.ts';
import type { LintLists } from './lint.ts';
import type { RepackResult } from './node-repack.ts';
import type { NvInfoEntry } from './qcn-efs.ts';
import type { RepackOptions } from './repack.ts';

export { NODE_DEFLATE } from './node-zlib.ts';
export {
  listEfsImageFile,
  readEfsFolder,
  readEfsImageFile,
  unpackEfsImageFile,
  writeEfsFolder,
  writeEfsImageFile,
} from './node-efs.ts';
export type { EfsListing, ReadFolderOptions, UnpackResult, WriteFolderOptions } from './node-efs.ts';
export type { RepackResult } from './node-repack.ts';

const inputs = () => import('./node-inputs.ts');

/**
 * Compiles a master NvSource (with includes) and an NvDefinition from files into a QCN model, with node:zlib for
 * `compressed` items. Encode it with `encodeQcn`.
 * @throws NvError the compiler's codes, `NV_NOT_FOUND`
 * @example const { qcn } = await compileNvSourceFiles('master.xml', 'NvDefinition.xml');
 */
export async function compileNvSourceFiles(
  masterPath: string,
  definitionPath: string,
  options: CompileOptions = {},
): Promise<CompileResult> {
  return (await inputs()).compileNvSourceFiles(masterPath, definitionPath, options);
}

/**
 * Reads an NvDefinition file (with its `xi:include`s) and checks its types.
 * @throws NvError as `parseNvDefinition`, `NV_NOT_FOUND`
 * @example const def = await readNvDefinitionFile('NvDefinition.xml');
 */
export async function readNvDefinitionFile(path: string, options: DefinitionOptions = {}): Promise<NvDefinition> {
  return (await inputs()).readNvDefinitionFile(path, options);
}

/**
 * Reads an NV info table (`--nv-info`, docs/formats/qcn.md#nv-info source (1)): `[{id, size, arraySize?}]` or
 * `{"<id>": size | {size, arraySize?}}`; `name` is how messages call the file (default `path`).
 * @throws NvError `NV_EFS_BAD_NV_INFO`, `NV_IO`, `NV_LIMIT`
 * @example const nvInfo = await readNvInfoFile('sizes.json');
 */
export async function readNvInfoFile(path: string, name: string = path): Promise<NvInfoEntry[]> {
  return (await inputs()).readNvInfoFile(path, name);
}

/**
 * Reads the lint's extra lists (`--lists`): `{"factoryIds": [...], "runtimeIds": [...], "runtimePaths": [...]}`.
 * @throws NvError `NV_EFS_BAD_LINT_LIST`, `NV_IO`, `NV_LIMIT`
 * @example const lists = await readLintListsFile('lists.json');
 */
export async function readLintListsFile(path: string, name: string = path): Promise<LintLists> {
  return (await inputs()).readLintListsFile(path, name);
}

/**
 * `nv qcom efs repack`: a host-made `.tar`/`.tar.gz` → the device `fs_image.tar.gz` (V7, absolute names, item
 * bits), every repair listed.
 * @throws NvError `NV_EFS_BAD_HOST_TAR`, `NV_EFS_TAR_NAME_TOO_LONG`, `NV_EFS_BAD_PATH`, gzip codes,
 *   `NV_EFS_CONTAINER_UNKNOWN` (bzip2/xz/zstd: decompress first), `NV_EXISTS`, `NV_IO`
 * @example const { repairs } = await repackEfsArchiveFile('host.tar.gz', 'fs_image.tar.gz');
 */
export async function repackEfsArchiveFile(
  input: string,
  output: string,
  options: RepackOptions & { force?: boolean; gzip?: boolean } = {},
): Promise<RepackResult> {
  return (await import('./node-repack.ts')).repackEfsArchiveFile(input, output, options);
}
