import { describe, it, expect } from 'vitest';
import { NvError } from '@nv/core';
import { hexToBytes } from '@nv/core/bytes';
import {
  erasePartition,
  autoselectPath,
  bootQcom,
  createQcomDevice,
  flashPartition,
  insertSim,
  pdcLoad,
  readModem,
  writeEfsFile,
  writeNvItem,
  type QcomDevice,
  type QcomMcfgConfig,
} from '../src/qcom.ts';
import { selectMcfg } from '../src/qcom-mcfg.ts';
import { MCFG_ATTR, activateConfig, applyActiveConfigs, markRestoreFactory } from '../src/qcom-mcfg.ts';
import { type QcomMcfgItem } from '../src/qcom-mcfg-config.ts';
import { HW_ID, OWN_ROOT, PRELOAD, fakeFormats, fakeImg, fakeMbn } from './qcom-fixtures.ts';

const { C, W, R, S, I, D, U, M } = MCFG_ATTR;

function booted(autoselect?: number): QcomDevice {
  const dev = createQcomDevice({
    trust: { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n },
    formats: fakeFormats,
    partitionSize: 64 * 1024,
    seed: 'mcfg',
  });
  flashPartition(dev, 'fsg', fakeImg(fakeMbn(PRELOAD, { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n })));
  bootQcom(dev);
  if (autoselect !== undefined) {
    writeEfsFile(dev, autoselectPath(0), new Uint8Array([autoselect]), 'item');
    writeEfsFile(dev, autoselectPath(1), new Uint8Array([autoselect]), 'item');
  }
  return dev;
}

const nv = (id: number, attrib: number, data: string, type = 1): QcomMcfgItem => ({
  type,
  attrib,
  nvId: id,
  data: hexToBytes(data),
});
const efs = (path: string, attrib: number, data: string, type = 2): QcomMcfgItem => ({
  type,
  attrib,
  path,
  data: hexToBytes(data),
});

function sw(
  version: number,
  items: QcomMcfgItem[],
  trailer: QcomMcfgConfig['trailer'] = { configVersion: version },
  extra: Partial<QcomMcfgConfig> = {},
): QcomMcfgConfig {
  return {
    magicOk: true,
    format: 3,
    configType: 1,
    version,
    versionRecordOk: true,
    carrierIndex: 0,
    hashOk: true,
    trailer,
    items,
    ...extra,
  };
}

describe('PDC LOAD checks in order (qcom-mbn.md §6.1)', () => {
  it('id unique → space → trailer → TLV 1 → family', () => {
    const dev = booted();
    dev.state.pdc.capacity = 2;
    expect(pdcLoad(dev, 'a', sw(0x05010501, [])).outcome).toBe('LOADED');
    expect(pdcLoad(dev, 'a', sw(0x05010501, [])).outcome).toBe('NV_SIM_MCFG_DUP_ID');
    const { trailer: _dropped, ...noTrailer } = sw(0x05010501, []);
    expect(pdcLoad(dev, 'b', noTrailer).outcome).toBe('NV_SIM_MCFG_NO_TRAILER');
    expect(pdcLoad(dev, 'b', sw(0x05010501, [], {})).outcome).toBe('NV_SIM_MCFG_NO_VERSION_TLV');
    expect(pdcLoad(dev, 'b', sw(0x05010501, [], { configVersion: 0x08010501 })).outcome).toBe(
      'NV_SIM_MCFG_INCOMPATIBLE',
    );
    expect(pdcLoad(dev, 'b', sw(0x05010501, [])).outcome).toBe('LOADED');
    expect(pdcLoad(dev, 'c', sw(0x05010501, [])).outcome).toBe('NV_SIM_MCFG_NO_SPACE');
  });
});

describe('activation (§6.2)', () => {
  it('hash, header, compat on the header family', () => {
    const dev = booted();
    pdcLoad(dev, 'hash', sw(0x05010501, [], undefined, { hashOk: false, trailer: { configVersion: 0x05010501 } }));
    pdcLoad(dev, 'fmt', sw(0x05010501, [], { configVersion: 0x05010501 }, { format: 4 }));
    pdcLoad(dev, 'noact', sw(0x05010501, [nv(10, S, '07')]));
    pdcLoad(dev, 'unknown', sw(0x05010501, [{ type: 12, attrib: 0xff, data: new Uint8Array(4) }]));
    pdcLoad(dev, 'fam', sw(0x08010501, [], { configVersion: 0x05010501 }));
    expect(activateConfig(dev, 'hash').outcome).toBe('NV_SIM_MCFG_HASH');
    expect(activateConfig(dev, 'fmt').outcome).toBe('NV_SIM_MCFG_HEADER_INVALID');
    expect(activateConfig(dev, 'noact').outcome).toBe('NV_SIM_MCFG_HEADER_INVALID');
    expect(activateConfig(dev, 'unknown').outcome).toBe('NV_SIM_MCFG_HEADER_INVALID');
    expect(activateConfig(dev, 'fam').outcome).toBe('NV_SIM_MCFG_INCOMPATIBLE');
    expect(() => activateConfig(dev, 'never-loaded')).toThrow(
      expect.objectContaining({ code: 'NV_SIM_MCFG_NOT_LOADED' }) as Error,
    );
  });

  it('applies attribute semantics: write, write-once, delete, update-only, index, wipe policyman', () => {
    const dev = booted();
    writeNvItem(dev, 6828, hexToBytes('05'));
    writeEfsFile(dev, '/policyman/ue_mode', hexToBytes('02'), 'item');
    writeEfsFile(dev, '/nv/item_files/ims/old', hexToBytes('01'), 'item');
    pdcLoad(
      dev,
      'tmo',
      sw(0x0501050d, [
        nv(71, C | S | W, '07' + '00'), // write-once, absent → written
        nv(6828, C | S | W, '07' + '01'), // write-once, present → skipped
        nv(10, C | S | I, '07' + '01' + '0d00'), // indexed → /nvm/num/10_1
        efs('/nv/item_files/ims/old', D | S, '07'),
        efs('/nv/item_files/ims/qp_ims_dpl_config', C | S | U, '07' + '01'), // same bytes → unchanged
        efs('/nv/item_files/ims/qp_ims_voip_config', C | S | U, '07' + 'ff'),
      ]),
    );
    const a = activateConfig(dev, 'tmo');
    expect(a.outcome).toBe('APPLIED');
    expect(a.applied.map((x) => [x.key, x.target, x.action])).toEqual([
      ['nv:71', '/nvm/num/71', 'written'],
      ['nv:6828', '/nvm/num/6828', 'skipped-write-once'],
      ['nv:10#1', '/nvm/num/10_1', 'written'],
      ['efs:/nv/item_files/ims/old', '/nv/item_files/ims/old', 'deleted'],
      ['efs:/nv/item_files/ims/qp_ims_dpl_config', '/nv/item_files/ims/qp_ims_dpl_config', 'skipped-unchanged'],
      ['efs:/nv/item_files/ims/qp_ims_voip_config', '/nv/item_files/ims/qp_ims_voip_config', 'written'],
    ]);
    const m = readModem(dev);
    expect(m.nv['71']).toBe('00');
    expect(m.nv['6828']).toBe('05');
    expect(m.nv['10_1']).toBe('0d00');
    const paths = m.efs.map((e) => e.path);
    expect(paths).not.toContain('/nv/item_files/ims/old');
    expect(paths).not.toContain('/policyman/ue_mode');
    // Survives a power cycle (synced to modemst).
    expect(bootQcom(dev).nv['71']).toBe('00');
    // Same header version again → no-op.
    expect(activateConfig(dev, 'tmo').outcome).toBe('NOOP_SAME_VERSION');
  });

  it('restore-factory mode applies only R items, and write-once items overwrite there', () => {
    const dev = booted();
    writeNvItem(dev, 6828, hexToBytes('05'));
    pdcLoad(dev, 'x', sw(0x05010501, [nv(6828, C | S | W | R, '07' + '01'), nv(71, C | S, '07' + '02')]));
    markRestoreFactory(dev, 1, 0);
    const a = activateConfig(dev, 'x');
    expect(a.restoreFactory).toBe(true);
    expect(a.applied.map((x) => x.action)).toEqual(['written', 'skipped-restore']);
    expect(readModem(dev).nv['6828']).toBe('01');
  });

  it('multi-SIM: subscription 1 takes only S items whose mask has bit 1, under _Subscription01 / context1', () => {
    const dev = booted();
    pdcLoad(
      dev,
      'ds',
      sw(0x05010501, [
        nv(71, C, '02'),
        nv(72, C | S, '01' + '03'),
        nv(73, C | S, '07' + '04'),
        efs('/nv/item_files/modem/x', C | S, '03' + '05'),
        efs('/data/profile1', C | S, '03' + '06', 5),
        nv(74, C | S, '1f' + '00'),
      ]),
    );
    const a = activateConfig(dev, 'ds', 1);
    expect(a.applied.map((x) => [x.target, x.action])).toEqual([
      ['/nvm/context1/71', 'skipped-subs'],
      ['/nvm/context1/72', 'skipped-subs'],
      ['/nvm/context1/73', 'written'],
      ['/nv/item_files/modem/x_Subscription01', 'written'],
      ['/data/profile1', 'written'],
      ['/nvm/context1/74', 'bad-item'],
    ]);
    expect(readModem(dev).nv['73@1']).toBe('04');
  });

  it('muxed items are kept per carrier index and re-pointed by M-only items', () => {
    const dev = booted();
    pdcLoad(
      dev,
      'm1',
      sw(0x05010501, [nv(80, C | M | S, '07' + 'aa')], undefined, {
        carrierIndex: 3,
        trailer: { configVersion: 0x05010501 },
      }),
    );
    pdcLoad(
      dev,
      'm2',
      sw(0x05010502, [nv(80, M | S, '07')], undefined, { carrierIndex: 3, trailer: { configVersion: 0x05010502 } }),
    );
    expect(activateConfig(dev, 'm1').applied[0]?.action).toBe('muxed');
    writeNvItem(dev, 80, hexToBytes('00'));
    expect(activateConfig(dev, 'm2').applied[0]?.action).toBe('muxed');
    expect(readModem(dev).nv['80']).toBe('aa');
  });
});

describe('scenario: MCFG header vs trailer version mismatch', () => {
  const v1 = sw(0x05010501, [efs('/nv/item_files/ims/IMS_enable', C | S, '07' + '00')]);
  it('damage: trailer bumped, header not → the modem sees the same version and never applies the new item', () => {
    const dev = booted();
    pdcLoad(dev, 'v1', v1);
    activateConfig(dev, 'v1');
    const v2 = sw(0x05010501, [efs('/nv/item_files/ims/IMS_enable', C | S, '07' + '01')], {
      configVersion: 0x05010502,
    });
    expect(pdcLoad(dev, 'v2', v2).outcome).toBe('LOADED');
    expect(activateConfig(dev, 'v2').outcome).toBe('NOOP_SAME_VERSION');
    expect(readModem(dev).efs.find((e) => e.path === '/nv/item_files/ims/IMS_enable')?.sha256).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', // sha256 of 00
    );
  });
  it('protection: header = trailer = bumped version → applied', () => {
    const dev = booted();
    pdcLoad(dev, 'v1', v1);
    activateConfig(dev, 'v1');
    pdcLoad(dev, 'v2', sw(0x05010502, [efs('/nv/item_files/ims/IMS_enable', C | S, '07' + '01')]));
    expect(activateConfig(dev, 'v2').outcome).toBe('APPLIED');
    expect(readModem(dev).efs.find((e) => e.path === '/nv/item_files/ims/IMS_enable')?.sha256).toBe(
      '4bf5122f344554c53bde2ebb8cd2b7e3d1600ad631c385a5d7cce23c7785459a', // sha256 of 01
    );
  });
});

describe('autoselect by UIM (§6.4) and refresh on SIM change', () => {
  function carriers(dev: QcomDevice): void {
    pdcLoad(
      dev,
      'generic',
      sw(0x05010801, [nv(71, C | S, '07' + '08')], {
        configVersion: 0x05010801,
        name: 'ROW_Generic',
        iins: { wildcard: true, values: [] },
      }),
    );
    pdcLoad(
      dev,
      'tmo',
      sw(0x0501050d, [nv(71, C | S, '07' + '05')], {
        configVersion: 0x0501050d,
        name: 'Commercial-TMO',
        iins: { wildcard: false, values: [8901260] },
        plmns: { wildcard: false, list: [{ mcc: 310, mnc: 260 }] },
      }),
    );
    pdcLoad(
      dev,
      'tmo-old',
      sw(0x05010502, [], { configVersion: 0x05010502, name: 'TMO-old', iins: { wildcard: false, values: [890126] } }),
    );
    pdcLoad(
      dev,
      'att',
      sw(0x05010301, [nv(71, C | S, '07' + '03')], {
        configVersion: 0x05010301,
        name: 'ATT',
        plmns: { wildcard: false, list: [{ mcc: 310, mnc: 410 }] },
        iinPrefixes: ['89014'],
      }),
    );
  }
  it('direct ICCID beats wildcard; higher CC.DD wins within a class; IIN prefixes (TLV 10); PLMN; wildcard', () => {
    const dev = booted(0x81);
    carriers(dev);
    expect(selectMcfg(dev, { iccid: '8901260123456789012' })).toMatchObject({
      selected: 'tmo',
      outcome: 'SELECTED_BY_IIN',
      name: 'Commercial-TMO',
    });
    expect(selectMcfg(dev, { iccid: '8901410123456789012' })).toMatchObject({
      selected: 'att',
      outcome: 'SELECTED_BY_IIN',
    });
    expect(selectMcfg(dev, { iccid: '8944000000000000000', plmn: '310-410' })).toMatchObject({
      selected: 'att',
      outcome: 'SELECTED_BY_PLMN',
    });
    expect(selectMcfg(dev, { iccid: '8944000000000000000' })).toMatchObject({
      selected: 'generic',
      outcome: 'SELECTED_WILDCARD',
    });
  });
  it('no match lists every loaded config with the reason it was not chosen (issue 14.14)', () => {
    const dev = booted(0x81);
    pdcLoad(
      dev,
      'tmo',
      sw(0x0501050d, [], {
        configVersion: 0x0501050d,
        iins: { wildcard: false, values: [8901260] },
        plmns: { wildcard: false, list: [{ mcc: 310, mnc: 260 }] },
      }),
    );
    const r = selectMcfg(dev, { iccid: '8944000000000000000', plmn: '234-15' });
    expect(r.selected).toBeNull();
    expect(r.rejected).toEqual([
      {
        id: 'tmo',
        reason:
          'no IIN match (IINs 8901260 vs ICCID 8944000000000000000), no PLMN match (PLMNs 310-260 vs 234-15), no wildcard',
      },
    ]);
  });
  it('autoselect off (absent, build default 0x80) → no match', () => {
    const dev = booted();
    carriers(dev);
    expect(selectMcfg(dev, { iccid: '8901260123456789012' })).toMatchObject({
      selected: null,
      outcome: 'NO_MATCH',
      autoselect: 0x80,
    });
  });
  it('SIM swap refreshes to the new carrier; re-inserting the same SIM does nothing', () => {
    const dev = booted(0x81);
    carriers(dev);
    const first = insertSim(dev, 0, { iccid: '8901260123456789012' });
    expect(first).toMatchObject({ switchedBy: 'refresh', activation: { id: 'tmo', outcome: 'APPLIED' } });
    expect(readModem(dev).nv['71']).toBe('05');
    expect(insertSim(dev, 0, { iccid: '8901260123456789012' }).activation).toBeUndefined();
    const swap = insertSim(dev, 0, { iccid: '8901410123456789012' });
    expect(swap.activation?.id).toBe('att');
    expect(readModem(dev).nv['71']).toBe('03');
    expect(dev.state.pdc.active.sw['0']).toBe('att');
  });
  it('rejects malformed ICCIDs and PLMNs with NvError', () => {
    const dev = booted(0x81);
    expect(() => selectMcfg(dev, { iccid: '89x' })).toThrow(NvError);
    expect(() => selectMcfg(dev, { iccid: '8901260123456789012', plmn: '31-1' })).toThrow(/MCC-MNC/);
  });
  it('slot 1: a SIM change refreshes subscription 1 only, with multi-SIM items and per-slot types 3/4', () => {
    const dev = booted(0x81);
    carriers(dev);
    pdcLoad(
      dev,
      'ds-tmo',
      sw(
        0x0501050e,
        [nv(71, C | S, '03' + '0e', 3), efs('/nv/item_files/ims/IMS_enable', C | S, '02' + '01', 4), nv(72, C, '09')],
        { configVersion: 0x0501050e, name: 'TMO-DS', iins: { wildcard: false, values: [8901260] } },
      ),
    );
    insertSim(dev, 0, { iccid: '8901410123456789012' });
    const r = insertSim(dev, 1, { iccid: '8901260123456789012' });
    expect(r.selection).toMatchObject({ slot: 1, selected: 'ds-tmo' });
    expect(r.activation?.subscription).toBe(1);
    expect(r.activation?.applied.map((a) => [a.target, a.action])).toEqual([
      ['/nvm/context1/71', 'written'],
      ['/nv/item_files/ims/IMS_enable_Subscription01', 'written'],
      ['/nvm/context1/72', 'skipped-subs'],
    ]);
    expect(dev.state.pdc.active.sw).toEqual({ '0': 'att', '1': 'ds-tmo' });
    const m = readModem(dev);
    expect(m.nv['71']).toBe('03');
    expect(m.nv['71@1']).toBe('0e');
  });
});

describe('boot-time MCFG pass (HW then SW per subscription)', () => {
  it('is a no-op while the stored versions are in EFS, and re-applies the items after an EFS loss', () => {
    const dev = booted();
    const hw = { ...sw(0x05010001, [nv(73, C, '11')]), configType: 0 };
    pdcLoad(dev, 'hw', hw);
    pdcLoad(dev, 'sw', sw(0x05010501, [nv(71, C | S, '07' + '05')]));
    activateConfig(dev, 'hw');
    activateConfig(dev, 'sw', 0);
    bootQcom(dev);
    expect(applyActiveConfigs(dev).map((a) => [a.id, a.outcome])).toEqual([
      ['hw', 'NOOP_SAME_VERSION'],
      ['sw', 'NOOP_SAME_VERSION'],
    ]);
    erasePartition(dev, 'modemst1');
    erasePartition(dev, 'modemst2');
    const r = bootQcom(dev); // golden copy again: the MCFG-written items and stored versions are gone
    expect(r.nv['71']).toBeUndefined();
    expect(applyActiveConfigs(dev).map((a) => [a.id, a.outcome])).toEqual([
      ['hw', 'APPLIED'],
      ['sw', 'APPLIED'],
    ]);
    expect(readModem(dev).nv).toMatchObject({ '71': '05', '73': '11' });
  });
});
