/**
 * Row weights from --class-weight and --sample-weight, as scikit-learn
 * combines them: sᵢ = sample weightᵢ × class weight of yᵢ, where
 * `balanced` gives class c of k the weight n / (k·count of c), counted on
 * the rows (not weighted by the sample weights), as compute_class_weight does.
 */

/** Each class's weight by class index (class 0's, class 1's, ...), or scikit-learn's `balanced`. */
export type ClassWeights = 'balanced' | readonly number[];

/** sᵢ per row, or undefined when every row weighs 1; `y` holds class indices 0 to k - 1. */
export function rowWeights(
  y: Uint8Array | Int32Array,
  classWeights: ClassWeights | undefined,
  sample: Float64Array | undefined,
  k = 2,
): Float64Array | undefined {
  if (classWeights === undefined) return sample;
  const n = y.length;
  const counts = new Float64Array(k);
  for (const label of y) counts[label] = (counts[label] as number) + 1;
  const perClass = classWeights === 'balanced' ? Array.from(counts, (count) => n / (k * count)) : classWeights;
  return Float64Array.from(y, (label, i) => (perClass[label] as number) * (sample === undefined ? 1 : (sample[i] as number)));
}
