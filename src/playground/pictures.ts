/**
 * The boundary and activation pictures of `neuron plot`, redrawn as the
 * sliders move: the SAME Vega-Lite specifications (src/render/charts),
 * built from the same PlotData (src/learn/plot-rows.ts: every row's extent
 * and mean, a deterministic sample beyond MAX_DRAWN_ROWS), drawn by
 * vega-embed in the page. Vega's expressions run through vega-interpreter,
 * so the page's CSP needs no 'unsafe-eval'. At most one redraw per frame:
 * a burst of slider events draws the last state once.
 */
import embed, { type Result } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
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
import { el } from './dom.js';

/** The pictures' sizes on the page (the specs' own 800 × 600 is for files). */
const SIZES = { boundary: { width: 395, height: 270 }, activation: { width: 395, height: 215 } };

export class Pictures {
  private readonly boundaryChart = el('div');
  private readonly activationChart = el('div');
  private readonly boundary = el('figure', { class: 'picture', id: 'boundary-picture' }, el('figcaption'), this.boundaryChart);
  private readonly activation = el('figure', { class: 'picture', id: 'activation-picture' }, el('figcaption'), this.activationChart);
  private views: Result[] = [];
  private pending: { model: Model; scores: RowScores; row: number; since: number } | undefined;
  private drawing = false;

  constructor(
    private readonly root: HTMLElement,
    private readonly rows: PlaygroundRows,
  ) {
    const inputs = rows.names.length;
    if (inputs >= 2) root.append(this.boundary);
    else root.append(el('p', { class: 'caption' }, 'one input: no boundary picture (it needs two axes)'));
    root.append(this.activation);
  }

  /**
   * Asks for a redraw with this state; drawn at the next frame, once. `since`
   * is when the change began (performance.now()): the time from the earliest
   * change not yet drawn to the views having run is kept in the root's
   * data-redraw-ms, for `npm run bench` (test/bench/playground.mjs).
   */
  update(model: Model, scores: RowScores, row: number, since: number): void {
    this.pending = { model, scores, row, since: this.pending?.since ?? since };
    if (!this.drawing) {
      this.drawing = true;
      requestAnimationFrame(() => void this.draw());
    }
  }

  private async draw(): Promise<void> {
    const state = this.pending;
    this.pending = undefined;
    if (state === undefined) {
      this.drawing = false;
      return;
    }
    const { boundary, activation } = this.specs(state.model, state.scores, state.row);
    for (const view of this.views) view.finalize();
    const options = { actions: false, renderer: renderer(), ast: true, expr: expressionInterpreter, tooltip: false, defaultStyle: false } as const;
    this.views = await Promise.all([
      ...(boundary === undefined ? [] : [embed(this.boundaryChart, boundary, options)]),
      embed(this.activationChart, activation, options),
    ]);
    if (boundary !== undefined) caption(this.boundary, boundary);
    caption(this.activation, activation);
    // Which weights are drawn, for a reader that waits for the pictures to catch up (the browser test).
    const drawn = JSON.stringify([...state.model.weights, state.model.bias]);
    this.boundary.dataset.drawn = drawn;
    this.activation.dataset.drawn = drawn;
    this.root.dataset.redrawMs = String(performance.now() - state.since);
    this.drawing = false;
    if (this.pending !== undefined) {
      this.drawing = true;
      requestAnimationFrame(() => void this.draw());
    }
  }

  /** The two specifications for the page's state: `plot`'s, made smaller. */
  private specs(model: Model, scores: RowScores, highlightRow: number): { boundary: Spec | undefined; activation: Spec } {
    const { rows } = this;
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
    // The page's own caption carries the title and subtitle (a chart's title block is sized for 800 px).
    const small = (spec: Spec, size: { width: number; height: number }): Spec => {
      const { title, ...rest } = spec;
      return { ...rest, ...size, usermeta: { title } };
    };
    return {
      boundary: rows.names.length >= 2 ? small(boundaryChart(data, chartModel, { x: 0, y: 1 }), SIZES.boundary) : undefined,
      activation: small(activationChart(data, chartModel, highlight), SIZES.activation),
    };
  }
}

/** The chart's title in bold and its subtitle lines under it, as text. */
function caption(figure: HTMLElement, spec: Spec): void {
  const title = (spec.usermeta as { title?: { text?: string; subtitle?: string[] } } | undefined)?.title;
  const lines = (title?.subtitle ?? []).map((line) => el('span', { class: 'subtitle' }, line));
  figure.querySelector('figcaption')?.replaceChildren(el('strong', {}, title?.text ?? ''), ...lines);
}

/**
 * Canvas by default: a redraw with the 2,304 cells of the boundary's field
 * took 153 ms against SVG's 249 ms in one back-to-back pair (60 rows,
 * Chromium, this project's loaded 2-core machine). SVG when the page is
 * asked for it before it loads (`globalThis.neuronPlaygroundRenderer =
 * 'svg'`, as the browser test does, to read the drawn marks back).
 */
function renderer(): 'svg' | 'canvas' {
  return (globalThis as { neuronPlaygroundRenderer?: unknown }).neuronPlaygroundRenderer === 'svg' ? 'svg' : 'canvas';
}
