/**
 * Explain's text: the working of one row as a learner would write it, rounded
 * only as far as every printed equality still holds, and its plot: the
 * activation curve with the row's z marked, or for a softmax layer the k
 * probabilities as bars.
 */

import { type AnySteps, isLayerSteps, type LayerSteps, type StepInput, type Steps, type Term } from '../learn/explain.js';
import { type ActivationName, activations, boundedRange } from '../neuron/activations.js';
import { drawBar } from './formats.js';
import { visible } from './visible.js';

/** A number for reading: `decimals` places without trailing zeros, or exact (shortest round-trip) when undefined. */
export function readable(x: number, decimals: number | undefined): string {
  if (decimals === undefined || Math.abs(x) >= 1e21) return Object.is(x, -0) ? '0' : String(x);
  const text = x.toFixed(decimals);
  const trimmed = text.includes('.') ? text.replace(/\.?0+$/, '') : text;
  return trimmed === '-0' ? '0' : trimmed;
}

/**
 * How many decimals each kind of number is printed with (undefined: exact).
 * Results (products, bias, z, output) are rounded to `result`; the factors
 * of the products (weights, scaled inputs) to `factor`, and the mean and
 * std to `scaling`, each as few as keep the equalities true.
 */
export interface Decimals {
  readonly result: number | undefined;
  readonly factor: number | undefined;
  readonly scaling: number | undefined;
}

const MAX_DECIMALS = 15;

/** d, d + 1, ..., 15, then exact. */
function* ladder(from: number | undefined): Generator<number | undefined> {
  if (from !== undefined) for (let d = from; d <= MAX_DECIMALS; d++) yield d;
  yield undefined;
}

const printedAt = (x: number, d: number | undefined) => Number(readable(x, d));

/** The first number of decimals `d` (from `from`, then exact) for which `holds(d)`; exact when none does. */
function fewest(from: number | undefined, holds: (d: number | undefined) => boolean): number | undefined {
  for (const d of ladder(from)) if (holds(d)) return d;
  return undefined;
}

/** The larger of two decimals counts, exact (undefined) being the largest. */
const finer = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? undefined : Math.max(a, b));

/** One z = w·x + b: the two-class neuron, or one class's neuron of a layer. */
interface LinearSum {
  readonly terms: readonly Term[];
  readonly bias: number;
  readonly z: number;
}

/** terms + b = z, recomputed from the terms and bias printed at `d` decimals. */
function sumHolds(sum: LinearSum, d: number | undefined): boolean {
  let total = 0;
  for (const t of sum.terms) total += printedAt(t.product, d);
  return readable(total + printedAt(sum.bias, d), d) === readable(sum.z, d);
}

/** The activation and the class rule of a two-class neuron, from the z printed at `d`. */
function ruleHolds(steps: Steps, d: number | undefined): boolean {
  const f = (x: number) => readable(x, d);
  if (f(activations[steps.activation.name].fn(printedAt(steps.z, d))) !== f(steps.activation.output)) return false;
  return printedAt(steps.rule.value, d) >= steps.rule.threshold === steps.rule.passed;
}

/** w × x = product, with w (and a scaled x) printed at `e` decimals and each sum's products at its `d`. */
function productsHold(sums: readonly LinearSum[], ds: readonly (number | undefined)[], e: number | undefined, scaled: boolean): boolean {
  return sums.every((sum, c) =>
    sum.terms.every((t) => readable(printedAt(t.weight, e) * (scaled ? printedAt(t.input, e) : t.input), ds[c]) === readable(t.product, ds[c])),
  );
}

/** (x - mean) / std = x', with mean and std printed at `m` decimals and x' at `e`. */
function scalingHolds(steps: AnySteps, e: number | undefined, m: number | undefined): boolean {
  return (steps.scaling ?? []).every((s) => readable((s.value - printedAt(s.mean, m)) / printedAt(s.std, m), e) === readable(s.scaled, e));
}

/**
 * The fewest decimals, from `min` up, at which every equality the text
 * shows still holds when recomputed from the printed numbers and rounded
 * as printed.
 */
export function chooseDecimals(steps: Steps, min = 4): Decimals {
  for (const d of ladder(min)) {
    if (!sumHolds(steps, d) || !ruleHolds(steps, d)) continue;
    for (const e of ladder(d)) {
      if (!productsHold([steps], [d], e, steps.scaling !== undefined)) continue;
      for (const m of ladder(e)) {
        if (scalingHolds(steps, e, m)) return { result: d, factor: e, scaling: m };
      }
    }
  }
  return { result: undefined, factor: undefined, scaling: undefined };
}

/**
 * A softmax layer's decimals: each class's sum its own (so that one class
 * needing more digits does not lengthen the others), the factors and the
 * scaling shared, and the softmax step's.
 */
export interface LayerDecimals {
  /** Per class: its products, bias and z. */
  readonly classes: readonly (number | undefined)[];
  readonly factor: number | undefined;
  readonly scaling: number | undefined;
  /** z - max z, the exponentials, their sum and the probabilities. */
  readonly softmax: number | undefined;
}

/** The classes whose z printed at its decimals is the largest printed z are those whose z is the largest. */
function tiesHold(steps: LayerSteps, ds: readonly (number | undefined)[]): boolean {
  const printed = steps.layer.map((neuron, c) => printedAt(neuron.z, ds[c]));
  const top = Math.max(...printed);
  return steps.layer.every((neuron, c) => (printed[c] === top) === (neuron.z === steps.softmax.max));
}

/**
 * The softmax lines, from numbers printed at `d`: exp of the printed
 * z - max z, the sum of the printed exponentials, each printed exponential
 * over the printed sum.
 */
function softmaxHolds(steps: LayerSteps, d: number | undefined): boolean {
  const f = (x: number) => readable(x, d);
  const { shifted, exp, sum, probabilities } = steps.softmax;
  let total = 0;
  for (let c = 0; c < exp.length; c++) {
    if (f(Math.exp(printedAt(shifted[c] as number, d))) !== f(exp[c] as number)) return false;
    total += printedAt(exp[c] as number, d);
  }
  if (f(total) !== f(sum)) return false;
  return probabilities.every((p, c) => f(printedAt(exp[c] as number, d) / printedAt(sum, d)) === f(p));
}

/** As chooseDecimals, for a softmax layer: each printed equality holds, and a printed tie for the largest z is a tie. */
export function chooseLayerDecimals(steps: LayerSteps, min = 4): LayerDecimals {
  const softmax = fewest(min, (d) => softmaxHolds(steps, d));
  const scaled = steps.scaling !== undefined;
  for (const d of ladder(min)) {
    const classes = steps.layer.map((neuron) => fewest(d, (dc) => sumHolds(neuron, dc)));
    if (!tiesHold(steps, classes)) continue;
    for (const e of ladder(classes.reduce(finer, d))) {
      if (!productsHold(steps.layer, classes, e, scaled)) continue;
      for (const m of ladder(e)) {
        if (scalingHolds(steps, e, m)) return { classes, factor: e, scaling: m, softmax };
      }
    }
  }
  return { classes: steps.layer.map(() => undefined), factor: undefined, scaling: undefined, softmax };
}

const paren = (text: string) => (text.startsWith('-') ? `(${text})` : text);
const quoted = (text: string) => visible(JSON.stringify(text));

/** Numbers at `d` decimals (exact when undefined). */
const printer = (d: number | undefined) => (x: number) => readable(x, d);

/** An encoded input's value and where it came from: `sex=male = 1 (from the cell "male")`, `age = 28 (missing: the model's fill)`. */
function encodedInputLine(input: StepInput): string {
  const head = `${visible(input.name)} = ${readable(input.value, undefined)}`;
  if (input.source === 'fill') {
    return `${head} (missing: the model's fill${typeof input.fill === 'string' ? ` ${quoted(input.fill)}` : ''})`;
  }
  return input.category === undefined || input.cell === undefined ? head : `${head} (from the cell ${quoted(input.cell)})`;
}

/** The row's inputs: one line of `name = value`; for an encoded model, one line per input saying where its value came from. */
function inputLines(steps: AnySteps): string[] {
  if (steps.inputs.some((input) => input.source !== undefined)) {
    return [`row ${steps.row}:`, ...steps.inputs.map((input) => `  ${encodedInputLine(input)}`)];
  }
  return [`row ${steps.row}: ${steps.inputs.map((i) => `${visible(i.name)} = ${readable(i.value, undefined)}`).join(', ')}`];
}

function scalingLines(steps: AnySteps, factor: number | undefined, scaling: number | undefined): string[] {
  if (steps.scaling === undefined) return [];
  const [x, m] = [printer(factor), printer(scaling)];
  return [
    "scaling: x' = (x - mean) / std",
    ...steps.scaling.map((s, j) => `  x${j + 1}' = (${readable(s.value, undefined)} - ${paren(m(s.mean))}) / ${m(s.std)} = ${x(s.scaled)}`),
  ];
}

/** `z = <symbols> + b`, the products with the numbers put in (results at `d` decimals, factors at `e`), and their sum. */
function sumLines(sum: LinearSum, formula: string, scaled: boolean, d: number | undefined, e: number | undefined): string[] {
  const [f, factor] = [printer(d), printer(e)];
  const products = sum.terms.map(
    (t, j) => `${j === 0 ? factor(t.weight) : paren(factor(t.weight))} × ${paren(scaled ? factor(t.input) : readable(t.input, undefined))}`,
  );
  const added = [...sum.terms.map((t) => f(t.product)), f(sum.bias)]
    .map((text, i) => (i === 0 ? text : text.startsWith('-') ? `- ${text.slice(1)}` : `+ ${text}`))
    .join(' ');
  return [formula, `  = ${[...products, paren(f(sum.bias))].join(' + ')}`, `  = ${added} = ${f(sum.z)}`];
}

function labelNote(steps: AnySteps): string {
  return steps.label === undefined ? '' : `   (label: ${visible(steps.label.value)}, ${steps.label.correct ? 'correct' : 'wrong'})`;
}

/** A two-class neuron: the inputs, the scaling, z term by term, the activation, the class rule. */
function neuronLines(steps: Steps, minDecimals: number): string[] {
  const decimals = chooseDecimals(steps, minDecimals);
  const f = printer(decimals.result);
  const prime = steps.scaling === undefined ? '' : "'";
  const symbols = steps.terms.map((_, j) => `w${j + 1}·x${j + 1}${prime}`);
  const lines = [
    ...scalingLines(steps, decimals.factor, decimals.scaling),
    ...sumLines(steps, `z = ${[...symbols, 'b'].join(' + ')}`, steps.scaling !== undefined, decimals.result, decimals.factor),
  ];
  const { name, output } = steps.activation;
  const zText = f(steps.z);
  const minusZ = zText === '0' ? '0' : zText.startsWith('-') ? zText.slice(1) : `-${zText}`;
  const middle = activations[name].substituted(zText, minusZ);
  lines.push(`${name}(z) = ${middle === undefined ? '' : `${middle} = `}${f(output)}`);
  const { rule } = steps;
  const compared = rule.on === 'output' ? f(rule.value) : `z = ${f(rule.value)}`;
  lines.push(`${compared} ${rule.passed ? '>=' : '<'} ${readable(rule.threshold, undefined)}, so the class is ${quoted(steps.class)}${labelNote(steps)}`);
  return lines;
}

/** A softmax layer: the scaling, each class's z term by term, the softmax with the largest z subtracted, the winner. */
function layerLines(steps: LayerSteps, minDecimals: number): string[] {
  const decimals = chooseLayerDecimals(steps, minDecimals);
  const prime = steps.scaling === undefined ? '' : "'";
  const lines = [
    ...scalingLines(steps, decimals.factor, decimals.scaling),
    ...steps.layer.flatMap((neuron, c) =>
      sumLines(neuron, `class ${quoted(neuron.class)}: z${c + 1} = w${c + 1}·x${prime} + b${c + 1}`, prime !== '', decimals.classes[c], decimals.factor),
    ),
  ];
  const { max, shifted, exp, sum, probabilities, formula } = steps.softmax;
  const s = printer(decimals.softmax);
  const tied = steps.layer.flatMap((neuron, c) => (neuron.z === max ? [`z${c + 1}`] : []));
  lines.push(`${formula}, max z = ${tied[0] ?? ''} = ${printer(decimals.classes[steps.classIndex])(max)}`);
  exp.forEach((e, c) => {
    lines.push(`  exp(z${c + 1} - max z) = exp(${s(shifted[c] as number)}) = ${s(e)}`);
  });
  lines.push(`  sum = ${exp.map((e) => s(e)).join(' + ')} = ${s(sum)}`);
  probabilities.forEach((p, c) => {
    lines.push(`  p${c + 1} = ${s(exp[c] as number)} / ${s(sum)} = ${s(p)}`);
  });
  const largest = tied.length > 1 ? `${tied.join(' = ')} (a tie: the first class wins)` : tied[0];
  lines.push(`the largest is ${largest}, so the class is ${quoted(steps.class)}${labelNote(steps)}`);
  return lines;
}

/**
 * The working of one row as text, as a learner would write it (`neuron explain`):
 * for a softmax layer, each class's z, the softmax step and the winner.
 * @example
 * ```js
 * import { explainValues, parseModel, renderSteps } from 'neuron-cli';
 * const model = parseModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4, classes: ['Not Obese', 'Obese'] });
 * renderSteps(explainValues(model, [4, 80])).split('\n').slice(1, 4); // => ['z = w1·x1 + w2·x2 + b', '  = 0.5 × 4 + 0.05 × 80 + (-4)', '  = 2 + 4 - 4 = 2']
 * const layer = parseModel({ weights: [[1], [0]], bias: [0, 0], activation: 'softmax', classes: ['a', 'b'] });
 * renderSteps(explainValues(layer, [2])).split('\n').at(-2); // => 'the largest is z1, so the class is "a"'
 * ```
 */
export function renderSteps(steps: AnySteps, minDecimals = 4): string {
  const lines = [...inputLines(steps), ...(isLayerSteps(steps) ? layerLines(steps, minDecimals) : neuronLines(steps, minDecimals))];
  return `${lines.join('\n')}\n`;
}

/** The plot's drawing characters; ASCII for a dumb terminal (TERM=dumb). */
const UNICODE_GLYPHS = { curve: '·', point: '●', axis: '│', tick: '┤', corner: '└', line: '─', marker: '▲' };
const ASCII_GLYPHS: typeof UNICODE_GLYPHS = { curve: '.', point: '*', axis: '|', tick: '+', corner: '+', line: '-', marker: '^' };

const PLOT_WIDTH = 41;
const PLOT_HEIGHT = 9;

/**
 * The activation's curve over z in [-R, R] (R = 6, or |z| rounded up when
 * larger) drawn with dots, the row's point as ●, and its z marked under
 * the axis.
 * @example
 * ```js
 * import { plotActivation } from 'neuron-cli';
 * plotActivation('sigmoid', 2).trimEnd().split('\n').at(-1).trim(); // => '▲ z = 2'
 * ```
 */
export function plotActivation(name: ActivationName, z: number, unicode = true): string {
  const g = unicode ? UNICODE_GLYPHS : ASCII_GLYPHS;
  const fn = activations[name].fn;
  const reach = Math.max(6, Math.ceil(Math.abs(z)));
  const zAt = (c: number) => -reach + (2 * reach * c) / (PLOT_WIDTH - 1);
  const samples = Array.from({ length: PLOT_WIDTH }, (_, c) => fn(zAt(c)));
  // A bounded activation is drawn over its whole range; the others are fitted to the curve.
  const [low, high] = boundedRange(name) ?? [Math.min(...samples, fn(z)), Math.max(...samples, fn(z))];
  const span = high - low || 1;
  const rowOf = (y: number) => Math.round(((high - y) / span) * (PLOT_HEIGHT - 1));
  const grid = Array.from({ length: PLOT_HEIGHT }, () => Array.from({ length: PLOT_WIDTH }, () => ' '));
  samples.forEach((y, c) => {
    const row = grid[rowOf(y)];
    if (row !== undefined) row[c] = g.curve;
  });
  const column = Math.round(((z + reach) / (2 * reach)) * (PLOT_WIDTH - 1));
  const pointRow = grid[rowOf(fn(z))];
  if (pointRow !== undefined) pointRow[column] = g.point;
  const labels = new Map([
    [0, readable(high, 2)],
    [Math.floor((PLOT_HEIGHT - 1) / 2), readable((high + low) / 2, 2)],
    [PLOT_HEIGHT - 1, readable(low, 2)],
  ]);
  const labelWidth = Math.max(...[...labels.values()].map((l) => l.length));
  const lines = grid.map((cells, r) => {
    const label = labels.get(r);
    return `${(label ?? '').padStart(labelWidth)} ${label === undefined ? g.axis : g.tick}${cells.join('')}`.trimEnd();
  });
  const indent = ' '.repeat(labelWidth + 1);
  lines.push(`${indent}${g.corner}${g.line.repeat(PLOT_WIDTH)}`);
  const ticks = Array.from({ length: PLOT_WIDTH + 1 }, () => ' ');
  const put = (text: string, at: number) => {
    [...text].forEach((ch, i) => {
      ticks[at + i] = ch;
    });
  };
  put(`-${reach}`, 1);
  put('0', 1 + (PLOT_WIDTH - 1) / 2);
  put(String(reach), PLOT_WIDTH + 1 - String(reach).length);
  lines.push(`${indent}${ticks.join('').trimEnd()}  z`);
  const marker = `${g.marker} z = ${readable(z, 4)}`;
  lines.push(`${indent} ${' '.repeat(Math.min(column, PLOT_WIDTH - 1))}${marker}`);
  return `${lines.join('\n')}\n`;
}

const PROBABILITY_BAR = 40;

/**
 * A softmax layer's probabilities as bars, one line per class in `classes`
 * order, the winner marked.
 * @example
 * ```js
 * import { plotProbabilities } from 'neuron-cli';
 * plotProbabilities(['cat', 'dog'], [0.75, 0.25], 0).split('\n')[0]; // => 'cat  0.7500 ██████████████████████████████           ◀'
 * plotProbabilities(['cat', 'dog'], [0.75, 0.25], 0, false).split('\n')[1].trimEnd(); // => 'dog  0.2500 ##########'
 * ```
 */
export function plotProbabilities(classes: readonly string[], probabilities: ArrayLike<number>, winner: number, unicode = true): string {
  const names = classes.map((name) => visible(name));
  const width = Math.max(...names.map((name) => [...name].length));
  const marker = unicode ? '◀' : '<';
  const lines = names.map((name, c) => {
    const p = probabilities[c] as number;
    return `${name}${' '.repeat(width - [...name].length)}  ${p.toFixed(4)} ${drawBar(p, unicode, PROBABILITY_BAR)}${c === winner ? ` ${marker}` : ''}`.trimEnd();
  });
  return `${lines.join('\n')}\n`;
}
