import type { UserConfig } from 'tsdown';
import { libraryConfig } from '../../tsdown.base.ts';

// commander is inlined (a devDependency); @nv/* and picocolors stay external runtime dependencies.
const config: UserConfig = libraryConfig(
  { cli: 'src/bin.ts', index: 'src/index.ts' },
  { platform: 'node', noExternal: ['commander', '@commander-js/extra-typings'] },
);
// tsdown loads its config through a default export.
export default config;
