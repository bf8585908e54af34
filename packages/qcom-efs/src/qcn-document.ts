/**
 * A QCN in any of its three spellings (docs/formats/qcn.md#stores): the MS-CFB file, XQCN (the compound-file tree as
 * XML) and the JSON model (`qcn.schema.json`) — one reader that tells them apart and one writer per format.
 * @module
 */
import { NvError, type Limits } from '@nv/core';
import { decodeCfb } from './cfb.ts';
import { qcnFromJson, qcnToJson } from './qcn-doc.ts';
import { encodeQcn, isOpaqueQcnStream, qcnFromEntries, qcnToEntries, type Qcn, type QcnWriteOptions } from './qcn.ts';
import type { EfsWarning } from './tree.ts';
import { decodeXqcn, encodeXqcn } from './xqcn.ts';

/** The three spellings of a QCN. */
export type QcnFormat = 'qcn' | 'xqcn' | 'json';

/** One compound-file stream of a QCN, and whether the reader understood it. */
export interface QcnStreamInfo {
  readonly path: string;
  readonly size: number;
  /** `false`: kept as is in `extra` without being understood (`NV_EFS_QCN_UNKNOWN_STREAM`). */
  readonly known: boolean;
}

/** What {@link readQcnDocument} found. */
export interface QcnDocument {
  readonly format: QcnFormat;
  readonly qcn: Qcn;
  readonly warnings: EfsWarning[];
  /** Every stream (for XQCN and JSON: of the compound file the model would be written as). */
  readonly streams: QcnStreamInfo[];
}

/** First byte after a UTF-8 BOM and blanks. */
function firstChar(bytes: Uint8Array): number | undefined {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i];
}

/**
 * Reads a QCN, an XQCN (XML: its first non-blank character is `<`) or the JSON model (`{`), and lists its streams
 * with whether each was understood (`qcn inspect`).
 * @throws NvError the codes of `decodeQcn`, `decodeXqcn`, `NV_EFS_BAD_QCN_JSON`
 * @example const { format, qcn, streams } = readQcnDocument(bytes, { file: 'backup.qcn' });
 */
export function readQcnDocument(
  bytes: Uint8Array,
  options: { file?: string; limits?: Partial<Limits> } = {},
): QcnDocument {
  const file = options.file ?? 'input';
  const c = firstChar(bytes);
  if (c === 0x7b || c === 0x3c) {
    let qcn: Qcn;
    let warnings: EfsWarning[] = [];
    let format: QcnFormat;
    if (c === 0x7b) {
      let json: unknown;
      try {
        json = JSON.parse(new TextDecoder().decode(bytes));
      } catch (cause) {
        throw new NvError('NV_EFS_BAD_QCN_JSON', `${file} is not valid JSON`, { path: file, cause });
      }
      qcn = qcnFromJson(json);
      format = 'json';
    } else {
      ({ qcn, warnings } = decodeXqcn(new TextDecoder().decode(bytes), file));
      format = 'xqcn';
    }
    // The XQCN view is rebuilt by qcnToEntries, which maps a foreign model storage name to %08d: match both.
    return { format, qcn, warnings, streams: streamsOf(qcn, qcnToEntries(qcn)) };
  }
  const entries = decodeCfb(bytes, options.limits !== undefined ? { limits: options.limits } : {});
  const { qcn, warnings } = qcnFromEntries(entries);
  return { format: 'qcn', qcn, warnings, streams: streamsOf(qcn, entries) };
}

function streamsOf(qcn: Qcn, entries: readonly { path: string; type: string; data?: Uint8Array }[]): QcnStreamInfo[] {
  const modelName = qcn.modelName ?? String(qcn.model).padStart(8, '0');
  const padded = String(qcn.model).padStart(8, '0');
  const remap = (p: string): string =>
    p.startsWith(`${modelName}/`) ? `${padded}/${p.slice(modelName.length + 1)}` : p;
  const extra = new Set(qcn.extra.flatMap((e) => [e.path, remap(e.path)]));
  return entries
    .filter((e) => e.type === 'stream')
    .map((e) => ({
      path: e.path,
      size: e.data?.length ?? 0,
      known: !extra.has(e.path) || isOpaqueQcnStream(e.path, modelName) || isOpaqueQcnStream(e.path, padded),
    }));
}

/**
 * Writes a QCN model as a QCN (MS-CFB), an XQCN (UTF-8 XML) or the JSON model (2-space indented, final newline).
 * @example writeQcnDocument(qcn, 'xqcn', { keepLayout: true })
 */
export function writeQcnDocument(qcn: Qcn, format: QcnFormat, options: QcnWriteOptions = {}): Uint8Array {
  if (format === 'json') return new TextEncoder().encode(`${JSON.stringify(qcnToJson(qcn), null, 2)}\n`);
  if (format === 'xqcn') return new TextEncoder().encode(encodeXqcn(qcn, options));
  return encodeQcn(qcn, options);
}
