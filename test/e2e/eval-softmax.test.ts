/**
 * eval with a softmax layer (k classes) and with encoded models
 * ("categories", "impute"), against values computed outside neuron:
 * fixtures/reference/eval_softmax_reference.py encodes the rows by hand
 * (pandas) and scores them with NumPy and SciPy. Then the parallel eval and
 * gzip input, which must give a softmax or encoded model's run byte for byte.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { planBlocks } from '../../src/cli/parallel.js';
import { fixture, runBin } from '../support/helpers.js';

interface ReferenceCase {
  readonly name: string;
  readonly data: string;
  readonly weights: string;
  readonly classes: string[];
  /** Per row: the k z values and probabilities (a layer), or z and sigmoid(z) (one neuron). */
  readonly z: (number[] | number)[];
  readonly p: (number[] | number)[];
  readonly class: string[];
}

const reference = JSON.parse(readFileSync(fixture('reference/eval-softmax.json'), 'utf8')) as { cases: ReferenceCase[] };
const dir = mkdtempSync(join(tmpdir(), 'neuron-eval-softmax-'));

describe('eval with softmax and encoded models, against NumPy', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s: every z, probability and class', (_, c) => {
    const result = runBin(['eval', c.data, '-w', c.weights, '--format', 'json']);
    expect(result.stderr).toBe('');
    const rows = JSON.parse(result.stdout) as Record<string, number | string>[];
    expect(rows).toHaveLength(c.class.length);
    rows.forEach((row, r) => {
      const z = c.z[r] as number[] | number;
      const p = c.p[r] as number[] | number;
      if (Array.isArray(z) && Array.isArray(p)) {
        expect(Object.keys(row)).toEqual([...c.classes.map((k) => `z_${k}`), ...c.classes.map((k) => `softmax_${k}`), 'class']);
        c.classes.forEach((k, i) => {
          expect(row[`z_${k}`] as number).toBeCloseTo(z[i] as number, 12);
          expect(row[`softmax_${k}`] as number).toBeCloseTo(p[i] as number, 12);
        });
      } else {
        expect(row.z as number).toBeCloseTo(z as number, 12);
        expect(row.sigmoid as number).toBeCloseTo(p as number, 12);
      }
      expect(row.class).toBe(c.class[r]);
    });
  });
});

describe('eval with a softmax layer: output rules', () => {
  it('class names in column names are quoted in CSV and kept in JSON; the table shows the class', () => {
    // Class names cannot hold a control character (the weights file refuses one), so the table needs no escape for them.
    // softmax(-2, 2) = (0.017986209962091555, 0.9820137900379085) by scipy.special.softmax.
    const weights = join(dir, 'odd-names.json');
    writeFileSync(weights, JSON.stringify({ features: ['x'], weights: [[1], [-1]], bias: [0, 0], activation: 'softmax', classes: ['a,b', 'say "hi"'] }));
    const data = 'x\n-2\n';
    const csv = runBin(['eval', '-', '-w', weights], { input: data });
    expect(csv.stdout).toBe('"z_a,b","z_say ""hi""","softmax_a,b","softmax_say ""hi""",class\n-2,2,0.017986209962091555,0.9820137900379085,"say ""hi"""\n');
    const json = JSON.parse(runBin(['eval', '-', '-w', weights, '--format', 'json'], { input: data }).stdout) as Record<string, unknown>[];
    expect(Object.keys(json[0] ?? {})).toEqual(['z_a,b', 'z_say "hi"', 'softmax_a,b', 'softmax_say "hi"', 'class']);
    expect(json[0]?.class).toBe('say "hi"');
    const table = runBin(['eval', '-', '-w', weights, '--format', 'table'], { input: data });
    expect(table.stdout).toBe(' x  softmax             class\n-2   0.9820 █████████▉  say "hi"\n');
  });

  it('ties go to the first class in "classes" order', () => {
    const weights = join(dir, 'tie.json');
    writeFileSync(weights, JSON.stringify({ features: ['x'], weights: [[0], [1], [1]], bias: [1, 0, 0], activation: 'softmax', classes: ['c0', 'c1', 'c2'] }));
    const result = runBin(['eval', '-', '-w', weights, '--format', 'ndjson'], { input: 'x\n1\n0\n' });
    const rows = result.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { class: string });
    // x = 1: z = (1, 1, 1), all tied; x = 0: z = (1, 0, 0).
    expect(rows.map((row) => row.class)).toEqual(['c0', 'c0']);
  });

  it('--label takes a class name or its index 0 to k - 1, and counts the accuracy', () => {
    const result = runBin(['eval', '-', '-w', fixture('flowers.softmax.weights.json'), '--label', 'y'], {
      input: 'petal length (cm),petal width (cm),y\n1.4,0.2,0\n6.0,2.5,2\n4.7,1.4,virginica\n',
    });
    expect(result.stdout.split('\n').map((line) => line.split(',').at(-1))).toEqual(['correct', 'true', 'true', 'false', '']);
    expect(result.stderr).toBe('neuron: accuracy 2/3 = 66.67% (label column "y")\n');
  });

  it('a label that is no class names the k classes and their indices', () => {
    const result = runBin(['eval', fixture('flowers-three-classes.csv'), '-w', fixture('flowers.softmax.weights.json'), '--label', 'id']);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      /flowers-three-classes\.csv:2:1: --label column "id": "f001" is neither a class name \("setosa", "versicolor", "virginica"\) nor 0 to 2 — name the classes as the labels do, in "classes" in the weights file\n$/,
    );
  });

  it.each([
    ['--activation', 'tanh', "the layer's activation is softmax"],
    ['--classes', 'a,b', 'the weights file names its classes'],
  ])('%s is refused for a softmax model (usage, exit 2)', (flag, value, why) => {
    const result = runBin(['eval', fixture('flowers-three-classes.csv'), '-w', fixture('flowers.softmax.weights.json'), flag, value]);
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr: `neuron: ${fixture('flowers.softmax.weights.json')}: ${flag} does not apply to a softmax model (3 classes): ${why} — drop ${flag}\n`,
    });
  });

  it("--metrics writes a softmax model's metrics as neuron metrics does; --engine duckdb gives eval's output", () => {
    const out = join(dir, 'metrics.json');
    const args = [fixture('flowers-three-classes.csv'), '-w', fixture('flowers.softmax.weights.json'), '--label', 'species'];
    const run = runBin(['eval', ...args, '--metrics', out]);
    expect(run.code).toBe(0);
    const measured = runBin(['metrics', ...args, '--format', 'json']);
    expect(measured.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(measured.stdout);
    const engine = runBin(['eval', ...args, '--engine', 'duckdb']);
    expect(engine).toEqual(runBin(['eval', ...args]));
  });
});

describe('Input rules: categories', () => {
  const weights = fixture('categorical.weights.json');
  const header = 'sex,port,age,fare\n';

  it('case and spaces count: "Male" and " male" are not "male"', () => {
    for (const cell of ['Male', ' male']) {
      const result = runBin(['eval', '-', '-w', weights], { input: `${header}"${cell}",S,30,8\n` });
      expect(result.code).toBe(1);
      expect(result.stderr).toBe(
        `neuron: <stdin>:2:1: column "sex": ${JSON.stringify(cell)} is not one of the model's categories ("female", "male") — fix the cell, or pass --unknown zero (score it with every indicator of the column 0)\n`,
      );
    }
  });

  it("a missing category: the model's fill, else the --missing rule (zero: every indicator 0)", () => {
    // port has the fill "S"; sex has none. z = 0.2 - 0.02 age + 0.01 fare + the indicators' weights.
    const filled = runBin(['eval', '-', '-w', weights], { input: `${header}male,,30,8\nmale,S,30,8\n` });
    const [, a, b] = filled.stdout.split('\n');
    expect(a).toBe(b);
    const missing = runBin(['eval', '-', '-w', weights], { input: `${header},S,30,8\n` });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/<stdin>:2:1: column "sex": empty cell where a category is needed — fill in the value, or pass --missing skip/);
    const zero = runBin(['eval', '-', '-w', weights, '--missing', 'zero'], { input: `${header},S,30,8\n` });
    // 0.2 - 0.6 + 0.08 - 0.3 (port=S) = -0.62, neither sex indicator set.
    expect(zero.stdout.split('\n')[1]?.split(',')[0]).toBe(String(0.2 + -0.02 * 30 + 0.01 * 8 + -0.3));
    const skip = runBin(['eval', '-', '-w', weights, '--missing', 'skip'], { input: `${header},S,30,8\nmale,S,30,8\n` });
    expect(skip.stdout.split('\n')).toHaveLength(3);
    expect(skip.stderr).toMatch(/skipped 1 row with a missing value \(line 2\)/);
  });
});

describe('eval with softmax and encoded models: --threads and gzip give the one-thread plain run', () => {
  const rows = Array.from({ length: 400 }, (_, i) => {
    const port = ['C', 'Q', 'S', ''][i % 4];
    const age = i % 7 === 0 ? 'NA' : String((i * 1.7) % 80);
    return `p${i},${i % 2 === 0 ? 'female' : 'male'},${port},${age},${((i * 13.3) % 90).toFixed(2)},${i % 3 === 0 ? 1 : 0},${['first', 'second', 'third'][i % 3]}\n`;
  }).join('');
  const path = join(dir, 'passengers.csv');
  const text = `name,sex,port,age,fare,survived,deck\n${rows}`;
  writeFileSync(path, text);
  const gz = join(dir, 'passengers.csv.gz');
  writeFileSync(gz, gzipSync(text));

  it.each([
    ['categorical.softmax.weights.json', 'deck'],
    ['categorical.weights.json', 'survived'],
    ['flowers.softmax.weights.json', undefined],
  ])('%s', (weights, label) => {
    const data = weights.startsWith('flowers') ? join(dir, 'flowers.csv') : path;
    if (weights.startsWith('flowers')) {
      writeFileSync(data, `petal length (cm),petal width (cm)\n${Array.from({ length: 400 }, (_, i) => `${(i * 0.07) % 7},${(i * 0.031) % 2.5}\n`).join('')}`);
    }
    const args = [
      '-w',
      fixture(weights),
      '--keep',
      weights.startsWith('flowers') ? 'petal length (cm)' : 'name',
      ...(label === undefined ? [] : ['--label', label]),
    ];
    expect(planBlocks(data, 1, 64)).toBeDefined();
    const one = runBin(['eval', data, ...args]);
    expect(one.code).toBe(0);
    expect(one.stdout.split('\n')).toHaveLength(402);
    expect(runBin(['eval', data, ...args, '--threads', '3', '--block-bytes', '64'])).toEqual(one);
    if (data === path) expect(runBin(['eval', gz, ...args])).toEqual(one);
    if (label !== undefined) {
      // The metrics add the workers' rows in file order: the same sums, the same file.
      const [a, b] = [join(dir, 'one.json'), join(dir, 'many.json')];
      expect(runBin(['eval', data, ...args, '--metrics', a]).code).toBe(0);
      expect(runBin(['eval', data, ...args, '--metrics', b, '--threads', '3', '--block-bytes', '64']).code).toBe(0);
      expect(readFileSync(b, 'utf8')).toBe(readFileSync(a, 'utf8'));
      expect(JSON.parse(readFileSync(a, 'utf8')).rows).toBe(400);
    }
  });
});
