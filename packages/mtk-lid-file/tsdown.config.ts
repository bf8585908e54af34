import type { UserConfig } from 'tsdown';
import { libraryConfig } from '../../tsdown.base.ts';

const config: UserConfig = libraryConfig({
  index: 'src/index.ts',
  node: 'src/node.ts',
  modem: 'src/modem.ts',
  errors: 'src/errors.ts',
});
// tsdown loads its config through a default export.
export default config;
