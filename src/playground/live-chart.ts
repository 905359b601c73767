/**
 * One chart on the page, drawn by vega-embed once and then kept: a new
 * specification of the same shape (src/playground/live-spec.ts) only gives
 * the view its new data sets and domain signals and runs it, which is what
 * makes a slider move (or the cursor on another row) cheap; any other
 * change (another activation, the legend of wrong rows appearing) embeds
 * the chart anew. Vega's expressions run through vega-interpreter, so the page's CSP
 * needs no 'unsafe-eval'.
 */
import embed, { type EmbedOptions } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';
import type { Spec } from '../render/charts/style.js';
import { liveSpec } from './live-spec.js';

type View = Awaited<ReturnType<typeof embed>>['view'];

export class LiveChart {
  private view: View | undefined;
  private shape: string | undefined;
  /** How many times the chart was embedded (the first time included): the rest were updates. */
  embeds = 0;

  constructor(
    private readonly container: HTMLElement,
    private readonly renderer: 'svg' | 'canvas',
  ) {}

  /** Shows `spec`; resolves once the view has run. Calls must not overlap (the caller awaits each). */
  async show(spec: Spec): Promise<void> {
    const live = liveSpec(spec);
    const { view } = this;
    if (view !== undefined && live.shape === this.shape) {
      for (const [name, rows] of Object.entries(live.datasets)) view.data(name, rows as object[]);
      for (const [name, value] of Object.entries(live.signals)) view.signal(name, value);
      await view.runAsync();
      return;
    }
    view?.finalize();
    this.view = undefined;
    const options: EmbedOptions = {
      actions: false,
      renderer: this.renderer,
      ast: true,
      expr: expressionInterpreter,
      tooltip: false,
      defaultStyle: false,
    };
    const result = await embed(this.container, live.spec, options);
    this.view = result.view;
    this.shape = live.shape;
    this.embeds += 1;
  }
}
