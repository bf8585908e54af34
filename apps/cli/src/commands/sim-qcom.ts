import type { CommandRegistrar } from './registry.ts';

/** `nv sim qcom …` commands. None is implemented yet, so none is declared (help lists only working commands). */
export const registerSimQcom: CommandRegistrar = () => {};
