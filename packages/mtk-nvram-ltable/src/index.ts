/**
 * `@nv/mtk-nvram-ltable`: MediaTek LID table model, enums per generation, JSON/C import, lint and upgrade planner.
 * @module
 */
export type { LtableGeneration, LtableEnumSet, LtableEnumBit, LtableEnumDefinition } from './enums.ts';
export {
  LTABLE_GENERATIONS,
  LTABLE_ENUM_SETS,
  LTABLE_ENUMS,
  LTABLE_ATTR_MASK,
  generationOfEnumSet,
  decodeBits,
  bitValue,
  defaultEnumSet,
} from './enums.ts';
export type { LtableDefaultKind, LtableDefault, LtableTag, LtableEntry, Ltable } from './model.ts';
export { LTABLE_DEFAULT_KINDS, LTABLE_TAGS } from './model.ts';
export { LTABLE_ERROR_CODES } from './errors.ts';
