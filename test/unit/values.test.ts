/** The library's plain-number entries refuse bad input with a NeuronError naming what is wrong, never a wrong number. */

import { describe, expect, it } from 'vitest';
import { formatError, NeuronError } from '../../src/errors.js';
import { datasetOf, trainModel } from '../../src/learn/fit.js';
import { metricsOf } from '../../src/learn/metrics.js';
import { scoreRecord, scoreValues } from '../../src/neuron/values.js';
import { neuronModel } from '../support/helpers.js';

const named = neuronModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4 });
const positional = neuronModel({ weights: [1], bias: 0 });

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
