/**
 * The numbers beside the sliders: the rows table (z, output, class,
 * correct), the row under the cursor explained as `neuron explain` writes
 * it, and the metrics with the confusion matrix.
 */
import { explainValues } from '../learn/explain.js';
import type { Metrics } from '../learn/metrics.js';
import type { Model } from '../neuron/model.js';
import { readable, renderSteps } from '../render/steps.js';
import type { PlaygroundRows } from '../serve/session.js';
import type { RowScores } from './compute.js';
import { el } from './dom.js';

/** Rows drawn in the table at most (all of them are scored and counted in the metrics). */
export const TABLE_ROWS = 500;

export class RowsView {
  private readonly cells: { z: HTMLElement; output: HTMLElement; cls: HTMLElement; correct: HTMLElement | undefined }[] = [];
  private readonly outputHeader: HTMLElement;
  /** The 0-based row explained: the one under the cursor or focused, else the first. */
  private explained = 0;
  /** Called when the explained row changes (the activation picture highlights it). */
  onExplain: (row: number) => void = () => {};

  get explainedRow(): number {
    return this.explained;
  }
  private model: Model | undefined;
  private scores: RowScores | undefined;

  constructor(
    private readonly rows: PlaygroundRows,
    private readonly table: HTMLTableElement,
    private readonly explainBox: HTMLElement,
    private readonly metricsBox: HTMLElement,
  ) {
    const label = rows.label;
    this.outputHeader = el('th', { scope: 'col' }, 'output');
    const head = el(
      'tr',
      {},
      el('th', { scope: 'col' }, 'row'),
      ...rows.names.map((name) => el('th', { scope: 'col' }, name)),
      ...(label === undefined ? [] : [el('th', { scope: 'col' }, label.column)]),
      el('th', { scope: 'col' }, 'z'),
      this.outputHeader,
      el('th', { scope: 'col' }, 'class'),
      ...(label === undefined ? [] : [el('th', { scope: 'col' }, 'correct')]),
    );
    const body = el('tbody');
    const shown = Math.min(rows.values.length, TABLE_ROWS);
    for (let i = 0; i < shown; i++) {
      const z = el('td', { class: 'z num' });
      const output = el('td', { class: 'output num' });
      const cls = el('td', { class: 'class' });
      const correct = label === undefined ? undefined : el('td', { class: 'correct' });
      const values = (rows.values[i] as readonly number[]).map((v) => el('td', { class: 'num' }, String(v)));
      const tr = el('tr', { 'data-row': String(i + 1), tabindex: '0' }, el('th', { scope: 'row' }, String(i + 1)), ...values);
      if (label !== undefined) tr.append(el('td', {}, label.texts[i] as string));
      tr.append(z, output, cls);
      if (correct !== undefined) tr.append(correct);
      const explain = () => {
        if (this.explained === i) return;
        this.explain(i);
        this.onExplain(i);
      };
      tr.addEventListener('mouseenter', explain);
      tr.addEventListener('focus', explain);
      body.append(tr);
      this.cells.push({ z, output, cls, correct });
    }
    const caption = el(
      'caption',
      {},
      shown < rows.values.length ? `the first ${shown} of ${rows.values.length} rows (the metrics count all)` : `${shown} rows`,
    );
    table.append(caption, el('thead', {}, head), body);
  }

  update(model: Model, scores: RowScores): void {
    this.model = model;
    this.scores = scores;
    this.outputHeader.textContent = model.activation;
    this.cells.forEach((cell, i) => {
      const z = scores.z[i] as number;
      const output = scores.output[i] as number;
      const cls = scores.cls[i] as 0 | 1;
      // Four decimals to read; the exact double (what eval prints) in data-value and the tooltip.
      set(cell.z, readable(z, 4), String(z));
      set(cell.output, readable(output, 4), String(output));
      cell.cls.textContent = model.classes[cls];
      cell.cls.className = `class class-${cls}`;
      if (cell.correct !== undefined) {
        const right = this.rows.label?.truths[i] === cls;
        cell.correct.textContent = right ? 'yes' : 'no';
        cell.correct.className = right ? 'correct yes' : 'correct no';
      }
    });
    this.explain(this.explained);
    this.showMetrics(model, scores.metrics);
  }

  private explain(i: number): void {
    this.explained = i;
    const { model, scores } = this;
    if (model === undefined || scores === undefined) return;
    const steps = explainValues(model, this.rows.values[i] as number[], { row: i + 1 });
    const label = this.rows.label;
    const withLabel =
      label === undefined ? steps : { ...steps, label: { column: label.column, value: label.texts[i] as string, correct: label.truths[i] === scores.cls[i] } };
    this.explainBox.textContent = renderSteps(withLabel);
    for (const tr of this.table.querySelectorAll('tr.explained')) tr.classList.remove('explained');
    this.table.querySelector(`tr[data-row="${i + 1}"]`)?.classList.add('explained');
  }

  private showMetrics(model: Model, metrics: Metrics | undefined): void {
    const box = this.metricsBox;
    if (metrics === undefined) {
      box.replaceChildren(el('p', {}, 'no --label column: no accuracy, loss or training'));
      return;
    }
    const [[tn, fp], [fn, tp]] = metrics.confusion;
    const right = tn + tp;
    const figure = (name: string, value: string, key: string) =>
      el('div', { class: 'figure' }, el('span', { class: 'name' }, name), el('span', { class: 'value', 'data-metric': key }, value));
    const [c0, c1] = model.classes;
    const matrix = el(
      'table',
      { class: 'confusion', 'aria-label': 'confusion matrix' },
      el('caption', {}, 'confusion matrix'),
      el('tr', {}, el('th', { scope: 'col' }, 'label \\ predicted'), el('th', { scope: 'col' }, c0), el('th', { scope: 'col' }, c1)),
      el('tr', {}, el('th', { scope: 'row' }, c0), el('td', { class: 'hit' }, String(tn)), el('td', { class: 'miss' }, String(fp))),
      el('tr', {}, el('th', { scope: 'row' }, c1), el('td', { class: 'miss' }, String(fn)), el('td', { class: 'hit' }, String(tp))),
    );
    const accuracy = metrics.accuracy === undefined ? 'n/a' : `${readable(100 * metrics.accuracy, 2)}% (${right}/${metrics.rows})`;
    const loss = metrics.logLoss === undefined ? 'n/a (sigmoid only)' : readable(metrics.logLoss, 4);
    const accuracyFigure = figure('accuracy', accuracy, 'accuracy');
    accuracyFigure.lastElementChild?.setAttribute('data-value', String(metrics.accuracy));
    const lossFigure = figure('log loss', loss, 'log-loss');
    lossFigure.lastElementChild?.setAttribute('data-value', String(metrics.logLoss));
    box.replaceChildren(el('div', { class: 'figures' }, accuracyFigure, lossFigure), matrix);
  }
}

function set(cell: HTMLElement, text: string, exact: string): void {
  cell.textContent = text;
  cell.dataset.value = exact;
  cell.title = exact;
}
