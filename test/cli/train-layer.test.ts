/**
 * train with k >= 3 classes, in process: the row weights mean what they say
 * (an integer --sample-weight is that many copies of the row; --class-weight
 * c=2 is every row of c twice; balanced is n / (k · rows of c)), --missing
 * skip drops rows with a missing label or input, and the labels' order
 * decides nothing but the rows' order in the file.
 */
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/helpers.js';

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
