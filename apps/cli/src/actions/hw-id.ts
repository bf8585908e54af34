import { NvError } from '@nv/core';
import { parseHwId } from '@nv/qcom-fsg-sign';
import { UsageFailure } from '../context.ts';

/**
 * A HW_ID option (`--hw-id`, `--fuse-hw-id`): the full 64-bit MSM_HW_ID, `0x` + 16 hex digits, or a usage error
 * (exit 2) with `NV_FSG_HWID_FORMAT`. Shared by `qcom fsg keygen|sign|verify|root-hash` and `sim qcom boot`.
 */
export function hwIdArg(text: string, what = '--hw-id'): bigint {
  try {
    return parseHwId(text, what);
  } catch (e) {
    if (NvError.isInstance(e)) throw new UsageFailure(e);
    throw e;
  }
}
