/**
 * `@nv/device-sim/errors`: this package's error codes (prefix `NV_SIM_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

/** Every `NV_SIM_*` code this package throws, with its meaning and fix (rendered by the docs and `nv errors`). */
export const SIM_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_SIM_', {});
