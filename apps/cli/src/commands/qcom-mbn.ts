import type { CommandRegistrar } from './registry.ts';

/** Commands of `@nv/qcom-mbn`. None is implemented yet, so none is declared (help lists only working commands). */
export const registerQcomMbn: CommandRegistrar = () => {};
