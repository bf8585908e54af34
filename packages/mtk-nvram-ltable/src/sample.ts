/**
 * `@nv/mtk-nvram-ltable/sample`: building entries from names, and a realistic built-in sample table (for `nv demo`, the
 * device simulator and tests).
 * All data is synthetic (docs/formats/lid-table.md#test-vectors: never vendor tables).
 * @module
 */
import { defaultEnumSet, type LtableEnumSet } from './enums.ts';
import { namesToValue, valueToNames } from './json.ts';
import type { Ltable, LtableDefault, LtableEntry, LtableTag } from './model.ts';

/** Input of {@link createLtableEntry}: names instead of numbers; omitted fields get neutral values. */
export interface LtableEntryInit {
  readonly name: string;
  readonly lid?: number | null;
  readonly size: number;
  readonly records?: number;
  readonly categories?: readonly string[];
  readonly attributes?: readonly string[];
  readonly prefix: string;
  readonly verno?: string;
  readonly description?: string | null;
  readonly default?: LtableDefault;
  readonly tags?: readonly LtableTag[];
}

/**
 * Builds an entry from symbolic names, computing `category`/`attr` for the enum set.
 * @throws NV_LTABLE_UNKNOWN_ATTR / NV_LTABLE_UNKNOWN_CATEGORY / NV_LTABLE_GEN_MISMATCH
 * @example createLtableEntry({ name: 'NVRAM_EF_DEMO_LID', size: 16, prefix: 'DM01', categories: ['USER'] }, 'moly-b')
 */
export function createLtableEntry(init: LtableEntryInit, enumSet: LtableEnumSet): LtableEntry {
  const category = namesToValue('categories', init.categories ?? [], enumSet, `${init.name}.categories`);
  const attr = namesToValue('attributes', init.attributes ?? [], enumSet, `${init.name}.attributes`);
  return {
    lid: init.lid ?? null,
    name: init.name,
    size: init.size,
    records: init.records ?? 1,
    category,
    categories: valueToNames('categories', category, enumSet),
    attr,
    attributes: valueToNames('attributes', attr, enumSet),
    prefix: init.prefix,
    verno: init.verno ?? '000',
    description: init.description ?? null,
    default: init.default ?? { kind: 'zero' },
    tags: [...(init.tags ?? [])],
  };
}

/** moly-b LID group bases (docs/formats/lid-table.md#lid-numbers). */
const MOLY_B_LID_GROUPS: Readonly<Record<string, number>> = {
  UMTS: 0x0000,
  FT: 0x05c0,
  CUSTOMER: 0x08c0,
  L4: 0xef00,
  INTERNAL: 0xf000,
  FACTORY: 0xf100,
  CORE: 0xf200,
  CUST: 0xff00,
};

const hex = (n: number, byte: number): string => byte.toString(16).padStart(2, '0').repeat(n);

/**
 * A realistic synthetic LID table: SYS, IMEI, IMEI lock, CSSD, barcode, RF calibration, an RF-driver parameter,
 * a CA-combination table, SIM lock (IMPORTANT_L4) and user items — one entry per planner class and more.
 * `moly-b` (default) uses grouped LID numbers; `moly-a` has sequential numbers and the `MP0B` IMEI prefix.
 * Every call returns a fresh copy.
 * @example planUpgrade(sampleLtable(), sampleLtable(), 'ota').actions.every((a) => a.action === 'keep')
 */
export function sampleLtable(generation: 'moly-a' | 'moly-b' = 'moly-b'): Ltable {
  const set = defaultEnumSet(generation) as LtableEnumSet;
  const b = generation === 'moly-b';
  const G = MOLY_B_LID_GROUPS;
  let seq = 0;
  const lid = (group: string, index: number): number => (b ? (G[group] as number) | index : seq++);
  const rows: LtableEntryInit[] = [
    {
      name: 'NVRAM_EF_SYS_LID',
      lid: lid('INTERNAL', 0x01),
      size: 34,
      records: b ? 4 : 3,
      categories: b ? ['IMPORTANT_L1', 'FUNC_DEFAULT'] : ['INTERNAL'],
      attributes: ['MULTIPLE'],
      prefix: 'MT00',
      verno: '000',
      default: b ? { kind: 'func', symbol: 'nvram_sys_default' } : { kind: 'zero' },
    },
    {
      name: 'NVRAM_EF_NVRAM_LOCK_LID',
      lid: b ? 0xf006 : lid('', 0),
      size: 8,
      categories: ['IMPORTANT'],
      attributes: ['WRITEPROTECT', 'CONFIDENTIAL', ...(b ? ['MSP'] : []), 'COMMITTED'],
      prefix: 'MP0C',
      verno: '000',
      tags: ['imei'],
    },
    {
      name: 'NVRAM_EF_IMEI_IMEISV_LID',
      lid: b ? 0xef10 : lid('', 0),
      size: 10,
      records: 2,
      categories: ['IMPORTANT'],
      attributes: ['WRITEPROTECT', 'CONFIDENTIAL', 'MSP', 'COMMITTED'],
      prefix: b ? 'LD0B' : 'MP0B',
      verno: '001',
      default: { kind: 'bytes', symbol: 'NVRAM_EF_IMEI_DEFAULT', hex: hex(20, 0) },
      tags: ['imei'],
    },
    {
      name: 'NVRAM_EF_CSSD_LID',
      lid: b ? 0x08c1 : lid('', 0),
      size: 64,
      categories: ['IMPORTANT'],
      attributes: ['COMMITTED'],
      prefix: 'CS00',
      verno: '000',
      tags: ['imei'],
    },
    {
      name: 'NVRAM_EF_BARCODE_NUM_LID',
      lid: lid('FACTORY', 0x02),
      size: 64,
      categories: ['CALIBRAT'],
      attributes: ['WRITEPROTECT'],
      prefix: 'MP09',
      verno: '000',
      default: { kind: 'ff' },
      tags: ['barcode'],
    },
    {
      name: 'NVRAM_EF_FT_RF_CAL_LID',
      lid: b ? 0x05c1 : lid('', 0),
      size: 1024,
      records: 4,
      categories: ['CALIBRAT'],
      prefix: 'FT02',
      verno: '002',
      default: { kind: 'symbol', symbol: 'FT_RF_CAL_DEFAULT' },
      tags: ['calibration-result'],
    },
    {
      name: 'NVRAM_EF_EL1_RF_DRV_PARAM_LID',
      lid: lid('CORE', 0x20),
      size: 256,
      categories: ['CALIBRAT'],
      prefix: 'EL1D',
      verno: '003',
      default: { kind: 'bytes', symbol: 'EL1_RF_DRV_DEFAULT', hex: hex(256, 0x11) },
      tags: ['rf-driver-param'],
    },
    {
      name: 'NVRAM_EF_EL1_CA_COMBO_LID',
      lid: lid('CORE', 0x21),
      size: 512,
      categories: ['USER'],
      prefix: 'EL1C',
      verno: '001',
      default: { kind: 'symbol', symbol: 'EL1_CA_COMBO_DEFAULT' },
      tags: ['ca-combo'],
    },
    {
      name: 'NVRAM_EF_SML_LID',
      lid: lid('L4', 0x30),
      size: 512,
      categories: ['IMPORTANT_L4'],
      attributes: ['MULTIPLE', 'CONFIDENTIAL'],
      prefix: 'MP0E',
      verno: '002',
      tags: ['sim-lock'],
    },
    {
      name: 'NVRAM_EF_SIM_LOCK_LID',
      lid: lid('L4', 0x31),
      size: 128,
      categories: ['IMPORTANT_L4'],
      attributes: ['MULTIPLE', 'CONFIDENTIAL'],
      prefix: 'MP0F',
      verno: '000',
      tags: ['sim-lock'],
    },
    {
      name: 'NVRAM_EF_L4_SETTING_LID',
      lid: lid('L4', 0x40),
      size: 32,
      records: 2,
      categories: ['USER'],
      prefix: 'LD41',
      verno: '004',
      default: { kind: 'bytes', symbol: 'L4_SETTING_DEFAULT', hex: hex(32, 0) + hex(32, 1) },
      attributes: ['MULTI_DEFAULT'],
    },
    {
      name: 'NVRAM_EF_UL1_TX_POWER_OFFSET_LID',
      lid: lid('UMTS', 0x12),
      size: 48,
      categories: ['USER'],
      attributes: [b ? 'OTA_RESET' : 'SW_VERNO_RESET'],
      prefix: 'UL12',
      verno: '000',
    },
    {
      name: 'NVRAM_EF_CUST_HW_CONFIG_LID',
      lid: lid('CUST', 0x01),
      size: 16,
      categories: ['CUSTOM_SENSITIVE'],
      attributes: ['CONFIDENTIAL', 'MULTIPLE'],
      prefix: 'CT01',
      verno: '000',
      default: { kind: 'ff' },
    },
    {
      name: 'NVRAM_EF_SMS_SETTING_LID',
      lid: lid('CUSTOMER', 0x05),
      size: 176,
      records: 10,
      categories: ['USER'],
      attributes: [...(b ? ['RESERVE_BACKWARD'] : [])],
      prefix: 'MP2A',
      verno: '001',
    },
  ];
  return { generation, enumSet: set, entries: rows.map((r) => createLtableEntry(r, set)) };
}

/**
 * A newer version of {@link sampleLtable} for demos and simulators. `safe`: VERNO bumps with new defaults on user
 * items (one with RESERVE_BACKWARD on moly-b), a new RF-driver default with its VERNO bump, an OTA_RESET item with a
 * new default, and one added LID — no mode is blocked. `dangerous`: additionally bumps the RF calibration VERNO,
 * grows the IMEI record and changes the CA-combination default — blocked in every mode but Format All.
 * @example planUpgrade(sampleLtable(), sampleLtableUpgrade('dangerous'), 'firmware-upgrade').blocked.length // 3
 */
export function sampleLtableUpgrade(
  kind: 'safe' | 'dangerous' = 'safe',
  generation: 'moly-a' | 'moly-b' = 'moly-b',
): Ltable {
  const t = sampleLtable(generation);
  const set = t.enumSet as LtableEnumSet;
  const patch = (name: string, f: (e: LtableEntry) => LtableEntry): void => {
    t.entries = t.entries.map((e) => (e.name === name ? f(e) : e));
  };
  const up = (v: string): string => String(Number(v) + 1).padStart(3, '0');
  patch('NVRAM_EF_SMS_SETTING_LID', (e) => ({ ...e, verno: up(e.verno), default: { kind: 'ff' } }));
  patch('NVRAM_EF_L4_SETTING_LID', (e) => ({
    ...e,
    verno: up(e.verno),
    default: { kind: 'bytes', symbol: 'L4_SETTING_DEFAULT', hex: hex(32, 2) + hex(32, 3) },
  }));
  patch('NVRAM_EF_EL1_RF_DRV_PARAM_LID', (e) => ({
    ...e,
    verno: up(e.verno),
    default: { kind: 'bytes', symbol: 'EL1_RF_DRV_DEFAULT', hex: hex(256, 0x22) },
  }));
  patch('NVRAM_EF_UL1_TX_POWER_OFFSET_LID', (e) => ({ ...e, default: { kind: 'ff' } }));
  t.entries.push(
    createLtableEntry(
      {
        name: 'NVRAM_EF_VOLTE_SETTING_LID',
        lid: generation === 'moly-b' ? 0xef50 : t.entries.length,
        size: 96,
        categories: ['USER'],
        prefix: 'LD50',
        verno: '000',
      },
      set,
    ),
  );
  if (kind === 'dangerous') {
    patch('NVRAM_EF_FT_RF_CAL_LID', (e) => ({ ...e, verno: up(e.verno) }));
    patch('NVRAM_EF_IMEI_IMEISV_LID', (e) => ({
      ...e,
      size: 12,
      default: { kind: 'bytes', symbol: 'NVRAM_EF_IMEI_DEFAULT', hex: hex(24, 0) },
    }));
    patch('NVRAM_EF_EL1_CA_COMBO_LID', (e) => ({
      ...e,
      default: { kind: 'symbol', symbol: 'EL1_CA_COMBO_DEFAULT_V2' },
    }));
  }
  return t;
}
