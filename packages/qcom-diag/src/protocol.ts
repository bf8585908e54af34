/**
 * `@nv/qcom-diag/protocol`: the DIAG wire codecs (docs/formats/diag.md) for whoever implements the modem side (the
 * device simulator) or a custom tool: framing (HDLC or length-prefixed, CRC-16/X.25), command codes, and the NV and
 * EFS2 packets in both directions. A host talks to a modem through the main entry instead.
 * @module
 */
export { DiagFrameDecoder, encodeDiagFrame } from './framing.ts';
export type { DecodedFrame, DiagFraming } from './framing.ts';
export {
  DIAG_CMD,
  NV_STATUS,
  decodeNvPacket,
  encodeBuildIdResponse,
  encodeNvPacket,
  encodeVersionResponse,
  errorReplyFor,
} from './commands.ts';
export type { DiagBuildId, DiagVersionInfo, NvPacket } from './commands.ts';
export {
  EFS2_COMMANDS,
  EFS2_SUBSYSTEMS,
  decodeEfs2Request,
  decodeEfs2Response,
  encodeEfs2Request,
  encodeEfs2Response,
} from './efs2.ts';
export type { Efs2Command, Efs2FieldType, Efs2Fields, Efs2Layout } from './efs2.ts';
