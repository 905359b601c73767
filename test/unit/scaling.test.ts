/** The optional "scaling" of a weights file: validated by parseModel, applied by the Scorer. */

import { describe, expect, it } from 'vitest';
import { NeuronError } from '../../src/errors.js';
import { bindModel } from '../../src/neuron/columns.js';
import { formatModel } from '../../src/neuron/model.js';
import { type Score, Scorer } from '../../src/neuron/scorer.js';
import { neuronModel } from '../support/helpers.js';

const base = { features: ['a', 'b'], weights: [2, -1], bias: 0.5 };

describe('parseModel: scaling', () => {
  it('keeps a valid scaling and writes it back', () => {
    const model = neuronModel({ ...base, scaling: { mean: [1, 10], std: [2, 5] } }, 'w.json');
    expect(model.scaling).toEqual({ mean: [1, 10], std: [2, 5] });
    expect(formatModel(model)).toContain('"scaling": {"mean": [1, 10], "std": [2, 5]}');
    expect(neuronModel({ ...base }, 'w.json').scaling).toBeUndefined();
  });

  it.each([
    [[1, 2], 'scaling: expected an object with "mean" and "std", got an array'],
    [{ mean: [1, 2] }, 'scaling.std: expected an array of 2 numbers, got undefined'],
    [{ mean: [1], std: [1, 1] }, 'scaling.mean: has 1 numbers but there are 2 weights'],
    [{ mean: [1, 2], std: [1, 0] }, 'scaling.std[1]: expected a finite number greater than 0, got 0'],
    [{ mean: [1, 2], std: [-1, 1] }, 'scaling.std[0]: expected a finite number greater than 0, got -1'],
    [{ mean: [1, '2'], std: [1, 1] }, 'scaling.mean[1]: expected a finite number, got "2"'],
    [{ mean: [1, 2], std: [1, 1], sd: [1, 1] }, 'scaling.sd: unknown key'],
  ])('refuses scaling %j', (scaling, message) => {
    try {
      neuronModel({ ...base, scaling }, 'w.json');
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(NeuronError);
      expect((error as NeuronError).message).toBe(message);
      expect((error as NeuronError).where.file).toBe('w.json');
    }
  });
});

describe('Scorer: scaling', () => {
  it('standardises each input before the weights: z = b + Σ w (x - mean) / std', () => {
    const model = neuronModel({ ...base, scaling: { mean: [1, 10], std: [2, 5] } }, 'w.json');
    const bound = bindModel(model, { names: ['b', 'a'], fromHeader: true });
    const score: Score = { z: 0, output: 0, cls: 0 };
    // a = 5 -> (5 - 1) / 2 = 2; b = 0 -> (0 - 10) / 5 = -2; z = 0.5 + 2·2 + (-1)·(-2) = 6.5
    new Scorer(bound).score(['0', '5'], 2, 'd.csv', score);
    expect(score.z).toBe(6.5);
  });
});
