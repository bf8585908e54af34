import type { Command } from '@commander-js/extra-typings';
import type { CliContext } from '../context.ts';

/**
 * A command group registers its commands here. Registration must stay cheap: it only declares names,
 * options and help; each action imports its implementation with `await import()` when it runs, so
 * `nv --help` and every other command start without loading unrelated format code.
 */
export type CommandRegistrar = (program: Command, context: () => CliContext) => void;

/** Adds the worked example that every command's help must show (cli.md). */
export function withExample<T extends { addHelpText(position: 'after', text: string): unknown }>(
  command: T,
  ...examples: string[]
): T {
  command.addHelpText(
    'after',
    `\nExample${examples.length > 1 ? 's' : ''}:\n${examples.map((e) => `  $ ${e}`).join('\n')}\n`,
  );
  return command;
}

/**
 * The sub-command `name` of `parent`, created on first use. Groups such as `nv qcom` and `nv mtk` are shared
 * by several packages' registrars; a group appears in help only once something registers under it.
 */
export function commandGroup(parent: Command, name: string, description: string, example: string): Command {
  const existing = parent.commands.find((c) => c.name() === name);
  if (existing) return existing as unknown as Command;
  return withExample(parent.command(name).description(description), example) as unknown as Command;
}
