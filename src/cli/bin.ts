/** The process entry point: builds the real World and sets the exit code. */
import { randomInt } from 'node:crypto';
import { run } from './program.js';

/**
 * Ctrl-C, `kill` and a closed terminal all stop a command the same way: at
 * the next row, with no half-written line and no temporary file left. The
 * exit code is 128 + the signal's number, as shells report it.
 */
const signals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
const controller = new AbortController();
let stoppedBy: number | undefined;
for (const [name, code] of Object.entries(signals)) {
  process.on(name, () => {
    if (controller.signal.aborted) process.exit(code); // a second signal: stop now
    stoppedBy = code;
    controller.abort();
  });
}
// A closed stdout (| head -1) is handled by the command; never crash on it.
process.stdout.on('error', () => {});

const code = await run(process.argv.slice(2), {
  stdin: process.stdin,
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  randomSeed: () => randomInt(0, 2 ** 32),
  signal: controller.signal,
});
process.exitCode = code === signals.SIGINT && stoppedBy !== undefined ? stoppedBy : code;
