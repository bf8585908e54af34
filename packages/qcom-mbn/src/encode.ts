/**
 * MCFG segment byte encoding, the mirror of `parse.ts` (docs/formats/mcfg.md#item-prefix…#efs-body,
 * docs/formats/mcfg.md#mcfg-header, docs/formats/mcfg.md#trailer): items with their prefix, the segment (header,
 * version record, items, trailer, pad, back-pointer) and its container (canonical ELF, bare, or a kept sidecar).
 * @module
 */
import { NvError } from '@nv/core';
import { ByteWriter, concatBytes, encodeLatin1 } from '@nv/core/bytes';
import { rewrapContainer, wrapCanonical, type RewrapOptions } from './elf.ts';
import { VERSION_RECORD_ID, type FileResolver, type McfgItem } from './model.ts';
import { itemKey } from './rules.ts';

/**
 * Encodes one item with its 8-byte prefix (docs/formats/mcfg.md#item-prefix…#efs-body).
 *
 * @example
 * encodeItem({ kind: 'nv', type: 1, attrib: 0x09, spOps: 0, spare: 0, nvId: 71, data: Uint8Array.of(1) });
 */
export function encodeItem(item: McfgItem): Uint8Array<ArrayBuffer> {
  const data = item.data;
  if (item.kind === 'opaque') {
    const out = new Uint8Array(8 + data.length);
    prefix(out, out.length, item);
    out.set(data, 8);
    return out;
  }
  if (data.length > 0xffff)
    throw new NvError('NV_MBN_EFS_TOO_LARGE', `item data of ${data.length} bytes is over 65,535`, {
      path: itemKey(item),
    });
  if (item.kind === 'nv') {
    const out = new Uint8Array(12 + data.length);
    prefix(out, out.length, item);
    const id = item.nvId ?? 0;
    out.set([id & 0xff, id >> 8, data.length & 0xff, data.length >> 8], 8);
    out.set(data, 12);
    return out;
  }
  const path = encodeLatin1(item.path ?? '');
  if (path.length + 1 > 0xffff) throw new NvError('NV_MBN_EFS_PATH', 'EFS path is too long', { path: itemKey(item) });
  const out = new Uint8Array(17 + path.length + data.length);
  prefix(out, out.length, item);
  let o = 8;
  out.set([1, 0, (path.length + 1) & 0xff, (path.length + 1) >> 8], o);
  out.set(path, (o += 4));
  o += path.length + 1;
  out.set([2, 0, data.length & 0xff, data.length >> 8], o);
  out.set(data, o + 4);
  return out;
}

function prefix(out: Uint8Array, length: number, item: McfgItem): void {
  out.set(
    [
      length & 0xff,
      (length >>> 8) & 0xff,
      (length >>> 16) & 0xff,
      length >>> 24,
      item.type,
      item.attrib,
      item.spOps,
      item.spare,
    ],
    0,
  );
}

/** The parts of an MCFG segment (docs/formats/mcfg.md#mcfg-header, docs/formats/mcfg.md#trailer). */
export interface McfgSegmentParts {
  readonly format: number;
  readonly configType: number;
  readonly carrierIndex: number;
  readonly spareCrc?: number;
  readonly version: number;
  readonly items: readonly McfgItem[];
  readonly trailerTlvs: Uint8Array;
  /** Pad bytes; default 4 − total mod 4 zeros (docs/formats/mcfg.md#trailer, never 0). */
  readonly trailerPad?: Uint8Array;
}

/**
 * Encodes the MCFG segment (docs/formats/mcfg.md#build steps 2–5): header, version record, items, trailer, pad, back-pointer.
 * @throws RangeError when a header field does not fit its width
 *
 * @example
 * const seg = encodeMcfgSegment({ format: 3, configType: 1, carrierIndex: 0, version: 0x0501050d, items: [], trailerTlvs: encodeTrailer({ version: 0x0501050d }) });
 */
export function encodeMcfgSegment(parts: McfgSegmentParts): Uint8Array<ArrayBuffer> {
  const u16 = (v: number, what: string): number[] => {
    if (!Number.isInteger(v) || v < 0 || v > 0xffff) throw new RangeError(`${what} ${v} does not fit in 16 bits`);
    return [v & 0xff, v >> 8];
  };
  const u32 = (v: number): number[] => [v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24];
  const items = parts.items.map(encodeItem);
  const sigma = items.reduce((s, i) => s + i.length, 0);
  const recordLength = 24 + parts.trailerTlvs.length;
  const total = 24 + sigma + recordLength;
  const pad = parts.trailerPad ?? new Uint8Array(4 - (total % 4));
  const header = Uint8Array.from([
    0x4d,
    0x43,
    0x46,
    0x47,
    ...u16(parts.format, 'format'),
    ...u16(parts.configType, 'config type'),
    ...u32(parts.items.length + 1),
    ...u16(parts.carrierIndex, 'carrier index'),
    ...u16(parts.spareCrc ?? 0, 'spare'),
    ...u16(VERSION_RECORD_ID, 'record id'),
    4,
    0,
    ...u32(parts.version >>> 0),
  ]);
  const payloadLength = recordLength - 16;
  const trailerHead = Uint8Array.from([
    ...u32(recordLength),
    0x0a,
    0,
    0,
    0,
    0xa1,
    0,
    payloadLength & 0xff,
    (payloadLength >> 8) & 0xff,
    ...encodeLatin1('MCFG_TRL'),
  ]);
  // A ByteWriter, not concatBytes(header, ...items, …): spreading 10⁵ items as arguments overflows the stack.
  const out = new ByteWriter(total + pad.length + 4).bytes(header);
  for (const item of items) out.bytes(item);
  return out
    .bytes(trailerHead)
    .bytes(parts.trailerTlvs)
    .bytes(pad)
    .u32le(recordLength + pad.length)
    .finish();
}

/**
 * Wraps a segment as `container` says: undefined → canonical, `bare` → none, else the named sidecar prefix.
 *
 * @example
 * const mbn = wrapSegment(segment, undefined, undefined, NO_FILES); // canonical JO wrapper
 */
export function wrapSegment(
  segment: Uint8Array,
  container: string | undefined,
  suffix: string | undefined,
  resolver: FileResolver,
  options: RewrapOptions = {},
): Uint8Array<ArrayBuffer> {
  const tail = suffix === undefined ? new Uint8Array(0) : sidecar(resolver, suffix);
  if (container === undefined)
    return tail.length === 0 ? wrapCanonical(segment, options) : concatBytes(wrapCanonical(segment, options), tail);
  if (container === 'bare') return concatBytes(segment, tail);
  return rewrapContainer(sidecar(resolver, container), segment, tail, options);
}

function sidecar(resolver: FileResolver, name: string): Uint8Array {
  let bytes: Uint8Array | undefined;
  try {
    bytes = resolver.readFile(name);
  } catch (cause) {
    throw new NvError('NV_MBN_CONTAINER', `sidecar ${name} could not be read`, { path: name, cause });
  }
  if (bytes === undefined)
    throw new NvError(
      'NV_MBN_CONTAINER',
      `sidecar ${name} is missing; keep the files written by to-xml next to the XML`,
      { path: name },
    );
  return bytes;
}
