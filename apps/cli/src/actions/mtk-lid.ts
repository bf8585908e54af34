import { basename, dirname, join, relative } from 'node:path';
import { NvError } from '@nv/core';
import { bytesToHex, decodeUtf8, hexToBytes } from '@nv/core/bytes';
import { assertCanWrite, readFileLimited, writeFileAtomic } from '@nv/core/node';
import type { Ltable, LtableEntry } from '@nv/mtk-nvram-ltable';
import { readLtableFiles } from '@nv/mtk-nvram-ltable/node';
import {
  LID_LIMITS,
  applyLidBitEdits,
  decodeLidBitRecord,
  detectLidGeneration,
  effectiveLidEntry,
  decodeLidFile,
  encodeLidFile,
  isLidFileName,
  lidKeyFromBytes,
  parseLidBit,
  parseLidFileName,
  type LdiHeader,
  type LidBitEdit,
  type LidBitJsonValue,
  type LidBitLid,
  type LidEntry,
  type LidGeneration,
} from '@nv/mtk-lid-file';
import { NODE_LID_CRYPTO, extractBinRegion, inspectBinRegionFile, verifyLidPath } from '@nv/mtk-lid-file/node';
import { formatTable, type CliContext } from '../context.ts';
import { usage } from '../options.ts';

export interface KeyFlags {
  key?: string;
  keyFile?: string;
}

// Entries as the modem stores them: attributes after the boot-time rewrites (MULTIPLE dropped on eMMC for moly-a,
// CONFIDENTIAL forced for secure categories…), so names, copies and ciphers match the files on the device.
export async function readTable(ctx: CliContext, path: string): Promise<Ltable> {
  const { table, warnings } = await readLtableFiles([ctx.resolvePath(path)]);
  for (const w of warnings) ctx.note(`warning ${w.code}: ${w.message}`);
  return { ...table, entries: table.entries.map((e) => effectiveLidEntry(e, table.generation)) };
}

const tableGeneration = (t: Ltable): LidGeneration => (t.generation === 'moly-b' ? 'B' : 'A');

function pickEntry(table: Ltable, lid: string | undefined, fileName: string | undefined): LtableEntry {
  if (lid !== undefined) {
    const n = /^(0x[0-9a-fA-F]+|\d+)$/.test(lid) ? Number(lid) : undefined;
    const e = table.entries.find((x) => (n !== undefined ? x.lid === n : x.name === lid));
    if (!e) throw new NvError('NV_LID_NAME_MISMATCH', `the table has no entry ${lid}`, { data: { lid } });
    return e;
  }
  const base = fileName === undefined ? '' : basename(fileName);
  if (!isLidFileName(base)) usage(`"${base}" is not a LID file name (PPPP_VVV): give --lid`);
  const n = parseLidFileName(base);
  const e = table.entries.find((x) => x.prefix === n.prefix);
  if (!e)
    throw new NvError('NV_LID_NAME_MISMATCH', `the table has no entry with prefix ${n.prefix}`, { path: fileName });
  if (e.verno !== n.verno)
    throw new NvError(
      'NV_LID_NAME_MISMATCH',
      `${base}: the table has VERNO ${e.verno} for ${e.name}; the modem would not read this file`,
      { path: fileName, data: { verno: e.verno } },
    );
  return e;
}

export async function keyBytes(ctx: CliContext, flags: KeyFlags): Promise<Uint8Array | undefined> {
  if (flags.key !== undefined && flags.keyFile !== undefined) usage('give --key or --key-file, not both');
  if (flags.key !== undefined) {
    if (!/^(?:[0-9a-fA-F]{2})+$/.test(flags.key)) usage('--key must be hex bytes');
    return hexToBytes(flags.key);
  }
  if (flags.keyFile !== undefined) return readFileLimited(ctx.resolvePath(flags.keyFile), 4096);
  return undefined;
}

function pickLidBit(lids: readonly LidBitLid[], entry: LtableEntry | undefined, path: string): LidBitLid {
  const hit = entry ? lids.find((l) => l.lid === entry.name) : undefined;
  if (hit) return hit;
  if (lids.length === 1) return lids[0]!;
  throw new NvError(
    'NV_LID_BIT_UNKNOWN_FIELD',
    `${path} describes ${lids.length} LIDs and none is ${entry?.name ?? 'selected'}: give --ltable/--lid`,
    { path },
  );
}

async function readLayout(
  ctx: CliContext,
  structPath: string,
  entry: LtableEntry | undefined,
  recordSize: number,
): Promise<LidBitLid> {
  const text = decodeUtf8(await readFileLimited(ctx.resolvePath(structPath), LID_LIMITS.lidBitChars));
  const parsed = parseLidBit(text, {
    path: structPath,
    ...(entry ? { recordSizes: { [entry.name]: entry.size } } : {}),
  });
  for (const w of parsed.warnings) ctx.note(`warning ${w.code}: ${w.message} (line ${w.line}, column ${w.column})`);
  const layout = pickLidBit(parsed.lids, entry, structPath);
  if (layout.recordSize !== recordSize)
    throw new NvError(
      'NV_LID_BIT_SIZE_MISMATCH',
      `sizeof(${layout.type}) is ${layout.recordSize}, the records are ${recordSize} bytes`,
      { path: structPath },
    );
  return layout;
}

const showValue = (v: LidBitJsonValue): string => (typeof v === 'object' ? JSON.stringify(v) : String(v));

/** `nv mtk lid decode` */
export async function lidDecode(
  ctx: CliContext,
  file: string,
  flags: KeyFlags & {
    ltable?: string;
    lid?: string;
    struct?: string;
    gen?: 'A' | 'B';
    bindToChip?: boolean;
    recordSize?: number;
    records?: number;
  },
): Promise<void> {
  const path = ctx.resolvePath(file);
  const bytes = await readFileLimited(path, LID_LIMITS.fileBytes);
  let entry: LtableEntry | undefined;
  let generation = flags.gen;
  if (flags.ltable !== undefined) {
    const table = await readTable(ctx, flags.ltable);
    entry = pickEntry(table, flags.lid, file);
    generation ??= tableGeneration(table);
  }
  const key = await keyBytes(ctx, flags);
  const bind = flags.bindToChip !== false;
  const hint = {
    ...(flags.recordSize === undefined ? {} : { recordSize: flags.recordSize }),
    ...(flags.records === undefined ? {} : { records: flags.records }),
  };
  if (entry && (flags.recordSize !== undefined || flags.records !== undefined))
    usage('--record-size/--records are for table-less files: the table entry already gives the layout');
  // Detect first when the generation is open, so the key bytes can be typed for it; a table-less gen-A file takes
  // its one verifying record split (or the --record-size/--records hint) as its entry (docs/formats/lid-files.md#detection).
  let layoutEntry: LidEntry | undefined = entry;
  if (!generation) {
    const det = detectLidGeneration(bytes, entry, { path: file, bindToChip: bind, ...hint });
    generation = det.generation;
    if (!entry && det.generation === 'A') layoutEntry = det.entry;
  }
  const gen = generation;
  const d = decodeLidFile(bytes, layoutEntry, {
    path: file,
    generation: gen,
    bindToChip: bind,
    ...hint,
    ...(key ? { key: lidKeyFromBytes(key, gen) } : {}),
    crypto: NODE_LID_CRYPTO,
  });
  const layout = flags.struct !== undefined ? await readLayout(ctx, flags.struct, entry, d.recordSize) : undefined;
  const records = d.records.map((r) => ({
    index: r.index,
    bytes: bytesToHex(r.bytes),
    checksumOk: r.checksumOk,
    checksum: r.checksum,
    offset: r.offset,
    ...(layout ? { fields: decodeLidBitRecord(layout, r.bytes) } : {}),
  }));
  const json = {
    generation: d.generation,
    ...(d.header ? { header: d.header, headerChecksumOk: d.headerChecksumOk } : {}),
    ...(entry ? { lid: entry.lid, name: entry.name } : {}),
    recordSize: d.recordSize,
    decrypted: d.decrypted,
    badRecords: d.badRecords,
    records,
  };
  ctx.result(json, () => {
    const how =
      entry || d.generation === 'B'
        ? ''
        : flags.recordSize !== undefined || flags.records !== undefined
          ? ' (no table: layout from --record-size/--records)'
          : ' (no table: the one record split whose checksums all verify)';
    let s = `generation ${d.generation}, ${d.records.length} records of ${d.recordSize} bytes${how}${d.decrypted ? '' : ' (encrypted: give --key)'}\n`;
    if (d.header)
      s += `header: LID 0x${d.header.lid.toString(16).toUpperCase()}, attr 0x${d.header.attr.toString(16)}, category 0x${d.header.category.toString(16)}, checksum ${d.headerChecksumOk ? 'ok' : 'BAD'}\n`;
    s += formatTable(
      records.map((r) => [
        String(r.index),
        r.checksumOk ? 'ok' : 'BAD',
        r.bytes.length > 64 ? `${r.bytes.slice(0, 64)}…` : r.bytes,
      ]),
      ['record', 'checksum', 'bytes'],
    );
    if (layout)
      for (const r of records)
        for (const f of r.fields ?? [])
          s += `  ${r.index}: ${f.name} = ${showValue(f.value)}${f.label !== undefined ? ` (${f.label})` : ''}${f.text !== undefined ? ` "${f.text}"` : ''}\n`;
    return s;
  });
  if (d.badRecords.length || d.headerChecksumOk === false) ctx.fail();
}

interface EncodeRecord {
  bytes: Uint8Array;
  fields?: { name: string; value?: LidBitJsonValue; label?: string; text?: string }[];
  /** Stored checksum hex and verdict from `decode --json` (to tell an edit of `bytes` from the original). */
  checksum?: string;
  checksumOk?: boolean;
}

function parseEncodeRecords(jsonPath: string, list: unknown[]): EncodeRecord[] {
  const bad = (i: number, what: string): never => {
    throw new NvError('NV_BAD_INPUT', `${jsonPath}: record ${i + 1} ${what}`, {
      path: jsonPath,
      data: { record: i + 1 },
    });
  };
  return list.map((r: unknown, i: number) => {
    const o = typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : undefined;
    const hex = typeof r === 'string' ? r : typeof o?.['bytes'] === 'string' ? o['bytes'] : undefined;
    if (hex === undefined || !/^(?:[0-9a-fA-F]{2})*$/.test(hex)) bad(i, 'must be a hex string (or {"bytes": "hex"})');
    const out: EncodeRecord = { bytes: hexToBytes(hex!) };
    if (o && o['fields'] !== undefined) {
      const fields = o['fields'];
      if (!Array.isArray(fields)) bad(i, '"fields" must be an array of {name, value}');
      out.fields = (fields as unknown[]).map((f, k) => {
        const fo = typeof f === 'object' && f !== null ? (f as Record<string, unknown>) : undefined;
        if (!fo || typeof fo['name'] !== 'string') return bad(i, `field ${k + 1} needs a "name"`);
        if (fo['label'] !== undefined && typeof fo['label'] !== 'string')
          bad(i, `field ${fo['name']}: "label" must be a string`);
        if (fo['text'] !== undefined && typeof fo['text'] !== 'string')
          bad(i, `field ${fo['name']}: "text" must be a string`);
        return {
          name: fo['name'],
          ...(fo['value'] !== undefined ? { value: fo['value'] as LidBitJsonValue } : {}),
          ...(fo['label'] !== undefined ? { label: fo['label'] as string } : {}),
          ...(fo['text'] !== undefined ? { text: fo['text'] as string } : {}),
        };
      });
    }
    if (typeof o?.['checksum'] === 'string') out.checksum = o['checksum'];
    if (typeof o?.['checksumOk'] === 'boolean') out.checksumOk = o['checksumOk'];
    return out;
  });
}

/** `nv mtk lid encode` */
export async function lidEncode(
  ctx: CliContext,
  jsonPath: string,
  flags: KeyFlags & { ltable: string; output: string; lid?: string; gen?: 'A' | 'B'; force?: boolean; struct?: string },
): Promise<void> {
  const text = decodeUtf8(await readFileLimited(ctx.resolvePath(jsonPath), 64 * 1024 * 1024));
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new NvError('NV_BAD_INPUT', `${jsonPath} is not valid JSON`, { path: jsonPath, cause });
  }
  const doc = (Array.isArray(raw) ? { records: raw } : raw) as {
    records?: unknown;
    generation?: unknown;
    lid?: unknown;
    name?: unknown;
    header?: unknown;
  };
  if (typeof doc !== 'object' || doc === null || !Array.isArray(doc.records))
    throw new NvError('NV_BAD_INPUT', `${jsonPath}: expected {"records": ["hex", …]} or the output of decode --json`, {
      path: jsonPath,
    });
  const input = parseEncodeRecords(jsonPath, doc.records);
  const table = await readTable(ctx, flags.ltable);
  const lidSel =
    flags.lid ?? (typeof doc.name === 'string' ? doc.name : typeof doc.lid === 'number' ? String(doc.lid) : undefined);
  const entry = pickEntry(table, lidSel, flags.output);
  const gen = flags.gen ?? (doc.generation === 'A' || doc.generation === 'B' ? doc.generation : tableGeneration(table));
  const key = await keyBytes(ctx, flags);
  const header = typeof doc.header === 'object' && doc.header !== null ? (doc.header as Partial<LdiHeader>) : undefined;
  const options = {
    generation: gen,
    path: flags.output,
    ...(key ? { key: lidKeyFromBytes(key, gen) } : {}),
    ...(header ? { header } : {}),
    crypto: NODE_LID_CRYPTO,
  };
  // Field edits (issue 15.3): a field of `decode --struct --json` output whose value differs from its record's
  // bytes is written into its bits; the checksums are recomputed (and the record re-encrypted) by the encoder.
  const records = input.map((r) => r.bytes);
  const edits: (LidBitEdit & { record: number })[] = [];
  if (input.some((r) => r.fields !== undefined)) {
    if (flags.struct === undefined)
      throw new NvError(
        'NV_BAD_INPUT',
        `${jsonPath}: the records carry "fields" (decode --struct output): give the same --struct so edited fields are written, or delete "fields" to encode the bytes as they are`,
        { path: jsonPath },
      );
    const layout = await readLayout(ctx, flags.struct, entry, entry.size);
    // What the records' checksums would be if their bytes were untouched: tells a bytes edit from the original.
    let stored: string[] | undefined;
    const storedChecksums = (): string[] => {
      if (!stored) {
        const again = decodeLidFile(encodeLidFile(records, entry, options), entry, {
          ...options,
          allowEncrypted: true,
        });
        stored = again.records.map((r) => r.checksum);
      }
      return stored;
    };
    input.forEach((r, i) => {
      if (!r.fields) return;
      if (r.bytes.length !== layout.recordSize)
        throw new NvError(
          'NV_LID_BAD_BUFFER_SIZE',
          `record ${i + 1} is ${r.bytes.length} bytes, ${layout.type} is ${layout.recordSize}`,
          { path: jsonPath, data: { record: i + 1 } },
        );
      let applied;
      try {
        applied = applyLidBitEdits(layout, r.bytes, r.fields);
      } catch (error) {
        if (NvError.isInstance(error))
          throw new NvError(error.code, `record ${i + 1}: ${error.message}`, {
            path: jsonPath,
            data: { record: i + 1 },
            cause: error,
          });
        throw error;
      }
      if (applied.edits.length === 0) return;
      if (r.checksumOk === true && r.checksum !== undefined && r.checksum !== '' && storedChecksums()[i] !== r.checksum)
        throw new NvError(
          'NV_BAD_INPUT',
          `record ${i + 1}: both its "bytes" and its fields (${applied.edits.map((e) => e.name).join(', ')}) were changed; edit one of them (delete "fields" to write the bytes as given)`,
          { path: jsonPath, data: { record: i + 1 } },
        );
      records[i] = applied.record;
      for (const e of applied.edits) edits.push({ record: i + 1, ...e });
    });
  }
  const bytes = encodeLidFile(records, entry, options);
  // MULTIPLE: the A and B copies carry identical bytes; when -o names one copy, the other is written next to it.
  const out = ctx.resolvePath(flags.output);
  const outs = [out];
  const base = basename(out);
  if (entry.attributes.includes('MULTIPLE') && isLidFileName(base) && base[4] !== '_')
    outs.push(join(dirname(out), `${base.slice(0, 4)}${base[4] === 'A' ? 'B' : 'A'}${base.slice(5)}`));
  for (const o of outs) await assertCanWrite(o, flags.force === true);
  for (const o of outs) await writeFileAtomic(o, bytes, { force: flags.force === true });
  const files = outs.map((o) => (o === out ? flags.output : join(dirname(flags.output), basename(o))));
  ctx.result(
    {
      records: records.length,
      size: bytes.length,
      generation: gen,
      lid: entry.lid,
      name: entry.name,
      files,
      ...(flags.struct !== undefined ? { edits } : {}),
    },
    () =>
      `wrote ${files.join(' and ')}: ${records.length} records, ${bytes.length} bytes (generation ${gen})\n` +
      edits.map((e) => `  record ${e.record}: ${e.name} ${showValue(e.from)} → ${showValue(e.to)}\n`).join(''),
  );
}

/** `nv mtk lid verify` */
export async function lidVerify(
  ctx: CliContext,
  target: string,
  flags: KeyFlags & { ltable?: string; gen?: 'A' | 'B' },
): Promise<void> {
  const root = ctx.resolvePath(target);
  // An ext4 partition image (nvdata, protect*) is verified inside, without mounting.
  const images = await import('./mtk-images.ts');
  if (await images.isExtImage(root)) return images.nvdataVerify(ctx, target, flags);
  const entries = flags.ltable !== undefined ? (await readTable(ctx, flags.ltable)).entries : undefined;
  const key = await keyBytes(ctx, flags);
  const r = await verifyLidPath(root, {
    ...(entries ? { entries } : {}),
    ...(key ? { key } : {}),
    ...(flags.gen ? { generation: flags.gen } : {}),
  });
  const files = r.files.map((f) => ({ ...f, path: f.path === root ? target : join(target, relative(root, f.path)) }));
  ctx.result(
    { ok: r.ok, files },
    () =>
      formatTable(
        files.map((f) => [
          f.ok ? 'ok' : 'FAIL',
          f.path,
          f.generation ?? '-',
          f.layouts
            ? f.layouts.map((l) => `${l.records}×${l.size}`).join(' | ')
            : f.records !== undefined
              ? `${f.records}×${f.recordSize}`
              : '-',
          f.badRecords.join(',') || '-',
          f.code ?? '',
          f.message ?? '',
        ]),
        ['result', 'file', 'gen', 'records×size', 'bad records', 'code', 'detail'],
      ) + `${files.filter((f) => f.ok).length}/${files.length} files ok\n`,
  );
  if (!r.ok) ctx.fail();
}

/** `nv mtk lid-bit parse` */
export async function lidBitParse(ctx: CliContext, file: string, flags: { ltable?: string }): Promise<void> {
  const text = decodeUtf8(await readFileLimited(ctx.resolvePath(file), LID_LIMITS.lidBitChars));
  const recordSizes =
    flags.ltable !== undefined
      ? Object.fromEntries((await readTable(ctx, flags.ltable)).entries.map((e) => [e.name, e.size]))
      : undefined;
  const r = parseLidBit(text, { path: file, ...(recordSizes ? { recordSizes } : {}) });
  for (const w of r.warnings) ctx.note(`warning ${w.code}: ${w.message} (line ${w.line}, column ${w.column})`);
  const json = { lids: r.lids, ...(r.lids.length === 1 ? { fields: r.lids[0]!.fields } : {}), warnings: r.warnings };
  ctx.result(json, () =>
    r.lids
      .map(
        (l) =>
          `${l.lid} (VERNO ${l.verno}, ${l.type}, ${l.records} × ${l.recordSize} bytes)\n` +
          formatTable(
            l.fields.map((f) => [f.name, String(f.offset), String(f.bit), String(f.bits), f.description]),
            ['field', 'offset', 'bit', 'bits', 'description'],
          ),
      )
      .join('\n'),
  );
}

/** `nv mtk nvram inspect` */
export async function nvramInspect(
  ctx: CliContext,
  file: string,
  flags: { blockSize?: number; extract?: string; force?: boolean },
): Promise<void> {
  const path = ctx.resolvePath(file);
  const opts = flags.blockSize !== undefined ? { blockSize: flags.blockSize } : {};
  const r = await inspectBinRegionFile(path, opts);
  for (const w of r.warnings) ctx.note(`warning ${w.code}: ${w.message}`);
  let extracted: string[] | undefined;
  if (flags.extract !== undefined && !r.empty)
    extracted = (await extractBinRegion(path, ctx.resolvePath(flags.extract), { ...opts, force: flags.force === true }))
      .files;
  const ok = r.empty || (r.checksum?.ok === true && r.files.every((f) => f.ok));
  ctx.result({ ok, ...r, ...(extracted ? { extracted } : {}) }, () =>
    r.empty
      ? 'blank bin region: nothing is backed up\n'
      : `ulCheckSum ${r.checksum?.ok ? 'ok' : 'BAD'}, ${r.blocks} blocks of 0x${r.blockSize.toString(16)}, bad blocks: ${r.badBlocks.join(', ') || 'none'}\n` +
        formatTable(
          r.files.map((f) => [f.ok ? 'ok' : 'FAIL', f.name, String(f.size), f.kind, f.code ?? '']),
          ['result', 'file', 'size', 'kind', 'code'],
        ),
  );
  if (!ok) ctx.fail();
}
