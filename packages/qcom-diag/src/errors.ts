/**
 * `@nv/qcom-diag/errors`: this package's error codes (prefix `NV_DIAG_`). Codes are never renamed or reused.
 * @module
 */
import { defineErrorCodes, type ErrorCodeTable } from '@nv/core';

const c = (meaning: string, fix: string): { meaning: string; fix: string } => ({ meaning, fix });

/** Every `NV_DIAG_*` code this package throws, with its meaning and fix (rendered by the docs and `nv errors`). */
export const DIAG_ERROR_CODES: ErrorCodeTable = defineErrorCodes('NV_DIAG_', {
  NV_DIAG_TIMEOUT: c(
    'The modem did not answer a DIAG request within the timeout.',
    'Check that the port is the DIAG interface (not AT or NMEA) and the modem is in diag mode; raise --timeout for slow links.',
  ),
  NV_DIAG_BAD_CRC: c(
    'Frames from the modem kept failing their CRC-16/X.25 check after every retry.',
    'Check the cable or the bridge; a serial port opened by another program (ModemManager, QPST) also garbles frames.',
  ),
  NV_DIAG_BAD_FRAME: c(
    'A frame from the modem is malformed: too short for its CRC, a bad escape, longer than the frame limit, or a length-prefixed frame without its end flag.',
    'Check that both ends use the same framing (HDLC or length-prefixed after "HDLC disable").',
  ),
  NV_DIAG_BAD_COMMAND: c(
    'The modem answered "bad command" (0x13): it does not implement this request.',
    'The modem build lacks the command (e.g. no EFS2 on subsystem 0x13/0x3E); use another way to reach the data.',
  ),
  NV_DIAG_BAD_PARAMETER: c(
    'The modem answered "bad parameter" (0x14) to the request.',
    'Check the item id, index or path in the message.',
  ),
  NV_DIAG_BAD_LENGTH: c(
    'The modem answered "bad length" (0x15): it expected another request size.',
    'The modem uses another layout for this command; report the model and build.',
  ),
  NV_DIAG_BAD_MODE: c(
    'The modem answered "bad mode" (0x18): the command is not allowed in its current mode.',
    'Put the modem offline first (mode control) if the command needs it.',
  ),
  NV_DIAG_LOCKED: c(
    'The modem refused the request because the SPC or the security password is not unlocked (0x42 / 0x47).',
    'Unlock with the service programming code (--spc, often 000000).',
  ),
  NV_DIAG_SPC_REFUSED: c(
    'The modem rejected the SPC or security password.',
    'Give the right code; modems lock after several wrong codes (power-cycle to retry).',
  ),
  NV_DIAG_BAD_RESPONSE: c(
    'A DIAG response is shorter than its layout or does not match the request.',
    'The modem uses another layout for this command; report the model and build.',
  ),
  NV_DIAG_NV_STATUS: c(
    'The modem answered an NV read or write with a status other than "done" (busy, full, fail, not active, bad parameter, read-only, not defined).',
    'The status name in the message says which: "not active" = never written, "read-only" and "not defined" cannot be written.',
  ),
  NV_DIAG_EFS_ERRNO: c(
    'An EFS2 call on the modem returned an errno (ENOENT, EACCES, EEXIST, ENOSPC …).',
    'The errno name in the message says which; EACCES on a protected folder means the build does not expose it.',
  ),
  NV_DIAG_NO_EFS: c(
    'The modem answers neither EFS2 subsystem (0x3E nor 0x13).',
    'The build does not expose EFS over DIAG; use a full fsg/modemst dump instead.',
  ),
  NV_DIAG_IDENTITY_ITEM: c(
    'A write to a device identity item (ESN 0, IMEI 550, MEID 1943) was refused: this toolkit never changes a device identity.',
    'Leave identity items out; a restore skips them and reports them as refused.',
  ),
  NV_DIAG_NO_SERIAL: c(
    'Serial ports need the optional `serialport` package, which is not installed.',
    'Install it next to the toolkit (npm install serialport), or reach the modem over TCP (diag-router -s, adb forward).',
  ),
  NV_DIAG_TRANSPORT: c(
    'The transport to the modem failed: connection refused or closed, or the serial port could not be opened.',
    'Check the --tcp address or --port path, and that no other program holds the port.',
  ),
  NV_DIAG_ABORTED: c(
    'The operation was interrupted (Ctrl-C) and stopped at a consistent point.',
    'Run the command again; a file being written was finished or restored before stopping.',
  ),
  NV_DIAG_NOT_SAFE: c(
    'A write was requested without a backup of what it replaces and without --yes.',
    'Let the command write its automatic backup (--backup <file>), or pass --yes after reading the plan.',
  ),
});
