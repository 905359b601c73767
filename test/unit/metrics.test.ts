/**
 * Metrics against scikit-learn 1.2: the expected figures in
 * fixtures/reference/metrics.json were computed once by
 * fixtures/reference/metrics_reference.py, not by this code.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOG_LOSS_EPS, MetricsAccumulator, metricsToJson, rocAucSorted, rowLogLoss } from '../../src/learn/metrics.js';
import { fixture } from '../support/helpers.js';

interface ReferenceCase {
  name: string;
  y: (0 | 1)[];
  z: number[];
  p: number[];
  expected: {
    rows: number;
    accuracy: number;
    precision: number;
    recall: number;
    f1: number;
    log_loss: number;
    roc_auc: number | null;
    confusion: number[][];
  };
}

const reference = JSON.parse(readFileSync(fixture('reference/metrics.json'), 'utf8')) as { cases: ReferenceCase[] };

function accumulate(c: Pick<ReferenceCase, 'y' | 'z' | 'p'>, withLogLoss = true) {
  const acc = new MetricsAccumulator(withLogLoss);
  c.y.forEach((truth, i) => {
    const z = c.z[i] as number;
    acc.add(z, c.p[i] as number, z >= 0 ? 1 : 0, truth);
  });
  return acc.result();
}

describe('metrics agree with scikit-learn to 1e-9', () => {
  it.each(reference.cases.map((c) => [c.name, c] as const))('%s', (_, c) => {
    const m = accumulate(c);
    const e = c.expected;
    expect(m.rows).toBe(e.rows);
    expect(m.confusion).toEqual(e.confusion);
    for (const [got, want] of [
      [m.accuracy, e.accuracy],
      [m.precision, e.precision],
      [m.recall, e.recall],
      [m.f1, e.f1],
      [m.logLoss, e.log_loss],
    ] as const) {
      expect(Math.abs((got as number) - want)).toBeLessThanOrEqual(1e-9);
    }
    if (e.roc_auc === null) expect(m.rocAuc).toBeUndefined();
    else expect(Math.abs((m.rocAuc as number) - e.roc_auc)).toBeLessThanOrEqual(1e-9);
  });
});

describe('edge cases worked by hand', () => {
  it('no rows: every ratio is undefined (null in JSON), the matrix is zeros', () => {
    const m = new MetricsAccumulator(true).result();
    expect(metricsToJson(m, ['a', 'b'])).toMatchObject({ rows: 0, accuracy: null, precision: null, log_loss: null, roc_auc: null });
    expect(m.confusion).toEqual([
      [0, 0],
      [0, 0],
    ]);
  });

  it('no log loss unless the output is a probability', () => {
    expect(accumulate({ y: [0, 1], z: [-1, 1], p: [-1, 1] }, false).logLoss).toBeUndefined();
  });

  it.each([
    // p, truth, expected: -log of the clipped, renormalised probability of the truth
    [0.5, 1, Math.LN2],
    [0.5, 0, Math.LN2],
    [1, 0, -Math.log(LOG_LOSS_EPS / (LOG_LOSS_EPS + (1 - LOG_LOSS_EPS)))],
    [0, 1, -Math.log(LOG_LOSS_EPS / (1 - LOG_LOSS_EPS + LOG_LOSS_EPS))],
    [0.75, 0, -Math.log(0.25)],
  ] as const)('row log loss of p = %s, truth %s', (p, truth, want) => {
    expect(rowLogLoss(p, truth)).toBeCloseTo(want, 12);
  });

  it.each([
    // positives, negatives (sorted), AUC counted by hand: pairs won + half the ties
    [[1, 2], [0, 0], 1],
    [[0], [1], 0],
    [[1], [1], 0.5],
    [[0, 1, 2], [1], (0 + 0.5 + 1) / 3],
    [[-0], [0], 0.5],
    [[1], [], undefined],
  ])('ROC AUC of positives %j over negatives %j', (pos, neg, want) => {
    expect(rocAucSorted(Float64Array.from(pos), Float64Array.from(neg))).toBe(want);
  });
});

describe('properties', () => {
  const rows = fc.array(fc.tuple(fc.integer({ min: -20, max: 20 }), fc.constantFrom<0 | 1>(0, 1)), { minLength: 1, maxLength: 60 });

  it('ROC AUC equals the count over all (positive, negative) pairs', () => {
    fc.assert(
      fc.property(rows, (data) => {
        const pos = data.filter(([, y]) => y === 1).map(([z]) => z);
        const neg = data.filter(([, y]) => y === 0).map(([z]) => z);
        let wins = 0;
        for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
        const want = pos.length && neg.length ? wins / (pos.length * neg.length) : undefined;
        const got = accumulate({ y: data.map(([, y]) => y), z: data.map(([z]) => z), p: data.map(() => 0.5) }).rocAuc;
        if (want === undefined) expect(got).toBeUndefined();
        else expect(got).toBeCloseTo(want, 12);
      }),
    );
  });

  it('the confusion matrix counts every row once, and accuracy is its diagonal', () => {
    fc.assert(
      fc.property(rows, (data) => {
        const m = accumulate({ y: data.map(([, y]) => y), z: data.map(([z]) => z), p: data.map(() => 0.5) });
        const [[tn, fp], [fn, tp]] = m.confusion;
        expect(tn + fp + fn + tp).toBe(data.length);
        expect(m.accuracy).toBe((tn + tp) / data.length);
      }),
    );
  });
});
