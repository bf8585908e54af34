/**
 * `@nv/qcom-fsg-sign/errors`: this package's error codes (prefix `NV_FSG_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

/** Every `NV_FSG_*` code this package throws, with its meaning and fix (rendered by the docs and `nv errors`). */
export const FSG_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_FSG_', {});
