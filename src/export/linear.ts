/**
 * What every export target needs from a model: its named inputs in weight
 * order and the exact order of operations of `Scorer`, so that generated SQL
 * and code compute the same doubles as `neuron eval`.
 *
 * Scorer computes z = bias, then z += w_i * x_i for each input in order.
 * Generators render exactly that left-to-right sum; IEEE addition is not
 * associative, so they must not regroup it.
 *
 * Per-feature scaling (`"scaling"` in the weights file, written by
 * `train --standardize`) is folded in the same way: Scorer computes
 * x' = (x - mean) / std, then w * x', so each generator's `input()` renders
 * `((x - mean) / std)` and the term stays `w * ((x - mean) / std)`. It is not
 * pre-folded into new weights and bias (w / std, b - Σ w·mean / std): that is
 * the same function algebraically but rounds differently.
 */

import { NeuronError } from '../errors.js';
import type { ActivationName } from '../neuron/activations.js';
import type { Model } from '../neuron/model.js';

export interface Term {
  /** Input column name. */
  readonly feature: string;
  readonly weight: number;
  /** The input is standardised first, x' = (x - mean) / std; undefined when the model has no scaling. */
  readonly scaling?: { readonly mean: number; readonly std: number } | undefined;
}

/** A model ready to export: every input has a name. */
export interface LinearModel {
  readonly bias: number;
  readonly terms: readonly Term[];
  readonly activation: ActivationName;
  readonly classes: readonly [string, string];
  /** Class 1 iff the activation output >= threshold; undefined: iff z >= 0. */
  readonly threshold: number | undefined;
}

/** Input names that override the model's features (for positional weights), and the weights file's name for messages. */
export interface ExportInputs {
  /** Column names given on the command line; override the file's "features". */
  readonly features?: readonly string[] | undefined;
  /** For error messages. */
  readonly weightsFile?: string | undefined;
}

/**
 * The model with its inputs named, ready for the export generators, or a NeuronError saying how to name them.
 * @example
 * ```js
 * import { linearModel, parseModel } from 'neuron-cli';
 * const model = parseModel({ weights: [0.5, 0.05], bias: -4 });
 * linearModel(model, { features: ['height', 'weight'] }).terms.map((t) => t.feature); // => ['height', 'weight']
 * ```
 */
export function linearModel(model: Model, inputs: ExportInputs = {}): LinearModel {
  const names = inputs.features ?? model.features;
  const where = { file: inputs.weightsFile };
  if (names === undefined) {
    throw new NeuronError(
      'weights',
      `the weights are positional (no "features"), so the exported ${model.weights.length === 1 ? 'input has' : 'inputs have'} no column names`,
      where,
      'add "features": [column names] to the weights file, or name the columns with --features a,b',
    );
  }
  if (names.length !== model.weights.length) {
    throw new NeuronError(
      'usage',
      `--features names ${names.length} columns but the weights file has ${model.weights.length} weights`,
      {},
      'give one column name per weight, in weight order',
    );
  }
  const seen = new Set<string>();
  for (const name of names) {
    if (seen.has(name)) throw new NeuronError('usage', `--features names ${JSON.stringify(name)} twice`, {}, 'name each input column once');
    seen.add(name);
  }
  return {
    bias: model.bias,
    terms: names.map((feature, i) => ({
      feature,
      weight: model.weights[i] as number,
      ...(model.scaling === undefined ? {} : { scaling: { mean: model.scaling.mean[i] as number, std: model.scaling.std[i] as number } }),
    })),
    activation: model.activation,
    classes: model.classes,
    threshold: model.threshold,
  };
}

/** Whether any input is standardised before the weights apply. */
export function isScaled(model: LinearModel): boolean {
  return model.terms.some((term) => term.scaling !== undefined);
}

/**
 * A term's input as the factor of its weight: `x` as given, or for a scaled
 * term `((x - mean) / std)`, the operations Scorer performs, in its order.
 * A negative mean is written as an addition (x - m and x + (-m) are the same
 * double), as negative weights are, so no target sees `- -5`.
 */
export function standardised(term: Term, x: string, literal: (n: number) => string): string {
  if (term.scaling === undefined) return x;
  const { mean, std } = term.scaling;
  const negative = mean < 0 || Object.is(mean, -0);
  return `((${x} ${negative ? '+' : '-'} ${literal(Math.abs(mean))}) / ${literal(std)})`;
}

/** The names of the three output columns: z, the activation's name, class. */
export function outputNames(model: LinearModel): readonly [string, string, string] {
  return ['z', model.activation, 'class'];
}

/** The shortest decimal that reads back as the same double, in exponent form ("1.5e+0"); -0 keeps its sign. */
export function exponentLiteral(x: number): string {
  return Object.is(x, -0) ? '-0e+0' : x.toExponential();
}
