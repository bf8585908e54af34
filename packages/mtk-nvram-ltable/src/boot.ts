/**
 * The modem's boot-time version check (docs/formats/lid-table.md#boot-check) as a pure function over a list of stored files: what the device
 * simulator runs after an upgrade.
 * @module
 */
import type { Ltable, LtableEntry } from './model.ts';
import { fileIdentity, isSysLid, type LtablePlatform } from './effective.ts';

/** One LID file present on the device before boot. */
export interface LtableStoredFile {
  /** Folder (docs/formats/lid-table.md#folders), e.g. `CALIBRAT`, `NVD_DATA`, or `md` on protect_f/s. */
  readonly folder: string;
  /** File name `PPPP{_|A|B}VVV`. */
  readonly name: string;
  /** Gen-B header valid (default true). */
  readonly headerOk?: boolean;
  /** Category from the gen-B header, if known. */
  readonly category?: number;
  /** Attributes from the gen-B header, if known. */
  readonly attr?: number;
  /** Record size from the header, if known. */
  readonly recordSize?: number;
  /** Record count from the header, if known. */
  readonly records?: number;
}

/** Why the check runs (docs/formats/lid-table.md#boot-check). `none`: no version change, only missing files are created. */
export type LtableBootTrigger =
  'none' | 'sys-mismatch' | 'build-time-mismatch' | 'firmware-check' | 'clean-boot' | 'sys-read-failed';

/** Input of {@link bootCheck}. */
export interface LtableBootInput {
  /** The table of the firmware that boots. */
  readonly table: Ltable;
  readonly files: readonly LtableStoredFile[];
  readonly trigger: LtableBootTrigger;
  /** Factory-reset flag set. */
  readonly factoryReset?: boolean;
  /** File names (`PPPP?VVV`) the bin region holds (CALIBRAT + NVD_IMEI backups); absent = empty bin region. */
  readonly binRegion?: readonly string[];
  readonly platform?: LtablePlatform;
  /** moly-b structure/default-change-reset build feature. */
  readonly defaultChangeReset?: boolean;
}

/** Final state of one LID after boot. */
export type LtableBootOutcome = 'kept' | 'reset' | 'restored-bin' | 'restored-backup' | 'migrated';

/** Result of {@link bootCheck}. */
export interface LtableBootResult {
  /** Set when the modem asserts (boot stops: nothing else is applied). */
  readonly asserted?: { readonly name: string; readonly reason: string };
  /** Per LID of the table, its data after boot. */
  readonly lids: {
    readonly name: string;
    readonly lid: number | null;
    readonly outcome: LtableBootOutcome;
    readonly reason: string;
  }[];
  /** Files deleted (`folder/name`). */
  readonly deleted: string[];
  /** Files left in place that no LID reads any more (`folder/name`). */
  readonly orphans: string[];
}

const PROTECTED = ['CALIBRAT', 'IMPORTANT', 'IMPORTANT_L4'];
const NO_ATTR_RESET = ['INTERNAL', 'CALIBRAT', 'IMPORTANT', 'IMPORTANT_L4', 'FUNC_DEFAULT'];
// Attribute bits whose change resets a LID with the default-change-reset feature (docs/formats/lid-table.md#boot-check phase 1).
const RESET_ATTR_BITS = 0x1 | 0x8 | 0x4 | 0x20 | 0x100 | 0x8000;

const parseName = (name: string): { prefix: string; copy: string; verno: string } | undefined => {
  const m = /^(.{4})([_ABab])(\d{3})$/.exec(name);
  return m ? { prefix: m[1] as string, copy: m[2] as string, verno: m[3] as string } : undefined;
};

/**
 * Runs the docs/formats/lid-table.md#boot-check boot-time version check. `moly-a`: SW_VERNO_RESET and missing files reset; files with other
 * vernos stay as orphans on smartphones (deleted on feature phones); IMPORTANT_C is reset. `moly-b`: phases 1–3.
 * Missing CALIBRAT/IMPORTANT files come back from the bin region (the AP daemon, docs/formats/lid-table.md#boot-check) when it holds them.
 * @example bootCheck({ table: sampleLtable(), files: [], trigger: 'sys-mismatch' }).lids.every((l) => l.outcome === 'reset')
 */
export function bootCheck(input: LtableBootInput): LtableBootResult {
  const { table, trigger } = input;
  const gen = table.generation;
  const platform = input.platform ?? {};
  const bin = new Set(input.binRegion ?? []);
  const ids = table.entries.map((e) => ({ e, id: fileIdentity(e, gen, platform) }));
  const byPrefix = new Map(ids.map((x) => [x.e.prefix, x]));
  const deleted: string[] = [];
  const orphans: string[] = [];
  const present = new Map<string, LtableStoredFile>(input.files.map((f) => [`${f.folder}/${f.name}`, f]));
  const outcome = new Map<LtableEntry, { outcome: LtableBootOutcome; reason: string }>();
  const backups = new Set<LtableEntry>();
  const setOnce = (e: LtableEntry, o: LtableBootOutcome, reason: string): void => {
    if (!outcome.has(e)) outcome.set(e, { outcome: o, reason });
  };
  const finish = (asserted?: { name: string; reason: string }): LtableBootResult => ({
    ...(asserted ? { asserted } : {}),
    lids: table.entries.map((e) => ({
      name: e.name,
      lid: e.lid,
      ...(outcome.get(e) ?? { outcome: 'kept' as const, reason: 'file present' }),
    })),
    deleted,
    orphans,
  });

  if (trigger === 'clean-boot' || trigger === 'sys-read-failed') {
    for (const { e } of ids)
      setOnce(
        e,
        'reset',
        trigger === 'clean-boot'
          ? 'clean boot: every LID is reset'
          : 'SYS LID unreadable: every LID is reset (FAT reset)',
      );
    return finish();
  }
  const check = trigger !== 'none';
  if (check && gen === 'moly-b') {
    // Phase 1: each stored file.
    for (const f of input.files) {
      const path = `${f.folder}/${f.name}`;
      const parsed = parseName(f.name);
      const owner = parsed ? byPrefix.get(parsed.prefix) : undefined;
      if (f.headerOk === false) {
        if (
          owner &&
          (owner.e.tags.includes('sim-lock') || /SML|SIM_LOCK/.test(owner.e.name)) &&
          owner.e.categories.includes('IMPORTANT_L4')
        ) {
          return finish({
            name: owner.e.name,
            reason: `bad header on ${path}: SML/SIM_LOCK data lost, the modem asserts`,
          });
        }
        continue;
      }
      if (!parsed || !owner) {
        deleted.push(path);
        continue;
      }
      const { e, id } = owner;
      const wrongName = !id.files.includes(f.name) || id.location.folder !== f.folder;
      const wrongCat = f.category !== undefined && f.category !== e.category;
      if (wrongName || wrongCat) {
        if (e.attributes.includes('RESERVE_BACKWARD')) backups.add(e);
        deleted.push(path);
        present.delete(path);
        continue;
      }
      if (e.attributes.includes('OTA_RESET')) {
        setOnce(e, 'reset', 'OTA_RESET: reset on every version change');
        continue;
      }
      const sizeBad =
        (f.recordSize !== undefined && f.recordSize !== e.size) || (f.records !== undefined && f.records !== e.records);
      if (sizeBad) {
        if (e.categories.some((c) => PROTECTED.includes(c)))
          return finish({
            name: e.name,
            reason: `record size/count of ${path} differs from the table: the modem asserts to protect ${e.categories.join('|')} data`,
          });
        if (e.attributes.includes('RESERVE_BACKWARD'))
          setOnce(e, 'migrated', 'structure changed: backed up and restored into the new structure (RESERVE_BACKWARD)');
        else setOnce(e, 'kept', 'structure changed but kept unchanged (no RESERVE_BACKWARD)');
        continue;
      }
      if (
        input.defaultChangeReset === true &&
        f.attr !== undefined &&
        ((f.attr ^ e.attr) & RESET_ATTR_BITS) !== 0 &&
        !isSysLid(e) &&
        !/NVRAM_LOCK/.test(e.name) &&
        !e.categories.some((c) => NO_ATTR_RESET.includes(c))
      ) {
        setOnce(e, 'reset', 'attribute change with the default-change-reset feature');
      }
    }
  }
  if (check && gen !== 'moly-b') {
    for (const f of input.files) {
      const parsed = parseName(f.name);
      const owner = parsed ? byPrefix.get(parsed.prefix) : undefined;
      if (owner && owner.id.files.includes(f.name)) continue;
      // moly-a: other vernos stay on smartphones, are deleted on feature phones (docs/formats/lid-table.md#boot-check).
      if (platform.device === 'feature-phone') deleted.push(`${f.folder}/${f.name}`);
      else orphans.push(`${f.folder}/${f.name}`);
      present.delete(`${f.folder}/${f.name}`);
    }
    for (const { e } of ids) {
      if (e.attributes.includes('SW_VERNO_RESET')) setOnce(e, 'reset', 'SW_VERNO_RESET: reset on every version change');
      else if (e.categories.includes('IMPORTANT_C')) setOnce(e, 'reset', 'IMPORTANT_C is reset on a version change');
    }
  }
  // Phase 2: entries without their file.
  for (const { e, id } of ids) {
    const missing = id.files.some((n) => !present.has(`${id.location.folder}/${n}`));
    if (!missing) continue;
    if (e.categories.includes('CALIBRAT') || e.categories.includes('IMPORTANT')) {
      if (id.files.every((n) => bin.has(n))) setOnce(e, 'restored-bin', 'file missing: restored from the bin region');
      else setOnce(e, 'reset', 'file missing and not in the bin region: regenerated from the default (unit data lost)');
    } else if (gen === 'moly-b' && backups.has(e))
      setOnce(e, 'restored-backup', 'restored from BACKUP (RESERVE_BACKWARD)');
    else setOnce(e, 'reset', 'file missing: created from the default');
  }
  if (input.factoryReset === true) {
    for (const { e } of ids) {
      const resettable =
        gen === 'moly-b'
          ? !e.categories.includes('IMPORTANT_L4') && !e.categories.includes('IMPORTANT_L1')
          : e.attributes.includes('FACTORY_RESET');
      if (resettable) outcome.set(e, { outcome: 'reset', reason: 'factory-reset flag' });
    }
  }
  return finish();
}

/**
 * The files a device holds when every LID of `table` has been written once: `{folder, name}` per file, using the
 * effective identity (docs/formats/lid-table.md#effective-attributes). A convenience for simulators and tests.
 * @example storedFilesOf(sampleLtable()).length
 */
export function storedFilesOf(table: Ltable, platform: LtablePlatform = {}): LtableStoredFile[] {
  return table.entries.flatMap((e) => {
    const id = fileIdentity(e, table.generation, platform);
    return id.files.map((name) => ({
      folder: id.location.folder,
      name,
      category: e.category,
      attr: e.attr,
      recordSize: e.size,
      records: e.records,
    }));
  });
}
