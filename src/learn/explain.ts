/**
 * `explain`: the working of one row, in the tutorial's order — the inputs
 * (for an encoded model, each one-hot indicator and each filled cell, and
 * where it came from), the scaling (if any), z = w·x + b term by term, the
 * activation, the class. For a softmax layer: each class's z, the softmax
 * with the largest z subtracted, as `softmaxInto` computes it, and the
 * winner. The steps are data (`explainRow`, `explainLayer`, for
 * --format json); `renderSteps` writes them for people.
 */

import { NeuronError } from '../errors.js';
import { type ActivationName, activations } from '../neuron/activations.js';
import type { BoundModel } from '../neuron/columns.js';
import { encodedInputs } from '../neuron/encoding.js';
import { LayerScorer, layerScore } from '../neuron/layer-scorer.js';
import { type AnyModel, isEncoded, isSoftmax, type Model, type ModelBase, type SoftmaxModel } from '../neuron/model.js';
import { isMissing } from '../neuron/numbers.js';
import { type Score, standardizeValue } from '../neuron/scorer.js';
import { SOFTMAX_FORMULA } from '../neuron/softmax.js';
import { checkValues, inputNamesOf, type PredictOptions, valueScorer } from '../neuron/values.js';

/**
 * One input, in weight order, before scaling. For an encoded model read
 * from a row, also the column it reads, that cell's text, and whether the
 * value came from the cell (a number, or a one-hot indicator: 1 when the
 * cell is the input's category) or from the model's fill for a missing cell.
 */
export interface StepInput {
  readonly name: string;
  readonly value: number;
  readonly column?: string;
  readonly cell?: string;
  readonly source?: 'cell' | 'fill';
  /** For a one-hot input: the category that makes it 1; for a filled one, the fill category. */
  readonly category?: string;
  readonly fill?: number | string;
}

/** x' = (x - mean) / std for one input of a standardised model. */
export interface ScalingStep {
  readonly name: string;
  readonly value: number;
  readonly mean: number;
  readonly std: number;
  readonly scaled: number;
}

/** One term of z = w·x + b: the weight times the (scaled) input. */
export interface Term {
  readonly name: string;
  readonly weight: number;
  readonly input: number;
  readonly product: number;
}

/** The true class of the row, and whether the model got it. */
export interface StepLabel {
  readonly column: string;
  readonly value: string;
  readonly correct: boolean;
}

/** The working of one row of a two-class neuron, as data (`explain --format json`). */
export interface Steps {
  /** 1-based data row (the header not counted) and its physical line. */
  readonly row: number;
  readonly line: number;
  readonly inputs: readonly StepInput[];
  /** x' = (x - mean) / std, for a standardised model. */
  readonly scaling: readonly ScalingStep[] | undefined;
  readonly terms: readonly Term[];
  readonly bias: number;
  readonly z: number;
  readonly activation: { readonly name: ActivationName; readonly formula: string; readonly output: number };
  /** How the class was decided: output >= threshold, or z >= 0. */
  readonly rule: { readonly on: 'output' | 'z'; readonly value: number; readonly threshold: number; readonly passed: boolean };
  readonly class: string;
  readonly label: StepLabel | undefined;
}

/** One neuron of a softmax layer: its class and z = w·x + b. */
export interface LayerNeuron {
  readonly class: string;
  readonly terms: readonly Term[];
  readonly bias: number;
  readonly z: number;
}

/**
 * The softmax step as computed: the largest z, each z minus it, the
 * exponentials of those, their sum, and each probability (exp / sum).
 */
export interface SoftmaxStep {
  readonly formula: string;
  readonly max: number;
  readonly shifted: readonly number[];
  readonly exp: readonly number[];
  readonly sum: number;
  readonly probabilities: readonly number[];
}

/** The working of one row of a softmax layer (k classes), as data. */
export interface LayerSteps {
  readonly row: number;
  readonly line: number;
  readonly inputs: readonly StepInput[];
  readonly scaling: readonly ScalingStep[] | undefined;
  /** One neuron per class, in `classes` order. */
  readonly layer: readonly LayerNeuron[];
  readonly softmax: SoftmaxStep;
  /** The winner: the largest z, the first in `classes` order on a tie. */
  readonly classIndex: number;
  readonly class: string;
  readonly label: StepLabel | undefined;
}

/** Either kind of working. */
export type AnySteps = Steps | LayerSteps;

/**
 * Whether the steps are a softmax layer's (`layer`, `softmax`) rather than one neuron's (`terms`, `activation`, `rule`).
 * @example
 * ```js
 * import { explainValues, isLayerSteps, parseModel } from 'neuron-cli';
 * isLayerSteps(explainValues(parseModel({ weights: [[1], [-1]], bias: [0, 0], activation: 'softmax' }), [3])); // => true
 * isLayerSteps(explainValues(parseModel({ weights: [1], bias: 0 }), [3])); // => false
 * ```
 */
export function isLayerSteps(steps: AnySteps): steps is LayerSteps {
  return 'layer' in steps;
}

/** What both kinds of working take from the row. */
interface RowInput {
  readonly row: number;
  readonly line: number;
  readonly names: readonly string[];
  /** The row's input values, in weight order, encoded (one-hot, fills) but not scaled. */
  readonly values: readonly number[];
  /** For an encoded model: the cell each input read (its column's text), in weight order. */
  readonly cells?: readonly string[] | undefined;
}

export interface ExplainInput extends RowInput {
  readonly model: Model;
  readonly activation: ActivationName;
  readonly threshold: number | undefined;
  /** The Scorer's result for the row: the same z as `eval`. */
  readonly score: Score;
  readonly label?: { readonly column: string; readonly value: string; readonly cls: number } | undefined;
}

export interface LayerExplainInput extends RowInput {
  readonly model: SoftmaxModel;
  /** The LayerScorer's result for the row: the same z and probabilities as `eval`. */
  readonly score: { readonly z: ArrayLike<number>; readonly p: ArrayLike<number>; readonly cls: number };
  readonly label?: { readonly column: string; readonly value: string; readonly cls: number } | undefined;
}

/** The inputs as explain lists them; for an encoded model read from a row, where each value came from. */
function stepInputs(model: ModelBase, input: RowInput): StepInput[] {
  const { names, values, cells } = input;
  if (cells === undefined || !isEncoded(model)) return names.map((name, j) => ({ name, value: values[j] as number }));
  return encodedInputs(model).map((encoded, j) => {
    const cell = cells[j] as string;
    const value = values[j] as number;
    const { column, category, fill } = encoded;
    // The encoder's rules (encoding.ts): a number, or for a one-hot input one of the column's categories, is read
    // from the cell; a missing cell takes the column's fill.
    const known = category === undefined ? !isMissing(cell) : (model.categories?.get(column)?.includes(cell) ?? false);
    const filled = !known && isMissing(cell) ? fill : undefined;
    return {
      name: encoded.name,
      value,
      column,
      cell,
      source: filled === undefined ? 'cell' : 'fill',
      ...(category === undefined ? {} : { category }),
      ...(filled === undefined ? {} : { fill: filled }),
    };
  });
}

/** The scaled inputs (x' for a standardised model, else x), and the scaling step. */
function scaledInputs(model: ModelBase, input: RowInput): { scaled: number[]; scaling: ScalingStep[] | undefined } {
  const scaling = model.scaling;
  const { names, values } = input;
  if (scaling === undefined) return { scaled: [...values], scaling: undefined };
  const scaled = values.map((value, j) => standardizeValue(value, scaling.mean[j] as number, scaling.std[j] as number));
  return {
    scaled,
    scaling: names.map((name, j) => ({
      name,
      value: values[j] as number,
      mean: scaling.mean[j] as number,
      std: scaling.std[j] as number,
      scaled: scaled[j] as number,
    })),
  };
}

function termsOf(weights: readonly number[], names: readonly string[], scaled: readonly number[]): Term[] {
  return names.map((name, j) => {
    const weight = weights[j] as number;
    return { name, weight, input: scaled[j] as number, product: weight * (scaled[j] as number) };
  });
}

export function explainRow(input: ExplainInput): Steps {
  const { model, score } = input;
  const { scaled, scaling } = scaledInputs(model, input);
  const { midpoint, ruleOnOutput } = activations[input.activation];
  let rule: Steps['rule'];
  if (input.threshold !== undefined) {
    rule = { on: 'output', value: score.output, threshold: input.threshold, passed: score.cls === 1 };
  } else if (ruleOnOutput && score.output >= midpoint === score.z >= 0) {
    rule = { on: 'output', value: score.output, threshold: midpoint, passed: score.cls === 1 };
  } else {
    rule = { on: 'z', value: score.z, threshold: 0, passed: score.cls === 1 };
  }
  return {
    row: input.row,
    line: input.line,
    inputs: stepInputs(model, input),
    scaling,
    terms: termsOf(model.weights, input.names, scaled),
    bias: model.bias,
    z: score.z,
    activation: { name: input.activation, formula: activations[input.activation].formula, output: score.output },
    rule,
    class: model.classes[score.cls],
    label: input.label === undefined ? undefined : { column: input.label.column, value: input.label.value, correct: input.label.cls === score.cls },
  };
}

/**
 * A softmax layer's working: each class's terms, with the z the scorer
 * computed; the shift, exponentials and sum as `softmaxInto` computes them
 * (exp(z - max z), so that none overflows), and its probabilities.
 */
export function explainLayer(input: LayerExplainInput): LayerSteps {
  const { model, score } = input;
  const { scaled, scaling } = scaledInputs(model, input);
  const z = Array.from(score.z);
  const max = Math.max(...z);
  const shifted = z.map((zc) => zc - max);
  const exp = shifted.map((s) => Math.exp(s));
  const sum = exp.reduce((a, b) => a + b, 0);
  return {
    row: input.row,
    line: input.line,
    inputs: stepInputs(model, input),
    scaling,
    layer: model.classes.map((name, c) => ({
      class: name,
      terms: termsOf(model.weights[c] ?? [], input.names, scaled),
      bias: model.bias[c] as number,
      z: z[c] as number,
    })),
    softmax: { formula: SOFTMAX_FORMULA, max, shifted, exp, sum, probabilities: Array.from(score.p) },
    classIndex: score.cls,
    class: model.classes[score.cls] as string,
    label: input.label === undefined ? undefined : { column: input.label.column, value: input.label.value, correct: input.label.cls === score.cls },
  };
}

type ExplainValuesOptions = PredictOptions & { readonly row?: number; readonly line?: number };

/**
 * The working of one row given as numbers in weight order (for an encoded
 * model, its inputs already encoded: each one-hot indicator 0 or 1), as
 * data: the steps `neuron explain --format json` prints (row and line are
 * 1 unless given; they only label the steps). A softmax model gives each
 * class's z and the softmax step.
 * @example
 * ```js
 * import { explainValues, parseModel } from 'neuron-cli';
 * const model = parseModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4, classes: ['Not Obese', 'Obese'] });
 * const steps = explainValues(model, [4, 80]);
 * steps.terms.map((t) => t.product); // => [2, 4]
 * steps.rule; // => { on: 'output', value: 0.8807970779778824, threshold: 0.5, passed: true }
 * steps.class; // => 'Obese'
 * const layer = parseModel({ weights: [[1], [0], [-1]], bias: [0, 0, 0], activation: 'softmax', classes: ['a', 'b', 'c'] });
 * const working = explainValues(layer, [2]);
 * working.layer.map((neuron) => neuron.z); // => [2, 0, -2]
 * working.softmax.shifted; // => [0, -2, -4]
 * working.class; // => 'a'
 * ```
 */
export function explainValues(model: SoftmaxModel, values: readonly number[], options?: ExplainValuesOptions): LayerSteps;
export function explainValues(model: Model, values: readonly number[], options?: ExplainValuesOptions): Steps;
export function explainValues(model: AnyModel, values: readonly number[], options?: ExplainValuesOptions): AnySteps;
export function explainValues(model: AnyModel, values: readonly number[], options: ExplainValuesOptions = {}): AnySteps {
  const row = options.row ?? 1;
  const line = options.line ?? 1;
  if (isSoftmax(model)) return explainLayerValues(model, values, options, row, line);
  const { scorer, score } = valueScorer(model, options);
  const prediction = score(values);
  return explainRow({
    row,
    line,
    names: inputNamesOf(model),
    values,
    model,
    activation: scorer.activation,
    threshold: scorer.threshold,
    score: { z: prediction.z, output: prediction.output, cls: prediction.classIndex },
  });
}

function explainLayerValues(model: SoftmaxModel, values: readonly number[], options: PredictOptions, row: number, line: number): LayerSteps {
  if (options.activation !== undefined || options.threshold !== undefined) {
    throw new NeuronError(
      'conflicting-options',
      `${options.activation === undefined ? 'threshold' : 'activation'} does not apply to a softmax model`,
      {},
      'a softmax layer picks the class with the largest z; drop the option',
    );
  }
  const names = inputNamesOf(model);
  checkValues(names, values);
  const bound: BoundModel<SoftmaxModel> = { model, inputNames: names, inputIndices: names.map((_, j) => j), keepIndices: [], labelIndex: undefined };
  const scorer = new LayerScorer(bound);
  const { scaled } = scaledInputs(model, { row, line, names, values });
  const score = scorer.finish(scaled, undefined, undefined, layerScore(scorer.k));
  return explainLayer({ row, line, names, values, model, score });
}
