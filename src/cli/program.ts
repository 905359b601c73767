/**
 * The command line: commander wired to the commands, run against a World.
 * `run` never throws and never exits: it returns the exit code.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { EXIT, formatError, NeuronError } from '../errors.js';
import { visibleLines } from '../render/visible.js';
import { checkDistinctFiles } from './same-file.js';
import { say, type World } from './world.js';

/** The exit codes `run` returns (0 ok, 1 bad data or weights, 2 bad usage, 130 interrupted; 70 is an internal error). */
export { EXIT } from '../errors.js';
export type { World } from './world.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

type Register = (program: Command, world: World) => void;

/**
 * The commands, in help order, each loaded only when needed: a run of one
 * command loads only that command's code (start-up time is part of the
 * product: see the README's Performance section).
 */
const commands: Record<string, () => Promise<Register>> = {
  eval: async () => (await import('./commands/eval.js')).evalCommand,
  'random-init': async () => (await import('./commands/random-init.js')).randomInitCommand,
  export: async () => (await import('./commands/export.js')).exportCommand,
  metrics: async () => (await import('./commands/metrics.js')).metricsCommand,
  train: async () => (await import('./commands/train.js')).trainCommand,
  summary: async () => (await import('./commands/summary.js')).summaryCommand,
  explain: async () => (await import('./commands/explain.js')).explainCommand,
  plot: async () => (await import('./commands/plot.js')).plotCommand,
};

async function createProgram(argv: readonly string[], world: World): Promise<Command> {
  const program = new Command('neuron')
    .description('a single artificial neuron on the command line: z = w·x + b, an activation, a class')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => world.stdout.write(text),
      writeErr: (text) => world.stderr.write(text),
      // commander quotes the user's arguments (an unknown option): shown escaped, its lines kept.
      outputError: (text, write) => write(`neuron: ${visibleLines(text.replace(/^error: /, ''))}`),
    })
    .exitOverride()
    // One check for every command, before any file is read or written.
    .hook('preAction', async (_program, action) => {
      const data = action.registeredArguments[0]?.name() === 'data' ? (action.args[0] as string | undefined) : undefined;
      await checkDistinctFiles(data, action.opts());
    });
  // `neuron eval ...` needs eval alone; help, a typo or no command need them all.
  const first = argv[0];
  const wanted = first !== undefined && Object.hasOwn(commands, first) ? [first] : Object.keys(commands);
  const registers = await Promise.all(wanted.map((name) => (commands[name] as () => Promise<Register>)()));
  for (const register of registers) register(program, world);
  for (const command of program.commands) {
    command.showHelpAfterError(`(run "neuron ${command.name()} --help" for usage)`).configureOutput(program.configureOutput()).exitOverride();
  }
  return program;
}

/** Runs neuron with the user's arguments (without `node` and the script). */
export async function run(argv: readonly string[], world: World): Promise<number> {
  // commander answers `help nope` with the whole help and no word about the typo.
  const [first, topic] = argv;
  if (first === 'help' && topic !== undefined && !topic.startsWith('-') && !Object.hasOwn(commands, topic)) {
    say(world, `unknown command '${topic}' — the commands are ${Object.keys(commands).join(', ')} (neuron help COMMAND, or neuron --help)`);
    return EXIT.usage;
  }
  let program: Command;
  try {
    program = await createProgram(argv, world);
  } catch (error) {
    say(world, `internal error: ${(error as Error)?.message ?? String(error)} — please report this with the command you ran`);
    return 70;
  }
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version are printed by commander and are not failures, unless the help
      // stands in for a missing command (`neuron` alone): commander then gives a nonzero exit code.
      if (['commander.helpDisplayed', 'commander.version'].includes(error.code)) return EXIT.ok;
      if (error.code === 'commander.help') return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
      if (error.code === 'commander.executeSubCommandAsync') return EXIT.ok;
      return EXIT.usage;
    }
    if (error instanceof NeuronError) {
      if (error.kind !== 'interrupted') say(world, formatError(error));
      return error.exitCode;
    }
    // A bug, not a user error: still no stack trace, but say how to report it.
    say(world, `internal error: ${(error as Error)?.message ?? String(error)} — please report this with the command you ran`);
    return 70;
  }
}
