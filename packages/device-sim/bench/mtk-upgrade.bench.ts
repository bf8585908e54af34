import { bench, describe } from 'vitest';
import { createHash } from 'node:crypto';
import { createLtableEntry } from '@nv/mtk-nvram-ltable/sample';
import { planUpgrade, type Ltable, type LtableEntry } from '@nv/mtk-nvram-ltable';
import { createMtkDevice, upgradeMtkDevice, mtkDeviceToFiles, cloneMtkDevice } from '../src/mtk.ts';
import { printRatio } from '../../../scripts/bench-ratio.ts';

// A realistic modem table: 600 LIDs (USER mostly, some CALIBRAT/IMPORTANT/L4), records of 16…2048 bytes (~1.3 MiB of LID files).
function table(bump: boolean): Ltable {
  const kinds = [['USER'], ['USER'], ['USER'], ['CALIBRAT'], ['IMPORTANT'], ['IMPORTANT_L4'], ['CUSTOM_SENSITIVE']];
  const entries: LtableEntry[] = [];
  for (let i = 0; i < 600; i++) {
    const categories = kinds[i % kinds.length]!;
    entries.push(
      createLtableEntry(
        {
          name: `NVRAM_EF_B${i}_LID`,
          lid: 0xf100 | (i & 0xff),
          size: 16 << (i % 8),
          records: 1 + (i % 5),
          categories,
          attributes: i % 11 === 0 ? ['MULTIPLE'] : [],
          prefix: `B${i.toString(36).padStart(3, '0')}`,
          verno: bump && categories[0] === 'USER' && i % 3 === 0 ? '001' : '000',
          default: { kind: i % 2 ? 'zero' : 'ff' },
        },
        'moly-b',
      ),
    );
  }
  return { generation: 'moly-b', enumSet: 'moly-b', entries };
}
const oldT = table(false);
const newT = table(true);
const base = createMtkDevice(oldT, { seed: 1 });
const bytes = mtkDeviceToFiles(base)
  .slice(1)
  .reduce((n, f) => n + f.bytes.length, 0);
const size = `${oldT.entries.length} LIDs, ${(bytes / 1048576).toFixed(1)} MiB`;

const upgrade = (): void => {
  upgradeMtkDevice(cloneMtkDevice(base), newT, 'download-only');
};
const encodeState = (): void => {
  mtkDeviceToFiles(base);
};
// Reference: node:crypto MD5 over every record (the chk8 work a gen-B writer cannot avoid) — a floor for encoding.
const records = Object.values(base.partitions.nvdata).flatMap((f) =>
  Array.from({ length: f.records }, (_, i) => f.data.subarray(i * f.recordSize, (i + 1) * f.recordSize)),
);
const md5All = (): void => {
  for (const r of records) createHash('md5').update(r).digest();
};

describe(`simulated MediaTek device, ${size}`, () => {
  bench('upgrade (download-only) + boot', upgrade);
  bench('planner (reference: same tables, no device)', () => {
    planUpgrade(oldT, newT, 'download-only');
  });
  bench('state folder encode (gen-B LID files)', encodeState);
  bench('node:crypto MD5 of every record (reference floor)', md5All);
});

await printRatio('mtk state encode vs node:crypto md5', size, encodeState, md5All);
await printRatio('mtk upgrade+boot vs planner', size, upgrade, () => planUpgrade(oldT, newT, 'download-only'));
