// The whole Qualcomm flow on the packages that own each format, ending on the simulated modem:
// NvSource (+ xi:include) + NvDefinition → QCN → EFS tree → V7 tar.gz → signed .mbn → .img → first boot → MCFG by ICCID.
import { describe, it, expect, beforeAll } from 'vitest';
import { compileNvFiles, decodeQcn, encodeQcn, packEfsImage, qcnToEfsTree } from '@nv/qcom-efs';
import { NODE_DEFLATE } from '@nv/qcom-efs/node';
import { buildFsgImg } from '@nv/qcom-fsg-sign';
import { generateFsgKeys, signFsgImage, type FsgKeys } from '@nv/qcom-fsg-sign/node';
import { buildMbn, encodeTrailer, parseMcfgXml } from '@nv/qcom-mbn';
import {
  bootQcom,
  createQcomDevice,
  flashPartition,
  insertSim,
  mcfgConfigFromMbn,
  pdcLoad,
  readModem,
} from '../src/qcom.ts';
import { nodeQcomFormats } from '../src/node-qcom.ts';

const FILES: Record<string, string> = {
  'NvDefinition.xml': `<?xml version="1.0"?>
<NvDefinition>
  <NvItem id="10" name="NV_PREF_MODE_I" permission="rw" maxIndex="1"><Member type="uint8" sizeOf="1" name="nam"/><Member type="uint16" sizeOf="1" name="mode"/></NvItem>
  <NvItem id="24997" name="RFNV_EXAMPLE" permission="rw"><Member type="int8" sizeOf="8"/></NvItem>
  <NvEfsItem fullpathname="/nv/item_files/ims/qp_ims_dpl_config" name="dpl" permission="rw"><Member type="uint8" sizeOf="1"/></NvEfsItem>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" name="autoselect" permission="rw"><Member type="uint8" sizeOf="1"/></NvEfsItem>
</NvDefinition>`,
  'master.xml': `<?xml version="1.0"?>
<NvSource xmlns:xi="http://www.w3.org/2001/XInclude">
  <NvItem id="10" index="0" encoding="dec">0,31</NvItem>
  <NvItem id="10" index="1" encoding="dec">1,13</NvItem>
  <xi:include href="BAND_B1.xml#xpointer(/NvSource/*)"/>
</NvSource>`,
  'band_b1.xml': `<NvSource>
  <NvItem id="24997" encoding="dec">1,2,3,4,5,6,7,8</NvItem>
  <NvEfsItem fullpathname="/nv/item_files/ims/qp_ims_dpl_config" encoding="dec">1</NvEfsItem>
  <NvEfsItem fullpathname="/nv/item_files/mcfg/mcfg_autoselect_by_uim" useProvisioningStore="true" encoding="hex">81</NvEfsItem>
</NvSource>`,
};
const resolver = { read: (p: string) => FILES[p.replace(/^\.?\//, '')], list: () => Object.keys(FILES) };
const HW = 0x009600e100000000n;

describe('happy path: NvSource → QCN → EFS → tar.gz → signed .mbn → .img → first boot has every item', () => {
  let keys: FsgKeys;
  beforeAll(async () => {
    keys = await generateFsgKeys({ org: 'Sim', hwId: HW, swId: 0n });
  }, 60_000);

  it('restores every compiled item and then selects the carrier config by ICCID', async () => {
    const compiled = compileNvFiles('master.xml', 'NvDefinition.xml', resolver, { deflate: NODE_DEFLATE });
    const qcnBytes = encodeQcn(compiled.qcn);
    const { tree } = qcnToEfsTree(decodeQcn(qcnBytes).qcn, {
      nvInfo: [{ id: 10, size: 2, arraySize: 2 }],
    });
    const tgz = packEfsImage(tree, NODE_DEFLATE).bytes;
    const signed = await signFsgImage(tgz, {
      caKey: keys.caKey,
      caCertDer: keys.caCertDer,
      rootCertDer: keys.rootCertDer,
      hwId: HW,
      swId: 0n,
    });
    const { img } = buildFsgImg(signed.mbn);

    const dev = createQcomDevice({
      trust: { rootHash: keys.rootHash, hwId: HW, swId: 0n },
      formats: nodeQcomFormats(),
      seed: 'happy',
      partitionSize: 256 * 1024,
    });
    flashPartition(dev, 'fsg', img);
    const r = bootQcom(dev);
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ source: 'fsg', verified: true });
    expect(r.nv).toEqual({ '10': '1f00', '10_1': '0d00', '24997': '0102030405060708' });
    const files = Object.fromEntries(r.efs.map((f) => [f.path, f.kind]));
    expect(files).toMatchObject({
      '/nv/item_files/ims/qp_ims_dpl_config': 'item',
      '/nv/item_files/mcfg/mcfg_autoselect_by_uim': 'item',
      '/nvm/num/10': 'item',
      '/nvm/num/10_1': 'item',
      '/nv/item_files/rfnv/00024997': 'item',
    });

    // The preloaded autoselect value (0x81) lets the modem pick a carrier MCFG by ICCID.
    const tlvs = [...encodeTrailer({ version: 0x0501050d, name: 'Commercial-TMO', iins: { list: [8901260] } })].join(
      ' ',
    );
    const mbn = buildMbn(
      parseMcfgXml(`<NvData><NvConfigurationData carrierIndex="0" version="0x0501050D" type="1"/>
<NvEfsItemData fullpathname="/nv/item_files/ims/qp_ims_dpl_config" mcfgAttributes="0x19" mcfgVariant="2"><Member sizeOf="2" type="uint8">7 2</Member></NvEfsItemData>
<NvTrlRecord><Member sizeOf="${tlvs.split(' ').length}" type="uint8">${tlvs}</Member></NvTrlRecord></NvData>`),
    );
    expect(pdcLoad(dev, 'tmo', mcfgConfigFromMbn(mbn)).outcome).toBe('LOADED');
    const sim = insertSim(dev, 0, { iccid: '8901260123456789012' });
    expect(sim.selection).toMatchObject({ selected: 'tmo', outcome: 'SELECTED_BY_IIN', autoselect: 0x81 });
    expect(sim.activation?.applied).toEqual([
      {
        key: 'efs:/nv/item_files/ims/qp_ims_dpl_config',
        target: '/nv/item_files/ims/qp_ims_dpl_config',
        action: 'written',
      },
    ]);
    expect(readModem(dev).nv).toEqual(r.nv);
  });
});
