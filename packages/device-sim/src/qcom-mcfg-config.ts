/**
 * The simulator's model of an MCFG config (a projection of `@nv/qcom-mbn`'s parsed file) and its JSON form, as the
 * device state stores it after PDC LOAD. Below both `qcom-device.ts` (state) and `qcom-mcfg.ts` (the framework).
 * @module
 */
import { bytesToHex, hexToBytes } from '@nv/core/bytes';

/** One MCFG item (trailer excluded). `data` is the whole body data: [mask if S] [index if I] value. */
export interface QcomMcfgItem {
  /** Item type (`mcfgVariant`): 1/3 NV, 2/4/5 EFS, others opaque. */
  type: number;
  attrib: number;
  /** NV id (types 1, 3). */
  nvId?: number;
  /** EFS path (types 2, 4, 5). */
  path?: string;
  data: Uint8Array;
}

/** Decoded trailer TLVs the device uses (docs/formats/mcfg.md#tlvs). */
export interface QcomMcfgTrailer {
  /** TLV 1, config version. */
  configVersion?: number;
  /** TLV 5. */
  baseVersion?: number;
  /** TLV 3. */
  name?: string;
  /** TLV 4: IIN list. */
  iins?: { wildcard: boolean; values: number[] };
  /** TLV 6: PLMN list. */
  plmns?: { wildcard: boolean; list: { mcc: number; mnc: number }[] };
  /** TLV 10: IIN prefixes. */
  iinPrefixes?: string[];
}

/** An MCFG config as the modem sees it (a projection of `@nv/qcom-mbn`'s parsed file). */
export interface QcomMcfgConfig {
  /** `"MCFG"` magic present. */
  magicOk: boolean;
  /** Header format (3 or 4). */
  format: number;
  /** 0 HW, 1 SW. */
  configType: number;
  /** Header version AABBCCDD. */
  version: number;
  /** First record is 4995 with length 4. */
  versionRecordOk: boolean;
  carrierIndex: number;
  /** Data-segment hash matches. */
  hashOk: boolean;
  /** Undefined when no trailer was found. */
  trailer?: QcomMcfgTrailer;
  items: QcomMcfgItem[];
}

/** JSON form of {@link QcomMcfgConfig} (item data as hex), as stored in the device state. */
export type QcomMcfgConfigJson = Omit<QcomMcfgConfig, 'items'> & {
  items: (Omit<QcomMcfgItem, 'data'> & { data: string })[];
};

/**
 * Config → JSON form.
 * @example JSON.stringify(mcfgConfigToJson(config))
 */
export function mcfgConfigToJson(c: QcomMcfgConfig): QcomMcfgConfigJson {
  return { ...c, items: c.items.map((i) => ({ ...i, data: bytesToHex(i.data) })) };
}

/**
 * JSON form → config.
 * @example mcfgConfigFromJson(dev.state.pdc.configs[0]!.config)
 */
export function mcfgConfigFromJson(c: QcomMcfgConfigJson): QcomMcfgConfig {
  return { ...c, items: c.items.map((i) => ({ ...i, data: hexToBytes(i.data) })) };
}
