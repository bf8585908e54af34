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
export { LTABLE_DEFAULT_KINDS, LTABLE_TAGS, LTABLE_IMEI_LIDS, LTABLE_SIM_LOCK_LIDS, ltableAutoTags } from './model.ts';
export { LTABLE_ERROR_CODES } from './errors.ts';
export {
  LTABLE_MAX_ENTRIES,
  LTABLE_MAX_JSON_CHARS,
  enumSetOf,
  namesToValue,
  valueToNames,
  ltableFromJson,
  parseLtableJson,
  ltableEntryToJson,
  ltableToJson,
  serializeLtableJson,
} from './json.ts';
export { LTABLE_JSON_SCHEMA } from './schema.ts';
export type {
  LtablePlatform,
  LtableRewriteRule,
  LtableEffective,
  LtableLocation,
  LtableFileIdentity,
} from './effective.ts';
export { folderCategories, locationOf, isSysLid, effectiveEntry, lidFileNames, fileIdentity } from './effective.ts';
export type {
  LtableUpgradeMode,
  LtableModeGroup,
  LtableClass,
  LtableChange,
  LtableAction,
  LtableSeverity,
  LtableRowOutcome,
  LtableDecisionRow,
  LtablePlanOptions,
  LtablePlanAction,
  LtablePlanBlocked,
  LtablePlan,
} from './plan.ts';
export {
  LTABLE_UPGRADE_MODES,
  LTABLE_DECISION_TABLE,
  modeGroup,
  entryClasses,
  classifyChange,
  rowMatches,
  decide,
  planUpgrade,
} from './plan.ts';
export type { LtableEntryInit } from './sample.ts';
export { createLtableEntry, MOLY_B_LID_GROUPS, sampleLtable, sampleLtableUpgrade } from './sample.ts';
export type { LtableFinding, LtableLintResult, LtableLintOptions } from './lint.ts';
export { lintLtable } from './lint.ts';
export type {
  LtableStoredFile,
  LtableBootTrigger,
  LtableBootInput,
  LtableBootOutcome,
  LtableBootResult,
} from './boot.ts';
export { bootCheck, storedFilesOf } from './boot.ts';
export type { LtableCSource, LtableCImportOptions, LtableCImportResult } from './c-import.ts';
export { LTABLE_MAX_C_CHARS, importLtableC } from './c-import.ts';
export type { LtableCExportOptions } from './c-export.ts';
export { ltableToC } from './c-export.ts';
export type { Scatter, ScatterPartition, ScatterNvramRole, ScatterModeInference } from './scatter.ts';
export { SCATTER_MAX_CHARS, parseScatter, scatterRole, inferUpgradeMode } from './scatter.ts';
