/**
 * `@nv/qcom-mbn/errors`: this package's error codes (prefix `NV_MBN_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

/** Every `NV_MBN_*` code this package throws, with its meaning and fix (rendered by the docs and `nv errors`). */
export const MBN_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_MBN_', {});
