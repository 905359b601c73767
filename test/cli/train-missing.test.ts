/**
 * Issue 10, defect 8: a missing label (empty, NA, N/A, NaN, null, None) is
 * never a class. By default it stops train with file:line:column; with
 * --missing skip the row is dropped, and the model equals the one trained on
 * the data without that row.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runInProcess } from '../support/helpers.js';

const CLEAN = ['a,b,y', '1,2,1', '5,6,0', '2,1,1', '6,5,0'];
const train = (rows: string[], ...args: string[]) => runInProcess(['train', '-', '--label', 'y', '--epochs', '20', ...args], { stdin: `${rows.join('\n')}\n` });

describe('train: missing labels', () => {
  it.each([
    ['', 'empty label'],
    ['NA', 'missing label "NA"'],
    [' n/a ', 'missing label "n/a"'],
    ['None', 'missing label "None"'],
  ])('label %j: exit 1 naming the file, line and column', async (label, what) => {
    const result = await train([...CLEAN.slice(0, 2), `3,4,${label}`, ...CLEAN.slice(2)]);
    expect(result).toEqual({
      stdout: '',
      stderr: `neuron: <stdin>:3:3: --label column "y": ${what} — fill in the label, or pass --missing skip (drop the row)\n`,
      code: 1,
    });
  });

  it('--missing skip drops rows with a missing label or input: the weights are those of the data without them', async () => {
    const clean = await train(CLEAN);
    const holes = await train([...CLEAN.slice(0, 2), '3,4,', '7,NA,1', ...CLEAN.slice(2), '8,9,NA'], '--missing', 'skip');
    expect(clean.code).toBe(0);
    expect(holes.code).toBe(0);
    expect(holes.stdout).toBe(clean.stdout);
    expect(JSON.parse(holes.stdout).classes).toEqual(['0', '1']);
    expect(holes.stderr.split('\n')[0]).toBe('neuron: skipped 3 rows with a missing value (lines 3, 4, 8)');
  });

  it('a missing input is an error by default, with the --missing hint', async () => {
    const result = await train([...CLEAN, '7,,1']);
    expect(result.stderr).toBe(
      'neuron: <stdin>:6:2: column "b": empty cell where a number is needed — fill in the value, pass --missing skip (drop the row), or fill the column with --impute (such as --impute median)\n',
    );
    expect(result.code).toBe(1);
  });

  it('--missing zero is not offered by train (a label cannot be zero): exit 2', async () => {
    const result = await train(CLEAN, '--missing', 'zero');
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("argument 'zero' is invalid. Allowed choices are error, skip.");
  });

  it('every row skipped: says so', async () => {
    const result = await train(['a,b,y', '1,2,', '3,4,NA'], '--missing', 'skip');
    expect(result.stderr).toBe('neuron: <stdin>: no data rows to train on: all 2 had a missing value — the data needs rows under its header\n');
    expect(result.code).toBe(1);
  });
});

describe('summary: --missing as in train', () => {
  it("reads the rows train read: an error by default, the clean data's figures with --missing skip", async () => {
    const clean = await train(CLEAN, '--C', '1');
    expect(clean.code).toBe(0);
    const weights = join(mkdtempSync(join(tmpdir(), 'neuron-summary-')), 'w.json');
    writeFileSync(weights, clean.stdout);
    const summary = (rows: string[], ...args: string[]) =>
      runInProcess(['summary', '-', '-w', weights, '--label', 'y', '--C', '1', '--format', 'json', ...args], { stdin: `${rows.join('\n')}\n` });
    const holes = [...CLEAN.slice(0, 2), '3,4,NA', '7,,1', ...CLEAN.slice(2)];
    expect(await summary(holes)).toEqual({
      stdout: '',
      stderr: 'neuron: <stdin>:3:3: --label column "y": missing label "NA" — fill in the label, or pass --missing skip (drop the row)\n',
      code: 1,
    });
    const skipped = await summary(holes, '--missing', 'skip');
    const expected = await summary(CLEAN);
    expect(expected.code).toBe(0);
    expect(skipped.stdout).toBe(expected.stdout);
    expect(skipped.stderr).toBe('neuron: skipped 2 rows with a missing value (lines 3, 4)\n');
  });
});
