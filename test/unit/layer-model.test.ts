/**
 * The k-class and encoded weights file (issue 12's contract): parsing with
 * JSON paths in messages, the canonical form read back, the encoding rules
 * (one-hot, fills, unknown and missing categories) and the layer scorer.
 */
import { describe, expect, it } from 'vitest';
import { formatError, NeuronError } from '../../src/errors.js';
import { packCells } from '../../src/neuron/cells.js';
import { bindModel } from '../../src/neuron/columns.js';
import { encodedInputs, RowEncoder } from '../../src/neuron/encoding.js';
import { LayerScorer, layerScore } from '../../src/neuron/layer-scorer.js';
import { type AnyModel, formatModel, isSoftmax, parseModel, type SoftmaxModel } from '../../src/neuron/model.js';
import { Scorer } from '../../src/neuron/scorer.js';
import { softmaxInto } from '../../src/neuron/softmax.js';

function messageFor(value: unknown): string {
  try {
    parseModel(value, 'w.json');
  } catch (error) {
    if (error instanceof NeuronError) return formatError(error);
    throw error;
  }
  throw new Error('expected the weights to be rejected');
}

function errorOf(run: () => unknown): NeuronError {
  try {
    run();
  } catch (error) {
    if (error instanceof NeuronError) return error;
    throw error;
  }
  throw new Error('expected an error');
}

const IRIS_LIKE = {
  features: ['a', 'b'],
  weights: [
    [1, 2],
    [0, 0],
    [-1, 0.5],
  ],
  bias: [0.5, 0, -0.5],
  activation: 'softmax',
  classes: ['setosa', 'versicolor', 'virginica'],
};

function softmax(model: AnyModel): SoftmaxModel {
  if (!isSoftmax(model)) throw new Error('expected a softmax model');
  return model;
}

describe('a softmax weights file', () => {
  it('reads k rows of weights, k biases and k classes', () => {
    const model = softmax(parseModel(IRIS_LIKE));
    expect(model.weights).toEqual(IRIS_LIKE.weights);
    expect(model.bias).toEqual([0.5, 0, -0.5]);
    expect(model.classes).toEqual(['setosa', 'versicolor', 'virginica']);
  });

  it('reads the object form (class → feature → weight) as the same model', () => {
    const model = softmax(
      parseModel({
        weights: { setosa: { a: 1, b: 2 }, versicolor: { b: 0, a: 0 }, virginica: { a: -1, b: 0.5 } },
        bias: [0.5, 0, -0.5],
        activation: 'softmax',
      }),
    );
    expect(model.features).toEqual(['a', 'b']);
    expect(model.classes).toEqual(['setosa', 'versicolor', 'virginica']);
    expect(model.weights).toEqual(IRIS_LIKE.weights);
  });

  it('formats one class per line, and reads back the same model', () => {
    const model = parseModel(IRIS_LIKE);
    const text = formatModel(model);
    expect(text).toContain('  "weights": [\n    [1, 2],\n    [0, 0],\n    [-1, 0.5]\n  ],\n');
    expect(parseModel(JSON.parse(text))).toEqual(model);
  });

  it('names the JSON path of a bad value', () => {
    expect(
      messageFor({
        ...IRIS_LIKE,
        weights: [
          [1, 2],
          [0, '0'],
          [1, 1],
        ],
      }),
    ).toContain('w.json: weights[1][1]: expected a finite number, got "0"');
    expect(messageFor({ ...IRIS_LIKE, bias: [0, 0] })).toContain('bias: has 2 numbers but there are 3 classes');
    expect(messageFor({ ...IRIS_LIKE, bias: 0 })).toContain('bias: expected an array of 3 numbers');
    expect(messageFor({ ...IRIS_LIKE, weights: [[1, 2], [0], [1, 1]] })).toContain('weights[1]: has 1 numbers but weights[0] has 2');
    expect(messageFor({ ...IRIS_LIKE, classes: ['a', 'b', 'a'] })).toContain('classes[2]: is the same as classes[0] ("a")');
    expect(messageFor({ ...IRIS_LIKE, threshold: 0.5 })).toContain('threshold: not allowed with "activation": "softmax"');
    expect(messageFor({ ...IRIS_LIKE, classes: ['a', 'b'] })).toContain('classes: names 2 classes but "weights" has 3 rows');
  });

  it('leaves every two-class file as it was', () => {
    const model = parseModel({ weights: [1, 2], bias: 0 });
    expect(isSoftmax(model)).toBe(false);
    expect(model.bias).toBe(0);
  });
});

describe('softmaxInto', () => {
  it('gives probabilities whose ratios are exp of the z differences, without overflow', () => {
    const p = new Float64Array(3);
    for (const z of [
      [1, 2, 3],
      [1000, 999, -1000],
      [-745, -746, -800],
    ]) {
      softmaxInto(z, p);
      const [p0 = 0, p1 = 0, p2 = 0] = p;
      const [z0 = 0, z1 = 0] = z;
      expect(p0 + p1 + p2).toBeCloseTo(1, 15);
      expect(Math.log(p0 / p1)).toBeCloseTo(z0 - z1, 12);
    }
  });

  it('breaks a tie for the first class', () => {
    expect(softmaxInto([0, 5, 5], new Float64Array(3))).toBe(1);
    expect(softmaxInto([2, 2, 2], new Float64Array(3))).toBe(0);
  });
});

const PASSENGERS = {
  weights: { age: -0.05, 'sex=female': 1.5, 'sex=male': -1.5, 'port=C': 0.3, 'port=S': -0.1 },
  bias: 0.2,
  categories: { sex: ['female', 'male'], port: ['C', 'S'] },
  impute: { age: 30, port: 'S' },
};

describe('an encoded model', () => {
  it('names each input, its column, category and fill', () => {
    expect(encodedInputs(parseModel(PASSENGERS)).map((i) => [i.name, i.column, i.category, i.fill])).toEqual([
      ['age', 'age', undefined, 30],
      ['sex=female', 'sex', 'female', undefined],
      ['sex=male', 'sex', 'male', undefined],
      ['port=C', 'port', 'C', 'S'],
      ['port=S', 'port', 'S', 'S'],
    ]);
  });

  it('refuses categories, features and fills that disagree, naming the key', () => {
    expect(messageFor({ ...PASSENGERS, categories: { sex: ['female', 'male', 'other'], port: ['C', 'S'] } })).toContain(
      'categories["sex"]: the category "other" has no input "sex=other" in "features"',
    );
    expect(messageFor({ ...PASSENGERS, impute: { port: 'Q' } })).toContain('impute["port"]: expected one of the categories of "port" ("C", "S"), got "Q"');
    expect(messageFor({ ...PASSENGERS, impute: { age: 'old' } })).toContain('impute["age"]: expected a number');
    expect(messageFor({ ...PASSENGERS, impute: { fare: 1 } })).toContain('impute["fare"]: "fare" is not an input of the model');
    expect(messageFor({ weights: [1, 2], bias: 0, impute: { a: 1 } })).toContain('features: missing');
    expect(messageFor({ weights: { sex: 1, 'sex=m': 1 }, bias: 0, categories: { sex: ['m'] } })).toContain('features[0]: "sex" is a one-hot column');
  });

  it('reads the formatted file back as the same model', () => {
    const model = parseModel(PASSENGERS);
    expect(parseModel(JSON.parse(formatModel(model)))).toEqual(model);
  });

  const header = ['name', 'sex', 'age', 'port'];
  const bound = bindModel(parseModel(PASSENGERS), header);
  const encode = (cells: string[], options = {}) => {
    const into = new Float64Array(5);
    const kept = new RowEncoder(bound, options).encodeRow(packCells(cells, cells.length, [7]), 0, 'p.csv', into);
    return kept ? Array.from(into) : undefined;
  };

  it('binds each one-hot input to its column', () => {
    expect(bound.inputIndices).toEqual([2, 1, 1, 3, 3]);
  });

  it('one-hot encodes a category and fills a missing cell', () => {
    expect(encode(['Ann', 'female', '29', 'C'])).toEqual([29, 1, 0, 1, 0]);
    expect(encode(['Bob', 'male', '', ''])).toEqual([30, 0, 1, 0, 1]);
    expect(encode(['Bob', 'male', 'NA', 'S'])).toEqual([30, 0, 1, 0, 1]);
  });

  it('refuses an unknown category with its place, unless --unknown zero', () => {
    const error = errorOf(() => encode(['Cy', 'x', '1', 'C']));
    expect(error.reason).toBe('unknown-category');
    expect(formatError(error)).toContain('p.csv:7:2: column "sex": "x" is not one of the model\'s categories ("female", "male")');
    expect(encode(['Cy', 'x', '1', 'C'], { unknown: 'zero' })).toEqual([1, 0, 0, 1, 0]);
  });

  it('follows --missing for a missing category with no fill', () => {
    expect(errorOf(() => encode(['Cy', '', '1', 'C'])).reason).toBe('missing-value');
    expect(encode(['Cy', '', '1', 'C'], { missing: 'skip' })).toBeUndefined();
    expect(encode(['Cy', '', '1', 'C'], { missing: 'zero' })).toEqual([1, 0, 0, 1, 0]);
  });

  it('scores z = w·x + b over the encoded inputs', () => {
    const scorer = new Scorer(bindModel(parseModel(PASSENGERS) as never, header));
    const score = scorer.score(['Bob', 'male', '', 'C'], 2, undefined, { z: 0, output: 0, cls: 0 });
    expect(score?.z).toBeCloseTo(0.2 - 0.05 * 30 - 1.5 + 0.3, 14);
  });
});

describe('LayerScorer', () => {
  it('computes each class z as w·x + b and picks the largest', () => {
    const model = softmax(parseModel(IRIS_LIKE));
    const scorer = new LayerScorer(bindModel(model, ['b', 'a']));
    const score = scorer.score(['1', '2'], 2, undefined, layerScore(3));
    expect(Array.from(score?.z ?? [])).toEqual([0.5 + 2 + 2, 0, -0.5 - 2 + 0.5]);
    expect(score?.cls).toBe(0);
  });
});
