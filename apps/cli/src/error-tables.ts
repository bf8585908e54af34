import { CORE_ERROR_CODES, type ErrorCodeTable } from '@nv/core/errors';
import { EFS_ERROR_CODES } from '@nv/qcom-efs/errors';
import { FSG_ERROR_CODES } from '@nv/qcom-fsg-sign/errors';
import { MBN_ERROR_CODES } from '@nv/qcom-mbn/errors';
import { DIAG_ERROR_CODES } from '@nv/qcom-diag/errors';
import { LTABLE_ERROR_CODES } from '@nv/mtk-nvram-ltable/errors';
import { LID_ERROR_CODES } from '@nv/mtk-lid-file/errors';
import { SIM_ERROR_CODES } from '@nv/device-sim/errors';

/** Every package's error table, in package order (imported from the light `./errors` subpaths). */
const TABLES: ReadonlyArray<readonly [string, ErrorCodeTable]> = [
  ['@nv/core', CORE_ERROR_CODES],
  ['@nv/qcom-efs', EFS_ERROR_CODES],
  ['@nv/qcom-fsg-sign', FSG_ERROR_CODES],
  ['@nv/qcom-mbn', MBN_ERROR_CODES],
  ['@nv/qcom-diag', DIAG_ERROR_CODES],
  ['@nv/mtk-nvram-ltable', LTABLE_ERROR_CODES],
  ['@nv/mtk-lid-file', LID_ERROR_CODES],
  ['@nv/device-sim', SIM_ERROR_CODES],
];

/** One row per code across all packages. */
export function listErrorCodes(): Array<{ code: string; package: string; meaning: string; fix: string }> {
  return TABLES.flatMap(([pkg, table]) =>
    Object.entries(table).map(([code, info]) => ({ code, package: pkg, meaning: info.meaning, fix: info.fix })),
  );
}
