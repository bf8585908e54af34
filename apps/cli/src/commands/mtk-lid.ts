import type { CommandRegistrar } from './registry.ts';

/** Commands of `@nv/mtk-lid-file`. None is implemented yet, so none is declared (help lists only working commands). */
export const registerMtkLid: CommandRegistrar = () => {};
