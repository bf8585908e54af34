/**
 * `@nv/mtk-nvram-ltable`: the MediaTek LID table — import from C or JSON, export, lint, where and how the modem stores
 * each LID, scatter files and the upgrade planner that protects calibration. Synthetic tables: `./sample`.
 * @module
 */
export type { LtableGeneration, LtableEnumSet, LtableEnumBit, LtableEnumDefinition } from './enums.ts';
export type { LtableDefaultKind, LtableDefault, LtableTag, LtableEntry, Ltable } from './model.ts';
export { LTABLE_TAGS, LTABLE_IMEI_LIDS } from './model.ts';
export type { LtableErrorCode } from './errors.ts';
export { LTABLE_ERROR_CODES } from './errors.ts';
export { ltableFromJson, parseLtableJson, ltableToJson, serializeLtableJson } from './json.ts';
export type {
  LtablePlatform,
  LtableRewriteRule,
  LtableEffective,
  LtableLocation,
  LtableFileIdentity,
} from './effective.ts';
export { locationOf, isSysLid, effectiveEntry, fileIdentity } from './effective.ts';
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
export { planUpgrade } from './plan.ts';
export type { LtableFinding, LtableLintResult, LtableLintOptions } from './lint.ts';
export { lintLtable } from './lint.ts';
export type { LtableCSource, LtableCImportOptions, LtableCImportResult } from './c-import.ts';
export { importLtableC } from './c-import.ts';
export type { LtableCExportOptions } from './c-export.ts';
export { ltableToC } from './c-export.ts';
export type { Scatter, ScatterPartition, ScatterNvramRole, ScatterModeInference } from './scatter.ts';
export { SCATTER_MAX_CHARS, parseScatter, inferUpgradeMode } from './scatter.ts';
