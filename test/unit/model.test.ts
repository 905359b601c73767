import { describe, expect, it } from 'vitest';
import { formatError, NeuronError } from '../../src/errors.js';
import { formatModel, parseModel } from '../../src/neuron/model.js';
import { neuronModel } from '../support/helpers.js';

/** The one-line message neuron prints for a weights file `value` named w.json. */
function messageFor(value: unknown): string {
  try {
    parseModel(value, 'w.json');
  } catch (error) {
    if (error instanceof NeuronError) return formatError(error);
    throw error;
  }
  throw new Error('expected the weights to be rejected');
}

describe('parseModel', () => {
  it('reads the canonical form', () => {
    const model = parseModel(
      { features: ['Height (in feet)', 'Weight (in kgs)'], weights: [0.5, 0.05], bias: -4, activation: 'sigmoid', classes: ['Not Obese', 'Obese'] },
      'w.json',
    );
    expect(model).toEqual({
      features: ['Height (in feet)', 'Weight (in kgs)'],
      weights: [0.5, 0.05],
      bias: -4,
      activation: 'sigmoid',
      classes: ['Not Obese', 'Obese'],
      threshold: undefined,
      init: undefined,
    });
  });

  it('reads weights keyed by column name, implying the features', () => {
    const model = parseModel({ weights: { height: 0.5, weight: 0.05 }, bias: -4 }, 'w.json');
    expect(model.features).toEqual(['height', 'weight']);
    expect(model.weights).toEqual([0.5, 0.05]);
  });

  it('fills in the defaults', () => {
    const model = neuronModel({ weights: [1], bias: 0 }, 'w.json');
    expect(model.activation).toBe('sigmoid');
    expect(model.classes).toEqual(['0', '1']);
    expect(model.features).toBeUndefined();
    expect(model.threshold).toBeUndefined();
  });

  it('keeps random-init provenance', () => {
    const init = { seed: 42, scheme: 'xavier-uniform', generator: 'mt19937' };
    expect(parseModel({ weights: [1], bias: 0, init }, 'w.json').init).toEqual(init);
  });

  it.each([
    [[1, 2], 'w.json: expected a JSON object with "weights" and "bias", got an array'],
    [null, 'w.json: expected a JSON object with "weights" and "bias", got null'],
    [{ weights: [1], bais: 0 }, 'w.json: "bais": unknown key — did you mean "bias"?'],
    [
      { weights: [1], bias: 0, colour: 1 },
      'w.json: "colour": unknown key — the keys are features, weights, bias, activation, classes, threshold, init, scaling, categories, impute, note',
    ],
    [{ weights: [0.5, '0.5'], bias: 0 }, 'w.json: weights[1]: expected a finite number, got "0.5"'],
    [{ weights: [0.5, null], bias: 0 }, 'w.json: weights[1]: expected a finite number, got null'],
    [{ weights: [JSON.parse('1e400')], bias: 0 }, 'w.json: weights[0]: expected a finite number, got Infinity (out of range)'],
    [{ weights: { a: 1, b: true }, bias: 0 }, 'w.json: weights["b"]: expected a finite number, got true'],
    [{ weights: 3, bias: 0 }, 'w.json: weights: expected an array of numbers or an object of numbers, got 3'],
    [{ bias: 0 }, 'w.json: weights: missing — add "weights": an array of numbers, or an object of column name to number'],
    [{ weights: [], bias: 0 }, 'w.json: weights: is empty — give one weight per input column'],
    [{ weights: [1] }, 'w.json: bias: missing — add "bias": a number (0 if the model has none)'],
    [{ weights: [1], bias: '0' }, 'w.json: bias: expected a finite number, got "0"'],
    [{ features: ['a'], weights: [1, 2], bias: 0 }, 'w.json: weights: has 2 numbers but "features" names 1 columns — give one weight per feature'],
    [{ features: ['a', 'a'], weights: [1, 2], bias: 0 }, 'w.json: features[1]: "a" is listed twice'],
    [{ features: ['a', ''], weights: [1, 2], bias: 0 }, 'w.json: features[1]: expected a non-empty string, got ""'],
    [{ features: 'a,b', weights: [1, 2], bias: 0 }, 'w.json: features: expected an array of column names, got "a,b"'],
    [
      { features: ['a'], weights: { a: 1 }, bias: 0 },
      'w.json: features: not allowed when "weights" is an object — the object\'s keys name the features; remove "features"',
    ],
    [{ weights: [1], bias: 0, activation: 'softmax' }, "w.json: weights[0]: expected an array of numbers (class 0's weights), got 1"],
    [
      { weights: [1], bias: 0, activation: 'softmx' },
      'w.json: activation: unknown activation "softmx" — choose one of sigmoid, tanh, relu, identity, step, softmax',
    ],
    [{ weights: [1], bias: 0, classes: ['a'] }, 'w.json: classes: expected an array of two class names, got an array'],
    [{ weights: [1], bias: 0, classes: ['a', 'a'] }, 'w.json: classes[1]: is the same as classes[0] ("a")'],
    [{ weights: [1], bias: 0, threshold: 'high' }, 'w.json: threshold: expected a finite number, got "high"'],
    [
      { weights: [1], bias: 0, init: { seed: -1, scheme: 'zeros', generator: 'mt19937' } },
      'w.json: init.seed: expected an integer from 0 to 4294967295, got -1',
    ],
    [
      { weights: [1], bias: 0, init: { seed: 1, scheme: 'glorot', generator: 'mt19937' } },
      'w.json: init.scheme: unknown scheme "glorot" — choose one of uniform, normal, xavier-uniform, xavier-normal, he-uniform, he-normal, zeros',
    ],
    [{ weights: [1], bias: 0, init: { seed: 1, scheme: 'zeros', generator: 'pcg64' } }, 'w.json: init.generator: expected "mt19937", got "pcg64"'],
    [{ weights: [1], bias: 0, init: { seed: 1, scheme: 'zeros', generator: 'mt19937', sead: 2 } }, 'w.json: init.sead: unknown key — did you mean "seed"?'],
  ])('rejects %j', (value, message) => {
    expect(messageFor(value)).toBe(message);
  });
});

describe('formatModel', () => {
  it('writes one key per line and reads back to the same model', () => {
    const model = parseModel({ features: ['a', 'b'], weights: [0.1, -2e-7], bias: 0.5, classes: ['no', 'yes'], threshold: 0.7 }, 'w.json');
    const text = formatModel(model);
    expect(text).toBe(
      '{\n  "features": ["a", "b"],\n  "weights": [0.1, -2e-7],\n  "bias": 0.5,\n  "activation": "sigmoid",\n  "classes": ["no", "yes"],\n  "threshold": 0.7\n}\n',
    );
    expect(parseModel(JSON.parse(text), 'w.json')).toEqual(model);
  });
});
