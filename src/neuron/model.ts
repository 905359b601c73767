/**
 * The weights file: its type, and the validation of a parsed JSON value
 * into a Model. Hand-written rather than a schema library because every
 * message must name the JSON path in neuron's own words
 * (`weights[1]: expected a finite number, got "0.5"`) and suggest the key a
 * typo meant; the schema is eight keys.
 */

import { type ErrorReason, NeuronError, quote } from '../errors.js';
import { type ActivationName, activationNames, DEFAULT_ACTIVATION, isActivationName } from './activations.js';
import { type InitScheme, initSchemes, isInitScheme } from './init.js';
import { NAME_RULE, nameProblem } from './name-rules.js';
import { didYouMean } from './suggest.js';

/** Where random weights came from, so that a run can be repeated. */
export interface InitInfo {
  readonly seed: number;
  readonly scheme: InitScheme;
  readonly generator: 'mt19937';
}

/** A neuron: what a weights file holds, validated (see parseModel). */
export interface Model {
  /** Input column names, in weight order; undefined when weights are positional. */
  readonly features: readonly string[] | undefined;
  readonly weights: readonly number[];
  readonly bias: number;
  readonly activation: ActivationName;
  /** Names of class 0 and class 1. */
  readonly classes: readonly [string, string];
  /** Class 1 iff the activation output >= threshold; undefined: iff z >= 0. */
  readonly threshold: number | undefined;
  readonly init: InitInfo | undefined;
  /** Inputs are standardised, x' = (x - mean) / std, before the weights apply (written by `train --standardize`). */
  readonly scaling?: Scaling | undefined;
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

const KEYS = ['features', 'weights', 'bias', 'activation', 'classes', 'threshold', 'init', 'scaling'] as const;
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
export function parseModel(value: Json, file?: string): Model {
  const read = new WeightsReader(file);
  if (!isPlainObject(value)) {
    return read.fail('wrong-type', '', `expected a JSON object with "weights" and "bias", got ${describe(value)}`);
  }
  read.knownKeys(value, KEYS, quote);
  const listed = value.features === undefined ? undefined : parseFeatures(read, value.features);
  const { features, weights } = parseWeights(read, value.weights, listed);
  if (value.bias === undefined) read.fail('missing-key', 'bias', 'missing', 'add "bias": a number (0 if the model has none)');
  const bias = read.finite('bias', value.bias);
  const activation = value.activation === undefined ? DEFAULT_ACTIVATION : parseActivation(read, value.activation);
  const classes = value.classes === undefined ? DEFAULT_CLASSES : parseClasses(read, value.classes);
  const threshold = value.threshold === undefined ? undefined : read.finite('threshold', value.threshold);
  const init = value.init === undefined ? undefined : parseInit(read, value.init);
  const scaling = value.scaling === undefined ? undefined : parseScaling(read, value.scaling, weights.length);
  return { features, weights, bias, activation, classes, threshold, init, ...(scaling === undefined ? {} : { scaling }) };
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
  return read.fail('unknown-name', 'activation', `unknown activation ${describe(name)}`, `choose one of ${activationNames.join(', ')}`);
}

/** `"classes": ["no", "yes"]`: two different names. */
function parseClasses(read: WeightsReader, raw: Json): readonly [string, string] {
  if (!Array.isArray(raw) || raw.length !== 2) return read.fail('wrong-type', 'classes', `expected an array of two class names, got ${describe(raw)}`);
  const names = raw.map((name: Json, i) => read.name(`classes[${i}]`, name));
  if (names[0] === names[1]) read.fail('duplicate-name', 'classes[1]', `is the same as classes[0] (${quote(names[0])})`);
  return [names[0] ?? '', names[1] ?? ''];
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
export function modelToJson(model: Model): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (model.features !== undefined) out.features = model.features;
  out.weights = model.weights;
  out.bias = model.bias;
  out.activation = model.activation;
  out.classes = model.classes;
  if (model.threshold !== undefined) out.threshold = model.threshold;
  if (model.init !== undefined) out.init = model.init;
  if (model.scaling !== undefined) out.scaling = { mean: model.scaling.mean, std: model.scaling.std };
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
export function formatModel(model: Model): string {
  const lines = Object.entries(modelToJson(model)).map(([key, v]) => `  ${JSON.stringify(key)}: ${inlineJson(v)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}
