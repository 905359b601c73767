/**
 * The playground's kept views (src/playground/live-spec.ts): a slider move
 * leaves a chart's shape as it was, so the page updates the view it has; and
 * a view updated with another state's data sets and signals draws exactly
 * what a view made afresh from that state draws (Vega in Node, SVG compared).
 */
import fc from 'fast-check';
import * as vega from 'vega';
import * as vegaLite from 'vega-lite';
import { describe, expect, it } from 'vitest';
import { parseModel, plainModel } from '../../src/neuron/model.js';
import { scoreAll } from '../../src/playground/compute.js';
import { type LiveSpec, liveSpec } from '../../src/playground/live-spec.js';
import { pictureSpecs } from '../../src/playground/picture-specs.js';
import type { Spec } from '../../src/render/charts/style.js';
import { LESSON_CSV, LESSON_LABEL, LESSON_NAME } from '../../src/serve/lesson.js';
import type { PlaygroundRows } from '../../src/serve/session.js';

const lines = LESSON_CSV.trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split(','));
const rows: PlaygroundRows = {
  source: LESSON_NAME,
  names: ['Height (in feet)', 'Weight (in kgs)'],
  values: lines.map((cells) => [Number(cells[0]), Number(cells[1])]),
  label: { column: LESSON_LABEL, texts: lines.map((cells) => cells[2] as string), truths: lines.map((cells) => (cells[2] === 'Obese' ? 1 : 0)) },
};
const lesson = plainModel(parseModel({ features: rows.names, weights: [-1.5, 0.1], bias: 0, classes: ['Not Obese', 'Obese'] }), 'the test');

type Which = 'boundary' | 'activation';
/** The page's picture for these weights, split for a kept view. */
function live(weights: readonly number[], bias: number, which: Which, activation: 'sigmoid' | 'relu' = 'sigmoid', row = 0): LiveSpec {
  const model = { ...lesson, weights, bias, activation };
  const picture = pictureSpecs(model, scoreAll(model, rows), rows, row)[which];
  if (picture === undefined) throw new Error('no picture');
  return liveSpec(picture.spec);
}

function viewOf(spec: Spec): vega.View {
  // biome-ignore lint/suspicious/noExplicitAny: the charts are checked against Vega-Lite's JSON schema by the picture tests
  return new vega.View(vega.parse(vegaLite.compile(spec as any).spec), { renderer: 'none' });
}

/**
 * The view as SVG, one element a line. An axis reuses its ticks' items when
 * its domain moves, so a kept view may list a group's tick lines and labels
 * in another order than a new view does: each run of such leaves is sorted
 * (a mark's own items, the points and the field, keep their order).
 */
async function svgOf(view: vega.View): Promise<string> {
  vega.resetSVGDefIds();
  const lines = (await view.toSVG()).replaceAll('><', '>\n<').split('\n');
  const out: string[] = [];
  let run: string[] = [];
  for (const line of [...lines, '']) {
    if (/^<(line|text) /.test(line)) {
      run.push(line);
      continue;
    }
    out.push(...run.sort(), line);
    run = [];
  }
  return out.join('\n');
}

describe('a chart kept while the weights move', () => {
  it.each<Which>(['boundary', 'activation'])('the %s picture keeps its shape when a weight moves one slider step', (which) => {
    const before = live([-1.5, 0.1], 0, which);
    const after = live([-1.5, 0.0999], 0, which);
    expect(after.shape).toBe(before.shape);
    // What does change is handed over as data and signals: the rows' places, the field, the domains.
    expect(after.datasets).not.toEqual(before.datasets);
  });

  it('the activation picture keeps its shape when another row is highlighted (the cursor over the table)', () => {
    const first = live([-1.5, 0.1], 0, 'activation', 'sigmoid', 0);
    const other = live([-1.5, 0.1], 0, 'activation', 'sigmoid', 6);
    expect(other.shape).toBe(first.shape);
    expect(JSON.stringify(other.datasets)).toContain('"name":"row 7"');
  });

  it('another activation is another shape (the chart is embedded anew)', () => {
    expect(live([-1.5, 0.1], 0, 'activation', 'relu').shape).not.toBe(live([-1.5, 0.1], 0, 'activation').shape);
  });

  it('lifts inline data to named data sets and numeric scale domains to parameters, and nothing else', () => {
    const spec: Spec = {
      layer: [
        {
          data: { values: [{ x: 1 }] },
          mark: 'point',
          encoding: { x: { field: 'x', type: 'quantitative', scale: { domain: [0, 2] } }, color: { field: 'c', scale: { domain: ['a', 'b'] } } },
        },
        { data: { values: [{ x: 3 }] }, mark: 'rule', encoding: { x: { field: 'x', type: 'quantitative', scale: { domain: [0, 2] } } } },
      ],
    };
    const split = liveSpec(spec);
    expect(split.datasets).toEqual({ live_data_0: [{ x: 1 }], live_data_1: [{ x: 3 }] });
    // One parameter for the two layers that share x's scale and its domain.
    expect(split.signals).toEqual({ live_domain_x: [0, 2] });
    expect(split.spec).toEqual({
      layer: [
        {
          data: { name: 'live_data_0' },
          mark: 'point',
          encoding: {
            x: { field: 'x', type: 'quantitative', scale: { domain: { expr: 'live_domain_x' } } },
            color: { field: 'c', scale: { domain: ['a', 'b'] } },
          },
        },
        { data: { name: 'live_data_1' }, mark: 'rule', encoding: { x: { field: 'x', type: 'quantitative', scale: { domain: { expr: 'live_domain_x' } } } } },
      ],
      datasets: split.datasets,
      params: [{ name: 'live_domain_x', value: [0, 2] }],
    });
  });

  it('a view updated to another state draws what a view made for that state draws', async () => {
    const weight = fc.double({ min: -3, max: 3, noNaN: true });
    // A move as a slider makes one: small, on one weight or the bias.
    const move = fc.double({ min: -0.05, max: 0.05, noNaN: true });
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(fc.tuple(weight, weight, weight), fc.nat(2), move, fc.constantFrom<Which>('boundary', 'activation'), async (a, k, by, which) => {
        const b = a.map((v, j) => (j === k ? v + by : v));
        const first = live(a.slice(0, 2), a[2], which);
        const second = live(b.slice(0, 2), b[2] as number, which);
        fc.pre(first.shape === second.shape);
        compared += 1;
        const kept = viewOf(first.spec);
        const fresh = viewOf(second.spec);
        try {
          await kept.runAsync();
          for (const [name, values] of Object.entries(second.datasets)) kept.data(name, values as object[]);
          for (const [name, value] of Object.entries(second.signals)) kept.signal(name, value);
          await kept.runAsync();
          expect(await svgOf(kept)).toBe(await svgOf(fresh));
        } finally {
          kept.finalize();
          fresh.finalize();
        }
      }),
      { numRuns: 16 },
    );
    expect(compared).toBeGreaterThanOrEqual(16);
  }, 60_000);
});
