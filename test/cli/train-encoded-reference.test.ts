/**
 * train --categorical/--impute, two and three classes, against scikit-learn
 * Pipelines (fixtures/reference/train_encoded_reference.py): the stored fills
 * and categories equal SimpleImputer's and OneHotEncoder's, the predicted
 * probabilities on the training rows and on held-out rows (with missing
 * cells) within 1e-6 (the coefficients are not unique without a penalty),
 * and with an L2 penalty the coefficients within 1e-6 too.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packCells, recordOf } from '../../src/neuron/cells.js';
import { bindModel } from '../../src/neuron/columns.js';
import { RowEncoder } from '../../src/neuron/encoding.js';
import { type AnyModel, isSoftmax, parseModel } from '../../src/neuron/model.js';
import { softmaxInto } from '../../src/neuron/softmax.js';
import { fixture, runInProcess } from '../support/helpers.js';

interface Case {
  name: string;
  args: string[];
  classes: string[];
  features: string[];
  categories: Record<string, string[]>;
  impute: Record<string, number | string>;
  scaling: { mean: number[]; std: number[] } | null;
  probabilities: number[][];
  held_out_probabilities: number[][];
  weights?: number[][];
  bias?: number[];
}

const reference = JSON.parse(readFileSync(fixture('reference/train-encoded.json'), 'utf8')) as { held_out: string; cases: Case[] };
const trainingText = readFileSync(fixture('train-categorical.csv'), 'utf8');

/** Each row's class probabilities under `model`, the cells encoded by RowEncoder (as eval encodes them). */
function probabilities(model: AnyModel, csv: string): number[][] {
  const lines = csv.trimEnd().split('\n');
  const header = (lines[0] as string).split(',');
  const cells = lines.slice(1).flatMap((line) => line.split(','));
  const records = packCells(
    cells,
    header.length,
    lines.slice(1).map((_, i) => i + 2),
  );
  const encoder = new RowEncoder(bindModel(model, header));
  const x = new Float64Array(encoder.width);
  return Array.from({ length: records.count }, (_, r) => {
    expect(recordOf(records, r)).toHaveLength(header.length);
    encoder.encodeRow(records, r, 'test', x);
    const rows = isSoftmax(model) ? model.weights : [model.weights];
    const bias = isSoftmax(model) ? model.bias : [model.bias];
    const z = rows.map((w, c) => w.reduce((sum, wj, j) => sum + wj * (x[j] as number), bias[c] as number));
    if (!isSoftmax(model)) {
      const p = 1 / (1 + Math.exp(-(z[0] as number)));
      return [1 - p, p];
    }
    const p = new Float64Array(z.length);
    softmaxInto(z, p);
    return Array.from(p);
  });
}

function expectClose(actual: number[][], expected: number[][], tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (const [i, row] of actual.entries()) {
    for (const [c, v] of row.entries()) worst = Math.max(worst, Math.abs(v - (expected[i]?.[c] as number)));
  }
  expect(worst).toBeLessThan(tolerance);
}

describe.each(reference.cases)('train vs scikit-learn: $name', (c) => {
  it('stores the fills and categories, and predicts the probabilities (training and held-out rows) within 1e-6', async () => {
    const result = await runInProcess(['train', fixture('train-categorical.csv'), ...c.args, '--quiet']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const model = parseModel(JSON.parse(result.stdout));
    expect(model.classes).toEqual(c.classes);
    expect(model.features).toEqual(c.features);
    expect(Object.fromEntries(model.categories ?? [])).toEqual(c.categories);
    const fills = Object.fromEntries(model.impute ?? []);
    expect(Object.keys(fills)).toEqual(Object.keys(c.impute));
    for (const [column, fill] of Object.entries(c.impute)) {
      if (typeof fill === 'number') expect(fills[column] as number).toBeCloseTo(fill, 12);
      else expect(fills[column]).toBe(fill);
    }
    if (c.scaling === null) {
      expect(model.scaling).toBeUndefined();
    } else {
      expect(model.scaling?.std).toEqual(c.scaling.std.map((s) => expect.closeTo(s, 12)));
      expect(model.scaling?.mean).toEqual(c.scaling.mean.map((m) => expect.closeTo(m, 12)));
    }
    expectClose(probabilities(model, trainingText), c.probabilities, 1e-6);
    expectClose(probabilities(model, reference.held_out), c.held_out_probabilities, 1e-6);
    if (c.weights !== undefined && c.bias !== undefined) {
      // scikit-learn's binary coef_ is one row, class 1's; the softmax layer's k rows are centred as scikit-learn's multinomial ones.
      const weights = isSoftmax(model) ? model.weights : [model.weights];
      const bias = isSoftmax(model) ? model.bias : [model.bias];
      expectClose(weights as number[][], c.weights, 1e-6);
      expectClose([bias as number[]], [c.bias], 1e-6);
    }
  });
});
