/**
 * End-to-end: the built bin/neuron.js over the fixtures, stdout, stderr and
 * exit code compared with test/golden/<name>.txt. The tutorial numbers in
 * them were checked by hand: row 4 ft, 80 kg with weights [-1.5, 0.1] and
 * bias 0 gives z = -6 + 8 = 2 and sigmoid(2) = 0.8807970779778824; the
 * random-init values are NumPy's (see test/random.test.ts).
 */
import { describe, it } from 'vitest';
import { checkGolden, type GoldenCase } from '../support/golden.js';

const W = 'fixtures/obesity.weights.json';
const DATA = 'fixtures/obesity.csv';
const FLOWERS = 'fixtures/flowers-three-classes.csv';
const FLOWERS_W = 'fixtures/flowers.softmax.weights.json';
const PASSENGERS = 'fixtures/categorical-missing.csv';
const tutorialRow = 'Height (in feet),Weight (in kgs)\n4,80\n';

const cases: GoldenCase[] = [
  // formats
  { name: 'eval-csv', args: ['eval', DATA, '--weights', W] },
  { name: 'eval-table', args: ['eval', DATA, '--weights', W, '--format', 'table', '--label', 'Condition'] },
  { name: 'eval-table-force-color', args: ['eval', DATA, '-w', W, '--format', 'table'], env: { FORCE_COLOR: '1' } },
  { name: 'eval-table-no-color-wins', args: ['eval', DATA, '-w', W, '--format', 'table'], env: { FORCE_COLOR: '1', NO_COLOR: '1' } },
  { name: 'eval-table-no-color-flag', args: ['eval', DATA, '-w', W, '--format', 'table', '--no-color'], env: { FORCE_COLOR: '1' } },
  { name: 'eval-csv-force-color', args: ['eval', DATA, '-w', W, '--format', 'csv'], env: { FORCE_COLOR: '1' } },
  { name: 'eval-tsv', args: ['eval', DATA, '-w', W, '--format', 'tsv'] },
  { name: 'eval-json', args: ['eval', DATA, '-w', W, '--format', 'json'] },
  { name: 'eval-ndjson', args: ['eval', DATA, '-w', W, '--format', 'ndjson'] },
  { name: 'eval-precision', args: ['eval', DATA, '-w', W, '--precision', '3'] },
  // inputs and options
  { name: 'eval-stdin-tutorial-row', args: ['eval', '-', '-w', W], stdin: tutorialRow },
  { name: 'eval-keep-label', args: ['eval', 'fixtures/patients.csv', '-w', W, '--keep', 'id,name', '--label', 'Condition'] },
  { name: 'eval-features-no-header', args: ['eval', '-', '-w', W, '--no-header', '--features', '1,2'], stdin: '4,80\n6,70\n' },
  { name: 'eval-threshold', args: ['eval', DATA, '-w', W, '--threshold', '0.9', '--format', 'tsv'] },
  { name: 'eval-activation-tanh', args: ['eval', '-', '-w', W, '--activation', 'tanh'], stdin: tutorialRow },
  { name: 'eval-delimiter', args: ['eval', '-', '-w', W, '--delimiter', ';'], stdin: 'Height (in feet);Weight (in kgs)\n4;80\n' },
  { name: 'eval-seed', args: ['eval', DATA, '--seed', '42', '--label', 'Condition', '--classes', 'Not Obese,Obese'] },
  // data and weights errors: exit 1
  { name: 'error-missing-column', args: ['eval', DATA, '-w', 'fixtures/misspelled.weights.json'] },
  { name: 'error-bad-number', args: ['eval', 'fixtures/bad-number.csv', '-w', W] },
  { name: 'error-ragged-row', args: ['eval', 'fixtures/ragged.csv', '-w', W] },
  { name: 'error-label-value', args: ['eval', DATA, '--seed', '1', '--label', 'Condition'] },
  { name: 'error-no-such-data', args: ['eval', 'fixtures/nope.csv', '-w', W] },
  { name: 'error-no-such-weights', args: ['eval', DATA, '-w', 'fixtures/nope.json'] },
  { name: 'error-weights-invalid-json', args: ['eval', DATA, '-w', 'fixtures/invalid-json.weights.json'] },
  { name: 'error-weights-unknown-key', args: ['eval', DATA, '-w', 'fixtures/typo-key.weights.json'] },
  { name: 'error-weights-string-number', args: ['eval', DATA, '-w', 'fixtures/string-weight.weights.json'] },
  { name: 'error-empty-data', args: ['eval', '-', '-w', W], stdin: '' },
  // usage errors: exit 2
  { name: 'usage-no-weights', args: ['eval', DATA] },
  { name: 'usage-unknown-option', args: ['eval', DATA, '-w', W, '--frmat', 'csv'] },
  { name: 'usage-bad-format', args: ['eval', DATA, '-w', W, '--format', 'xml'] },
  { name: 'usage-bad-seed', args: ['eval', DATA, '--seed', 'abc'] },
  { name: 'usage-bad-threshold', args: ['eval', DATA, '-w', W, '--threshold', 'high'] },
  { name: 'usage-unknown-command', args: ['evaluate', DATA] },
  // issue 10, minor: commander printed the whole help for `help nope`, without a word about the typo.
  { name: 'usage-help-unknown-command', args: ['help', 'nope'] },
  // random-init
  // k classes (a softmax layer) and encoded models (categories, impute): issue 12. The z and softmax values are
  // checked against NumPy in test/e2e/eval-softmax.test.ts (fixtures/reference/eval_softmax_reference.py).
  { name: 'eval-softmax-csv', args: ['eval', FLOWERS, '-w', FLOWERS_W, '--keep', 'id', '--label', 'species'] },
  { name: 'eval-softmax-table', args: ['eval', FLOWERS, '-w', FLOWERS_W, '--format', 'table', '--label', 'species'] },
  { name: 'eval-softmax-ndjson', args: ['eval', FLOWERS, '-w', FLOWERS_W, '--format', 'ndjson', '--precision', '4'] },
  { name: 'eval-encoded-csv', args: ['eval', PASSENGERS, '-w', 'fixtures/categorical.weights.json', '--keep', 'name', '--label', 'survived'] },
  { name: 'eval-encoded-softmax-table', args: ['eval', PASSENGERS, '-w', 'fixtures/categorical.softmax.weights.json', '--keep', 'name', '--format', 'table'] },
  {
    name: 'error-unknown-category',
    args: ['eval', '-', '-w', 'fixtures/categorical.weights.json'],
    stdin: 'sex,port,age,fare\nfemale,S,30,10\nmale,Southampton,3,4\n',
  },
  {
    name: 'eval-unknown-zero',
    args: ['eval', '-', '-w', 'fixtures/categorical.weights.json', '--unknown', 'zero'],
    stdin: 'sex,port,age,fare\nmale,Southampton,3,4\n',
  },
  { name: 'usage-softmax-threshold', args: ['eval', FLOWERS, '-w', FLOWERS_W, '--threshold', '0.5'] },
  { name: 'eval-softmax-engine', args: ['eval', FLOWERS, '-w', FLOWERS_W, '--engine', 'duckdb'] },
  { name: 'usage-encoded-features', args: ['eval', PASSENGERS, '-w', 'fixtures/categorical.weights.json', '--features', 'age,fare'] },
  {
    name: 'usage-softmax-keep-clash',
    args: ['eval', '-', '-w', FLOWERS_W, '--keep', 'softmax_setosa'],
    stdin: 'softmax_setosa,petal length (cm),petal width (cm)\n1,2,3\n',
  },
  { name: 'random-init-numpy', args: ['random-init', '--init', 'normal', '--scale', '1', '--seed', '42', '--inputs', '5'] },
  { name: 'random-init-from', args: ['random-init', '--from', DATA, '--label', 'Condition', '--seed', '42', '--classes', 'Not Obese,Obese'] },
  { name: 'random-init-features-he', args: ['random-init', '--features', 'a,b,c', '--init', 'he-uniform', '--seed', '7', '--bias-init', '-1'] },
  { name: 'random-init-usage-no-inputs', args: ['random-init', '--seed', '1'] },
  { name: 'random-init-usage-big-seed', args: ['random-init', '--inputs', '2', '--seed', '4294967296'] },
  { name: 'help', args: ['--help'] },
  { name: 'help-command', args: ['help'] },
  // No command: the help goes to stderr, and it is a usage error.
  { name: 'usage-no-command', args: [] },
  { name: 'help-eval', args: ['eval', '--help'] },
];

describe('neuron end to end', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    checkGolden(c);
  });
});
