import type { UserConfig } from 'tsdown';
import { libraryConfig } from '../../tsdown.base.ts';

const config: UserConfig = libraryConfig({
  index: 'src/index.ts',
  bytes: 'src/bytes.ts',
  numbers: 'src/numbers.ts',
  hash: 'src/hash.ts',
  node: 'src/node.ts',
  errors: 'src/errors.ts',
});
// tsdown loads its config through a default export.
export default config;
