/**
 * The weights file: its type, and the validation of a parsed JSON value
 * into a Model. Hand-written rather than a schema library because every
 * message must name the JSON path in neuron's own words
 * (`weights[1]: expected a finite number, got "0.5"`) and suggest the key a
 * typo meant; the schema is eight keys.
 */

import { NeuronError, quote } from '../errors.js';
import { type ActivationName, activationNames, isActivationName } from './activations.js';
import { type InitScheme, initSchemes, isInitScheme } from './init.js';
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
  const fail = (path: string, message: string, hint?: string): never => {
    throw new NeuronError('weights', path === '' ? message : `${path}: ${message}`, { file }, hint);
  };
  const expectFinite = (path: string, v: Json): number => (isFiniteNumber(v) ? v : fail(path, `expected a finite number, got ${describe(v)}`));
  const expectString = (path: string, v: Json): string =>
    typeof v === 'string' && v !== '' ? v : fail(path, `expected a non-empty string, got ${describe(v)}`);

  if (!isPlainObject(value)) {
    return fail('', `expected a JSON object with "weights" and "bias", got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) {
    if (!(KEYS as readonly string[]).includes(key)) {
      fail(quote(key), 'unknown key', didYouMean(key, KEYS) ?? `the keys are ${KEYS.join(', ')}`);
    }
  }

  let features: string[] | undefined;
  if (value.features !== undefined) {
    if (!Array.isArray(value.features)) fail('features', `expected an array of column names, got ${describe(value.features)}`);
    features = (value.features as Json[]).map((name, i) => expectString(`features[${i}]`, name));
    const seen = new Set<string>();
    features.forEach((name, i) => {
      if (seen.has(name)) fail(`features[${i}]`, `${quote(name)} is listed twice`);
      seen.add(name);
    });
  }

  let weights: number[];
  const rawWeights = value.weights;
  if (rawWeights === undefined) {
    return fail('weights', 'missing', 'add "weights": an array of numbers, or an object of column name to number');
  } else if (Array.isArray(rawWeights)) {
    weights = rawWeights.map((w, i) => expectFinite(`weights[${i}]`, w));
  } else if (isPlainObject(rawWeights)) {
    if (features !== undefined) {
      fail('features', 'not allowed when "weights" is an object', 'the object\'s keys name the features; remove "features"');
    }
    features = Object.keys(rawWeights);
    weights = features.map((name) => expectFinite(`weights[${JSON.stringify(name)}]`, rawWeights[name]));
  } else {
    return fail('weights', `expected an array of numbers or an object of numbers, got ${describe(rawWeights)}`);
  }
  if (weights.length === 0) fail('weights', 'is empty', 'give one weight per input column');
  if (features !== undefined && features.length !== weights.length) {
    fail('weights', `has ${weights.length} numbers but "features" names ${features.length} columns`, 'give one weight per feature');
  }

  if (value.bias === undefined) fail('bias', 'missing', 'add "bias": a number (0 if the model has none)');
  const bias = expectFinite('bias', value.bias);

  let activation: ActivationName = 'sigmoid';
  if (value.activation !== undefined) {
    const name = value.activation;
    if (typeof name !== 'string' || !isActivationName(name)) {
      fail('activation', `unknown activation ${describe(name)}`, `choose one of ${activationNames.join(', ')}`);
    } else {
      activation = name;
    }
  }

  let classes = DEFAULT_CLASSES;
  if (value.classes !== undefined) {
    const raw = value.classes;
    if (!Array.isArray(raw) || raw.length !== 2) {
      fail('classes', `expected an array of two class names, got ${describe(raw)}`);
    } else {
      const names = raw.map((name, i) => expectString(`classes[${i}]`, name));
      if (names[0] === names[1]) fail('classes[1]', `is the same as classes[0] (${quote(names[0])})`);
      classes = [names[0] ?? '', names[1] ?? ''];
    }
  }

  const threshold = value.threshold === undefined ? undefined : expectFinite('threshold', value.threshold);

  let init: InitInfo | undefined;
  if (value.init !== undefined) {
    const raw = value.init;
    if (!isPlainObject(raw)) return fail('init', `expected an object, got ${describe(raw)}`);
    for (const key of Object.keys(raw)) {
      if (!(INIT_KEYS as readonly string[]).includes(key)) {
        fail(`init.${key}`, 'unknown key', didYouMean(key, INIT_KEYS) ?? `the keys are ${INIT_KEYS.join(', ')}`);
      }
    }
    const seed = raw.seed;
    if (!Number.isInteger(seed) || (seed as number) < 0 || (seed as number) > MAX_SEED) {
      fail('init.seed', `expected an integer from 0 to ${MAX_SEED}, got ${describe(seed)}`);
    }
    const scheme = raw.scheme;
    if (typeof scheme !== 'string' || !isInitScheme(scheme)) {
      return fail('init.scheme', `unknown scheme ${describe(scheme)}`, `choose one of ${initSchemes.join(', ')}`);
    }
    if (raw.generator !== 'mt19937') fail('init.generator', `expected "mt19937", got ${describe(raw.generator)}`);
    init = { seed: seed as number, scheme, generator: 'mt19937' };
  }

  const scaling = value.scaling === undefined ? undefined : parseScaling(value.scaling, weights.length, fail);

  return { features, weights, bias, activation, classes, threshold, init, ...(scaling === undefined ? {} : { scaling }) };
}

/** `"scaling": {"mean": [...], "std": [...]}`: one finite mean and one finite std > 0 per weight. */
function parseScaling(raw: Json, count: number, fail: (path: string, message: string, hint?: string) => never): Scaling {
  if (!isPlainObject(raw)) return fail('scaling', `expected an object with "mean" and "std", got ${describe(raw)}`);
  for (const key of Object.keys(raw)) {
    if (!(SCALING_KEYS as readonly string[]).includes(key)) {
      fail(`scaling.${key}`, 'unknown key', didYouMean(key, SCALING_KEYS) ?? `the keys are ${SCALING_KEYS.join(', ')}`);
    }
  }
  const list = (key: 'mean' | 'std', valid: (x: number) => boolean, wanted: string): number[] => {
    const values = raw[key];
    if (!Array.isArray(values)) return fail(`scaling.${key}`, `expected an array of ${count} numbers, got ${describe(values)}`);
    if (values.length !== count) return fail(`scaling.${key}`, `has ${values.length} numbers but there are ${count} weights`, 'give one per weight');
    return values.map((x: Json, i) => (isFiniteNumber(x) && valid(x) ? x : fail(`scaling.${key}[${i}]`, `expected ${wanted}, got ${describe(x)}`)));
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
