/**
 * Row weights from --class-weight and --sample-weight, as scikit-learn
 * combines them: sᵢ = sample weightᵢ × class weight of yᵢ, where
 * `balanced` gives class c of k the weight n / (k·count of c), counted on
 * the rows (not weighted by the sample weights), as compute_class_weight does.
 */
import { NeuronError } from '../errors.js';

/** Each class's weight by class index (class 0's, class 1's, ...), or scikit-learn's `balanced`. */
export type ClassWeights = 'balanced' | readonly number[];

/** --class-weight as given: `balanced`, or weights by class name. */
export type ClassWeightOption = 'balanced' | ReadonlyMap<string, number>;

/** --class-weight by class name to each class's weight, in `classes` order (a class not named weighs 1, as in scikit-learn). */
export function classWeightsFor(option: ClassWeightOption | undefined, classes: readonly string[]): ClassWeights | undefined {
  if (option === undefined || option === 'balanced') return option;
  for (const name of option.keys()) {
    if (!classes.includes(name)) {
      throw new NeuronError(
        'unknown-class',
        `--class-weight names ${JSON.stringify(name)}, which is not a class (${classes.map((c) => JSON.stringify(c)).join(', ')})`,
        {},
        'name the classes as the label column writes them',
      );
    }
  }
  return classes.map((name) => option.get(name) ?? 1);
}

/** Each class's weight, by class index, from the rows of each class (`counts`): `balanced` is n / (k · count). */
export function perClassWeights(classWeights: ClassWeights, counts: ArrayLike<number>): readonly number[] {
  if (classWeights !== 'balanced') return classWeights;
  const k = counts.length;
  let n = 0;
  for (let c = 0; c < k; c++) n += counts[c] as number;
  return Array.from(counts, (count) => n / (k * count));
}

/** sᵢ per row, or undefined when every row weighs 1; `y` holds class indices 0 to k - 1. */
export function rowWeights(
  y: Uint8Array | Int32Array,
  classWeights: ClassWeights | undefined,
  sample: Float64Array | undefined,
  k = 2,
): Float64Array | undefined {
  if (classWeights === undefined) return sample;
  const counts = new Float64Array(k);
  for (const label of y) counts[label] = (counts[label] as number) + 1;
  const perClass = perClassWeights(classWeights, counts);
  return Float64Array.from(y, (label, i) => (perClass[label] as number) * (sample === undefined ? 1 : (sample[i] as number)));
}
