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
 * Numerically stable logistic function: never computes exp of a large
 * positive number, so sigmoid(±1000) is exactly 1 / 0 and never NaN.
 */
export function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
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
