import { defineConfig, type UserConfig } from 'tsdown';

/** Shared tsdown settings: ESM `.mjs` + `.d.mts`, Node 20 target, dependencies stay external. */
export function libraryConfig(entry: Record<string, string>, overrides: UserConfig = {}): UserConfig {
  return defineConfig({
    entry,
    format: 'esm',
    platform: 'neutral',
    target: 'node20',
    dts: true,
    sourcemap: true,
    clean: true,
    fixedExtension: true,
    ...overrides,
  }) as UserConfig;
}
