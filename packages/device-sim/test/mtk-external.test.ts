// Differential: the simulator's nvram_external_read_data (its own docs/formats/lid-files.md#read-errors model over its partitions) against
// externalRead of @nv/mtk-lid-file over the same bytes (the LID files the simulator stores).
import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { NvError } from '@nv/core';
import { bytesToHex, hexToBytes } from '@nv/core/bytes';
import { createLtableEntry } from '@nv/mtk-nvram-ltable/sample';
import type { Ltable } from '@nv/mtk-nvram-ltable';
import { decodeLidFile, lidKeyFromBytes } from '@nv/mtk-lid-file';
import { externalRead } from '@nv/mtk-lid-file/modem';
import { FUZZ_RUNS } from '../../../scripts/test-tools.ts';
import { createMtkDevice, readMtkRecord, MTK_SIM_KEY } from '../src/mtk.ts';
import { corruptMtkLid, mtkLidLocations } from '../src/mtk-device.ts';
import { mtkStoredLidBytes } from '../src/mtk-state.ts';

const CATS = [['USER'], ['CALIBRAT'], ['IMPORTANT'], ['IMPORTANT_L4'], ['CUSTOM_SENSITIVE']];

describe('external read: simulator vs @nv/mtk-lid-file externalRead on the same LID files', () => {
  it('agree on result, assert and the repaired/restored/reset file (fast-check)', () => {
    fc.assert(
      fc.property(
        fc.record({
          gen: fc.constantFrom('moly-a' as const, 'moly-b' as const),
          cats: fc.constantFrom(...CATS),
          multiple: fc.boolean(),
          confidential: fc.boolean(),
          faultAssert: fc.boolean(),
          size: fc.integer({ min: 1, max: 40 }),
          records: fc.integer({ min: 1, max: 3 }),
          damage: fc.constantFrom('none', 'first', 'all'),
          damagedRecord: fc.integer({ min: 1, max: 3 }),
          readRecord: fc.integer({ min: 1, max: 3 }),
          bin: fc.boolean(),
          seed: fc.integer({ min: 1, max: 1000 }),
        }),
        (c) => {
          const attributes = [
            ...(c.multiple ? ['MULTIPLE'] : []),
            ...(c.confidential ? ['CONFIDENTIAL'] : []),
            ...(c.faultAssert && c.gen === 'moly-b' ? ['FAULT_ASSERT'] : []),
          ];
          const entry = createLtableEntry(
            {
              name: 'NVRAM_EF_X_LID',
              lid: 0xf101,
              size: c.size,
              records: c.records,
              categories: c.cats,
              attributes,
              prefix: 'XX01',
              verno: '003',
              default: { kind: 'ff' },
            },
            c.gen,
          );
          const table: Ltable = { generation: c.gen, enumSet: c.gen, entries: [entry] };
          // NAND keeps A/B copies on moly-a, so both models see the same file names (docs/formats/lid-table.md#effective-attributes).
          const device = createMtkDevice(table, { seed: c.seed, platform: { storage: 'nand' } });
          if (!c.bin) device.binRegion = null;
          const damaged = Math.min(c.damagedRecord, c.records);
          const index = Math.min(c.readRecord, c.records);
          if (c.damage !== 'none')
            corruptMtkLid(device, entry.name, { record: damaged, copies: c.damage === 'first' ? 'first' : 'all' });
          const locs = mtkLidLocations(device, entry);
          const eff = createLtableEntry(
            {
              name: entry.name,
              lid: 0xf101,
              size: c.size,
              records: c.records,
              categories: c.cats,
              prefix: 'XX01',
              verno: '003',
              default: { kind: 'ff' },
              attributes: [
                ...(locs.length === 2 ? ['MULTIPLE'] : []),
                ...(c.confidential || (c.cats[0] === 'CUSTOM_SENSITIVE' && c.gen === 'moly-a') ? ['CONFIDENTIAL'] : []),
                ...(c.faultAssert && c.gen === 'moly-b' ? ['FAULT_ASSERT'] : []),
              ],
            },
            c.gen,
          );
          const store = new Map(
            locs.map((l) => [l.file, mtkStoredLidBytes(device, device.partitions[l.partition][l.path]!)]),
          );
          const gen = c.gen === 'moly-b' ? 'B' : 'A';
          const options = {
            generation: gen,
            key: lidKeyFromBytes(hexToBytes(MTK_SIM_KEY), gen),
            bindToChip: false,
            restoreFromBinRegion: (name: string) => {
              const f = device.binRegion?.[`${locs[0]!.folder}/${name}`];
              return f === undefined ? undefined : mtkStoredLidBytes(device, f);
            },
          } as const;
          const theirs = externalRead(store, eff, index, c.size, options);
          let ours: { ok: boolean; asserted: boolean; hex?: string };
          try {
            ours = { ok: true, asserted: false, hex: bytesToHex(readMtkRecord(device, entry.name, index)) };
          } catch (e) {
            if (!NvError.isInstance(e)) throw e;
            ours = { ok: false, asserted: e.code === 'NV_SIM_MTK_ASSERTED' };
            expect(['NV_SIM_MTK_ASSERTED', 'NV_SIM_MTK_READ_FAILED']).toContain(e.code);
          }
          expect(ours.ok).toBe(theirs.ok);
          expect(ours.asserted).toBe(theirs.asserted === true);
          if (ours.ok) expect(ours.hex).toBe(bytesToHex(theirs.bytes!));
          // The files both models leave behind hold the same records.
          for (const l of locs) {
            const mine = device.partitions[l.partition][l.path]!;
            const d = decodeLidFile(store.get(l.file)!, eff, { ...options, path: l.file });
            expect(d.badRecords).toEqual([...mine.bad].sort((a, b) => a - b));
            for (const r of d.records)
              if (r.checksumOk)
                expect(bytesToHex(r.bytes)).toBe(
                  bytesToHex(mine.data.subarray((r.index - 1) * c.size, r.index * c.size)),
                );
          }
        },
      ),
      { numRuns: FUZZ_RUNS },
    );
  });
});
