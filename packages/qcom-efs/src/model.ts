/**
 * `@nv/qcom-efs/model`: the EFS and NV model's shared rules, for the layers that build EFS trees or NV values
 * themselves (`@nv/device-sim`, `@nv/qcom-diag`): the `/nvm/num` path rule, the device's default modes and mtime,
 * the built-in factory NV ids and the NvDefinition primitives. One owner each; import them rather than copying.
 * @module
 */
export { nvItemPath, NV_ITEM_PATH_RE } from './nv-path.ts';
export { DEFAULT_MODES, DEVICE_MTIME } from './tree.ts';
export type { EfsEntry, EfsEntryType, EfsTree, EfsWarning } from './tree.ts';
export { FACTORY_NV_IDS } from './factory-nv.ts';
export { PRIMITIVES } from './primitives.ts';
