/**
 * The page's numbers, without the DOM: every row scored by the same Scorer
 * as `neuron eval` (through valueScorer), the metrics by the same
 * MetricsAccumulator as `neuron metrics`, gradient descent by the same
 * Trainer as `neuron train`. So the page and the command line agree to the
 * last digit (test/e2e/playground-browser.test.ts checks it in Chromium).
 */
import { type Metrics, MetricsAccumulator } from '../learn/metrics.js';
import type { Dataset } from '../learn/train.js';
import { activations } from '../neuron/activations.js';
import type { Model } from '../neuron/model.js';
import { standardizeValue } from '../neuron/scorer.js';
import { valueScorer } from '../neuron/values.js';
import type { PlaygroundRows } from '../serve/session.js';

export interface RowScores {
  readonly z: Float64Array;
  readonly output: Float64Array;
  readonly cls: Uint8Array;
  /** With a label. */
  readonly metrics: Metrics | undefined;
}

/** Every row's z, output and class, and the metrics over all rows. */
export function scoreAll(model: Model, rows: PlaygroundRows): RowScores {
  const n = rows.values.length;
  const z = new Float64Array(n);
  const output = new Float64Array(n);
  const cls = new Uint8Array(n);
  const { scorer, score } = valueScorer(model);
  const truths = rows.label?.truths;
  const metrics = truths === undefined ? undefined : new MetricsAccumulator(activations[scorer.activation].probability);
  for (let i = 0; i < n; i++) {
    const p = score(rows.values[i] as readonly number[]);
    z[i] = p.z;
    output[i] = p.output;
    cls[i] = p.classIndex;
    metrics?.add(p.z, p.output, p.classIndex, truths?.[i] as 0 | 1);
  }
  return { z, output, cls, metrics: metrics?.result() };
}

/** A slider's range: about ±`reach` of z over the data, wide enough for the value itself, in steps of a round number. */
export interface SliderRange {
  readonly min: number;
  readonly max: number;
  readonly step: number;
}

/** How far z can move: a weight's slider spans ±REACH / (the input's largest |x|), the bias's ±REACH. */
export const REACH = 10;

/** The number of steps a slider has, about. */
const STEPS = 1000;

export function sliderRange(value: number, largestInput: number): SliderRange {
  const span = Math.max(REACH / (largestInput > 0 ? largestInput : 1), 1.25 * Math.abs(value));
  const step = 10 ** Math.floor(Math.log10((2 * span) / STEPS));
  const max = Math.ceil(span / step) * step;
  return { min: roundTo(-max, step), max: roundTo(max, step), step };
}

/** `x` on the grid of `step` (a power of ten), written with no more decimals than the step has. */
export function roundTo(x: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number((Math.round(x / step) * step).toFixed(Math.min(decimals, 20)));
}

/** Each input's largest |value| as the weight sees it (after the model's scaling). */
export function largestInputs(model: Model, rows: PlaygroundRows): number[] {
  return model.weights.map((_, j) => {
    let largest = 0;
    for (const row of rows.values) largest = Math.max(largest, Math.abs(scaled(model, j, row[j] as number)));
    return largest;
  });
}

function scaled(model: Model, j: number, x: number): number {
  const s = model.scaling;
  return s === undefined ? x : standardizeValue(x, s.mean[j] as number, s.std[j] as number);
}

/** The rows as training data, in the units the weights apply to (standardised for a standardised model). */
export function trainingData(model: Model, rows: PlaygroundRows): Dataset | undefined {
  const truths = rows.label?.truths;
  if (truths === undefined) return undefined;
  const d = model.weights.length;
  const x = new Float64Array(rows.values.length * d);
  rows.values.forEach((row, i) => {
    for (let j = 0; j < d; j++) x[i * d + j] = scaled(model, j, row[j] as number);
  });
  return { x, y: Uint8Array.from(truths), rows: rows.values.length, features: d };
}

/**
 * A learning rate that gradient descent on the mean log loss cannot
 * overshoot with: its gradient is Lipschitz with constant at most
 * trace(XᵀX)/(4n) (the bias a column of ones), so 2 over that, halved for a
 * margin, is 4n / trace, rounded down to one significant digit. On the
 * lesson's raw table (weights in kg) that is 0.0006; on standardised data
 * about 1.
 */
export function safeLearningRate(data: Dataset): number {
  let trace = data.rows;
  for (const x of data.x) trace += x * x;
  const rate = (4 * data.rows) / trace;
  const unit = 10 ** Math.floor(Math.log10(rate));
  return Number((Math.floor(rate / unit) * unit).toPrecision(1));
}
