import { describe, it, expect } from 'vitest';
import { buildMbn, encodeTrailer, parseMcfgXml, type McfgTrailerInput } from '@nv/qcom-mbn';
import {
  autoselectPath,
  bootQcom,
  createQcomDevice,
  insertSim,
  mcfgConfigFromMbn,
  pdcLoad,
  readModem,
  writeEfsFile,
} from '../src/qcom.ts';
import { activateConfig } from '../src/qcom-mcfg.ts';

/** MCFG XML (dialect 1) with an NV 71 item and the trailer as raw TLV bytes from encodeTrailer. */
function mbn(version: string, nv71: number, trailer: McfgTrailerInput, efsValue = 1): Uint8Array {
  const tlvs = [...encodeTrailer(trailer)].join(' ');
  const xml = `<?xml version="1.0"?>
<NvData>
  <NvConfigurationData carrierIndex="0" version="${version}" type="1"/>
  <NvItemData id="71" mcfgAttributes="0x19" mcfgVariant="1">
    <Member sizeOf="1" type="uint8">7</Member>
    <Member sizeOf="1" type="uint8">${nv71}</Member>
  </NvItemData>
  <NvEfsItemData fullpathname="/nv/item_files/ims/IMS_enable" mcfgAttributes="0x19" mcfgVariant="2">
    <Member sizeOf="1" type="uint8">7</Member>
    <Member sizeOf="1" type="uint8">${efsValue}</Member>
  </NvEfsItemData>
  <NvTrlRecord>
    <Member sizeOf="${tlvs.split(' ').length}" type="uint8">${tlvs}</Member>
  </NvTrlRecord>
</NvData>`;
  return buildMbn(parseMcfgXml(xml));
}

function blank() {
  const dev = createQcomDevice({ trust: { rootHash: 'a'.repeat(64), hwId: 0n, swId: 0n }, partitionSize: 64 * 1024 });
  bootQcom(dev); // erased fsg: empty EFS
  writeEfsFile(dev, autoselectPath(0), new Uint8Array([0x81]), 'item');
  return dev;
}

describe('real MCFG MBNs (built by @nv/qcom-mbn) on the simulated modem', () => {
  it('selects by ICCID among several MBNs and applies their items', () => {
    const dev = blank();
    const tmo = mcfgConfigFromMbn(
      mbn('0x0501050D', 5, { version: 0x0501050d, name: 'Commercial-TMO', iins: { list: [8901260] } }),
    );
    expect(tmo).toMatchObject({
      format: 3,
      configType: 1,
      version: 0x0501050d,
      hashOk: true,
      trailer: { configVersion: 0x0501050d, name: 'Commercial-TMO', iins: { wildcard: false, values: [8901260] } },
    });
    expect(pdcLoad(dev, 'tmo', tmo).outcome).toBe('LOADED');
    expect(
      pdcLoad(
        dev,
        'att',
        mcfgConfigFromMbn(mbn('0x05010301', 3, { version: 0x05010301, name: 'ATT', iins: { list: [8901410] } })),
      ).outcome,
    ).toBe('LOADED');
    expect(
      pdcLoad(
        dev,
        'row',
        mcfgConfigFromMbn(
          mbn('0x05010801', 8, { version: 0x05010801, name: 'ROW', iins: { wildcard: true, list: [] } }),
        ),
      ).outcome,
    ).toBe('LOADED');
    const r = insertSim(dev, 0, { iccid: '8901410987654321098' });
    expect(r.selection).toMatchObject({ selected: 'att', outcome: 'SELECTED_BY_IIN' });
    expect(r.activation?.applied).toEqual([
      { key: 'nv:71', target: '/nvm/num/71', action: 'written' },
      { key: 'efs:/nv/item_files/ims/IMS_enable', target: '/nv/item_files/ims/IMS_enable', action: 'written' },
    ]);
    expect(readModem(dev).nv['71']).toBe('03');
    expect(insertSim(dev, 0, { iccid: '8944000000000000000' }).selection.selected).toBe('row');
    expect(readModem(dev).nv['71']).toBe('08');
  });

  it('header vs trailer version mismatch (real bytes): trailer-only bump is a same-version no-op', () => {
    const dev = blank();
    pdcLoad(dev, 'v1', mcfgConfigFromMbn(mbn('0x05010501', 1, { version: 0x05010501 }, 0)));
    activateConfig(dev, 'v1');
    pdcLoad(dev, 'v2-bad', mcfgConfigFromMbn(mbn('0x05010501', 2, { version: 0x05010502 }, 1)));
    expect(activateConfig(dev, 'v2-bad').outcome).toBe('NOOP_SAME_VERSION');
    expect(readModem(dev).nv['71']).toBe('01');
    pdcLoad(dev, 'v2', mcfgConfigFromMbn(mbn('0x05010502', 2, { version: 0x05010502 }, 1)));
    expect(activateConfig(dev, 'v2').outcome).toBe('APPLIED');
    expect(readModem(dev).nv['71']).toBe('02');
  });

  it('a corrupted data segment fails the hash at activation; a family-8 trailer is refused at load', () => {
    const dev = blank();
    const bytes = mbn('0x05010501', 1, { version: 0x05010501 });
    bytes[0x2000 + 30] = (bytes[0x2000 + 30] as number) ^ 0xff; // inside the first item's body
    const cfg = mcfgConfigFromMbn(bytes);
    expect(cfg.hashOk).toBe(false);
    pdcLoad(dev, 'x', cfg);
    expect(activateConfig(dev, 'x').outcome).toBe('NV_SIM_MCFG_HASH');
    expect(pdcLoad(dev, 'y', mcfgConfigFromMbn(mbn('0x08010501', 1, { version: 0x08010501 }))).outcome).toBe(
      'NV_SIM_MCFG_INCOMPATIBLE',
    );
  });
});
