/**
 * The external read/write/reset calls (docs/formats/lid-files.md#external-api) with the device read-error behaviour (docs/formats/lid-files.md#read-errors), over an in-memory folder.
 * @module
 */
import { NvError } from '@nv/core';
import { defaultRecords, type LidEntryWithDefault } from './defaults.ts';
import {
  decodeLidFile,
  encodeLidFile,
  type LdiHeader,
  type LidCodecOptions,
  type LidDecoded,
  type LidGeneration,
} from './lid-file.ts';
import { lidFileNamesOf } from './names.ts';

/** A folder of LID files by file name (a `Map<string, Uint8Array>` fits). Copy B of IMPORTANT_L4 uses its own name too. */
export interface LidStore {
  get(name: string): Uint8Array | undefined;
  set(name: string, bytes: Uint8Array): unknown;
}

/** Options of the external calls. */
export interface LidApiOptions extends Omit<LidCodecOptions, 'generation'> {
  /** Generation of the modem (`moly-a` → A, `moly-b` → B). */
  readonly generation: LidGeneration;
  /** Bytes for defaults that cannot be evaluated offline (func/custpack/secupack). */
  readonly defaultBytes?: Uint8Array;
  /** Gen B, CALIBRAT/IMPORTANT: the AP restore of one file from the bin region (docs/formats/lid-files.md#read-errors); undefined = restore failed. */
  readonly restoreFromBinRegion?: (name: string) => Uint8Array | undefined;
  /** Which call: the plain one, or the `_secure_` one (docs/formats/lid-files.md#external-api). Default `plain`. */
  readonly api?: 'plain' | 'secure';
  /** Refuse the plain call for IMEI/SIM-lock LIDs (modems from "91" on, inferred). Default false. */
  readonly requireSecureApi?: boolean;
  /** Refuse writes to WRITEPROTECT LIDs (outside factory mode). Default false. */
  readonly enforceWriteProtect?: boolean;
  /** Gen-B debug header values for writes (`lastWriteTaskId`, `lastWriteTime`). */
  readonly debug?: { readonly taskId?: number; readonly time?: number };
}

/** Something the modem did during a call (for the simulator log). */
export type LidApiEvent =
  | { kind: 'missing'; file: string }
  | { kind: 'checksum-error'; file: string; record: number }
  | { kind: 'bad-file'; file: string; code: string }
  | { kind: 'copy-repaired'; from: string; to: string }
  | { kind: 'bin-restore'; file: string; ok: boolean }
  | { kind: 'reset'; files: string[] }
  | { kind: 'written'; files: string[] };

/** Result of {@link externalRead}. */
export interface LidReadResult {
  /** The call returned true. */
  ok: boolean;
  /** The record (absent when `ok` is false). */
  bytes?: Uint8Array;
  /** The modem asserts (FAULT_ASSERT, or a failing reset). */
  asserted?: boolean;
  /** Why it failed: an `NV_LID_*` code. */
  error?: string;
  events: LidApiEvent[];
}

/** Result of {@link externalWrite} / {@link externalReset}. */
export interface LidWriteResult {
  files: string[];
  events: LidApiEvent[];
}

const CAT = (e: LidEntryWithDefault, c: string): boolean => e.categories?.includes(c) ?? false;
const ATTR = (e: LidEntryWithDefault, a: string): boolean => e.attributes.includes(a);

/**
 * File names of an entry in a store: `PPPP_VVV`, or the `A`/`B` pair for MULTIPLE.
 * @throws NvError `NV_LID_BAD_NAME` without a valid prefix/verno.
 * @example lidStoreNames(entry) // ['LD0BA001', 'LD0BB001']
 */
export function lidStoreNames(entry: LidEntryWithDefault): string[] {
  return lidFileNamesOf(entry.prefix ?? '', entry.verno ?? '', ATTR(entry, 'MULTIPLE'));
}

function checkIndex(entry: LidEntryWithDefault, index: number, amount = 1): void {
  if (
    !Number.isInteger(index) ||
    index < 1 ||
    !Number.isInteger(amount) ||
    amount < 1 ||
    index + amount - 1 > entry.records
  ) {
    throw new NvError(
      'NV_LID_BAD_RECORD_INDEX',
      `record ${index}${amount > 1 ? `…${index + amount - 1}` : ''} is outside 1…${entry.records} of ${entry.name ?? 'this LID'}`,
      { path: entry.name, data: { index, amount, records: entry.records } },
    );
  }
}

function checkApi(entry: LidEntryWithDefault, options: LidApiOptions, write: boolean): void {
  const secureLid = (entry.tags ?? []).some((t) => t === 'imei' || t === 'sim-lock');
  if (options.requireSecureApi && secureLid && options.api !== 'secure') {
    throw new NvError(
      'NV_LID_SECURE_API_REQUIRED',
      `${entry.name ?? 'this LID'} is only reachable through nvram_external_secure_${write ? 'write' : 'read'}_data`,
      { path: entry.name },
    );
  }
  if (write && options.enforceWriteProtect && ATTR(entry, 'WRITEPROTECT')) {
    throw new NvError('NV_LID_WRITE_PROTECTED', `${entry.name ?? 'this LID'} is WRITEPROTECT`, { path: entry.name });
  }
}

function tryDecode(
  store: LidStore,
  name: string,
  entry: LidEntryWithDefault,
  options: LidApiOptions,
  events: LidApiEvent[],
): LidDecoded | undefined {
  const bytes = store.get(name);
  if (!bytes) {
    events.push({ kind: 'missing', file: name });
    return undefined;
  }
  try {
    return decodeLidFile(bytes, entry, { ...options, path: name });
  } catch (error) {
    if (!NvError.isInstance(error) || error.code === 'NV_LID_KEY_REQUIRED' || error.code === 'NV_LID_HW_BOUND')
      throw error;
    events.push({ kind: 'bad-file', file: name, code: error.code });
    return undefined;
  }
}

function recordGood(d: LidDecoded | undefined, index: number): boolean {
  return d !== undefined && d.records[index - 1]?.checksumOk === true;
}

function writeAll(
  store: LidStore,
  entry: LidEntryWithDefault,
  records: Uint8Array[],
  options: LidApiOptions,
  previous?: LdiHeader,
): string[] {
  const header: Partial<LdiHeader> = previous
    ? {
        ...previous,
        writeTimes: (previous.writeTimes + 1) >>> 0,
        lastWriteTaskId: options.debug?.taskId ?? previous.lastWriteTaskId,
        lastWriteTime: options.debug?.time ?? previous.lastWriteTime,
      }
    : { lastWriteTaskId: options.debug?.taskId ?? 0, lastWriteTime: options.debug?.time ?? 0 };
  const bytes = encodeLidFile(records, entry, { ...options, header });
  const names = lidStoreNames(entry);
  for (const n of names) store.set(n, bytes.slice());
  return names;
}

/**
 * `nvram_external_read_data` (docs/formats/lid-files.md#external-api) with the docs/formats/lid-files.md#read-errors error behaviour: verify record `index`; for MULTIPLE copy a good
 * copy over a bad one; gen B CALIBRAT/IMPORTANT ask the bin region; otherwise reset all records to defaults
 * (not INTERNAL; FAULT_ASSERT asserts). Mutates `store` like the modem would.
 * @throws NvError `NV_LID_BAD_RECORD_INDEX`, `NV_LID_BAD_BUFFER_SIZE` (bufferSize < size),
 *   `NV_LID_SECURE_API_REQUIRED`, `NV_LID_KEY_REQUIRED`, `NV_LID_HW_BOUND`.
 * @example externalRead(new Map(files), entry, 1, 10, { generation: 'B', key }).bytes
 */
export function externalRead(
  store: LidStore,
  entry: LidEntryWithDefault,
  index: number,
  bufferSize: number,
  options: LidApiOptions,
): LidReadResult {
  checkIndex(entry, index);
  if (!Number.isInteger(bufferSize) || bufferSize < entry.size)
    throw new NvError(
      'NV_LID_BAD_BUFFER_SIZE',
      `buffer of ${bufferSize} bytes is smaller than the record size ${entry.size}`,
      { path: entry.name },
    );
  checkApi(entry, options, false);
  const events: LidApiEvent[] = [];
  const names = lidStoreNames(entry);
  const note = (name: string, d: LidDecoded | undefined): void => {
    if (d && !recordGood(d, index)) events.push({ kind: 'checksum-error', file: name, record: index });
  };
  const a = tryDecode(store, names[0]!, entry, options, events);
  note(names[0]!, a);
  if (names.length === 2) {
    const b = tryDecode(store, names[1]!, entry, options, events);
    note(names[1]!, b);
    const aGood = recordGood(a, index);
    const bGood = recordGood(b, index);
    if (aGood && !bGood) {
      store.set(names[1]!, store.get(names[0]!)!.slice());
      events.push({ kind: 'copy-repaired', from: names[0]!, to: names[1]! });
    } else if (!aGood && bGood) {
      store.set(names[0]!, store.get(names[1]!)!.slice());
      events.push({ kind: 'copy-repaired', from: names[1]!, to: names[0]! });
    }
    if (aGood || bGood) return { ok: true, bytes: (aGood ? a : b)!.records[index - 1]!.bytes, events };
  } else if (recordGood(a, index)) {
    return { ok: true, bytes: a!.records[index - 1]!.bytes, events };
  }
  if (
    options.generation === 'B' &&
    (CAT(entry, 'CALIBRAT') || CAT(entry, 'IMPORTANT')) &&
    options.restoreFromBinRegion
  ) {
    let restoredOk = false;
    for (const n of names) {
      const restored = options.restoreFromBinRegion(n);
      if (restored) store.set(n, restored);
    }
    const r = tryDecode(store, names[0]!, entry, options, []);
    restoredOk = recordGood(r, index);
    events.push({ kind: 'bin-restore', file: names[0]!, ok: restoredOk });
    if (restoredOk) return { ok: true, bytes: r!.records[index - 1]!.bytes, events };
    return ATTR(entry, 'FAULT_ASSERT')
      ? { ok: false, asserted: true, error: 'NV_LID_BAD_CHECKSUM', events }
      : { ok: false, error: 'NV_LID_BAD_CHECKSUM', events };
  }
  if (CAT(entry, 'INTERNAL')) return { ok: false, error: 'NV_LID_BAD_CHECKSUM', events };
  if (ATTR(entry, 'FAULT_ASSERT')) return { ok: false, asserted: true, error: 'NV_LID_BAD_CHECKSUM', events };
  let defaults: Uint8Array[];
  try {
    defaults = defaultRecords(entry, options.defaultBytes ? { bytes: options.defaultBytes } : {});
  } catch (error) {
    if (NvError.isInstance(error)) return { ok: false, asserted: true, error: error.code, events };
    throw error;
  }
  const files = writeAll(store, entry, defaults, options);
  events.push({ kind: 'reset', files });
  return { ok: true, bytes: defaults[index - 1]!, events };
}

function currentRecords(
  store: LidStore,
  entry: LidEntryWithDefault,
  options: LidApiOptions,
  events: LidApiEvent[],
): { records: Uint8Array[]; header?: LdiHeader } {
  const names = lidStoreNames(entry);
  for (const n of names) {
    const d = tryDecode(store, n, entry, options, events);
    if (d && d.badRecords.length === 0)
      return d.header
        ? { records: d.records.map((r) => r.bytes), header: d.header }
        : { records: d.records.map((r) => r.bytes) };
  }
  // Decision: no good copy → start from the defaults (the modem would have reset it on its next read).
  return { records: defaultRecords(entry, options.defaultBytes ? { bytes: options.defaultBytes } : {}) };
}

/**
 * `nvram_external_write_data` (docs/formats/lid-files.md#external-api): replace record `index` (exactly `size` bytes), recompute checksums and cipher,
 * write both copies of a MULTIPLE LID; gen B bumps `write_times` and sets the debug header (inferred).
 * @throws NvError `NV_LID_BAD_RECORD_INDEX`, `NV_LID_BAD_BUFFER_SIZE`, `NV_LID_SECURE_API_REQUIRED`,
 *   `NV_LID_WRITE_PROTECTED`, `NV_LID_KEY_REQUIRED`, `NV_LID_HW_BOUND`, `NV_LID_DEFAULT_UNAVAILABLE`.
 * @example externalWrite(store, imeiEntry, 1, imeiRecord, { generation: 'B', key })
 */
export function externalWrite(
  store: LidStore,
  entry: LidEntryWithDefault,
  index: number,
  record: Uint8Array,
  options: LidApiOptions,
): LidWriteResult {
  checkIndex(entry, index);
  if (record.length !== entry.size)
    throw new NvError('NV_LID_BAD_BUFFER_SIZE', `record is ${record.length} bytes, the record size is ${entry.size}`, {
      path: entry.name,
    });
  checkApi(entry, options, true);
  const events: LidApiEvent[] = [];
  const cur = currentRecords(store, entry, options, events);
  cur.records[index - 1] = record.slice();
  const files = writeAll(store, entry, cur.records, options, cur.header);
  events.push({ kind: 'written', files });
  return { files, events };
}

/**
 * `nvram_external_reset_data` (docs/formats/lid-files.md#external-api): rewrite `amount` records from `index` with their defaults (docs/formats/lid-files.md#defaults).
 * @throws NvError `NV_LID_BAD_RECORD_INDEX`, `NV_LID_DEFAULT_UNAVAILABLE`, `NV_LID_DEFAULT_TOO_SHORT`, `NV_LID_KEY_REQUIRED`.
 * @example externalReset(store, entry, 1, entry.records, { generation: 'A' })
 */
export function externalReset(
  store: LidStore,
  entry: LidEntryWithDefault,
  index: number,
  amount: number,
  options: LidApiOptions,
): LidWriteResult {
  checkIndex(entry, index, amount);
  checkApi(entry, options, true);
  const events: LidApiEvent[] = [];
  const defaults = defaultRecords(entry, options.defaultBytes ? { bytes: options.defaultBytes } : {});
  const cur = currentRecords(store, entry, options, events);
  for (let i = index; i < index + amount; i++) cur.records[i - 1] = defaults[i - 1]!;
  const files = writeAll(store, entry, cur.records, options, cur.header);
  events.push({ kind: 'reset', files });
  return { files, events };
}

/**
 * The files a LID has right after a reset (docs/formats/lid-files.md#defaults): every record at its default, named and encoded for the generation
 * (both copies of a MULTIPLE LID). What a simulator writes at first boot or after a VERNO bump.
 * @throws NvError `NV_LID_DEFAULT_UNAVAILABLE`, `NV_LID_DEFAULT_TOO_SHORT`, `NV_LID_KEY_REQUIRED`, `NV_LID_HW_BOUND`, `NV_LID_BAD_NAME`.
 * @example defaultLidFiles(entry, { generation: 'B' }) // [{ name: 'LD0B_001', bytes }]
 */
export function defaultLidFiles(
  entry: LidEntryWithDefault,
  options: LidApiOptions,
): { name: string; bytes: Uint8Array }[] {
  const records = defaultRecords(entry, options.defaultBytes ? { bytes: options.defaultBytes } : {});
  const bytes = encodeLidFile(records, entry, {
    ...options,
    header: { lastWriteTaskId: options.debug?.taskId ?? 0, lastWriteTime: options.debug?.time ?? 0 },
  });
  return lidStoreNames(entry).map((name) => ({ name, bytes: bytes.slice() }));
}
