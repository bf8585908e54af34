/**
 * `@nv/cli` programmatic entry: run the `nv` command line in-process.
 * @module
 */
export { run } from './run.ts';
export type { CliIo } from './context.ts';
export { listErrorCodes } from './error-tables.ts';
