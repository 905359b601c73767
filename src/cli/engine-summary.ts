/**
 * statsmodels' Logit summary from an engine's sums (`train --engine
 * --summary`, `summary --engine`): the step query at the model's weights
 * gives the loss and the Hessian, one more query the total weight, the
 * positives and the Gram matrix (the design's rank); statistics.ts's
 * summaryOf turns them into the table in-process `summary` prints.
 */
import { gramSql, stepSql, stepSumsOf, upperPairs } from '../export/train-step.js';
import type { Engine } from '../io/engines/engine.js';
import { rank } from '../learn/cholesky.js';
import type { Frame } from '../learn/logistic.js';
import { type StepSums, stateOf } from '../learn/newton-sums.js';
import { type Summary, summaryOf } from '../learn/statistics.js';
import type { Scaling } from '../neuron/model.js';
import type { EngineRowWeights } from './engine-weights.js';

export interface EngineSummaryQuery {
  readonly engine: Engine;
  /** The rows used, as a FROM item. */
  readonly from: string;
  /** Each input in the frame, (x − mean) / scale, as SQL over `from`. */
  readonly inputs: readonly string[];
  /** The label as 0 or 1. */
  readonly y: string;
  readonly weights: EngineRowWeights;
  readonly names: readonly string[];
  readonly frame: Frame;
  /** The model's scaling when the frame's x is the data standardised by it. */
  readonly scaling: Scaling | undefined;
  readonly l2: number;
  /** The penalty's scale per feature (newton-sums.ts's `scale`). */
  readonly penaltyScale: Float64Array;
  /** θ in the frame, bias first (the step query's order). */
  readonly theta: Float64Array;
  /** The step query's sums at θ, when the caller has them. */
  readonly sums?: StepSums | undefined;
}

/** Bias first (the step query's order) to bias last (the in-process solvers' and statistics.ts's). */
function biasLast(values: Float64Array, k: number, matrix: boolean): Float64Array {
  const at = (i: number) => (i === k - 1 ? 0 : i + 1);
  if (!matrix) return Float64Array.from({ length: k }, (_, i) => values[at(i)] as number);
  return Float64Array.from({ length: k * k }, (_, i) => values[at(Math.floor(i / k)) * k + at(i % k)] as number);
}

/** One summary query's row as a k × k Gram matrix (bias first) and the totals. */
function gramOf(row: readonly unknown[], k: number): { rows: number; weight: number; positive: number; gram: Float64Array } {
  const gram = new Float64Array(k * k);
  upperPairs(k).forEach(([j, m], i) => {
    const v = Number(row[3 + i]);
    gram[j * k + m] = v;
    gram[m * k + j] = v;
  });
  return { rows: Number(row[0]), weight: Number(row[1]), positive: Number(row[2]), gram };
}

export async function summaryInEngine(q: EngineSummaryQuery): Promise<Summary> {
  const { engine, theta } = q;
  const k = theta.length;
  const base = { dialect: engine.dialect, from: q.from, inputs: q.inputs, y: q.y, sample: q.weights.sample };
  const sums =
    q.sums ??
    (await (async () => {
      const [row] = await engine.rows(
        stepSql({ ...base, classWeights: q.weights.classWeights, bias: theta[0] as number, weights: Array.from(theta.subarray(1)) }),
      );
      return stepSumsOf(row ?? [], k);
    })());
  const state = stateOf(theta, sums, { l2: q.l2, scale: q.penaltyScale });
  const [row] = await engine.rows(gramSql({ ...base, classWeights: q.weights.classWeights }));
  const totals = gramOf(row ?? [], k);
  return summaryOf({
    names: q.names,
    rows: sums.n,
    frame: q.frame,
    scaling: q.scaling,
    point: {
      theta: biasLast(theta, k, false),
      loss: state.loss,
      gradientNorm: state.gradientNorm,
      hessian: biasLast(state.hessian, k, true),
    },
    totalWeight: totals.weight,
    positiveWeight: totals.positive,
    rank: rank(biasLast(totals.gram, k, true), k),
    l2: q.l2,
    weighted: q.weights.sample !== undefined || q.weights.classWeights !== undefined,
  });
}
