import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type ViteUserConfig } from 'vitest/config';

const rootDir = fileURLToPath(new URL('.', import.meta.url));

// One inline project per folder: glob projects lose the root `@nv/source` condition (stack.md §4).
function projectsIn(parent: 'packages' | 'apps'): NonNullable<NonNullable<ViteUserConfig['test']>['projects']> {
  return readdirSync(new URL(`./${parent}/`, import.meta.url), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(`${rootDir}${parent}/${d.name}/package.json`))
    .map((d) => ({
      extends: true,
      test: {
        name: d.name,
        root: `${rootDir}${parent}/${d.name}`,
        include: ['test/**/*.test.ts'],
        benchmark: { include: ['bench/**/*.bench.ts'] },
      },
    }));
}

const config: ViteUserConfig = defineConfig({
  resolve: { conditions: ['@nv/source', 'module', 'node', 'import', 'default'] },
  ssr: { resolve: { conditions: ['@nv/source', 'module', 'node', 'import', 'default'] } },
  test: {
    reporters: ['default', './scripts/vitest-closing-line.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    passWithNoTests: false,
    projects: [
      ...projectsIn('packages'),
      ...projectsIn('apps'),
      {
        extends: true,
        test: { name: 'repo', root: `${rootDir}scripts`, include: ['**/*.test.ts'] },
      },
    ],
  },
});

// vitest loads its config through a default export.
export default config;
