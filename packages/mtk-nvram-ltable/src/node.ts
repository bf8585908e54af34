/**
 * `@nv/mtk-nvram-ltable/node`: reading LID tables from files (C sources or JSON).
 * @module
 */
import { readFileLimited, toNvIoError } from '@nv/core/node';
import { NvError } from '@nv/core';
import { decodeLatin1, decodeUtf8 } from '@nv/core/bytes';
import { importLtableC, LTABLE_MAX_C_CHARS, type LtableCImportOptions, type LtableCImportResult } from './c-import.ts';
import { parseLtableJson } from './json.ts';

/** Options of {@link readLtableFiles}: the C import options (ignored for JSON). */
export type LtableReadOptions = LtableCImportOptions;

/**
 * Reads a table from one JSON file, or from one or more C files (merged, headers first).
 * A file is JSON when its name ends in `.json` or its first non-blank character is `{`.
 * @throws NV_NOT_FOUND / NV_IO, NV_LIMIT, NV_BAD_INPUT when JSON is mixed with other files, and the import codes.
 * @example const { table } = await readLtableFiles(['nvram_ltable.c'], { generation: 'moly-b' });
 */
export async function readLtableFiles(
  paths: readonly string[],
  options: LtableReadOptions = {},
): Promise<LtableCImportResult> {
  if (paths.length === 0) throw new TypeError('readLtableFiles needs at least one path');
  const texts: { name: string; text: string }[] = [];
  for (const path of paths) {
    let bytes: Uint8Array;
    try {
      bytes = await readFileLimited(path, LTABLE_MAX_C_CHARS * 4);
    } catch (error) {
      throw NvError.isInstance(error) ? error.withPath(path) : toNvIoError(error, path);
    }
    let text: string;
    try {
      text = decodeUtf8(bytes);
    } catch {
      // Vendor sources often carry GBK/Latin-1 comments: bytes map 1:1 so positions stay right (README, Decisions).
      text = decodeLatin1(bytes);
    }
    texts.push({ name: path, text });
  }
  const isJson = (t: { name: string; text: string }): boolean =>
    t.name.endsWith('.json') || t.text.trimStart().startsWith('{');
  if (texts.some(isJson)) {
    if (texts.length !== 1)
      throw new NvError('NV_BAD_INPUT', 'a JSON table must be given alone, not together with other files');
    const t = texts[0] as { name: string; text: string };
    try {
      return { table: parseLtableJson(t.text), warnings: [] };
    } catch (error) {
      if (!NvError.isInstance(error)) throw error;
      // Keep the JSON path of the field; name the file in the message and data.
      throw new NvError(error.code, `${t.name}: ${error.message}`, {
        path: error.path ?? t.name,
        offset: error.offset,
        data: { ...error.data, file: t.name },
        cause: error,
      });
    }
  }
  return importLtableC(texts, options);
}
