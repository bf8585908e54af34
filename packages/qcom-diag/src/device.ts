/**
 * Typed calls on a live modem over a {@link DiagClient}: version, build id, NV read/write (plain and per
 * subscription), SPC, mode control and the EFS2 file calls, each with its status or errno turned into an `NvError`.
 * @module
 */
import { NvError } from '@nv/core';
import type { DiagClient } from './client.ts';
import {
  NV_STATUS,
  decodeBuildIdResponse,
  decodeNvPacket,
  decodeUnlockResponse,
  decodeVersionResponse,
  encodeBuildIdRequest,
  encodeModeRequest,
  encodeNvPacket,
  encodeSpcRequest,
  encodeVersionRequest,
  nvStatusName,
  type DiagBuildId,
  type DiagVersionInfo,
} from './commands.ts';
import {
  EFS2_SUBSYSTEMS,
  EFS_ENTRY_TYPES,
  EFS_O,
  checkEfsErrno,
  decodeEfs2Response,
  encodeEfs2Request,
  type Efs2Command,
  type Efs2Fields,
} from './efs2.ts';

/** Device identity items that are never written: ESN 0, IMEI 550, MEID 1943. */
export const IDENTITY_NV_IDS: ReadonlySet<number> = new Set([0, 550, 1943]);

/** Result of an NV read: status and the 128 data bytes. */
export interface NvReadResult {
  id: number;
  subscription?: number | undefined;
  status: number;
  statusName: string;
  data: Uint8Array;
}

/** One EFS directory entry. */
export interface EfsDirEntry {
  name: string;
  path: string;
  type: 'file' | 'dir' | 'symlink' | 'item';
  mode: number;
  size: number;
  mtime: number;
}

/** EFS stat result. */
export interface EfsStat {
  mode: number;
  size: number;
  nlink: number;
  mtime: number;
}

/** Bytes per EFS READ/WRITE call unless HELLO negotiated otherwise (inferred, docs/formats/diag.md#efs2). */
export const EFS_CHUNK_BYTES = 512;

const S_IFMT = 0o170000;
/** EFS type of a `st_mode`. */
export function efsTypeOfMode(mode: number): 'file' | 'dir' | 'symlink' | 'item' {
  const t = mode & S_IFMT;
  return t === 0o040000 ? 'dir' : t === 0o120000 ? 'symlink' : t === 0o160000 ? 'item' : 'file';
}

/**
 * A live modem reached through a {@link DiagClient}.
 * @example
 * const modem = new DiagDevice(client);
 * const { data } = await modem.nvRead(10);
 */
export class DiagDevice {
  readonly client: DiagClient;
  private efsSub: number | undefined;

  constructor(client: DiagClient, options: { efsSubsystem?: number } = {}) {
    this.client = client;
    this.efsSub = options.efsSubsystem;
  }

  /** Version info (0x00). */
  async version(): Promise<DiagVersionInfo> {
    return decodeVersionResponse(await this.client.request(encodeVersionRequest()));
  }

  /** Extended build id (0x7C). */
  async buildId(): Promise<DiagBuildId> {
    return decodeBuildIdResponse(await this.client.request(encodeBuildIdRequest()));
  }

  /**
   * Reads an NV item; the status is returned, not thrown (callers skip "not active"). `subscription` uses the
   * indexed command; `arrayIndex` goes in data[0] as array items expect.
   */
  async nvRead(id: number, options: { subscription?: number; arrayIndex?: number } = {}): Promise<NvReadResult> {
    const data = options.arrayIndex !== undefined ? Uint8Array.of(options.arrayIndex) : new Uint8Array(0);
    const req = encodeNvPacket({ write: false, id, subscription: options.subscription, data, status: 0 });
    const p = decodeNvPacket(await this.client.request(req));
    if (p === undefined || p.id !== id)
      throw new NvError('NV_DIAG_BAD_RESPONSE', `the answer to NV read ${id} is not an NV packet for item ${id}`);
    return { id, subscription: p.subscription, status: p.status, statusName: nvStatusName(p.status), data: p.data };
  }

  /**
   * Writes an NV item (data zero-padded to 128 bytes). Identity items are refused before anything is sent.
   * @throws NvError `NV_DIAG_IDENTITY_ITEM`, `NV_DIAG_NV_STATUS` (status ≠ done, decoded)
   */
  async nvWrite(id: number, data: Uint8Array, options: { subscription?: number } = {}): Promise<void> {
    if (IDENTITY_NV_IDS.has(id))
      throw new NvError(
        'NV_DIAG_IDENTITY_ITEM',
        `NV ${id} is a device identity item (ESN 0, IMEI 550, MEID 1943); it is never written`,
        { data: { id } },
      );
    const req = encodeNvPacket({ write: true, id, subscription: options.subscription, data, status: 0 });
    const p = decodeNvPacket(await this.client.request(req));
    if (p === undefined || p.id !== id)
      throw new NvError('NV_DIAG_BAD_RESPONSE', `the answer to NV write ${id} is not an NV packet for item ${id}`);
    if (p.status !== NV_STATUS.DONE)
      throw new NvError('NV_DIAG_NV_STATUS', `NV write ${id}: the modem answered "${nvStatusName(p.status)}"`, {
        data: { id, status: p.status, statusName: nvStatusName(p.status) },
      });
  }

  /**
   * Sends the SPC.
   * @throws NvError `NV_DIAG_SPC_REFUSED`
   */
  async unlockSpc(spc: string): Promise<void> {
    if (!decodeUnlockResponse(await this.client.request(encodeSpcRequest(spc))))
      throw new NvError('NV_DIAG_SPC_REFUSED', 'the modem rejected the SPC');
  }

  /** Mode control (0x29): 1 offline, 2 reset, 3 FTM, 4 online, 5 low power. */
  async setMode(mode: number): Promise<void> {
    await this.client.request(encodeModeRequest(mode));
  }

  /**
   * The EFS2 subsystem the modem answers HELLO on (0x3E first, then 0x13), cached.
   * @throws NvError `NV_DIAG_NO_EFS`
   */
  async efsSubsystem(): Promise<number> {
    if (this.efsSub !== undefined) return this.efsSub;
    const hello: Efs2Fields = {
      targPktWindow: 0x100000,
      targByteWindow: 0x100000,
      hostPktWindow: 0x100000,
      hostByteWindow: 0x100000,
      iterPktWindow: 0x100000,
      cfgWindow: 0x100000,
      version: 1,
      minVersion: 1,
      maxVersion: 1,
      features: 0xffffffff,
    };
    for (const sub of EFS2_SUBSYSTEMS) {
      try {
        decodeEfs2Response('hello', await this.client.request(encodeEfs2Request(sub, 'hello', hello)));
        this.efsSub = sub;
        return sub;
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (code !== 'NV_DIAG_BAD_COMMAND' && code !== 'NV_DIAG_BAD_PARAMETER') throw e;
      }
    }
    throw new NvError('NV_DIAG_NO_EFS', 'the modem answers EFS2 HELLO on neither subsystem 0x3E nor 0x13');
  }

  /** One EFS2 call; the errno is checked unless `allowErrno`. */
  async efs(cmd: Efs2Command, fields: Efs2Fields, path?: string, allowErrno = false): Promise<Efs2Fields> {
    const sub = await this.efsSubsystem();
    const resends = this.client.stats.resends;
    const rsp = decodeEfs2Response(cmd, await this.client.request(encodeEfs2Request(sub, cmd, fields)));
    // DIAG has no request ids: after a resend (the first answer was lost to a bad CRC) a non-idempotent call sees
    // its own first run. EEXIST for mkdir, ENOENT for unlink/rmdir then mean "done".
    if (this.client.stats.resends !== resends) {
      const errno = rsp['errno'];
      if ((cmd === 'mkdir' && errno === 17) || ((cmd === 'unlink' || cmd === 'rmdir') && errno === 2))
        return { ...rsp, errno: 0 };
    }
    if (!allowErrno) checkEfsErrno(cmd, rsp, path);
    return rsp;
  }

  /** stat of a path; undefined when it does not exist (ENOENT). */
  async stat(path: string): Promise<EfsStat | undefined> {
    const r = await this.efs('stat', { path }, path, true);
    if (r['errno'] === 2) return undefined;
    checkEfsErrno('stat', r, path);
    return {
      mode: r['mode'] as number,
      size: r['size'] as number,
      nlink: r['nlink'] as number,
      mtime: r['mtime'] as number,
    };
  }

  /** The entries of one folder (without `.` and `..`). */
  async listDir(path: string): Promise<EfsDirEntry[]> {
    const { dirp } = await this.efs('opendir', { path }, path);
    const out: EfsDirEntry[] = [];
    try {
      for (let seq = 1; seq <= 1_000_000; seq++) {
        const r = await this.efs('readdir', { dirp: dirp as number, seq }, path);
        const name = r['name'] as string;
        if (name === '') break;
        if (name === '.' || name === '..') continue;
        const t = r['entryType'] as number;
        const mode = r['mode'] as number;
        out.push({
          name,
          path: path === '/' ? `/${name}` : `${path.replace(/\/$/, '')}/${name}`,
          type: mode !== 0 ? efsTypeOfMode(mode) : (EFS_ENTRY_TYPES[t] ?? 'file'),
          mode,
          size: r['size'] as number,
          mtime: r['mtime'] as number,
        });
      }
    } finally {
      await this.efs('closedir', { dirp: dirp as number }, path, true);
    }
    return out;
  }

  /** Whole file through OPEN/READ/CLOSE, in calls of `EFS_CHUNK_BYTES` (512) bytes. */
  async readFile(path: string, options: { maxBytes?: number } = {}): Promise<Uint8Array> {
    const max = options.maxBytes ?? 64 * 1024 * 1024;
    const { fd } = await this.efs('open', { oflag: EFS_O.RDONLY, mode: 0, path }, path);
    const parts: Uint8Array[] = [];
    let offset = 0;
    try {
      for (;;) {
        const r = await this.efs('read', { fd: fd as number, nbytes: EFS_CHUNK_BYTES, offset }, path);
        const n = r['bytesRead'] as number;
        const data = r['data'] as Uint8Array;
        if (r['offset'] !== offset || n < 0 || data.length < n)
          throw new NvError(
            'NV_DIAG_BAD_RESPONSE',
            `EFS2 read ${path}: answer for offset ${String(r['offset'])}, expected ${offset}`,
            { path, offset },
          );
        if (n === 0) break;
        parts.push(data.slice(0, n));
        offset += n;
        if (offset > max) throw new NvError('NV_LIMIT', `${path} is larger than ${max} bytes`, { path });
      }
    } finally {
      await this.efs('close', { fd: fd as number }, path, true);
    }
    const out = new Uint8Array(offset);
    let at = 0;
    for (const p of parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  /**
   * Writes a whole file through OPEN(O_CREAT|O_TRUNC|O_AUTODIR)/WRITE/CLOSE. `signal` is checked between chunks
   * only to let a caller undo; the file is always closed.
   */
  async writeFile(path: string, data: Uint8Array, mode = 0o777): Promise<void> {
    const { fd } = await this.efs(
      'open',
      { oflag: EFS_O.WRONLY | EFS_O.CREAT | EFS_O.TRUNC | EFS_O.AUTODIR, mode, path },
      path,
    );
    try {
      for (let offset = 0; offset < data.length;) {
        const chunk = data.subarray(offset, offset + EFS_CHUNK_BYTES);
        const r = await this.efs('write', { fd: fd as number, offset, data: chunk }, path);
        const n = r['bytesWritten'] as number;
        if (n <= 0)
          throw new NvError('NV_DIAG_BAD_RESPONSE', `EFS2 write ${path}: ${n} bytes written at ${offset}`, {
            path,
            offset,
          });
        offset += n;
      }
    } finally {
      await this.efs('close', { fd: fd as number }, path, true);
    }
  }

  /** An item file through GET (≤ 128 bytes). */
  async getItem(path: string): Promise<Uint8Array> {
    const r = await this.efs('get', { dataLength: 128, pad: 0, path }, path);
    const n = r['length'] as number;
    const data = r['data'] as Uint8Array;
    if (n < 0 || n > data.length) throw new NvError('NV_DIAG_BAD_RESPONSE', `EFS2 get ${path}: length ${n}`, { path });
    return data.slice(0, n);
  }

  /** An item file through PUT (≤ 128 bytes), creating folders (O_AUTODIR). */
  async putItem(path: string, data: Uint8Array): Promise<void> {
    if (data.length > 128) throw new RangeError(`item file ${path} of ${data.length} bytes is over 128`);
    await this.efs(
      'put',
      { dataLength: data.length, pad: 0, flags: EFS_O.CREAT | EFS_O.AUTODIR | EFS_O.TRUNC, mode: 0o777, data, path },
      path,
    );
  }

  /** Removes a file. */
  async unlink(path: string): Promise<void> {
    await this.efs('unlink', { path }, path);
  }

  /** Makes a folder. */
  async mkdir(path: string, mode = 0o777): Promise<void> {
    await this.efs('mkdir', { mode, path }, path);
  }

  /** Removes an empty folder. */
  async rmdir(path: string): Promise<void> {
    await this.efs('rmdir', { path }, path);
  }

  /** Renames a file or folder. */
  async rename(oldPath: string, newPath: string): Promise<void> {
    await this.efs('rename', { oldPath, newPath }, oldPath);
  }

  /** A symlink's target. */
  async readlink(path: string): Promise<string> {
    return (await this.efs('readlink', { path }, path))['target'] as string;
  }
}
