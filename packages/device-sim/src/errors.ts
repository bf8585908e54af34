/**
 * `@nv/device-sim/errors`: the simulator's error codes (prefix `NV_SIM_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';
import { QCOM_SIM_ERROR_CODES } from './errors-qcom.ts';
import { MTK_SIM_ERROR_CODES } from './errors-mtk.ts';

/** Every `NV_SIM_*` code, Qualcomm and MediaTek device together (rendered by the docs and `nv errors`). */
export const SIM_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_SIM_', {
  ...QCOM_SIM_ERROR_CODES,
  ...MTK_SIM_ERROR_CODES,
});
