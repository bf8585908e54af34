import type { UserConfig } from 'tsdown';
import { libraryConfig } from '../../tsdown.base.ts';

const config: UserConfig = libraryConfig({
  index: 'src/index.ts',
  read: 'src/read.ts',
  node: 'src/node.ts',
  'node-worker': 'src/node-worker.ts',
  errors: 'src/errors.ts',
});
// tsdown loads its config through a default export.
export default config;
