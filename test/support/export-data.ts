/**
 * Shared data for the export tests: models with awkward column names, and
 * rows that drive z across the whole range the stable sigmoid must survive
 * (±1000, the edges of exp's normal and subnormal range, 0), with the
 * in-process Scorer as the reference that every engine must agree with.
 */
import fc from 'fast-check';
import type { ActivationName } from '../../src/neuron/activations.js';
import { bindModel } from '../../src/neuron/columns.js';
import type { Model, Scaling } from '../../src/neuron/model.js';
import { type Score, Scorer } from '../../src/neuron/scorer.js';

/** Names that need quoting: spaces, both quote characters, backslash, brackets, reserved words, unicode. */
export const AWKWARD_FEATURES = ['Height (in feet)', 'select', 'say "hi"', "it's `odd`", 'a\\b [c]', 'größe µ'];

export const AWKWARD_CLASSES: [string, string] = ['it\'s "no"', 'yes \\ `ok`'];

/**
 * Per-input scaling for the standardised models, as `train --standardize`
 * would write it: means of both signs (one 0, one tiny, one huge), stds from
 * tiny (1e-9) to huge (1e15), some (0.1, the trained ones) not exact in binary.
 * The first pair comes from `train --standardize` on fixtures/obesity.csv.
 */
const MEANS = [5.307142857142858, -78.35714285714286, -2.5e6, 0, -1e-3, 1e12, 0.1, -7];
const STDS = [0.6284496635306895, 1e-9, 22.057091968853214, 3e9, 0.1, 1e15, 1, 2.5];

export function makeModel(activation: ActivationName, threshold: number | undefined, features = AWKWARD_FEATURES, scaled = false): Model {
  // Weights of different signs and magnitudes; one exactly -0.5, one with 17 significant digits, one tiny.
  const pool = [0.7, -1.3e-3, 2.5, -0.5, 0.30000000000000004, 1e-7, -3.75, 12.125];
  const cycle = (values: readonly number[]) => features.map((_, i) => values[i % values.length] as number);
  const scaling: Scaling | undefined = scaled ? { mean: cycle(MEANS), std: cycle(STDS) } : undefined;
  return {
    features,
    weights: cycle(pool),
    bias: -0.25,
    activation,
    classes: AWKWARD_CLASSES,
    threshold,
    init: undefined,
    ...(scaling === undefined ? {} : { scaling }),
  };
}

export interface ModelCase {
  name: string;
  activation: ActivationName;
  threshold: number | undefined;
  /** With the scaling above (a standardised model). */
  scaled: boolean;
}

/** Every activation, with and without a threshold (one that lies inside the activation's range)... */
const UNSCALED: Omit<ModelCase, 'scaled'>[] = [
  { name: 'sigmoid', activation: 'sigmoid', threshold: undefined },
  { name: 'sigmoid, threshold 0.7', activation: 'sigmoid', threshold: 0.7 },
  { name: 'tanh', activation: 'tanh', threshold: undefined },
  { name: 'tanh, threshold -0.2', activation: 'tanh', threshold: -0.2 },
  { name: 'relu', activation: 'relu', threshold: undefined },
  { name: 'relu, threshold 1.5', activation: 'relu', threshold: 1.5 },
  { name: 'identity', activation: 'identity', threshold: undefined },
  { name: 'step', activation: 'step', threshold: undefined },
  { name: 'step, threshold 0.5', activation: 'step', threshold: 0.5 },
];

/** ...each as given and standardised (the weights file's "scaling"). */
export const MODEL_CASES: ModelCase[] = [
  ...UNSCALED.map((c) => ({ ...c, scaled: false })),
  ...UNSCALED.map((c) => ({ ...c, name: `${c.name}, scaled`, scaled: true })),
];

/** z values the SQL must survive: overflow of exp(-z) at ±1000, the subnormal range below -708, ties at 0. */
const Z_TARGETS = [1000, -1000, 800, -800, 745.5, -745.5, 745, -745, 720, -720, 708.5, -708.5, 708, -708, 37, -37, 1, -1, 1e-300, -1e-300, 0];

const input = fc.oneof(
  fc.double({ min: -1e3, max: 1e3, noNaN: true }),
  fc.integer({ min: -1_000_000, max: 1_000_000 }),
  fc.double({ min: -1e-6, max: 1e-6, noNaN: true }),
  fc.constantFrom(0, -0, 1, -1, 0.1, 5e-324, -2.2250738585072014e-308, 123456.789),
);

/**
 * Deterministic rows: `count` random ones, then for each z target a row
 * whose first input is solved so that z lands on (or next to) the target
 * (for a standardised model, solved for x' and then x = x' * std + mean).
 */
export function makeRows(model: Model, count: number, seed = 20240611): number[][] {
  const width = model.weights.length;
  const scaling = model.scaling;
  const scale = (x: number, i: number) => (scaling === undefined ? x : (x - (scaling.mean[i] as number)) / (scaling.std[i] as number));
  const unscale = (x: number) => (scaling === undefined ? x : x * (scaling.std[0] as number) + (scaling.mean[0] as number));
  const rows = fc.sample(fc.array(input, { minLength: width, maxLength: width }), { seed, numRuns: count });
  for (const target of Z_TARGETS) {
    for (const rest of fc.sample(fc.array(input, { minLength: width - 1, maxLength: width - 1 }), { seed: seed + Math.round(target), numRuns: 3 })) {
      let partial = model.bias;
      rest.forEach((x, i) => {
        partial += (model.weights[i + 1] as number) * scale(x, i + 1);
      });
      rows.push([unscale((target - partial) / (model.weights[0] as number)), ...rest]);
    }
  }
  return rows;
}

/** A number as a CSV cell that reads back as the same double (keeping the sign of -0). */
export const cell = (x: number) => (Object.is(x, -0) ? '-0' : String(x));

/** neuron eval's own answer for each row: the in-process Scorer over the cells as text. */
export function reference(model: Model, rows: readonly number[][]): Score[] {
  const names = model.features ?? [];
  const scorer = new Scorer(bindModel(model, { names, fromHeader: true }));
  return rows.map((row, i) => {
    const score = scorer.score(row.map(cell), i + 2, 'rows.csv', { z: 0, output: 0, cls: 0 });
    if (score === undefined) throw new Error('no row is skipped without --missing skip');
    return score;
  });
}

/** |a - b| relative to the larger magnitude; 0 when equal (including 0 and -0). */
export function relativeDifference(a: number, b: number): number {
  if (a === b) return 0;
  return Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
}

export interface EngineRow {
  z: number;
  output: number;
  cls: string;
}

/** Compares an engine's rows to the reference; returns the largest relative differences and the class mismatches. */
export function compare(model: Model, expected: readonly Score[], actual: readonly EngineRow[]) {
  let z = 0;
  let output = 0;
  const wrongClasses: number[] = [];
  expected.forEach((e, i) => {
    const a = actual[i] as EngineRow;
    z = Math.max(z, relativeDifference(e.z, a.z));
    output = Math.max(output, relativeDifference(e.output, a.output));
    if (a.cls !== model.classes[e.cls]) wrongClasses.push(i);
  });
  return { z, output, wrongClasses, rows: actual.length };
}
