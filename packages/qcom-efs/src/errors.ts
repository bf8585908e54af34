/**
 * `@nv/qcom-efs/errors`: this package's error codes (prefix `NV_EFS_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

/** Every `NV_EFS_*` code this package throws, with its meaning and fix (rendered by the docs and `nv errors`). */
export const EFS_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_EFS_', {});
