/**
 * The saved-state format of a simulated Qualcomm device: JSON text (everything but the partitions) plus the raw
 * partitions, and its validation on load (a hand-edited state is `NV_SIM_QCOM_STATE`, never a TypeError).
 * @module
 */
import { NvError } from '@nv/core';
import type { QcomFormats } from './qcom-formats.ts';
import { partitionFromBytes, type QcomPartition } from './qcom-partition.ts';
import {
  QCOM_PARTITIONS,
  type QcomDevice,
  type QcomDeviceState,
  type QcomFuses,
  type QcomPartitionName,
} from './qcom-device.ts';

/**
 * A device state split for storage: JSON text (everything but partitions) and the partitions, still sparse (a
 * saved `.bin` holds every byte: `partitionChunks` writes it without materialising it).
 */
export interface QcomSerializedState {
  json: string;
  partitions: Record<QcomPartitionName, QcomPartition>;
}

/**
 * Splits a device's persistent state for storage (see `node-qcom.ts` for the folder layout).
 * @example const { json, partitions } = serializeQcomState(dev)
 */
export function serializeQcomState(device: QcomDevice): QcomSerializedState {
  const { partitions, ...rest } = device.state;
  return { json: `${JSON.stringify(rest, null, 2)}\n`, partitions: { ...partitions } };
}

const isRec = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const optNum = (v: unknown): boolean => v === undefined || isNum(v);
const numList = (v: unknown): boolean => Array.isArray(v) && v.every(isNum);

/** Shape of one `pdc.configs[]` entry as {@link mcfgConfigToJson} writes it (activation and selection read every field). */
function storedConfigOk(x: unknown): boolean {
  if (!isRec(x) || typeof x['id'] !== 'string' || !isRec(x['config'])) return false;
  const c = x['config'];
  if (
    typeof c['magicOk'] !== 'boolean' ||
    typeof c['versionRecordOk'] !== 'boolean' ||
    typeof c['hashOk'] !== 'boolean'
  )
    return false;
  if (
    !isNum(c['format']) ||
    !isNum(c['configType']) ||
    !isNum(c['version']) ||
    !isNum(c['carrierIndex']) ||
    !Array.isArray(c['items'])
  )
    return false;
  const itemOk = (i: unknown): boolean =>
    isRec(i) &&
    isNum(i['type']) &&
    isNum(i['attrib']) &&
    optNum(i['nvId']) &&
    (i['path'] === undefined || typeof i['path'] === 'string') &&
    typeof i['data'] === 'string' &&
    /^(?:[0-9a-fA-F]{2})*$/.test(i['data']);
  if (!c['items'].every(itemOk)) return false;
  const t = c['trailer'];
  if (t === undefined) return true;
  if (
    !isRec(t) ||
    !optNum(t['configVersion']) ||
    !optNum(t['baseVersion']) ||
    (t['name'] !== undefined && typeof t['name'] !== 'string')
  )
    return false;
  const iins = t['iins'];
  const plmns = t['plmns'];
  const prefixes = t['iinPrefixes'];
  return (
    (iins === undefined || (isRec(iins) && typeof iins['wildcard'] === 'boolean' && numList(iins['values']))) &&
    (plmns === undefined ||
      (isRec(plmns) &&
        typeof plmns['wildcard'] === 'boolean' &&
        Array.isArray(plmns['list']) &&
        plmns['list'].every((p) => isRec(p) && isNum(p['mcc']) && isNum(p['mnc'])))) &&
    (prefixes === undefined || (Array.isArray(prefixes) && prefixes.every((p) => typeof p === 'string')))
  );
}

/**
 * Rebuilds a device from {@link serializeQcomState} output. The EFS is not in memory until the next boot.
 * @throws NvError `NV_SIM_QCOM_STATE` when the JSON is not a version-1 device or a partition is missing.
 * @example const again = deserializeQcomState(json, partitions, formats)
 */
export function deserializeQcomState(
  json: string,
  partitions: Partial<Record<QcomPartitionName, Uint8Array | QcomPartition>>,
  formats?: QcomFormats,
  path?: string,
): QcomDevice {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (cause) {
    throw new NvError('NV_SIM_QCOM_STATE', `${path ?? 'device state'} is not valid JSON`, { path, cause });
  }
  const s = parsed as Partial<QcomDeviceState>;
  const ok =
    typeof s === 'object' &&
    s !== null &&
    s.version === 1 &&
    typeof s.seed === 'string' &&
    typeof s.build === 'object' &&
    s.build !== null &&
    typeof s.build.rootHash === 'string' &&
    typeof s.fuses === 'object' &&
    s.fuses !== null &&
    typeof s.pdc === 'object' &&
    s.pdc !== null &&
    Array.isArray(s.pdc.configs) &&
    Array.isArray(s.slots) &&
    typeof s.bootCount === 'number' &&
    typeof s.generation === 'number';
  if (!ok)
    throw new NvError('NV_SIM_QCOM_STATE', `${path ?? 'device state'} is not a version-1 simulated Qualcomm device`, {
      path,
    });
  // Fields a boot turns into BigInt or writes into: checked here so a hand-edited state is NV_SIM_QCOM_STATE, not a TypeError.
  const id = (v: unknown): boolean => typeof v === 'string' && /^0x[0-9a-fA-F]{1,16}$/.test(v);
  const f = s.fuses as Partial<QcomFuses>;
  const fusesOk = typeof f.blown === 'boolean' && (!f.blown || (typeof f.rootHash === 'string' && id(f.hwId)));
  const nvInfoOk =
    s.nvInfo === undefined || (typeof s.nvInfo === 'object' && s.nvInfo !== null && !Array.isArray(s.nvInfo));
  if (!fusesOk || !id(s.build?.hwId) || !id(s.build?.swId) || !nvInfoOk) {
    throw new NvError(
      'NV_SIM_QCOM_STATE',
      `${path ?? 'device state'}: fuses, build.hwId/swId (0x… hex) or nvInfo are malformed`,
      { path },
    );
  }
  const b = s.build as unknown as Record<string, unknown>;
  const active = (s.pdc as unknown as Record<string, unknown>)['active'];
  const buildOk =
    typeof b['allowDummyKey'] === 'boolean' &&
    ['goldenRamSize', 'mcfgFamily', 'mcfgFormat', 'autoselectDefault'].every((k) => isNum(b[k]));
  const activeOk =
    isNum(s.pdc?.capacity) &&
    isRec(active) &&
    (active['hw'] === undefined || typeof active['hw'] === 'string') &&
    isRec(active['sw']) &&
    Object.values(active['sw']).every((v) => typeof v === 'string');
  if (!buildOk || !activeOk)
    throw new NvError('NV_SIM_QCOM_STATE', `${path ?? 'device state'}: build or pdc fields are malformed`, { path });
  const bad = (s.pdc?.configs ?? []).findIndex((c) => !storedConfigOk(c));
  if (bad >= 0)
    throw new NvError(
      'NV_SIM_QCOM_STATE',
      `${path ?? 'device state'}: pdc.configs[${bad}] is not a stored MCFG config`,
      { path, data: { index: bad } },
    );
  const parts = {} as Record<QcomPartitionName, QcomPartition>;
  for (const p of QCOM_PARTITIONS) {
    const b = partitions[p];
    if (!b) throw new NvError('NV_SIM_QCOM_STATE', `${path ?? 'device state'}: partition ${p} is missing`, { path });
    parts[p] = b instanceof Uint8Array ? partitionFromBytes(b) : b;
  }
  const state = { ...(s as Omit<QcomDeviceState, 'partitions'>), partitions: parts };
  return formats ? { state, formats } : { state };
}
