import { CORE_ERROR_CODES, type ErrorCodeTable } from '@nv/core';

/** Every package's error table, in package order. A package adds its table here when it declares one. */
const TABLES: ReadonlyArray<readonly [string, ErrorCodeTable]> = [['@nv/core', CORE_ERROR_CODES]];

/** One row per code across all packages. */
export function listErrorCodes(): Array<{ code: string; package: string; meaning: string; fix: string }> {
  return TABLES.flatMap(([pkg, table]) => Object.entries(table).map(([code, info]) => ({ code, package: pkg, meaning: info.meaning, fix: info.fix })));
}
