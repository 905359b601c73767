import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FLAG_NAMES } from '../../src/cli/options.js';
import { formatError, NeuronError } from '../../src/errors.js';
import { bindModel, type Columns } from '../../src/neuron/columns.js';
import { labelClass } from '../../src/neuron/labels.js';
import type { Model } from '../../src/neuron/model.js';
import { type Score, Scorer } from '../../src/neuron/scorer.js';
import { neuronModel } from '../support/helpers.js';

const header = (...names: string[]): Columns => ({ names, fromHeader: true });
const tutorial = neuronModel({ features: ['Height (in feet)', 'Weight (in kgs)'], weights: [0.5, 0.05], bias: -4, classes: ['Not Obese', 'Obese'] }, 'w.json');
const fresh = (): Score => ({ z: 0, output: 0, cls: 0 });

function reasonOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof NeuronError) return error.reason;
    throw error;
  }
  throw new Error('expected an error');
}

function errorOf(f: () => unknown): string {
  try {
    f();
  } catch (error) {
    if (error instanceof NeuronError) return formatError(error);
    throw error;
  }
  throw new Error('expected an error');
}

describe('bindModel', () => {
  it('matches features by header name, in any order', () => {
    const bound = bindModel(tutorial, header('Condition', 'Weight (in kgs)', 'Height (in feet)'));
    expect(bound.inputIndices).toEqual([2, 1]);
  });

  it('takes positional weights over the columns that are not kept or the label', () => {
    const model = neuronModel({ weights: [1, 2], bias: 0 }, 'w.json');
    const bound = bindModel(model, header('id', 'a', 'b', 'y'), { keep: ['id'], label: 'y' });
    expect(bound.inputNames).toEqual(['a', 'b']);
    expect(bound.inputIndices).toEqual([1, 2]);
    expect(bound.keepIndices).toEqual([0]);
    expect(bound.labelIndex).toBe(3);
  });

  it('lets --features rename the inputs, weights in that order', () => {
    const bound = bindModel(tutorial, header('h', 'w'), { features: ['w', 'h'] });
    expect(bound.inputIndices).toEqual([1, 0]);
  });

  it.each([
    [
      'a missing column, with the closest name',
      () => bindModel(tutorial, header('Height (in feet)', 'Weight (in kg)'), { dataFile: 'd.csv' }),
      'd.csv: feature "Weight (in kgs)" is not a column of the data (columns: "Height (in feet)", "Weight (in kg)") — did you mean "Weight (in kg)"?',
    ],
    [
      'a missing column with nothing close',
      () => bindModel(tutorial, header('a', 'b'), { dataFile: 'd.csv' }),
      'd.csv: feature "Height (in feet)" is not a column of the data (columns: "a", "b") — check the spelling against the header',
    ],
    [
      'a weight count that differs from the columns',
      () => bindModel(neuronModel({ weights: [1, 2], bias: 0 }, 'w.json'), header('a', 'b', 'c'), { weightsFile: 'w.json' }),
      'w.json: the weights file has 2 weights but the data has 3 input columns ("a", "b", "c") — name the input columns with features, or add "features" to the weights file',
    ],
    [
      'an ambiguous duplicate header name',
      () => bindModel(neuronModel({ features: ['a'], weights: [1], bias: 0 }, 'w.json'), header('a', 'a'), { dataFile: 'd.csv' }),
      'd.csv:1: feature "a" names more than one column of the header — rename the duplicate columns',
    ],
    [
      'a kept column that is not there',
      () => bindModel(tutorial, header('Height (in feet)', 'Weight (in kgs)'), { keep: ['id'], dataFile: 'd.csv' }),
      'd.csv: keep column "id" is not a column of the data (columns: "Height (in feet)", "Weight (in kgs)") — check the spelling against the header',
    ],
    [
      'a --keep column that is not there, in the words of the command line',
      () => bindModel(tutorial, header('Height (in feet)', 'Weight (in kgs)'), { keep: ['id'], dataFile: 'd.csv', names: FLAG_NAMES }),
      'd.csv: --keep column "id" is not a column of the data (columns: "Height (in feet)", "Weight (in kgs)") — check the spelling against the header',
    ],
    [
      'a label that is also an input, in the words of the command line',
      () => bindModel(tutorial, header('Height (in feet)', 'Weight (in kgs)'), { label: 'Weight (in kgs)', names: FLAG_NAMES }),
      '--label column "Weight (in kgs)" is also an input of the model — a label cannot be a feature; choose another --label',
    ],
  ])('rejects %s', (_, bind, message) => {
    expect(errorOf(bind)).toBe(message);
  });
});

describe('Scorer', () => {
  const columns = header('Height (in feet)', 'Weight (in kgs)');

  it("scores the tutorial's row: 0.5·4 + 0.05·80 - 4 = 2, sigmoid 0.8808, Obese", () => {
    const score = new Scorer(bindModel(tutorial, columns)).score(['4', '80'], 2, 'd.csv', fresh());
    expect(score?.z).toBe(2);
    expect(score?.output).toBeCloseTo(0.880797077977882, 15);
    expect(tutorial.classes[score?.cls ?? 0]).toBe('Obese');
  });

  it('decides the class on z >= 0 without a threshold', () => {
    const scorer = new Scorer(bindModel(tutorial, columns));
    expect(scorer.score(['0', '80'], 2, undefined, fresh())?.cls).toBe(1); // z = 0
    expect(scorer.score(['0', '79.99'], 2, undefined, fresh())?.cls).toBe(0); // z < 0
  });

  it('decides the class on the output with a threshold', () => {
    const scorer = new Scorer(bindModel(tutorial, columns), { threshold: 0.9 });
    expect(scorer.score(['4', '80'], 2, undefined, fresh())?.cls).toBe(0); // 0.8808 < 0.9
    expect(scorer.score(['4', '90'], 2, undefined, fresh())?.cls).toBe(1); // z = 2.5: 0.924
  });

  it('uses an activation given as an override', () => {
    const scorer = new Scorer(bindModel(tutorial, columns), { activation: 'relu' });
    expect(scorer.score(['2', '20'], 2, undefined, fresh())).toEqual({ z: -2, output: 0, cls: 0 });
  });

  it.each([
    [['4', ''], 'd.csv:7:2: column "Weight (in kgs)": empty cell where a number is needed — fill in the value or drop the row'],
    [['4abc', '80'], 'd.csv:7:1: column "Height (in feet)": "4abc" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5'],
    [['4,5', '80'], 'd.csv:7:1: column "Height (in feet)": "4,5" is not a number — use a point as the decimal separator (4.5, not 4,5)'],
    [['0x10', '80'], 'd.csv:7:1: column "Height (in feet)": "0x10" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5'],
    [['Infinity', '80'], 'd.csv:7:1: column "Height (in feet)": "Infinity" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5'],
    [['NA', '80'], 'd.csv:7:1: column "Height (in feet)": missing value "NA" where a number is needed — fill in the value or drop the row'],
    [['1e308', '1e308'], 'd.csv:7: z = w·x + b overflows to Infinity on this row — scale the inputs or the weights down'],
  ])('rejects the row %j with a located error', (record, message) => {
    const model: Model = { ...tutorial, weights: [10, 10] };
    const scorer = new Scorer(bindModel(record[0] === '1e308' ? model : tutorial, columns));
    expect(errorOf(() => scorer.score(record, 7, 'd.csv', fresh()))).toBe(message);
  });

  it.each([
    [['NA', '80'], 'missing-value'],
    [['', '80'], 'missing-value'],
    [['4,5', '80'], 'not-a-number'],
    [['1e308', '1e308'], 'z-overflow'],
  ] as const)('gives the row %j the reason %s, for a caller to decide on (eval adds its --missing hint to missing-value)', (record, reason) => {
    const model: Model = { ...tutorial, weights: [10, 10] };
    const scorer = new Scorer(bindModel(model, columns), { missing: 'error' });
    expect(reasonOf(() => scorer.score(record, 7, 'd.csv', fresh()))).toBe(reason);
  });

  it.each([
    ['skip', undefined],
    ['zero', 'scored with 0'],
  ] as const)('with --missing %s, an NA input is %s', (missing, expected) => {
    // 0.5 * 0 + 0.05 * 80 - 4 = 0: the tutorial weights; sigmoid(0) = 0.5.
    const scorer = new Scorer(bindModel(tutorial, columns), { missing });
    const result = scorer.score(['NA', '80'], 7, 'd.csv', fresh());
    expect(result).toEqual(expected === undefined ? undefined : { z: 0, output: 0.5, cls: 1 });
  });

  it('z is the bias plus the dot product for any finite weights and inputs', () => {
    const small = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(fc.array(fc.tuple(small, small), { minLength: 1, maxLength: 8 }), small, (pairs, bias) => {
        const model = neuronModel({ weights: pairs.map(([w]) => w), bias }, 'w.json');
        const names = pairs.map((_, i) => `x${i}`);
        const scorer = new Scorer(bindModel(model, { names, fromHeader: true }));
        const score = scorer.score(
          pairs.map(([, x]) => String(x)),
          2,
          undefined,
          fresh(),
        );
        let expected = bias;
        for (const [w, x] of pairs) expected += w * x;
        return Object.is(score?.z, expected) && score?.cls === (expected >= 0 ? 1 : 0);
      }),
    );
  });
});

describe('labelClass', () => {
  it.each([
    ['Obese', 1],
    ['Not Obese', 0],
    ['1', 1],
    ['0', 0],
    [' Obese ', 1],
    ['obese', undefined],
    ['yes', undefined],
  ] as const)('%j is class %s', (label, expected) => {
    expect(labelClass(label, ['Not Obese', 'Obese'])).toBe(expected);
  });
});
