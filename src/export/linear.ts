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
import { encodedInputs } from '../neuron/encoding.js';
import { type AnyModel, inputCount, isEncoded, isSoftmax, plainModel, type SOFTMAX } from '../neuron/model.js';
import { NAME_RULE, nameProblem, refuseBadNames } from '../neuron/name-rules.js';

/**
 * How an input of an encoded model (one with "categories" or "impute") reads
 * its column, as src/neuron/encoding.ts's RowEncoder does: undefined for a
 * plain numeric input that reads the column named like the input.
 */
export interface InputEncoding {
  /** The data column it reads (for a one-hot input `sex=male`, `sex`). */
  readonly column: string;
  /** One-hot: the input is 1 when the cell is exactly this category, else 0. */
  readonly category?: string | undefined;
  /** What a missing cell counts as: a number, or (one-hot) a category. */
  readonly fill?: number | string | undefined;
}

/** One input of the model, in weight order: its name, how it reads its column, and its standardisation. */
export interface Input {
  /** The input's name: the column, or `column=category` for a one-hot input. */
  readonly feature: string;
  /** The input is standardised first, x' = (x - mean) / std; undefined when the model has no scaling. */
  readonly scaling?: { readonly mean: number; readonly std: number } | undefined;
  /** For an encoded model: the column it reads, its category and its fill. */
  readonly encoding?: InputEncoding | undefined;
}

/** An input with its weight (a two-class neuron has one weight per input). */
export interface Term extends Input {
  readonly weight: number;
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

/** One neuron of a layer: z = bias + Σ weights[j] · x_j, summed in input order. */
export interface Neuron {
  readonly bias: number;
  readonly weights: readonly number[];
}

/** A softmax layer ready to export: k neurons over the same named inputs, one per class. */
export interface LayerModel {
  readonly activation: typeof SOFTMAX;
  readonly inputs: readonly Input[];
  /** One per class, in `classes` order. */
  readonly neurons: readonly Neuron[];
  readonly classes: readonly string[];
}

/** What the generators take: one two-class neuron, or a softmax layer. */
export type ExportModel = LinearModel | LayerModel;

/** Whether an exported model is a softmax layer. */
export function isLayer(model: ExportModel): model is LayerModel {
  return 'neurons' in model;
}

/** The model as inputs and neurons (a two-class model is a layer of one), for the z sums every target writes. */
export function neuronsOf(model: ExportModel): { readonly inputs: readonly Input[]; readonly neurons: readonly Neuron[] } {
  if (isLayer(model)) return model;
  return { inputs: model.terms, neurons: [{ bias: model.bias, weights: model.terms.map((term) => term.weight) }] };
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
 * Only a two-class neuron over plain numeric columns (see `exportModel` for every kind).
 * @example
 * ```js
 * import { linearModel, parseModel } from 'neuron-cli';
 * const model = parseModel({ weights: [0.5, 0.05], bias: -4 });
 * linearModel(model, { features: ['height', 'weight'] }).terms.map((t) => t.feature); // => ['height', 'weight']
 * ```
 */
export function linearModel(anyModel: AnyModel, inputs: ExportInputs = {}): LinearModel {
  return exportModel(plainModel(anyModel, 'export', inputs.weightsFile), inputs) as LinearModel;
}

/**
 * Any model ready for the export generators: a two-class neuron or a softmax
 * layer, its inputs named and (for a model with "categories" or "impute")
 * each input's encoding read from the model, as eval applies it.
 * @example
 * ```js
 * import { exportModel, parseModel } from 'neuron-cli';
 * const model = parseModel({ weights: { age: 0.1, 'sex=f': 1, 'sex=m': -1 }, bias: 0, categories: { sex: ['f', 'm'] }, impute: { age: 30 } });
 * exportModel(model).terms.map((t) => [t.feature, t.encoding?.category, t.encoding?.fill]); // => [['age', undefined, 30], ['sex=f', 'f', undefined], ['sex=m', 'm', undefined]]
 * ```
 */
export function exportModel(model: AnyModel, inputs: ExportInputs = {}): ExportModel {
  const named = namedInputs(model, inputs);
  const exported: ExportModel = isSoftmax(model)
    ? {
        activation: model.activation,
        inputs: named,
        neurons: model.weights.map((weights, c) => ({ bias: model.bias[c] as number, weights })),
        classes: model.classes,
      }
    : {
        bias: model.bias,
        terms: named.map((input, i) => ({ ...input, weight: model.weights[i] as number })),
        activation: model.activation,
        classes: model.classes,
        threshold: model.threshold,
      };
  refuseControlCharacters(exported, inputs.weightsFile);
  return exported;
}

/** The model's inputs in weight order, named by the file or by --features, with their encoding and scaling. */
function namedInputs(model: AnyModel, inputs: ExportInputs): Input[] {
  const count = inputCount(model);
  const where = { file: inputs.weightsFile };
  const option = (inputs.names ?? OPTION_NAMES).features;
  const scalingOf = (i: number) =>
    model.scaling === undefined ? {} : { scaling: { mean: model.scaling.mean[i] as number, std: model.scaling.std[i] as number } };
  if (isEncoded(model)) {
    if (inputs.features !== undefined) {
      throw new NeuronError(
        'conflicting-options',
        `${option} cannot rename the inputs of a model with "categories" or "impute"`,
        where,
        `drop ${option}: the model names its input columns`,
      );
    }
    return encodedInputs(model).map((input, i) => ({
      feature: input.name,
      ...scalingOf(i),
      encoding: { column: input.column, category: input.category, fill: input.fill },
    }));
  }
  const names = inputs.features ?? model.features;
  if (names === undefined) {
    throw new NeuronError(
      'positional-weights',
      `the weights are positional (no "features"), so the exported ${count === 1 ? 'input has' : 'inputs have'} no column names`,
      where,
      `add "features": [column names] to the weights file, or name the columns with ${option} a,b`,
    );
  }
  if (names.length !== count) {
    throw new NeuronError(
      'inputs-count',
      `${option} names ${names.length} columns but the weights file has ${count} weights${isSoftmax(model) ? ' per class' : ''}`,
      {},
      'give one column name per weight, in weight order',
    );
  }
  checkUniqueInputs(names, option);
  if (inputs.features !== undefined) refuseBadNames(inputs.features, option);
  return names.map((feature, i) => ({ feature, ...scalingOf(i) }));
}

/** The data column an input reads: its encoding's, or its own name. */
export function columnOf(input: Input): string {
  return input.encoding?.column ?? input.feature;
}

/** A one-hot column's categories, in input order (each category is one input). */
export function categoriesOf(inputs: readonly Input[], column: string): string[] {
  return inputs.flatMap((input) => (input.encoding?.category !== undefined && input.encoding.column === column ? [input.encoding.category] : []));
}

/** The data columns the inputs read, each once, in first-use order. */
export function columnsOf(inputs: readonly Input[]): string[] {
  return [...new Set(inputs.map(columnOf))];
}

/**
 * Every generator's guard (see src/neuron/name-rules.ts): no feature, column,
 * category or class name holds a control character. The weights loader
 * refuses them already; this covers models built in code. Names the JSON
 * path, as the loader does.
 */
export function refuseControlCharacters(model: ExportModel, file?: string): void {
  const inputs = neuronsOf(model).inputs;
  const named = [
    ...inputs.map((t, i) => [`features[${i}]`, t.feature] as const),
    ...inputs.flatMap((t, i) => {
      const e = t.encoding;
      if (e === undefined) return [];
      const texts = [e.column, e.category, typeof e.fill === 'string' ? e.fill : undefined].filter((text) => text !== undefined);
      return texts.map((text) => [`features[${i}]`, text] as const);
    }),
    ...model.classes.map((name, i) => [`classes[${i}]`, name] as const),
  ];
  for (const [path, name] of named) {
    const problem = nameProblem(name);
    if (problem !== undefined) throw new NeuronError('bad-name', `${path}: ${JSON.stringify(name)} ${problem}`, { file }, NAME_RULE);
  }
}

/** Whether any input is standardised before the weights apply. */
export function isScaled(model: ExportModel): boolean {
  return neuronsOf(model).inputs.some((input) => input.scaling !== undefined);
}

/** Whether any input is one-hot or has a fill (the model has "categories" or "impute"). */
export function isEncodedExport(model: ExportModel): boolean {
  return neuronsOf(model).inputs.some((input) => input.encoding !== undefined && (input.encoding.category !== undefined || input.encoding.fill !== undefined));
}

/**
 * A term's input as the factor of its weight: `x` as given, or for a scaled
 * term `((x - mean) / std)`, the operations Scorer performs, in its order.
 * A negative mean is written as an addition (x - m and x + (-m) are the same
 * double), as negative weights are, so no target sees `- -5`.
 */
export function standardizedTerm(term: Input | Term, x: string, literal: (n: number) => string): string {
  if (term.scaling === undefined) return x;
  const { mean, std } = term.scaling;
  const negative = mean < 0 || Object.is(mean, -0);
  return `((${x} ${negative ? '+' : '-'} ${literal(Math.abs(mean))}) / ${literal(std)})`;
}

/** The names of the three output columns: z, the activation's name, class. */
export function outputNames(model: LinearModel): readonly [string, string, string] {
  return ['z', model.activation, 'class'];
}

/** A softmax layer's output columns, as eval names them: `z_<class>` for each class, `softmax_<class>` for each, then `class`. */
export function layerOutputNames(model: LayerModel): { readonly z: readonly string[]; readonly p: readonly string[]; readonly cls: string } {
  return { z: model.classes.map((c) => `z_${c}`), p: model.classes.map((c) => `softmax_${c}`), cls: 'class' };
}

/** Every output column's name, in order. */
export function allOutputNames(model: ExportModel): readonly string[] {
  if (!isLayer(model)) return outputNames(model);
  const names = layerOutputNames(model);
  return [...names.z, ...names.p, names.cls];
}

/** The shortest decimal that reads back as the same double, in exponent form ("1.5e+0"); -0 keeps its sign. */
export function exponentLiteral(x: number): string {
  return Object.is(x, -0) ? '-0e+0' : x.toExponential();
}
