import { NvError } from '@nv/core';
import { parseInteger, type ParseNumberOptions } from '@nv/core/numbers';
import { UsageFailure } from './context.ts';

/**
 * An option/argument parser for integers given as decimal or `0x` hex. A bad value is a usage error
 * (exit 2) that keeps its `NV_BAD_NUMBER`/`NV_RANGE` code for `--json`.
 */
export function integerArg(
  what: string,
  range: Pick<ParseNumberOptions, 'min' | 'max'> = {},
): (value: string) => number {
  return (value) => {
    try {
      return parseInteger(value, { what, ...range });
    } catch (error) {
      if (NvError.isInstance(error)) throw new UsageFailure(error);
      throw error;
    }
  };
}

/** Throws a usage failure (exit 2) with `NV_USAGE`. */
export function usage(message: string): never {
  throw new UsageFailure(new NvError('NV_USAGE', message));
}
