/**
 * Verify a set of LID files (`verify(dir)`, docs/formats/lid-files.md#algorithms): every checksum, header checks, A/B copy comparison.
 * @module
 */
import { NvError } from '@nv/core';
import { bytesEqual } from '@nv/core/bytes';
import {
  describeLidLayouts,
  detectLidGeneration,
  decodeLidFile,
  type LidEntry,
  type LidGeneration,
  type LidLayout,
} from './lid-file.ts';
import { lidKeyFromBytes } from './keys.ts';
import type { LidCrypto } from './lid-file.ts';
import { isLidFileName, parseLidFileName } from './names.ts';

/** One file verdict (the `cli.md` shape plus details). */
export interface LidVerifyFile {
  path: string;
  ok: boolean;
  /** 1-based indexes of records whose checksum failed. */
  badRecords: number[];
  generation?: LidGeneration;
  /** Record count and size used (from the table entry, the gen-B header or the one verifying split). */
  records?: number;
  recordSize?: number;
  /**
   * Table-less gen-A file with several verifying record splits (docs/formats/lid-files.md#detection): every candidate. The file passes (no byte is
   * corrupt); `code` is `NV_LID_AMBIGUOUS_LAYOUT` as a note; decoding it needs `--record-size`/`--records`.
   */
  layouts?: LidLayout[];
  /** Why it is not ok, or a note (`NV_LID_KEY_REQUIRED` when a confidential gen-B file was checked by header only). */
  code?: string;
  message?: string;
}

/** Result of {@link verifyLidFiles}. */
export interface LidVerifyResult {
  ok: boolean;
  files: LidVerifyFile[];
}

/** Options of {@link verifyLidFiles}. */
export interface LidVerifyOptions {
  /** Table entries; a file uses the entry with its prefix (VERNO must match: else `NV_LID_NAME_MISMATCH`). */
  readonly entries?: readonly LidEntry[];
  /** Raw key bytes (16 for gen B; RC4 key or 256-byte state for gen A). */
  readonly key?: Uint8Array;
  readonly generation?: LidGeneration;
  readonly bindToChip?: boolean;
  /** Native MD5/AES (`NODE_LID_CRYPTO` of `./node`); default the pure ones. */
  readonly crypto?: LidCrypto;
}

/**
 * Verifies LID files: decode each (never stopping at the first bad record), then compare `A`/`B` pairs
 * (`NV_LID_COPY_MISMATCH` on copy B). Files whose name is not a LID name are checked without a table entry.
 * @example verifyLidFiles([{ path: 'NVD_IMEI/LD0B_001', bytes }]).ok
 */
export function verifyLidFiles(
  files: readonly { path: string; bytes: Uint8Array }[],
  options: LidVerifyOptions = {},
): LidVerifyResult {
  const out: LidVerifyFile[] = [];
  for (const f of files) {
    const base = f.path.slice(Math.max(f.path.lastIndexOf('/'), f.path.lastIndexOf('\\')) + 1);
    const v: LidVerifyFile = { path: f.path, ok: false, badRecords: [] };
    try {
      let entry: LidEntry | undefined;
      if (isLidFileName(base) && options.entries) {
        const n = parseLidFileName(base);
        entry = options.entries.find((e) => e.prefix === n.prefix);
        if (entry && entry.verno !== undefined && entry.verno !== n.verno) {
          throw new NvError(
            'NV_LID_NAME_MISMATCH',
            `${base}: the table has VERNO ${entry.verno} for prefix ${n.prefix}`,
            { path: f.path },
          );
        }
        if (entry && (n.copy === '_') === entry.attributes.includes('MULTIPLE')) {
          throw new NvError(
            'NV_LID_NAME_MISMATCH',
            `${base}: copy letter "${n.copy}" disagrees with ${entry.attributes.includes('MULTIPLE') ? 'a MULTIPLE' : 'a single-copy'} entry`,
            { path: f.path },
          );
        }
      }
      let gen = options.generation;
      if (!gen) {
        // Table-less gen A: the detected split is the entry (docs/formats/lid-files.md#detection), so decode does not search again.
        const det = detectLidGeneration(f.bytes, entry, {
          path: f.path,
          ...(options.bindToChip === undefined ? {} : { bindToChip: options.bindToChip }),
        });
        gen = det.generation;
        if (!entry && gen === 'A') entry = det.entry;
      }
      const d = decodeLidFile(f.bytes, entry, {
        path: f.path,
        generation: gen,
        allowEncrypted: true,
        ...(options.key ? { key: lidKeyFromBytes(options.key, gen) } : {}),
        ...(options.bindToChip === undefined ? {} : { bindToChip: options.bindToChip }),
        ...(options.crypto ? { crypto: options.crypto } : {}),
      });
      v.generation = gen;
      v.records = d.records.length;
      v.recordSize = d.recordSize;
      const recordsChecked = d.decrypted || gen === 'A';
      v.badRecords = recordsChecked ? d.badRecords : [];
      v.ok = v.badRecords.length === 0 && d.headerChecksumOk !== false;
      if (d.headerChecksumOk === false)
        ((v.code = 'NV_LID_BAD_HEADER_CHECKSUM'),
          (v.message = 'gen-B header checksum is wrong (the upgrade scan would skip this file)'));
      else if (v.badRecords.length)
        ((v.code = 'NV_LID_BAD_CHECKSUM'), (v.message = `records ${v.badRecords.join(', ')} fail their checksum`));
      else if (!recordsChecked)
        ((v.code = 'NV_LID_KEY_REQUIRED'), (v.message = 'confidential: only the header was checked (give --key)'));
    } catch (error) {
      if (!NvError.isInstance(error)) throw error;
      v.code = error.code;
      v.message = error.message;
      v.ok = error.code === 'NV_LID_HW_BOUND'; // size matched; nothing else can be checked offline
      const layouts = (error.data as { layouts?: LidLayout[] } | undefined)?.layouts;
      if (error.code === 'NV_LID_AMBIGUOUS_LAYOUT' && layouts) {
        // docs/formats/lid-files.md#detection: every candidate split verifies, so no byte is corrupt; only decoding needs the record size.
        v.ok = true;
        v.generation = 'A';
        v.layouts = layouts;
        v.message = `checksums verify under ${layouts.length} record splits: ${describeLidLayouts(layouts)} (decode needs --record-size)`;
      }
    }
    out.push(v);
  }
  // A/B pairs: same folder, same prefix + verno.
  const byKey = new Map<string, { a?: number; b?: number }>();
  files.forEach((f, i) => {
    const slash = Math.max(f.path.lastIndexOf('/'), f.path.lastIndexOf('\\'));
    const base = f.path.slice(slash + 1);
    if (!isLidFileName(base)) return;
    const n = parseLidFileName(base);
    if (n.copy === '_') return;
    const key = `${f.path.slice(0, slash + 1)}${n.prefix}${n.verno}`;
    const pair = byKey.get(key) ?? {};
    if (n.copy === 'A') pair.a = i;
    else pair.b = i;
    byKey.set(key, pair);
  });
  for (const { a, b } of byKey.values()) {
    if (a === undefined || b === undefined) continue;
    if (!bytesEqual(files[a]!.bytes, files[b]!.bytes)) {
      const v = out[b]!;
      v.ok = false;
      v.code ??= 'NV_LID_COPY_MISMATCH';
      if (v.code === 'NV_LID_COPY_MISMATCH') v.message = `differs from copy A ${files[a]!.path}`;
    }
  }
  return { ok: out.every((f) => f.ok), files: out };
}
