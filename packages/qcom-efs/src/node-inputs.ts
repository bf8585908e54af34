/**
 * Node readers of the compiler's and the lint's inputs: XML through the file system (includes), NvDefinition, NV
 * info tables and lint lists from JSON files.
 * @module
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { NvError } from '@nv/core';
import { readFileLimited } from '@nv/core/node';
import {
  compileNvFiles,
  parseNvDefinition,
  type CompileOptions,
  type CompileResult,
  type DefinitionOptions,
  type NvDefinition,
} from './compile.ts';
import { parseLintLists, type LintLists } from './lint.ts';
import { NODE_DEFLATE } from './node-zlib.ts';
import { parseNvInfo, type NvInfoEntry } from './qcn-efs.ts';
import { loadXml, type XmlResolver } from './xml.ts';

/**
 * The file-system resolver for XML includes (docs/formats/qcn.md#nvsource (3)): reads UTF-8 files (≤ 16 MiB) and lists folders.
 * @example compileNvFiles('master.xml', 'def.xml', nodeXmlResolver())
 */
export function nodeXmlResolver(): XmlResolver {
  return {
    read(path) {
      try {
        const st = statSync(path);
        if (!st.isFile()) return undefined;
        if (st.size > 16 * 1024 * 1024) throw new NvError('NV_LIMIT', `${path} is over 16 MiB`, { path });
        return readFileSync(path, 'utf8');
      } catch (error) {
        if (NvError.isInstance(error)) throw error;
        return undefined;
      }
    },
    list(dir) {
      try {
        return readdirSync(dir);
      } catch {
        return undefined;
      }
    },
  };
}

/**
 * Compiles a master NvSource (with includes) and an NvDefinition from files into a QCN model, with node:zlib for
 * `compressed` items. Encode it with `encodeQcn`.
 * @throws NvError the compiler's codes, `NV_NOT_FOUND`
 * @example const { qcn } = compileNvSourceFiles('master.xml', 'NvDefinition.xml');
 */
export function compileNvSourceFiles(
  masterPath: string,
  definitionPath: string,
  options: CompileOptions = {},
): CompileResult {
  return compileNvFiles(masterPath, definitionPath, nodeXmlResolver(), { deflate: NODE_DEFLATE, ...options });
}

/**
 * Reads an NvDefinition file (with its `xi:include`s) and checks its types.
 * @throws NvError as `parseNvDefinition`, `NV_NOT_FOUND`
 * @example const def = readNvDefinitionFile('NvDefinition.xml');
 */
export function readNvDefinitionFile(path: string, options: DefinitionOptions = {}): NvDefinition {
  return parseNvDefinition(loadXml(path, nodeXmlResolver()), options);
}

/** A JSON file (≤ 16 MiB), `code` when it is not JSON. */
async function readJson(
  path: string,
  name: string,
  code: 'NV_EFS_BAD_NV_INFO' | 'NV_EFS_BAD_LINT_LIST',
): Promise<unknown> {
  const bytes = await readFileLimited(path, 16 * 1024 * 1024);
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (cause) {
    throw new NvError(code, `${name} is not valid JSON`, { path: name, cause });
  }
}

/**
 * Reads an NV info table (`--nv-info`, docs/formats/qcn.md#nv-info source (1)): `[{id, size, arraySize?}]` or
 * `{"<id>": size | {size, arraySize?}}`; `name` is how messages call the file (default `path`).
 * @throws NvError `NV_EFS_BAD_NV_INFO`, `NV_IO`, `NV_LIMIT`
 * @example const nvInfo = await readNvInfoFile('sizes.json');
 */
export async function readNvInfoFile(path: string, name: string = path): Promise<NvInfoEntry[]> {
  const json = await readJson(path, name, 'NV_EFS_BAD_NV_INFO');
  try {
    return parseNvInfo(json);
  } catch (error) {
    throw NvError.isInstance(error) ? error.withPath(name) : error;
  }
}

/**
 * Reads the lint's extra lists (`--lists`): `{"factoryIds": [...], "runtimeIds": [...], "runtimePaths": [...]}`.
 * @throws NvError `NV_EFS_BAD_LINT_LIST`, `NV_IO`, `NV_LIMIT`
 * @example const lists = await readLintListsFile('lists.json');
 */
export async function readLintListsFile(path: string, name: string = path): Promise<LintLists> {
  return parseLintLists(await readJson(path, name, 'NV_EFS_BAD_LINT_LIST'), name);
}
