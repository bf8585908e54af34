// One sample file per inspector type with the decoded fields the page must show for it. The inputs come from
// outside the inspector: the qcom-mbn §4.5 known-answer vector (hand-written from the spec) and a LID file
// written by @nv/mtk-lid-file's encoder. The site test drops only the types the page lists as available.
import { readFileSync } from 'node:fs';
import { encodeLidFile } from '@nv/mtk-lid-file';

export interface InspectorSample {
  readonly type: 'qcn' | 'fsg' | 'mbn' | 'lid';
  readonly name: string;
  readonly bytes: Uint8Array;
  /** Text the decoded view must contain. */
  readonly expect: readonly string[];
}

/** The samples; types whose package has no decoder yet have none and are reported by the test. */
export function inspectorSamples(): InspectorSample[] {
  const mbn = new Uint8Array(readFileSync(new URL('../../../packages/qcom-mbn/test/vectors/kat-4.5.mbn', import.meta.url)));
  const entry = { lid: 0x2a, name: 'NVRAM_EF_DEMO_LID', size: 8, records: 2, attributes: [] as string[], attr: 0, category: 0 };
  const lid = encodeLidFile([Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8), Uint8Array.of(0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0)], entry, { generation: 'B' });
  return [
    { type: 'mbn', name: 'mcfg_sw.mbn', bytes: mbn, expect: ['carrierIndex', 'Commercial-TMO', '0x0501050D', 'NV 71', 'EFS /nv/item_files/ims/qp_ims_dpl_config', '8949024'] },
    { type: 'lid', name: 'NVD_DEMO_001', bytes: lid, expect: ['generation', 'B', '0x002A', 'all ok', '01 02 03 04 05 06 07 08', 'de ad be ef'] },
  ];
}
