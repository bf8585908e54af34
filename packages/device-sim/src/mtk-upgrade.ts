/**
 * Firmware upgrades of the simulated MediaTek device (docs/formats/lid-table.md#modes): what each mode does to the partitions,
 * then the boot of the new firmware (docs/formats/lid-table.md#boot-check), and the report of what happened to every LID's data.
 * @module
 */
import { NvError } from '@nv/core';
import type { Ltable, LtableEntry, LtableUpgradeMode } from '@nv/mtk-nvram-ltable';
import {
  _assertMtkTable,
  bootMtkDevice,
  MTK_NVRAM_PARTITIONS,
  mtkLidLocations,
  type MtkAssert,
  type MtkDevice,
  type MtkLidOutcome,
} from './mtk-device.ts';

/** Upgrade modes (`--mode`), as cli.md and docs/formats/lid-table.md#modes name them. */
export type MtkUpgradeMode = LtableUpgradeMode;
/**
 * Every upgrade mode.
 * @example for (const mode of MTK_UPGRADE_MODES) upgradeMtkDevice(cloneMtkDevice(device), next, mode);
 */
export const MTK_UPGRADE_MODES: readonly MtkUpgradeMode[] = [
  'format-all',
  'firmware-upgrade',
  'factory-reset',
  'download-only',
  'ota',
];

/** Options of {@link upgradeMtkDevice}. */
export interface MtkUpgradeOptions {
  /** Build id of the new firmware (default `build-<n>`: every upgrade is a new build, so the SYS check fires). */
  readonly firmware?: string;
}

/** What happened to one LID's data. `lost`: unit data (calibration, IMEI, barcode, SIM lock) replaced by a default. */
export type MtkUpgradeOutcome = MtkLidOutcome | 'lost';

/** Per-LID line of {@link MtkUpgradeReport}. */
export interface MtkUpgradeLid {
  readonly name: string;
  readonly lid: number | null;
  readonly outcome: MtkUpgradeOutcome;
  readonly reason: string;
}

/**
 * Result of {@link upgradeMtkDevice}: cli.md's `{kept[], reset[], migrated[], lost[], asserted?}` (LID names) plus
 * `restored[]` (back from the bin region), `garbled[]` (read with the wrong cipher mode), `failed[]` (unreadable:
 * checksum error and no bin-region copy), `unreached[]` (not processed: the modem asserted first), `removed[]` (LIDs
 * of the old table only), and the files the modem deleted or left orphaned. Every LID of the new table is in exactly
 * one of kept / restored / reset / migrated / lost / garbled / failed / unreached, except the LID the modem asserted
 * on (`asserted`; its line in `lids` has outcome `asserted`). An assert is a failed boot.
 */
export interface MtkUpgradeReport {
  readonly mode: MtkUpgradeMode;
  readonly generation: Ltable['generation'];
  readonly from: string;
  readonly to: string;
  readonly kept: string[];
  readonly restored: string[];
  readonly reset: string[];
  readonly migrated: string[];
  readonly lost: string[];
  readonly garbled: string[];
  readonly failed: string[];
  /** LIDs the boot never reached because the modem asserted first (nothing was decided for them). */
  readonly unreached: string[];
  readonly removed: string[];
  readonly deleted: string[];
  readonly orphans: string[];
  readonly erased: string[];
  readonly asserted?: MtkAssert;
  readonly lids: MtkUpgradeLid[];
}

/**
 * Flashes the firmware of `newTable` in `mode` and boots it (docs/formats/lid-table.md#modes):
 * `format-all` erases nvdata, protect_f/s and the bin region; `firmware-upgrade` erases nvdata; `factory-reset`
 * erases nvdata and sets the factory-reset flag; `download-only`/`ota` erase nothing. Mutates `device`.
 * @throws NV_SIM_MTK_GEN_MISMATCH when the generations differ; NV_SIM_MTK_UNSUPPORTED_GENERATION; NV_LIMIT;
 *   NV_BAD_INPUT for an unknown mode.
 * @example const report = upgradeMtkDevice(device, newTable, 'firmware-upgrade'); report.lost
 */
export function upgradeMtkDevice(
  device: MtkDevice,
  newTable: Ltable,
  mode: MtkUpgradeMode,
  options: MtkUpgradeOptions = {},
): MtkUpgradeReport {
  if (!MTK_UPGRADE_MODES.includes(mode))
    throw new NvError(
      'NV_BAD_INPUT',
      `unknown upgrade mode ${JSON.stringify(mode)}; use one of ${MTK_UPGRADE_MODES.join(', ')}`,
    );
  _assertMtkTable(newTable);
  if (newTable.generation !== device.table.generation) {
    throw new NvError(
      'NV_SIM_MTK_GEN_MISMATCH',
      `the device runs a ${device.table.generation} firmware, the new table is ${newTable.generation}`,
    );
  }
  const oldTable = device.table;
  const from = device.firmware;
  // Unit data before the upgrade, by LID name and by prefix (a renamed symbol keeps its file).
  const unitNames = new Set<string>();
  const unitPrefixes = new Set<string>();
  for (const e of oldTable.entries) {
    const f = mtkLidLocations(device, e)
      .map((l) => device.partitions[l.partition][l.path])
      .find((x) => x !== undefined);
    if (f?.unit === true) (unitNames.add(e.name), unitPrefixes.add(e.prefix));
  }
  const erased: string[] = [];
  const erase = (what: 'nvdata' | 'protect_f' | 'protect_s'): void => {
    device.partitions[what] = {};
    erased.push(what);
  };
  if (mode === 'format-all') {
    // The OTP area is not an NVRAM partition: Format All leaves it alone.
    for (const p of MTK_NVRAM_PARTITIONS) erase(p as 'nvdata' | 'protect_f' | 'protect_s');
    device.binRegion = null;
    erased.push('nvram');
  }
  if (mode === 'firmware-upgrade' || mode === 'factory-reset') erase('nvdata');
  // SYS lives on nvdata (NVD_CORE / IMPORTNT, docs/formats/lid-table.md#folders): erasing nvdata forgets the installed version.
  if (erased.includes('nvdata')) device.sys = null;
  if (mode === 'factory-reset') device.factoryResetFlag = true;
  device.builds += 1;
  device.table = newTable;
  device.firmware = options.firmware ?? `build-${device.builds}`;

  const boot = bootMtkDevice(device);
  const newNames = new Set(newTable.entries.map((e) => e.name));
  const newPrefixes = new Set(newTable.entries.map((e) => e.prefix));
  const removed = oldTable.entries
    .filter((e) => !newNames.has(e.name) && !newPrefixes.has(e.prefix))
    .map((e) => e.name);
  const lids: MtkUpgradeLid[] = boot.lids.map((l) => {
    const e = newTable.entries.find((x) => x.name === l.name) as LtableEntry;
    const wasUnit = unitNames.has(e.name) || unitPrefixes.has(e.prefix);
    if (l.outcome === 'reset' && wasUnit)
      return { ...l, outcome: 'lost', reason: `${l.reason}; the unit-specific data is lost` };
    return l;
  });
  const names = (o: MtkUpgradeOutcome): string[] => lids.filter((l) => l.outcome === o).map((l) => l.name);
  return {
    mode,
    generation: newTable.generation,
    from,
    to: device.firmware,
    kept: names('kept'),
    restored: names('restored'),
    reset: names('reset'),
    migrated: names('migrated'),
    lost: names('lost'),
    garbled: names('garbled'),
    failed: names('failed'),
    unreached: names('unreached'),
    removed,
    deleted: boot.deleted,
    orphans: boot.orphans,
    erased,
    ...(boot.asserted !== undefined ? { asserted: boot.asserted } : {}),
    lids,
  };
}
