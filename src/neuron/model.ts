/**
 * The weights file: its type, and the validation of a parsed JSON value
 * into a Model. Hand-written rather than a schema library because every
 * message must name the JSON path in neuron's own words
 * (`weights[1]: expected a finite number, got "0.5"`) and suggest the key a
 * typo meant; the schema is eleven keys.
 */

import { type ErrorReason, NeuronError, quote } from '../errors.js';
import { type ActivationName, activationNames, DEFAULT_ACTIVATION, isActivationName } from './activations.js';
import { checkEncoding } from './encoding.js';
import { type InitScheme, initSchemes, isInitScheme } from './init.js';
import { NAME_RULE, nameProblem } from './name-rules.js';
import { didYouMean } from './suggest.js';

/** Where random weights came from, so that a run can be repeated. */
export interface InitInfo {
  readonly seed: number;
  readonly scheme: InitScheme;
  readonly generator: 'mt19937';
}

/** What every weights file may hold besides its weights: names, preprocessing, provenance. */
export interface ModelBase {
  /**
   * Input names, in weight order; undefined when weights are positional.
   * With `categories`, a one-hot input is named `column=category` (see encoding.ts).
   */
  readonly features: readonly string[] | undefined;
  readonly init: InitInfo | undefined;
  /** Inputs are standardised, x' = (x - mean) / std, before the weights apply (written by `train --standardize`); in weight order, after encoding. */
  readonly scaling?: Scaling | undefined;
  /** Free text for people: what produced the file (the playground's "save" writes one). Scoring ignores it. */
  readonly note?: string | undefined;
  /** One-hot columns: column name → its categories, each an input `column=category` (train --categorical). */
  readonly categories?: ReadonlyMap<string, readonly string[]> | undefined;
  /** Fill values for a missing cell: column name → a number (numeric input) or one of its categories (train --impute). */
  readonly impute?: ReadonlyMap<string, number | string> | undefined;
}

/** A neuron: what a two-class weights file holds, validated (see parseModel). */
export interface Model extends ModelBase {
  readonly weights: readonly number[];
  readonly bias: number;
  readonly activation: ActivationName;
  /** Names of class 0 and class 1. */
  readonly classes: readonly [string, string];
  /** Class 1 iff the activation output >= threshold; undefined: iff z >= 0. */
  readonly threshold: number | undefined;
}

/**
 * A layer of k neurons, one per class, with softmax over their z values
 * (`"activation": "softmax"`): multinomial logistic regression. The class is
 * the largest z (the first in `classes` order on a tie).
 */
export interface SoftmaxModel extends ModelBase {
  readonly activation: typeof SOFTMAX;
  /** k rows, one per class in `classes` order, each one weight per input. */
  readonly weights: readonly (readonly number[])[];
  /** One bias per class. */
  readonly bias: readonly number[];
  /** k ≥ 2 class names. */
  readonly classes: readonly string[];
}

/** Either kind of weights file. */
export type AnyModel = Model | SoftmaxModel;

/** The activation name that makes a weights file a softmax layer. */
export const SOFTMAX = 'softmax';

/**
 * Whether a model is a softmax layer (k classes) rather than one neuron.
 * @example
 * ```js
 * import { isSoftmax, parseModel } from 'neuron-cli';
 * isSoftmax(parseModel({ weights: [[1], [2], [3]], bias: [0, 0, 0], activation: 'softmax', classes: ['a', 'b', 'c'] })); // => true
 * isSoftmax(parseModel({ weights: [1], bias: 0 })); // => false
 * ```
 */
export function isSoftmax(model: AnyModel): model is SoftmaxModel {
  return model.activation === SOFTMAX;
}

/** The number of inputs (weights per neuron). */
export function inputCount(model: Pick<Model, 'activation' | 'weights'> | Pick<SoftmaxModel, 'activation' | 'weights'>): number {
  return model.activation === SOFTMAX ? (model.weights[0]?.length ?? 0) : model.weights.length;
}

/** Whether the model encodes its inputs (one-hot categories or imputed fills) before the weights apply. */
export function isEncoded(model: ModelBase): boolean {
  return model.categories !== undefined || model.impute !== undefined;
}

/**
 * For a command that knows only one two-class neuron over plain numeric
 * inputs: the model, or a clear refusal naming what the command cannot do.
 */
export function plainModel(model: AnyModel, command: string, file?: string): Model {
  if (isSoftmax(model)) {
    throw new NeuronError(
      'unsupported-model',
      `${command} does not take a softmax model (${model.classes.length} classes)`,
      { file },
      'use eval, explain, metrics or export',
    );
  }
  if (isEncoded(model)) {
    const what = model.categories !== undefined ? '"categories"' : '"impute"';
    throw new NeuronError('unsupported-model', `${command} does not take a model with ${what} yet`, { file }, 'use eval, explain, metrics or export');
  }
  return model;
}

/** Per-input z-scoring, in weight order. */
export interface Scaling {
  readonly mean: readonly number[];
  readonly std: readonly number[];
}

/**
 * The class names when a weights file gives none.
 * @example
 * ```js
 * import { DEFAULT_CLASSES } from 'neuron-cli';
 * DEFAULT_CLASSES; // => ['0', '1']
 * ```
 */
export const DEFAULT_CLASSES: readonly [string, string] = ['0', '1'];

const KEYS = ['features', 'weights', 'bias', 'activation', 'classes', 'threshold', 'init', 'scaling', 'categories', 'impute', 'note'] as const;
const INIT_KEYS = ['seed', 'scheme', 'generator'] as const;
const SCALING_KEYS = ['mean', 'std'] as const;

export const MAX_SEED = 2 ** 32 - 1;

type Json = unknown;

function describe(value: Json): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'number' && !Number.isFinite(value)) return `${value} (out of range)`;
  return typeof value === 'string' ? quote(value) : String(value);
}

function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isFiniteNumber(value: Json): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** The checks of a weights file's values; each failure names the JSON path in `file`. */
class WeightsReader {
  constructor(private readonly file: string | undefined) {}

  fail(reason: ErrorReason, path: string, message: string, hint?: string): never {
    throw new NeuronError(reason, path === '' ? message : `${path}: ${message}`, { file: this.file }, hint);
  }

  finite(path: string, v: Json): number {
    return isFiniteNumber(v) ? v : this.fail('wrong-type', path, `expected a finite number, got ${describe(v)}`);
  }

  /** A feature or class name: a non-empty string that holds no control character (see name-rules.ts). */
  name(path: string, v: Json): string {
    if (typeof v !== 'string' || v === '') return this.fail('wrong-type', path, `expected a non-empty string, got ${describe(v)}`);
    return this.allowedName(path, v);
  }

  allowedName(path: string, name: string): string {
    const problem = nameProblem(name);
    return problem === undefined ? name : this.fail('bad-name', path, `${quote(name)} ${problem}`, NAME_RULE);
  }

  /** Refuses a key of `raw` that is not in `allowed`, suggesting the key a typo meant. */
  knownKeys(raw: Record<string, Json>, allowed: readonly string[], pathOf: (key: string) => string): void {
    for (const key of Object.keys(raw)) {
      if (!allowed.includes(key)) this.fail('unknown-key', pathOf(key), 'unknown key', didYouMean(key, allowed) ?? `the keys are ${allowed.join(', ')}`);
    }
  }
}

/**
 * Turns a parsed weights file into a Model, or throws a NeuronError naming the JSON path (and `file`, when given).
 * @example
 * ```js
 * import { parseModel } from 'neuron-cli';
 * const model = parseModel(JSON.parse('{"weights": [0.5, 0.05], "bias": -4}'));
 * [model.activation, model.classes, model.features]; // => ['sigmoid', ['0', '1'], undefined]
 * parseModel({ weights: { height: 0.5, weight: 0.05 }, bias: -4 }).features; // => ['height', 'weight']
 * parseModel({ weights: [0.5, '0.1'], bias: 0 }); // throws 'weights[1]: expected a finite number, got "0.1"'
 * ```
 */
export function parseModel(value: Json, file?: string): AnyModel {
  const read = new WeightsReader(file);
  if (!isPlainObject(value)) {
    return read.fail('wrong-type', '', `expected a JSON object with "weights" and "bias", got ${describe(value)}`);
  }
  read.knownKeys(value, KEYS, quote);
  const listed = value.features === undefined ? undefined : parseFeatures(read, value.features);
  const core = value.activation === SOFTMAX ? parseLayer(read, value, listed) : parseNeuron(read, value, listed);
  const count = inputCount(core);
  const init = value.init === undefined ? undefined : parseInit(read, value.init);
  const scaling = value.scaling === undefined ? undefined : parseScaling(read, value.scaling, count);
  const categories = value.categories === undefined ? undefined : parseCategories(read, value.categories);
  const impute = value.impute === undefined ? undefined : parseImpute(read, value.impute);
  const note = value.note === undefined ? undefined : read.name('note', value.note);
  const model: AnyModel = {
    ...core,
    init,
    ...(scaling === undefined ? {} : { scaling }),
    ...(categories === undefined ? {} : { categories }),
    ...(impute === undefined ? {} : { impute }),
    ...(note === undefined ? {} : { note }),
  };
  if (isEncoded(model)) checkEncoding(model, (path, message, hint) => read.fail('conflicting-keys', path, message, hint));
  return model;
}

type Core =
  | Pick<Model, 'features' | 'weights' | 'bias' | 'activation' | 'classes' | 'threshold'>
  | Pick<SoftmaxModel, 'features' | 'weights' | 'bias' | 'activation' | 'classes'>;

/** One neuron: `"weights"` a list or an object of numbers, `"bias"` a number, two classes. */
function parseNeuron(read: WeightsReader, value: Record<string, Json>, listed: string[] | undefined): Core {
  const { features, weights } = parseWeights(read, value.weights, listed);
  if (value.bias === undefined) read.fail('missing-key', 'bias', 'missing', 'add "bias": a number (0 if the model has none)');
  const bias = read.finite('bias', value.bias);
  const activation = value.activation === undefined ? DEFAULT_ACTIVATION : parseActivation(read, value.activation);
  const classes = value.classes === undefined ? DEFAULT_CLASSES : parseClasses(read, value.classes);
  const threshold = value.threshold === undefined ? undefined : read.finite('threshold', value.threshold);
  return { features, weights, bias, activation, classes, threshold };
}

/**
 * A softmax layer: `"weights"` k rows (arrays in `features` order, or an
 * object of class name to an object of feature to number), `"bias"` k numbers.
 */
function parseLayer(read: WeightsReader, value: Record<string, Json>, listed: string[] | undefined): Core {
  if (value.threshold !== undefined) {
    read.fail(
      'conflicting-keys',
      'threshold',
      'not allowed with "activation": "softmax"',
      'a softmax layer picks the class with the largest z; remove "threshold"',
    );
  }
  const given = value.classes === undefined ? undefined : parseClassList(read, value.classes);
  const raw = value.weights;
  let features = listed;
  let classes: readonly string[];
  let weights: number[][];
  if (raw === undefined) {
    return read.fail('missing-key', 'weights', 'missing', 'add "weights": one array of numbers per class');
  } else if (Array.isArray(raw)) {
    weights = raw.map((row: Json, c) => {
      if (!Array.isArray(row)) return read.fail('wrong-type', `weights[${c}]`, `expected an array of numbers (class ${c}'s weights), got ${describe(row)}`);
      return row.map((w: Json, j) => read.finite(`weights[${c}][${j}]`, w));
    });
    classes = given ?? weights.map((_, c) => String(c));
  } else if (isPlainObject(raw)) {
    if (features !== undefined) {
      read.fail('conflicting-keys', 'features', 'not allowed when "weights" is an object', 'the rows\' keys name the features; remove "features"');
    }
    const keys = Object.keys(raw).map((name) => read.allowedName(`weights[${JSON.stringify(name)}]`, name));
    if (given !== undefined) {
      for (const name of keys) {
        if (!given.includes(name))
          read.fail(
            'unknown-key',
            `weights[${JSON.stringify(name)}]`,
            `${quote(name)} is not one of "classes"`,
            `the classes are ${given.map((name) => quote(name)).join(', ')}`,
          );
      }
      for (const name of given) {
        if (!keys.includes(name)) read.fail('missing-key', `weights[${JSON.stringify(name)}]`, 'missing', `give a row of weights for class ${quote(name)}`);
      }
    }
    classes = given ?? keys;
    weights = classes.map((name) => {
      const path = `weights[${JSON.stringify(name)}]`;
      const row = raw[name];
      if (!isPlainObject(row)) return read.fail('wrong-type', path, `expected an object of feature name to number, got ${describe(row)}`);
      const names = Object.keys(row).map((f) => read.allowedName(`${path}[${JSON.stringify(f)}]`, f));
      if (features === undefined) features = names;
      const expected = features;
      if (names.length !== expected.length || names.some((f) => !expected.includes(f))) {
        read.fail(
          'weights-count',
          path,
          `names the features ${names.map((name) => quote(name)).join(', ')}, but the first class names ${expected.map((name) => quote(name)).join(', ')}`,
          'give every class a weight for the same features',
        );
      }
      return expected.map((f) => read.finite(`${path}[${JSON.stringify(f)}]`, row[f]));
    });
  } else {
    return read.fail(
      'wrong-type',
      'weights',
      `expected an array of arrays of numbers (one per class), got ${describe(raw)}`,
      'a softmax layer has one row of weights per class',
    );
  }
  if (weights.length < 2) read.fail('weights-count', 'weights', `has ${weights.length} rows`, 'a softmax layer has one row of weights per class, at least two');
  if (classes.length !== weights.length) {
    read.fail('weights-count', 'classes', `names ${classes.length} classes but "weights" has ${weights.length} rows`, 'give one row of weights per class');
  }
  const width = weights[0]?.length ?? 0;
  if (width === 0) read.fail('weights-count', 'weights[0]', 'is empty', 'give one weight per input column');
  weights.forEach((row, c) => {
    if (row.length !== width)
      read.fail('weights-count', `weights[${c}]`, `has ${row.length} numbers but weights[0] has ${width}`, 'give every class one weight per input');
  });
  if (features !== undefined && features.length !== width) {
    read.fail('weights-count', 'weights[0]', `has ${width} numbers but "features" names ${features.length} columns`, 'give one weight per feature');
  }
  const rawBias = value.bias;
  if (rawBias === undefined) read.fail('missing-key', 'bias', 'missing', `add "bias": one number per class (${classes.length})`);
  if (!Array.isArray(rawBias))
    return read.fail('wrong-type', 'bias', `expected an array of ${classes.length} numbers (one per class), got ${describe(rawBias)}`);
  if (rawBias.length !== classes.length)
    read.fail('weights-count', 'bias', `has ${rawBias.length} numbers but there are ${classes.length} classes`, 'give one bias per class');
  const bias = rawBias.map((b: Json, c) => read.finite(`bias[${c}]`, b));
  return { features, weights, bias, activation: SOFTMAX, classes };
}

/** `"categories": {"sex": ["female", "male"]}`: each one-hot column's categories, none twice. */
function parseCategories(read: WeightsReader, raw: Json): Map<string, string[]> {
  if (!isPlainObject(raw)) return read.fail('wrong-type', 'categories', `expected an object of column name to an array of categories, got ${describe(raw)}`);
  const out = new Map<string, string[]>();
  for (const column of Object.keys(raw)) {
    const path = `categories[${JSON.stringify(column)}]`;
    // An empty column name would be an empty identifier in the exported SQL, and no CSV header names it.
    if (column === '') read.fail('wrong-type', path, 'expected a non-empty column name');
    read.allowedName(path, column);
    const list = raw[column];
    if (!Array.isArray(list) || list.length === 0) return read.fail('wrong-type', path, `expected a non-empty array of category names, got ${describe(list)}`);
    const names = list.map((name: Json, i) => read.name(`${path}[${i}]`, name));
    names.forEach((name, i) => {
      if (names.indexOf(name) !== i) read.fail('duplicate-name', `${path}[${i}]`, `${quote(name)} is listed twice`);
    });
    out.set(column, names);
  }
  return out;
}

/** `"impute": {"age": 28, "port": "S"}`: the value a missing cell takes, a number or (for a one-hot column) a category. */
function parseImpute(read: WeightsReader, raw: Json): Map<string, number | string> {
  if (!isPlainObject(raw)) return read.fail('wrong-type', 'impute', `expected an object of column name to a fill value, got ${describe(raw)}`);
  const out = new Map<string, number | string>();
  for (const column of Object.keys(raw)) {
    const path = `impute[${JSON.stringify(column)}]`;
    read.allowedName(path, column);
    const fill = raw[column];
    out.set(column, typeof fill === 'string' ? read.name(path, fill) : read.finite(path, fill));
  }
  return out;
}

/** `"features": ["a", "b"]`: column names, none twice. */
function parseFeatures(read: WeightsReader, raw: Json): string[] {
  if (!Array.isArray(raw)) return read.fail('wrong-type', 'features', `expected an array of column names, got ${describe(raw)}`);
  const features = raw.map((name: Json, i) => read.name(`features[${i}]`, name));
  const seen = new Set<string>();
  features.forEach((name, i) => {
    if (seen.has(name)) read.fail('duplicate-name', `features[${i}]`, `${quote(name)} is listed twice`);
    seen.add(name);
  });
  return features;
}

/** `"weights"`: an array of numbers (one per listed feature), or an object of column name to number (which names the features). */
function parseWeights(read: WeightsReader, raw: Json, listed: string[] | undefined): { features: string[] | undefined; weights: number[] } {
  let features = listed;
  let weights: number[];
  if (raw === undefined) {
    return read.fail('missing-key', 'weights', 'missing', 'add "weights": an array of numbers, or an object of column name to number');
  } else if (Array.isArray(raw)) {
    weights = raw.map((w: Json, i) => read.finite(`weights[${i}]`, w));
  } else if (isPlainObject(raw)) {
    if (features !== undefined) {
      read.fail('conflicting-keys', 'features', 'not allowed when "weights" is an object', 'the object\'s keys name the features; remove "features"');
    }
    features = Object.keys(raw).map((name) => read.allowedName(`weights[${JSON.stringify(name)}]`, name));
    weights = features.map((name) => read.finite(`weights[${JSON.stringify(name)}]`, raw[name]));
  } else {
    return read.fail('wrong-type', 'weights', `expected an array of numbers or an object of numbers, got ${describe(raw)}`);
  }
  if (weights.length === 0) read.fail('weights-count', 'weights', 'is empty', 'give one weight per input column');
  if (features !== undefined && features.length !== weights.length) {
    read.fail('weights-count', 'weights', `has ${weights.length} numbers but "features" names ${features.length} columns`, 'give one weight per feature');
  }
  return { features, weights };
}

function parseActivation(read: WeightsReader, name: Json): ActivationName {
  if (typeof name === 'string' && isActivationName(name)) return name;
  return read.fail('unknown-name', 'activation', `unknown activation ${describe(name)}`, `choose one of ${[...activationNames, SOFTMAX].join(', ')}`);
}

/** `"classes": ["no", "yes"]`: two different names. */
function parseClasses(read: WeightsReader, raw: Json): readonly [string, string] {
  if (!Array.isArray(raw) || raw.length !== 2) return read.fail('wrong-type', 'classes', `expected an array of two class names, got ${describe(raw)}`);
  const names = raw.map((name: Json, i) => read.name(`classes[${i}]`, name));
  if (names[0] === names[1]) read.fail('duplicate-name', 'classes[1]', `is the same as classes[0] (${quote(names[0])})`);
  return [names[0] ?? '', names[1] ?? ''];
}

/** A softmax layer's `"classes"`: two or more different names. */
function parseClassList(read: WeightsReader, raw: Json): string[] {
  if (!Array.isArray(raw) || raw.length < 2) return read.fail('wrong-type', 'classes', `expected an array of class names (at least two), got ${describe(raw)}`);
  const names = raw.map((name: Json, i) => read.name(`classes[${i}]`, name));
  names.forEach((name, i) => {
    const first = names.indexOf(name);
    if (first !== i) read.fail('duplicate-name', `classes[${i}]`, `is the same as classes[${first}] (${quote(name)})`);
  });
  return names;
}

/** `"init": {"seed": 1, "scheme": "xavier", "generator": "mt19937"}`: where random weights came from. */
function parseInit(read: WeightsReader, raw: Json): InitInfo {
  if (!isPlainObject(raw)) return read.fail('wrong-type', 'init', `expected an object, got ${describe(raw)}`);
  read.knownKeys(raw, INIT_KEYS, (key) => `init.${key}`);
  const seed = raw.seed;
  if (!Number.isInteger(seed) || (seed as number) < 0 || (seed as number) > MAX_SEED) {
    read.fail('wrong-type', 'init.seed', `expected an integer from 0 to ${MAX_SEED}, got ${describe(seed)}`);
  }
  const scheme = raw.scheme;
  if (typeof scheme !== 'string' || !isInitScheme(scheme)) {
    return read.fail('unknown-name', 'init.scheme', `unknown scheme ${describe(scheme)}`, `choose one of ${initSchemes.join(', ')}`);
  }
  if (raw.generator !== 'mt19937') read.fail('wrong-type', 'init.generator', `expected "mt19937", got ${describe(raw.generator)}`);
  return { seed: seed as number, scheme, generator: 'mt19937' };
}

/** `"scaling": {"mean": [...], "std": [...]}`: one finite mean and one finite std > 0 per weight. */
function parseScaling(read: WeightsReader, raw: Json, count: number): Scaling {
  if (!isPlainObject(raw)) return read.fail('wrong-type', 'scaling', `expected an object with "mean" and "std", got ${describe(raw)}`);
  read.knownKeys(raw, SCALING_KEYS, (key) => `scaling.${key}`);
  const list = (key: 'mean' | 'std', valid: (x: number) => boolean, wanted: string): number[] => {
    const values = raw[key];
    if (!Array.isArray(values)) return read.fail('wrong-type', `scaling.${key}`, `expected an array of ${count} numbers, got ${describe(values)}`);
    if (values.length !== count)
      return read.fail('weights-count', `scaling.${key}`, `has ${values.length} numbers but there are ${count} weights`, 'give one per weight');
    return values.map((x: Json, i) =>
      isFiniteNumber(x) && valid(x) ? x : read.fail('wrong-type', `scaling.${key}[${i}]`, `expected ${wanted}, got ${describe(x)}`),
    );
  };
  return { mean: list('mean', () => true, 'a finite number'), std: list('std', (x) => x > 0, 'a finite number greater than 0') };
}

/**
 * The canonical JSON form of a model, as written by random-init and --save-weights; parseModel reads it back.
 * @example
 * ```js
 * import { modelToJson, parseModel } from 'neuron-cli';
 * modelToJson(parseModel({ weights: [1, 2], bias: 0 })); // => { weights: [1, 2], bias: 0, activation: 'sigmoid', classes: ['0', '1'] }
 * ```
 */
export function modelToJson(model: AnyModel): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (model.features !== undefined) out.features = model.features;
  out.weights = model.weights;
  out.bias = model.bias;
  out.activation = model.activation;
  out.classes = model.classes;
  if (!isSoftmax(model) && model.threshold !== undefined) out.threshold = model.threshold;
  if (model.init !== undefined) out.init = model.init;
  if (model.scaling !== undefined) out.scaling = { mean: model.scaling.mean, std: model.scaling.std };
  if (model.categories !== undefined) out.categories = Object.fromEntries(model.categories);
  if (model.impute !== undefined) out.impute = Object.fromEntries(model.impute);
  if (model.note !== undefined) out.note = model.note;
  return out;
}

/** JSON on one line with a space after each comma and colon, as people write it by hand. */
function inlineJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(inlineJson).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{${Object.entries(value)
      .map(([k, v]) => `${JSON.stringify(k)}: ${inlineJson(v)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}

/**
 * Weights file text: one key per line, each value on one line. Numbers are written losslessly.
 * @example
 * ```js
 * import { formatModel, parseModel } from 'neuron-cli';
 * formatModel(parseModel({ weights: [0.1, 2], bias: -1 })); // => '{\n  "weights": [0.1, 2],\n  "bias": -1,\n  "activation": "sigmoid",\n  "classes": ["0", "1"]\n}\n'
 * ```
 */
export function formatModel(model: AnyModel): string {
  const lines = Object.entries(modelToJson(model)).map(([key, v]) =>
    // A softmax layer's weights: one class's row per line.
    key === 'weights' && isSoftmax(model)
      ? `  "weights": [\n${model.weights.map((row) => `    ${inlineJson(row)}`).join(',\n')}\n  ]`
      : `  ${JSON.stringify(key)}: ${inlineJson(v)}`,
  );
  return `{\n${lines.join(',\n')}\n}\n`;
}
