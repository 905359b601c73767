/**
 * The activation functions: THE table. Everything neuron knows about an
 * activation is in its entry: the function, its formula, its output range,
 * its value at z = 0, whether the output is a probability, how `explain`
 * writes it and how `export` writes it in JavaScript, Python and SQL.
 * Adding an activation is adding one entry here; the `Activation` interface
 * has no optional fields, so the compiler names every fact still to give.
 * The CLI's choices, the output column, the table's bar, the plot, the
 * metrics and the exports all read from it, and nothing else tests an
 * activation's name.
 */

import { isNameIn, namesOf } from './names.js';

/** What an activation's SQL needs from a dialect (src/export/sql.ts `SqlDialect` has these and more). */
export interface SqlFunctions {
  /** A double-precision literal that reads back as exactly `x`. */
  readonly number: (x: number) => string;
  readonly tanh: (expression: string) => string;
  /**
   * What exp() does when its result is too small for a normal double.
   * 'zero': returns 0 or a subnormal, as C does. 'error': fails the query
   * when the result rounds to 0 (PostgreSQL).
   */
  readonly expUnderflow: 'zero' | 'error';
}

/** One activation: every fact neuron knows about it. */
export interface Activation {
  /** The function itself; must be defined for every finite z. */
  readonly fn: (z: number) => number;
  /** The formula as a learner would write it, in terms of z. */
  readonly formula: string;
  /** The smallest and largest output (±Infinity: unbounded); bounded ranges set the table's bar and the plot's axis. */
  readonly range: readonly [low: number, high: number];
  /** The output at z = 0. */
  readonly midpoint: number;
  /** Whether the output is a probability of class 1 (then the log loss means something). */
  readonly probability: boolean;
  /**
   * Whether `explain` states the class rule on the output (output >= the
   * midpoint) rather than on z: only where output >= midpoint exactly when
   * z >= 0, and the output says more than z does.
   */
  readonly ruleOnOutput: boolean;
  /** `explain`'s middle step: the activation with a printed z put in; undefined when it would only repeat z. */
  readonly substituted: (z: string, minusZ: string) => string | undefined;
  /** JavaScript statements that set `output` from `z` (`export --to js`), the same double operations as `fn`. */
  readonly js: readonly string[];
  /** Python statements that set `output` from `z` (`export --to python`). */
  readonly python: readonly string[];
  /** A SQL expression for the output; `z` is z as an operand (may be repeated), `zText` as written (`export --to sql`). */
  readonly sql: (z: string, zText: string, d: SqlFunctions) => string;
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

/** The sigmoid in SQL, with exp kept from failing where it underflows. */
function sigmoidSql(z: string, d: SqlFunctions): string {
  if (d.expUnderflow === 'error') {
    // exp(x) fails here once its result rounds to 0 (x < -745.1332). Past z = 745.13 the sigmoid is
    // exactly 1; below -745.13 it is 0 (eval gives 5e-324 down to -745.1332, then 0 as well).
    // No ELSE: a NULL z must give a NULL output, not 0.
    const edge = d.number(745.13);
    return (
      `CASE WHEN ${z} >= 0 THEN 1 - exp(-LEAST(${z}, ${edge})) / (1 + exp(-LEAST(${z}, ${edge}))) ` +
      `WHEN ${z} >= ${d.number(-745.13)} THEN exp(${z}) / (1 + exp(${z})) WHEN ${z} < ${d.number(-745.13)} THEN ${d.number(0)} END`
    );
  }
  // Stable: exp only ever sees -|z|, so z = ±1000 cannot overflow.
  return `CASE WHEN ${z} >= 0 THEN 1 - exp(-${z}) / (1 + exp(-${z})) ELSE exp(${z}) / (1 + exp(${z})) END`;
}

/**
 * The activations by name, each with every fact about it (function, formula, range, midpoint, how explain and export write it).
 * @example
 * ```js
 * import { activations } from 'neuron-cli';
 * activations.relu.fn(-3); // => 0
 * activations.sigmoid.formula; // => '1 / (1 + e^(-z))'
 * ```
 */
export const activations = {
  sigmoid: {
    fn: sigmoid,
    formula: '1 / (1 + e^(-z))',
    range: [0, 1],
    midpoint: 0.5,
    probability: true,
    ruleOnOutput: true,
    substituted: (_, minusZ) => `1 / (1 + e^(${minusZ}))`,
    js: [
      'let output;',
      'if (z >= 0) {',
      '  const e = Math.exp(-z);',
      '  output = 1 - e / (1 + e);',
      '} else {',
      '  const e = Math.exp(z);',
      '  output = e / (1 + e);',
      '}',
    ],
    python: ['if z >= 0:', '    e = math.exp(-z)', '    output = 1 - e / (1 + e)', 'else:', '    e = math.exp(z)', '    output = e / (1 + e)'],
    sql: (z, _, d) => sigmoidSql(z, d),
  },
  tanh: {
    fn: Math.tanh,
    formula: 'tanh(z)',
    range: [-1, 1],
    midpoint: 0,
    probability: false,
    ruleOnOutput: true,
    substituted: (z) => `tanh(${z})`,
    js: ['const output = Math.tanh(z);'],
    python: ['output = math.tanh(z)'],
    sql: (_, zText, d) => d.tanh(zText),
  },
  relu: {
    fn: (z) => Math.max(0, z),
    formula: 'max(0, z)',
    range: [0, Number.POSITIVE_INFINITY],
    midpoint: 0,
    probability: false,
    // Every output is >= 0, z < 0 included.
    ruleOnOutput: false,
    substituted: (z) => `max(0, ${z})`,
    js: ['const output = Math.max(0, z);'],
    python: ['output = z if z > 0 else 0.0'],
    sql: (z, _, d) => `CASE WHEN ${z} > 0 THEN ${z} WHEN ${z} <= 0 THEN ${d.number(0)} END`,
  },
  identity: {
    fn: (z) => z,
    formula: 'z',
    range: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY],
    midpoint: 0,
    probability: false,
    ruleOnOutput: true,
    substituted: () => undefined,
    js: ['const output = z;'],
    python: ['output = z'],
    sql: (_, zText) => zText,
  },
  step: {
    fn: (z) => (z >= 0 ? 1 : 0),
    formula: '1 if z >= 0, else 0',
    range: [0, 1],
    midpoint: 1,
    probability: false,
    // The output is z >= 0 itself; the rule reads better on z's value.
    ruleOnOutput: false,
    substituted: (z) => `(1 if ${z} >= 0, else 0)`,
    js: ['const output = z >= 0 ? 1 : 0;'],
    python: ['output = 1.0 if z >= 0 else 0.0'],
    sql: (z, _, d) => `CASE WHEN ${z} >= 0 THEN ${d.number(1)} WHEN ${z} < 0 THEN ${d.number(0)} END`,
  },
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
export const activationNames = namesOf(activations);

export const isActivationName = (name: string): name is ActivationName => isNameIn(activations, name);

/** The activation of a weights file without "activation", of `random-init` and of `eval --seed`. */
export const DEFAULT_ACTIVATION: ActivationName = 'sigmoid';

/** The output range when both ends are finite (bar and plot axis); undefined when the output is unbounded. */
export function boundedRange(name: ActivationName): readonly [number, number] | undefined {
  const [low, high] = activations[name].range;
  return Number.isFinite(low) && Number.isFinite(high) ? [low, high] : undefined;
}
