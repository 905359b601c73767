/**
 * ROC and precision-recall curves against scikit-learn 1.2: the expected
 * points in fixtures/reference/curves.json were computed by
 * fixtures/reference/curves_reference.py (roc_curve with
 * drop_intermediate=False, precision_recall_curve, average_precision_score).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { averagePrecision, precisionRecallCurve, rocCurve, thin } from '../../src/learn/curves.js';
import { fixture } from '../support/helpers.js';

interface ReferenceCase {
  name: string;
  y: (0 | 1)[];
  z: number[];
  roc: { fpr: number[]; tpr: number[] };
  pr: { precision: number[]; recall: number[] };
  average_precision: number;
}

const reference = JSON.parse(readFileSync(fixture('reference/curves.json'), 'utf8')) as { cases: ReferenceCase[] };

const close = (actual: readonly number[], expected: readonly number[]) => {
  expect(actual).toHaveLength(expected.length);
  actual.forEach((x, i) => {
    expect(x).toBeCloseTo(expected[i] as number, 12);
  });
};

describe.each(reference.cases)('curves of case $name agree with scikit-learn', (c) => {
  const scores = Float64Array.from(c.z);
  const truths = Uint8Array.from(c.y);

  it('ROC: one point per distinct score, from (0, 0)', () => {
    const curve = rocCurve(scores, truths);
    close(
      curve.map((p) => p.x),
      c.roc.fpr,
    );
    close(
      curve.map((p) => p.y),
      c.roc.tpr,
    );
  });

  it('PR: sklearn gives the points from the lowest threshold up, ending at (recall 0, precision 1)', () => {
    const curve = precisionRecallCurve(scores, truths);
    close(
      curve.map((p) => p.x),
      [...c.pr.recall].reverse(),
    );
    close(
      curve.map((p) => p.y),
      [...c.pr.precision].reverse(),
    );
  });

  it('average precision', () => {
    expect(averagePrecision(precisionRecallCurve(scores, truths))).toBeCloseTo(c.average_precision, 12);
  });
});

describe('curves without both classes', () => {
  it('no ROC curve with one class; no PR curve without a positive', () => {
    expect(rocCurve(Float64Array.from([1, 2]), Uint8Array.from([1, 1]))).toEqual([]);
    expect(precisionRecallCurve(Float64Array.from([1, 2]), Uint8Array.from([0, 0]))).toEqual([]);
    expect(averagePrecision([])).toBeUndefined();
  });
});

describe('thin', () => {
  it('keeps the first and last points and at most max points', () => {
    const curve = Array.from({ length: 10_001 }, (_, i) => ({ x: i, y: i }));
    const thinned = thin(curve, 1000);
    expect(thinned).toHaveLength(1000);
    expect(thinned[0]).toEqual({ x: 0, y: 0 });
    expect(thinned.at(-1)).toEqual({ x: 10_000, y: 10_000 });
    expect(thin(curve.slice(0, 5), 1000)).toHaveLength(5);
  });
});
