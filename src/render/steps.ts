/**
 * Explain's text: the working of one row as a learner would write it, rounded
 * only as far as every printed equality still holds, and the activation plot.
 */

import type { Steps } from '../learn/explain.js';
import { type ActivationName, activations, boundedRange } from '../neuron/activations.js';
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

/** sum, activation and class rule, recomputed from numbers printed at `d` decimals. */
function totalsHold(steps: Steps, d: number | undefined): boolean {
  const f = (x: number) => readable(x, d);
  let sum = 0;
  for (const t of steps.terms) sum += printedAt(t.product, d);
  if (f(sum + printedAt(steps.bias, d)) !== f(steps.z)) return false;
  if (f(activations[steps.activation.name].fn(printedAt(steps.z, d))) !== f(steps.activation.output)) return false;
  return printedAt(steps.rule.value, d) >= steps.rule.threshold === steps.rule.passed;
}

/** w × x = product, with w (and a scaled x) printed at `e` decimals and the product at `d`. */
function productsHold(steps: Steps, d: number | undefined, e: number | undefined): boolean {
  const scaled = steps.scaling !== undefined;
  return steps.terms.every((t) => readable(printedAt(t.weight, e) * (scaled ? printedAt(t.input, e) : t.input), d) === readable(t.product, d));
}

/** (x - mean) / std = x', with mean and std printed at `m` decimals and x' at `e`. */
function scalingHolds(steps: Steps, e: number | undefined, m: number | undefined): boolean {
  return (steps.scaling ?? []).every((s) => readable((s.value - printedAt(s.mean, m)) / printedAt(s.std, m), e) === readable(s.scaled, e));
}

/**
 * The fewest decimals, from `min` up, at which every equality the text
 * shows still holds when recomputed from the printed numbers and rounded
 * as printed.
 */
export function chooseDecimals(steps: Steps, min = 4): Decimals {
  for (const d of ladder(min)) {
    if (!totalsHold(steps, d)) continue;
    for (const e of ladder(d)) {
      if (!productsHold(steps, d, e)) continue;
      for (const m of ladder(e)) {
        if (scalingHolds(steps, e, m)) return { result: d, factor: e, scaling: m };
      }
    }
  }
  return { result: undefined, factor: undefined, scaling: undefined };
}

const paren = (text: string) => (text.startsWith('-') ? `(${text})` : text);

/**
 * The working of one row as text, as a learner would write it (`neuron explain`).
 * @example
 * ```js
 * import { explainValues, parseModel, renderSteps } from 'neuron-cli';
 * const model = parseModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4, classes: ['Not Obese', 'Obese'] });
 * renderSteps(explainValues(model, [4, 80])).split('\n').slice(1, 4); // => ['z = w1·x1 + w2·x2 + b', '  = 0.5 × 4 + 0.05 × 80 + (-4)', '  = 2 + 4 - 4 = 2']
 * ```
 */
export function renderSteps(steps: Steps, minDecimals = 4): string {
  const decimals = chooseDecimals(steps, minDecimals);
  const f = (x: number) => readable(x, decimals.result);
  const factor = (x: number) => readable(x, decimals.factor);
  const scale = (x: number) => readable(x, decimals.scaling);
  const lines: string[] = [];
  lines.push(`row ${steps.row}: ${steps.inputs.map((i) => `${visible(i.name)} = ${readable(i.value, undefined)}`).join(', ')}`);
  const prime = steps.scaling === undefined ? '' : "'";
  if (steps.scaling !== undefined) {
    lines.push("scaling: x' = (x - mean) / std");
    steps.scaling.forEach((s, j) => {
      lines.push(`  x${j + 1}' = (${readable(s.value, undefined)} - ${paren(scale(s.mean))}) / ${scale(s.std)} = ${factor(s.scaled)}`);
    });
  }
  const symbols = steps.terms.map((_, j) => `w${j + 1}·x${j + 1}${prime}`);
  lines.push(`z = ${[...symbols, 'b'].join(' + ')}`);
  const products = steps.terms.map(
    (t, j) =>
      `${j === 0 ? factor(t.weight) : paren(factor(t.weight))} × ${paren(steps.scaling === undefined ? readable(t.input, undefined) : factor(t.input))}`,
  );
  lines.push(`  = ${[...products, paren(f(steps.bias))].join(' + ')}`);
  const sum = [...steps.terms.map((t) => f(t.product)), f(steps.bias)]
    .map((text, i) => (i === 0 ? text : text.startsWith('-') ? `- ${text.slice(1)}` : `+ ${text}`))
    .join(' ');
  lines.push(`  = ${sum} = ${f(steps.z)}`);
  const { name, output } = steps.activation;
  const zText = f(steps.z);
  const minusZ = zText === '0' ? '0' : zText.startsWith('-') ? zText.slice(1) : `-${zText}`;
  const middle = activations[name].substituted(zText, minusZ);
  lines.push(`${name}(z) = ${middle === undefined ? '' : `${middle} = `}${f(output)}`);
  const { rule } = steps;
  const compared = rule.on === 'output' ? f(rule.value) : `z = ${f(rule.value)}`;
  const verdict = `${compared} ${rule.passed ? '>=' : '<'} ${readable(rule.threshold, undefined)}, so the class is ${visible(JSON.stringify(steps.class))}`;
  const label = steps.label === undefined ? '' : `   (label: ${visible(steps.label.value)}, ${steps.label.correct ? 'correct' : 'wrong'})`;
  lines.push(verdict + label);
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
