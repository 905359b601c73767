/**
 * `explain`: the working of one row, in the tutorial's order — the inputs,
 * the scaling (if any), z = w·x + b term by term, the activation, the
 * class. The steps are data (`explainRow`, for --format json); `renderSteps`
 * writes them for people, rounding numbers only as far as every printed
 * equality still holds at the printed precision; `plotActivation` draws
 * the activation curve with the row's z marked.
 */
import { type ActivationName, activations } from '../neuron/activations.js';
import { type AnyModel, type Model, plainModel } from '../neuron/model.js';
import { type Score, standardizeValue } from '../neuron/scorer.js';
import { inputNamesOf, type PredictOptions, valueScorer } from '../neuron/values.js';

/** The working of one row, as data (`explain --format json`). */
export interface Steps {
  /** 1-based data row (the header not counted) and its physical line. */
  readonly row: number;
  readonly line: number;
  readonly inputs: { readonly name: string; readonly value: number }[];
  /** x' = (x - mean) / std, for a standardised model. */
  readonly scaling: { readonly name: string; readonly value: number; readonly mean: number; readonly std: number; readonly scaled: number }[] | undefined;
  readonly terms: { readonly name: string; readonly weight: number; readonly input: number; readonly product: number }[];
  readonly bias: number;
  readonly z: number;
  readonly activation: { readonly name: ActivationName; readonly formula: string; readonly output: number };
  /** How the class was decided: output >= threshold, or z >= 0. */
  readonly rule: { readonly on: 'output' | 'z'; readonly value: number; readonly threshold: number; readonly passed: boolean };
  readonly class: string;
  readonly label: { readonly column: string; readonly value: string; readonly correct: boolean } | undefined;
}

export interface ExplainInput {
  readonly row: number;
  readonly line: number;
  readonly names: readonly string[];
  /** The row's input values, in weight order. */
  readonly values: readonly number[];
  readonly model: Model;
  readonly activation: ActivationName;
  readonly threshold: number | undefined;
  /** The Scorer's result for the row: the same z as `eval`. */
  readonly score: Score;
  readonly label?: { readonly column: string; readonly value: string; readonly cls: 0 | 1 } | undefined;
}

export function explainRow(input: ExplainInput): Steps {
  const { model, score } = input;
  const scaling = model.scaling;
  const scaled = input.values.map((value, j) => (scaling === undefined ? value : standardizeValue(value, scaling.mean[j] as number, scaling.std[j] as number)));
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
    inputs: input.names.map((name, j) => ({ name, value: input.values[j] as number })),
    scaling:
      scaling === undefined
        ? undefined
        : input.names.map((name, j) => ({
            name,
            value: input.values[j] as number,
            mean: scaling.mean[j] as number,
            std: scaling.std[j] as number,
            scaled: scaled[j] as number,
          })),
    terms: input.names.map((name, j) => {
      const weight = model.weights[j] as number;
      return { name, weight, input: scaled[j] as number, product: weight * (scaled[j] as number) };
    }),
    bias: model.bias,
    z: score.z,
    activation: { name: input.activation, formula: activations[input.activation].formula, output: score.output },
    rule,
    class: model.classes[score.cls],
    label: input.label === undefined ? undefined : { column: input.label.column, value: input.label.value, correct: input.label.cls === score.cls },
  };
}

/**
 * The working of one row given as numbers in weight order, as data: the
 * steps `neuron explain --format json` prints (row and line are 1 unless
 * given; they only label the steps).
 * @example
 * ```js
 * import { explainValues, parseModel } from 'neuron-cli';
 * const model = parseModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4, classes: ['Not Obese', 'Obese'] });
 * const steps = explainValues(model, [4, 80]);
 * steps.terms.map((t) => t.product); // => [2, 4]
 * steps.rule; // => { on: 'output', value: 0.8807970779778824, threshold: 0.5, passed: true }
 * steps.class; // => 'Obese'
 * ```
 */
export function explainValues(
  anyModel: AnyModel,
  values: readonly number[],
  options: PredictOptions & { readonly row?: number; readonly line?: number } = {},
): Steps {
  const model = plainModel(anyModel, 'explainValues');
  const { scorer, score } = valueScorer(model, options);
  const prediction = score(values);
  return explainRow({
    row: options.row ?? 1,
    line: options.line ?? 1,
    names: inputNamesOf(model),
    values,
    model,
    activation: scorer.activation,
    threshold: scorer.threshold,
    score: { z: prediction.z, output: prediction.output, cls: prediction.classIndex },
  });
}
