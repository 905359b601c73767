/** The model as the pictures need it: the weights file, the inputs' names, and the class rule in force. */
import type { ActivationName } from '../../neuron/activations.js';
import type { Model } from '../../neuron/model.js';

export interface ChartModel {
  readonly model: Model;
  /** The input columns, in weight order. */
  readonly names: readonly string[];
  /** The activation in force (--activation or the file's). */
  readonly activation: ActivationName;
  /** The threshold in force, or undefined: class 1 iff z >= 0. */
  readonly threshold: number | undefined;
  readonly classes: readonly [string, string];
  /** Whether the output is P(class 1) (sigmoid). */
  readonly probability: boolean;
  /** The --label column, when given. */
  readonly label: string | undefined;
}

/** The class rule in words: "z >= 0" or "sigmoid(z) >= 0.7". */
export function ruleText(model: Pick<ChartModel, 'activation' | 'threshold'>, short: (x: number) => string): string {
  return model.threshold === undefined ? 'z >= 0' : `${model.activation}(z) >= ${short(model.threshold)}`;
}
