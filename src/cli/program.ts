/**
 * The command line: commander wired to the commands, run against a World.
 * `run` never throws and never exits: it returns the exit code.
 */
import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { EXIT, formatError, NeuronError } from '../core/errors.js';
import { evalCommand } from './eval.js';
import { explainCommand } from './explain.js';
import { exportCommand } from './export.js';
import { metricsCommand } from './metrics.js';
import { randomInitCommand } from './random-init.js';
import { trainCommand } from './train.js';
import { say, type World } from './world.js';

export type { World } from './world.js';

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

function createProgram(world: World): Command {
  const program = new Command('neuron')
    .description('a single artificial neuron on the command line: z = w·x + b, an activation, a class')
    .version(version)
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => world.stdout.write(text),
      writeErr: (text) => world.stderr.write(text),
      outputError: (text, write) => write(`neuron: ${text.replace(/^error: /, '')}`),
    })
    .exitOverride();
  evalCommand(program, world);
  randomInitCommand(program, world);
  exportCommand(program, world);
  metricsCommand(program, world);
  trainCommand(program, world);
  explainCommand(program, world);
  for (const command of program.commands) {
    command.showHelpAfterError(`(run "neuron ${command.name()} --help" for usage)`).configureOutput(program.configureOutput()).exitOverride();
  }
  return program;
}

/** Runs neuron with the user's arguments (without `node` and the script). */
export async function run(argv: readonly string[], world: World): Promise<number> {
  const program = createProgram(world);
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
      if (error.code !== 'interrupted') say(world, formatError(error));
      return error.exitCode;
    }
    // A bug, not a user error: still no stack trace, but say how to report it.
    say(world, `internal error: ${(error as Error)?.message ?? String(error)} — please report this with the command you ran`);
    return 70;
  }
}
