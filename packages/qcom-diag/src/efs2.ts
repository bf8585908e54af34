/**
 * The EFS2 subsystem (docs/formats/diag.md#efs2): `4B <0x13|0x3E> <u16 subcmd>` then i32 fields. One layout table drives
 * both directions, so the client's encoder and the simulator's decoder cannot disagree.
 * @module
 */
import { NvError } from '@nv/core';
import { ByteReader, ByteWriter, encodeLatin1 } from '@nv/core/bytes';
import { DIAG_CMD, subsystemHeader } from './commands.ts';

/** EFS2 subsystem ids: the classic one and the one newer modems answer on. */
export const EFS2_SUBSYSTEMS: readonly number[] = Object.freeze([0x3e, 0x13]);

/** EFS open flags. */
export const EFS_O = {
  RDONLY: 0,
  WRONLY: 1,
  RDWR: 2,
  CREAT: 0x40,
  TRUNC: 0x200,
  AUTODIR: 0x80000,
} as const;

/** READDIR entry types (inferred: 0 file, 1 dir, 2 link, 3 item). */
export const EFS_ENTRY_TYPES: readonly ('file' | 'dir' | 'symlink' | 'item')[] = Object.freeze([
  'file',
  'dir',
  'symlink',
  'item',
]);

/** POSIX errno names EFS2 uses. */
export const EFS_ERRNO_NAMES: Readonly<Record<number, string>> = Object.freeze({
  1: 'EPERM',
  2: 'ENOENT',
  5: 'EIO',
  9: 'EBADF',
  12: 'ENOMEM',
  13: 'EACCES',
  16: 'EBUSY',
  17: 'EEXIST',
  18: 'EXDEV',
  19: 'ENODEV',
  20: 'ENOTDIR',
  21: 'EISDIR',
  22: 'EINVAL',
  24: 'EMFILE',
  27: 'EFBIG',
  28: 'ENOSPC',
  36: 'ENAMETOOLONG',
  39: 'ENOTEMPTY',
  40: 'ELOOP',
  95: 'EOPNOTSUPP',
});

/** `ENOENT (2)`-style name of an errno. */
export function efsErrnoName(errno: number): string {
  return `${EFS_ERRNO_NAMES[errno] ?? 'errno'} (${errno})`;
}

/** Field types of an EFS2 layout (`bytes:<field>` = as many bytes as that earlier field says). */
export type Efs2FieldType = 'u16' | 'i16' | 'u32' | 'i32' | 'cstr' | 'rest' | `bytes:${string}`;
/** An EFS2 request or response layout after the 4-byte header. */
export type Efs2Layout = readonly (readonly [string, Efs2FieldType])[];
type Layout = Efs2Layout;
/** Name of an EFS2 subcommand. */
export type Efs2Command =
  | 'hello'
  | 'query'
  | 'open'
  | 'close'
  | 'read'
  | 'write'
  | 'readlink'
  | 'unlink'
  | 'mkdir'
  | 'rmdir'
  | 'opendir'
  | 'readdir'
  | 'closedir'
  | 'rename'
  | 'stat'
  | 'lstat'
  | 'put'
  | 'get';

const HELLO: Layout = [
  ['targPktWindow', 'u32'],
  ['targByteWindow', 'u32'],
  ['hostPktWindow', 'u32'],
  ['hostByteWindow', 'u32'],
  ['iterPktWindow', 'u32'],
  ['cfgWindow', 'u32'],
  ['version', 'u32'],
  ['minVersion', 'u32'],
  ['maxVersion', 'u32'],
  ['features', 'u32'],
];
const ERRNO: Layout = [['errno', 'i32']];
const STAT_RSP: Layout = [
  ['errno', 'i32'],
  ['mode', 'i32'],
  ['size', 'i32'],
  ['nlink', 'i32'],
  ['atime', 'i32'],
  ['mtime', 'i32'],
  ['ctime', 'i32'],
];

/** Every EFS2 subcommand: number, request and response layouts after the 4-byte header. */
export const EFS2_COMMANDS: Readonly<Record<Efs2Command, { sub: number; req: Efs2Layout; rsp: Efs2Layout }>> =
  Object.freeze({
    hello: { sub: 0, req: HELLO, rsp: HELLO },
    query: {
      sub: 1,
      req: [] as Layout,
      rsp: [
        ['maxNameLength', 'i32'],
        ['maxPathLength', 'i32'],
        ['maxLinkDepth', 'i32'],
        ['maxFileSize', 'i32'],
        ['maxDirEntries', 'i32'],
        ['maxMounts', 'i32'],
      ] as Layout,
    },
    open: {
      sub: 2,
      req: [
        ['oflag', 'i32'],
        ['mode', 'i32'],
        ['path', 'cstr'],
      ] as Layout,
      rsp: [
        ['fd', 'i32'],
        ['errno', 'i32'],
      ] as Layout,
    },
    close: { sub: 3, req: [['fd', 'i32']] as Layout, rsp: ERRNO },
    read: {
      sub: 4,
      req: [
        ['fd', 'i32'],
        ['nbytes', 'u32'],
        ['offset', 'u32'],
      ] as Layout,
      rsp: [
        ['fd', 'i32'],
        ['offset', 'u32'],
        ['bytesRead', 'i32'],
        ['errno', 'i32'],
        ['data', 'rest'],
      ] as Layout,
    },
    write: {
      sub: 5,
      req: [
        ['fd', 'i32'],
        ['offset', 'u32'],
        ['data', 'rest'],
      ] as Layout,
      rsp: [
        ['fd', 'i32'],
        ['offset', 'u32'],
        ['bytesWritten', 'i32'],
        ['errno', 'i32'],
      ] as Layout,
    },
    readlink: {
      sub: 7,
      req: [['path', 'cstr']] as Layout,
      rsp: [
        ['errno', 'i32'],
        ['target', 'cstr'],
      ] as Layout,
    },
    unlink: { sub: 8, req: [['path', 'cstr']] as Layout, rsp: ERRNO },
    mkdir: {
      sub: 9,
      req: [
        ['mode', 'i16'],
        ['path', 'cstr'],
      ] as Layout,
      rsp: ERRNO,
    },
    rmdir: { sub: 10, req: [['path', 'cstr']] as Layout, rsp: ERRNO },
    opendir: {
      sub: 11,
      req: [['path', 'cstr']] as Layout,
      rsp: [
        ['dirp', 'u32'],
        ['errno', 'i32'],
      ] as Layout,
    },
    readdir: {
      sub: 12,
      req: [
        ['dirp', 'u32'],
        ['seq', 'i32'],
      ] as Layout,
      rsp: [
        ['dirp', 'u32'],
        ['seq', 'i32'],
        ['errno', 'i32'],
        ['entryType', 'i32'],
        ['mode', 'i32'],
        ['size', 'i32'],
        ['atime', 'i32'],
        ['mtime', 'i32'],
        ['ctime', 'i32'],
        ['name', 'cstr'],
      ] as Layout,
    },
    closedir: { sub: 13, req: [['dirp', 'u32']] as Layout, rsp: ERRNO },
    rename: {
      sub: 14,
      req: [
        ['oldPath', 'cstr'],
        ['newPath', 'cstr'],
      ] as Layout,
      rsp: ERRNO,
    },
    stat: { sub: 15, req: [['path', 'cstr']] as Layout, rsp: STAT_RSP },
    lstat: { sub: 16, req: [['path', 'cstr']] as Layout, rsp: STAT_RSP },
    put: {
      sub: 38,
      req: [
        ['dataLength', 'u16'],
        ['pad', 'u16'],
        ['flags', 'i32'],
        ['mode', 'i16'],
        ['data', 'bytes:dataLength'],
        ['path', 'cstr'],
      ] as Layout,
      rsp: ERRNO,
    },
    get: {
      sub: 39,
      req: [
        ['dataLength', 'u16'],
        ['pad', 'u16'],
        ['path', 'cstr'],
      ] as Layout,
      rsp: [
        ['length', 'i32'],
        ['errno', 'i32'],
        ['data', 'rest'],
      ] as Layout,
    },
  });

/** Field values of one EFS2 request or response (numbers, strings, bytes). */
export type Efs2Fields = Record<string, number | string | Uint8Array>;

const MAX_PATH = 1024;

function encodeFields(w: ByteWriter, layout: Layout, f: Efs2Fields, what: string): void {
  for (const [name, type] of layout) {
    const v = f[name];
    const num = (): number => {
      if (typeof v === 'number') return v;
      if (v === undefined && name === 'pad') return 0;
      if (v === undefined && type.startsWith('u') && name === 'dataLength') return (f['data'] as Uint8Array).length;
      throw new TypeError(`${what}: field ${name} must be a number`);
    };
    if (type === 'u16') w.u16le(num());
    else if (type === 'i16') w.i16le(num());
    else if (type === 'u32') w.u32le(num() >>> 0);
    else if (type === 'i32') w.i32le(num() | 0);
    else if (type === 'cstr') {
      if (typeof v !== 'string') throw new TypeError(`${what}: field ${name} must be a string`);
      w.bytes(encodeLatin1(v)).u8(0);
    } else {
      if (!(v instanceof Uint8Array)) throw new TypeError(`${what}: field ${name} must be bytes`);
      w.bytes(v);
    }
  }
}

function decodeFields(p: Uint8Array, layout: Layout, what: string): Efs2Fields {
  const r = new ByteReader(p, { path: what });
  r.skip(4);
  const out: Efs2Fields = {};
  try {
    for (const [name, type] of layout) {
      if (type === 'u16') out[name] = r.u16le(name);
      else if (type === 'i16') out[name] = r.i16le(name);
      else if (type === 'u32') out[name] = r.u32le(name);
      else if (type === 'i32') out[name] = r.i32le(name);
      else if (type === 'cstr') out[name] = r.remaining === 0 ? '' : r.cstring(MAX_PATH, name);
      else if (type === 'rest') out[name] = r.rest().slice();
      else {
        const n = out[type.slice(6)];
        out[name] = r.copy(typeof n === 'number' ? n : 0, name);
      }
    }
  } catch (e) {
    throw new NvError(
      'NV_DIAG_BAD_RESPONSE',
      `${what}: ${(e as Error).message} (${p.length} bytes do not fit its layout)`,
      { offset: r.offset, cause: e },
    );
  }
  return out;
}

/**
 * Encodes an EFS2 request on `subsystem`.
 * @example encodeEfs2Request(0x13, 'stat', { path: '/nv' }) // 4B 13 0F 00 2F 6E 76 00
 */
export function encodeEfs2Request(subsystem: number, cmd: Efs2Command, fields: Efs2Fields): Uint8Array {
  const c = EFS2_COMMANDS[cmd];
  const w = new ByteWriter(64).bytes(subsystemHeader(subsystem, c.sub));
  encodeFields(w, c.req, fields, `EFS2 ${cmd} request`);
  return w.finish();
}

/** Encodes an EFS2 response (the simulator's side): header then the response fields. */
export function encodeEfs2Response(subsystem: number, cmd: Efs2Command, fields: Efs2Fields): Uint8Array {
  const c = EFS2_COMMANDS[cmd];
  const w = new ByteWriter(64).bytes(subsystemHeader(subsystem, c.sub));
  encodeFields(w, c.rsp, fields, `EFS2 ${cmd} response`);
  return w.finish();
}

/**
 * Decodes an EFS2 response payload (header included) into its fields.
 * @throws NvError `NV_DIAG_BAD_RESPONSE`
 */
export function decodeEfs2Response(cmd: Efs2Command, payload: Uint8Array): Efs2Fields {
  return decodeFields(payload, EFS2_COMMANDS[cmd].rsp, `EFS2 ${cmd} response`);
}

/**
 * Decodes an EFS2 request (the simulator's side): which subcommand on which subsystem, and its fields; undefined
 * when the payload is not an EFS2 request on one of `subsystems`.
 * @throws NvError `NV_DIAG_BAD_RESPONSE` when the fields do not fit the layout
 */
export function decodeEfs2Request(
  payload: Uint8Array,
  subsystems: readonly number[] = EFS2_SUBSYSTEMS,
): { subsystem: number; cmd: Efs2Command; fields: Efs2Fields } | undefined {
  if (payload.length < 4 || payload[0] !== DIAG_CMD.SUBSYSTEM || !subsystems.includes(payload[1] as number))
    return undefined;
  const sub = (payload[2] as number) | ((payload[3] as number) << 8);
  const entry = Object.entries(EFS2_COMMANDS).find(([, c]) => c.sub === sub);
  if (entry === undefined) return undefined;
  const cmd = entry[0] as Efs2Command;
  return { subsystem: payload[1] as number, cmd, fields: decodeFields(payload, entry[1].req, `EFS2 ${cmd} request`) };
}

/** Throws `NV_DIAG_EFS_ERRNO` when `fields.errno` is not 0. */
export function checkEfsErrno(cmd: Efs2Command, fields: Efs2Fields, path?: string): void {
  const errno = fields['errno'];
  if (typeof errno === 'number' && errno !== 0)
    throw new NvError(
      'NV_DIAG_EFS_ERRNO',
      `EFS2 ${cmd}${path !== undefined ? ` ${path}` : ''}: ${efsErrnoName(errno)}`,
      {
        path,
        data: { errno, errnoName: EFS_ERRNO_NAMES[errno] ?? null },
      },
    );
}
