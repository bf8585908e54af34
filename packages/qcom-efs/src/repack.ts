/**
 * `nv qcom efs repack` (issue 14.6, cli.md): turns the entries of an archive made by a host tar (GNU tar, bsdtar,
 * pax, Python `tarfile`) into the device EFS tree, listing every repair: `./` and relative names rooted at `/`, pax
 * and GNU long-name headers dropped, item bits and full modes restored (from a reference image, the archive's own
 * `.nv-efs.json`, or {@link defaultKind}), owners reset to 0, hard links copied, devices and FIFOs dropped. Names the
 * V7 device tar cannot hold (> 99 B) are an error, never truncated (docs/formats/efs-tar.md#pitfalls #6).
 *
 * The reading of the foreign archive (tar-stream) lives in `host-tar.ts`; this module is pure.
 * @module
 */
import { NvError } from '@nv/core';
import { encodeLatin1 } from '@nv/core/bytes';
import { MANIFEST_NAME, decodeManifest, type ManifestEntry } from './manifest.ts';
import {
  DEFAULT_MODES,
  DEVICE_MTIME,
  MAX_ITEM_BYTES,
  S_IFITM,
  S_IFMT,
  defaultKind,
  normalizeEfsPath,
  type EfsEntry,
  type EfsTree,
  type EfsWarning,
} from './tree.ts';

/** One entry of a host archive as a general tar reader returns it (names already joined with long names/pax). */
export interface HostTarEntry {
  /** Name as stored (after GNU long-name / pax `path` / ustar prefix were applied). */
  readonly name: string;
  /** tar-stream's type: `file`, `directory`, `symlink`, `link`, `contiguous-file`, `fifo`, … */
  readonly type: string;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  /** Seconds since 1970. */
  readonly mtime: number;
  readonly linkname: string | null;
  readonly data: Uint8Array;
  /** The pax records that applied to this entry, when a pax header preceded it. */
  readonly pax?: Readonly<Record<string, string>> | null;
}

/** What a repair changed (cli.md `repairs[]`). */
export type RepairKind =
  'name' | 'long-name' | 'pax-header' | 'item-bit' | 'mode' | 'owner' | 'hard-link' | 'dropped' | 'manifest' | 'mtime';

/** One repair `repack` made. */
export interface RepackRepair {
  readonly path: string;
  readonly repair: RepairKind;
  readonly message: string;
}

/** Options of {@link repackHostEntries}. */
export interface RepackOptions {
  /** A device image of the same EFS: kinds, modes, owners and mtimes are taken from its entries by path. */
  readonly reference?: EfsTree;
  /** Leading name parts to drop (`tar czf x.tar.gz efs/` stores `efs/…`; give 1). */
  readonly stripComponents?: number;
}

type Meta = Pick<ManifestEntry, 'type' | 'mode' | 'uid' | 'gid' | 'mtime'>;

/** `./nv/x`, `nv/x/`, `/nv/x` → `/nv/x`; `.` and `./` → `/`; `undefined` when strip removes every part. */
function rootName(name: string, strip: number): string | undefined {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (strip > 0) {
    if (parts.length <= strip) return undefined;
    parts.splice(0, strip);
  }
  return `/${parts.join('/')}`;
}

const oct = (m: number): string => `0${m.toString(8)}`;

/**
 * Repairs host-archive entries into a device EFS tree (see the module doc). Pure: the caller reads the archive.
 * @throws NvError `NV_EFS_TAR_NAME_TOO_LONG` (names over 99 bytes, all listed), `NV_EFS_BAD_PATH`,
 *   `NV_EFS_BAD_HOST_TAR` (hard link to a missing entry), `NV_EFS_BAD_MANIFEST`
 * @example const { tree, repairs } = repackHostEntries(entries, { reference });
 */
export function repackHostEntries(
  entries: readonly HostTarEntry[],
  options: RepackOptions = {},
): { tree: EfsTree; repairs: RepackRepair[]; warnings: EfsWarning[] } {
  const strip = options.stripComponents ?? 0;
  const repairs: RepackRepair[] = [];
  const warnings: EfsWarning[] = [];
  const reference = new Map<string, Meta>();
  for (const e of options.reference?.entries ?? []) reference.set(e.path, e);
  // The archive's own manifest (a folder written by unpack, then tarred on the host): second source of kinds.
  let manifest: Readonly<Record<string, ManifestEntry>> | undefined;
  for (const e of entries) {
    if (e.type === 'file' && rootName(e.name, strip) === `/${MANIFEST_NAME}`) {
      manifest = decodeManifest(e.data, e.name).entries;
      repairs.push({
        path: `/${MANIFEST_NAME}`,
        repair: 'manifest',
        message: `${e.name}: kinds and modes taken from this manifest of \`nv qcom efs unpack\`; it is not packed`,
      });
    }
  }
  const meta = (path: string): { m: Meta; from: string } | undefined => {
    const r = reference.get(path);
    if (r !== undefined) return { m: r, from: 'the reference image' };
    const m = manifest?.[path];
    return m !== undefined ? { m, from: MANIFEST_NAME } : undefined;
  };
  const tooLong: string[] = [];
  let guessed = 0;
  const byPath = new Map<string, EfsEntry>();
  const dataByName = new Map<string, Uint8Array>();
  for (const e of entries) {
    const path0 = rootName(e.name, strip);
    if (path0 === undefined) {
      repairs.push({ path: e.name, repair: 'dropped', message: `${e.name} removed by --strip-components ${strip}` });
      continue;
    }
    if (path0 === `/${MANIFEST_NAME}`) continue;
    const path = normalizeEfsPath(path0);
    const bytes = encodeLatin1(path).length;
    if (path !== '/' && bytes > 99) {
      tooLong.push(`${path} (${bytes} B)`);
      continue;
    }
    if (e.name !== path && e.name !== `${path}/`)
      repairs.push({ path, repair: 'name', message: `${JSON.stringify(e.name)} → ${path} (absolute EFS path)` });
    if (encodeLatin1(e.name).length > 99)
      repairs.push({
        path,
        repair: 'long-name',
        message: `the archive stored ${JSON.stringify(e.name)} with a long-name record; ${path} fits the 99-B V7 name`,
      });
    if (e.pax !== undefined && e.pax !== null)
      repairs.push({
        path,
        repair: 'pax-header',
        message: `pax header dropped (${Object.keys(e.pax).sort().join(', ')}): the modem rejects pax headers (§5 #5)`,
      });
    const ref = meta(path);
    let uid = e.uid;
    let gid = e.gid;
    if (ref !== undefined) {
      uid = ref.m.uid;
      gid = ref.m.gid;
    } else if (uid !== 0 || gid !== 0) {
      repairs.push({ path, repair: 'owner', message: `owner ${uid}:${gid} → 0:0 (the modem chowns to it, §5 #9)` });
      uid = 0;
      gid = 0;
    }
    let mtime = ref?.m.mtime ?? e.mtime;
    if (!Number.isInteger(mtime) || mtime < 0 || mtime >= 8 ** 11) {
      repairs.push({ path, repair: 'mtime', message: `mtime ${mtime} does not fit 11 octal digits → ${DEVICE_MTIME}` });
      mtime = DEVICE_MTIME;
    }
    let entry: EfsEntry;
    /** The device mode of `kind` (reference/manifest, else the default), with its repair listed. */
    const mode = (kind: EfsEntry['type'], why: string): number => {
      const fromRef = ref !== undefined && ref.m.type === kind;
      const want = fromRef ? ref.m.mode : DEFAULT_MODES[kind];
      const source = fromRef ? ref.from : why;
      if (kind === 'item' && (e.mode & S_IFMT) !== S_IFITM)
        repairs.push({
          path,
          repair: 'item-bit',
          message: `item file restored: mode ${oct(e.mode)} → ${oct(want)} (${source})`,
        });
      else if (want !== e.mode)
        repairs.push({ path, repair: 'mode', message: `mode ${oct(e.mode)} → ${oct(want)} (${source})` });
      return want;
    };
    if (e.type === 'directory') {
      entry = { path, type: 'dir', mode: mode('dir', 'full st_mode of a folder'), uid, gid, mtime };
    } else if (e.type === 'symlink') {
      const target = e.linkname ?? '';
      if (encodeLatin1(target).length > 100) {
        tooLong.push(`${path} -> ${target} (link target ${encodeLatin1(target).length} B)`);
        continue;
      }
      entry = { path, type: 'symlink', mode: mode('symlink', 'full st_mode of a symlink'), uid, gid, mtime, target };
    } else if (e.type === 'file' || e.type === 'contiguous-file' || e.type === 'link') {
      let data = e.data;
      if (e.type === 'link') {
        const to = rootName(e.linkname ?? '', strip);
        const d = to === undefined ? undefined : dataByName.get(to);
        if (d === undefined)
          throw new NvError(
            'NV_EFS_BAD_HOST_TAR',
            `${e.name} is a hard link to ${JSON.stringify(e.linkname)}, which is not a file earlier in the archive`,
            { path: e.name },
          );
        data = d;
        repairs.push({
          path,
          repair: 'hard-link',
          message: `hard link to ${to} → a copy of its ${d.length} bytes (the modem rejects typeflag 1, §5 #5)`,
        });
      }
      let kind: 'item' | 'file';
      let why: string;
      if (ref !== undefined && (ref.m.type === 'item' || ref.m.type === 'file')) {
        kind = ref.m.type;
        why = ref.from;
      } else if ((e.mode & S_IFMT) === S_IFITM) {
        kind = 'item';
        why = 'the item type bits the archive kept';
      } else {
        guessed++;
        kind = defaultKind(path, data.length);
        why = 'defaultKind: ≤ 128 B outside conf/item_store and not .xml/.conf/.bl';
      }
      if (kind === 'item' && data.length > MAX_ITEM_BYTES) {
        warnings.push({
          code: 'NV_EFS_TAR_SUSPECT_ENTRY',
          message: `${path} is an item in ${why} but has ${data.length} bytes (> 128): packed as a regular file (§5 #8)`,
          path,
        });
        kind = 'file';
      }
      entry = { path, type: kind, mode: mode(kind, why), uid, gid, mtime, data };
      dataByName.set(path, data);
    } else {
      repairs.push({
        path,
        repair: 'dropped',
        message: `${e.type} entry dropped: the device tar holds only files, folders and symlinks (§5 #5)`,
      });
      continue;
    }
    if (byPath.has(path))
      warnings.push({
        code: 'NV_EFS_TAR_SUSPECT_ENTRY',
        message: `${path} appears twice in the archive; the last one wins`,
        path,
      });
    byPath.set(path, entry);
  }
  if (tooLong.length > 0)
    throw new NvError(
      'NV_EFS_TAR_NAME_TOO_LONG',
      `${tooLong.length} name(s) do not fit the 99-byte name of the device tar and repack never truncates: ${tooLong
        .slice(0, 5)
        .join(', ')}${tooLong.length > 5 ? ', …' : ''}; shorten them in the source folder`,
      { path: tooLong[0]?.replace(/ \(.*$/, '') as string, data: { names: tooLong.length } },
    );
  if (guessed > 0)
    // A real device EFS (an MSM8916-class FSG dump) has ≤ 128-B regular files that defaultKind calls items: 266 of
    // its 706 files. The guess is never silent.
    warnings.push({
      code: 'NV_EFS_REPACK_KIND_GUESSED',
      message: `${guessed} file(s) got their kind (item or regular) from defaultKind, a guess by size and name that is wrong for some real files: give --reference <device image> (or keep the .nv-efs.json of unpack in the archive) for exact kinds`,
    });
  return { tree: { entries: [...byPath.values()] }, repairs, warnings };
}
