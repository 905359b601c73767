/**
 * The page's two pictures as specifications: `neuron plot`'s boundary and
 * activation charts (src/render/charts), built from the same PlotData
 * (src/learn/plot-rows.ts: every row's extent and mean, a deterministic
 * sample beyond MAX_DRAWN_ROWS), made smaller for the page, with each
 * chart's title and subtitle taken out for the page's own caption. Pure.
 */
import { PlotCollector, type PlotRow } from '../learn/plot-rows.js';
import { activations } from '../neuron/activations.js';
import type { Model } from '../neuron/model.js';
import type { Score } from '../neuron/scorer.js';
import { activationChart } from '../render/charts/activation.js';
import { boundaryChart } from '../render/charts/boundary.js';
import type { ChartModel } from '../render/charts/model.js';
import type { Spec } from '../render/charts/style.js';
import type { PlaygroundRows } from '../serve/session.js';
import type { RowScores } from './compute.js';
import { placeEquation } from './equation-label.js';
import { placeRuleLabel } from './rule-label.js';

/**
 * The plots' sizes on the page, inside the axes and legends (the specs' own
 * 800 × 600 is the whole picture, for files). A fixed plot size rather than
 * `plot`'s fit to a whole size: a fit depends on how far text marks stick
 * out, so a kept view and a new one could lay the same state out a few
 * pixels apart (test/unit/playground-live-spec.test.ts), and the plot would
 * twitch as a slider moves.
 */
export const SIZES = { boundary: { width: 190, height: 175 }, activation: { width: 190, height: 115 } };

/** A chart for the page: its specification, and the title block it had, for the caption. */
export interface PagePicture {
  readonly spec: Spec;
  readonly title: { readonly text: string; readonly subtitle: readonly string[] };
}

export interface PageSpecs {
  /** Undefined with one input: the boundary needs two axes. */
  readonly boundary: PagePicture | undefined;
  readonly activation: PagePicture;
}

/** The two pictures for the page's state: `plot`'s, made smaller, with row `highlightRow` (0-based) highlighted. */
export function pictureSpecs(model: Model, scores: RowScores, rows: PlaygroundRows, highlightRow: number): PageSpecs {
  const probability = activations[model.activation].probability;
  const collector = new PlotCollector(rows.names.length, false, probability);
  const score: Score = { z: 0, output: 0, cls: 0 };
  let highlight: PlotRow | undefined;
  rows.values.forEach((values, i) => {
    score.z = scores.z[i] as number;
    score.output = scores.output[i] as number;
    score.cls = scores.cls[i] as 0 | 1;
    const truth = rows.label?.truths[i];
    collector.add(values, score, truth);
    if (i === highlightRow) highlight = { row: i + 1, values, z: score.z, output: score.output, predicted: score.cls, truth };
  });
  const data = collector.result();
  const chartModel: ChartModel = {
    model,
    names: rows.names,
    activation: model.activation,
    threshold: model.threshold,
    classes: model.classes,
    probability,
    label: rows.label?.column,
  };
  return {
    boundary:
      rows.names.length >= 2 ? small(placeEquation(shortGradient(boundaryChart(data, chartModel, { x: 0, y: 1 })), SIZES.boundary), SIZES.boundary) : undefined,
    activation: small(placeRuleLabel(highlightNameAsData(activationChart(data, chartModel, highlight))), SIZES.activation),
  };
}

/** The page's own caption carries the title and subtitle (a chart's title block is sized for 800 px). */
function small(spec: Spec, size: { width: number; height: number }): PagePicture {
  const { title, ...rest } = spec;
  const block = title as { text?: string; subtitle?: string[] } | undefined;
  return { spec: { ...rest, ...size, autosize: { type: 'pad' } }, title: { text: block?.text ?? '', subtitle: block?.subtitle ?? [] } };
}

/** The field's colour bar as long as about half the page's plot (plot's 160 px is for 600), so the legends stand no taller than the plot. */
function shortGradient(spec: Spec): Spec {
  const layers = spec.layer as readonly { name?: string; encoding?: { color?: { legend?: object } } }[] | undefined;
  if (layers === undefined) return spec;
  return {
    ...spec,
    layer: layers.map((l) =>
      l.name === 'field' && l.encoding?.color?.legend !== undefined
        ? { ...l, encoding: { ...l.encoding, color: { ...l.encoding.color, legend: { ...l.encoding.color.legend, gradientLength: 80 } } } }
        : l,
    ),
  };
}

/**
 * The highlighted row's name ("row 3") as a field of the highlight's data
 * rather than a constant of its text mark, so that moving the cursor to
 * another row changes only data and the kept view is updated, not embedded
 * anew (src/playground/live-spec.ts).
 */
function highlightNameAsData(spec: Spec): Spec {
  type Inner = { mark?: { type?: string }; encoding?: { text?: { value?: unknown; field?: string } } };
  type Layer = { name?: string; data?: { values?: readonly Record<string, unknown>[] }; layer?: readonly Inner[] };
  const layers = spec.layer as readonly Layer[] | undefined;
  const highlight = layers?.find((l) => l.name === 'highlight');
  const name = highlight?.layer?.find((inner) => inner.mark?.type === 'text')?.encoding?.text?.value;
  if (layers === undefined || highlight?.layer === undefined || typeof name !== 'string') return spec;
  const moved: Layer = {
    ...highlight,
    data: { values: (highlight.data?.values ?? []).map((v) => ({ ...v, name })) },
    layer: highlight.layer.map((inner) =>
      inner.encoding?.text?.value === undefined ? inner : { ...inner, encoding: { ...inner.encoding, text: { field: 'name' } } },
    ),
  };
  return { ...spec, layer: layers.map((l) => (l === highlight ? moved : l)) };
}
