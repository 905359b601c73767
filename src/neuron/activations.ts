/**
 * The activation functions. One typed table: adding an activation is adding
 * one entry here; the CLI's choices, the output column name and `explain`
 * all read from it.
 */

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
 */
export function sigmoid(z: number): number {
  const e = Math.exp(-Math.abs(z));
  const q = e / (1 + e);
  return z >= 0 ? 1 - q : q;
}

export const activations = {
  sigmoid: { fn: sigmoid, formula: '1 / (1 + e^(-z))' },
  tanh: { fn: Math.tanh, formula: 'tanh(z)' },
  relu: { fn: (z) => Math.max(0, z), formula: 'max(0, z)' },
  identity: { fn: (z) => z, formula: 'z' },
  step: { fn: (z) => (z >= 0 ? 1 : 0), formula: '1 if z >= 0, else 0' },
} as const satisfies Record<string, Activation>;

export type ActivationName = keyof typeof activations;

export const activationNames = Object.keys(activations) as ActivationName[];

export function isActivationName(name: string): name is ActivationName {
  return Object.hasOwn(activations, name);
}
