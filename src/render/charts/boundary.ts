/**
 * `plot --kind boundary`: the rows on two inputs' axes, the activation's
 * output shaded as a field over the plane, and the class boundary
 * a·x + c·y + d = z₀ drawn and labelled with its equation, all in the
 * data's units (a standardised model's scaling folded in).
 */

import { boundaryZ, clipLine, planeOf, zAt } from '../../learn/plane.js';
import type { PlotData } from '../../learn/plot-rows.js';
import { activations } from '../../neuron/activations.js';
import { type ChartModel, ruleText } from './model.js';
import { pointsLayer } from './points.js';
import { axis, chart, FIELD_COLOURS, INK, padded, rowsNote, type Spec, short, xy } from './style.js';

/** Cells of the shaded field along each axis. */
export const FIELD_CELLS = 48;

export interface BoundaryAxes {
  /** Indices of the x and y inputs, in weight order. */
  readonly x: number;
  readonly y: number;
}

/** "-1.5 × Height + 0.1 × Weight + 0 = 0" */
export function equation(terms: readonly { weight: number; name: string }[], constant: number, level: number): string {
  const parts = terms.map((t, i) => {
    const w = short(t.weight);
    const times = t.name.length === 1 ? '·' : ' × ';
    if (i === 0) return `${w}${times}${t.name}`;
    return w.startsWith('-') ? `- ${w.slice(1)}${times}${t.name}` : `+ ${w}${times}${t.name}`;
  });
  const c = short(constant);
  parts.push(c.startsWith('-') ? `- ${c.slice(1)}` : `+ ${c}`);
  return `${parts.join(' ')} = ${short(level)}`;
}

export function boundaryChart(data: PlotData, model: ChartModel, axes: BoundaryAxes): Spec {
  const { names, activation, threshold, classes } = model;
  const fn = activations[activation].fn;
  const plane = planeOf(model.model, axes.x, axes.y, data.means);
  const xName = names[axes.x] as string;
  const yName = names[axes.y] as string;
  const xs = data.extents[axes.x] ?? { min: 0, max: 1 };
  const ys = data.extents[axes.y] ?? { min: 0, max: 1 };
  const xDomain = padded(xs.min, xs.max);
  const yDomain = padded(ys.min, ys.max);

  const cells: { x: number; x2: number; y: number; y2: number; p: number }[] = [];
  const dx = (xDomain[1] - xDomain[0]) / FIELD_CELLS;
  const dy = (yDomain[1] - yDomain[0]) / FIELD_CELLS;
  for (let i = 0; i < FIELD_CELLS; i++) {
    for (let k = 0; k < FIELD_CELLS; k++) {
      const x = xDomain[0] + i * dx;
      const y = yDomain[0] + k * dy;
      // Each cell overlaps the next by a tenth, so no hairline of background shows between them.
      cells.push({ x, x2: x + dx * 1.1, y, y2: y + dy * 1.1, p: fn(zAt(plane, x + dx / 2, y + dy / 2)) });
    }
  }
  const level = boundaryZ(fn, threshold);
  const middle = level === undefined ? undefined : fn(level);
  const range = outputRange(activation, cells);
  const field: Spec = {
    name: 'field',
    data: { values: cells },
    // No ARIA label per cell: 2,304 of them would double the SVG's size.
    mark: { type: 'rect', strokeWidth: 0, clip: true, aria: false },
    encoding: {
      x: axis('x', xName, xDomain),
      x2: { field: 'x2' },
      y: axis('y', yName, yDomain),
      y2: { field: 'y2' },
      color: {
        field: 'p',
        type: 'quantitative',
        title: model.probability ? `P(${classes[1]})` : `${activation}(z)`,
        scale: {
          domain: middle === undefined || !(middle > range[0] && middle < range[1]) ? range : [range[0], middle, range[1]],
          range: middle === undefined || !(middle > range[0] && middle < range[1]) ? [FIELD_COLOURS[0], FIELD_COLOURS[2]] : [...FIELD_COLOURS],
        },
        legend: { orient: 'right', gradientLength: 160 },
      },
    },
  };
  const layers: Spec[] = [field];
  const segment = level === undefined ? undefined : clipLine(plane, level, { min: xDomain[0], max: xDomain[1] }, { min: yDomain[0], max: yDomain[1] });
  const others = names.length > 2;
  const label =
    level === undefined
      ? undefined
      : equation(
          [
            { weight: plane.a, name: 'x' },
            { weight: plane.c, name: 'y' },
          ],
          plane.d,
          level,
        );
  if (segment !== undefined && label !== undefined) {
    const [[x1, y1], [x2, y2]] = segment;
    layers.push({
      name: 'boundary',
      data: {
        values: [
          { x: x1, y: y1 },
          { x: x2, y: y2 },
        ],
      },
      mark: { type: 'line', color: INK, strokeWidth: 2.5 },
      encoding: xy,
    });
    // The line's label is its equation in the axes' letters (the subtitle has the names), 60% along
    // it, on the side of the line the text runs away from, so the text never crosses the line.
    const at = { x: x1 + 0.6 * (x2 - x1), y: y1 + 0.6 * (y2 - y1) };
    const rightwards = at.x < (xDomain[0] + xDomain[1]) / 2;
    const rising = (x2 - x1) * (y2 - y1) >= 0;
    const below = rising === rightwards;
    layers.push({
      name: 'equation',
      data: { values: [{ ...at, text: label }] },
      mark: {
        type: 'text',
        align: rightwards ? 'left' : 'right',
        baseline: below ? 'top' : 'bottom',
        dx: rightwards ? 6 : -6,
        dy: below ? 6 : -6,
        fontSize: 14,
        fontWeight: 'bold',
        color: INK,
      },
      encoding: { ...xy, text: { field: 'text' } },
    });
  }
  layers.push(pointsLayer(data.rows, { classes, label: model.label, at: (r) => [r.values[axes.x] as number, r.values[axes.y] as number] }));

  const rule = ruleText(model, short);
  const subtitle =
    label === undefined
      ? [`no boundary: no z gives ${rule}`]
      : [
          `boundary ${label}, with x = ${xName}, y = ${yName}${model.model.scaling === undefined ? '' : ' (in the data’s units; the model is standardised)'}`,
          `class "${classes[1]}" where ${rule}${segment === undefined ? '; the line lies outside this view (every point of it is one class)' : ''}`,
        ];
  subtitle.push(rowsNote(data));
  if (others) {
    const held = names.filter((_, j) => j !== axes.x && j !== axes.y).map((name) => `${name} = ${short(data.means[names.indexOf(name)] as number)}`);
    subtitle.push(`other inputs held at their mean: ${held.join(', ')}`);
  }
  return chart(`Decision boundary: ${yName} against ${xName}`, subtitle, {
    layer: layers,
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
  });
}

/** The output range the field's colours span: the activation's own where it is bounded, else what the field shows. */
function outputRange(activation: ChartModel['activation'], cells: readonly { p: number }[]): readonly [number, number] {
  const [low0, high0] = activations[activation].range;
  if (Number.isFinite(low0) && Number.isFinite(high0)) return [low0, high0];
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const c of cells) {
    low = Math.min(low, c.p);
    high = Math.max(high, c.p);
  }
  return high > low ? [low, high] : [low - 1, high + 1];
}
