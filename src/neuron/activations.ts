/**
 * The activation functions. One typed table: adding an activation is adding
 * one entry here; the CLI's choices, the output column name and `explain`
 * all read from it.
 */

/** One activation: its function and its formula. */
export interface Activation {
  /** The function itself; must be defined for every finite z. */
  readonly fn: (z: number) => number;
  /** The formula as a learner would write it, in terms of z. */
  readonly formula: string;
}

/**
 * Numerically stable logistic function: exp only ever sees -|z|, so
 * sigmoid(±1000) is exactly 1 / 0 and never NaN. Both halves come from the
 * same q = e/(1+e), e = exp(-|z|): sigmoid(-z) is q and sigmoid(z) is 1 - q
 * rounded once, so sigmoid(-z) = 1 - sigmoid(z) to within half an ulp of the
 * larger (1 / (1 + e) for z >= 0 can miss by more than one ulp).
 * @example
 * ```js
 * import { sigmoid } from 'neuron-cli';
 * sigmoid(0); // => 0.5
 * [sigmoid(1000), sigmoid(-1000)]; // => [1, 0]
 * ```
 */
export function sigmoid(z: number): number {
  const e = Math.exp(-Math.abs(z));
  const q = e / (1 + e);
  return z >= 0 ? 1 - q : q;
}

/**
 * The activations by name: the function and the formula text (`explain` prints it).
 * @example
 * ```js
 * import { activations } from 'neuron-cli';
 * activations.relu.fn(-3); // => 0
 * activations.sigmoid.formula; // => '1 / (1 + e^(-z))'
 * ```
 */
export const activations = {
  sigmoid: { fn: sigmoid, formula: '1 / (1 + e^(-z))' },
  tanh: { fn: Math.tanh, formula: 'tanh(z)' },
  relu: { fn: (z) => Math.max(0, z), formula: 'max(0, z)' },
  identity: { fn: (z) => z, formula: 'z' },
  step: { fn: (z) => (z >= 0 ? 1 : 0), formula: '1 if z >= 0, else 0' },
} as const satisfies Record<string, Activation>;

/** The name of an activation: `sigmoid`, `tanh`, `relu`, `identity`, `step`. */
export type ActivationName = keyof typeof activations;

/**
 * The activation names, in the table's order.
 * @example
 * ```js
 * import { activationNames } from 'neuron-cli';
 * activationNames; // => ['sigmoid', 'tanh', 'relu', 'identity', 'step']
 * ```
 */
export const activationNames = Object.keys(activations) as ActivationName[];

export function isActivationName(name: string): name is ActivationName {
  return Object.hasOwn(activations, name);
}
