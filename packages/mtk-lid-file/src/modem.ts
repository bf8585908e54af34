/**
 * `@nv/mtk-lid-file/modem`: what the modem does with LID files, for simulators and tests — default records, the
 * external read/write/reset API over a store of files (copies, recovery, defaults), damaged copies, and the files of
 * a whole nvram bin region (what a simulated boot restores from it).
 * @module
 */
export type { LidEntryWithDefault, LidDefaultOptions } from './defaults.ts';
export { defaultRecords } from './defaults.ts';
export type { LidStore, LidApiOptions, LidApiEvent, LidReadResult, LidWriteResult } from './store.ts';
export { lidStoreNames, externalRead, externalWrite, externalReset, defaultLidFiles } from './store.ts';
export type { LidDamageOptions } from './damage.ts';
export { damageLidFile } from './damage.ts';
export { readBinRegionFiles } from './bin-region-files.ts';
