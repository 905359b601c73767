/**
 * ROC and precision-recall curves of scores against true classes, as
 * scikit-learn's `roc_curve` (drop_intermediate=False) and
 * `precision_recall_curve` compute them: one point per distinct score,
 * thresholds from the highest score down, ties moving together.
 */

export interface CurvePoint {
  readonly x: number;
  readonly y: number;
}

/** Cumulative counts at each distinct score, from the highest down: [true positives, false positives]. */
function cumulativeCounts(scores: Float64Array, truths: Uint8Array): { tp: number[]; fp: number[] } {
  const order = Array.from(scores.keys()).sort((a, b) => (scores[b] as number) - (scores[a] as number));
  const tp: number[] = [];
  const fp: number[] = [];
  let t = 0;
  let f = 0;
  order.forEach((row, k) => {
    if (truths[row] === 1) t++;
    else f++;
    const next = order[k + 1];
    if (next === undefined || scores[next] !== scores[row]) {
      tp.push(t);
      fp.push(f);
    }
  });
  return { tp, fp };
}

/** (false positive rate, true positive rate) from (0, 0) to (1, 1); empty without both classes. */
export function rocCurve(scores: Float64Array, truths: Uint8Array): CurvePoint[] {
  const { tp, fp } = cumulativeCounts(scores, truths);
  const positives = tp.at(-1) ?? 0;
  const negatives = fp.at(-1) ?? 0;
  if (positives === 0 || negatives === 0) return [];
  return [{ x: 0, y: 0 }, ...tp.map((t, k) => ({ x: (fp[k] as number) / negatives, y: t / positives }))];
}

/**
 * (recall, precision) from the highest threshold down, ending at recall 1,
 * then sklearn's closing point (recall 0, precision 1) put first; empty
 * without a positive row.
 */
export function precisionRecallCurve(scores: Float64Array, truths: Uint8Array): CurvePoint[] {
  const { tp, fp } = cumulativeCounts(scores, truths);
  const positives = tp.at(-1) ?? 0;
  if (positives === 0) return [];
  return [{ x: 0, y: 1 }, ...tp.map((t, k) => ({ x: t / positives, y: t / (t + (fp[k] as number)) }))];
}

/** sklearn's `average_precision_score`: the sum over thresholds of (R_n - R_(n-1)) P_n. */
export function averagePrecision(curve: readonly CurvePoint[]): number | undefined {
  if (curve.length === 0) return undefined;
  let sum = 0;
  for (let k = 1; k < curve.length; k++) sum += ((curve[k] as CurvePoint).x - (curve[k - 1] as CurvePoint).x) * (curve[k] as CurvePoint).y;
  return sum;
}

/** At most `max` points of a curve, evenly spaced by index, the first and last kept: a long curve drawn in bounded size. */
export function thin(curve: readonly CurvePoint[], max: number): CurvePoint[] {
  if (curve.length <= max) return [...curve];
  const step = (curve.length - 1) / (max - 1);
  return Array.from({ length: max }, (_, i) => curve[Math.round(i * step)] as CurvePoint);
}
