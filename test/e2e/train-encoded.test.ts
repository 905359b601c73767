/**
 * End to end (the built bin/neuron.js): train's k classes, --categorical and
 * --impute, each flag and each error with its exact message and exit code;
 * summary over an encoded model and its refusal of a softmax layer;
 * random-init --classes a,b,c against NumPy (fixtures/reference/random_init_layer_reference.py).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runBin } from '../support/helpers.js';

const DATA = 'fixtures/train-categorical.csv';
const dir = mkdtempSync(join(tmpdir(), 'neuron-train-encoded-'));
const at = (name: string) => join(dir, name);
const train = (...args: string[]) => runBin(['train', DATA, ...args]);
const INPUTS = ['--features', 'age,fare,sex,port'];

describe('train --categorical and --impute', () => {
  it('stores the categories and fills, one weight per column=category, in column order', () => {
    const result = train('--label', 'survived', ...INPUTS, '--categorical', 'sex,port', '--impute', 'median,port=mean', '--C', '1');
    expect(result.code, result.stderr).toBe(0);
    const model = JSON.parse(result.stdout);
    expect(model.features).toEqual(['age', 'fare', 'sex=female', 'sex=male', 'port=C', 'port=Q', 'port=S']);
    expect(model.categories).toEqual({ sex: ['female', 'male'], port: ['C', 'Q', 'S'] });
    // median for numbers (numpy.median), the most frequent category for a categorical column (mean and median alike).
    expect(model.impute).toEqual({ age: 34, fare: 16.49, sex: 'female', port: 'S' });
    expect(model.activation).toBe('sigmoid');
  });

  it('constant=V may name a new category: it joins the sorted categories', () => {
    const result = train(
      '--label',
      'survived',
      ...INPUTS,
      '--categorical',
      'sex,port',
      '--impute',
      'age=zero,fare=constant=-1,port=constant=Unknown',
      '--C',
      '1',
    );
    expect(result.code, result.stderr).toBe(0);
    const model = JSON.parse(result.stdout);
    expect(model.categories.port).toEqual(['C', 'Q', 'S', 'Unknown']);
    expect(model.impute).toEqual({ age: 0, fare: -1, port: 'Unknown' });
  });

  it('--standardize z-scores the numeric inputs and leaves the indicators 0/1', () => {
    const result = train('--label', 'survived', ...INPUTS, '--categorical', 'sex,port', '--impute', 'mean', '--standardize', '--C', '1');
    expect(result.code, result.stderr).toBe(0);
    const { scaling } = JSON.parse(result.stdout);
    expect(scaling.mean.slice(2)).toEqual([0, 0, 0, 0, 0]);
    expect(scaling.std.slice(2)).toEqual([1, 1, 1, 1, 1]);
    expect(scaling.std[0]).toBeGreaterThan(1);
  });

  it('the output is the same bytes on every run (unpenalised one-hot plus a bias has many optima; train writes one)', () => {
    const args = ['--label', 'survived', ...INPUTS, '--categorical', 'sex,port', '--impute', 'median'];
    const first = train(...args);
    expect(first.code, first.stderr).toBe(0);
    expect(train(...args).stdout).toBe(first.stdout);
  });

  it('--missing skip drops a row whose categorical cell is missing and has no fill', () => {
    const result = train('--label', 'survived', ...INPUTS, '--categorical', 'sex,port', '--impute', 'age=median,fare=mean', '--missing', 'skip', '-q');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('neuron: skipped 5 rows with a missing value (lines 3, 11, 30, 44, 70)\n');
    // The fills are computed over the rows kept (pandas: 23.398333333333337 over the 75 rows with a port).
    expect(JSON.parse(result.stdout).impute).toEqual({ age: 34, fare: expect.closeTo(23.398333333333337, 12) });
  });
});

describe('train with three or more classes: a softmax layer', () => {
  it('writes k rows of weights, k biases, the classes sorted, and the summary line', () => {
    const result = train('--label', 'tier', ...INPUTS, '--categorical', 'sex,port', '--impute', 'median', '--C', '1', '-o', at('tier.json'));
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /^neuron: trained by newton: \d+ iterations from zeros, converged \(gradient norm \S+ <= --gtol 1e-10\): mean log loss 1\.00\d+ \(objective with the penalty \S+\), gradient norm \S+, accuracy \d+\/80 = \d+\.\d\d% on the training data\n$/,
    );
    const model = JSON.parse(readFileSync(at('tier.json'), 'utf8'));
    expect(model.activation).toBe('softmax');
    expect(model.classes).toEqual(['a', 'b', 'c']);
    expect(model.weights).toHaveLength(3);
    expect(model.bias).toHaveLength(3);
    // Centred: each feature's weights sum to 0 over the classes.
    for (let j = 0; j < 7; j++) expect(Math.abs(model.weights.reduce((sum: number, row: number[]) => sum + (row[j] as number), 0))).toBeLessThan(1e-12);
  });

  it('metrics on the trained layer: the accuracy and log loss train reported (the encoding travels in the file)', () => {
    const trained = train(
      '--label',
      'tier',
      ...INPUTS,
      '--categorical',
      'sex,port',
      '--impute',
      'median',
      '--standardize',
      '--C',
      '1',
      '--history',
      at('tier.ndjson'),
      '-q',
      '-o',
      at('tier-std.json'),
    );
    expect(trained.code, trained.stderr).toBe(0);
    const last = JSON.parse(readFileSync(at('tier.ndjson'), 'utf8').trimEnd().split('\n').at(-1) as string);
    const result = runBin(['metrics', DATA, '-w', at('tier-std.json'), '--label', 'tier', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const metrics = JSON.parse(result.stdout);
    expect(metrics.accuracy).toBe(last.accuracy);
    expect(metrics.log_loss).toBeCloseTo(last.loss, 12);
  });

  it('numeric labels sort in numeric order', () => {
    const csv = at('numeric.csv');
    writeFileSync(csv, 'x,y\n1,10\n2,9\n3,10\n4,2\n5,9\n6,2\n');
    const result = runBin(['train', csv, '--label', 'y', '--C', '1', '-q']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).classes).toEqual(['2', '9', '10']);
  });

  it('--solver lbfgs reaches the Newton optimum; --history has a line per iteration', () => {
    const args = ['--label', 'tier', ...INPUTS, '--categorical', 'sex,port', '--impute', 'median', '--C', '1', '-q'];
    const newton = JSON.parse(train(...args).stdout);
    const lbfgs = train(...args, '--solver', 'lbfgs', '--history', at('history.ndjson'));
    expect(lbfgs.code, lbfgs.stderr).toBe(0);
    const model = JSON.parse(lbfgs.stdout);
    expect(model.weights).toEqual(newton.weights.map((row: number[]) => row.map((w) => expect.closeTo(w, 7))));
    const lines = readFileSync(at('history.ndjson'), 'utf8')
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line));
    expect(lines[0]).toMatchObject({ iteration: 0, loss: expect.closeTo(Math.log(3), 14), solver: 'lbfgs' });
    expect(lines.at(-1).iteration).toBe(lines.length - 1);
    // The last line is the model written: the converged iteration's.
    expect(lines.at(-1).gradientNorm).toBeLessThanOrEqual(1e-10);
  });

  it('--strict: separated data writes nothing (exit 1)', () => {
    const csv = at('separated.csv');
    writeFileSync(csv, 'x,y\n1,a\n2,a\n5,b\n6,b\n9,c\n10,c\n');
    const result = runBin(['train', csv, '--label', 'y', '--strict', '-q']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^neuron: the classes are perfectly separated: .* — --l2 or --C \(such as --C 1\) gives a finite, unique optimum\nneuron: nothing written \(--strict\) — the message above says why and what to do\n$/,
    );
  });
});

describe('train: errors', () => {
  const tier = ['--label', 'tier', '--features', 'age,fare,sex', '--categorical', 'sex', '--impute', 'mean'];
  it.each([
    [
      'a non-number cell suggests --categorical',
      ['--label', 'survived', ...INPUTS],
      1,
      'neuron: fixtures/train-categorical.csv:2:3: column "sex": "female" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5; if the column holds categories, pass --categorical sex\n',
    ],
    [
      'a missing cell without --impute',
      ['--label', 'survived', ...INPUTS, '--categorical', 'sex,port'],
      1,
      'neuron: fixtures/train-categorical.csv:3:1: column "age": missing value "NA" where a number is needed — fill in the value, pass --missing skip (drop the row), or fill the column with --impute (such as --impute median)\n',
    ],
    [
      '--impute zero for a categorical column',
      ['--label', 'survived', ...INPUTS, '--categorical', 'sex,port', '--impute', 'zero'],
      2,
      'neuron: --impute zero: column "sex" is categorical, and 0 is not one of its categories — give it its own fill: --impute sex=mean (the most frequent category) or sex=constant=V\n',
    ],
    [
      '--impute constant=V that is not a number for a numeric column',
      ['--label', 'survived', ...INPUTS, '--categorical', 'sex,port', '--impute', 'constant=x'],
      2,
      'neuron: --impute constant=x: column "age" holds numbers, and "x" is not one — give the column a number (--impute age=constant=0), or pass --categorical age\n',
    ],
    [
      '--impute that is no strategy',
      ['--label', 'survived', ...INPUTS, '--impute', 'mean,foo'],
      2,
      "neuron: option '--impute <fills>' argument 'mean,foo' is invalid. Expected mean, median, zero or constant=V for every input, and/or COLUMN=STRATEGY per column, such as median,port=constant=S.\n(run \"neuron train --help\" for usage)\n",
    ],
    [
      '--categorical naming a column that is not an input',
      ['--label', 'survived', '--features', 'age,fare,sex', '--categorical', 'sex,port', '--impute', 'mean'],
      2,
      'neuron: --categorical column "port" is not an input — --categorical names input columns ("age", "fare", "sex"); add it to --features, or drop it\n',
    ],
    [
      '--categorical naming no column',
      ['--label', 'survived', '--features', 'age,fare,sex', '--categorical', 'sex,nope', '--impute', 'mean'],
      1,
      'neuron: fixtures/train-categorical.csv: --categorical column "nope" is not a column of the data (columns: "age", "fare", "sex", "port", "survived", "tier") — check the spelling against the header\n',
    ],
    [
      'k classes with --solver gd and --seed',
      [...tier, '--solver', 'gd', '--seed', '3'],
      2,
      'neuron: the --label column has 3 classes, and a softmax layer is fitted by Newton or L-BFGS from zeros: it does not take --solver gd, --seed — drop --solver gd, --seed\n',
    ],
    [
      'k classes with --summary',
      [...tier, '--summary'],
      2,
      'neuron: the --label column has 3 classes, and a softmax layer is fitted by Newton or L-BFGS from zeros: it does not take --summary — drop --summary (summary is for two classes)\n',
    ],
    [
      'k classes with one --classes value',
      [...tier, '--classes', 'a'],
      2,
      'neuron: --classes "a" names class 1 of two, but the --label column has 3 classes — drop --classes to fit every class (softmax), or keep only rows of two classes\n',
    ],
    [
      'two --classes and a third label value',
      [...tier, '--classes', 'a,b'],
      1,
      'neuron: fixtures/train-categorical.csv:2:6: --label column "tier": "c" is not one of --classes ("a", "b") — keep only rows of those two classes, or drop --classes to fit every class\n',
    ],
    [
      '--class-weight naming no class',
      [...tier, '--class-weight', 'a=2,d=1'],
      2,
      'neuron: --class-weight names "d", which is not a class ("a", "b", "c") — name the classes as the label column writes them\n',
    ],
    [
      '--engine with --categorical and --impute',
      [...tier, '--engine', 'duckdb'],
      2,
      'neuron: --engine fits numeric columns and does not take --categorical or --impute — train in-process (without --engine) to encode and fill columns\n',
    ],
  ])('%s', (_name, args, code, stderr) => {
    const result = train(...(args as string[]));
    expect(result.stderr).toBe(stderr);
    expect(result.stdout).toBe('');
    expect(result.code).toBe(code);
  });

  it('a category with a control character (it would name an input of the model): exit 1 at its cell', () => {
    const result = runBin(['train', '-', '--label', 'y', '--categorical', 'c'], { input: 'a,c,y\n1,x,1\n2,"q\u001b[2J",0\n3,y,1\n' });
    expect(result.stderr).toBe(
      'neuron: <stdin>:3:2: --categorical column "c": the category "q\\u001b[2J" holds a control character (U+001B), and would name an input of the model — categories become input names: clean the cell\n',
    );
    expect(result.code).toBe(1);
  });

  it('--impute constant=V with a control character: exit 2', () => {
    const result = runBin(['train', '-', '--label', 'y', '--categorical', 'c', '--impute', 'c=constant=\u0001'], { input: 'a,c,y\n1,x,1\n' });
    expect(result.stderr).toBe(
      'neuron: option \'--impute <fills>\' argument \'c=constant=\\x01\' is invalid. The constant "\\u0001" holds a control character (U+0001).\n(run "neuron train --help" for usage)\n',
    );
    expect(result.code).toBe(2);
  });

  it('--impute over a column with no value at all', () => {
    const result = runBin(['train', '-', '--label', 'y', '--impute', 'mean'], { input: 'a,y\n,1\n,0\n' });
    expect(result.stderr).toBe(
      'neuron: --impute mean: column "a" has no value in the training rows to compute its fill from — give it a constant (--impute a=constant=V), or leave the column out\n',
    );
    expect(result.code).toBe(1);
  });
});

describe('summary over encoded and softmax models', () => {
  it('an encoded two-class model: one row per encoded input, named column=category', () => {
    const trained = train('--label', 'survived', ...INPUTS, '--categorical', 'sex,port', '--impute', 'median', '--C', '1', '-q', '-o', at('encoded.json'));
    expect(trained.code, trained.stderr).toBe(0);
    const result = runBin(['summary', DATA, '-w', at('encoded.json'), '--label', 'survived', '--C', '1', '--format', 'json']);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(result.stdout);
    expect(summary.coefficients.map((c: { name: string }) => c.name)).toEqual(['bias', 'age', 'fare', 'sex=female', 'sex=male', 'port=C', 'port=Q', 'port=S']);
    expect(summary.converged).toBe(true);
  });

  it('a softmax model: refused (exit 2)', () => {
    expect(train('--label', 'tier', ...INPUTS, '--categorical', 'sex,port', '--impute', 'median', '--C', '1', '-q', '-o', at('layer.json')).code).toBe(0);
    const result = runBin(['summary', DATA, '-w', at('layer.json'), '--label', 'tier']);
    expect(result.stderr).toBe(
      `neuron: ${at('layer.json')}: summary is for two classes, and this model is a softmax layer of 3 classes — use metrics for its accuracy and log loss (standard errors for a softmax layer, statsmodels' MNLogit, are not offered)\n`,
    );
    expect(result.code).toBe(2);
  });
});

describe('random-init --classes', () => {
  const reference = JSON.parse(readFileSync(fixture('reference/random-init-layer.json'), 'utf8')) as { cases: { args: string[]; weights: number[][] }[] };
  it.each(reference.cases)('$args: the weights NumPy draws with size (k, n)', ({ args, weights }) => {
    const result = runBin(['random-init', ...args]);
    expect(result.code, result.stderr).toBe(0);
    const model = JSON.parse(result.stdout);
    expect(model.activation).toBe('softmax');
    // Equal to NumPy's draws; a normal can differ in its last bit, as V8's Math.log and the C library's log may.
    expect(model.weights).toEqual(weights.map((row) => row.map((w) => expect.closeTo(w, 15))));
    expect(model.bias).toEqual(weights.map(() => 0));
  });

  it('two names keep the two-class format; --activation with three is refused', () => {
    expect(JSON.parse(runBin(['random-init', '--inputs', '2', '--classes', 'a,b', '--seed', '1']).stdout).activation).toBe('sigmoid');
    const result = runBin(['random-init', '--inputs', '2', '--classes', 'a,b,c', '--activation', 'tanh']);
    expect(result.stderr).toBe('neuron: --activation tanh is for one neuron; 3 classes make a softmax layer — drop --activation, or give two --classes\n');
    expect(result.code).toBe(2);
  });
});
