import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

/** `NV_SIM_*` codes of the simulated Qualcomm device. */
export const QCOM_SIM_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_SIM_', {});
