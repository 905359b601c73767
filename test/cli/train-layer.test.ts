/**
 * train with k >= 3 classes, in process: the row weights mean what they say
 * (an integer --sample-weight is that many copies of the row; --class-weight
 * c=2 is every row of c twice; balanced is n / (k · rows of c)), --missing
 * skip drops rows with a missing label or input, and the labels' order
 * decides nothing but the rows' order in the file.
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/program.js';
import type { World } from '../../src/cli/world.js';
import { fixture, runInProcess } from '../support/helpers.js';

const ROWS = [
  [1.0, 2.0, 'a', 1],
  [2.0, 1.5, 'b', 2],
  [3.0, 3.5, 'c', 1],
  [1.5, 0.5, 'a', 3],
  [2.5, 2.5, 'b', 1],
  [3.5, 1.0, 'c', 2],
  [0.5, 3.0, 'b', 1],
  [2.2, 0.2, 'a', 1],
  [3.1, 2.9, 'a', 2],
  [1.1, 1.9, 'c', 1],
] as const;

const csv = (rows: readonly (readonly (string | number)[])[]) => `x1,x2,y,w\n${rows.map((row) => row.join(',')).join('\n')}\n`;
const train = async (rows: readonly (readonly (string | number)[])[], ...args: string[]) => {
  const result = await runInProcess(['train', '-', '--label', 'y', '--features', 'x1,x2', '--l2', '0.01', '--quiet', ...args], { stdin: csv(rows) });
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as { weights: number[][]; bias: number[]; classes: string[] };
};
const copies = (keep: (row: (typeof ROWS)[number]) => number) => ROWS.flatMap((row) => Array.from({ length: keep(row) }, () => row));

function expectSameModel(a: { weights: number[][]; bias: number[] }, b: { weights: number[][]; bias: number[] }): void {
  expect(a.weights).toEqual(b.weights.map((row) => row.map((w) => expect.closeTo(w, 9))));
  expect(a.bias).toEqual(b.bias.map((w) => expect.closeTo(w, 9)));
}

describe('train: a softmax layer with row weights', () => {
  it('--sample-weight w is w copies of the row', async () => {
    // The loss is a mean over rows: 10 weighted rows (total weight 15) against 15 copies, so the same optimum takes λ · 15/10.
    const weighted = await runInProcess(['train', '-', '--label', 'y', '--features', 'x1,x2', '--sample-weight', 'w', '--l2', String(0.01 * 1.5), '-q'], {
      stdin: csv(ROWS),
    });
    const copied = await train(copies((row) => row[3]));
    expect(weighted.code, weighted.stderr).toBe(0);
    expectSameModel(JSON.parse(weighted.stdout), copied);
  });

  it('--class-weight b=2 is every b row twice', async () => {
    const weighted = await runInProcess(
      ['train', '-', '--label', 'y', '--features', 'x1,x2', '--class-weight', 'b=2', '--l2', String((0.01 * 13) / 10), '-q'],
      {
        stdin: csv(ROWS),
      },
    );
    expect(weighted.code, weighted.stderr).toBe(0);
    expectSameModel(JSON.parse(weighted.stdout), await train(copies((row) => (row[2] === 'b' ? 2 : 1))));
  });

  it('--class-weight balanced gives class c the weight n / (k · rows of c)', async () => {
    // a: 4 rows, b: 3, c: 3 of 10: weights 10/12, 10/9, 10/9, as a=0.8333...,b=1.111...,c=1.111...
    const balanced = await train(ROWS, '--class-weight', 'balanced');
    const named = await train(ROWS, '--class-weight', `a=${10 / 12},b=${10 / 9},c=${10 / 9}`);
    expectSameModel(balanced, named);
  });

  it('--missing skip drops rows with a missing label or input; the rest train as without them', async () => {
    const holes = [...ROWS.slice(0, 3), [1, 1, '', 1], ['NA', 2, 'a', 1], ...ROWS.slice(3)];
    const skipped = await runInProcess(['train', '-', '--label', 'y', '--features', 'x1,x2', '--l2', '0.01', '--missing', 'skip'], { stdin: csv(holes) });
    expect(skipped.stderr.split('\n')[0]).toBe('neuron: skipped 2 rows with a missing value (lines 5, 6)');
    expectSameModel(JSON.parse(skipped.stdout), await train(ROWS));
  });

  it('the classes are sorted whatever order the labels come in', async () => {
    const reversed = await train([...ROWS].reverse());
    const forward = await train(ROWS);
    expect(reversed.classes).toEqual(['a', 'b', 'c']);
    expectSameModel(reversed, forward);
  });
});

describe('train: a softmax layer on a terminal', () => {
  /** Runs train with stderr a terminal; with `interrupt`, Ctrl-C comes as the progress line is first drawn. */
  async function onTerminal(args: string[], interrupt = false): Promise<{ code: number; stdout: string; stderr: string }> {
    const controller = new AbortController();
    const stderr = new PassThrough();
    const stdout = new PassThrough();
    const err: Buffer[] = [];
    const out: Buffer[] = [];
    stderr.on('data', (chunk: Buffer) => {
      err.push(chunk);
      if (interrupt && chunk.toString('utf8').includes('training newton iteration')) controller.abort();
    });
    stdout.on('data', (chunk: Buffer) => out.push(chunk));
    const world: World = {
      stdin: Object.assign(Readable.from([]), { isTTY: false }),
      stdout: Object.assign(stdout, { isTTY: false }),
      stderr: Object.assign(stderr, { isTTY: true, columns: 120 }),
      env: {},
      randomSeed: () => 1,
      signal: controller.signal,
    };
    const inputs = ['--label', 'tier', '--features', 'age,fare,sex,port', '--categorical', 'sex,port', '--impute', 'median'];
    const code = await run(['train', fixture('train-categorical.csv'), ...inputs, ...args], world);
    return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
  }

  it('draws the progress line, and gives the time on the summary line', async () => {
    const result = await onTerminal(['--C', '1']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/training newton iteration \d+ \| objective \d\.\d{6} \| gradient norm \d\.\d\de[-+]\d+/);
    expect(result.stderr).toMatch(/neuron: trained by newton: \d+ iterations from zeros, converged [^\n]*training data, \d+\.\d\d s\n$/);
  });

  it('Ctrl-C between iterations: exit 130, where it stopped, nothing written', async () => {
    const result = await onTerminal(['--C', '1'], true);
    expect(result.code).toBe(130);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/neuron: interrupted at iteration 1, nothing written\n/);
  });
});
