/**
 * `@nv/qcom-diag/errors`: this package's error codes (prefix `NV_DIAG_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

const CODES = {
  NV_DIAG_TIMEOUT: {
    meaning: 'The modem did not answer a DIAG request within the timeout.',
    fix: 'Check that the port is the DIAG interface (not AT or NMEA) and the modem is in diag mode; raise --timeout for slow links.',
  },
  NV_DIAG_BAD_CRC: {
    meaning: 'Frames from the modem kept failing their CRC-16/X.25 check after every retry.',
    fix: 'Check the cable or the bridge; a serial port opened by another program (ModemManager, QPST) also garbles frames.',
  },
  NV_DIAG_BAD_FRAME: {
    meaning:
      'A frame from the modem is malformed: too short for its CRC, a bad escape, longer than the frame limit, or a length-prefixed frame without its end flag.',
    fix: 'Check that both ends use the same framing (HDLC or length-prefixed after "HDLC disable").',
  },
  NV_DIAG_BAD_COMMAND: {
    meaning: 'The modem answered "bad command" (0x13): it does not implement this request.',
    fix: 'The modem build lacks the command (e.g. no EFS2 on subsystem 0x13/0x3E); use another way to reach the data.',
  },
  NV_DIAG_BAD_PARAMETER: {
    meaning: 'The modem answered "bad parameter" (0x14) to the request.',
    fix: 'Check the item id, index or path in the message.',
  },
  NV_DIAG_BAD_LENGTH: {
    meaning: 'The modem answered "bad length" (0x15): it expected another request size.',
    fix: 'The modem uses another layout for this command; report the model and build.',
  },
  NV_DIAG_BAD_MODE: {
    meaning: 'The modem answered "bad mode" (0x18): the command is not allowed in its current mode.',
    fix: 'Put the modem offline first (mode control) if the command needs it.',
  },
  NV_DIAG_LOCKED: {
    meaning: 'The modem refused the request because the SPC or the security password is not unlocked (0x42 / 0x47).',
    fix: 'Unlock with the service programming code (--spc, often 000000).',
  },
  NV_DIAG_SPC_REFUSED: {
    meaning: 'The modem rejected the SPC or security password.',
    fix: 'Give the right code; modems lock after several wrong codes (power-cycle to retry).',
  },
  NV_DIAG_BAD_RESPONSE: {
    meaning: 'A DIAG response is shorter than its layout or does not match the request.',
    fix: 'The modem uses another layout for this command; report the model and build.',
  },
  NV_DIAG_NV_STATUS: {
    meaning:
      'The modem answered an NV read or write with a status other than "done" (busy, full, fail, not active, bad parameter, read-only, not defined).',
    fix: 'The status name in the message says which: "not active" = never written, "read-only" and "not defined" cannot be written.',
  },
  NV_DIAG_EFS_ERRNO: {
    meaning: 'An EFS2 call on the modem returned an errno (ENOENT, EACCES, EEXIST, ENOSPC …).',
    fix: 'The errno name in the message says which; EACCES on a protected folder means the build does not expose it.',
  },
  NV_DIAG_NO_EFS: {
    meaning: 'The modem answers neither EFS2 subsystem (0x3E nor 0x13).',
    fix: 'The build does not expose EFS over DIAG; use a full fsg/modemst dump instead.',
  },
  NV_DIAG_IDENTITY_ITEM: {
    meaning:
      'A write to a device identity item (ESN 0, IMEI 550, MEID 1943) was refused: this toolkit never changes a device identity.',
    fix: 'Leave identity items out; a restore skips them and reports them as refused.',
  },
  NV_DIAG_NO_SERIAL: {
    meaning: 'Serial ports need the optional `serialport` package, which is not installed.',
    fix: 'Install it next to the toolkit (npm install serialport), or reach the modem over TCP (diag-router -s, adb forward).',
  },
  NV_DIAG_TRANSPORT: {
    meaning: 'The transport to the modem failed: connection refused or closed, or the serial port could not be opened.',
    fix: 'Check the --tcp address or --port path, and that no other program holds the port.',
  },
  NV_DIAG_ABORTED: {
    meaning: 'The operation was interrupted (Ctrl-C) and stopped at a consistent point.',
    fix: 'Run the command again; a file being written was finished or restored before stopping.',
  },
};

/** A code of `@nv/qcom-diag` (`NV_DIAG_…`). */
export type DiagErrorCode = keyof typeof CODES;

/** Every `NV_DIAG_*` code this package throws, with its meaning and fix (rendered by the docs and `nv errors`). */
export const DIAG_ERROR_CODES: ErrorCodeTable<DiagErrorCode> = defineErrorCodes('NV_DIAG_', CODES);

declare module '@nv/core' {
  interface NvErrorCodes extends Record<DiagErrorCode, true> {}
}
