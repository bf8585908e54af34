/**
 * The device tar (docs/formats/efs-tar.md#tar, docs/formats/efs-tar.md#pack, docs/formats/efs-tar.md#unwrap): old V7 headers with absolute names, written by hand
 * because tar-stream always writes ustar magic and its own number format (docs/formats/index.md#libraries).
 * @module
 */
import { NvError, resolveLimits, enforceLimit, type Limits } from '@nv/core';
import { encodeLatin1, decodeLatin1 } from '@nv/core/bytes';
import { tarHeaderSum } from '@nv/qcom-fsg-sign/container';
import {
  DEVICE_MTIME,
  MAX_ITEM_BYTES,
  S_IFITM,
  S_IFMT,
  deviceOrder,
  type EfsEntry,
  type EfsTree,
  type EfsWarning,
  type NormalizeOptions,
} from './tree.ts';

/** Tar block size. */
export const TAR_BLOCK = 512;

/** Header flavour: `v7` as the device writes (default), or POSIX `ustar` to reach names over 99 B with `prefix`. */
export type TarFormat = 'v7' | 'ustar';

/** Options of {@link encodeEfsTar}. */
export interface TarEncodeOptions extends NormalizeOptions {
  /** Header flavour (default `v7`, docs/formats/efs-tar.md#pack (1)). */
  readonly format?: TarFormat;
}

function octal(value: number, width: number, field: string, path: string): string {
  if (!Number.isInteger(value) || value < 0 || value >= 8 ** width)
    throw new RangeError(`${path}: ${field} ${value} does not fit ${width} octal digits`);
  return value.toString(8).padStart(width, '0');
}

// ASCII only (numbers and checked names): a plain loop beats an encoder call for 6 short fields per header.
function putString(h: Uint8Array, at: number, text: string): void {
  for (let i = 0; i < text.length; i++) h[at + i] = text.charCodeAt(i) & 0xff;
}

/**
 * Where a POSIX ustar header splits a name over 99 bytes into `prefix` (≤ 155 B) `/` `name` (≤ 99 B), or -1 when it
 * cannot (docs/formats/efs-tar.md#pack (1)). The one rule `pack --format ustar` and `lint` share (issue 14.7).
 * @example ustarSplit(encodeLatin1('/a'.repeat(60))) // 118
 */
export function ustarSplit(name: Uint8Array): number {
  if (name.length <= 99) return 0;
  for (let i = Math.min(155, name.length - 1); i > 0; i--) {
    if (name[i] === 0x2f && name.length - i - 1 <= 99 && name.length - i - 1 > 0) return i;
  }
  return -1;
}

/**
 * One 512-B header (docs/formats/efs-tar.md#tar): name, `%07o\0` mode/uid/gid, `%011o\0` size/mtime, `%06o\0 ` checksum, typeflag,
 * linkname; everything after 257 is NUL in V7.
 * @throws NvError `NV_EFS_TAR_NAME_TOO_LONG`
 * @example encodeTarHeader({ path: '/', type: 'dir', mode: 0o40777, uid: 0, gid: 0, mtime: 315964800 })
 */
export function encodeTarHeader(entry: EfsEntry, format: TarFormat = 'v7'): Uint8Array<ArrayBuffer> {
  const h = new Uint8Array(TAR_BLOCK);
  writeTarHeader(h, entry, format);
  return h;
}

/** Writes one header into a zeroed 512-B view (shared by the header, chunk and whole-tar writers). */
function writeTarHeader(h: Uint8Array, entry: EfsEntry, format: TarFormat): void {
  const name = encodeLatin1(entry.path);
  let prefix: Uint8Array | undefined;
  let base = name;
  if (name.length > 99) {
    if (format === 'v7') {
      throw new NvError(
        'NV_EFS_TAR_NAME_TOO_LONG',
        `${entry.path} is ${name.length} bytes; the device tar holds at most 99 (use format "ustar" to split it into prefix + name, §2.7)`,
        { path: entry.path },
      );
    }
    const split = ustarSplit(name);
    if (split < 0)
      throw new NvError(
        'NV_EFS_TAR_NAME_TOO_LONG',
        `${entry.path} cannot be split into a 155-B prefix and a 99-B name`,
        { path: entry.path },
      );
    prefix = name.subarray(0, split);
    base = name.subarray(split + 1);
  }
  h.set(base, 0);
  const size = entry.type === 'item' || entry.type === 'file' ? (entry.data?.length ?? 0) : 0;
  putString(h, 100, `${octal(entry.mode, 7, 'mode', entry.path)}\0`);
  putString(h, 108, `${octal(entry.uid, 7, 'uid', entry.path)}\0`);
  putString(h, 116, `${octal(entry.gid, 7, 'gid', entry.path)}\0`);
  putString(h, 124, `${octal(size, 11, 'size', entry.path)}\0`);
  putString(h, 136, `${octal(entry.mtime, 11, 'mtime', entry.path)}\0`);
  h[156] = entry.type === 'dir' ? 0x35 : entry.type === 'symlink' ? 0x32 : 0x30;
  if (entry.type === 'symlink') {
    const target = encodeLatin1(entry.target ?? '');
    if (target.length > 100)
      throw new NvError('NV_EFS_TAR_NAME_TOO_LONG', `symlink target of ${entry.path} is over 100 bytes`, {
        path: entry.path,
      });
    h.set(target, 157);
  }
  if (format === 'ustar') {
    putString(h, 257, 'ustar\u0000' + '00');
    if (prefix !== undefined) h.set(prefix, 345);
  }
  const sum = tarHeaderSum(h);
  putString(h, 148, `${octal(sum, 6, 'checksum', entry.path)}\0 `);
}

/**
 * The device tar as chunks (one header, then the entry's zero-padded frames), in device order, ending with
 * two zero blocks (docs/formats/efs-tar.md#pack). Lets the Node entry stream into gzip without building the whole tar.
 * @throws NvError `NV_EFS_BAD_PATH`, `NV_EFS_TAR_NAME_TOO_LONG`
 * @example for (const chunk of efsTarChunks(tree)) sink.write(chunk);
 */
export function* efsTarChunks(
  tree: EfsTree,
  options: TarEncodeOptions = {},
  warnings: EfsWarning[] = [],
): Generator<Uint8Array, void, undefined> {
  const { entries, warnings: w } = deviceOrder(tree, options);
  warnings.push(...w);
  const format = options.format ?? 'v7';
  for (const e of entries) {
    if (e.type === 'item' && (e.data?.length ?? 0) > MAX_ITEM_BYTES) {
      warnings.push({
        code: 'NV_EFS_TAR_SUSPECT_ENTRY',
        message: `${e.path} has the item bit but ${e.data?.length} bytes; the modem stores it as a regular file (§5 #8)`,
        path: e.path,
      });
    }
    const header = encodeTarHeader(e, format);
    const data = e.type === 'item' || e.type === 'file' ? (e.data as Uint8Array) : undefined;
    if (data === undefined || data.length === 0) {
      yield header;
      continue;
    }
    const padded = Math.ceil(data.length / TAR_BLOCK) * TAR_BLOCK;
    const chunk = new Uint8Array(TAR_BLOCK + padded);
    chunk.set(header, 0);
    chunk.set(data, TAR_BLOCK);
    yield chunk;
  }
  yield new Uint8Array(2 * TAR_BLOCK);
}

/**
 * Encodes an EFS tree as the device tar (docs/formats/efs-tar.md#pack): `/` first, breadth-first bytewise order, V7 headers, two zero blocks.
 * @throws NvError `NV_EFS_BAD_PATH`, `NV_EFS_TAR_NAME_TOO_LONG`
 * @example const { tar } = encodeEfsTar({ entries: [] }); // 1 536 B: `/` + two zero blocks
 */
export function encodeEfsTar(
  tree: EfsTree,
  options: TarEncodeOptions = {},
): { tar: Uint8Array<ArrayBuffer>; entries: number; warnings: EfsWarning[] } {
  const { entries, warnings } = deviceOrder(tree, options);
  const format = options.format ?? 'v7';
  // One buffer, headers written in place: no per-entry chunk and no second copy.
  let total = 2 * TAR_BLOCK;
  for (const e of entries)
    total +=
      TAR_BLOCK +
      (e.type === 'item' || e.type === 'file' ? Math.ceil((e.data?.length ?? 0) / TAR_BLOCK) * TAR_BLOCK : 0);
  const tar = new Uint8Array(total);
  let at = 0;
  for (const e of entries) {
    if (e.type === 'item' && (e.data?.length ?? 0) > MAX_ITEM_BYTES) {
      warnings.push({
        code: 'NV_EFS_TAR_SUSPECT_ENTRY',
        message: `${e.path} has the item bit but ${e.data?.length} bytes; the modem stores it as a regular file (§5 #8)`,
        path: e.path,
      });
    }
    writeTarHeader(tar.subarray(at, at + TAR_BLOCK), e, format);
    at += TAR_BLOCK;
    if ((e.type === 'item' || e.type === 'file') && e.data !== undefined && e.data.length > 0) {
      tar.set(e.data, at);
      at += Math.ceil(e.data.length / TAR_BLOCK) * TAR_BLOCK;
    }
  }
  return { tar, entries: entries.length, warnings };
}

/** One raw tar member as read (docs/formats/efs-tar.md#unwrap). */
export interface TarMember {
  /** Normalised absolute path (`/` for the root). */
  readonly path: string;
  /** Raw typeflag character (`'0'`, `'5'`, `'2'`, `'\0'` or an unsupported one). */
  readonly typeflag: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly mtime: number;
  readonly size: number;
  readonly linkname: string;
  /** Offset of the header in the tar. */
  readonly headerOffset: number;
  /** The bytes (a view into the tar). */
  readonly data: Uint8Array;
  /**
   * Set when the name came from a GNU long-name (`L`) or pax (`x`) header before this member (only when
   * `strictTypeflag` is `false`): the modem never reads those headers and would see only {@link rawName}.
   */
  readonly longName?: 'gnu' | 'pax';
  /** The name as stored in this header's own name (and POSIX prefix) field, when {@link longName} replaced it. */
  readonly rawName?: string;
}

/** Options of {@link decodeTar}. */
export interface TarDecodeOptions {
  /** `true` (default): unsupported typeflags are errors; `false` (`ls`): warnings and the member is kept. */
  readonly strictTypeflag?: boolean;
  /** Offset of the tar in the outer file, added to error offsets. */
  readonly baseOffset?: number;
  readonly limits?: Partial<Limits>;
}

function isZeroBlock(b: Uint8Array, at: number): boolean {
  for (let i = at; i < at + TAR_BLOCK; i++) if (b[i] !== 0) return false;
  return true;
}

function parseOctal(b: Uint8Array, at: number, len: number, field: string, offset: number): number {
  if (((b[at] as number) & 0x80) !== 0) {
    throw new NvError('NV_EFS_BAD_TAR_NUMBER', `tar ${field} uses base-256, which the modem cannot read (§2.7)`, {
      offset: offset + at,
    });
  }
  let i = at;
  const end = at + len;
  while (i < end && b[i] === 0x20) i++;
  let value = 0;
  let digits = 0;
  while (i < end && (b[i] as number) >= 0x30 && (b[i] as number) <= 0x37) {
    value = value * 8 + ((b[i] as number) - 0x30);
    i++;
    digits++;
  }
  // The rest must be NUL/space terminators.
  for (; i < end; i++) {
    if (b[i] !== 0 && b[i] !== 0x20) {
      throw new NvError(
        'NV_EFS_BAD_TAR_NUMBER',
        `tar ${field} is not octal: ${JSON.stringify(decodeLatin1(b.subarray(at, end)))}`,
        { offset: offset + at },
      );
    }
  }
  if (digits === 0 && field !== 'mtime' && field !== 'uid' && field !== 'gid' && field !== 'size') {
    throw new NvError('NV_EFS_BAD_TAR_NUMBER', `tar ${field} is empty`, { offset: offset + at });
  }
  return value;
}

function cString(b: Uint8Array, at: number, len: number): string {
  let end = at;
  while (end < at + len && b[end] !== 0) end++;
  return decodeLatin1(b.subarray(at, end));
}

const ACCEPTED_TYPEFLAGS = new Set(['0', '\0', '5', '2']);

/** Largest GNU long-name / pax header data read (64 KiB; real ones are a few hundred bytes). */
const MAX_LONG_HEADER_BYTES = 64 * 1024;

/**
 * The `key=value` records of a pax extended header (`"<len> <key>=<value>\n"`, POSIX.1-2001). Malformed records end
 * the parse: the header is refused anyway, this only recovers the name for a readable message.
 */
export function parsePaxRecords(data: Uint8Array): Record<string, string> {
  const out: Record<string, string> = {};
  const text = decodeLatin1(data);
  let at = 0;
  while (at < text.length) {
    const sp = text.indexOf(' ', at);
    if (sp < 0) break;
    const len = Number(text.slice(at, sp));
    if (!Number.isInteger(len) || len <= sp - at + 1 || at + len > text.length) break;
    const record = text.slice(sp + 1, at + len - 1);
    const eq = record.indexOf('=');
    if (eq > 0) out[record.slice(0, eq)] = record.slice(eq + 1);
    at += len;
  }
  return out;
}

/** What a typeflag that the modem rejects is, for messages (docs/formats/efs-tar.md#pitfalls #5). */
function typeflagCause(typeflag: string, name: string): string {
  const n = JSON.stringify(name);
  switch (typeflag) {
    case 'L':
      return `GNU long-name header (typeflag L, ${n}): a GNU-format tar (tar --format=gnu)`;
    case 'K':
      return `GNU long-link header (typeflag K, ${n}): a GNU-format tar (tar --format=gnu)`;
    case 'x':
      return `pax extended header (typeflag x, ${n}): a pax/POSIX.1-2001 tar (tar --format=pax, bsdtar)`;
    case 'g':
      return `pax global header (typeflag g, ${n}): a pax/POSIX.1-2001 tar`;
    case '1':
      return `hard link (typeflag 1) ${n}`;
    case '3':
    case '4':
      return `device node (typeflag ${typeflag}) ${n}`;
    case '6':
      return `FIFO (typeflag 6) ${n}`;
    default:
      return `tar typeflag ${JSON.stringify(typeflag)} of ${n}`;
  }
}

/** The fix every GNU/pax finding names: `repack` converts such a tar, but never stores names over 99 bytes (docs/formats/efs-tar.md#pitfalls #6). */
export const REPACK_HINT =
  'convert the archive with `nv qcom efs repack` (names over 99 bytes must be shortened first)';

/**
 * Reads a tar (docs/formats/efs-tar.md#unwrap) with the device's rules: checksums, octal numbers (leading spaces, NUL/space ends; base-256
 * refused), zero padding, typeflags `0`/NUL/`5`/`2`, POSIX `prefix` only with `ustar\0` `00`, two zero blocks.
 * Extra zero blocks after the end are accepted; anything else after it is an error.
 * @throws NvError `NV_EFS_BAD_TAR_CHECKSUM`, `NV_EFS_BAD_TAR_NUMBER`, `NV_EFS_BAD_TAR_TYPEFLAG`, `NV_EFS_BAD_TAR_PADDING`, `NV_EFS_BAD_TAR_END`, `NV_TRUNCATED`, `NV_LIMIT`
 * @example const { members } = decodeTar(tarBytes);
 */
export function decodeTar(
  tar: Uint8Array,
  options: TarDecodeOptions = {},
): { members: TarMember[]; warnings: EfsWarning[] } {
  const reader = new TarReader(options);
  const members: TarMember[] = [];
  reader.feed(tar, true, (m) => members.push(m));
  return { members, warnings: reader.warnings };
}

/**
 * The device tar reader of {@link decodeTar}, incremental (issue 17: `ls` and `unpack` of a big `fs_image.tar.gz`
 * read it as a stream): `feed` takes the bytes not consumed yet plus new ones and returns how many it consumed;
 * each member is handed to `onMember` with its data as a view of the bytes fed (copy it to keep it). A member is
 * read only when its header and data are all there, so memory is bounded by the largest member.
 */
export class TarReader {
  readonly warnings: EfsWarning[] = [];
  private readonly limits: Limits;
  private readonly base: number;
  private readonly strict: boolean;
  /** Offset in the tar of the first byte of the next `feed`. */
  private pos = 0;
  private count = 0;
  private ended = false;
  // Name (and link target) announced by a GNU `L`/`K` or pax `x` header for the next member (non-strict mode only).
  private pendingName: { name: string; kind: 'gnu' | 'pax' } | undefined;
  private pendingLink: string | undefined;

  constructor(options: TarDecodeOptions = {}) {
    this.limits = resolveLimits(options.limits);
    this.base = options.baseOffset ?? 0;
    this.strict = options.strictTypeflag ?? true;
  }

  /**
   * Reads every whole member of `tar` (which starts at the first byte not consumed by the previous call); `final`
   * says no bytes follow. Returns how many bytes were consumed.
   * @throws NvError as {@link decodeTar}
   */
  feed(tar: Uint8Array, final: boolean, onMember: (m: TarMember) => void): number {
    const base = this.base + this.pos;
    const limits = this.limits;
    const strict = this.strict;
    const warnings = this.warnings;
    let at = 0;
    if (this.ended) {
      for (let i = 0; i < tar.length; i++)
        if (tar[i] !== 0)
          throw new NvError('NV_EFS_BAD_TAR_END', 'data after the two zero blocks that end the tar', {
            offset: base + i,
          });
      this.pos += tar.length;
      return tar.length;
    }
    while (at + TAR_BLOCK <= tar.length) {
      if (isZeroBlock(tar, at)) {
        if (at + 2 * TAR_BLOCK > tar.length && !final) break;
        if (at + 2 * TAR_BLOCK <= tar.length && isZeroBlock(tar, at + TAR_BLOCK)) {
          this.ended = true;
          at += 2 * TAR_BLOCK;
          break;
        }
        throw new NvError('NV_EFS_BAD_TAR_END', 'a single zero block is not the end of a tar: two are needed (§2.7)', {
          offset: base + at,
        });
      }
      enforceLimit(limits, 'maxEntries', this.count + 1, { offset: base + at });
      const h = tar.subarray(at, at + TAR_BLOCK);
      const stored = parseOctal(h, 148, 8, 'checksum', base + at);
      const sum = tarHeaderSum(h);
      if (sum !== stored) {
        throw new NvError(
          'NV_EFS_BAD_TAR_CHECKSUM',
          `tar header checksum is ${stored.toString(8)} but the header sums to ${sum.toString(8)}; the modem asserts on it (§5 #3)`,
          { offset: base + at + 148 },
        );
      }
      const mode = parseOctal(h, 100, 8, 'mode', base + at);
      const uid = parseOctal(h, 108, 8, 'uid', base + at);
      const gid = parseOctal(h, 116, 8, 'gid', base + at);
      const size = parseOctal(h, 124, 12, 'size', base + at);
      const mtime = parseOctal(h, 136, 12, 'mtime', base + at);
      const frames = Math.ceil(size / TAR_BLOCK) * TAR_BLOCK;
      // Streaming: wait for the whole member (its header is read again when it is all there); the size limit is
      // checked first so that a huge claimed size is refused instead of awaited.
      if (!final && at + TAR_BLOCK + frames > tar.length) {
        enforceLimit(limits, 'maxInflatedBytes', size, { offset: base + at + 124 });
        break;
      }
      const typeflag = String.fromCharCode(h[156] as number);
      const linkname = cString(h, 157, 100);
      let name = cString(h, 0, 100);
      const magic = decodeLatin1(h.subarray(257, 265));
      const prefix = cString(h, 345, 155);
      if (prefix !== '') {
        if (magic === 'ustar\u000000') name = `${prefix}/${name}`;
        else
          warnings.push({
            code: 'NV_EFS_TAR_SUSPECT_ENTRY',
            message: `entry ${name} has a prefix but no POSIX magic; the modem ignores the prefix (§2.7)`,
            offset: base + at + 345,
          });
      }
      if (this.count === 0 && name === '')
        throw new NvError('NV_EFS_BAD_TAR_END', 'the first tar entry has an empty name (not a tar, §3.12)', {
          offset: base + at,
        });
      const isData = typeflag === '0' || typeflag === '\0';
      if (!ACCEPTED_TYPEFLAGS.has(typeflag)) {
        const message = `${typeflagCause(typeflag, name)}: the modem accepts only typeflags 0, NUL, 5 and 2 and fails on this one (§5 #5); ${REPACK_HINT}`;
        if (strict) throw new NvError('NV_EFS_BAD_TAR_TYPEFLAG', message, { offset: base + at + 156, path: name });
        warnings.push({ code: 'NV_EFS_BAD_TAR_TYPEFLAG', message, path: name, offset: base + at + 156 });
      }
      // Only regular files carry data on the device (dirs/symlinks have size 0, docs/formats/efs-tar.md#tar); other flags' data is skipped.
      const dataStart = at + TAR_BLOCK;
      enforceLimit(limits, 'maxInflatedBytes', size, { offset: base + at + 124 });
      if (dataStart + frames > tar.length) {
        throw new NvError('NV_TRUNCATED', `tar entry ${name} needs ${size} bytes of data; the tar ends first`, {
          offset: base + tar.length,
          path: name,
        });
      }
      for (let i = dataStart + size; i < dataStart + frames; i++) {
        if (tar[i] !== 0)
          throw new NvError(
            'NV_EFS_BAD_TAR_PADDING',
            `frame padding after ${name} is not zero; the modem asserts on it (§5 #4)`,
            { offset: base + i, path: name },
          );
      }
      this.count++;
      if (typeflag === 'L' || typeflag === 'K' || typeflag === 'x') {
        // Read the name these headers carry so that ls/unpack never show a name cut at 100 bytes (issue 14.5).
        const body = tar.subarray(dataStart, dataStart + Math.min(size, MAX_LONG_HEADER_BYTES));
        if (typeflag === 'L') this.pendingName = { name: cString(body, 0, body.length), kind: 'gnu' };
        else if (typeflag === 'K') this.pendingLink = cString(body, 0, body.length);
        else {
          const pax = parsePaxRecords(body);
          if (pax['path'] !== undefined) this.pendingName = { name: pax['path'], kind: 'pax' };
          if (pax['linkpath'] !== undefined) this.pendingLink = pax['linkpath'];
        }
        onMember({
          path: name,
          typeflag,
          mode,
          uid,
          gid,
          mtime,
          size,
          linkname,
          headerOffset: base + at,
          data: body,
        });
        at = dataStart + frames;
        continue;
      }
      let longName: 'gnu' | 'pax' | undefined;
      let rawName: string | undefined;
      const pendingName = this.pendingName;
      if (pendingName !== undefined && ACCEPTED_TYPEFLAGS.has(typeflag)) {
        if (pendingName.name !== name) {
          rawName = name;
          longName = pendingName.kind;
          warnings.push({
            code: 'NV_EFS_BAD_TAR_TYPEFLAG',
            message: `${pendingName.name} (${pendingName.name.length} B) is named by a ${pendingName.kind === 'gnu' ? 'GNU long-name' : 'pax'} header the modem does not read; it would see ${JSON.stringify(name)}; ${REPACK_HINT}`,
            path: pendingName.name,
            offset: base + at,
          });
          name = pendingName.name;
        }
      }
      this.pendingName = undefined;
      const link = this.pendingLink ?? linkname;
      this.pendingLink = undefined;
      const data = isData ? tar.subarray(dataStart, dataStart + size) : new Uint8Array(0);
      onMember({
        path: name,
        typeflag,
        mode,
        uid,
        gid,
        mtime,
        size,
        linkname: link,
        headerOffset: base + at,
        data,
        ...(longName !== undefined ? { longName, rawName: rawName as string } : {}),
      });
      at = dataStart + frames;
    }
    if (this.ended) {
      for (let i = at; i < tar.length; i++) {
        if (tar[i] !== 0)
          throw new NvError('NV_EFS_BAD_TAR_END', 'data after the two zero blocks that end the tar', {
            offset: base + i,
          });
      }
      at = tar.length;
    } else if (final)
      throw new NvError('NV_EFS_BAD_TAR_END', 'the tar has no end (two zero blocks); it was cut short (§2.7)', {
        offset: base + at,
      });
    this.pos += at;
    return at;
  }
}

/**
 * Reads a device tar into an EFS tree (docs/formats/efs-tar.md#unwrap): trailing `/` stripped, names rooted at `/`, type `item` iff
 * size ≤ 128 and (`S_ISITM(mode)` or the name starts `efs_item_files/`, prefix stripped, inferred); a path seen
 * twice keeps the last; `/safe/sfs` is skipped.
 * @throws NvError as {@link decodeTar}, and `NV_EFS_BAD_PATH`
 * @example const { tree } = tarToEfsTree(tarBytes);
 */
export function tarToEfsTree(
  tar: Uint8Array,
  options: TarDecodeOptions = {},
): { tree: EfsTree; warnings: EfsWarning[]; members: TarMember[] } {
  const { members, warnings } = decodeTar(tar, options);
  const builder = new TarTreeBuilder(warnings);
  for (const m of members) builder.add(m);
  return { tree: builder.finish(), warnings, members };
}

/**
 * The member → EFS entry rules of {@link tarToEfsTree}, one member at a time (the streaming `ls`/`unpack` feed it
 * from a {@link TarReader}). Warnings go to the array given (after the reader's own, as in `tarToEfsTree`).
 */
export class TarTreeBuilder {
  private readonly byPath = new Map<string, EfsEntry>();
  readonly warnings: EfsWarning[];
  constructor(warnings: EfsWarning[] = []) {
    this.warnings = warnings;
  }

  /** Adds a member; `undefined` when it makes no entry. @throws NvError `NV_EFS_BAD_PATH` */
  add(m: TarMember): EfsEntry | undefined {
    const warnings = this.warnings;
    const byPath = this.byPath;
    // Unsupported typeflags (kept only when not strict, already warned) never become entries; their names, such as
    // GNU tar's `./PaxHeaders/.`, are not EFS paths and are not checked as such.
    if (!ACCEPTED_TYPEFLAGS.has(m.typeflag)) return;
    let name = m.path;
    let itemByName = false;
    if (name.startsWith('efs_item_files/')) {
      name = name.slice('efs_item_files'.length);
      itemByName = true;
    }
    while (name.startsWith('./')) name = name.slice(2);
    if (!name.startsWith('/')) name = `/${name}`;
    if (name.length > 1 && name.endsWith('/')) name = name.slice(0, -1);
    const path = normalizeName(name, m.headerOffset);
    if (path === '/safe/sfs' || path.startsWith('/safe/sfs/')) {
      warnings.push({
        code: 'NV_EFS_TAR_SUSPECT_ENTRY',
        message: `${path} skipped (/safe/sfs is never part of an EFS image)`,
        path,
        offset: m.headerOffset,
      });
      return;
    }
    let entry: EfsEntry;
    const perm = m.mode & 0o7777;
    // Old (V7) tars mark a folder by a trailing `/` on a regular-file header (GNU tar --format=v7 writes `5`).
    const v7Dir =
      (m.typeflag === '0' || m.typeflag === '\0') && m.size === 0 && m.path.length > 1 && m.path.endsWith('/');
    if (m.typeflag === '5' || v7Dir)
      entry = { path, type: 'dir', mode: (m.mode & ~S_IFMT) | 0o040000, uid: m.uid, gid: m.gid, mtime: m.mtime };
    else if (m.typeflag === '2')
      entry = {
        path,
        type: 'symlink',
        mode: perm | 0o120000,
        uid: m.uid,
        gid: m.gid,
        mtime: m.mtime,
        target: m.linkname,
      };
    else if (m.typeflag === '0' || m.typeflag === '\0') {
      const item = m.size <= MAX_ITEM_BYTES && ((m.mode & S_IFMT) === S_IFITM || itemByName);
      if (!item && (m.mode & S_IFMT) === S_IFITM) {
        warnings.push({
          code: 'NV_EFS_TAR_SUSPECT_ENTRY',
          message: `${path} has the item mode but ${m.size} bytes (> 128): the modem stores it as a regular file (§5 #8)`,
          path,
          offset: m.headerOffset,
        });
      }
      entry = {
        path,
        type: item ? 'item' : 'file',
        mode: perm | (item ? S_IFITM : 0o100000),
        uid: m.uid,
        gid: m.gid,
        mtime: m.mtime,
        data: m.data,
      };
    } else return;
    if (byPath.has(path))
      warnings.push({
        code: 'NV_EFS_TAR_SUSPECT_ENTRY',
        message: `${path} appears twice in the tar; the last one wins`,
        path,
        offset: m.headerOffset,
      });
    byPath.set(path, entry);
    return entry;
  }

  /** The tree: entries in first-seen order (a path seen twice keeps its place and its last entry), `/` added. */
  finish(): EfsTree {
    const byPath = this.byPath;
    if (!byPath.has('/'))
      byPath.set('/', { path: '/', type: 'dir', mode: 0o040777, uid: 0, gid: 0, mtime: DEVICE_MTIME });
    return { entries: [...byPath.values()] };
  }
}

function normalizeName(name: string, offset: number): string {
  if (name === '/') return '/';
  if (!/^[\x20-\x7e]*$/.test(name))
    throw new NvError('NV_EFS_BAD_PATH', `tar name ${JSON.stringify(name)} has a non-ASCII or control character`, {
      offset,
      path: name,
    });
  for (const part of name.slice(1).split('/')) {
    if (part === '' || part === '.' || part === '..')
      throw new NvError('NV_EFS_BAD_PATH', `tar name ${JSON.stringify(name)} has an empty, "." or ".." part`, {
        offset,
        path: name,
      });
  }
  return name;
}
