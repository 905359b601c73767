/**
 * `plot --kind activation`: the activation's curve over the data's z range
 * with every drawn row placed on it at (z, output), the class rule marked,
 * and, with `--row N`, that row highlighted with its numbers: the picture of
 * the lesson's worked example.
 */

import { boundaryZ } from '../../learn/plane.js';
import type { PlotData, PlotRow } from '../../learn/plot-rows.js';
import { activations } from '../../neuron/activations.js';
import { TEXT_WIDTH, type TextChart } from '../text-chart.js';
import { type ChartModel, ruleText } from './model.js';
import { pointsLayer } from './points.js';
import { axis, chart, INK, padded, rowsNote, type Spec, short, xy } from './style.js';

/** Points on the drawn curve. */
export const CURVE_POINTS = 241;

/** The z range drawn: the data's, padded, and at least [-6, 6] so the curve's bend shows. */
export function zRange(data: Pick<PlotData, 'z'>): [number, number] {
  const [low, high] = padded(Math.min(data.z.min, -6), Math.max(data.z.max, 6));
  return [low, high];
}

export function activationChart(data: PlotData, model: ChartModel, highlight: PlotRow | undefined): Spec {
  const { activation, classes } = model;
  const fn = activations[activation].fn;
  const [low, high] = zRange(data);
  const curve = Array.from({ length: CURVE_POINTS }, (_, i) => {
    const z = low + ((high - low) * i) / (CURVE_POINTS - 1);
    return { x: z, y: fn(z) };
  });
  const outputs = [...curve.map((p) => p.y), ...data.rows.map((r) => r.output)];
  const yDomain = padded(Math.min(...outputs), Math.max(...outputs));
  const yTitle = model.probability ? `${activation}(z) = P(${classes[1]})` : `${activation}(z)`;
  const layers: Spec[] = [
    {
      name: 'curve',
      data: { values: curve },
      mark: { type: 'line', color: '#555555', strokeWidth: 2 },
      encoding: { x: axis('x', 'z = w·x + b', [low, high]), y: axis('y', yTitle, yDomain) },
    },
  ];
  const level = boundaryZ(fn, model.threshold);
  if (level !== undefined && level >= low && level <= high) {
    layers.push({
      name: 'rule',
      data: { values: [{ x: level, text: `class "${classes[1]}" where ${ruleText(model, short)} →` }] },
      layer: [
        { mark: { type: 'rule', color: INK, strokeDash: [6, 4] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
        {
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 6, y: 6, fontSize: 12, color: INK },
          encoding: { x: { field: 'x', type: 'quantitative' }, text: { field: 'text' } },
        },
      ],
    });
  }
  layers.push(pointsLayer(data.rows, { classes, label: model.label, at: (r) => [r.z, r.output] }));
  const subtitle = [
    `${activation}(z) = ${activations[activation].formula}, over the data's z from ${short(data.z.min)} to ${short(data.z.max)}`,
    rowsNote(data),
  ];
  if (highlight !== undefined) {
    const text = `row ${highlight.row}: z = ${short(highlight.z)}, ${activation}(z) = ${short(highlight.output)}, class "${classes[highlight.predicted]}"`;
    subtitle.push(text);
    layers.push({
      name: 'highlight',
      data: { values: [{ x: highlight.z, y: highlight.output, text }] },
      layer: [
        { mark: { type: 'point', shape: 'circle', size: 420, strokeWidth: 3, color: INK }, encoding: xy },
        {
          mark: { type: 'text', align: 'left', baseline: 'top', dx: 14, dy: 10, fontSize: 13, fontWeight: 'bold', color: INK },
          encoding: { ...xy, text: { value: `row ${highlight.row}` } },
        },
      ],
    });
  }
  return chart(`The ${activation} of z, with the rows on it`, subtitle, { layer: layers });
}

/** The same picture in text, for a terminal: the curve as dots, class-1 rows as ●, class-0 rows as ○ (by label, else prediction). */
export function activationText(data: PlotData, model: ChartModel): TextChart {
  const fn = activations[model.activation].fn;
  const [low, high] = zRange(data);
  const curve = Array.from({ length: TEXT_WIDTH * 2 }, (_, i) => {
    const z = low + ((high - low) * i) / (TEXT_WIDTH * 2 - 1);
    return [z, fn(z)] as const;
  });
  const outputs = [...curve.map((p) => p[1]), ...data.rows.map((r) => r.output)];
  const of = (cls: 0 | 1) => data.rows.filter((r) => (r.truth ?? r.predicted) === cls).map((r) => [r.z, r.output] as const);
  const by = model.label === undefined ? 'by predicted class' : `by label ${model.label}`;
  return {
    title: `The ${model.activation} of z, with the rows on it (${rowsNote(data)})`,
    x: { title: 'z', domain: [low, high] },
    y: { title: `${model.activation}(z)`, domain: [Math.min(...outputs), Math.max(...outputs)] },
    layers: [
      { points: curve, mark: '·' },
      { points: of(0), mark: '○' },
      { points: of(1), mark: '●' },
    ],
    legend: [`● ${model.classes[1]}   ○ ${model.classes[0]}   (${by})`],
  };
}
