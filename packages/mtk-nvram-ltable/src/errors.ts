/**
 * `@nv/mtk-nvram-ltable/errors`: this package's error codes (prefix `NV_LTABLE_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

/** Every `NV_LTABLE_*` code this package throws, with its meaning and fix (rendered by the docs and `nv errors`). */
export const LTABLE_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_LTABLE_', {});
