import { describe, it, expect } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NvError } from '@nv/core';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import { sha256Hex } from '@nv/core/hash';
import { bootQcom, createQcomDevice, flashPartition, pdcLoad, writeNvItem, QCOM_SIM_ERROR_CODES } from '../src/qcom.ts';
import { activateConfig } from '../src/qcom-mcfg.ts';
import { deserializeQcomState, serializeQcomState } from '../src/qcom-state.ts';
import { readPartition } from '../src/qcom-partition.ts';
import { hasQcomDevice, loadQcomDevice, saveQcomDevice } from '../src/node-qcom.ts';
import { HW_ID, OWN_ROOT, PRELOAD, fakeFormats, fakeImg, fakeMbn } from './qcom-fixtures.ts';

const make = (seed: string) => {
  const dev = createQcomDevice({
    trust: { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n },
    formats: fakeFormats,
    partitionSize: 64 * 1024,
    seed,
  });
  flashPartition(dev, 'fsg', fakeImg(fakeMbn(PRELOAD, { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n })));
  return dev;
};

describe('determinism and state folders', () => {
  it('the same seed and steps give byte-identical partitions; another seed another key', () => {
    const a = make('s1');
    const b = make('s1');
    const c = make('s2');
    for (const d of [a, b, c]) {
      bootQcom(d, { online: true });
      writeNvItem(d, 6828, hexToBytes('01'));
    }
    expect(sha256Hex(readPartition(a.state.partitions.modemst1))).toBe(
      sha256Hex(readPartition(b.state.partitions.modemst1)),
    );
    expect(sha256Hex(readPartition(a.state.partitions.modemst1))).not.toBe(
      sha256Hex(readPartition(c.state.partitions.modemst1)),
    );
  });

  it('saves to a folder and loads back: the next boot uses modemst with the same NVs and MCFG store', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'nv-sim-qcom-'));
    try {
      const dev = make('persist');
      const first = bootQcom(dev);
      writeNvItem(dev, 24998, hexToBytes('aabb'));
      pdcLoad(dev, 'x', {
        magicOk: true,
        format: 3,
        configType: 1,
        version: 0x05010501,
        versionRecordOk: true,
        carrierIndex: 0,
        hashOk: true,
        trailer: { configVersion: 0x05010501 },
        items: [{ type: 1, attrib: 0x19, nvId: 71, data: hexToBytes('0701') }],
      });
      expect(await hasQcomDevice(dir)).toBe(false);
      await saveQcomDevice(dev, dir);
      expect(await hasQcomDevice(dir)).toBe(true);
      const back = await loadQcomDevice(dir, fakeFormats);
      expect(bytesToHex(readPartition(back.state.partitions.fsg))).toBe(
        bytesToHex(readPartition(dev.state.partitions.fsg)),
      );
      const r = bootQcom(back);
      expect(r.source).toMatch(/^modemst/);
      expect(r.nv).toEqual({ ...first.nv, '24998': 'aabb' });
      expect(back.state.pdc.configs.map((c) => c.id)).toEqual(['x']);
      await writeFile(join(dir, 'device.json'), '{"version":2}');
      await expect(loadQcomDevice(dir, fakeFormats)).rejects.toMatchObject({ code: 'NV_SIM_QCOM_STATE' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('flashing an image larger than the partition is an NvError', () => {
    const dev = make('big');
    expect(() => flashPartition(dev, 'fsg', new Uint8Array(64 * 1024 + 1))).toThrow(NvError);
  });

  it('error table: every code has the NV_SIM_QCOM_/NV_SIM_MCFG_ prefix', () => {
    for (const code of Object.keys(QCOM_SIM_ERROR_CODES)) expect(code).toMatch(/^NV_SIM_(QCOM|MCFG)_[A-Z0-9_]+$/);
  });

  it('a scenario (preload, online boot, MCFG) runs well under 100 ms at 1.5 MiB partitions', () => {
    // Not a timing assertion: it checks that default-size partitions work end to end.
    const dev = createQcomDevice({ trust: { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n }, formats: fakeFormats });
    flashPartition(dev, 'fsg', fakeImg(fakeMbn(PRELOAD, { rootHash: OWN_ROOT, hwId: HW_ID, swId: 0n })));
    expect(dev.state.partitions.modemst1.size).toBe(0x180000);
    expect(bootQcom(dev, { online: true }).verified).toBe(true);
  });
});

describe('hostile state documents (hardening pass)', () => {
  it('regression: malformed fuses, build ids or nvInfo are NV_SIM_QCOM_STATE at load, not a TypeError at boot (fast-check JSON mutation)', () => {
    // Found by replacing one JSON value of a saved state: fuses.blown = [...] → BigInt(undefined); nvInfo = 8e-323 → property write on a number.
    const dev = make('hostile');
    bootQcom(dev);
    const { json, partitions } = serializeQcomState(dev);
    const edit = (
      f: (d: { fuses: Record<string, unknown>; build: Record<string, unknown>; nvInfo?: unknown }) => void,
    ): string => {
      const d = JSON.parse(json) as {
        fuses: Record<string, unknown>;
        build: Record<string, unknown>;
        nvInfo?: unknown;
      };
      f(d);
      return JSON.stringify(d);
    };
    const bad = [
      edit((d) => (d.fuses['blown'] = ['', 3, '}'])),
      edit((d) => (d.fuses = { blown: true, rootHash: OWN_ROOT })),
      edit((d) => (d.nvInfo = 8e-323)),
      edit((d) => (d.build['swId'] = 'zz')),
      edit((d) => (d.build['hwId'] = 7)),
    ];
    for (const text of bad) {
      let err: unknown;
      try {
        const again = deserializeQcomState(text, partitions, fakeFormats);
        bootQcom(again);
        bootQcom(again, { online: true });
      } catch (e) {
        err = e;
      }
      expect(NvError.isInstance(err) && err.code).toBe('NV_SIM_QCOM_STATE');
    }
    expect(() => bootQcom(deserializeQcomState(json, partitions, fakeFormats))).not.toThrow();
  });

  it('regression: malformed pdc configs, pdc.active or build numbers are NV_SIM_QCOM_STATE at load, not a TypeError at activation (fast-check JSON mutation)', () => {
    // Found by the same mutation fuzz with activateConfig after the boot: items = {…} → items.map is not a function;
    // items[0] = null; trailer = null; pdc.active = null; build.mcfgFamily = null.
    const dev = make('hostile-pdc');
    bootQcom(dev);
    pdcLoad(dev, 'x', {
      magicOk: true,
      format: 3,
      configType: 1,
      version: 0x05010501,
      versionRecordOk: true,
      carrierIndex: 0,
      hashOk: true,
      trailer: { configVersion: 0x05010501 },
      items: [{ type: 1, attrib: 0x19, nvId: 71, data: hexToBytes('0701') }],
    });
    const { json, partitions } = serializeQcomState(dev);
    type Doc = {
      build: Record<string, unknown>;
      pdc: { active: unknown; configs: { config: Record<string, unknown> }[] };
    };
    const edit = (f: (d: Doc) => void): string => {
      const d = JSON.parse(json) as Doc;
      f(d);
      return JSON.stringify(d);
    };
    const bad = [
      edit((d) => (d.pdc.configs[0]!.config['items'] = { a: 1 })),
      edit((d) => (d.pdc.configs[0]!.config['items'] = [null])),
      edit((d) => (d.pdc.configs[0]!.config['items'] = [{ type: 1, attrib: 25, nvId: 71, data: 'xyz' }])),
      edit((d) => (d.pdc.configs[0]!.config['trailer'] = null)),
      edit((d) => (d.pdc.configs[0]!.config['trailer'] = { configVersion: 1, plmns: { wildcard: false, list: [7] } })),
      edit((d) => (d.pdc.active = null)),
      edit((d) => (d.build['mcfgFamily'] = null)),
    ];
    for (const text of bad)
      expect(() => deserializeQcomState(text, partitions, fakeFormats)).toThrow(
        expect.objectContaining({ code: 'NV_SIM_QCOM_STATE' }),
      );
    const again = deserializeQcomState(json, partitions, fakeFormats);
    bootQcom(again);
    expect(activateConfig(again, 'x', 0).outcome).toBe(activateConfig(dev, 'x', 0).outcome);
  });
});
