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
import { checkUniqueInputs, OPTION_NAMES, type OptionNames } from '../neuron/columns.js';
import { type AnyModel, type Model, plainModel } from '../neuron/model.js';
import { NAME_RULE, nameProblem, refuseBadNames } from '../neuron/name-rules.js';

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
  /** How error messages name the features option (default OPTION_NAMES). */
  readonly names?: OptionNames | undefined;
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
export function linearModel(anyModel: AnyModel, inputs: ExportInputs = {}): LinearModel {
  const model = plainModel(anyModel, 'export', inputs.weightsFile);
  const names = inputs.features ?? model.features;
  const where = { file: inputs.weightsFile };
  const option = (inputs.names ?? OPTION_NAMES).features;
  if (names === undefined) {
    throw new NeuronError(
      'positional-weights',
      `the weights are positional (no "features"), so the exported ${model.weights.length === 1 ? 'input has' : 'inputs have'} no column names`,
      where,
      `add "features": [column names] to the weights file, or name the columns with ${option} a,b`,
    );
  }
  if (names.length !== model.weights.length) {
    throw new NeuronError(
      'inputs-count',
      `${option} names ${names.length} columns but the weights file has ${model.weights.length} weights`,
      {},
      'give one column name per weight, in weight order',
    );
  }
  checkUniqueInputs(names, option);
  if (inputs.features !== undefined) refuseBadNames(inputs.features, option);
  const linear: LinearModel = {
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
  refuseControlCharacters(linear, inputs.weightsFile);
  return linear;
}

/**
 * Every generator's guard (see src/neuron/name-rules.ts): no feature or class
 * name holds a control character. The weights loader refuses them already;
 * this covers models built in code. Names the JSON path, as the loader does.
 */
export function refuseControlCharacters(model: LinearModel, file?: string): void {
  const named = [...model.terms.map((t, i) => [`features[${i}]`, t.feature] as const), ...model.classes.map((name, i) => [`classes[${i}]`, name] as const)];
  for (const [path, name] of named) {
    const problem = nameProblem(name);
    if (problem !== undefined) throw new NeuronError('bad-name', `${path}: ${JSON.stringify(name)} ${problem}`, { file }, NAME_RULE);
  }
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
export function standardizedTerm(term: Term, x: string, literal: (n: number) => string): string {
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
