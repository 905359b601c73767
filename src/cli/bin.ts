/** The process entry point: builds the real World and sets the exit code. */
import { randomInt } from 'node:crypto';
import { run } from './program.js';

const controller = new AbortController();
process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(130); // a second Ctrl-C: stop now
  controller.abort();
});
// A closed stdout (| head -1) is handled by the command; never crash on it.
process.stdout.on('error', () => {});

process.exitCode = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  randomSeed: () => randomInt(0, 2 ** 32),
  signal: controller.signal,
});
