/**
 * `@nv/qcom-diag`: talk to a live Qualcomm modem over DIAG (docs/formats/diag.md): a client over any byte transport
 * (copes with split/merged reads, interleaved log packets and CRC errors), NV read/write and EFS2 file calls on a
 * {@link DiagDevice}, and the flows on top (info, EFS list/get/put/pull, QCN backup/restore). Pure and browser-safe;
 * TCP and serial transports are in `@nv/qcom-diag/node`; the wire codecs (HDLC framing, NV and EFS2 packets) for
 * whoever implements the modem side are in `@nv/qcom-diag/protocol`.
 * @module
 */
export { DIAG_ERROR_CODES } from './errors.ts';
export { DiagClient, memoryTransport } from './client.ts';
export type { DiagClientOptions, DiagClientStats, DiagTransport } from './client.ts';
export { DiagDevice, IDENTITY_NV_IDS } from './device.ts';
export type { EfsDirEntry, EfsStat, NvReadResult } from './device.ts';
export type { DiagBuildId, DiagVersionInfo } from './commands.ts';
export {
  BACKUP_FOLDERS,
  backupToQcn,
  diagInfo,
  efsGet,
  efsList,
  efsPull,
  efsPut,
  restoreFromQcn,
  restorePlan,
  snapshotTouched,
} from './flows.ts';
export type { BackupOptions, DiagInfo, EfsListRow, Refusal } from './flows.ts';
