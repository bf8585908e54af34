/**
 * DIAG command payloads (docs/formats/diag.md#commands), both directions: the client encodes requests and decodes responses, the
 * device simulator decodes requests and encodes responses with the same functions. Little-endian throughout.
 * @module
 */
import { NvError } from '@nv/core';
import { ByteReader, ByteWriter, decodeLatin1, encodeLatin1 } from '@nv/core/bytes';
import type { DiagErrorCode } from './errors.ts';

/** Command codes (first payload byte). */
export const DIAG_CMD = {
  VERSION: 0x00,
  LOG: 0x10,
  BAD_COMMAND: 0x13,
  BAD_PARAMETER: 0x14,
  BAD_LENGTH: 0x15,
  BAD_MODE: 0x18,
  NV_READ: 0x26,
  NV_WRITE: 0x27,
  MODE: 0x29,
  SPC: 0x41,
  BAD_SPC_MODE: 0x42,
  PASSWORD: 0x46,
  BAD_SECURITY_MODE: 0x47,
  SUBSYSTEM: 0x4b,
  EVENT: 0x60,
  EXT_MSG: 0x79,
  EXT_BUILD_ID: 0x7c,
} as const;

/** Unsolicited packets a modem interleaves with responses (log, event, debug messages); a client skips them. */
export const UNSOLICITED_CMDS: ReadonlySet<number> = new Set([DIAG_CMD.LOG, DIAG_CMD.EVENT, DIAG_CMD.EXT_MSG, 0x92]);

/** Error replies: first byte, then the request echoed. */
export const DIAG_ERROR_REPLIES: Readonly<Record<number, { code: DiagErrorCode; name: string }>> = Object.freeze({
  0x13: { code: 'NV_DIAG_BAD_COMMAND', name: 'bad command' },
  0x14: { code: 'NV_DIAG_BAD_PARAMETER', name: 'bad parameter' },
  0x15: { code: 'NV_DIAG_BAD_LENGTH', name: 'bad length' },
  0x18: { code: 'NV_DIAG_BAD_MODE', name: 'bad mode' },
  0x42: { code: 'NV_DIAG_LOCKED', name: 'bad SPC mode (locked)' },
  0x47: { code: 'NV_DIAG_LOCKED', name: 'bad security mode (locked)' },
});

/** NV item data bytes in an NV read/write packet. */
export const NV_DATA_BYTES = 128;

/** NV status names (docs/formats/diag.md#commands). */
export const NV_STATUS_NAMES: readonly string[] = Object.freeze([
  'done',
  'busy',
  'bad command',
  'full',
  'fail',
  'not active',
  'bad parameter',
  'read-only',
  'not defined for this target',
]);

/** Name of an NV status, `status N` for an unknown one. */
export function nvStatusName(status: number): string {
  return NV_STATUS_NAMES[status] ?? `status ${status}`;
}

/** NV status codes by name. */
export const NV_STATUS = {
  DONE: 0,
  BUSY: 1,
  BAD_COMMAND: 2,
  FULL: 3,
  FAIL: 4,
  NOT_ACTIVE: 5,
  BAD_PARAMETER: 6,
  READ_ONLY: 7,
  NOT_DEFINED: 8,
} as const;

/** Mode control values of command 0x29. */
export const DIAG_MODES = { offline: 1, reset: 2, ftm: 3, online: 4, lowPower: 5 } as const;

function reader(payload: Uint8Array, what: string): ByteReader {
  void what;
  return new ByteReader(payload);
}

function short(what: string, need: number, got: number): NvError {
  return new NvError(
    'NV_DIAG_BAD_RESPONSE',
    `${what} response of ${got} bytes is shorter than its ${need}-byte layout`,
    {
      offset: got,
    },
  );
}

/** Subsystem command header `4B <subsys> <u16 subcmd>`. */
export function subsystemHeader(subsystem: number, subcommand: number): Uint8Array {
  return new ByteWriter(4).u8(DIAG_CMD.SUBSYSTEM).u8(subsystem).u16le(subcommand).finish();
}

/** The command code, the subsystem and subcommand a payload starts with (subsystem fields only for 0x4B). */
export function commandKey(payload: Uint8Array): { cmd: number; subsystem?: number; subcommand?: number } {
  const cmd = payload[0] ?? -1;
  if (cmd === DIAG_CMD.SUBSYSTEM && payload.length >= 4)
    return { cmd, subsystem: payload[1] as number, subcommand: (payload[2] as number) | ((payload[3] as number) << 8) };
  return { cmd };
}

/** Whether `response` answers `request` (same command byte; same 4-byte header for subsystem commands). */
export function isResponseTo(request: Uint8Array, response: Uint8Array): boolean {
  if (response.length === 0 || response[0] !== request[0]) return false;
  if (request[0] === DIAG_CMD.SUBSYSTEM) {
    for (let i = 1; i < 4; i++) if (response[i] !== request[i]) return false;
  }
  return true;
}

/**
 * The error an error reply (0x13, 0x14, 0x15, 0x18, 0x42, 0x47 + the request echoed) stands for, when `response` is
 * one for `request`; undefined otherwise.
 */
export function errorReplyFor(request: Uint8Array, response: Uint8Array): NvError | undefined {
  const info = DIAG_ERROR_REPLIES[response[0] ?? -1];
  if (info === undefined) return undefined;
  // The echo is the request (possibly truncated by the modem): it must agree on what it holds, up to 4 bytes.
  const n = Math.min(4, request.length, response.length - 1);
  for (let i = 0; i < n; i++) if (response[1 + i] !== request[i]) return undefined;
  const k = commandKey(request);
  const what =
    k.subsystem !== undefined
      ? `subsystem 0x${k.subsystem.toString(16)} command ${k.subcommand}`
      : `command 0x${k.cmd.toString(16).padStart(2, '0')}`;
  return new NvError(info.code, `the modem answered "${info.name}" to ${what}`, {
    data: { reply: response[0], request: [...request.subarray(0, 4)] },
  });
}

// --- version / build id ---------------------------------------------------------------------------------------

/** Version info (0x00) response. */
export interface DiagVersionInfo {
  compileDate: string;
  compileTime: string;
  releaseDate: string;
  releaseTime: string;
  versionDir: string;
  stationClassMark: number;
  caiRevision: number;
  mobileModel: number;
  firmwareRevision: number;
  slotCycleIndex: number;
  hwMajor: number;
  hwMinor: number;
}

const VERSION_BYTES = 1 + 11 + 8 + 11 + 8 + 8 + 1 + 1 + 1 + 2 + 1 + 1 + 1;

const str = (b: Uint8Array): string => decodeLatin1(b).replace(/\0[\s\S]*$/, '');
const fixed = (w: ByteWriter, s: string, n: number): void => {
  const b = new Uint8Array(n);
  b.set(encodeLatin1(s).subarray(0, n));
  w.bytes(b);
};

/** Version info request. */
export function encodeVersionRequest(): Uint8Array {
  return Uint8Array.of(DIAG_CMD.VERSION);
}

/**
 * Decodes a version info response (compile/release date and time, version dir, model …).
 * @throws NvError `NV_DIAG_BAD_RESPONSE`
 */
export function decodeVersionResponse(p: Uint8Array): DiagVersionInfo {
  if (p.length < VERSION_BYTES) throw short('version info', VERSION_BYTES, p.length);
  const r = reader(p, 'version');
  r.skip(1);
  return {
    compileDate: str(r.copy(11)),
    compileTime: str(r.copy(8)),
    releaseDate: str(r.copy(11)),
    releaseTime: str(r.copy(8)),
    versionDir: str(r.copy(8)),
    stationClassMark: r.u8(),
    caiRevision: r.u8(),
    mobileModel: r.u8(),
    firmwareRevision: r.u16le(),
    slotCycleIndex: r.u8(),
    hwMajor: r.u8(),
    hwMinor: r.u8(),
  };
}

/** Encodes a version info response (the simulator's side). */
export function encodeVersionResponse(v: DiagVersionInfo): Uint8Array {
  const w = new ByteWriter(VERSION_BYTES).u8(DIAG_CMD.VERSION);
  fixed(w, v.compileDate, 11);
  fixed(w, v.compileTime, 8);
  fixed(w, v.releaseDate, 11);
  fixed(w, v.releaseTime, 8);
  fixed(w, v.versionDir, 8);
  return w
    .u8(v.stationClassMark)
    .u8(v.caiRevision)
    .u8(v.mobileModel)
    .u16le(v.firmwareRevision)
    .u8(v.slotCycleIndex)
    .u8(v.hwMajor)
    .u8(v.hwMinor)
    .finish();
}

/** Extended build id (0x7C) response. */
export interface DiagBuildId {
  version: number;
  msmHwVersion: number;
  mobileModel: number;
  swRevision: string;
  modelString: string;
}

/** Extended build id request. */
export function encodeBuildIdRequest(): Uint8Array {
  return Uint8Array.of(DIAG_CMD.EXT_BUILD_ID);
}

/**
 * Decodes `7C <u8 ver> <u16 pad> <u32 msm hw> <u32 model> sw_revision\0 model\0`.
 * @throws NvError `NV_DIAG_BAD_RESPONSE`
 */
export function decodeBuildIdResponse(p: Uint8Array): DiagBuildId {
  if (p.length < 12) throw short('extended build id', 12, p.length);
  const r = reader(p, 'build id');
  r.skip(1);
  const version = r.u8();
  r.skip(2);
  const msmHwVersion = r.u32le();
  const mobileModel = r.u32le();
  const strings = decodeLatin1(p.subarray(12)).split('\0');
  return { version, msmHwVersion, mobileModel, swRevision: strings[0] ?? '', modelString: strings[1] ?? '' };
}

/** Encodes an extended build id response (the simulator's side). */
export function encodeBuildIdResponse(b: DiagBuildId): Uint8Array {
  return new ByteWriter(64)
    .u8(DIAG_CMD.EXT_BUILD_ID)
    .u8(b.version)
    .u16le(0)
    .u32le(b.msmHwVersion)
    .u32le(b.mobileModel)
    .bytes(encodeLatin1(`${b.swRevision}\0${b.modelString}\0`))
    .finish();
}

// --- NV items ----------------------------------------------------------------------------------------------------

/** An NV read/write packet (request or response): plain (`26`/`27`) or indexed per subscription (`4B 30 01|02 00`). */
export interface NvPacket {
  write: boolean;
  id: number;
  /** Subscription for the indexed form; undefined = plain form. */
  subscription?: number | undefined;
  /** 128 data bytes (item value zero-padded; arrays begin with the index byte). */
  data: Uint8Array;
  status: number;
}

/** Subsystem id of the indexed NV commands. */
export const NV_INDEXED_SUBSYSTEM = 0x30;

/**
 * Encodes an NV read/write packet (the request, or the simulator's response).
 * @throws {RangeError} on an id outside 0…65535 or data over 128 bytes
 * @example encodeNvPacket({ write: false, id: 10, data: new Uint8Array(0), status: 0 }) // 26 0A 00 …(133 B)
 */
export function encodeNvPacket(p: NvPacket): Uint8Array {
  if (!Number.isInteger(p.id) || p.id < 0 || p.id > 0xffff) throw new RangeError(`NV id ${p.id} is not 0…65535`);
  if (p.data.length > NV_DATA_BYTES) throw new RangeError(`NV data of ${p.data.length} bytes is over 128`);
  const data = new Uint8Array(NV_DATA_BYTES);
  data.set(p.data);
  const w = new ByteWriter(140);
  if (p.subscription === undefined) w.u8(p.write ? DIAG_CMD.NV_WRITE : DIAG_CMD.NV_READ).u16le(p.id);
  else
    w.u8(DIAG_CMD.SUBSYSTEM)
      .u8(NV_INDEXED_SUBSYSTEM)
      .u16le(p.write ? 2 : 1)
      .u16le(p.id)
      .u16le(p.subscription);
  return w.bytes(data).u16le(p.status).finish();
}

/**
 * Decodes an NV read/write packet; undefined when the payload is not one.
 * @throws NvError `NV_DIAG_BAD_RESPONSE` when it is one but too short
 */
export function decodeNvPacket(p: Uint8Array): NvPacket | undefined {
  const cmd = p[0];
  let head: number;
  let write: boolean;
  let indexed = false;
  if (cmd === DIAG_CMD.NV_READ || cmd === DIAG_CMD.NV_WRITE) {
    head = 1;
    write = cmd === DIAG_CMD.NV_WRITE;
  } else if (cmd === DIAG_CMD.SUBSYSTEM && p[1] === NV_INDEXED_SUBSYSTEM && (p[2] === 1 || p[2] === 2) && p[3] === 0) {
    head = 4;
    write = p[2] === 2;
    indexed = true;
  } else return undefined;
  const need = head + 2 + (indexed ? 2 : 0) + NV_DATA_BYTES + 2;
  if (p.length < need) throw short('NV', need, p.length);
  const r = new ByteReader(p);
  r.skip(head);
  const id = r.u16le();
  const subscription = indexed ? r.u16le() : undefined;
  const data = r.copy(NV_DATA_BYTES).slice();
  const status = r.u16le();
  return { write, id, subscription, data, status };
}

// --- SPC, password, mode -----------------------------------------------------------------------------------------

/**
 * SPC unlock request `41` + 6 ASCII digits.
 * @throws {RangeError} unless `spc` is 6 digits
 */
export function encodeSpcRequest(spc: string): Uint8Array {
  if (!/^\d{6}$/.test(spc)) throw new RangeError('the SPC is 6 decimal digits');
  return new ByteWriter(7).u8(DIAG_CMD.SPC).bytes(encodeLatin1(spc)).finish();
}

/**
 * Security password request `46` + 8 bytes.
 * @throws {RangeError} unless `password` is 8 bytes
 */
export function encodePasswordRequest(password: Uint8Array): Uint8Array {
  if (password.length !== 8) throw new RangeError('the security password is 8 bytes');
  return new ByteWriter(9).u8(DIAG_CMD.PASSWORD).bytes(password).finish();
}

/** Whether an SPC/password response says "unlocked" (byte 1 = 1). */
export function decodeUnlockResponse(p: Uint8Array): boolean {
  if (p.length < 2) throw short('SPC', 2, p.length);
  return p[1] === 1;
}

/** Mode control request `29 <u16 mode>`. */
export function encodeModeRequest(mode: number): Uint8Array {
  return new ByteWriter(3).u8(DIAG_CMD.MODE).u16le(mode).finish();
}

/** HDLC disable (diag-router subsystem 18, command 0x218): after it the link uses length-prefixed frames. */
export function encodeHdlcDisableRequest(): Uint8Array {
  return subsystemHeader(0x12, 0x218);
}
