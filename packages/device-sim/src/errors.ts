/**
 * `@nv/device-sim/errors`: the simulator's error codes (prefix `NV_SIM_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';
import { QCOM_SIM_ERROR_CODES, type QcomSimErrorCode } from './errors-qcom.ts';
import { MTK_SIM_ERROR_CODES, type MtkSimErrorCode } from './errors-mtk.ts';

/** A code of `@nv/device-sim` (`NV_SIM_…`). */
export type SimErrorCode = QcomSimErrorCode | MtkSimErrorCode;

/** Every `NV_SIM_*` code, Qualcomm and MediaTek device together (rendered by the docs and `nv errors`). */
export const SIM_ERROR_CODES: ErrorCodeTable<SimErrorCode> = defineErrorCodes('NV_SIM_', {
  ...QCOM_SIM_ERROR_CODES,
  ...MTK_SIM_ERROR_CODES,
});
