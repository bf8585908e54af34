/**
 * Upgrade planner (docs/formats/lid-table.md#upgrade): the docs/formats/lid-table.md#decision-table decision table as data rows; the first matching row gives the outcome.
 * @module
 */
import { NvError } from '@nv/core';
import type { LtableGeneration } from './enums.ts';
import type { Ltable, LtableEntry, LtableDefault } from './model.ts';
import { fileIdentity, type LtablePlatform } from './effective.ts';

/** CLI/upgrade modes (docs/formats/lid-table.md#modes). `ota` behaves as `download-only`. */
export type LtableUpgradeMode = 'format-all' | 'firmware-upgrade' | 'factory-reset' | 'download-only' | 'ota';
/** Every mode. */
export const LTABLE_UPGRADE_MODES: readonly LtableUpgradeMode[] = [
  'format-all',
  'firmware-upgrade',
  'factory-reset',
  'download-only',
  'ota',
];
/** Mode groups of the decision table: FA, FU, FR, DO (download-only and ota). */
export type LtableModeGroup = 'FA' | 'FU' | 'FR' | 'DO';
/** Planner classes (docs/formats/lid-table.md#decision-table). */
export type LtableClass = 'user' | 'cal' | 'rfdrv' | 'imp' | 'l4' | 'rf';
/** Change facts the rows test (docs/formats/lid-table.md#planner step 2). */
export type LtableChange =
  | 'added'
  | 'removed'
  | 'paired'
  | 'verUp'
  | 'verDown'
  | 'verReused'
  | 'sizeChanged'
  | 'defChanged'
  | 'attrChanged'
  | 'catChanged'
  | 'prefixChanged'
  | 'multipleChanged'
  | 'identityChanged'
  | 'confToggled'
  | 'resetOnVersion'
  | 'unchanged'
  | 'binEmpty'
  | 'l4Gone'
  | 'impGone'
  | 'unitGained'
  | 'faultAssert'
  | 'otp';
/** What happens to a LID's data (docs/formats/lid-table.md#decision-table outcomes). */
/** `fail`: the item stays unreadable (checksum error, and the bin-region copy fails the same way; docs/formats/lid-files.md#read-errors). */
export type LtableAction =
  'keep' | 'reset' | 'restore' | 'stale' | 'lost' | 'assert' | 'migrate' | 'orphan' | 'delete' | 'fail';
/** Severity of a planner finding. */
export type LtableSeverity = 'info' | 'warning' | 'error';

/** Outcome of one row, possibly different per generation and for `RESERVE_BACKWARD` / the default-change-reset feature. */
export interface LtableRowOutcome {
  readonly action: LtableAction;
  /** What happens to the old file when the data gets a new identity. */
  readonly oldFile?: 'orphan' | 'deleted';
  readonly code?: string;
  readonly severity?: LtableSeverity;
  readonly blocked?: boolean;
}

/** One decision-table row. A row matches when mode, class and every condition match. */
export interface LtableDecisionRow {
  /** Spec row number (`"11"`), or a sub-row (`"11b"`), or `"X1"`… for rows added by this package (README, Decisions). */
  readonly id: string;
  readonly modes: readonly LtableModeGroup[];
  /** Classes of the entry (any overlap matches); `'any'` for every class. */
  readonly classes: readonly LtableClass[] | 'any';
  /** Every listed change must hold. */
  readonly all?: readonly LtableChange[];
  /** At least one listed change must hold. */
  readonly any?: readonly LtableChange[];
  /** None of the listed changes may hold. */
  readonly none?: readonly LtableChange[];
  /** Generations the row applies to (default all). */
  readonly generations?: readonly LtableGeneration[];
  readonly outcome: LtableRowOutcome;
  /** Outcome overrides per generation. */
  readonly byGeneration?: Partial<Record<LtableGeneration, LtableRowOutcome>>;
  /** Override when the new entry has `RESERVE_BACKWARD` (moly-b). */
  readonly reserveBackward?: LtableRowOutcome;
  /** Override with the default-change-reset build feature (moly-b, {@link LtablePlanOptions.defaultChangeReset}). */
  readonly defaultChangeReset?: LtableRowOutcome;
  /** Why, in words (becomes the action's reason). */
  readonly reason: string;
  /** What to do instead (blocked and warning rows). */
  readonly advice?: string;
}

const ALL_MODES: readonly LtableModeGroup[] = ['FA', 'FU', 'FR', 'DO'];
const FU_FR: readonly LtableModeGroup[] = ['FU', 'FR'];
const FU_FR_DO: readonly LtableModeGroup[] = ['FU', 'FR', 'DO'];

/**
 * The docs/formats/lid-table.md#decision-table decision table, in order. Rows `X…` are additions and lettered rows (`4e`, `10r`, `18u`, …) refine a
 * spec row; each is explained in the README, Decisions (many were found by the planner-vs-simulator property test of
 * `@nv/device-sim`). Row 24 (AP files) is not about LIDs and is not in this table.
 */
export const LTABLE_DECISION_TABLE: readonly LtableDecisionRow[] = [
  {
    id: 'XO',
    modes: ALL_MODES,
    classes: 'any',
    all: ['otp'],
    none: ['verUp', 'sizeChanged', 'identityChanged'],
    generations: ['moly-a', 'moly-b'],
    outcome: { action: 'keep' },
    reason:
      'OTP LIDs live in the one-time-programmable area outside nvdata (§2.1: otp is not modem NVRAM): no upgrade mode erases them and the version check does not scan them',
  },
  {
    id: '1',
    modes: ['FA'],
    classes: ['cal', 'imp', 'l4'],
    none: ['removed', 'added', 'unitGained'],
    outcome: { action: 'lost', code: 'NV_LTABLE_PLAN_IDENTITY_RESET', severity: 'warning' },
    reason:
      'Format All erases every partition: unit-specific calibration, IMEI/barcode or SIM-lock data is replaced by defaults',
    advice: 're-calibrate, re-write IMEI/barcode, re-apply the SIM lock, then trigger a bin-region backup',
  },
  {
    id: '2',
    modes: ['FA'],
    classes: 'any',
    none: ['removed'],
    outcome: { action: 'reset' },
    reason: 'Format All erases every partition: regenerated from the new default',
  },
  {
    id: 'X1',
    modes: ['FA', 'FU', 'FR'],
    classes: 'any',
    all: ['removed'],
    outcome: { action: 'delete' },
    reason: 'LID removed: its file is erased with its partition (a bin-region copy is no longer in the table)',
  },
  {
    id: '3',
    modes: FU_FR_DO,
    classes: ['rf'],
    all: ['paired'],
    any: ['defChanged', 'sizeChanged', 'verUp'],
    outcome: { action: 'reset', code: 'NV_LTABLE_PLAN_NEEDS_FORMAT_ALL', severity: 'error', blocked: true },
    reason:
      'CA-combination/RF-band item changed: a per-LID change leaves it inconsistent with calibration and capability LIDs',
    advice: 'ship this change with Format All + Download (and re-calibrate), or revert it',
  },
  {
    id: 'X7a',
    modes: ['DO'],
    classes: ['imp', 'l4'],
    all: ['paired', 'unitGained', 'verUp'],
    none: ['prefixChanged'],
    outcome: { action: 'assert', code: 'NV_LTABLE_PLAN_VERNO_FORBIDDEN', severity: 'error', blocked: true },
    reason:
      'an ordinary LID becomes IMPORTANT/IMPORTANT_L4 with a new VERNO: its old file (same prefix, old VERNO) is still on the phone, and the modem asserts on it as on any IMPORTANT VERNO change',
    advice: 'change the category without changing the VERNO, or use a new prefix',
  },
  {
    id: 'X7',
    modes: FU_FR_DO,
    classes: 'any',
    all: ['paired', 'unitGained'],
    outcome: { action: 'reset' },
    reason:
      'an ordinary LID becomes calibration/IMEI/SIM-lock data (category or tag changed): its new file is created from the default; there was no unit data to lose',
  },
  {
    id: '7',
    modes: FU_FR_DO,
    classes: ['l4'],
    any: ['l4Gone', 'prefixChanged'],
    outcome: { action: 'assert', code: 'NV_LTABLE_PLAN_L4_LOST', severity: 'error', blocked: true },
    reason:
      'an IMPORTANT_L4 (SIM-lock) file disappears or is no longer owned (category or prefix changed): moly-b asserts on the SML/SIM_LOCK loss check, in every mode that keeps protect_f/s',
    advice: 'keep the LID, its category and prefix',
  },
  {
    id: '4e',
    modes: FU_FR,
    classes: ['imp'],
    all: ['paired', 'verUp', 'binEmpty'],
    none: ['prefixChanged', 'impGone'],
    outcome: { action: 'lost', code: 'NV_LTABLE_PLAN_VERNO_FORBIDDEN', severity: 'error', blocked: true },
    reason:
      'VERNO bump on an IMPORTANT item with an empty bin region: nvdata is erased and nothing restores the old file, so there is nothing to assert on and the item is regenerated from its default (IMEI lost); with a backup the modem asserts (row 4)',
    advice: 'revert the VERNO; IMEI and SIM-lock items must keep their version',
  },
  {
    id: '4',
    modes: FU_FR_DO,
    classes: ['imp', 'l4'],
    all: ['paired', 'verUp'],
    none: ['prefixChanged', 'impGone', 'l4Gone'],
    outcome: { action: 'assert', code: 'NV_LTABLE_PLAN_VERNO_FORBIDDEN', severity: 'error', blocked: true },
    reason:
      'VERNO bump on an IMPORTANT/IMPORTANT_L4 item: the modem asserts to protect IMEI and SIM lock (any stored file with its prefix under another VERNO, whatever its folder)',
    advice: 'revert the VERNO; IMEI and SIM-lock items must keep their version',
  },
  {
    id: '5',
    modes: FU_FR_DO,
    classes: ['cal'],
    all: ['paired', 'verUp'],
    outcome: { action: 'lost', code: 'NV_LTABLE_PLAN_CALIBRATION_LOSS', severity: 'error', blocked: true },
    reason:
      'VERNO bump on calibration results/barcode: the item is regenerated from its default, the unit data is lost',
    advice: 'revert the VERNO; calibration and barcode cannot be recreated outside the factory',
  },
  {
    id: 'X4',
    modes: FU_FR_DO,
    classes: ['cal', 'imp', 'l4'],
    all: ['paired', 'resetOnVersion'],
    none: ['identityChanged'],
    outcome: { action: 'lost', code: 'NV_LTABLE_PLAN_CALIBRATION_LOSS', severity: 'error', blocked: true },
    reason:
      'SW_VERNO_RESET/OTA_RESET on unit data: calibration, IMEI or SIM-lock data would be reset on every version change (the version check runs after every upgrade, also over restored bin-region files)',
    advice: 'remove SW_VERNO_RESET/OTA_RESET from calibration, IMPORTANT and IMPORTANT_L4 items',
  },
  {
    id: '6e',
    modes: FU_FR,
    classes: ['cal', 'imp'],
    all: ['paired', 'sizeChanged', 'binEmpty'],
    none: ['verUp', 'identityChanged'],
    outcome: { action: 'lost', code: 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT', severity: 'error', blocked: true },
    reason:
      'record size/count of a protected item changed with an empty bin region: nvdata is erased and nothing restores the old file, so there is nothing to assert on and the item is regenerated from its default (unit data lost); with a backup the modem asserts (row 6)',
    advice: 'keep the structure; add a new LID for new fields',
  },
  {
    id: 'X5e',
    modes: FU_FR,
    classes: ['rfdrv'],
    all: ['paired', 'sizeChanged', 'binEmpty'],
    none: ['verUp', 'identityChanged', 'resetOnVersion'],
    outcome: { action: 'reset', code: 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT', severity: 'error', blocked: true },
    reason:
      'record size/count of an RF-driver CALIBRAT item changed without a VERNO bump, bin region empty: nothing restores the old file, the item gets its new default; with a backup the modem asserts (row X5)',
    advice: 'bump the VERNO with the structure change (row 8 applies the new default), or keep the structure',
  },
  {
    id: '6',
    modes: FU_FR_DO,
    classes: ['cal', 'imp', 'l4'],
    all: ['paired', 'sizeChanged'],
    none: ['verUp', 'identityChanged'],
    outcome: { action: 'assert', code: 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT', severity: 'error', blocked: true },
    byGeneration: {
      'moly-a': { action: 'lost', code: 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT', severity: 'error', blocked: true },
    },
    reason:
      'record size/count of a protected item changed: moly-b asserts; moly-a gets checksum errors and the bin-region copy has the old size too (reset or assert, inferred)',
    advice: 'keep the structure; add a new LID for new fields',
  },
  {
    id: 'X5',
    modes: FU_FR_DO,
    classes: ['rfdrv'],
    all: ['paired', 'sizeChanged'],
    none: ['verUp', 'identityChanged', 'resetOnVersion'],
    outcome: { action: 'assert', code: 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT', severity: 'error', blocked: true },
    byGeneration: {
      'moly-a': { action: 'reset', code: 'NV_LTABLE_PLAN_SIZE_CHANGE_ASSERT', severity: 'error', blocked: true },
    },
    reason:
      'record size/count of an RF-driver CALIBRAT item changed without a VERNO bump: moly-b asserts (§8 covers every CALIBRAT LID); moly-a fails the first read of the old-size file and resets it (lid-file §8)',
    advice: 'bump the VERNO with the structure change (row 8 applies the new default), or keep the structure',
  },
  {
    id: 'X2',
    modes: FU_FR_DO,
    classes: ['cal', 'imp', 'l4'],
    all: ['paired'],
    any: ['identityChanged', 'catChanged'],
    outcome: { action: 'lost', code: 'NV_LTABLE_PLAN_IDENTITY_CHANGE', severity: 'error', blocked: true },
    reason:
      'category, folder, prefix or copy count of unit data changed: the modem looks for a new file (or deletes the old one on a header category mismatch) and regenerates it from the default',
    advice: 'keep category, prefix and MULTIPLE of calibration/IMEI/SIM-lock items',
  },
  {
    id: 'X6',
    modes: FU_FR_DO,
    classes: ['rfdrv'],
    all: ['paired'],
    any: ['identityChanged', 'catChanged'],
    outcome: { action: 'reset' },
    reason:
      'category, folder, prefix or copy count of an RF-driver parameter changed: the modem looks for a new file (a restored bin-region copy has the old name) and creates it from the new default',
  },
  {
    id: '14r',
    modes: FU_FR,
    classes: ['rfdrv'],
    all: ['paired', 'resetOnVersion'],
    outcome: { action: 'reset' },
    reason: 'SW_VERNO_RESET (moly-a) / OTA_RESET (moly-b): the version check resets the restored RF-driver parameter',
  },
  {
    id: '8',
    modes: FU_FR_DO,
    classes: ['rfdrv'],
    all: ['paired', 'verUp'],
    outcome: { action: 'reset' },
    reason: 'VERNO bump on an RF-driver parameter: the sanctioned way to apply its new default',
  },
  {
    id: '9',
    modes: FU_FR,
    classes: ['user'],
    all: ['paired'],
    outcome: { action: 'reset' },
    reason: 'nvdata is erased: regenerated from the new default (a default change takes effect without a VERNO bump)',
  },
  {
    id: '10',
    modes: FU_FR,
    classes: ['cal', 'imp'],
    all: ['paired', 'binEmpty'],
    outcome: { action: 'lost', code: 'NV_LTABLE_PLAN_BIN_REGION_EMPTY', severity: 'warning' },
    reason: 'the bin region is empty: nothing to restore, the item is regenerated from its default',
    advice: 'back the unit up to the bin region before upgrading, or re-calibrate afterwards',
  },
  {
    id: '10r',
    modes: FU_FR,
    classes: ['rfdrv'],
    all: ['paired', 'binEmpty'],
    outcome: { action: 'reset', code: 'NV_LTABLE_PLAN_BIN_REGION_EMPTY', severity: 'warning' },
    reason:
      'the bin region is empty: nothing to restore, the RF-driver parameter gets its new default (driver data, not unit data: RESET as in rows 2 and 8)',
    advice: 'back the unit up to the bin region before upgrading if tuned RF-driver values must survive',
  },
  {
    id: '18f',
    modes: FU_FR_DO,
    classes: 'any',
    all: ['paired', 'confToggled', 'faultAssert'],
    none: ['verUp', 'identityChanged', 'sizeChanged', 'resetOnVersion'],
    generations: ['moly-b'],
    outcome: { action: 'assert', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'error', blocked: true },
    reason:
      'CONFIDENTIAL/MSP of a FAULT_ASSERT item toggled: moly-b fails the checksum of the kept file and, FAULT_ASSERT, asserts (lid-file §8.3/§8.4)',
    advice: 'bump the VERNO when changing CONFIDENTIAL or MSP (keep them on calibration/IMEI/SIM-lock items)',
  },
  {
    id: '18u',
    modes: FU_FR_DO,
    classes: ['cal', 'imp', 'rfdrv'],
    all: ['paired', 'confToggled'],
    none: ['verUp', 'identityChanged', 'sizeChanged', 'resetOnVersion'],
    outcome: { action: 'fail', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'error', blocked: true },
    byGeneration: {
      'moly-a': { action: 'keep', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'error', blocked: true },
    },
    reason:
      'CONFIDENTIAL/MSP of a CALIBRAT/IMPORTANT item toggled: its file (kept, or restored from the bin region) is read with the other cipher mode — moly-a silently mis-decodes it (inferred); moly-b fails the checksum, the bin-region copy fails the same way, the item stays unreadable (lid-file §8.3)',
    advice:
      'keep CONFIDENTIAL/MSP of calibration and IMEI items (a VERNO bump would lose or assert on them); for an RF-driver parameter bump the VERNO',
  },
  {
    id: '18l',
    modes: FU_FR_DO,
    classes: ['l4'],
    all: ['paired', 'confToggled'],
    none: ['verUp', 'identityChanged', 'sizeChanged', 'resetOnVersion'],
    outcome: { action: 'lost', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'error', blocked: true },
    byGeneration: {
      'moly-a': { action: 'keep', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'error', blocked: true },
    },
    reason:
      'CONFIDENTIAL/MSP of an IMPORTANT_L4 item toggled: the protect_f/s file is read with the other cipher mode — moly-a silently mis-decodes it (inferred); moly-b fails the checksum and resets the SIM-lock data',
    advice: 'keep CONFIDENTIAL/MSP of SIM-lock items (a VERNO bump would assert)',
  },
  {
    id: '11a',
    modes: FU_FR,
    classes: ['rfdrv'],
    all: ['paired', 'defChanged'],
    none: ['verUp'],
    outcome: { action: 'stale', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'warning' },
    reason: 'restored from the bin region: the new RF-driver default does not take effect',
    advice: 'bump the VERNO so the new default is applied',
  },
  {
    id: '11b',
    modes: FU_FR,
    classes: ['cal', 'imp'],
    all: ['paired', 'defChanged'],
    none: ['verUp'],
    outcome: { action: 'stale', code: 'NV_LTABLE_PLAN_STALE', severity: 'info' },
    reason: 'restored from the bin region: the old unit data is kept although the default changed',
  },
  {
    id: '11',
    modes: FU_FR,
    classes: ['cal', 'rfdrv', 'imp'],
    all: ['paired'],
    none: ['verUp'],
    outcome: { action: 'restore' },
    reason: 'nvdata is erased; the AP restores CALIBRAT/NVD_IMEI from the bin region',
  },
  {
    id: '12a',
    modes: FU_FR,
    classes: ['l4'],
    all: ['paired', 'defChanged'],
    none: ['verUp'],
    outcome: { action: 'stale', code: 'NV_LTABLE_PLAN_STALE', severity: 'warning' },
    reason: 'protect_f/s are not erased: the old SIM-lock data is kept although the default changed',
  },
  {
    id: '12',
    modes: FU_FR,
    classes: ['l4'],
    all: ['paired'],
    none: ['verUp'],
    outcome: { action: 'keep' },
    reason: 'protect_f/s are not erased',
  },
  {
    id: '13',
    modes: ALL_MODES,
    classes: 'any',
    all: ['added'],
    outcome: { action: 'reset' },
    reason: 'new LID: created from its default on first access',
  },
  {
    id: '14m',
    modes: ['DO'],
    classes: ['user'],
    all: ['paired', 'resetOnVersion'],
    any: ['verUp', 'identityChanged'],
    none: ['prefixChanged'],
    outcome: { action: 'reset' },
    reserveBackward: { action: 'migrate', oldFile: 'deleted' },
    reason:
      'SW_VERNO_RESET / OTA_RESET with a new VERNO or identity: the old file is deleted before the reset could act, the item is created from its default; moly-b RESERVE_BACKWARD copies the backup back (§8 phase 1/2)',
  },
  {
    id: '14',
    modes: ['DO'],
    classes: 'any',
    all: ['paired', 'resetOnVersion'],
    outcome: { action: 'reset' },
    reason: 'SW_VERNO_RESET (moly-a) / OTA_RESET (moly-b): reset on every version change',
  },
  {
    id: '15',
    modes: ['DO'],
    classes: 'any',
    all: ['paired', 'unchanged'],
    outcome: { action: 'keep' },
    reason: 'unchanged: the file survives the version check',
  },
  {
    id: '19p',
    modes: ['DO'],
    classes: ['user'],
    all: ['paired', 'prefixChanged'],
    outcome: { action: 'reset', oldFile: 'orphan' },
    byGeneration: { 'moly-b': { action: 'reset', oldFile: 'deleted' } },
    reason:
      'prefix changed: new file identity, regenerated from the default (a RESERVE_BACKWARD backup is kept under the old prefix, which no LID owns any more)',
  },
  {
    id: '16',
    modes: ['DO'],
    classes: ['user'],
    all: ['paired'],
    any: ['verDown', 'verReused'],
    outcome: { action: 'keep', code: 'NV_LTABLE_PLAN_VERNO_REUSED', severity: 'warning' },
    byGeneration: {
      'moly-b': { action: 'reset', oldFile: 'deleted', code: 'NV_LTABLE_PLAN_VERNO_REUSED', severity: 'warning' },
    },
    reason:
      'the VERNO names an older file: moly-a keeps orphans and picks the old data back up (inferred); moly-b deleted it, so the item is reset',
    advice: 'use a VERNO never used before for this prefix',
  },
  {
    id: '17',
    modes: ['DO'],
    classes: ['user'],
    all: ['paired', 'verUp'],
    outcome: { action: 'reset', oldFile: 'orphan' },
    byGeneration: { 'moly-b': { action: 'reset', oldFile: 'deleted' } },
    reserveBackward: { action: 'migrate', oldFile: 'deleted' },
    reason: 'VERNO bump: the new file name is missing, the item is regenerated from the new default',
  },
  {
    id: '18',
    modes: ['DO'],
    classes: 'any',
    all: ['paired', 'confToggled'],
    none: ['verUp', 'identityChanged', 'sizeChanged'],
    outcome: { action: 'keep', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'error', blocked: true },
    byGeneration: { 'moly-b': { action: 'reset', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'warning' } },
    reason:
      'CONFIDENTIAL/MSP toggled without a VERNO bump: moly-a checksums the stored bytes, so the data is silently mis-decoded (inferred); moly-b checksum fails and resets (inferred)',
    advice: 'bump the VERNO when changing CONFIDENTIAL or MSP',
  },
  {
    id: '19',
    modes: ['DO'],
    classes: ['user'],
    all: ['paired'],
    any: ['identityChanged', 'catChanged'],
    outcome: { action: 'reset', oldFile: 'orphan' },
    byGeneration: { 'moly-b': { action: 'reset', oldFile: 'deleted' } },
    reserveBackward: { action: 'migrate', oldFile: 'deleted' },
    reason:
      'category or effective MULTIPLE changed: new file identity, regenerated from the default; moly-b RESERVE_BACKWARD: the old file is backed up before it is deleted and copied back (§8 phase 1/2)',
  },
  {
    id: '20f',
    modes: ['DO'],
    classes: ['user'],
    all: ['paired', 'sizeChanged', 'faultAssert'],
    none: ['verUp'],
    outcome: { action: 'assert', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'error', blocked: true },
    reserveBackward: { action: 'migrate', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'warning' },
    reason:
      'size changed without a VERNO bump on a FAULT_ASSERT item: the first read of the old file fails and the modem asserts instead of resetting (lid-file §8.4)',
    advice: 'bump the VERNO with every structure change',
  },
  {
    id: '20',
    modes: ['DO'],
    classes: ['user'],
    all: ['paired', 'sizeChanged'],
    none: ['verUp'],
    outcome: { action: 'reset', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'warning' },
    reserveBackward: { action: 'migrate', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'warning' },
    reason:
      'size changed without a VERNO bump: read with the new size, checksum errors, reset on first failing read (inferred)',
    advice: 'bump the VERNO with every structure change',
  },
  {
    id: '21',
    modes: ['DO'],
    classes: ['user', 'rfdrv'],
    all: ['paired', 'defChanged'],
    none: ['verUp'],
    outcome: { action: 'stale', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'warning' },
    defaultChangeReset: { action: 'reset', code: 'NV_LTABLE_PLAN_VERNO_REQUIRED', severity: 'warning' },
    reason: 'default changed without a VERNO bump: the old data survives, the new default does not take effect',
    advice: 'bump the VERNO so the new default is applied',
  },
  {
    id: '22',
    modes: ['DO'],
    classes: ['cal', 'imp', 'l4'],
    all: ['paired', 'defChanged'],
    none: ['verUp'],
    outcome: { action: 'stale', code: 'NV_LTABLE_PLAN_STALE', severity: 'info' },
    reason: 'default changed: unit data is kept on purpose',
  },
  {
    id: '23',
    modes: ['DO'],
    classes: 'any',
    all: ['removed'],
    outcome: { action: 'orphan', code: 'NV_LTABLE_PLAN_REMOVED', severity: 'info' },
    byGeneration: { 'moly-b': { action: 'delete', code: 'NV_LTABLE_PLAN_REMOVED', severity: 'info' } },
    reason: 'LID removed: moly-a keeps the orphan file, moly-b deletes it',
  },
  {
    id: 'X3',
    modes: ['DO'],
    classes: 'any',
    all: ['paired'],
    outcome: { action: 'keep' },
    reason: 'no change that the version check acts on: the file survives',
  },
];

/** Options of {@link planUpgrade}. */
export interface LtablePlanOptions {
  /** Bin region state for FU/FR (docs/formats/lid-table.md#modes): `empty` after a Format All without a later backup. Default `present`. */
  readonly binRegion?: 'present' | 'empty';
  /** VERNOs used before, per LID name (`--history`): an ↑V to one of them is a reuse (row 16). */
  readonly history?: Readonly<Record<string, readonly string[]>>;
  /** Platform for the docs/formats/lid-table.md#effective-attributes rewrites. */
  readonly platform?: LtablePlatform;
  /** moly-b structure/default-change-reset build feature (row 21). */
  readonly defaultChangeReset?: boolean;
}

/** One LID's fate. */
export interface LtablePlanAction {
  readonly lid: number | null;
  readonly name: string;
  readonly action: LtableAction;
  readonly reason: string;
  /** Decision-table row that decided. */
  readonly row: string;
  readonly classes: readonly LtableClass[];
  readonly changes: readonly LtableChange[];
  readonly oldFile?: 'orphan' | 'deleted';
  readonly code?: string;
  readonly severity?: LtableSeverity;
}

/** A change that must not ship. */
export interface LtablePlanBlocked {
  readonly lid: number | null;
  readonly name: string;
  readonly reason: string;
  readonly code: string;
  readonly advice: string;
  readonly row: string;
}

/** Result of {@link planUpgrade}: `{actions, blocked}` as in cli.md, plus the inputs' mode and generation. */
export interface LtablePlan {
  readonly generation: LtableGeneration;
  readonly mode: LtableUpgradeMode;
  readonly actions: LtablePlanAction[];
  readonly blocked: LtablePlanBlocked[];
}

/**
 * The decision-table group of a mode.
 * @throws NV_LTABLE_PLAN_BAD_MODE
 * @example modeGroup('ota') // 'DO'
 */
export function modeGroup(mode: string): LtableModeGroup {
  switch (mode) {
    case 'format-all':
      return 'FA';
    case 'firmware-upgrade':
      return 'FU';
    case 'factory-reset':
      return 'FR';
    case 'download-only':
    case 'ota':
      return 'DO';
    default:
      throw new NvError(
        'NV_LTABLE_PLAN_BAD_MODE',
        `unknown upgrade mode ${JSON.stringify(mode)}; use one of ${LTABLE_UPGRADE_MODES.join(', ')}`,
      );
  }
}

/**
 * Planner classes of one entry (docs/formats/lid-table.md#decision-table): a primary class by category/tags, plus `rf` for `ca-combo`/`rf-band` tags.
 * CALIBRAT is `rfdrv` with `rf-driver-param` (an explicit tag wins over the `calibration-result` default), else `cal`;
 * `barcode` always makes an entry `cal`.
 * @example entryClasses({ categories: ['CALIBRAT'], tags: ['rf-driver-param'] }) // ['rfdrv']
 */
export function entryClasses(entry: Pick<LtableEntry, 'categories' | 'tags'>): LtableClass[] {
  const cats = entry.categories;
  const out: LtableClass[] = [];
  if (cats.includes('CALIBRAT'))
    out.push(entry.tags.includes('rf-driver-param') && !entry.tags.includes('barcode') ? 'rfdrv' : 'cal');
  else if (cats.includes('IMPORTANT')) out.push('imp');
  else if (cats.includes('IMPORTANT_L4')) out.push('l4');
  else if (entry.tags.includes('barcode') || entry.tags.includes('calibration-result')) out.push('cal');
  else if (entry.tags.includes('imei')) out.push('imp');
  else if (entry.tags.includes('sim-lock')) out.push('l4');
  else out.push('user');
  if (entry.tags.includes('ca-combo') || entry.tags.includes('rf-band')) out.push('rf');
  return out;
}

function defaultsEqual(a: LtableDefault, b: LtableDefault): boolean {
  return a.kind === b.kind && (a.symbol ?? '') === (b.symbol ?? '') && (a.hex ?? '') === (b.hex ?? '');
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * Change facts between an old and a new entry (docs/formats/lid-table.md#planner step 2). Either side may be undefined (added / removed).
 * @example classifyChange(old, { ...old, verno: '002' }, 'moly-b') // includes 'verUp'
 */
export function classifyChange(
  oldE: LtableEntry | undefined,
  newE: LtableEntry | undefined,
  generation: LtableGeneration,
  options: LtablePlanOptions = {},
): LtableChange[] {
  const out = new Set<LtableChange>();
  if (options.binRegion === 'empty') out.add('binEmpty');
  if (oldE === undefined && newE === undefined) throw new TypeError('classifyChange needs an old or a new entry');
  if (oldE === undefined) return [...out.add('added')];
  if (newE === undefined) {
    out.add('removed');
    if (oldE.categories.includes('IMPORTANT_L4')) out.add('l4Gone');
    return [...out];
  }
  out.add('paired');
  const platform = options.platform ?? {};
  const o = fileIdentity(oldE, generation, platform);
  const n = fileIdentity(newE, generation, platform);
  const ov = Number(oldE.verno);
  const nv = Number(newE.verno);
  if (oldE.verno !== newE.verno) {
    const reused = options.history?.[newE.name]?.includes(newE.verno) === true;
    // docs/formats/lid-table.md#decision-table legend: ↑V means "verno changed" (either direction); ↓V is the downward special case of row 16.
    out.add('verUp');
    if (Number.isFinite(ov) && Number.isFinite(nv) && nv < ov) out.add('verDown');
    if (reused) out.add('verReused');
  }
  if (oldE.size !== newE.size || oldE.records !== newE.records) out.add('sizeChanged');
  if (!defaultsEqual(oldE.default, newE.default)) out.add('defChanged');
  if (oldE.attr !== newE.attr || !sameSet(o.effective.attributes, n.effective.attributes)) out.add('attrChanged');
  if (oldE.category !== newE.category) out.add('catChanged');
  if (oldE.prefix !== newE.prefix) out.add('prefixChanged');
  const om = o.effective.attributes.includes('MULTIPLE');
  const nm = n.effective.attributes.includes('MULTIPLE');
  if (om !== nm) out.add('multipleChanged');
  if (
    o.location.folder !== n.location.folder ||
    o.location.partition !== n.location.partition ||
    oldE.prefix !== newE.prefix ||
    om !== nm
  )
    out.add('identityChanged');
  if (oldE.categories.includes('IMPORTANT_L4') && !newE.categories.includes('IMPORTANT_L4')) out.add('l4Gone');
  // The new entry is no longer IMPORTANT: the modem's IMPORTANT VERNO assert (docs/formats/lid-table.md#verno-rules) does not look at it any more.
  if (oldE.categories.includes('IMPORTANT') && !newE.categories.includes('IMPORTANT')) out.add('impGone');
  // FAULT_ASSERT: a first read that fails asserts instead of resetting (docs/formats/lid-files.md#read-errors).
  if (newE.attributes.includes('FAULT_ASSERT')) out.add('faultAssert');
  // OTP data lives outside nvdata (docs/formats/lid-table.md#partitions; README, Decisions: row XO).
  if (generation !== 'maui' && oldE.categories.includes('OTP') && newE.categories.includes('OTP')) out.add('otp');
  // An ordinary LID (user/rfdrv/rf) that becomes calibration/IMEI/SIM-lock data: there was no unit data to lose.
  const unit = (cls: readonly LtableClass[]): boolean => cls.some((c) => c === 'cal' || c === 'imp' || c === 'l4');
  if (!unit(entryClasses(oldE)) && unit(entryClasses(newE))) out.add('unitGained');
  for (const bit of ['CONFIDENTIAL', 'MSP'])
    if (o.effective.attributes.includes(bit) !== n.effective.attributes.includes(bit)) out.add('confToggled');
  // moly-a SW_VERNO_RESET / moly-b OTA_RESET attribute; MAUI resets the SYSTEM category on a version change (docs/formats/lid-table.md#maui-categories).
  if (
    generation === 'maui'
      ? newE.categories.includes('SYSTEM')
      : newE.attributes.includes(generation === 'moly-b' ? 'OTA_RESET' : 'SW_VERNO_RESET')
  )
    out.add('resetOnVersion');
  if (
    ![
      'verUp',
      'verDown',
      'sizeChanged',
      'defChanged',
      'attrChanged',
      'catChanged',
      'prefixChanged',
      'identityChanged',
    ].some((c) => out.has(c as LtableChange))
  )
    out.add('unchanged');
  return [...out];
}

/**
 * True when `row` matches mode group, classes and changes.
 * @example rowMatches(LTABLE_DECISION_TABLE[1], 'FA', ['user'], ['paired'], 'moly-b') // true (row 2)
 */
export function rowMatches(
  row: LtableDecisionRow,
  group: LtableModeGroup,
  classes: readonly LtableClass[],
  changes: readonly LtableChange[],
  generation: LtableGeneration,
): boolean {
  if (!row.modes.includes(group)) return false;
  if (row.generations !== undefined && !row.generations.includes(generation)) return false;
  if (row.classes !== 'any' && !row.classes.some((c) => classes.includes(c))) return false;
  if (row.all !== undefined && !row.all.every((c) => changes.includes(c))) return false;
  if (row.any !== undefined && !row.any.some((c) => changes.includes(c))) return false;
  if (row.none !== undefined && row.none.some((c) => changes.includes(c))) return false;
  return true;
}

/**
 * The first row of {@link LTABLE_DECISION_TABLE} that matches, and its resolved outcome.
 * @example decide('DO', ['user'], ['paired', 'unchanged'], 'moly-b', false, false).row.id // '15'
 */
export function decide(
  group: LtableModeGroup,
  classes: readonly LtableClass[],
  changes: readonly LtableChange[],
  generation: LtableGeneration,
  reserveBackward: boolean,
  defaultChangeReset: boolean,
): { row: LtableDecisionRow; outcome: LtableRowOutcome } {
  for (const row of LTABLE_DECISION_TABLE) {
    if (!rowMatches(row, group, classes, changes, generation)) continue;
    let outcome = row.byGeneration?.[generation] ?? row.outcome;
    if (generation === 'moly-b' && reserveBackward && row.reserveBackward !== undefined) outcome = row.reserveBackward;
    if (generation === 'moly-b' && defaultChangeReset && row.defaultChangeReset !== undefined)
      outcome = row.defaultChangeReset;
    return { row, outcome };
  }
  /* c8 ignore next */
  throw new Error(`decision table has no row for ${group} ${classes.join('+')} ${changes.join(',')}`);
}

/**
 * Plans an upgrade (docs/formats/lid-table.md#planner): pairs entries by name then prefix, classifies each change and applies the first matching
 * decision-table row. Actions are in the new table's order, then removed LIDs.
 * @throws NV_LTABLE_PLAN_BAD_MODE; NV_LTABLE_PLAN_GEN_MISMATCH when the tables' generations differ.
 * @example planUpgrade(oldTable, newTable, 'firmware-upgrade').blocked
 */
export function planUpgrade(
  oldTable: Ltable,
  newTable: Ltable,
  mode: LtableUpgradeMode,
  options: LtablePlanOptions = {},
): LtablePlan {
  const group = modeGroup(mode);
  if (oldTable.generation !== newTable.generation) {
    throw new NvError(
      'NV_LTABLE_PLAN_GEN_MISMATCH',
      `old table is ${oldTable.generation}, new table is ${newTable.generation}: plan between tables of one generation`,
    );
  }
  const generation = newTable.generation;
  const byName = new Map<string, LtableEntry>();
  const byPrefix = new Map<string, LtableEntry>();
  for (const e of oldTable.entries) {
    if (!byName.has(e.name)) byName.set(e.name, e);
    if (!byPrefix.has(e.prefix)) byPrefix.set(e.prefix, e);
  }
  const newNames = new Set(newTable.entries.map((e) => e.name));
  const used = new Set<LtableEntry>();
  const actions: LtablePlanAction[] = [];
  const blocked: LtablePlanBlocked[] = [];
  const emit = (oldE: LtableEntry | undefined, newE: LtableEntry | undefined): void => {
    const subject = (newE ?? oldE) as LtableEntry;
    const classes = [...new Set([...(oldE ? entryClasses(oldE) : []), ...(newE ? entryClasses(newE) : [])])];
    const changes = classifyChange(oldE, newE, generation, options);
    const { row, outcome } = decide(
      group,
      classes,
      changes,
      generation,
      newE?.attributes.includes('RESERVE_BACKWARD') === true,
      options.defaultChangeReset === true,
    );
    const action: LtablePlanAction = {
      lid: subject.lid,
      name: subject.name,
      action: outcome.action,
      reason: row.reason,
      row: row.id,
      classes,
      changes,
      ...(outcome.oldFile !== undefined ? { oldFile: outcome.oldFile } : {}),
      ...(outcome.code !== undefined ? { code: outcome.code } : {}),
      ...(outcome.severity !== undefined ? { severity: outcome.severity } : {}),
    };
    actions.push(action);
    if (outcome.blocked === true) {
      blocked.push({
        lid: subject.lid,
        name: subject.name,
        reason: row.reason,
        code: outcome.code ?? `NV_LTABLE_PLAN_ROW_${row.id}`,
        advice: row.advice ?? '',
        row: row.id,
      });
    }
  };
  for (const n of newTable.entries) {
    // Pair by name, then by prefix when the name is new (a renamed symbol keeps its file).
    let o = byName.get(n.name);
    if (o === undefined || used.has(o)) {
      const p = byPrefix.get(n.prefix);
      o = p !== undefined && !used.has(p) && !newNames.has(p.name) ? p : undefined;
    }
    if (o !== undefined) used.add(o);
    emit(o, n);
  }
  for (const o of oldTable.entries) if (!used.has(o)) emit(o, undefined);
  return { generation, mode, actions, blocked };
}
