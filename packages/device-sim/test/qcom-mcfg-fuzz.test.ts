import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { buildMbn, encodeTrailer, parseMcfgXml } from '@nv/qcom-mbn';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { bootQcom, createQcomDevice, mcfgConfigFromMbn, pdcLoad, readModem } from '../src/qcom.ts';
import { activateConfig } from '../src/qcom-mcfg.ts';
import { type QcomMcfgItem } from '../src/qcom-mcfg-config.ts';

const OUTCOMES = [
  'APPLIED',
  'NOOP_SAME_VERSION',
  'NV_SIM_MCFG_HEADER_INVALID',
  'NV_SIM_MCFG_HASH',
  'NV_SIM_MCFG_INCOMPATIBLE',
];
const ACTIONS = [
  'written',
  'skipped-write-once',
  'skipped-restore',
  'skipped-subs',
  'skipped-unchanged',
  'deleted',
  'muxed',
  'skipped-muxed',
  'bad-item',
];

const item: fc.Arbitrary<QcomMcfgItem> = fc.record({
  type: fc.constantFrom(1, 2, 3, 4, 5),
  attrib: fc.integer({ min: 0, max: 255 }),
  nvId: fc.integer({ min: 0, max: 7232 }),
  path: fc.constantFrom('/nv/item_files/a', '/nv/item_files/ims/b', '/policyman/c'),
  data: fc.uint8Array({ maxLength: 8 }),
});

describe('MCFG engine properties', () => {
  it('any config activates to a known outcome on any subscription; applying twice is a same-version no-op', () => {
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), fc.integer({ min: 0, max: 1 }), fc.boolean(), (items, sub, hw) => {
        const dev = createQcomDevice({
          trust: { rootHash: 'a'.repeat(64), hwId: 0n, swId: 0n },
          partitionSize: 64 * 1024,
        });
        bootQcom(dev);
        const load = pdcLoad(dev, 'x', {
          magicOk: true,
          format: 3,
          configType: hw ? 0 : 1,
          version: 0x05010501,
          versionRecordOk: true,
          carrierIndex: 1,
          hashOk: true,
          trailer: { configVersion: 0x05010501 },
          items,
        });
        expect(load.outcome).toBe('LOADED');
        const a = activateConfig(dev, 'x', sub);
        expect(OUTCOMES).toContain(a.outcome);
        for (const x of a.applied) expect(ACTIONS).toContain(x.action);
        if (a.outcome === 'APPLIED') {
          const before = JSON.stringify(readModem(dev));
          expect(activateConfig(dev, 'x', sub).outcome).toBe('NOOP_SAME_VERSION');
          expect(JSON.stringify(readModem(dev))).toBe(before);
        }
      }),
      { numRuns: FUZZ_RUNS },
    );
  });

  it('mutated MBN bytes: mcfgConfigFromMbn returns a config or throws NvError, and the device never throws on it', () => {
    const tlvs = [...encodeTrailer({ version: 0x0501050d, name: 'X', iins: { list: [8901] } })].join(' ');
    const good = buildMbn(
      parseMcfgXml(`<NvData><NvConfigurationData carrierIndex="0" version="0x0501050D" type="1"/>
<NvItemData id="71" mcfgAttributes="0x19" mcfgVariant="1"><Member sizeOf="2" type="uint8">7 5</Member></NvItemData>
<NvTrlRecord><Member sizeOf="${tlvs.split(' ').length}" type="uint8">${tlvs}</Member></NvTrlRecord></NvData>`),
    );
    const seg = 0x2000;
    fc.assert(
      fc.property(
        fc.integer({ min: seg, max: good.length - 1 }),
        fc.integer({ min: 1, max: 255 }),
        fc.integer({ min: seg, max: good.length }),
        (pos, x, cut) => {
          const m = good.slice(0, Math.max(cut, pos + 1));
          m[pos] = (m[pos] as number) ^ x;
          let cfg;
          try {
            cfg = mcfgConfigFromMbn(m);
          } catch (e) {
            expect(NvError.isInstance(e)).toBe(true);
            return;
          }
          const dev = createQcomDevice({
            trust: { rootHash: 'a'.repeat(64), hwId: 0n, swId: 0n },
            partitionSize: 64 * 1024,
          });
          bootQcom(dev);
          if (pdcLoad(dev, 'm', cfg).ok) expect(OUTCOMES).toContain(activateConfig(dev, 'm').outcome);
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});
