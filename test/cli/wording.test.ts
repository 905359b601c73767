/**
 * The pure layers' errors carry a reason and neutral words; each command
 * puts its own flags into the hint. The texts here are the ones the
 * commands printed before the reasons existed (the golden files hold more).
 */
import { describe, expect, it } from 'vitest';
import { fixture, runInProcess } from '../support/helpers.js';

const W = fixture('obesity.weights.json');

describe('hints that name the command line', () => {
  it.each([
    [
      'eval: a missing input points to --missing',
      ['eval', '-', '-w', W],
      'Height (in feet),Weight (in kgs)\nNA,80\n',
      '<stdin>:2:1: column "Height (in feet)": missing value "NA" where a number is needed — fill in the value, or pass --missing skip (drop the row) or --missing zero\n',
    ],
    [
      'metrics: --missing as in eval',
      ['metrics', '-', '-w', W, '--label', 'Condition'],
      'Height (in feet),Weight (in kgs),Condition\nNA,80,Obese\n',
      '<stdin>:2:1: column "Height (in feet)": missing value "NA" where a number is needed — fill in the value, or pass --missing skip (drop the row) or --missing zero\n',
    ],
    [
      'explain: no --missing, so the plain hint',
      ['explain', '-', '-w', W],
      'Height (in feet),Weight (in kgs),Condition\nNA,80,Obese\n',
      '<stdin>:2:1: column "Height (in feet)": missing value "NA" where a number is needed — fill in the value or drop the row\n',
    ],
    [
      'eval --seed: a column that is not a number says --seed took it as an input',
      ['eval', '-', '--seed', '1'],
      'name,height\nann,4\n',
      '<stdin>:2:1: column "name": "ann" is not a number — --seed takes every column that is not --keep or --label as an input: name the inputs with --features\n',
    ],
    [
      'eval --seed: a missing value as well',
      ['eval', '-', '--seed', '1', '--missing', 'error'],
      'a,b\n,4\n',
      '<stdin>:2:1: column "a": empty cell where a number is needed — --seed takes every column that is not --keep or --label as an input: name the inputs with --features\n',
    ],
    [
      'train: a loss that overflows at the start',
      ['train', '-', '--label', 'y', '--seed', '5', '--init', 'he-normal', '--solver', 'gd'],
      'x,y\n1.5e308,a\n-1.5e308,b\n',
      'the loss became Infinity at epoch 0 — scale the inputs down, or use --standardize\n',
    ],
    [
      'train (newton): a loss that overflows at the start',
      ['train', '-', '--label', 'y', '--seed', '5', '--init', 'he-normal'],
      'x,y\n1.5e308,a\n-1.5e308,b\n',
      'the loss is Infinity at the starting weights — scale the inputs down, or use --standardize\n',
    ],
    [
      'train: a loss that becomes NaN later',
      ['train', '-', '--label', 'y', '--seed', '4', '--init', 'he-normal', '--solver', 'gd'],
      'x,y\n1.5e308,a\n-1.5e308,b\n',
      'the loss became NaN at epoch 1 — lower --lr, or use --standardize\n',
    ],
  ])('%s', async (_, argv, stdin, stderr) => {
    const result = await runInProcess(argv, { stdin });
    // The last line of stderr (eval --seed first says which weights it drew).
    expect(result.stderr.split('\n').at(-2)).toBe(`neuron: ${stderr.trimEnd()}`);
    expect(result.code).toBe(1);
  });
});
