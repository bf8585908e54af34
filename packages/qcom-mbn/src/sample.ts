/**
 * Built-in sample MCFG XML for `nv demo`, docs and the device simulator's tests.
 * @module
 */
import { encodeTrailer, type McfgPlmn } from './trailer.ts';

/** Options of {@link sampleMcfgXml}. */
export interface SampleMcfgOptions {
  /** Trailer name (TLV 3). Default `Commercial-TMO`. */
  readonly name?: string;
  /** Version AABBCCDD (header and TLV 1/5). Default 0x0501050D (JO, OEM 1, T-Mobile, minor 0x0D). */
  readonly version?: number;
  /** Header carrier index. Default 1. */
  readonly carrierIndex?: number;
  /** 3 (dialect 1, default) or 4 (dialect 2). */
  readonly format?: 3 | 4;
  /** TLV 4 IINs (decimal ICCID prefixes). Default `[8901260]`. */
  readonly iins?: readonly number[];
  /** TLV 6 PLMNs. Default `[{mcc: 310, mnc: 260}]`. */
  readonly plmns?: readonly McfgPlmn[];
  /** TLV 10 IIN prefixes. */
  readonly iinPrefixes?: readonly string[];
  /** 0 HW, 1 SW (default). */
  readonly type?: 0 | 1;
}

/**
 * A small, valid SW MCFG XML: NV items with each common attribute mix (plain, write-once, muxed, indexed,
 * per-subscription, delete), an EFS item and a trailer with name, versions, IIN and PLMN lists.
 * Build it with `buildMbn(parseMcfgXml(xml))`.
 *
 * @example
 * const mbn = buildMbn(parseMcfgXml(sampleMcfgXml({ name: 'Demo', plmns: [{ mcc: 262, mnc: 1 }] })));
 */
export function sampleMcfgXml(options: SampleMcfgOptions = {}): string {
  const version = options.version ?? 0x0501050d;
  const format = options.format ?? 3;
  const d2 = format === 4;
  const tlvs = encodeTrailer({
    version,
    name: options.name ?? 'Commercial-TMO',
    iins: { list: options.iins ?? [8901260] },
    baseVersion: version,
    plmns: { list: options.plmns ?? [{ mcc: 310, mnc: 260 }] },
    category: 4,
    ...(options.iinPrefixes === undefined ? {} : { iinPrefixes: options.iinPrefixes }),
  });
  const v = `0x${version.toString(16).toUpperCase().padStart(8, '0')}`;
  const mask = d2 ? ' subscription_mask="0x07"' : '';
  const maskMember = d2 ? '' : '\n\t\t<Member name="subscription_mask" sizeOf="1" type="uint8">7</Member>';
  return `<?xml version="1.0" encoding="utf-8"?>
<NvData${d2 ? ' McfgXmlVersion="2.0"' : ''}>
	<NvConfigurationData carrierIndex="${options.carrierIndex ?? 1}" version="${v}" type="${options.type ?? 1}"/>
	<NvItemData id="71" mcfgAttributes="0x09" mcfgVariant="1">
		<Member name="carrier" sizeOf="13" type="uint8">0x54 0x4d 0x4f</Member>
	</NvItemData>
	<NvItemData id="848" mcfgAttributes="0x29" mcfgVariant="1">
		<Member name="index" sizeOf="1" type="uint8">0</Member>
		<Member sizeOf="1" type="uint16">0</Member>
	</NvItemData>
	<NvItemData id="6873" mcfgAttributes="0x0D" mcfgVariant="1">
		<Member sizeOf="1" type="uint8">1</Member>
	</NvItemData>
	<NvItemData id="4398" mcfgAttributes="0x1B" mcfgVariant="1"${mask}>${maskMember}
		<Member sizeOf="1" type="uint32">1</Member>
	</NvItemData>
	<NvEfsItemData fullpathname="/nv/item_files/ims/qp_ims_dpl_config" mcfgAttributes="0x19" mcfgVariant="2"${mask}>${maskMember}
		<Member sizeOf="1" type="uint32">0</Member>
		<Member sizeOf="2" type="uint8">0 1</Member>
		<Member sizeOf="1" type="uint16">0</Member>
		<Member sizeOf="1" type="uint32">0</Member>
		<Member sizeOf="2" type="uint8">0 2</Member>
	</NvEfsItemData>
	<NvEfsItemData fullpathname="/nv/item_files/modem/mmode/lte_bandpref" mcfgAttributes="0x58" mcfgVariant="2"${mask}>${maskMember}
	</NvEfsItemData>
	<NvTrlRecord>
		<Member name="tlvs" sizeOf="${tlvs.length}" type="uint8">${Array.from(tlvs).join(' ')}</Member>
	</NvTrlRecord>
</NvData>
`;
}
