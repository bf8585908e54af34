/**
 * `@nv/qcom-diag`: talk to a live Qualcomm modem over DIAG (`qcom-diag.md`): HDLC and length-prefixed framing with
 * CRC-16/X.25, a client that copes with split/merged reads, interleaved log packets and CRC errors, typed NV and
 * EFS2 commands, and the flows on top (info, EFS pull, QCN backup/restore). Pure and browser-safe; TCP and serial
 * transports are in `@nv/qcom-diag/node`.
 * @module
 */
export { DIAG_ERROR_CODES } from './errors.ts';
export { CRC16_X25_RESIDUE, crc16X25 } from './crc.ts';
export {
  DiagFrameDecoder,
  HDLC_ESCAPE,
  HDLC_FLAG,
  MAX_DIAG_PAYLOAD,
  encodeDiagFrame,
  encodeHdlcFrame,
  encodeLengthFrame,
} from './framing.ts';
export type { DecodedFrame, DiagFraming } from './framing.ts';
export {
  DIAG_CMD,
  DIAG_ERROR_REPLIES,
  DIAG_MODES,
  NV_DATA_BYTES,
  NV_INDEXED_SUBSYSTEM,
  NV_STATUS,
  NV_STATUS_NAMES,
  UNSOLICITED_CMDS,
  commandKey,
  decodeBuildIdResponse,
  decodeNvPacket,
  decodeUnlockResponse,
  decodeVersionResponse,
  encodeBuildIdRequest,
  encodeBuildIdResponse,
  encodeHdlcDisableRequest,
  encodeModeRequest,
  encodeNvPacket,
  encodePasswordRequest,
  encodeSpcRequest,
  encodeVersionRequest,
  encodeVersionResponse,
  errorReplyFor,
  isResponseTo,
  nvStatusName,
  subsystemHeader,
} from './commands.ts';
export type { DiagBuildId, DiagVersionInfo, NvPacket } from './commands.ts';
export {
  EFS2_COMMANDS,
  EFS2_SUBSYSTEMS,
  EFS_ENTRY_TYPES,
  EFS_ERRNO_NAMES,
  EFS_O,
  checkEfsErrno,
  decodeEfs2Request,
  decodeEfs2Response,
  efsErrnoName,
  encodeEfs2Request,
  encodeEfs2Response,
} from './efs2.ts';
export type { Efs2Command, Efs2FieldType, Efs2Fields, Efs2Layout } from './efs2.ts';
export { ChunkQueue, DiagClient, memoryTransport } from './client.ts';
export type { DiagClientOptions, DiagClientStats, DiagTransport } from './client.ts';
export { DiagDevice, EFS_CHUNK_BYTES, IDENTITY_NV_IDS, efsTypeOfMode } from './device.ts';
export type { EfsDirEntry, EfsStat, NvReadResult } from './device.ts';
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
