/**
 * Verify a set of AP-side NVRAM files (`APCFG/APRDEB`, `APCFG/APRDCL`, docs/formats/lid-files.md#ap-files): check trailers, sizes against the AP
 * table when known, and `FILE_VER`.
 * @module
 */
import { NvError } from '@nv/core';
import { checkApFile, parseFileVer, type FileVerEntry } from './ap.ts';

/** One verdict of {@link verifyApFiles} (the `nv mtk lid verify` file shape). */
export interface ApVerifyFile {
  path: string;
  ok: boolean;
  /** `filever`, or `ap` for an AP data file. */
  kind: 'ap' | 'filever';
  size: number;
  /** `ok`, `bad`, `none` (no trailer: accepted), or `unknown` (no table size and no `0xAA` at size − 2). */
  trailer?: 'ok' | 'bad' | 'none' | 'unknown';
  /** Version of the file in `FILE_VER` (by name), when one is in the set. */
  ver?: string;
  /** Entries of a `FILE_VER`. */
  entries?: FileVerEntry[];
  code?: string;
  message?: string;
}

/** Result of {@link verifyApFiles}. */
export interface ApVerifyResult {
  ok: boolean;
  files: ApVerifyFile[];
}

const base = (p: string): string => p.slice(p.lastIndexOf('/') + 1);

/**
 * Checks AP files. With `sizes` (file name → `recSize × recNum` from the AP table) a file must be that size or
 * size + 2 with a valid `0xAA` + CheckNo trailer; without, a file whose byte at size − 2 is `0xAA` is checked as
 * trailed and any other is reported `trailer: 'unknown'` (accepted). `FILE_VER` must be whole 74-byte entries
 * starting with `NVRAM_VER_INFO`. Never throws on file content.
 * @example verifyApFiles([{ path: 'APCFG/APRDEB/WIFI', bytes }]).ok
 */
export function verifyApFiles(
  files: readonly { path: string; bytes: Uint8Array }[],
  options: { sizes?: Readonly<Record<string, number>> } = {},
): ApVerifyResult {
  const out: ApVerifyFile[] = [];
  let versions: FileVerEntry[] | undefined;
  for (const f of files) {
    if (base(f.path) !== 'FILE_VER') continue;
    const v: ApVerifyFile = { path: f.path, ok: true, kind: 'filever', size: f.bytes.length };
    try {
      const entries = parseFileVer(f.bytes, 'new', f.path);
      v.entries = entries;
      if (entries[0]?.name !== 'NVRAM_VER_INFO') {
        v.ok = false;
        v.code = 'NV_LID_FILEVER_BAD_SIZE';
        v.message = `entry 0 is "${entries[0]?.name ?? ''}", not NVRAM_VER_INFO`;
      } else versions ??= entries;
    } catch (error) {
      if (!NvError.isInstance(error)) throw error;
      v.ok = false;
      v.code = error.code;
      v.message = error.message;
    }
    out.push(v);
  }
  for (const f of files) {
    const name = base(f.path);
    if (name === 'FILE_VER') continue;
    const v: ApVerifyFile = { path: f.path, ok: true, kind: 'ap', size: f.bytes.length };
    const ver = versions?.find((e) => e.name === name)?.ver;
    if (ver !== undefined) v.ver = ver;
    const size = options.sizes?.[name];
    const trailed = f.bytes.length >= 2 && f.bytes[f.bytes.length - 2] === 0xaa;
    if (size === undefined && !trailed) v.trailer = 'unknown';
    else
      try {
        const c = checkApFile(f.bytes, size, f.path);
        v.trailer = c.trailer;
        if (!c.ok) {
          v.ok = false;
          v.code = 'NV_LID_AP_BAD_TRAILER';
          v.message = `CheckNo is 0x${(c.stored ?? 0).toString(16)}, the data gives 0x${(c.computed ?? 0).toString(16)}`;
        }
      } catch (error) {
        if (!NvError.isInstance(error)) throw error;
        v.ok = false;
        v.code = error.code;
        v.message = error.message;
      }
    out.push(v);
  }
  return { ok: out.every((f) => f.ok), files: out };
}
