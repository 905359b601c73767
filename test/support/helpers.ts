/**
 * Test helpers: run neuron in-process against a fake World, or run the
 * built bin/neuron.js as a user would.
 */
import { spawnSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { run } from '../../src/cli/program.js';
import type { World } from '../../src/cli/world.js';
import { isSoftmax, type Model, parseModel } from '../../src/neuron/model.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const BIN = fileURLToPath(new URL('../../bin/neuron.js', import.meta.url));
export const fixture = (name: string) => fileURLToPath(new URL(`../../fixtures/${name}`, import.meta.url));

export interface Result {
  stdout: string;
  stderr: string;
  code: number;
}

export interface InProcessOptions {
  stdin?: string;
  stdinIsTTY?: boolean;
  stdoutIsTTY?: boolean;
  /** The terminal's width, with stdoutIsTTY. */
  stdoutColumns?: number;
  env?: Record<string, string | undefined>;
  seed?: number;
  signal?: AbortSignal;
}

/** Runs neuron in this process with captured streams. */
export async function runInProcess(argv: string[], options: InProcessOptions = {}): Promise<Result> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (chunk: Buffer) => out.push(chunk));
  stderr.on('data', (chunk: Buffer) => err.push(chunk));
  const stdin = Readable.from(options.stdin === undefined ? [] : [Buffer.from(options.stdin)]);
  const world: World = {
    stdin: Object.assign(stdin, { isTTY: options.stdinIsTTY ?? false }),
    stdout: Object.assign(stdout, { isTTY: options.stdoutIsTTY ?? false }, options.stdoutColumns === undefined ? {} : { columns: options.stdoutColumns }),
    stderr,
    env: options.env ?? {},
    randomSeed: () => options.seed ?? 12345,
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
  const code = await run(argv, world);
  return { stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), code };
}

/** Runs the built CLI (`npm run build` first) in a child process. */
export function runBin(argv: string[], options: { input?: string | Buffer; env?: Record<string, string>; cwd?: string } = {}): Result {
  const result = spawnSync(process.execPath, [BIN, ...argv], {
    cwd: options.cwd ?? ROOT,
    input: options.input ?? '',
    env: { PATH: process.env.PATH ?? '', ...options.env },
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status ?? -1 };
}

/** parseModel for a test of a two-class neuron: the model typed as one (a softmax file fails the test). */
export function neuronModel(value: unknown, file?: string): Model {
  const model = parseModel(value, file);
  if (isSoftmax(model)) throw new Error('expected a two-class weights file');
  return model;
}
