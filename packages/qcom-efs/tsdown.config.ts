import type { UserConfig } from 'tsdown';
import { libraryConfig } from '../../tsdown.base.ts';

const config: UserConfig = libraryConfig({
  index: 'src/index.ts',
  binary: 'src/binary.ts',
  node: 'src/node.ts',
  errors: 'src/errors.ts',
  model: 'src/model.ts',
});
// tsdown loads its config through a default export.
export default config;
