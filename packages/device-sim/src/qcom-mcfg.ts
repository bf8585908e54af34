/**
 * The simulated modem's MCFG framework (docs/formats/mcfg.md#device): PDC LOAD checks, activation with the item attribute
 * semantics, autoselect by ICCID/PLMN and refresh on SIM change. It works on a parsed model of an MCFG file
 * ({@link QcomMcfgConfig}); the MBN bytes are parsed by `@nv/qcom-mbn` only.
 * @module
 */
import { NvError } from '@nv/core';
import { bytesEqual } from '@nv/core/bytes';
import { efsDelete, efsWrite, nvItemPath, type QcomEfs } from './qcom-efs-store.ts';
import { syncEfs, type QcomDevice } from './qcom-device.ts';
import { mcfgConfigFromJson, mcfgConfigToJson, type QcomMcfgConfig, type QcomMcfgItem } from './qcom-mcfg-config.ts';
import type { QcomSimErrorCode } from './errors-qcom.ts';
import { MCFG_ATTR } from '@nv/qcom-mbn/read';

/** Attribute bits (docs/formats/mcfg.md#attributes): owned by `@nv/qcom-mbn`, re-exported for the simulator's API. */
export { MCFG_ATTR } from '@nv/qcom-mbn/read';
/**
 * Stored version meaning "apply in restore-factory mode" (docs/formats/mcfg.md#version).
 * @example markRestoreFactory(dev, 1) // stores MCFG_RESTORE_FACTORY_VERSION
 */
export const MCFG_RESTORE_FACTORY_VERSION = 0xfacd0000;
/**
 * PDC / activation / selection outcomes (docs/formats/mcfg.md#sim-outcomes): a refusal carries its declared `NV_SIM_MCFG_*` error
 * code; the other outcomes are named without the `NV_` prefix, so that they cannot be taken for errors.
 */
export type QcomMcfgOutcome =
  | 'NV_SIM_MCFG_DUP_ID'
  | 'NV_SIM_MCFG_NO_SPACE'
  | 'NV_SIM_MCFG_NO_TRAILER'
  | 'NV_SIM_MCFG_NO_VERSION_TLV'
  | 'NV_SIM_MCFG_INCOMPATIBLE'
  | 'NV_SIM_MCFG_HASH'
  | 'NV_SIM_MCFG_HEADER_INVALID'
  | 'NOOP_SAME_VERSION'
  | 'APPLIED'
  | 'LOADED'
  | 'SELECTED_BY_IIN'
  | 'SELECTED_BY_PLMN'
  | 'SELECTED_WILDCARD'
  | 'NO_MATCH';

/** Result of PDC LOAD. */
export interface QcomPdcLoadResult {
  id: string;
  ok: boolean;
  outcome: QcomMcfgOutcome;
  detail: string;
}

/**
 * QMI PDC LOAD (docs/formats/mcfg.md#pdc): id unique → space → trailer found → TLV 1 present → TLV 1 family = modem family.
 * Only the trailer's version is checked here; the header's is checked at activation.
 * @example pdcLoad(dev, 'tmo', config).outcome === 'LOADED'
 */
export function pdcLoad(device: QcomDevice, id: string, config: QcomMcfgConfig): QcomPdcLoadResult {
  const pdc = device.state.pdc;
  const r = (ok: boolean, outcome: QcomMcfgOutcome, detail: string): QcomPdcLoadResult => ({ id, ok, outcome, detail });
  if (id.length === 0 || id.length > 124) throw new RangeError('PDC config id must be 1…124 characters');
  if (pdc.configs.some((c) => c.id === id))
    return r(false, 'NV_SIM_MCFG_DUP_ID', `a config with id ${id} is already loaded`);
  if (pdc.configs.length >= pdc.capacity)
    return r(false, 'NV_SIM_MCFG_NO_SPACE', `PDC storage holds ${pdc.capacity} configs`);
  if (config.trailer === undefined) return r(false, 'NV_SIM_MCFG_NO_TRAILER', 'no MCFG_TRL trailer');
  if (config.trailer.configVersion === undefined)
    return r(false, 'NV_SIM_MCFG_NO_VERSION_TLV', 'trailer has no TLV 1 (config version)');
  const family = (config.trailer.configVersion >>> 24) & 0x1f;
  if (family !== device.state.build.mcfgFamily) {
    return r(
      false,
      'NV_SIM_MCFG_INCOMPATIBLE',
      `trailer family 0x${family.toString(16)} ≠ modem family 0x${device.state.build.mcfgFamily.toString(16)}`,
    );
  }
  pdc.configs.push({ id, config: mcfgConfigToJson(config) });
  return r(true, 'LOADED', `loaded ${config.configType === 0 ? 'HW' : 'SW'} config ${hex8(config.version)}`);
}

/** What activation did to one item (docs/formats/mcfg.md#sim-outcomes `APPLIED`). */
export type QcomMcfgItemAction =
  | 'written'
  | 'skipped-write-once'
  | 'skipped-restore'
  | 'skipped-subs'
  | 'skipped-unchanged'
  | 'deleted'
  | 'muxed'
  | 'skipped-muxed'
  | 'bad-item';

/** One applied item. */
export interface QcomMcfgApplied {
  /** `nv:<id>[#index]` or `efs:<path>` (same keys as `diffMbn`). */
  key: string;
  /** Where it landed in EFS (after subscription mapping). */
  target: string;
  action: QcomMcfgItemAction;
}

/** Result of activating a config on one subscription. */
export interface QcomMcfgActivation {
  id: string;
  subscription: number;
  outcome: QcomMcfgOutcome;
  detail: string;
  /** Applied in restore-factory mode (stored version was 0xFACD0000). */
  restoreFactory: boolean;
  applied: QcomMcfgApplied[];
}

const hex8 = (v: number): string => `0x${(v >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
const subSuffix = (sub: number): string => (sub >= 1 ? `_Subscription${String(sub).padStart(2, '0')}` : '');

/**
 * Where the simulator keeps the stored (active) MCFG versions in EFS (names chosen by the simulator).
 * @example mcfgVersionPath(1, 1) // '/nv/item_files/mcfg/mcfg_sw_version_Subscription01'
 */
export function mcfgVersionPath(configType: number, subscription: number): string {
  return configType === 0
    ? '/nv/item_files/mcfg/mcfg_hw_version'
    : `/nv/item_files/mcfg/mcfg_sw_version${subSuffix(subscription)}`;
}

function u32(v: number): Uint8Array {
  return new Uint8Array([v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff]);
}
function readU32(b: Uint8Array | undefined): number | undefined {
  return b && b.length === 4
    ? ((b[0] as number) | ((b[1] as number) << 8) | ((b[2] as number) << 16) | ((b[3] as number) << 24)) >>> 0
    : undefined;
}

/**
 * Writes the "restore factory" marker for a subscription's stored SW version (or the HW one), as the force-load bitmask does.
 * @example markRestoreFactory(dev, 1, 0); activateConfig(dev, 'tmo').restoreFactory // true
 */
export function markRestoreFactory(device: QcomDevice, configType: 0 | 1, subscription = 0): void {
  const efs = need(device);
  efsWrite(efs, mcfgVersionPath(configType, subscription), u32(MCFG_RESTORE_FACTORY_VERSION), 'item');
  syncEfs(device);
}

function need(device: QcomDevice): QcomEfs {
  if (!device.efs) throw new TypeError('boot the device before using MCFG (no EFS in memory)');
  return device.efs;
}

const KNOWN_TYPES = new Set([1, 2, 3, 4, 5, 6]);

/**
 * Activates a loaded config on a subscription (docs/formats/mcfg.md#activation): hash → header → compat on the **header** family → stored
 * version (equal → no-op; `0xFACD0000` on sub 0 → restore-factory mode) → wipe policyman state → apply items →
 * store the header version and mark active. HW configs apply once, on sub 0 (inferred, docs/formats/mcfg.md#hw-sw).
 * @example activateConfig(dev, 'tmo', 0).applied
 */
export function activateConfig(device: QcomDevice, id: string, subscription = 0): QcomMcfgActivation {
  if (!Number.isInteger(subscription) || subscription < 0 || subscription > 3)
    throw new RangeError('subscription must be 0…3');
  const efs = need(device);
  const stored = device.state.pdc.configs.find((c) => c.id === id);
  if (!stored) throw mkErr('NV_SIM_MCFG_NOT_LOADED', `no config ${id} is loaded; load it with pdcLoad first`);
  const c = mcfgConfigFromJson(stored.config);
  const sub = c.configType === 0 ? 0 : subscription;
  const res = (
    outcome: QcomMcfgOutcome,
    detail: string,
    applied: QcomMcfgApplied[] = [],
    restoreFactory = false,
  ): QcomMcfgActivation => ({ id, subscription: sub, outcome, detail, restoreFactory, applied });
  const build = device.state.build;
  if (!c.hashOk) return res('NV_SIM_MCFG_HASH', 'data-segment hash mismatch');
  if (!c.magicOk || c.format !== build.mcfgFormat || c.configType > 1) {
    return res(
      'NV_SIM_MCFG_HEADER_INVALID',
      `magic ${c.magicOk ? 'ok' : 'bad'}, format ${c.format} (modem ${build.mcfgFormat}), type ${c.configType}`,
    );
  }
  if (c.configType === 1) {
    const bad = c.items.find(
      (it) => !KNOWN_TYPES.has(it.type) || (it.attrib & (MCFG_ATTR.C | MCFG_ATTR.D | MCFG_ATTR.M)) === 0,
    );
    if (bad)
      return res(
        'NV_SIM_MCFG_HEADER_INVALID',
        `item type ${bad.type} attrib 0x${bad.attrib.toString(16)} maps to no action: the SW config is invalid`,
      );
  }
  if (!c.versionRecordOk) return res('NV_SIM_MCFG_HEADER_INVALID', 'first record is not 4995/4');
  const family = (c.version >>> 24) & 0xff;
  if (family !== build.mcfgFamily)
    return res(
      'NV_SIM_MCFG_INCOMPATIBLE',
      `header family 0x${family.toString(16)} ≠ modem family 0x${build.mcfgFamily.toString(16)}`,
    );

  const versionPath = mcfgVersionPath(c.configType, sub);
  const current = readU32(efs.get(versionPath)?.data);
  const restoreFactory = current === MCFG_RESTORE_FACTORY_VERSION && sub === 0;
  if (current === c.version)
    return res('NOOP_SAME_VERSION', `stored version ${hex8(current)} = header version: nothing applied`);

  // docs/formats/fsg.md#openssl step 5: wipe policyman state (SW: this subscription; HW: global).
  for (const p of [...efs.keys()]) {
    if (!p.startsWith('/policyman/')) continue;
    const perSub = /_Subscription\d\d$/.test(p);
    if (c.configType === 0 || (sub === 0 ? !perSub : p.endsWith(subSuffix(sub)))) efsDelete(efs, p);
  }
  const applied = c.items.map((it) => applyItem(efs, it, sub, restoreFactory, c));
  efsWrite(efs, versionPath, u32(c.version), 'item');
  if (c.configType === 0) device.state.pdc.active.hw = id;
  else device.state.pdc.active.sw[String(sub)] = id;
  syncEfs(device);
  return res(
    'APPLIED',
    `applied ${hex8(c.version)}${restoreFactory ? ' in restore-factory mode' : ''}`,
    applied,
    restoreFactory,
  );
}

function applyItem(
  efs: QcomEfs,
  it: QcomMcfgItem,
  sub: number,
  restoreFactory: boolean,
  c: QcomMcfgConfig,
): QcomMcfgApplied {
  const a = it.attrib;
  let off = 0;
  let mask = 0x07;
  if (a & MCFG_ATTR.S && !(it.type === 1 && it.nvId === 257)) mask = it.data[off++] ?? 0;
  const index = a & MCFG_ATTR.I ? (it.data[off++] ?? 0) : 0;
  const value = it.data.subarray(Math.min(off, it.data.length));
  const isNv = it.type === 1 || it.type === 3;
  const key = isNv ? `nv:${it.nvId ?? '?'}${a & MCFG_ATTR.I ? `#${index}` : ''}` : `efs:${it.path ?? '?'}`;
  const target = isNv ? nvItemPath(it.nvId ?? 0, index, sub) : `${it.path ?? ''}${it.type === 5 ? '' : subSuffix(sub)}`;
  const out = (action: QcomMcfgItemAction): QcomMcfgApplied => ({ key, target, action });
  if (restoreFactory && !(a & MCFG_ATTR.R)) return out('skipped-restore');
  if (sub >= 1 && !(a & MCFG_ATTR.S)) return out('skipped-subs');
  if (a & MCFG_ATTR.S) {
    if (mask > 0x0f) return out('bad-item');
    if (!(mask & (1 << sub))) return out('skipped-subs');
  }
  if (a & MCFG_ATTR.C) {
    const existing = efs.get(target);
    if (a & MCFG_ATTR.W && sub === 0 && !restoreFactory && existing) return out('skipped-write-once');
    if (a & MCFG_ATTR.U && existing && bytesEqual(existing.data, value)) return out('skipped-unchanged');
    if (a & MCFG_ATTR.M && c.configType === 1) {
      // Muxed: the value is kept per carrier index and written only when that index's copy changes.
      const muxPath = `/nv/item_files/mcfg/mux/${c.carrierIndex}${target}`;
      const muxed = efs.get(muxPath);
      if (muxed && bytesEqual(muxed.data, value) && existing && bytesEqual(existing.data, value))
        return out('skipped-muxed');
      efsWrite(efs, muxPath, value);
      efsWrite(efs, target, value);
      return out('muxed');
    }
    efsWrite(efs, target, value);
    return out('written');
  }
  if (a & MCFG_ATTR.D) {
    efsDelete(efs, target);
    return out('deleted');
  }
  if (a & MCFG_ATTR.M) {
    const muxed = efs.get(`/nv/item_files/mcfg/mux/${c.carrierIndex}${target}`);
    if (!muxed) return out('skipped-muxed');
    efsWrite(efs, target, muxed.data);
    return out('muxed');
  }
  return out('bad-item');
}

/**
 * Autoselect bits of `mcfg_autoselect_by_uim` (docs/formats/mcfg.md#autoselect).
 * @example writeEfsFile(dev, autoselectPath(0), new Uint8Array([MCFG_AUTOSELECT.ICCID | MCFG_AUTOSELECT.REFRESH]))
 */
export const MCFG_AUTOSELECT: Readonly<{
  ICCID: 0x01;
  FLEXMAP: 0x02;
  PLMN: 0x04;
  LOGGING: 0x08;
  UPDATE_ONLY: 0x40;
  REFRESH: 0x80;
}> = Object.freeze({
  ICCID: 0x01,
  FLEXMAP: 0x02,
  PLMN: 0x04,
  LOGGING: 0x08,
  UPDATE_ONLY: 0x40,
  REFRESH: 0x80,
} as const);

/**
 * The autoselect NV path for a slot (slot 0 plain, slot n `_Subscription0n`).
 * @example autoselectPath(1) // '/nv/item_files/mcfg/mcfg_autoselect_by_uim_Subscription01'
 */
export function autoselectPath(slot: number): string {
  return `/nv/item_files/mcfg/mcfg_autoselect_by_uim${subSuffix(slot)}`;
}

/** Result of autoselect. */
export interface QcomMcfgSelection {
  slot: number;
  outcome: 'SELECTED_BY_IIN' | 'SELECTED_BY_PLMN' | 'SELECTED_WILDCARD' | 'NO_MATCH';
  /** Chosen config id. */
  selected: string | null;
  /** Config name (TLV 3) of the chosen config. */
  name?: string;
  /** Effective autoselect value. */
  autoselect: number;
  detail: string;
  /**
   * Loaded configs that are not candidates, each with the reason (HW config, no trailer, no IIN/PLMN match), and
   * candidates that would fail activation (format or family ≠ the modem's).
   */
  rejected?: { id: string; reason: string }[];
}

/**
 * Checks an ICCID (18–22 digits, optional trailing F).
 * @throws NvError `NV_SIM_MCFG_BAD_ICCID`.
 * @example checkIccid('89012601234567890123F') // '89012601234567890123'
 */
export function checkIccid(iccid: string): string {
  if (!/^\d{18,22}[Ff]?$/.test(iccid)) {
    throw mkErr('NV_SIM_MCFG_BAD_ICCID', `ICCID ${JSON.stringify(iccid)} is not 18–22 digits`);
  }
  return iccid.replace(/[Ff]$/, '');
}

function mkErr(code: QcomSimErrorCode, message: string): NvError {
  return new NvError(code, message);
}

/**
 * Parses `MCC-MNC`. @throws NvError `NV_SIM_MCFG_BAD_PLMN`.
 * @example parsePlmn('310-410') // { mcc: 310, mnc: 410 }
 */
export function parsePlmn(plmn: string): { mcc: number; mnc: number } {
  const m = /^(\d{3})-?(\d{2,3})$/.exec(plmn);
  if (!m) throw mkErr('NV_SIM_MCFG_BAD_PLMN', `PLMN ${JSON.stringify(plmn)} is not MCC-MNC`);
  return { mcc: Number(m[1]), mnc: Number(m[2]) };
}

const ccdd = (v: number | undefined): number => (v ?? 0) & 0xffff;

/**
 * The config autoselect would pick for a SIM (docs/formats/mcfg.md#autoselect), without activating it. Decision (open question docs/formats/mcfg.md#open-questions): a direct
 * ICCID match beats a direct PLMN match, which beats any wildcard; within a class the higher (CC, DD) of TLV 1 wins,
 * ties go to the first loaded.
 * @example selectMcfg(dev, { iccid: '8901260123456789012' }).selected
 */
export function selectMcfg(device: QcomDevice, card: { iccid: string; plmn?: string }, slot = 0): QcomMcfgSelection {
  const iccid = checkIccid(card.iccid);
  const plmn = card.plmn !== undefined ? parsePlmn(card.plmn) : undefined;
  const raw = device.efs?.get(autoselectPath(slot))?.data[0];
  const autoselect = raw ?? device.state.build.autoselectDefault;
  const base = { slot, autoselect };
  if (autoselect === 0xde || (autoselect & (MCFG_AUTOSELECT.ICCID | MCFG_AUTOSELECT.PLMN)) === 0) {
    return {
      ...base,
      outcome: 'NO_MATCH',
      selected: null,
      detail: `autoselect is off (0x${autoselect.toString(16)})`,
    };
  }
  type Cand = { id: string; rank: number; ver: number; name?: string; how: QcomMcfgSelection['outcome'] };
  const cands: Cand[] = [];
  const rejected: { id: string; reason: string }[] = [];
  const build = device.state.build;
  for (const { id, config } of device.state.pdc.configs) {
    if (config.configType !== 1) {
      rejected.push({
        id,
        reason: `config type ${config.configType} (${config.configType === 0 ? 'HW' : 'unknown'}), not a SW config`,
      });
      continue;
    }
    if (!config.trailer) {
      rejected.push({ id, reason: 'no trailer, so no IIN or PLMN list to match' });
      continue;
    }
    const t = config.trailer;
    const family = (config.version >>> 24) & 0x1f;
    if (config.format !== build.mcfgFormat || family !== build.mcfgFamily)
      rejected.push({
        id,
        reason: `header format ${config.format} / family 0x${family.toString(16)} ≠ the modem's format ${build.mcfgFormat} / family 0x${build.mcfgFamily.toString(16)}: activation would fail`,
      });
    const before = cands.length;
    const ver = ccdd(t.configVersion);
    const name = t.name;
    const add = (rank: number, how: Cand['how']): void =>
      void cands.push({ id, rank, ver, how, ...(name !== undefined ? { name } : {}) });
    const iinDirect =
      (t.iins?.values ?? []).some((v) => iccid.startsWith(String(v))) ||
      (t.iinPrefixes ?? []).some(
        (p) => p.length > 0 && iccid.length > p.length && iccid.toLowerCase().startsWith(p.toLowerCase()),
      );
    if (iinDirect) add(3, 'SELECTED_BY_IIN');
    else if (plmn && (t.plmns?.list ?? []).some((p) => p.mcc === plmn.mcc && p.mnc === plmn.mnc))
      add(2, 'SELECTED_BY_PLMN');
    else if (t.iins?.wildcard || t.plmns?.wildcard) add(1, 'SELECTED_WILDCARD');
    if (cands.length === before) {
      const iins = [...(t.iins?.values ?? []).map(String), ...(t.iinPrefixes ?? [])];
      const plmns = (t.plmns?.list ?? []).map((p) => `${p.mcc}-${String(p.mnc).padStart(2, '0')}`);
      rejected.push({
        id,
        reason: `no IIN match (IINs ${iins.length > 0 ? iins.join(',') : 'none'} vs ICCID ${iccid}), no PLMN match (PLMNs ${plmns.length > 0 ? plmns.join(',') : 'none'} vs ${plmn ? `${plmn.mcc}-${String(plmn.mnc).padStart(2, '0')}` : 'no --plmn'}), no wildcard`,
      });
    }
  }
  let best: Cand | undefined;
  for (const c of cands) if (!best || c.rank > best.rank || (c.rank === best.rank && c.ver > best.ver)) best = c;
  if (!best)
    return {
      ...base,
      outcome: 'NO_MATCH',
      selected: null,
      detail:
        device.state.pdc.configs.length === 0
          ? 'no config is loaded (every --mbn was refused at load)'
          : 'no loaded SW config matches the ICCID or PLMN',
      rejected,
    };
  return {
    ...base,
    ...(rejected.length > 0 ? { rejected } : {}),
    outcome: best.how,
    selected: best.id,
    ...(best.name !== undefined ? { name: best.name } : {}),
    detail: `version CC.DD 0x${best.ver.toString(16).padStart(4, '0')}`,
  };
}

/** Result of a SIM change. */
export interface QcomSimChange {
  selection: QcomMcfgSelection;
  /** Activation when the pick differs from the active config. */
  activation?: QcomMcfgActivation;
  /** How the modem takes the new config: slot REFRESH (autoselect bit 0x80) or a modem reset. */
  switchedBy?: 'refresh' | 'reset';
}

/**
 * A SIM is inserted or swapped in `slot`: autoselect runs and, if the pick differs from the active SW config of that
 * subscription, the modem activates it (refresh or reset).
 * @example insertSim(dev, 0, { iccid: '8901260123456789012', plmn: '310-260' })
 */
export function insertSim(device: QcomDevice, slot: number, card: { iccid: string; plmn?: string }): QcomSimChange {
  if (!Number.isInteger(slot) || slot < 0 || slot > 1) throw new RangeError('slot must be 0 or 1');
  const selection = selectMcfg(device, card, slot);
  device.state.slots[slot] = { iccid: card.iccid, ...(card.plmn !== undefined ? { plmn: card.plmn } : {}) };
  if (selection.selected === null || device.state.pdc.active.sw[String(slot)] === selection.selected)
    return { selection };
  const activation = activateConfig(device, selection.selected, slot);
  return { selection, activation, switchedBy: selection.autoselect & MCFG_AUTOSELECT.REFRESH ? 'refresh' : 'reset' };
}

/**
 * What the MCFG framework does at every boot (docs/formats/mcfg.md#activation "boot or switch; HW then SW; per subscription"): the active HW
 * config, then the active SW config of each subscription, are activated again. With their stored versions in EFS
 * this is a no-op; after an EFS loss (key change, erased modemst, FSG restore) the versions are gone and the items
 * are written again. Call it right after `bootQcom`.
 * @example bootQcom(dev); applyActiveConfigs(dev).map((a) => a.outcome)
 */
export function applyActiveConfigs(device: QcomDevice): QcomMcfgActivation[] {
  need(device);
  const out: QcomMcfgActivation[] = [];
  const { hw, sw } = device.state.pdc.active;
  if (hw !== undefined && device.state.pdc.configs.some((c) => c.id === hw)) out.push(activateConfig(device, hw, 0));
  for (const sub of Object.keys(sw).sort()) {
    const id = sw[sub];
    if (id !== undefined && device.state.pdc.configs.some((c) => c.id === id))
      out.push(activateConfig(device, id, Number(sub)));
  }
  return out;
}
