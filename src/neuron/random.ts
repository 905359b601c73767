/**
 * NumPy-compatible random numbers, so that `--seed 42` gives the same
 * weights on every machine and the same numbers as NumPy's legacy API.
 *
 * The engine is pure-rand's MT19937, seeded as NumPy's `np.random.seed(n)`
 * (init_genrand with a 32-bit seed). On top of it, this file reproduces the
 * two NumPy transformations neuron needs:
 * - `random_sample()`: a 53-bit double from two 32-bit draws;
 * - `randn()`: the legacy polar (Marsaglia) method, which makes two normals
 *   per accepted pair and returns the second one first, keeping the other.
 */
import { mersenne } from 'pure-rand/generator/mersenne';

/**
 * NumPy's legacy generator (`np.random.seed(seed)`): the same uniforms and normals, draw for draw.
 * @example
 * ```js
 * import { NumpyRandom } from 'neuron-cli';
 * const rng = new NumpyRandom(42);
 * // np.random.seed(42); np.random.random_sample(); np.random.randn()
 * [rng.randomSample(), rng.gauss()]; // => [0.3745401188473625, -1.1118801180469204]
 * ```
 */
export class NumpyRandom {
  private readonly engine: ReturnType<typeof mersenne>;
  private spareGauss: number | undefined;

  constructor(seed: number) {
    this.engine = mersenne(seed);
  }

  /** A uniform 32-bit unsigned integer (NumPy's `random_uint32`). */
  private uint32(): number {
    return this.engine.next() >>> 0;
  }

  /** Uniform on [0, 1) with 53 random bits: NumPy's `random_sample()`. */
  randomSample(): number {
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** Uniform on [low, high): NumPy's `uniform(low, high)`. */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.randomSample();
  }

  /** Standard normal: NumPy's legacy `randn()` / `standard_normal()`. */
  gauss(): number {
    if (this.spareGauss !== undefined) {
      const spare = this.spareGauss;
      this.spareGauss = undefined;
      return spare;
    }
    let x1: number;
    let x2: number;
    let r2: number;
    do {
      x1 = 2 * this.randomSample() - 1;
      x2 = 2 * this.randomSample() - 1;
      r2 = x1 * x1 + x2 * x2;
    } while (r2 >= 1 || r2 === 0);
    const f = Math.sqrt((-2 * Math.log(r2)) / r2);
    this.spareGauss = f * x1;
    return f * x2;
  }

  /** Normal with mean `loc` and standard deviation `scale`: NumPy's `normal(loc, scale)`. */
  normal(loc: number, scale: number): number {
    return loc + scale * this.gauss();
  }
}
