import type { UserConfig } from 'tsdown';
import { libraryConfig } from '../../tsdown.base.ts';

const config: UserConfig = libraryConfig({
  index: 'src/index.ts',
  qcom: 'src/qcom.ts',
  mtk: 'src/mtk.ts',
  node: 'src/node.ts',
  'qcom-node': 'src/qcom-node.ts',
  'mtk-node': 'src/mtk-node.ts',
  errors: 'src/errors.ts',
});
// tsdown loads its config through a default export.
export default config;
