/**
 * AP-side NVRAM files (`APCFG`, docs/formats/lid-files.md#ap-files): the `0xAA` + CheckNo trailer and `FILE_VER`.
 * @module
 */
import { NvError } from '@nv/core';
import { decodeLatin1 } from '@nv/core/bytes';

/**
 * CheckNo of AP file data (docs/formats/lid-files.md#ap-files): `c = 0; c = (i even) ? (c + b) mod 256 : c XOR b`.
 * @example apCheckNo(Uint8Array.of(1, 2, 3, 4)) // 0x02
 */
export function apCheckNo(data: Uint8Array): number {
  let c = 0;
  for (let i = 0; i < data.length; i++) c = i % 2 === 0 ? (c + data[i]!) & 0xff : c ^ data[i]!;
  return c;
}

/**
 * Appends the check trailer `0xAA, CheckNo` to AP file data.
 * @example bytesToHex(encodeApFile(Uint8Array.of(1, 2, 3, 4))) // '01020304aa02'
 */
export function encodeApFile(data: Uint8Array): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = 0xaa;
  out[data.length + 1] = apCheckNo(data);
  return out;
}

/** Result of {@link checkApFile}. */
export interface ApFileCheck {
  /** The file is accepted as it is. */
  ok: boolean;
  /** `none` (file = data only, accepted), `ok`, or `bad`. */
  trailer: 'none' | 'ok' | 'bad';
  data: Uint8Array;
  /** Stored and computed CheckNo when there is a trailer. */
  stored?: number;
  computed?: number;
}

/**
 * Checks an AP file against its table size `recSize × recNum` (docs/formats/lid-files.md#ap-files): size `data` or `data + 2` is accepted; with a
 * trailer it must be `0xAA` + CheckNo (else `ok: false`: the device restores it from the bin region or resets it).
 * Without `dataSize` the file must carry a trailer.
 * @throws NvError `NV_LID_AP_BAD_SIZE`.
 * @example checkApFile(bytes, 6).trailer // 'ok'
 */
export function checkApFile(bytes: Uint8Array, dataSize?: number, path?: string): ApFileCheck {
  const size = dataSize ?? bytes.length - 2;
  if (size < 0 || (bytes.length !== size && bytes.length !== size + 2)) {
    throw new NvError(
      'NV_LID_AP_BAD_SIZE',
      `AP file is ${bytes.length} bytes; its table size is ${size} (+2 with the trailer)`,
      { offset: Math.max(0, size), path, data: { expected: size, actual: bytes.length } },
    );
  }
  const data = bytes.subarray(0, size);
  if (bytes.length === size) return { ok: true, trailer: 'none', data };
  const computed = apCheckNo(data);
  const ok = bytes[size] === 0xaa && bytes[size + 1] === computed;
  return { ok, trailer: ok ? 'ok' : 'bad', data, stored: bytes[size + 1]!, computed };
}

/** One `FILE_VER` entry. */
export interface FileVerEntry {
  /** AP LID (entry index − 1); −1 for the `NVRAM_VER_INFO` entry 0. */
  lid: number;
  name: string;
  ver: string;
}

const trimNul = (b: Uint8Array): string => {
  const z = b.indexOf(0);
  return decodeLatin1(z < 0 ? b : b.subarray(0, z));
};

/**
 * Parses `APRDCL/FILE_VER` (docs/formats/lid-files.md#ap-files): 74-byte `{name[70], ver[4]}` entries (entry 0 = `NVRAM_VER_INFO`/`000`, AP LID
 * n at entry n+1), or the old layout of a 4-byte version per LID (`layout: 'old'`).
 * @throws NvError `NV_LID_FILEVER_BAD_SIZE`.
 * @example parseFileVer(bytes)[0] // { lid: -1, name: 'NVRAM_VER_INFO', ver: '000' }
 */
export function parseFileVer(bytes: Uint8Array, layout: 'new' | 'old' = 'new', path?: string): FileVerEntry[] {
  const w = layout === 'new' ? 74 : 4;
  if (bytes.length % w !== 0)
    throw new NvError('NV_LID_FILEVER_BAD_SIZE', `FILE_VER is ${bytes.length} bytes, not a multiple of ${w}`, {
      offset: bytes.length - (bytes.length % w),
      path,
    });
  const out: FileVerEntry[] = [];
  for (let i = 0; i < bytes.length / w; i++) {
    const e = bytes.subarray(i * w, (i + 1) * w);
    out.push(
      layout === 'new'
        ? { lid: i - 1, name: trimNul(e.subarray(0, 70)), ver: trimNul(e.subarray(70, 74)) }
        : { lid: i, name: '', ver: trimNul(e) },
    );
  }
  return out;
}

/**
 * Writes a new-layout `FILE_VER` (entry 0 `NVRAM_VER_INFO`/`000` is added when missing).
 * @throws RangeError for a name over 69 or a version over 3 characters.
 * @example encodeFileVer([{ name: 'BT_Addr', ver: '001' }])
 */
export function encodeFileVer(entries: readonly { name: string; ver: string }[]): Uint8Array<ArrayBuffer> {
  const list = entries[0]?.name === 'NVRAM_VER_INFO' ? entries : [{ name: 'NVRAM_VER_INFO', ver: '000' }, ...entries];
  const out = new Uint8Array(list.length * 74);
  list.forEach((e, i) => {
    if (e.name.length > 69 || e.ver.length > 3)
      throw new RangeError(`FILE_VER entry ${e.name}: name ≤ 69, ver ≤ 3 characters`);
    for (let k = 0; k < e.name.length; k++) out[i * 74 + k] = e.name.charCodeAt(k) & 0xff;
    for (let k = 0; k < e.ver.length; k++) out[i * 74 + 70 + k] = e.ver.charCodeAt(k) & 0xff;
  });
  return out;
}
