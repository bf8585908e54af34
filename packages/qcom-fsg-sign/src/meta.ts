/**
 * `efs_image_meta.bin` (docs/formats/fsg.md#meta): CSV text `EFS_IMAGE_KEYS,VALUES` then sorted `KEY,VALUE` rows.
 * Pure and browser-safe.
 * @module
 */
import { NvError } from '@nv/core';
import { decodeLatin1, encodeLatin1 } from '@nv/core/bytes';
import type { FsgFinding } from './errors.ts';
import type { ImgPartition } from './container.ts';

/** The keys the modem build writes (each only if defined). */
export const META_KEYS: readonly string[] = Object.freeze([
  'GOLDEN_RAM_ADDR',
  'GOLDEN_RAM_SIZE',
  'MODEM_RAM_ADDR',
  'MODEM_RAM_SIZE',
  'SHARED_RAM_ADDR',
  'SHARED_RAM_SIZE',
]);

/** A parsed meta file: every row (known and unknown keys, `FS_` prefix removed), values as bigint. */
export interface EfsImageMeta {
  values: Record<string, bigint>;
}

const MAX_META_BYTES = 64 * 1024;

/**
 * Parses `efs_image_meta.bin`. Accepts CRLF or LF, blank lines, a trailing `L` (Python 2 long) and an `FS_` key prefix.
 * `*ADDR*` values are hex (`0x…`; decimal accepted), others decimal (`0x` accepted).
 * @throws NvError `NV_FSG_META_PARSE` (no header row, duplicate key, non-numeric value, bad row), `NV_LIMIT`.
 * @example
 * parseEfsImageMeta(encodeLatin1('EFS_IMAGE_KEYS,VALUES\r\nGOLDEN_RAM_ADDR,0x8A000000L\r\n')).values['GOLDEN_RAM_ADDR'] // 0x8A000000n
 */
export function parseEfsImageMeta(bytes: Uint8Array, path?: string): EfsImageMeta {
  if (bytes.length > MAX_META_BYTES)
    throw new NvError('NV_LIMIT', `efs_image_meta.bin is ${bytes.length} bytes, over the limit of ${MAX_META_BYTES}`, {
      path,
    });
  const text = decodeLatin1(bytes);
  const values: Record<string, bigint> = {};
  let sawHeader = false;
  let offset = 0;
  for (const raw of text.split('\n')) {
    const lineOffset = offset;
    offset += raw.length + 1;
    const line = raw.replace(/\r$/, '').trim();
    if (line === '') continue;
    const cells = line.split(',').map((s) => s.trim());
    if (!sawHeader) {
      if (cells[0] !== 'EFS_IMAGE_KEYS')
        throw new NvError(
          'NV_FSG_META_PARSE',
          `efs_image_meta.bin must start with the row EFS_IMAGE_KEYS,VALUES, found "${line.slice(0, 40)}"`,
          { offset: lineOffset, path },
        );
      sawHeader = true;
      continue;
    }
    if (cells.length !== 2 || cells[0] === '')
      throw new NvError('NV_FSG_META_PARSE', `row "${line.slice(0, 60)}" is not KEY,VALUE`, {
        offset: lineOffset,
        path,
      });
    const key = (cells[0] as string).toUpperCase().replace(/^FS_/, '');
    if (Object.hasOwn(values, key))
      throw new NvError('NV_FSG_META_PARSE', `duplicate key ${key}`, { offset: lineOffset, path });
    const m = /^(0[xX][0-9a-fA-F]{1,16}|\d{1,20})[lL]?$/.exec(cells[1] as string);
    if (!m)
      throw new NvError(
        'NV_FSG_META_PARSE',
        `value of ${key} is "${(cells[1] as string).slice(0, 30)}", not a number (0x… hex or decimal)`,
        { offset: lineOffset, path },
      );
    const v = BigInt(m[1] as string);
    if (v > 0xffffffffffffffffn)
      throw new NvError('NV_FSG_META_PARSE', `value of ${key} is over 64 bits`, { offset: lineOffset, path });
    values[key] = v;
  }
  if (!sawHeader)
    throw new NvError('NV_FSG_META_PARSE', 'efs_image_meta.bin has no EFS_IMAGE_KEYS,VALUES header row', {
      offset: 0,
      path,
    });
  return { values };
}

/**
 * Writes `efs_image_meta.bin` as the Python 2 build does: header row, sorted rows, CRLF, `ADDR` values as `0x…` hex.
 * @throws RangeError for negative values.
 * @example
 * encodeEfsImageMeta({ GOLDEN_RAM_ADDR: 0x8A000000n, GOLDEN_RAM_SIZE: 3145728n })
 */
export function encodeEfsImageMeta(values: Readonly<Record<string, bigint | number>>): Uint8Array<ArrayBuffer> {
  const rows = ['EFS_IMAGE_KEYS,VALUES'];
  for (const key of Object.keys(values).sort()) {
    const v = BigInt(values[key] as bigint | number);
    if (v < 0n) throw new RangeError(`meta value ${key} must not be negative`);
    rows.push(`${key},${key.includes('ADDR') ? `0x${v.toString(16)}` : v.toString(10)}`);
  }
  return encodeLatin1(`${rows.join('\r\n')}\r\n`);
}

const PREFIX: Readonly<Record<ImgPartition, string>> = { FSG: 'GOLDEN', FS1: 'MODEM', FS2: 'SHARED' };

/** The values the `.img` sector and docs/formats/fsg.md#modem-checks step 1/17 take from a meta file. */
export interface MetaForPartition {
  /** image_dest_ptr: `<P>_RAM_ADDR + 512`, or 0. */
  dest: number;
  /** `<P>_RAM_SIZE`, when present. */
  ramSize?: number;
  findings: FsgFinding[];
}

/**
 * Picks `dest` and RAM size for a partition (docs/formats/fsg.md#img-sector, docs/formats/fsg.md#meta).
 * @throws NvError `NV_FSG_META_PARSE` when `<P>_RAM_ADDR + 512` is over 0xFFFFFFFF.
 * @example
 * metaForPartition(parseEfsImageMeta(bytes), 'FSG').dest
 */
export function metaForPartition(meta: EfsImageMeta | undefined, partition: ImgPartition = 'FSG'): MetaForPartition {
  const p = PREFIX[partition];
  const findings: FsgFinding[] = [];
  if (meta === undefined) return { dest: 0, findings };
  const addr = meta.values[`${p}_RAM_ADDR`];
  const size = meta.values[`${p}_RAM_SIZE`];
  let dest = 0;
  if (addr === undefined)
    findings.push({
      severity: 'warning',
      code: 'NV_FSG_META_KEY_MISSING',
      message: `no ${p}_RAM_ADDR: image_dest_ptr 0 is written`,
    });
  else if (addr !== 0n) {
    const d = addr + 512n;
    if (d > 0xffffffffn)
      throw new NvError('NV_FSG_META_PARSE', `${p}_RAM_ADDR 0x${addr.toString(16)} + 512 does not fit 32 bits`, {
        data: { key: `${p}_RAM_ADDR` },
      });
    dest = Number(d);
  }
  if (size === undefined)
    findings.push({
      severity: 'warning',
      code: 'NV_FSG_META_KEY_MISSING',
      message: `no ${p}_RAM_SIZE: the size check is skipped`,
    });
  return size === undefined || size > BigInt(Number.MAX_SAFE_INTEGER)
    ? { dest, findings }
    : { dest, ramSize: Number(size), findings };
}

/** Result of {@link ramBufferFit}. */
export interface RamBufferFit {
  ok: boolean;
  /** 40 + code_size: where the code ends in the RAM buffer (the code offset 40 is inferred, docs/formats/fsg.md#modem-checks step 17). */
  need: number;
  /** `<P>_RAM_SIZE` − 512: the buffer the modem loads the `.mbn` into. */
  buffer: number;
  /** One sentence for a check list or an error message. */
  detail: string;
}

/**
 * THE size rule of docs/formats/fsg.md#modem-checks step 17, shared by `sign`, `img` and `verify` (issue 14.8): `40 + code_size < ramSize − 512`
 * (strict). `ramSize` is `GOLDEN_RAM_SIZE` for FSG (`MODEM_`/`SHARED_RAM_SIZE` for FS1/FS2).
 * @example ramBufferFit(114688, 3145728).ok // true
 */
export function ramBufferFit(codeSize: number, ramSize: number, key = 'GOLDEN_RAM_SIZE'): RamBufferFit {
  const buffer = ramSize - 512;
  const need = 40 + codeSize;
  return need < buffer
    ? { ok: true, need, buffer, detail: `40 + code ${codeSize} < buffer ${buffer}` }
    : {
        ok: false,
        need,
        buffer,
        detail: `40 + code ${codeSize} = ${need} does not fit the ${key === 'GOLDEN_RAM_SIZE' ? 'golden EFS' : key.replace(/_SIZE$/, '')} buffer of ${buffer} bytes (${key} − 512)`,
      };
}

/**
 * Throws when a `.mbn` of `codeSize` bytes of code does not fit the partition's RAM buffer of the meta file
 * ({@link ramBufferFit}); no meta or no size key: nothing to check.
 * @throws NvError `NV_FSG_TOO_LARGE`
 * @example assertFitsRamBuffer(mbnHeader.codeSize, parseEfsImageMeta(metaBytes), 'FSG')
 */
export function assertFitsRamBuffer(
  codeSize: number,
  meta: EfsImageMeta | undefined,
  partition: ImgPartition = 'FSG',
  path?: string,
): void {
  const ram = metaForPartition(meta, partition).ramSize;
  if (ram === undefined) return;
  const fit = ramBufferFit(codeSize, ram, `${PREFIX[partition]}_RAM_SIZE`);
  if (!fit.ok)
    throw new NvError('NV_FSG_TOO_LARGE', `${fit.detail}: the modem would refuse this image at boot`, {
      path,
      data: { codeSize, buffer: fit.buffer },
    });
}
