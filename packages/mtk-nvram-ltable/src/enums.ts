/**
 * Enum sets per generation (docs/formats/lid-table.md#attributes): attribute and category bit names, folder mapping (docs/formats/lid-table.md#folders).
 * @module
 */

/** The modem software lines the spec describes (docs/formats/lid-table.md#overview). */
export type LtableGeneration = 'maui' | 'moly-a' | 'moly-b';

/** Which enum values decode the numbers: one per MOLY generation, three known MAUI variants (docs/formats/lid-table.md#maui-categories). */
export type LtableEnumSet = 'moly-a' | 'moly-b' | 'maui-1' | 'maui-2' | 'maui-3';

/** Every generation id, in spec order. */
export const LTABLE_GENERATIONS: readonly LtableGeneration[] = ['maui', 'moly-a', 'moly-b'];

/** Every enum-set id. */
export const LTABLE_ENUM_SETS: readonly LtableEnumSet[] = ['moly-a', 'moly-b', 'maui-1', 'maui-2', 'maui-3'];

/** One named bit (or zero value) of an enum. */
export interface LtableEnumBit {
  /** Symbolic name without the `NVRAM_ATTR_` / `NVRAM_CATEGORY_` prefix. */
  readonly name: string;
  /** The value (0 for the "none" name such as `AVERAGE`/`USER`). */
  readonly value: number;
  /** True for later-build bits that the spec lists as unverified (docs/formats/lid-table.md#attributes): lint warns `NV_LTABLE_UNVERIFIED_BIT`. */
  readonly unverified?: boolean;
}

/** Attribute and category names of one enum set. */
export interface LtableEnumDefinition {
  readonly enumSet: LtableEnumSet;
  readonly generation: LtableGeneration;
  readonly attributes: readonly LtableEnumBit[];
  readonly categories: readonly LtableEnumBit[];
}

const b = (name: string, value: number, unverified?: boolean): LtableEnumBit =>
  unverified === true ? Object.freeze({ name, value, unverified }) : Object.freeze({ name, value });

// docs/formats/lid-table.md#attributes attribute columns.
const ATTR_COMMON_LOW: readonly LtableEnumBit[] = [
  b('AVERAGE', 0),
  b('MULTI_DEFAULT', 0x1),
  b('WRITEPROTECT', 0x2),
  b('MULTIPLE', 0x4),
  b('CONFIDENTIAL', 0x8),
  b('MULTIREC_READ', 0x10),
  b('MSP', 0x20),
];
const ATTR_MOLY_A: readonly LtableEnumBit[] = [
  ...ATTR_COMMON_LOW,
  b('SW_VERNO_RESET', 0x40),
  b('FACTORY_RESET', 0x80),
  b('RING', 0x100),
  b('PACKAGE', 0x200),
  b('BACKUP_FAT', 0x400),
  b('BACKUP_RAW', 0x800),
  b('ZIP_DEFAULT', 0x1000),
  b('NOT_ZIP_DEFAULT', 0x2000),
  b('COMMITTED', 0x4000),
  b('AUTO_RECOVER', 0x8000),
];
const ATTR_MOLY_B: readonly LtableEnumBit[] = [
  ...ATTR_COMMON_LOW,
  b('OTA_RESET', 0x40),
  b('GEN_DEFAULT', 0x80),
  b('RING', 0x100),
  b('PACKAGE', 0x200),
  b('BACKUP_FAT', 0x400),
  b('BACKUP_RAW', 0x800),
  b('RESERVE_BACKWARD', 0x1000),
  b('FAULT_ASSERT', 0x2000),
  b('COMMITTED', 0x4000),
  b('RAW_DATA', 0x8000),
  b('CHKSUM_INTEGRATE', 0x10000, true),
  b('CHKSUM_ENHNC_ALGRTHM', 0x20000, true),
  b('MCF_OTA_ADDITIONAL_NOT_CHECK_VERNO', 0x10000000, true),
  b('MCF_OTA_FOR_QUERY', 0x20000000, true),
  b('MCF_OTA_BY_OP', 0x40000000, true),
  b('MCF_OTA', 0x80000000, true),
];
const ATTR_MAUI: readonly LtableEnumBit[] = [
  b('AVERAGE', 0),
  b('IMPORTANT', 0x1),
  b('WRITEPROTECT', 0x2),
  b('MULTIPLE', 0x4),
  b('CONFIDENTIAL', 0x8),
  b('MULTIREC_READ', 0x10),
  b('OTP', 0x20),
  b('DIFFERENCE', 0x80),
];

// docs/formats/lid-table.md#categories categories.
const CAT_MOLY_COMMON: readonly LtableEnumBit[] = [
  b('USER', 0),
  b('INTERNAL', 0x1),
  b('BACKUP_SDS', 0x10),
  b('OTP', 0x20),
  b('CUSTOM_DISK', 0x40),
  b('CUSTOM_SENSITIVE', 0x80),
  b('CUSTPACK', 0x100),
  b('SECUPACK', 0x200),
  b('FUNC_DEFAULT', 0x400),
  b('CALIBRAT', 0x1000),
  b('IMPORTANT', 0x2000),
  b('IMPORTANT_L4', 0x4000),
];
const CAT_MOLY_A: readonly LtableEnumBit[] = [...CAT_MOLY_COMMON, b('IMPORTANT_C', 0x8000)];
const CAT_MOLY_B: readonly LtableEnumBit[] = [...CAT_MOLY_COMMON, b('IMPORTANT_L1', 0x8000), b('RESERVED', 0x80000000)];
// docs/formats/lid-table.md#maui-categories MAUI variants.
const CAT_MAUI_1: readonly LtableEnumBit[] = [
  b('USER', 0),
  b('SYSTEM', 1),
  b('COMPOSED', 2),
  b('FACTORY', 4),
  b('MULTI_DEFAULT', 8),
  b('CUSTPACK', 0x10),
  b('BRANCH', 0x20),
  b('SHADOW', 0x40),
  b('SHADOW_MS', 0x80),
];
const CAT_MAUI_2: readonly LtableEnumBit[] = [
  b('USER', 0),
  b('SYSTEM', 1),
  b('BRANCH', 2),
  b('FACTORY', 4),
  b('MULTI_DEFAULT', 8),
  b('SHADOW', 0x10),
  b('SHADOW_MS', 0x20),
  b('CUSTPACK', 0x40),
  b('SECUPACK', 0x80),
  b('COMPOSED', 0x8000),
];
const CAT_MAUI_3: readonly LtableEnumBit[] = [
  b('NONE', 0),
  b('USER', 1),
  b('SYSTEM', 2),
  b('COMPOSED', 4),
  b('FACTORY', 8),
  b('MULTI_DEFAULT', 0x10),
  b('CUSTPACK', 0x20),
  b('BRANCH', 0x40),
  b('SHADOW', 0x80),
];

/** The enum sets of docs/formats/lid-table.md#attributes, keyed by id. */
export const LTABLE_ENUMS: Readonly<Record<LtableEnumSet, LtableEnumDefinition>> = Object.freeze({
  'moly-a': Object.freeze({ enumSet: 'moly-a', generation: 'moly-a', attributes: ATTR_MOLY_A, categories: CAT_MOLY_A }),
  'moly-b': Object.freeze({ enumSet: 'moly-b', generation: 'moly-b', attributes: ATTR_MOLY_B, categories: CAT_MOLY_B }),
  'maui-1': Object.freeze({ enumSet: 'maui-1', generation: 'maui', attributes: ATTR_MAUI, categories: CAT_MAUI_1 }),
  'maui-2': Object.freeze({ enumSet: 'maui-2', generation: 'maui', attributes: ATTR_MAUI, categories: CAT_MAUI_2 }),
  'maui-3': Object.freeze({ enumSet: 'maui-3', generation: 'maui', attributes: ATTR_MAUI, categories: CAT_MAUI_3 }),
} as const);

/** `ALL` masks (docs/formats/lid-table.md#attributes/docs/formats/lid-table.md#categories) — the largest value each field may hold. */
export const LTABLE_ATTR_MASK: Readonly<Record<LtableGeneration, number>> = {
  maui: 0xffff,
  'moly-a': 0xffff,
  'moly-b': 0xffffffff,
};

/**
 * Generation of an enum set.
 * @example generationOfEnumSet('maui-2') // 'maui'
 */
export function generationOfEnumSet(enumSet: LtableEnumSet): LtableGeneration {
  return LTABLE_ENUMS[enumSet].generation;
}

/**
 * Names of the bits set in `value` (the zero name when `value` is 0), plus the unknown remainder.
 * @example decodeBits(LTABLE_ENUMS['moly-b'].attributes, 0x402a) // { names: ['WRITEPROTECT','CONFIDENTIAL','MSP','COMMITTED'], unknown: 0 }
 */
export function decodeBits(bits: readonly LtableEnumBit[], value: number): { names: string[]; unknown: number } {
  if (value === 0) {
    const zero = bits.find((x) => x.value === 0);
    return { names: zero ? [zero.name] : [], unknown: 0 };
  }
  const names: string[] = [];
  let rest = value >>> 0;
  for (const bit of bits) {
    if (bit.value !== 0 && (rest & bit.value) >>> 0 === bit.value) {
      names.push(bit.name);
      rest = (rest & ~bit.value) >>> 0;
    }
  }
  return { names, unknown: rest };
}

/**
 * Value of one symbolic name in `bits`, or undefined.
 * @example bitValue(LTABLE_ENUMS['moly-b'].attributes, 'OTA_RESET') // 0x40
 */
export function bitValue(bits: readonly LtableEnumBit[], name: string): number | undefined {
  return bits.find((x) => x.name === name)?.value;
}

/**
 * The enum set a generation uses by default (MAUI has none: docs/formats/lid-table.md#maui-categories requires `--enum-set`).
 * @example defaultEnumSet('moly-a') // 'moly-a'
 */
export function defaultEnumSet(generation: LtableGeneration): LtableEnumSet | undefined {
  return generation === 'maui' ? undefined : generation;
}
