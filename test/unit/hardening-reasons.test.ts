/**
 * The failures added by issue 10's hardening carry reasons (src/errors.ts)
 * whose kind keeps the exit code the command-line tests check: a caller
 * decides on the reason, never on the message.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { checkDistinctFiles } from '../../src/cli/same-file.js';
import { loadWeights } from '../../src/cli/weights.js';
import type { World } from '../../src/cli/world.js';
import { NeuronError } from '../../src/errors.js';
import { createAtomicFile } from '../../src/io/atomic-file.js';
import { Utf8Check } from '../../src/io/utf8.js';
import { parseJson } from '../../src/io/weights-file.js';

/** The reason, kind and exit code of what `attempt` throws or rejects with. */
async function failure(attempt: () => unknown): Promise<[string, string, number]> {
  try {
    await attempt();
  } catch (error) {
    if (error instanceof NeuronError) return [error.reason, error.kind, error.exitCode];
    throw error;
  }
  throw new Error('no error');
}

function world(stdinIsTTY: boolean): World {
  const stdin = Object.assign(new PassThrough(), { isTTY: stdinIsTTY });
  return { stdin, stdout: new PassThrough(), stderr: new PassThrough(), env: {}, randomSeed: () => 1 } as unknown as World;
}

describe('reasons of the hardening errors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neuron-reasons-'));
  const data = join(dir, 'in.csv');
  writeFileSync(data, 'a\n1\n');

  it('an output that is an input, or two outputs one file: same-file, usage (exit 2)', async () => {
    expect(await failure(() => checkDistinctFiles(data, { output: data }))).toEqual(['same-file', 'usage', 2]);
    const out = join(dir, 'm.json');
    expect(await failure(() => checkDistinctFiles(data, { output: out, metrics: out }))).toEqual(['same-file', 'usage', 2]);
  });

  it('a weights file nested too deep: nested-too-deep, weights (exit 1)', async () => {
    expect(await failure(() => parseJson(`${'['.repeat(5000)}${']'.repeat(5000)}`, 'w.json'))).toEqual(['nested-too-deep', 'weights', 1]);
  });

  it('-w - with the data also on standard input, or a terminal there: usage (exit 2)', async () => {
    expect(await failure(() => loadWeights(world(false), '-', '-'))).toEqual(['stdin-twice', 'usage', 2]);
    expect(await failure(() => loadWeights(world(true), '-', data))).toEqual(['stdin-is-terminal', 'usage', 2]);
  });

  it('-o newdir/ is output-is-directory (exit 2); -o nodir/out.csv is no-such-file (exit 1)', async () => {
    expect(await failure(() => createAtomicFile(join(dir, 'newdir/')))).toEqual(['output-is-directory', 'usage', 2]);
    expect(await failure(() => createAtomicFile(join(dir, 'nodir', 'out.csv')))).toEqual(['no-such-file', 'io', 1]);
  });

  it('a NUL byte in a later chunk: not-utf8, data (exit 1)', async () => {
    const check = new Utf8Check('in.csv');
    // As for an invalid byte, the lines before the NUL's line are passed on and the stream ends;
    // the reader then throws `failure` (see src/io/utf8.ts).
    const error = new Promise<unknown>((resolve) => {
      check.on('error', resolve);
      check.on('end', () => resolve(check.failure));
      check.on('data', () => {});
    });
    check.write(Buffer.from('a,b\n1,2\n'));
    check.write(Buffer.from('3,\u00004\n'));
    check.end();
    expect(
      await failure(async () => {
        throw await error;
      }),
    ).toEqual(['not-utf8', 'data', 1]);
  });
});
