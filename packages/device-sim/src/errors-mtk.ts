import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

/** `NV_SIM_*` codes of the simulated MediaTek device. */
export const MTK_SIM_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_SIM_', {});
