import type { CommandRegistrar } from './registry.ts';

/** `nv sim mtk …` commands. None is implemented yet, so none is declared (help lists only working commands). */
export const registerSimMtk: CommandRegistrar = () => {};
