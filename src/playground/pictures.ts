/**
 * The boundary and activation pictures of `neuron plot`, redrawn as the
 * sliders move: the same Vega-Lite specifications (src/playground/
 * picture-specs.ts), each drawn in one kept view (src/playground/
 * live-chart.ts) that a move only gives new data. At most one redraw per
 * frame: a burst of slider events draws the last state once.
 */
import type { Model } from '../neuron/model.js';
import type { PlaygroundRows } from '../serve/session.js';
import type { RowScores } from './compute.js';
import { el } from './dom.js';
import { LiveChart } from './live-chart.js';
import { type PagePicture, pictureSpecs } from './picture-specs.js';

export class Pictures {
  private readonly boundaryBox = el('div');
  private readonly activationBox = el('div');
  private readonly boundary = el('figure', { class: 'picture', id: 'boundary-picture' }, el('figcaption'), this.boundaryBox);
  private readonly activation = el('figure', { class: 'picture', id: 'activation-picture' }, el('figcaption'), this.activationBox);
  private readonly boundaryChart = new LiveChart(this.boundaryBox, renderer());
  private readonly activationChart = new LiveChart(this.activationBox, renderer());
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
    const { boundary, activation } = pictureSpecs(state.model, state.scores, this.rows, state.row);
    await Promise.all([...(boundary === undefined ? [] : [this.boundaryChart.show(boundary.spec)]), this.activationChart.show(activation.spec)]);
    if (boundary !== undefined) caption(this.boundary, boundary);
    caption(this.activation, activation);
    // Which weights (and highlighted row) are drawn, for a reader that waits for the pictures to catch up (the browser test).
    const drawn = JSON.stringify([...state.model.weights, state.model.bias]);
    this.boundary.dataset.drawn = drawn;
    this.activation.dataset.drawn = drawn;
    this.activation.dataset.drawnRow = String(state.row + 1);
    this.root.dataset.redrawMs = String(performance.now() - state.since);
    this.root.dataset.embeds = String(this.boundaryChart.embeds + this.activationChart.embeds);
    this.drawing = false;
    if (this.pending !== undefined) {
      this.drawing = true;
      requestAnimationFrame(() => void this.draw());
    }
  }
}

/** The chart's title in bold and its subtitle lines under it, as text. */
function caption(figure: HTMLElement, picture: PagePicture): void {
  const lines = picture.title.subtitle.map((line) => el('span', { class: 'subtitle' }, line));
  figure.querySelector('figcaption')?.replaceChildren(el('strong', {}, picture.title.text), ...lines);
}

/**
 * Canvas by default: a redraw with the 2,304 cells of the boundary's field
 * took 153 ms against SVG's 249 ms in one back-to-back pair (60 rows,
 * Chromium, this project's loaded 2-core machine, when every redraw embedded
 * the chart anew). SVG when the page is asked for it before it loads
 * (`globalThis.neuronPlaygroundRenderer = 'svg'`, as the browser test does,
 * to read the drawn marks back).
 */
function renderer(): 'svg' | 'canvas' {
  return (globalThis as { neuronPlaygroundRenderer?: unknown }).neuronPlaygroundRenderer === 'svg' ? 'svg' : 'canvas';
}
