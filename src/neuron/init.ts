/**
 * Weight initialisation schemes. Each is one NumPy call on a generator
 * seeded with `np.random.seed(seed)`, so any of them can be checked in
 * Python; the NumPy equivalent is given beside each.
 * `n` is the number of inputs (fan-in); the fan-out m is 1 for one neuron,
 * k for a softmax layer of k classes.
 */
import { isNameIn, namesOf } from './names.js';
import { NumpyRandom } from './random.js';

export interface SchemeSpec {
  /** The scale used when `--scale` is not given, for n inputs (fan-in) and `out` neurons (fan-out: 1 for one neuron, k for a softmax layer). */
  readonly defaultScale: (n: number, out: number) => number;
  readonly draw: (rng: NumpyRandom, scale: number) => number;
  /** What the scale means, for help text. */
  readonly describe: string;
}

const uniform = (rng: NumpyRandom, limit: number) => rng.uniform(-limit, limit);
const normal = (rng: NumpyRandom, std: number) => rng.normal(0, std);

export const schemes = {
  // np.random.uniform(-s, s, n)
  uniform: { defaultScale: () => 0.05, draw: uniform, describe: 'U(-s, s), s = 0.05' },
  // np.random.normal(0, s, n)
  normal: { defaultScale: () => 0.05, draw: normal, describe: 'N(0, s²), s = 0.05' },
  // np.random.uniform(-s, s, n), s = sqrt(6 / (n + out))
  'xavier-uniform': { defaultScale: (n, out) => Math.sqrt(6 / (n + out)), draw: uniform, describe: 'U(-s, s), s = sqrt(6/(n+m)), m neurons' },
  // np.random.normal(0, s, n), s = sqrt(2 / (n + out))
  'xavier-normal': { defaultScale: (n, out) => Math.sqrt(2 / (n + out)), draw: normal, describe: 'N(0, s²), s = sqrt(2/(n+m)), m neurons' },
  // np.random.uniform(-s, s, n), s = sqrt(6 / n)
  'he-uniform': { defaultScale: (n) => Math.sqrt(6 / n), draw: uniform, describe: 'U(-s, s), s = sqrt(6/n)' },
  // np.random.normal(0, s, n), s = sqrt(2 / n)
  'he-normal': { defaultScale: (n) => Math.sqrt(2 / n), draw: normal, describe: 'N(0, s²), s = sqrt(2/n)' },
  // np.zeros(n): draws nothing
  zeros: { defaultScale: () => 0, draw: () => 0, describe: 'all weights 0' },
} as const satisfies Record<string, SchemeSpec>;

/** The name of a weight initialisation scheme (`xavier-uniform`, `he-normal`, `zeros`, ...). */
export type InitScheme = keyof typeof schemes;

/**
 * The initialisation schemes, as `random-init --init` takes them.
 * @example
 * ```js
 * import { initSchemes } from 'neuron-cli';
 * initSchemes; // => ['uniform', 'normal', 'xavier-uniform', 'xavier-normal', 'he-uniform', 'he-normal', 'zeros']
 * ```
 */
export const initSchemes = namesOf(schemes);

/**
 * The scheme `random-init` uses unless told: xavier-uniform.
 * @example
 * ```js
 * import { DEFAULT_SCHEME } from 'neuron-cli';
 * DEFAULT_SCHEME; // => 'xavier-uniform'
 * ```
 */
export const DEFAULT_SCHEME: InitScheme = 'xavier-uniform';

export const isInitScheme = (name: string): name is InitScheme => isNameIn(schemes, name);

/**
 * `n` weights drawn with `scheme` from a generator seeded with `seed`, as `neuron random-init` draws them.
 * @example
 * ```js
 * import { randomWeights } from 'neuron-cli';
 * // np.random.seed(42); np.random.uniform(-0.05, 0.05, 2)
 * randomWeights(2, 42, 'uniform'); // => [-0.012545988115263751, 0.04507143064099162]
 * // np.random.seed(42); np.random.randn(2)
 * randomWeights(2, 42, 'normal', 1); // => [0.4967141530112327, -0.13826430117118466]
 * ```
 */
export function randomWeights(n: number, seed: number, scheme: InitScheme, scale?: number): number[] {
  return randomLayer(1, n, seed, scheme, scale)[0] as number[];
}

/**
 * A softmax layer's k rows of `n` weights, drawn with `scheme` from one
 * generator seeded with `seed`, row by row: NumPy's
 * `np.random.uniform(-s, s, (k, n))` (C order), the Xavier schemes' s over
 * fan-in n and fan-out k. One row (k = 1) is `randomWeights`.
 * @example
 * ```js
 * import { randomLayer } from 'neuron-cli';
 * // np.random.seed(42); np.random.uniform(-0.05, 0.05, (2, 1))
 * randomLayer(2, 1, 42, 'uniform'); // => [[-0.012545988115263751], [0.04507143064099162]]
 * ```
 */
export function randomLayer(k: number, n: number, seed: number, scheme: InitScheme, scale?: number): number[][] {
  const { defaultScale, draw } = schemes[scheme];
  const s = scale ?? defaultScale(n, k);
  const rng = new NumpyRandom(seed);
  return Array.from({ length: k }, () => Array.from({ length: n }, () => draw(rng, s)));
}
