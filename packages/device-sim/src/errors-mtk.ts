import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

const CODES = {
  NV_SIM_MTK_UNSUPPORTED_GENERATION: {
    meaning:
      'The simulated MediaTek device models moly-a and moly-b tables only; MAUI folders and files are not documented.',
    fix: 'Import the table with --generation moly-a or moly-b.',
  },
  NV_SIM_MTK_GEN_MISMATCH: {
    meaning: 'The firmware table is of another generation than the device state.',
    fix: 'Upgrade between tables of the generation the device was created with.',
  },
  NV_SIM_MTK_UNKNOWN_LID: {
    meaning: 'The LID name is not in the table of the firmware on the simulated device.',
    fix: 'Use a LID name of the installed table (nv sim mtk init prints them).',
  },
  NV_SIM_MTK_BAD_RECORD_INDEX: {
    meaning: 'A record index is outside 1…records of the LID (indexes are 1-based, mtk-lid-file §13).',
    fix: 'Give an index from 1 to the record count of the LID.',
  },
  NV_SIM_MTK_BAD_BUFFER_SIZE: {
    meaning: 'The buffer passed to an external read/write is not the record size of the LID.',
    fix: 'Pass exactly one record of the LID size.',
  },
  NV_SIM_MTK_READ_FAILED: {
    meaning:
      'The simulated modem could not read the LID: every copy failed its checksum and no restore or reset was possible.',
    fix: 'Restore the file from the bin region or rewrite the LID.',
  },
  NV_SIM_MTK_ASSERTED: {
    meaning: 'The simulated modem asserted (it stops, as the real one would) and refuses further NVRAM access.',
    fix: 'Read the assert reason; flash a firmware whose table does not trigger it (see nv mtk ltable plan).',
  },
  NV_SIM_MTK_BIN_EMPTY: {
    meaning: 'The nvram bin region is empty: there is nothing to restore from it.',
    fix: 'Back the unit up to the bin region (the META/ATE/SN-writer trigger) before relying on a restore.',
  },
  NV_SIM_MTK_TABLE_MISMATCH: {
    meaning: 'The --from table is not the table of the firmware installed on the simulated device in --state.',
    fix: 'Pass the table the state was created or last upgraded with, or start from a new state folder.',
  },
  NV_SIM_MTK_KEY_MISMATCH: {
    meaning:
      'The --key given is not the key the simulated device was created with (its CONFIDENTIAL LIDs use that one).',
    fix: 'Pass the key `nv sim mtk init` printed (also in device.json), or omit --key.',
  },
  NV_SIM_MTK_BAD_STATE: {
    meaning:
      'The saved simulator state folder is missing a file, has a bad device.json or files that disagree with it.',
    fix: 'Recreate the state with nv sim mtk init.',
  },
};

/** A code of the simulated MediaTek device (`NV_SIM_MTK_…`). */
export type MtkSimErrorCode = keyof typeof CODES;

/** `NV_SIM_MTK_*` codes of the simulated MediaTek device (all start with `NV_SIM_MTK_`, README.mtk.md). */
export const MTK_SIM_ERROR_CODES: ErrorCodeTable<MtkSimErrorCode> = defineErrorCodes('NV_SIM_', CODES);

declare module '@nv/core' {
  interface NvErrorCodes extends Record<MtkSimErrorCode, true> {}
}
