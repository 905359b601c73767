/**
 * Row weights from --class-weight and --sample-weight, as scikit-learn
 * combines them: sᵢ = sample weightᵢ × class weight of yᵢ, where
 * `balanced` gives class c the weight n / (2·count of c), counted on the
 * rows (not weighted by the sample weights), as compute_class_weight does.
 */

/** Class 0's and class 1's weight, or scikit-learn's `balanced`. */
export type ClassWeights = 'balanced' | readonly [number, number];

/** sᵢ per row, or undefined when every row weighs 1. */
export function rowWeights(y: Uint8Array, classWeights: ClassWeights | undefined, sample: Float64Array | undefined): Float64Array | undefined {
  if (classWeights === undefined) return sample;
  const n = y.length;
  let ones = 0;
  for (const label of y) ones += label;
  const perClass = classWeights === 'balanced' ? [n / (2 * (n - ones)), n / (2 * ones)] : classWeights;
  return Float64Array.from(y, (label, i) => (perClass[label] as number) * (sample === undefined ? 1 : (sample[i] as number)));
}
