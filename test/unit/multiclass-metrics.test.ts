/**
 * k-class metrics against scikit-learn 1.2: the expected figures in
 * fixtures/reference/multiclass_metrics.json were computed once by
 * fixtures/reference/multiclass_metrics_reference.py, not by this code.
 * Each case's rows are fed as eval feeds them: the k probabilities, the
 * predicted class (the largest z, the first on a tie) and the true class.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LOG_LOSS_EPS } from '../../src/learn/metric-parts.js';
import { metricsOf } from '../../src/learn/metrics.js';
import { ClassMetricsAccumulator, classMetricsToJson, rowClassLogLoss } from '../../src/learn/multiclass-metrics.js';
import { parseModel, type SoftmaxModel } from '../../src/neuron/model.js';
import { softmaxInto } from '../../src/neuron/softmax.js';
import { fixture } from '../support/helpers.js';

interface Figures {
  precision: number;
  recall: number;
  f1: number;
}

interface ReferenceCase {
  name: string;
  k: number;
  y: number[];
  z: number[][];
  p: number[][];
  expected: {
    rows: number;
    accuracy: number;
    precision: number[];
    recall: number[];
    f1: number[];
    support: number[];
    macro: Figures;
    weighted: Figures;
    confusion: number[][];
    log_loss: number;
    roc_auc: number | null;
  };
}

const reference = JSON.parse(readFileSync(fixture('reference/multiclass_metrics.json'), 'utf8')) as { cases: ReferenceCase[] };
const TOLERANCE = 1e-12;

/**
 * The case's rows into the metrics: the very doubles sklearn was given as p (ties in p decide the ROC AUC, and
 * exp's last bit may differ between NumPy and V8), the predicted class as neuron's rule picks it from z.
 */
function accumulate(c: ReferenceCase) {
  const metrics = new ClassMetricsAccumulator(c.k);
  const scratch = new Float64Array(c.k);
  c.y.forEach((truth, i) => {
    metrics.add(c.p[i] as number[], softmaxInto(c.z[i] as number[], scratch), truth);
  });
  return metrics.result();
}

function close(got: number | undefined, want: number, what: string, tolerance = TOLERANCE): void {
  expect(Math.abs((got as number) - want), what).toBeLessThanOrEqual(tolerance);
}

describe('k-class metrics agree with scikit-learn to 1e-12', () => {
  it('the reference covers 3 and 5 classes, ties, a class never predicted and a class absent from the labels', () => {
    const ks = reference.cases.map((c) => c.k);
    expect(ks).toContain(3);
    expect(ks).toContain(5);
    expect(reference.cases.some((c) => c.expected.precision.some((_, j) => c.expected.confusion.every((row) => row[j] === 0)))).toBe(true);
    expect(reference.cases.some((c) => c.expected.support.includes(0))).toBe(true);
  });

  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const m = accumulate(c);
    const e = c.expected;
    expect(m.rows).toBe(e.rows);
    expect(m.confusion).toEqual(e.confusion);
    close(m.accuracy, e.accuracy, 'accuracy');
    m.perClass.forEach((r, j) => {
      close(r.precision, e.precision[j] as number, `precision of class ${j}`);
      close(r.recall, e.recall[j] as number, `recall of class ${j}`);
      close(r.f1, e.f1[j] as number, `f1 of class ${j}`);
      expect(r.support).toBe(e.support[j]);
    });
    for (const [got, want, name] of [
      [m.macro, e.macro, 'macro'],
      [m.weighted, e.weighted, 'weighted'],
    ] as const) {
      close(got.precision, want.precision, `${name} precision`);
      close(got.recall, want.recall, `${name} recall`);
      close(got.f1, want.f1, `${name} f1`);
    }
    close(m.logLoss, e.log_loss, 'log loss');
    if (e.roc_auc === null) expect(m.rocAuc).toBeUndefined();
    else close(m.rocAuc, e.roc_auc, 'roc auc');
  });

  it('the probabilities fed are those the reference fed sklearn (softmax with the max subtracted)', () => {
    for (const c of reference.cases) {
      const p = new Float64Array(c.k);
      c.z.forEach((z, i) => {
        softmaxInto(z, p);
        for (const [j, want] of (c.p[i] as number[]).entries()) close(p[j], want, `${c.name} row ${i} p${j}`);
      });
    }
  });

  it('metricsOf a softmax model on the same z (weights the identity, inputs the z) gives the same figures', () => {
    const c = reference.cases.find((x) => x.k === 5) as ReferenceCase;
    const identity = Array.from({ length: c.k }, (_, i) => Array.from({ length: c.k }, (_, j) => (i === j ? 1 : 0)));
    const model = parseModel({ weights: identity, bias: new Array(c.k).fill(0), activation: 'softmax' }) as SoftmaxModel;
    const m = metricsOf(model, c.z, c.y);
    expect(m.confusion).toEqual(c.expected.confusion);
    close(m.logLoss, c.expected.log_loss, 'log loss');
    close(m.rocAuc, c.expected.roc_auc as number, 'roc auc (no ties in p here: only rounding may differ)', 1e-9);
  });
});

describe('metricsOf takes the inputs in weight order', () => {
  it('a model with "categories" and "impute": the one-hot inputs given as numbers, as for the plain model of the same weights', () => {
    const weights = { features: ['sex=female', 'sex=male', 'age'], weights: [1.2, -0.8, -0.03], bias: 0.4 };
    const encoded = parseModel({ ...weights, categories: { sex: ['female', 'male'] }, impute: { age: 30 } });
    const rows = [
      [1, 0, 22],
      [0, 1, 30],
      [0, 1, 4],
    ];
    expect(metricsOf(encoded, rows, [1, 0, 1])).toEqual(metricsOf(parseModel(weights), rows, [1, 0, 1]));
  });

  it('a softmax model: a label that is not a class, or an activation override, is refused', () => {
    const layer = parseModel({ weights: [[1], [0], [-1]], bias: [0, 0, 0], activation: 'softmax', classes: ['a', 'b', 'c'] });
    expect(() => metricsOf(layer, [[1]], ['3'])).toThrow('label 1: "3" is neither a class name ("a", "b", "c") nor 0 to 2');
    expect(() => metricsOf(layer, [[1]], ['a'], { threshold: 0.5 })).toThrow('a softmax model takes no activation or threshold');
  });
});

describe('edge cases worked by hand', () => {
  it('no rows: every figure undefined (null in JSON), supports 0, the matrix zeros', () => {
    const m = new ClassMetricsAccumulator(3).result();
    expect(m.perClass.map((r) => [r.precision, r.support])).toEqual([
      [undefined, 0],
      [undefined, 0],
      [undefined, 0],
    ]);
    expect(classMetricsToJson(m, ['a', 'b', 'c'])).toMatchObject({ rows: 0, accuracy: null, log_loss: null, roc_auc: null, macro_avg: { f1: null } });
    expect(m.confusion).toEqual([
      [0, 0, 0],
      [0, 0, 0],
      [0, 0, 0],
    ]);
  });

  it.each([
    // p, truth, expected: -log of the clipped, renormalised probability of the truth
    [[0.5, 0.25, 0.25], 0, Math.LN2],
    [[0.5, 0.25, 0.25], 2, Math.log(4)],
    [[1, 0, 0], 1, -Math.log(LOG_LOSS_EPS / (1 - LOG_LOSS_EPS + 2 * LOG_LOSS_EPS))],
  ] as const)('row log loss of p = %j, truth %s', (p, truth, want) => {
    expect(rowClassLogLoss(p, truth)).toBeCloseTo(want, 12);
  });

  it('JSON names each class, rows the label and columns the prediction', () => {
    const metrics = new ClassMetricsAccumulator(3);
    metrics.add([0.1, 0.7, 0.2], 1, 0);
    const json = classMetricsToJson(metrics.result(), ['a', 'b', 'c']);
    expect(json.per_class.map((r) => r.class)).toEqual(['a', 'b', 'c']);
    expect(json.confusion_matrix).toEqual({
      labels: ['a', 'b', 'c'],
      rows: 'label',
      columns: 'predicted',
      matrix: [
        [0, 1, 0],
        [0, 0, 0],
        [0, 0, 0],
      ],
    });
  });
});
