import { readdir } from 'node:fs/promises';
import { NvError } from '@nv/core';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import { toNvIoError } from '@nv/core/node';
import { loadMtkDevice, saveMtkDevice } from '@nv/device-sim/mtk/node';
import { planUpgrade, type Ltable, type LtableGeneration, type LtableUpgradeMode } from '@nv/mtk-nvram-ltable';
import { readLtableFiles } from '@nv/mtk-nvram-ltable/node';
import {
  backupMtkBinRegion,
  bootMtkDevice,
  compareMtkPlan,
  createMtkDevice,
  MTK_PARTITIONS,
  readMtkRecord,
  upgradeMtkDevice,
  writeMtkRecord,
  type MtkDevice,
} from '@nv/device-sim/mtk';
import { formatTable, type CliContext } from '../context.ts';
import { usage } from '../options.ts';

interface TableFlags {
  generation?: string;
  storage?: 'emmc' | 'nand';
  seed?: number;
  key?: string;
}

/** A --key given for an existing state must be the device's key (it decides how its CONFIDENTIAL files read). */
function checkKey(device: MtkDevice, key: string | undefined, state: string): void {
  if (key === undefined) return;
  if (!/^([0-9a-f]{2})+$/i.test(key)) usage(`--key ${key}: expected an even number of hex digits`);
  if (key.toLowerCase() !== device.key)
    throw new NvError(
      'NV_SIM_MTK_KEY_MISMATCH',
      `--key is not the key of the simulated device in ${state} (created with ${device.key})`,
      { path: state },
    );
}

const keyFlag = (key: string | undefined): string | undefined => {
  if (key !== undefined && !/^([0-9a-f]{2})+$/i.test(key)) usage(`--key ${key}: expected an even number of hex digits`);
  return key;
};

async function readTable(ctx: CliContext, path: string, flags: TableFlags): Promise<Ltable> {
  const { table, warnings } = await readLtableFiles(
    [ctx.resolvePath(path)],
    flags.generation !== undefined ? { generation: flags.generation as LtableGeneration } : {},
  );
  for (const w of warnings) ctx.note(`warning ${w.code}: ${w.message}`);
  return table;
}

async function stateExists(dir: string): Promise<boolean> {
  try {
    return (await readdir(dir)).length > 0;
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return false;
    throw toNvIoError(error, dir);
  }
}

// Tables agree when every LID has the same identity and structure (C and JSON imports of one table differ only in `source`).
const tableKey = (t: Ltable): string =>
  JSON.stringify([
    t.generation,
    t.entries.map((e) => [
      e.name,
      e.lid,
      e.prefix,
      e.verno,
      e.size,
      e.records,
      e.category,
      e.attr,
      e.default.kind,
      e.default.symbol ?? '',
      e.default.hex ?? '',
    ]),
  ]);

const lidArg = (text: string): string | number => (/^(0x[0-9a-f]+|\d+)$/i.test(text) ? Number(text) : text);

/** `nv sim mtk init` */
export async function simMtkInit(
  ctx: CliContext,
  flags: TableFlags & {
    ltable: string;
    state: string;
    blank?: boolean;
    backup?: boolean;
    images?: boolean;
    force?: boolean;
  },
): Promise<void> {
  const key = keyFlag(flags.key);
  const table = await readTable(ctx, flags.ltable, flags);
  const device = createMtkDevice(table, {
    seed: flags.seed ?? 1,
    platform: { storage: flags.storage ?? 'emmc' },
    personalize: flags.blank !== true,
    ...(key !== undefined ? { key } : {}),
  });
  // --no-backup: calibrated and IMEI written, but the bin-region backup was never triggered (docs/formats/lid-table.md#partitions).
  if (flags.backup === false) device.binRegion = null;
  await saveMtkDevice(ctx.resolvePath(flags.state), device, {
    force: flags.force === true,
    ...(flags.images === true ? { images: true } : {}),
  });
  const files = MTK_PARTITIONS.flatMap((p) =>
    Object.keys(device.partitions[p])
      .sort()
      .map((path) => `${p}:${path}`),
  );
  const binRegion = device.binRegion === null ? [] : Object.keys(device.binRegion).sort();
  ctx.result(
    {
      state: flags.state,
      generation: table.generation,
      firmware: device.firmware,
      seed: device.seed,
      key: device.key,
      lids: table.entries.length,
      files,
      binRegion,
    },
    () =>
      `${files.join('\n')}\nbin region: ${binRegion.length === 0 ? 'blank' : binRegion.join(', ')}\n${table.entries.length} LIDs (${table.generation}) in ${flags.state}\n` +
      `key of CONFIDENTIAL LIDs: ${device.key} (nv mtk lid decode <file> --key ${device.key} --no-bind-to-chip)\n`,
  );
}

/** `nv sim mtk upgrade` */
export async function simMtkUpgrade(
  ctx: CliContext,
  flags: TableFlags & {
    state: string;
    from: string;
    to: string;
    mode: string;
    firmware?: string;
    failOnLoss?: boolean;
    images?: boolean;
  },
): Promise<void> {
  const key = keyFlag(flags.key);
  const from = await readTable(ctx, flags.from, flags);
  const to = await readTable(ctx, flags.to, flags);
  const dir = ctx.resolvePath(flags.state);
  let device: MtkDevice;
  let created = false;
  if (await stateExists(dir)) {
    device = await loadMtkDevice(dir);
    checkKey(device, key, flags.state);
    if (tableKey(device.table) !== tableKey(from)) {
      throw new NvError(
        'NV_SIM_MTK_TABLE_MISMATCH',
        `${flags.from} is not the table of the firmware on the device in ${flags.state} (${device.firmware})`,
        { path: flags.from },
      );
    }
  } else {
    device = createMtkDevice(from, {
      seed: flags.seed ?? 1,
      platform: { storage: flags.storage ?? 'emmc' },
      ...(key !== undefined ? { key } : {}),
    });
    created = true;
    ctx.note(`new device created from ${flags.from} (seed ${flags.seed ?? 1})`);
  }
  if (device.asserted !== null)
    ctx.note(`the device had asserted before (${device.asserted.reason}); flashing new firmware`);
  const mode = flags.mode as LtableUpgradeMode;
  const binBefore = device.binRegion;
  const report = upgradeMtkDevice(device, to, mode, flags.firmware !== undefined ? { firmware: flags.firmware } : {});
  // The planner is told what the device really has: a blank bin region changes rows 10/11 (docs/formats/lid-table.md#modes).
  const plan = planUpgrade(from, to, mode, {
    platform: device.platform,
    binRegion: binBefore === null ? 'empty' : 'present',
  });
  const cmp = compareMtkPlan(plan, report);
  await saveMtkDevice(dir, device, { force: true, ...(created && flags.images === true ? { images: true } : {}) });
  const json = {
    ...report,
    planner: { agree: cmp.agree, mismatches: cmp.mismatches, skipped: cmp.skipped, blocked: plan.blocked },
  };
  ctx.result(json, () => {
    let s = '';
    if (report.asserted !== undefined)
      s += `ASSERT ${report.asserted.name}: ${report.asserted.reason}\nthe boot failed: ${report.unreached.length} LID(s) not reached\n`;
    s += formatTable(
      report.lids.map((l) => [l.name, l.outcome, l.reason]),
      ['lid', 'outcome', 'reason'],
    );
    if (report.removed.length > 0) s += `removed LIDs: ${report.removed.join(', ')}\n`;
    if (report.deleted.length > 0) s += `deleted files: ${report.deleted.join(', ')}\n`;
    if (report.orphans.length > 0) s += `orphan files: ${report.orphans.join(', ')}\n`;
    s += `kept ${report.kept.length}, restored ${report.restored.length}, reset ${report.reset.length}, migrated ${report.migrated.length}, LOST ${report.lost.length}`;
    s += `${report.failed.length > 0 ? `, UNREADABLE ${report.failed.length}` : ''}${report.garbled.length > 0 ? `, GARBLED ${report.garbled.length}` : ''}`;
    s += `${report.unreached.length > 0 ? `, UNREACHED ${report.unreached.length}` : ''}\n`;
    const judged = report.asserted !== undefined ? ' on the LIDs the device processed before the assert' : '';
    s += cmp.agree
      ? `planner agrees${judged}\n`
      : cmp.mismatches
          .map((m) => `planner disagrees on ${m.name}: planned ${m.planned} (row ${m.row}), device ${m.simulated}\n`)
          .join('');
    return s;
  });
  // An assert is a failed boot (exit 1); --fail-on-loss also fails on any LOST unit data (for CI).
  if (report.asserted !== undefined) ctx.fail();
  else if (flags.failOnLoss === true && report.lost.length > 0) {
    ctx.note(`--fail-on-loss: unit data lost in ${report.lost.join(', ')}`);
    ctx.fail();
  }
}

/** `nv sim mtk boot` */
export async function simMtkBoot(ctx: CliContext, flags: { state: string; key?: string }): Promise<void> {
  const dir = ctx.resolvePath(flags.state);
  const device = await loadMtkDevice(dir);
  checkKey(device, flags.key, flags.state);
  const boot = bootMtkDevice(device);
  await saveMtkDevice(dir, device, { force: true });
  ctx.result(
    boot,
    () =>
      (boot.asserted !== undefined ? `ASSERT ${boot.asserted.name}: ${boot.asserted.reason}\n` : '') +
      formatTable(
        boot.lids.map((l) => [l.name, l.outcome, l.reason]),
        ['lid', 'outcome', 'reason'],
      ) +
      `trigger: ${boot.trigger}${boot.apRestored.length > 0 ? `; AP restored ${boot.apRestored.join(', ')}` : ''}\n`,
  );
  // An asserted modem did not boot: exit 1.
  if (boot.asserted !== undefined) ctx.fail();
}

/** `nv sim mtk read` */
export async function simMtkRead(
  ctx: CliContext,
  flags: { state: string; lid: string; record: number; secure?: boolean; key?: string },
): Promise<void> {
  const dir = ctx.resolvePath(flags.state);
  const device = await loadMtkDevice(dir);
  checkKey(device, flags.key, flags.state);
  let record: Uint8Array;
  try {
    record = readMtkRecord(device, lidArg(flags.lid), flags.record, {
      api: flags.secure === true ? 'secure' : 'plain',
    });
  } finally {
    // A read can repair, reset or assert: the device keeps that.
    await saveMtkDevice(dir, device, { force: true });
  }
  ctx.result(
    { lid: flags.lid, record: flags.record, size: record.length, hex: bytesToHex(record) },
    () => `${bytesToHex(record)}\n`,
  );
}

/** `nv sim mtk write` */
export async function simMtkWrite(
  ctx: CliContext,
  flags: {
    state: string;
    lid: string;
    record: number;
    hex: string;
    backup?: boolean;
    secure?: boolean;
    factory?: boolean;
    key?: string;
  },
): Promise<void> {
  if (!/^([0-9a-f]{2})*$/i.test(flags.hex)) usage(`--hex ${flags.hex}: expected an even number of hex digits`);
  const dir = ctx.resolvePath(flags.state);
  const device = await loadMtkDevice(dir);
  checkKey(device, flags.key, flags.state);
  const bytes = hexToBytes(flags.hex);
  writeMtkRecord(device, lidArg(flags.lid), flags.record, bytes, {
    api: flags.secure === true ? 'secure' : 'plain',
    factory: flags.factory === true,
  });
  const backedUp = flags.backup === true ? backupMtkBinRegion(device) : [];
  await saveMtkDevice(dir, device, { force: true });
  ctx.result(
    { lid: flags.lid, record: flags.record, size: bytes.length, binRegion: backedUp },
    () =>
      `wrote record ${flags.record} of ${flags.lid} (${bytes.length} bytes)${flags.backup === true ? ', bin region backed up' : ''}\n`,
  );
}
