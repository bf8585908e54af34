import type { CommandRegistrar } from './registry.ts';
import { registerCompletion } from './completion.ts';
import { registerDemo } from './demo.ts';
import { registerErrors } from './errors.ts';
import { registerQcomEfs } from './qcom-efs.ts';
import { registerQcomFsg } from './qcom-fsg.ts';
import { registerQcomMbn } from './qcom-mbn.ts';
import { registerMtkLtable } from './mtk-ltable.ts';
import { registerMtkLid } from './mtk-lid.ts';
import { registerMtkImages } from './mtk-images.ts';
import { registerSimMtk } from './sim-mtk.ts';
import { registerSimQcom } from './sim-qcom.ts';
import { registerQcomDiag, registerSimQcomDiag } from './qcom-diag.ts';

/**
 * Every command group, in help order; each file belongs to one package's commands. A registrar that
 * declares nothing adds nothing to help (only implemented commands appear).
 */
export const REGISTRARS: readonly CommandRegistrar[] = [
  registerDemo,
  registerQcomEfs,
  registerQcomFsg,
  registerQcomMbn,
  registerQcomDiag,
  registerMtkLtable,
  registerMtkLid,
  registerMtkImages,
  registerSimQcom,
  registerSimQcomDiag,
  registerSimMtk,
  registerErrors,
  registerCompletion,
];
