import type { CommandRegistrar } from './registry.ts';

/** Commands of `@nv/device-sim`. None is implemented yet, so none is declared (help lists only working commands). */
export const registerSim: CommandRegistrar = () => {};
