/**
 * The simulated Qualcomm modem's DIAG face (`qcom-diag.md`): answers version, build id, NV read/write (plain and
 * per subscription), SPC, mode control and the EFS2 subsystem from the running modem's NV store and EFS tree, with
 * fault switches for tests (split frames, interleaved log packets, a bad CRC). Pure: bytes in, frames out; the TCP
 * server is in `node-qcom-diag.ts`. Framing and command layouts come from `@nv/qcom-diag` (one owner).
 * @module
 */
import { NvError } from '@nv/core';
import { decodeLatin1 } from '@nv/core/bytes';
import {
  DIAG_CMD,
  DiagFrameDecoder,
  EFS2_SUBSYSTEMS,
  NV_STATUS,
  decodeEfs2Request,
  decodeNvPacket,
  encodeBuildIdResponse,
  encodeDiagFrame,
  encodeEfs2Response,
  encodeNvPacket,
  encodeVersionResponse,
  type DiagFraming,
  type Efs2Command,
  type Efs2Fields,
} from '@nv/qcom-diag/protocol';
import { syncEfs, type QcomDevice } from './qcom-device.ts';
import { QCOM_EFS_MODES, efsWrite, nvItemPath, type QcomEfs, type QcomEfsNode } from './qcom-efs-store.ts';

/** Fault switches of the DIAG face (tests of the client's robustness). */
export interface DiagFaults {
  /** Send every frame in pieces of this many bytes (separate writes). */
  splitFrames?: number;
  /** Unsolicited log packets (cmd 0x10, holding 7E/7D bytes) sent before each answer. */
  logPackets?: number;
  /** Corrupt the CRC of every n-th answer (1 = every answer; the client must resend). */
  badCrcEvery?: number;
  /** Corrupt the CRC of the first n answers only. */
  badCrcFirst?: number;
}

/** Options of {@link QcomDiagFace}. */
export interface QcomDiagFaceOptions {
  framing?: DiagFraming;
  faults?: DiagFaults;
  /** EFS2 subsystems answered (default both 0x3E and 0x13). */
  efsSubsystems?: readonly number[];
  /** NV items the modem refuses to write (status 7 read-only). */
  readOnlyIds?: readonly number[];
  /** SPC the modem accepts (default "000000"). */
  spc?: string;
  /** Called after each write that changed the modem (e.g. to save the state). */
  onChange?: () => void;
  /** Called on every received chunk (idle timers). */
  onActivity?: () => void;
}

const ERR = { ENOENT: 2, EBADF: 9, EEXIST: 17, ENOTDIR: 20, EISDIR: 21, EINVAL: 22, ENOTEMPTY: 39 } as const;
const MAX_HANDLES = 64;

interface OpenFile {
  path: string;
  write: boolean;
  data: Uint8Array;
}

/**
 * A DIAG face over a booted simulated modem. Feed it the bytes a client sends; it returns the byte chunks to send
 * back (each chunk one write, so `splitFrames` shows up as separate reads).
 *
 * Writes through OPEN/WRITE are committed at CLOSE (a dropped connection leaves the old file: the "undo" half of
 * the Ctrl-C rule), and every change is synced to the modemst copies.
 * @example const face = new QcomDiagFace(dev); socket.on('data', (b) => face.receive(b).forEach((c) => socket.write(c)));
 */
export class QcomDiagFace {
  readonly device: QcomDevice;
  private readonly options: QcomDiagFaceOptions;
  private readonly decoder: DiagFrameDecoder;
  private readonly files = new Map<number, OpenFile>();
  private readonly dirs = new Map<number, string[]>();
  private nextHandle = 3;
  private answers = 0;
  private mode = 4;
  /** Requests answered, by command byte (tests). */
  readonly served: Map<number, number> = new Map();

  constructor(device: QcomDevice, options: QcomDiagFaceOptions = {}) {
    if (device.efs === undefined)
      throw new NvError('NV_SIM_QCOM_NOT_BOOTED', 'the simulated modem has not booted: boot it before serving DIAG');
    this.device = device;
    this.options = options;
    this.decoder = new DiagFrameDecoder(options.framing ?? 'hdlc');
  }

  private get efs(): QcomEfs {
    return this.device.efs as QcomEfs;
  }

  /** Bytes from the client → chunks to send back. Bad frames are dropped (the client times out and resends). */
  receive(bytes: Uint8Array): Uint8Array[] {
    this.options.onActivity?.();
    const out: Uint8Array[] = [];
    for (const f of this.decoder.push(bytes)) {
      if (!f.ok) continue;
      for (const p of this.answer(f.payload)) out.push(...this.frame(p));
    }
    return out;
  }

  /** Drops open files and folders without committing (the connection closed). */
  reset(): void {
    this.files.clear();
    this.dirs.clear();
  }

  private frame(payload: Uint8Array, unsolicited = false): Uint8Array[] {
    const faults = this.options.faults ?? {};
    const framing = this.options.framing ?? 'hdlc';
    const out: Uint8Array[] = [];
    if (!unsolicited)
      for (let i = 0; i < (faults.logPackets ?? 0); i++)
        out.push(...this.frame(Uint8Array.of(DIAG_CMD.LOG, 0, 12, 0, 0x7e, 0x7d, 0x10, 0x60, i & 0xff), true));
    let frame = encodeDiagFrame(payload, framing);
    if (!unsolicited && framing === 'hdlc') {
      this.answers++;
      const every = faults.badCrcEvery ?? 0;
      if ((every > 0 && this.answers % every === 0) || this.answers <= (faults.badCrcFirst ?? 0)) {
        frame = frame.slice();
        frame[0] = (frame[0] as number) ^ 0x01;
        if (frame[0] === 0x7e || frame[0] === 0x7d) frame[0] = (frame[0] as number) ^ 0x02;
      }
    }
    const n = faults.splitFrames ?? 0;
    if (n > 0) for (let i = 0; i < frame.length; i += n) out.push(frame.subarray(i, i + n));
    else out.push(frame);
    return out;
  }

  private count(cmd: number): void {
    this.served.set(cmd, (this.served.get(cmd) ?? 0) + 1);
  }

  private changed(): void {
    syncEfs(this.device);
    this.options.onChange?.();
  }

  /** The answer payloads to one request payload. */
  answer(req: Uint8Array): Uint8Array[] {
    const cmd = req[0] ?? -1;
    this.count(cmd);
    const bad = (code: number): Uint8Array[] => [Uint8Array.of(code, ...req.subarray(0, 16))];
    try {
      switch (cmd) {
        case DIAG_CMD.VERSION:
          return [
            encodeVersionResponse({
              compileDate: 'Dec 07 2026',
              compileTime: '00:00:00',
              releaseDate: 'Dec 07 2026',
              releaseTime: '00:00:00',
              versionDir: 'NV-SIM',
              stationClassMark: 0,
              caiRevision: 6,
              mobileModel: 0xff,
              firmwareRevision: 1,
              slotCycleIndex: 0,
              hwMajor: 1,
              hwMinor: 0,
            }),
          ];
        case DIAG_CMD.EXT_BUILD_ID:
          return [
            encodeBuildIdResponse({
              version: 2,
              msmHwVersion: Number(BigInt(this.device.state.build.hwId) >> 32n) >>> 0,
              mobileModel: 4096,
              swRevision: `NV-SIM.${this.device.state.build.swId}`,
              modelString: 'nv-sim-qcom',
            }),
          ];
        case DIAG_CMD.NV_READ:
        case DIAG_CMD.NV_WRITE:
          return [this.nv(req)];
        case DIAG_CMD.SPC: {
          const ok = decodeLatin1(req.subarray(1, 7)) === (this.options.spc ?? '000000');
          return [Uint8Array.of(DIAG_CMD.SPC, ok ? 1 : 0)];
        }
        case DIAG_CMD.MODE:
          if (req.length < 3) return bad(DIAG_CMD.BAD_LENGTH);
          this.mode = (req[1] as number) | ((req[2] as number) << 8);
          return [req.slice(0, 3)];
        case DIAG_CMD.SUBSYSTEM: {
          if (req[1] === 0x30) return [this.nv(req)];
          const e = decodeEfs2Request(req, this.options.efsSubsystems ?? EFS2_SUBSYSTEMS);
          if (e === undefined) return bad(DIAG_CMD.BAD_COMMAND);
          return [encodeEfs2Response(e.subsystem, e.cmd, this.efs2(e.cmd, e.fields))];
        }
        default:
          return bad(DIAG_CMD.BAD_COMMAND);
      }
    } catch (e) {
      if ((e as { code?: string }).code === 'NV_DIAG_BAD_RESPONSE' || (e as { code?: string }).code === 'NV_TRUNCATED')
        return bad(DIAG_CMD.BAD_LENGTH);
      throw e;
    }
  }

  /** Current mode (1 offline, 2 reset, 4 online …). */
  get currentMode(): number {
    return this.mode;
  }

  private nv(req: Uint8Array): Uint8Array {
    const p = decodeNvPacket(req);
    if (p === undefined) throw new NvError('NV_DIAG_BAD_RESPONSE', 'not an NV packet');
    const sub = p.subscription ?? 0;
    const info = this.device.state.nvInfo?.[String(p.id)];
    const arraySize = info?.arraySize ?? 0;
    const k = arraySize > 0 ? (p.data[0] as number) : 0;
    const reply = (status: number, data: Uint8Array = p.data): Uint8Array => encodeNvPacket({ ...p, data, status });
    if (arraySize > 0 && k >= arraySize) return reply(NV_STATUS.BAD_PARAMETER);
    const path = p.id >= 20000 ? `/nv/item_files/rfnv/${String(p.id).padStart(8, '0')}` : nvItemPath(p.id, k, sub);
    if (!p.write) {
      const node = this.efs.get(path);
      if (node === undefined || node.kind === 'dir' || node.kind === 'symlink') return reply(NV_STATUS.NOT_ACTIVE);
      const data = arraySize > 0 ? Uint8Array.of(k, ...node.data) : node.data;
      return reply(NV_STATUS.DONE, data.subarray(0, 128));
    }
    if ((this.options.readOnlyIds ?? []).includes(p.id)) return reply(NV_STATUS.READ_ONLY);
    if (info === undefined && p.id < 20000) return reply(NV_STATUS.NOT_DEFINED);
    const bytes =
      p.id >= 20000
        ? trimZeros(p.data)
        : arraySize > 0
          ? p.data.slice(1, 1 + (info as { size: number }).size)
          : p.data.slice(0, (info as { size: number }).size);
    efsWrite(this.efs, path, bytes, 'item');
    this.changed();
    return reply(NV_STATUS.DONE);
  }

  private handle(): number {
    if (this.files.size + this.dirs.size >= MAX_HANDLES) return -1;
    return this.nextHandle++;
  }

  private efs2(cmd: Efs2Command, f: Efs2Fields): Efs2Fields {
    const efs = this.efs;
    const path = typeof f['path'] === 'string' ? normalize(f['path'] as string) : '';
    const node = path !== '' ? efs.get(path) : undefined;
    const parentOk = (p: string): boolean => efs.get(parentOf(p))?.kind === 'dir';
    switch (cmd) {
      case 'hello':
        return { ...f };
      case 'query':
        return {
          maxNameLength: 80,
          maxPathLength: 1024,
          maxLinkDepth: 8,
          maxFileSize: 16 << 20,
          maxDirEntries: 4096,
          maxMounts: 4,
        };
      case 'open': {
        const oflag = f['oflag'] as number;
        const writing = (oflag & 3) !== 0;
        if (node?.kind === 'dir') return { fd: -1, errno: ERR.EISDIR };
        if (node === undefined && (!writing || (oflag & 0x40) === 0)) return { fd: -1, errno: ERR.ENOENT };
        if (node === undefined && (oflag & 0x80000) === 0 && !parentOk(path)) return { fd: -1, errno: ERR.ENOENT };
        const fd = this.handle();
        if (fd < 0) return { fd: -1, errno: 24 };
        const start = node === undefined || (oflag & 0x200) !== 0 ? new Uint8Array(0) : node.data.slice();
        this.files.set(fd, { path, write: writing, data: start });
        return { fd, errno: 0 };
      }
      case 'read': {
        const h = this.files.get(f['fd'] as number);
        const offset = f['offset'] as number;
        if (h === undefined)
          return { fd: f['fd'] as number, offset, bytesRead: -1, errno: ERR.EBADF, data: new Uint8Array(0) };
        const data = h.data.subarray(offset, offset + Math.min(f['nbytes'] as number, 1024));
        return { fd: f['fd'] as number, offset, bytesRead: data.length, errno: 0, data };
      }
      case 'write': {
        const h = this.files.get(f['fd'] as number);
        const offset = f['offset'] as number;
        const data = f['data'] as Uint8Array;
        if (h === undefined || !h.write) return { fd: f['fd'] as number, offset, bytesWritten: -1, errno: ERR.EBADF };
        if (offset + data.length > 16 << 20) return { fd: f['fd'] as number, offset, bytesWritten: -1, errno: 27 };
        if (offset + data.length > h.data.length) {
          const grown = new Uint8Array(offset + data.length);
          grown.set(h.data);
          h.data = grown;
        }
        h.data.set(data, offset);
        return { fd: f['fd'] as number, offset, bytesWritten: data.length, errno: 0 };
      }
      case 'close': {
        const h = this.files.get(f['fd'] as number);
        if (h === undefined) return { errno: ERR.EBADF };
        this.files.delete(f['fd'] as number);
        if (h.write) {
          const prev = efs.get(h.path);
          efsWrite(efs, h.path, h.data, prev?.kind === 'item' && h.data.length <= 128 ? 'item' : 'file');
          this.changed();
        }
        return { errno: 0 };
      }
      case 'readlink':
        if (node?.kind !== 'symlink') return { errno: node === undefined ? ERR.ENOENT : ERR.EINVAL, target: '' };
        return { errno: 0, target: node.target ?? '' };
      case 'unlink':
        if (node === undefined) return { errno: ERR.ENOENT };
        if (node.kind === 'dir') return { errno: ERR.EISDIR };
        efs.delete(path);
        this.changed();
        return { errno: 0 };
      case 'mkdir':
        if (node !== undefined) return { errno: ERR.EEXIST };
        if (!parentOk(path)) return { errno: ERR.ENOENT };
        efs.set(path, { kind: 'dir', mode: QCOM_EFS_MODES.dir, data: new Uint8Array(0) });
        this.changed();
        return { errno: 0 };
      case 'rmdir':
        if (node === undefined) return { errno: ERR.ENOENT };
        if (node.kind !== 'dir') return { errno: ERR.ENOTDIR };
        if (path === '/' || children(efs, path).length > 0) return { errno: ERR.ENOTEMPTY };
        efs.delete(path);
        this.changed();
        return { errno: 0 };
      case 'opendir': {
        if (node === undefined) return { dirp: 0, errno: ERR.ENOENT };
        if (node.kind !== 'dir') return { dirp: 0, errno: ERR.ENOTDIR };
        const dirp = this.handle();
        if (dirp < 0) return { dirp: 0, errno: 24 };
        this.dirs.set(dirp, children(efs, path));
        return { dirp, errno: 0 };
      }
      case 'readdir': {
        const list = this.dirs.get(f['dirp'] as number);
        const seq = f['seq'] as number;
        const none = { dirp: f['dirp'] as number, seq, entryType: 0, mode: 0, size: 0, atime: 0, mtime: 0, ctime: 0 };
        if (list === undefined) return { ...none, errno: ERR.EBADF, name: '' };
        const child = list[seq - 1];
        const n = child !== undefined ? efs.get(child) : undefined;
        if (child === undefined || n === undefined) return { ...none, errno: 0, name: '' };
        return {
          ...none,
          errno: 0,
          entryType: ['file', 'dir', 'symlink', 'item'].indexOf(n.kind),
          mode: n.mode,
          size: n.data.length,
          mtime: 315964800,
          name: child.slice(child.lastIndexOf('/') + 1),
        };
      }
      case 'closedir':
        return { errno: this.dirs.delete(f['dirp'] as number) ? 0 : ERR.EBADF };
      case 'rename': {
        const from = normalize(f['oldPath'] as string);
        const to = normalize(f['newPath'] as string);
        const src = efs.get(from);
        if (src === undefined) return { errno: ERR.ENOENT };
        if (!parentOk(to)) return { errno: ERR.ENOENT };
        if (efs.get(to)?.kind === 'dir') return { errno: ERR.EISDIR };
        const moves: [string, QcomEfsNode][] = [[from, src]];
        if (src.kind === 'dir') for (const [p, n] of efs) if (p.startsWith(`${from}/`)) moves.push([p, n]);
        for (const [p] of moves) efs.delete(p);
        for (const [p, n] of moves) efs.set(to + p.slice(from.length), n);
        this.changed();
        return { errno: 0 };
      }
      case 'stat':
      case 'lstat': {
        if (node === undefined) return { errno: ERR.ENOENT, mode: 0, size: 0, nlink: 0, atime: 0, mtime: 0, ctime: 0 };
        const t = 315964800;
        return { errno: 0, mode: node.mode, size: node.data.length, nlink: 1, atime: t, mtime: t, ctime: t };
      }
      case 'put': {
        const data = f['data'] as Uint8Array;
        if (node?.kind === 'dir') return { errno: ERR.EISDIR };
        if (data.length > 128) return { errno: 27 };
        if ((((f['flags'] as number) >>> 0) & 0x80000) === 0 && !parentOk(path)) return { errno: ERR.ENOENT };
        efsWrite(efs, path, data, 'item');
        this.changed();
        return { errno: 0 };
      }
      case 'get': {
        if (node === undefined) return { length: -1, errno: ERR.ENOENT, data: new Uint8Array(0) };
        if (node.kind === 'dir') return { length: -1, errno: ERR.EISDIR, data: new Uint8Array(0) };
        if (node.data.length > (f['dataLength'] as number)) return { length: -1, errno: 27, data: new Uint8Array(0) };
        return { length: node.data.length, errno: 0, data: node.data };
      }
    }
  }
}

function trimZeros(b: Uint8Array): Uint8Array {
  let n = b.length;
  while (n > 0 && b[n - 1] === 0) n--;
  return b.slice(0, n);
}

function normalize(p: string): string {
  const s = `/${p
    .split('/')
    .filter((x) => x !== '' && x !== '.')
    .join('/')}`;
  return s;
}

function parentOf(p: string): string {
  const i = p.lastIndexOf('/');
  return i <= 0 ? '/' : p.slice(0, i);
}

function children(efs: QcomEfs, dir: string): string[] {
  const prefix = dir === '/' ? '/' : `${dir}/`;
  const out: string[] = [];
  for (const p of efs.keys())
    if (p !== '/' && p.startsWith(prefix) && !p.slice(prefix.length).includes('/')) out.push(p);
  return out.sort();
}
