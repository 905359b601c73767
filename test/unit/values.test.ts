/** The library's plain-number entries refuse bad input with a NeuronError naming what is wrong, never a wrong number. */

import { describe, expect, it } from 'vitest';
import { formatError, NeuronError } from '../../src/errors.js';
import { datasetOf, trainModel } from '../../src/learn/fit.js';
import { metricsOf } from '../../src/learn/metrics.js';
import { isSoftmax, parseModel } from '../../src/neuron/model.js';
import { scoreRecord, scoreValues } from '../../src/neuron/values.js';
import { neuronModel } from '../support/helpers.js';

const named = neuronModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4 });
const positional = neuronModel({ weights: [1], bias: 0 });
const parsedLayer = parseModel({
  features: ['x', 'y'],
  weights: [
    [1, 0],
    [0, 1],
    [-1, -1],
  ],
  bias: [0, 0, 0],
  activation: 'softmax',
  classes: ['a', 'b', 'c'],
});
if (!isSoftmax(parsedLayer)) throw new Error('expected a softmax layer');
const layer = parsedLayer;
const encoded = parseModel({ weights: { age: 0.1, 'sex=f': 1, 'sex=m': -1 }, bias: 0, categories: { sex: ['f', 'm'] } });

/** The error `run` throws, as `neuron` would print it, with its code. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof NeuronError) return `${error.kind}: ${formatError(error)}`;
    throw error;
  }
  throw new Error('did not throw');
}

describe('bad input to the library', () => {
  it.each([
    [
      'too few values',
      () => scoreValues(named, [4]),
      'data: expected 2 input values, one per weight ("height", "weight"), got 1 value — give the inputs as an array of numbers in weight order',
    ],
    [
      'not an array',
      () => scoreValues(named, '48' as unknown as number[]),
      'data: expected 2 input values, one per weight ("height", "weight"), got "48" — give the inputs as an array of numbers in weight order',
    ],
    [
      'Infinity',
      () => scoreValues(positional, [Number.POSITIVE_INFINITY]),
      'data: input "1": expected a finite number, got Infinity — give every input as a finite number',
    ],
    [
      'a string value',
      () => scoreValues(positional, ['1'] as unknown as number[]),
      'data: input "1": expected a finite number, got "1" — give every input as a finite number',
    ],
    [
      'a record without a feature',
      () => scoreRecord(named, { height: 4 }),
      'data: feature "weight" is not in the record (keys: "height") — give every feature of the model',
    ],
    [
      'a record with an empty cell',
      () => scoreRecord(named, { height: 4, weight: ' ' }),
      'data: column "weight": empty cell where a number is needed — fill in the value or drop the row',
    ],
    [
      'a record for positional weights',
      () => scoreRecord(positional, { x: 1 }),
      'weights: the weights are positional (no "features"), so a record cannot be matched by name — use scoreValues, or add "features"',
    ],
    [
      'a record that is not an object',
      () => scoreRecord(named, null as unknown as Record<string, number>),
      'data: expected a record (an object of column name to value), got "null" — give the row as an object',
    ],
    [
      'a softmax layer with too few values',
      () => scoreValues(layer, [1]),
      'data: expected 2 input values, one per weight ("x", "y"), got 1 value — give the inputs as an array of numbers in weight order',
    ],
    [
      'a softmax layer with a threshold',
      () => scoreValues(layer, [1, 2], { threshold: 0.5 }),
      'usage: threshold does not apply to a softmax model (3 classes): the class is the largest z — drop the threshold option',
    ],
    [
      'a softmax layer with an activation',
      () => scoreRecord(layer, { x: 1, y: 2 }, { activation: 'tanh' }),
      'usage: activation does not apply to a softmax model (3 classes): the class is the largest z — drop the activation option',
    ],
    [
      'an encoded model: a record without a column',
      () => scoreRecord(encoded, { age: 3 }),
      'data: column "sex" is not in the record (keys: "age") — give every input column of the model',
    ],
    [
      'an encoded model: a missing cell without a fill (no line or column: a record has none)',
      () => scoreRecord(encoded, { age: 'NA', sex: 'f' }),
      'data: column "age": missing value "NA" where a number is needed — fill in the value or drop the row',
    ],
    [
      'an encoded model: an unknown category',
      () => scoreRecord(encoded, { age: 3, sex: 'F' }),
      'data: column "sex": "F" is not one of the model\'s categories ("f", "m") — fix the cell, or score it with every indicator of the column 0 (the unknown: "zero" option)',
    ],
    [
      'an encoded model: a number that is not finite',
      () => scoreRecord(encoded, { age: Number.NaN, sex: 'f' }),
      'data: column "age": expected a finite number, got NaN — give every input as a finite number',
    ],
    ['labels and rows of different counts', () => metricsOf(positional, [[1], [2]], [1]), 'data: 2 rows but 1 labels — give one label per row'],
    ['ragged training rows', () => datasetOf([[1, 2], [3]], [0, 1]), 'data: row 2 has 1 values, row 1 has 2 — give every row the same inputs'],
    ['a label that is not 0/1', () => datasetOf([[1]], [2 as 0]), 'data: label 1: expected 0 or 1, got 2'],
    ['a NaN training value', () => datasetOf([[Number.NaN]], [0]), 'data: row 1, input 1: expected a finite number, got NaN'],
    ['one class only, as neuron train', () => trainModel([[1], [2]], [1, 1]), 'data: the labels hold one class only (1) — training needs rows of both classes'],
    ['no rows', () => trainModel([], []), 'data: the labels hold one class only (no rows) — training needs rows of both classes'],
  ])('%s', (_, run, expected) => {
    expect(failure(run)).toBe(expected);
  });
});

describe('the library on a softmax layer and an encoded model', () => {
  it('scoreRecord and scoreValues agree: a record read by name, the values in weight order', () => {
    // z = (x, y, -x - y) = (1, 2, -3); softmax by scipy.special.softmax (to an ulp).
    const reference = [0.26762315414986243, 0.7274751568004648, 0.004901689049672921];
    const byValues = scoreValues(layer, [1, 2]);
    expect([byValues.z, byValues.class, byValues.classIndex]).toEqual([[1, 2, -3], 'b', 1]);
    byValues.probabilities.forEach((p, i) => {
      expect(p).toBeCloseTo(reference[i] as number, 15);
    });
    expect(scoreRecord(layer, { y: '2', x: 1, other: 'ignored' })).toEqual(byValues);
  });

  it('an encoded model: scoreValues takes the one-hot inputs, scoreRecord the categories by name', () => {
    expect(scoreValues(encoded, [20, 0, 1]).z).toBe(1);
    expect(scoreRecord(encoded, { sex: 'm', age: 20 }).z).toBe(1);
    expect(scoreRecord(encoded, { sex: 'F', age: 20 }, { unknown: 'zero' }).z).toBe(2);
  });
});
