import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

const CODES = {
  NV_SIM_QCOM_STATE: {
    meaning: 'A saved simulated Qualcomm device state is malformed or from another simulator version.',
    fix: 'Create the device again (nv sim qcom boot without --state, or createQcomDevice) and save it anew.',
  },
  NV_SIM_QCOM_PARTITION_SIZE: {
    meaning: 'An image is larger than the simulated partition it is flashed to.',
    fix: 'Flash an image that fits the partition, or create the device with larger partitions.',
  },
  NV_SIM_QCOM_COPY_CORRUPT: {
    meaning:
      'A modemst copy passed its integrity tag but its EFS records are malformed (simulator bug or hand-edited state).',
    fix: 'Erase modemst1 and modemst2 so that the device restores from fsg.',
  },
  NV_SIM_QCOM_NOT_BOOTED: {
    meaning: 'The operation needs a running modem (an EFS in memory), but the device has not booted.',
    fix: 'Boot the simulated device first.',
  },
  NV_SIM_QCOM_FSG_EMPTY: {
    meaning: 'The modem found no sane modemst copy and the fsg partition is erased: it started with an empty EFS.',
    fix: 'Flash the signed golden copy (.img) to fsg before the first boot.',
  },
  NV_SIM_QCOM_MODEM_CRASH: {
    meaning:
      'The simulated modem hit an assertion or fatal error while restoring the golden copy (it would crash on every boot).',
    fix: 'Rebuild the tar.gz with nv qcom efs pack (V7 tar, zero padding, only regular/dir/symlink entries) and lint it.',
  },
  NV_SIM_MCFG_DUP_ID: {
    meaning: 'PDC LOAD: a configuration with this id is already loaded.',
    fix: 'Delete the old configuration first or load under another id.',
  },
  NV_SIM_MCFG_NO_SPACE: {
    meaning: 'PDC LOAD: the modem has no room for another configuration.',
    fix: 'Delete unused configurations (PDC DELETE) before loading.',
  },
  NV_SIM_MCFG_NO_TRAILER: {
    meaning: 'PDC LOAD: the MBN has no MCFG_TRL trailer.',
    fix: 'Rebuild the MBN with exactly one NvTrlRecord.',
  },
  NV_SIM_MCFG_NO_VERSION_TLV: {
    meaning: 'PDC LOAD: the trailer has no config-version TLV (id 1).',
    fix: 'Add TLV 1 (the config version) to the trailer.',
  },
  NV_SIM_MCFG_INCOMPATIBLE: {
    meaning: 'The configuration family byte (AA of the version) differs from the modem software family.',
    fix: 'Use an MCFG built for this modem generation (for JO modems AA = 0x05).',
  },
  NV_SIM_MCFG_HASH: {
    meaning: 'Activation: the data-segment hash of the MBN is wrong.',
    fix: 'Rebuild or re-hash the MBN (nv qcom mbn build).',
  },
  NV_SIM_MCFG_HEADER_INVALID: {
    meaning: 'Activation: bad MCFG magic, format, config type, version record, or an item that maps to no action.',
    fix: 'Lint the MBN for the target modem (nv qcom mbn lint) and rebuild it.',
  },
  NV_SIM_MCFG_NOT_LOADED: {
    meaning: 'No configuration with this id is loaded on the simulated device.',
    fix: 'Load it first (PDC LOAD) or pick one of the loaded ids.',
  },
  NV_SIM_MCFG_BAD_ICCID: {
    meaning: 'An ICCID must be 18 to 22 decimal digits (a trailing hex check character F is allowed).',
    fix: 'Give the ICCID as printed on the SIM, digits only.',
  },
  NV_SIM_MCFG_BAD_PLMN: {
    meaning: 'A PLMN must be MCC-MNC with 3 and 2 or 3 digits (e.g. 310-410).',
    fix: 'Write the PLMN as MCC-MNC.',
  },
};

/** A code of the simulated Qualcomm device (`NV_SIM_QCOM_…`, `NV_SIM_MCFG_…`). */
export type QcomSimErrorCode = keyof typeof CODES;

/**
 * `NV_SIM_QCOM_*` and `NV_SIM_MCFG_*` codes of the simulated Qualcomm device. Boot refusals are not thrown: they are
 * reported in the boot result with the `NV_FSG_*`/`NV_EFS_*` code of the check that failed; these codes cover bad
 * simulator input and the MCFG outcomes of docs/formats/mcfg.md#sim-outcomes.
 */
export const QCOM_SIM_ERROR_CODES: ErrorCodeTable<QcomSimErrorCode> = defineErrorCodes('NV_SIM_', CODES);

declare module '@nv/core' {
  interface NvErrorCodes extends Record<QcomSimErrorCode, true> {}
}
