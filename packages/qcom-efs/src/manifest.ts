/**
 * The `.nv-efs.json` manifest of a host folder (docs/formats/efs-tar.md#manifest): kinds, modes, owners, mtimes and symlinks
 * that a host file system cannot hold. Never packed.
 * @module
 */
import { NvError } from '@nv/core';
import { decodeUtf8, encodeUtf8 } from '@nv/core/bytes';
import { DEFAULT_MODES, normalizeEfsPath, type EfsEntryType, type EfsTree } from './tree.ts';

/** Name of the manifest at the folder root. */
export const MANIFEST_NAME = '.nv-efs.json';

/** One manifest entry. */
export interface ManifestEntry {
  readonly type: EfsEntryType;
  readonly mode: number;
  readonly mtime: number;
  readonly uid: number;
  readonly gid: number;
  readonly target?: string;
}

/** The manifest (docs/formats/efs-tar.md#manifest): `{version: 1, entries: {"/path": {...}}}`. */
export interface EfsManifest {
  readonly version: 1;
  readonly entries: Readonly<Record<string, ManifestEntry>>;
}

/**
 * The manifest of a tree (every entry, sorted by path), as UTF-8 JSON text with modes in decimal.
 * @example encodeManifest(tree) // bytes of {"version":1,"entries":{"/":{...}}}
 */
export function encodeManifest(tree: EfsTree): Uint8Array<ArrayBuffer> {
  const entries: Record<string, ManifestEntry> = {};
  for (const e of [...tree.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    entries[e.path] = {
      type: e.type,
      mode: e.mode,
      mtime: e.mtime,
      uid: e.uid,
      gid: e.gid,
      ...(e.target !== undefined ? { target: e.target } : {}),
    };
  }
  return encodeUtf8(`${JSON.stringify({ version: 1, entries }, null, 1)}\n`);
}

const TYPES = new Set(['item', 'file', 'dir', 'symlink']);

/**
 * Parses and checks a manifest.
 * @throws NvError `NV_EFS_BAD_MANIFEST`, `NV_EFS_BAD_PATH`
 * @example decodeManifest(encodeManifest(tree)).entries['/nvm/num/10']?.type
 */
export function decodeManifest(bytes: Uint8Array, path: string = MANIFEST_NAME): EfsManifest {
  let raw: unknown;
  try {
    raw = JSON.parse(decodeUtf8(bytes, { path }));
  } catch (cause) {
    throw new NvError('NV_EFS_BAD_MANIFEST', `${path} is not valid JSON`, { path, cause });
  }
  const bad = (why: string): never => {
    throw new NvError('NV_EFS_BAD_MANIFEST', `${path}: ${why}`, { path });
  };
  if (typeof raw !== 'object' || raw === null) return bad('not an object');
  const r = raw as Record<string, unknown>;
  if (r['version'] !== 1) bad(`version must be 1, got ${JSON.stringify(r['version'])}`);
  const ents = r['entries'];
  if (typeof ents !== 'object' || ents === null || Array.isArray(ents))
    return bad('entries must be an object keyed by EFS path');
  const out: Record<string, ManifestEntry> = {};
  for (const [p, v] of Object.entries(ents as Record<string, unknown>)) {
    const efsPath = normalizeEfsPath(p);
    if (typeof v !== 'object' || v === null) bad(`${p}: entry must be an object`);
    const e = v as Record<string, unknown>;
    const type = e['type'];
    if (typeof type !== 'string' || !TYPES.has(type)) bad(`${p}: type must be item, file, dir or symlink`);
    const num = (k: string, def: number, max: number): number => {
      const n = e[k] ?? def;
      if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > max)
        bad(`${p}: ${k} must be an integer 0..${max}`);
      return n as number;
    };
    const t = type as EfsEntryType;
    const target = e['target'];
    if (t === 'symlink' && typeof target !== 'string') bad(`${p}: a symlink needs a target`);
    out[efsPath] = {
      type: t,
      mode: num('mode', DEFAULT_MODES[t], 0o177777),
      mtime: num('mtime', 315964800, 8 ** 11 - 1),
      uid: num('uid', 0, 0o7777777),
      gid: num('gid', 0, 0o7777777),
      ...(typeof target === 'string' ? { target } : {}),
    };
  }
  return { version: 1, entries: out };
}
