/**
 * `@nv/mtk-lid-file/errors`: this package's error codes (prefix `NV_LID_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

/** Every `NV_LID_*` code this package throws, with its meaning and fix (rendered by the docs and `nv errors`). */
export const LID_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_LID_', {});
