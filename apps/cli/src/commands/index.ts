import type { CommandRegistrar } from './registry.ts';
import { registerErrors } from './errors.ts';

/**
 * Every command group, in help order. A package's commands join the CLI by adding their registrar here;
 * only implemented commands are listed.
 */
export const REGISTRARS: readonly CommandRegistrar[] = [registerErrors];
