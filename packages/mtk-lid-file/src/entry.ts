/**
 * From an `@nv/mtk-nvram-ltable` entry to what the codec needs: the effective attributes (boot-time rewrites) and
 * the on-disk generation.
 * @module
 */
import { effectiveEntry, type LtableEntry, type LtableGeneration, type LtablePlatform } from '@nv/mtk-nvram-ltable';
import type { LidEntryWithDefault } from './defaults.ts';
import type { LidGeneration } from './lid-file.ts';

/**
 * On-disk generation of a table generation: `moly-b` → B, `moly-a` (and `maui`, headerless) → A.
 * @example lidGenerationOf('moly-b') // 'B'
 */
export function lidGenerationOf(generation: LtableGeneration): LidGeneration {
  return generation === 'moly-b' ? 'B' : 'A';
}

/**
 * The entry as the modem stores it: attributes after the boot-time rewrites (e.g. MULTIPLE dropped on eMMC for
 * moly-a), the static `attr` kept for the gen-B header (decision: docs/formats/lid-files.md#open-questions is open; devices show static bits).
 * @example effectiveLidEntry(entry, 'moly-a').attributes
 */
export function effectiveLidEntry(
  entry: LtableEntry,
  generation: LtableGeneration,
  platform: LtablePlatform = {},
): LtableEntry & LidEntryWithDefault {
  const eff = effectiveEntry(entry, generation, platform);
  return { ...entry, attributes: eff.attributes, categories: eff.categories };
}
