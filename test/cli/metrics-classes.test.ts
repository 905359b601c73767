/**
 * `neuron metrics` with the models of issue 12: a softmax layer's options,
 * names and skipped rows, and a two-class model with "categories" and
 * "impute", whose metrics on the raw CSV must be those of the plain model on
 * the same rows one-hot encoded and filled in by hand.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runInProcess } from '../support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-metrics-classes-'));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};
const IRIS = fixture('iris-petals.weights.json');

describe('a softmax model', () => {
  const rows = ['petal length (cm),petal width (cm),species', '1.4,0.2,setosa', '4.5,1.5,versicolor', '6,2.5,virginica'];
  const metrics = (lines: string[], ...args: string[]) =>
    runInProcess(['metrics', '-', '-w', IRIS, '--label', 'species', ...args], { stdin: `${lines.join('\n')}\n` });

  it.each([
    ['--activation', 'tanh'],
    ['--classes', 'a,b'],
  ])('%s is refused (usage, exit 2): the class is the largest z', async (flag, value) => {
    const result = await metrics(rows, flag, value);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      `neuron: ${IRIS}: ${flag} does not apply to a softmax model (3 classes): its class is the largest z, named by its "classes" — drop ${flag}\n`,
    );
  });

  it('--missing skip: the metrics of the rows without the skipped one, which is named on stderr', async () => {
    const holes = await metrics([...rows.slice(0, 2), '5,,virginica', ...rows.slice(2)], '--missing', 'skip', '--format', 'json');
    const clean = await metrics(rows, '--format', 'json');
    expect(holes.stdout).toBe(clean.stdout);
    expect(holes.stderr).toBe('neuron: skipped 1 row with a missing value (line 3)\n');
  });

  it('labels may be class indices 0 to k - 1: the same metrics as the names', async () => {
    const indexed = await metrics([rows[0] as string, '1.4,0.2,0', '4.5,1.5,1', '6,2.5,2'], '--format', 'json');
    expect(indexed.stdout).toBe((await metrics(rows, '--format', 'json')).stdout);
  });

  it('class names reach the terminal escaped, in the per-class table and the matrix', async () => {
    const weights = file(
      'bidi.weights.json',
      JSON.stringify({ features: ['x'], weights: [[1], [-1], [0]], bias: [0, 0, 0.5], activation: 'softmax', classes: ['a\u202eb', 'c', 'd'] }),
    );
    const result = await runInProcess(['metrics', '-', '-w', weights, '--label', 'y'], { stdin: 'x,y\n3,a\u202eb\n-3,c\n' });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('\u202e');
    expect(result.stdout).toContain('\n  a\\u202eb         1.0000  1.0000  1.0000        1\n');
    expect(result.stdout).toContain('\n  label \\ predicted  a\\u202eb  c  d\n');
  });
});

describe('a two-class model with "categories" and "impute"', () => {
  const encoded = file(
    'encoded.weights.json',
    JSON.stringify({
      features: ['sex=female', 'sex=male', 'age'],
      weights: [1.2, -0.8, -0.03],
      bias: 0.4,
      classes: ['died', 'survived'],
      categories: { sex: ['female', 'male'] },
      impute: { age: 30 },
    }),
  );
  // The same neuron over the inputs written out by hand: one column per category, the missing age as 30.
  const plain = file(
    'plain.weights.json',
    JSON.stringify({ features: ['sex=female', 'sex=male', 'age'], weights: [1.2, -0.8, -0.03], bias: 0.4, classes: ['died', 'survived'] }),
  );
  const raw = 'sex,age,fate\nfemale,22,survived\nmale,,died\nmale,4,survived\nfemale,61,died\nmale,35,died\nfemale,,survived\n';
  const byHand = 'sex=female,sex=male,age,fate\n1,0,22,survived\n0,1,30,died\n0,1,4,survived\n1,0,61,died\n0,1,35,died\n1,0,30,survived\n';

  it('scores the raw CSV as the plain model scores it encoded by hand (table and JSON)', async () => {
    for (const format of ['table', 'json']) {
      const got = await runInProcess(['metrics', file('raw.csv', raw), '-w', encoded, '--label', 'fate', '--format', format]);
      const want = await runInProcess(['metrics', file('by-hand.csv', byHand), '-w', plain, '--label', 'fate', '--format', format]);
      expect(got.stderr).toBe('');
      expect(got.code).toBe(0);
      expect(got.stdout).toBe(want.stdout);
    }
  });

  it('a category the model does not know: an error naming line, column and value, or with --unknown zero every indicator 0', async () => {
    const unseen = file('unseen.csv', `${raw}other,40,died\n`);
    const error = await runInProcess(['metrics', unseen, '-w', encoded, '--label', 'fate']);
    expect(error.code).toBe(1);
    expect(error.stderr).toBe(
      `neuron: ${unseen}:8:1: column "sex": "other" is not one of the model's categories ("female", "male") — fix the cell, or pass --unknown zero (every indicator of the column 0)\n`,
    );
    const zero = await runInProcess(['metrics', unseen, '-w', encoded, '--label', 'fate', '--unknown', 'zero', '--format', 'json']);
    const want = await runInProcess(['metrics', file('by-hand-unseen.csv', `${byHand}0,0,40,died\n`), '-w', plain, '--label', 'fate', '--format', 'json']);
    expect(zero.stdout).toBe(want.stdout);
  });

  it('--engine duckdb gives the same metrics as in-process, and the same unknown-category refusal with the row named', async () => {
    const data = file('raw2.csv', raw);
    const args = ['metrics', data, '-w', encoded, '--label', 'fate', '--format', 'json'];
    const inProcess = await runInProcess(args);
    expect(inProcess.code).toBe(0);
    expect(await runInProcess([...args, '--engine', 'duckdb'])).toEqual(inProcess);
    const unseen = file('unseen-engine.csv', `${raw}other,40,died\n`);
    const refused = await runInProcess(['metrics', unseen, '-w', encoded, '--label', 'fate', '--engine', 'duckdb']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe(
      `neuron: ${unseen}: row 7: column "sex": "other" is not one of the model's categories ("female", "male") — fix the cell, or pass --unknown zero (every indicator of the column 0)\n`,
    );
  });
});
