import { Command, CommanderError } from '@commander-js/extra-typings';
import { NvError } from '@nv/core';
import pkg from '../package.json' with { type: 'json' };
import { createContext, UsageFailure, type CliContext, type CliIo } from './context.ts';
import { REGISTRARS } from './commands/index.ts';

const EXIT_OK = 0;
const EXIT_DOMAIN = 1;
const EXIT_USAGE = 2;

/**
 * Runs the `nv` command line with the given arguments (without `node` and the script name).
 * Returns the exit code: 0 success, 1 domain error (bad input, failed verification), 2 usage error.
 *
 * @example
 * const code = await run(['qcom', 'qcn', 'inspect', 'a.qcn', '--json'], { stdout, stderr, env: process.env, cwd: process.cwd() });
 */
export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  // Known before parsing, so even a usage error from the parser comes out in the requested shape.
  const wantsJson = argv.includes('--json');
  const verbose = argv.includes('--verbose');
  const quiet = argv.includes('--quiet');
  let context: CliContext | undefined;
  const getContext = (): CliContext => (context ??= createContext(io, { json: wantsJson, verbose, quiet }));

  // With --json, help text never reaches stdout as text: it is collected and printed as one JSON document.
  let helpText: string | undefined;
  const writeOut = (text: string): void => {
    if (wantsJson) helpText = (helpText ?? '') + text;
    else io.stdout.write(text);
  };
  const program = new Command('nv')
    .description('Modem non-volatile data: Qualcomm QCN/EFS/FSG/MCFG and MediaTek NVRAM, exact and scriptable.')
    .version(pkg.version, '-V, --version', 'print the version')
    .option('--json', 'print one JSON document on stdout (errors too); human text goes to stderr')
    .option('--verbose', 'show stack traces of internal errors')
    .option('--quiet', 'no progress bars on stderr (warnings and errors still print)')
    .helpOption('-h, --help', 'show usage with an example')
    .exitOverride()
    .configureOutput({
      writeOut,
      writeErr: (s) => void io.stderr.write(s),
      outputError: (s, write) => {
        if (!wantsJson) write(s);
      },
    })
    .showHelpAfterError('(run the command with --help for its usage and an example)')
    .addHelpText(
      'after',
      '\nExamples:\n  $ nv errors NV_TRUNCATED\n  $ nv --json errors\n\nNumbers may be given as decimal or 0x hex. Exit codes: 0 ok, 1 bad input or failed check, 2 usage.\n',
    );
  for (const register of REGISTRARS) register(program, getContext);
  program.helpCommand(false); // `nv help [command…]` is handled below, for every level and with exit 0

  const help = helpRequest(program, argv);
  if (help !== undefined) {
    if (typeof help === 'string') {
      if (wantsJson) printJsonError(io, new NvError('NV_USAGE', help));
      else io.stderr.write(`nv: ${help}\n`);
      return EXIT_USAGE;
    }
    help.outputHelp();
    return finishHelp(io, help, helpText);
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context?.exitCode ?? EXIT_OK;
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.helpDisplayed' && wantsJson)
      return finishHelp(io, undefined, helpText);
    return report(error, io, wantsJson, verbose);
  }
}

/** Prints collected `--json` help as `{command, help}` (nothing was written to stdout yet) and returns 0. */
function finishHelp(io: CliIo, command: Command | undefined, text: string | undefined): number {
  if (text === undefined) return EXIT_OK;
  const usage = /^Usage: (\S+(?: [a-z][\w-]*)*)/.exec(text)?.[1];
  io.stdout.write(`${JSON.stringify({ command: command ? commandPath(command) : (usage ?? 'nv'), help: text })}\n`);
  return EXIT_OK;
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent as Command | null) names.unshift(c.name());
  return names.join(' ');
}

/**
 * `nv [group…] help [command…]`: the command whose help to show, a usage message for an unknown command, or
 * undefined when the arguments are not a help request.
 */
function helpRequest(program: Command, argv: readonly string[]): Command | string | undefined {
  const words = argv.filter((a) => a !== '--json' && a !== '--verbose' && a !== '--quiet');
  let cmd: Command = program;
  let i = 0;
  const sub = (c: Command, name: string): Command | undefined =>
    (c.commands as Command[]).find((x) => x.name() === name || x.aliases().includes(name));
  for (; i < words.length && words[i] !== 'help'; i++) {
    const next = sub(cmd, words[i]!);
    if (!next) return undefined;
    cmd = next;
  }
  if (i === words.length || sub(cmd, 'help') !== undefined) return undefined;
  for (const w of words.slice(i + 1)) {
    if (w.startsWith('-')) continue;
    const next = sub(cmd, w);
    if (!next) return `unknown command '${[commandPath(cmd), w].join(' ')}'; run nv --help for the list`;
    cmd = next;
  }
  return cmd;
}

function report(error: unknown, io: CliIo, json: boolean, verbose: boolean): number {
  if (error instanceof CommanderError) {
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
    // A group called without a subcommand prints its help on stderr (code 'commander.help'): a usage error.
    const message =
      error.code === 'commander.help'
        ? 'a subcommand is required; see the help above'
        : error.message.replace(/^error: /, '');
    if (json) printJsonError(io, new NvError('NV_USAGE', message));
    return EXIT_USAGE;
  }
  if (error instanceof UsageFailure) {
    printError(io, error.error, json);
    return EXIT_USAGE;
  }
  if (NvError.isInstance(error)) {
    printError(io, error, json);
    return EXIT_DOMAIN;
  }
  const internal = new NvError(
    'NV_INTERNAL',
    `internal error: ${error instanceof Error ? error.message : String(error)}`,
    { cause: error },
  );
  printError(io, internal, json);
  if (verbose && error instanceof Error && error.stack) io.stderr.write(`${error.stack}\n`);
  else if (!json) io.stderr.write('(run again with --verbose for details)\n');
  return EXIT_DOMAIN;
}

function printJsonError(io: CliIo, error: NvError): void {
  io.stdout.write(`${JSON.stringify({ error: error.toJSON() })}\n`);
}

function printError(io: CliIo, error: NvError, json: boolean): void {
  if (json) return printJsonError(io, error);
  const where = [
    error.path,
    error.offset === undefined ? undefined : `offset ${error.offset} (0x${error.offset.toString(16)})`,
  ]
    .filter(Boolean)
    .join(', ');
  io.stderr.write(`nv: ${error.code}: ${error.message}${where ? ` [${where}]` : ''}\n`);
}
