/**
 * Softmax: a layer's k z values into k class probabilities,
 * pᵢ = exp(zᵢ − m) / Σⱼ exp(zⱼ − m) with m = max z, so that exp never
 * overflows (the largest term is exp(0) = 1). The one formula for eval,
 * explain, metrics and the trainer; the exports write the same steps.
 */

/**
 * The formula as explain and the README write it.
 * @example
 * ```js
 * import { SOFTMAX_FORMULA } from 'neuron-cli';
 * SOFTMAX_FORMULA.startsWith('softmax(z)'); // => true
 * ```
 */
export const SOFTMAX_FORMULA = 'softmax(z)ᵢ = exp(zᵢ − max z) / Σⱼ exp(zⱼ − max z)';

/**
 * Fills `p` with softmax(z) and returns the index of the winning class: the
 * largest z, the first on a tie (so the first in `classes` order).
 * @example
 * ```js
 * import { softmaxInto } from 'neuron-cli';
 * const p = new Float64Array(3);
 * softmaxInto([1, 3, 3], p); // => 1
 * Array.from(p, (x) => x.toFixed(4)); // => ['0.0634', '0.4683', '0.4683']
 * softmaxInto([1000, 0, -1000], p); // => 0
 * ```
 */
export function softmaxInto(z: ArrayLike<number>, p: Float64Array): number {
  const k = z.length;
  let best = 0;
  let max = z[0] as number;
  for (let i = 1; i < k; i++) {
    if ((z[i] as number) > max) {
      max = z[i] as number;
      best = i;
    }
  }
  let sum = 0;
  for (let i = 0; i < k; i++) {
    const e = Math.exp((z[i] as number) - max);
    p[i] = e;
    sum += e;
  }
  for (let i = 0; i < k; i++) p[i] = (p[i] as number) / sum;
  return best;
}
