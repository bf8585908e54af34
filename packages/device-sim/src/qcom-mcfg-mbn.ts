/**
 * MCFG MBN bytes → the device's config model, through `@nv/qcom-mbn` (the one parser of the format).
 * @module
 */
import { NvError } from '@nv/core';
import { decodeTrailer, parseMbn } from '@nv/qcom-mbn/read';
import type { QcomMcfgConfig, QcomMcfgTrailer } from './qcom-mcfg-config.ts';

const NO_TRAILER_CODES = new Set([
  'NV_MBN_TRAILER_OFFSET',
  'NV_MBN_TRAILER_MARKER',
  'NV_MBN_TRAILER_MAGIC',
  'NV_MBN_TRAILER_LENGTH',
]);

/**
 * What the modem sees in an MCFG MBN: header fields, hash verdict, decoded trailer, items. An MBN whose trailer
 * cannot be found becomes a config without `trailer` (PDC LOAD then answers `NV_SIM_MCFG_NO_TRAILER`); a segment
 * without the `"MCFG"` magic or the 4995 version record becomes a config the activation refuses (`HEADER_INVALID`).
 *
 * @example const cfg = mcfgConfigFromMbn(await readFile('mcfg_sw.mbn')); pdcLoad(dev, 'tmo', cfg)
 * @throws NvError from `parseMbn` when the bytes are not an MCFG MBN at all (`NV_MBN_NOT_ELF`, `NV_TRUNCATED` …).
 */
export function mcfgConfigFromMbn(bytes: Uint8Array, path?: string): QcomMcfgConfig {
  const empty = { format: 0, configType: 1, version: 0, carrierIndex: 0, hashOk: true, items: [] };
  let file;
  try {
    file = parseMbn(bytes, path !== undefined ? { path } : {});
  } catch (e) {
    if (!NvError.isInstance(e)) throw e;
    if (NO_TRAILER_CODES.has(e.code)) return { ...empty, magicOk: true, versionRecordOk: true };
    if (e.code === 'NV_MBN_BAD_MAGIC') return { ...empty, magicOk: false, versionRecordOk: false, trailer: {} };
    if (e.code === 'NV_MBN_VERSION_RECORD') return { ...empty, magicOk: true, versionRecordOk: false, trailer: {} };
    throw e;
  }
  const t = decodeTrailer(file.trailerTlvs);
  const trailer: QcomMcfgTrailer = {
    ...(t.version !== undefined ? { configVersion: t.version } : {}),
    ...(t.baseVersion !== undefined ? { baseVersion: t.baseVersion } : {}),
    ...(t.name !== undefined ? { name: t.name } : {}),
    ...(t.iins ? { iins: { wildcard: t.iins.wildcard, values: [...t.iins.list] } } : {}),
    ...(t.plmns
      ? { plmns: { wildcard: t.plmns.wildcard, list: t.plmns.list.map((p) => ({ mcc: p.mcc, mnc: p.mnc })) } }
      : {}),
    ...(t.iinPrefixes ? { iinPrefixes: [...t.iinPrefixes] } : {}),
  };
  return {
    magicOk: true,
    format: file.format,
    configType: file.configType,
    version: file.version,
    versionRecordOk: true,
    carrierIndex: file.carrierIndex,
    hashOk: !file.findings.some((f) => f.code === 'NV_MBN_HASH_MISMATCH'),
    trailer,
    items: file.items.map((i) => ({
      type: i.type,
      attrib: i.attrib,
      ...(i.kind === 'nv' && i.nvId !== undefined ? { nvId: i.nvId } : {}),
      ...(i.kind === 'efs' && i.path !== undefined ? { path: i.path } : {}),
      data: i.data.slice(),
    })),
  };
}
