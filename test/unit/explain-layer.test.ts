/**
 * explain for a softmax layer: the steps as data against NumPy
 * (fixtures/reference/explain_reference.py → explain.json), a tie worked by
 * hand, the text's promise that every printed equality holds (re-read from
 * the printed text), and the probabilities' bars.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainLayer, explainValues, type LayerSteps } from '../../src/learn/explain.js';
import { bindModel } from '../../src/neuron/columns.js';
import { LayerScorer, layerScore } from '../../src/neuron/layer-scorer.js';
import { isSoftmax, parseModel, type SoftmaxModel } from '../../src/neuron/model.js';
import { chooseLayerDecimals, plotProbabilities, renderSteps } from '../../src/render/steps.js';
import { fixture } from '../support/helpers.js';

interface Reference {
  readonly x: number[];
  readonly scaled: number[];
  readonly z: number[];
  readonly max: number;
  readonly shifted: number[];
  readonly exp: number[];
  readonly sum: number;
  readonly p: number[];
  readonly winner: number;
}

const reference = JSON.parse(readFileSync(fixture('reference/explain.json'), 'utf8')) as { softmax: Record<string, Reference[]> };

function layerModel(value: unknown): SoftmaxModel {
  const model = parseModel(value);
  if (!isSoftmax(model)) throw new Error('expected a softmax weights file');
  return model;
}

const loadLayer = (name: string) => layerModel(JSON.parse(readFileSync(fixture(name), 'utf8')));

/** Within float noise of NumPy (another order of the same sums, another exp). */
const close = (actual: number, expected: number) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(expected)));

/** The command's way: the scorer's numbers for a row of cells, explained. */
function explainCells(model: SoftmaxModel, header: readonly string[], cells: readonly string[], row: number): LayerSteps {
  const bound = bindModel(model, header);
  const scorer = new LayerScorer(bound);
  const score = scorer.score(cells, row + 1, 'd.csv', layerScore(scorer.k));
  if (score === undefined) throw new Error('row skipped');
  const values = bound.inputIndices.map((i) => Number(cells[i]));
  return explainLayer({ row, line: row + 1, names: bound.inputNames, values, model, score });
}

describe('the steps of a softmax layer, against NumPy', () => {
  const [header, ...lines] = readFileSync(fixture('iris-sample.csv'), 'utf8').trim().split('\n');
  const rows = lines.map((line) => line.split(','));
  it.each(Object.keys(reference.softmax))('%s: every row of fixtures/iris-sample.csv', (name) => {
    const model = loadLayer(name);
    rows.forEach((cells, i) => {
      const expected = reference.softmax[name]?.[i] as Reference;
      for (const steps of [explainCells(model, (header ?? '').split(','), cells, i + 1), explainValues(model, expected.x)]) {
        expect(steps.inputs.map((input) => input.value)).toEqual(expected.x);
        (steps.scaling ?? steps.inputs.map((input) => ({ scaled: input.value }))).forEach((s, j) => {
          close(s.scaled, expected.scaled[j] as number);
        });
        steps.layer.forEach((neuron, c) => {
          close(neuron.z, expected.z[c] as number);
          neuron.terms.forEach((t, j) => {
            expect(t.product).toBe(t.weight * (steps.scaling?.[j]?.scaled ?? (expected.x[j] as number)));
          });
        });
        close(steps.softmax.max, expected.max);
        steps.softmax.shifted.forEach((s, c) => {
          close(s, expected.shifted[c] as number);
        });
        steps.softmax.exp.forEach((e, c) => {
          close(e, expected.exp[c] as number);
        });
        close(steps.softmax.sum, expected.sum);
        steps.softmax.probabilities.forEach((p, c) => {
          close(p, expected.p[c] as number);
        });
        expect(steps.classIndex).toBe(expected.winner);
        expect(steps.class).toBe(model.classes[expected.winner]);
      }
    });
  });

  it("the probabilities are the scorer's, and each is its exp over the sum, bit for bit", () => {
    const model = loadLayer('iris-sample.scaled.softmax.weights.json');
    for (const cells of rows) {
      const steps = explainCells(model, (header ?? '').split(','), cells, 1);
      steps.softmax.probabilities.forEach((p, c) => {
        expect(p).toBe((steps.softmax.exp[c] as number) / steps.softmax.sum);
      });
      expect(steps.softmax.shifted).toEqual(steps.layer.map((neuron) => neuron.z - steps.softmax.max));
    }
  });
});

describe('a tie, worked by hand', () => {
  // z = (1·2 + 0·1 + 0, 0·2 + 1·1 + 0, 1·2 + 1·1 - 1) = (2, 1, 2): classes a and c tie, a wins (the first).
  // exp(z - 2) = (1, e^-1 = 0.36787944..., 1), sum 2.36787944..., p = (0.42231880, 0.15536240, 0.42231880).
  const model = layerModel({
    weights: [
      [1, 0],
      [0, 1],
      [1, 1],
    ],
    bias: [0, 0, -1],
    activation: 'softmax',
    classes: ['a', 'b', 'c'],
  });
  const steps = explainValues(model, [2, 1]);

  it('as data: the first class wins', () => {
    expect(steps.layer.map((neuron) => neuron.z)).toEqual([2, 1, 2]);
    expect(steps.softmax.max).toBe(2);
    expect(steps.softmax.shifted).toEqual([0, -1, 0]);
    close(steps.softmax.exp[1] as number, 0.36787944117144233);
    close(steps.softmax.sum, 2.3678794411714423);
    close(steps.softmax.probabilities[0] as number, 0.4223187982515182);
    close(steps.softmax.probabilities[1] as number, 0.15536240349696362);
    expect(steps.classIndex).toBe(0);
    expect(steps.class).toBe('a');
  });

  it('as text', () => {
    expect(renderSteps(steps)).toBe(
      [
        'row 1: 1 = 2, 2 = 1',
        'class "a": z1 = w1·x + b1',
        '  = 1 × 2 + 0 × 1 + 0',
        '  = 2 + 0 + 0 = 2',
        'class "b": z2 = w2·x + b2',
        '  = 0 × 2 + 1 × 1 + 0',
        '  = 0 + 1 + 0 = 1',
        'class "c": z3 = w3·x + b3',
        '  = 1 × 2 + 1 × 1 + (-1)',
        '  = 2 + 1 - 1 = 2',
        'softmax(z)ᵢ = exp(zᵢ − max z) / Σⱼ exp(zⱼ − max z), max z = z1 = 2',
        '  exp(z1 - max z) = exp(0) = 1',
        '  exp(z2 - max z) = exp(-1) = 0.3679',
        '  exp(z3 - max z) = exp(0) = 1',
        '  sum = 1 + 0.3679 + 1 = 2.3679',
        '  p1 = 1 / 2.3679 = 0.4223',
        '  p2 = 0.3679 / 2.3679 = 0.1554',
        '  p3 = 1 / 2.3679 = 0.4223',
        'the largest is z1 = z3 (a tie: the first class wins), so the class is "a"',
        '',
      ].join('\n'),
    );
  });

  it('a near tie is printed with the decimals that tell the two apart', () => {
    // z = (1, 1 + 1e-6): at 4 decimals both print as 1, which would show a tie that is not one.
    const near = explainValues(layerModel({ weights: [[1], [1]], bias: [0, 1e-6], activation: 'softmax', classes: ['a', 'b'] }), [1]);
    const text = renderSteps(near);
    expect(text).toContain('the largest is z2, so the class is "b"');
    expect(chooseLayerDecimals(near).classes.every((d) => d === undefined || d >= 6)).toBe(true);
    expect(text).toContain('= 1.000001\n');
  });

  it('refuses an activation or threshold override, and a ragged row, as the library does for one neuron', () => {
    expect(() => explainValues(model, [2, 1], { threshold: 0.5 })).toThrow('threshold does not apply to a softmax model');
    expect(() => explainValues(model, [2])).toThrow('expected 2 input values, one per weight ("1", "2"), got 1 value');
  });
});

/** Half a unit in the last printed place of `text`, plus float noise. */
function slack(text: string, value: number): number {
  const decimals = text.split('.')[1]?.length ?? 0;
  return 0.5 * 10 ** -decimals + 1e-12 * Math.abs(value) + 1e-15;
}

const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:e[+-]?\d+)?`;
const unparen = (t: string) => Number(t.replace(/^\((.*)\)$/, '$1'));
const near = (computed: number, printed: string, what: string) =>
  expect(Math.abs(computed - Number(printed)), what).toBeLessThanOrEqual(slack(printed, computed));

/** Re-reads a layer's text and checks each printed equality from its printed numbers. */
function checkLayerText(text: string, k: number): void {
  const lines = text.split('\n');
  const scaled = new Map<number, string>();
  for (const line of lines) {
    const s = new RegExp(String.raw`^  x(\d+)' = \((${NUMBER}) - \(?(${NUMBER})\)?\) / (${NUMBER}) = (${NUMBER})$`).exec(line);
    if (s === null) continue;
    const [, j, x, mean, std, result] = s as unknown as string[];
    near((Number(x) - Number(mean)) / Number(std), result as string, line);
    scaled.set(Number(j), result as string);
  }
  const z: string[] = [];
  lines.forEach((line, i) => {
    if (!/^class .*: z\d+ = w\d+·x'? \+ b\d+$/.test(line)) return;
    const products = (lines[i + 1] as string).slice(4).split(' + ');
    const sum = /^ {2}= (.*) = (\S+)$/.exec(lines[i + 2] as string) as RegExpExecArray;
    const terms = (sum[1] as string).replace(/ - /g, ' + -').split(' + ');
    products.slice(0, -1).forEach((part, j) => {
      const [w, x] = part.split(' × ');
      if (scaled.size > 0)
        expect(x, 'the scaled input as the scaling printed it').toBe(scaled.get(j + 1)?.startsWith('-') ? `(${scaled.get(j + 1)})` : scaled.get(j + 1));
      near(unparen(w as string) * unparen(x as string), terms[j] as string, part);
    });
    expect(unparen(products.at(-1) as string)).toBe(Number(terms.at(-1)));
    near(
      terms.reduce((a, t) => a + Number(t), 0),
      sum[2] as string,
      lines[i + 2] as string,
    );
    z.push(sum[2] as string);
  });
  expect(z).toHaveLength(k);
  const exps: string[] = [];
  for (const line of lines) {
    const e = new RegExp(String.raw`^  exp\(z\d+ - max z\) = exp\((${NUMBER})\) = (${NUMBER})$`).exec(line);
    if (e !== null) {
      near(Math.exp(Number(e[1])), e[2] as string, line);
      exps.push(e[2] as string);
    }
  }
  expect(exps).toHaveLength(k);
  const sumLine = lines.find((l) => l.startsWith('  sum = ')) as string;
  const sum = /^ {2}sum = (.*) = (\S+)$/.exec(sumLine) as RegExpExecArray;
  expect((sum[1] as string).split(' + ')).toEqual(exps);
  near(
    exps.reduce((a, t) => a + Number(t), 0),
    sum[2] as string,
    sumLine,
  );
  const ps = lines.filter((l) => /^ {2}p\d+ = /.test(l));
  expect(ps).toHaveLength(k);
  ps.forEach((line, c) => {
    const p = new RegExp(String.raw`^  p\d+ = (${NUMBER}) / (${NUMBER}) = (${NUMBER})$`).exec(line) as RegExpExecArray;
    expect([p[1], p[2]]).toEqual([exps[c], sum[2]]);
    near(Number(p[1]) / Number(p[2]), p[3] as string, line);
  });
  // the winner named is the first largest printed z, and a printed tie is told as one
  const printed = z.map(Number);
  const top = Math.max(...printed);
  const tied = printed.flatMap((v, c) => (v === top ? [`z${c + 1}`] : []));
  expect(text).toContain(`the largest is ${tied.length > 1 ? `${tied.join(' = ')} (a tie: the first class wins)` : tied[0]}, so the class is`);
}

describe('layer text', () => {
  it('every equality holds at the printed precision, for any layer, inputs and scaling', () => {
    const num = fc.double({ min: -20, max: 20, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        fc.record({ k: fc.integer({ min: 2, max: 6 }), d: fc.integer({ min: 1, max: 4 }) }).chain(({ k, d }) =>
          fc.record({
            weights: fc.array(fc.array(num, { minLength: d, maxLength: d }), { minLength: k, maxLength: k }),
            bias: fc.array(num, { minLength: k, maxLength: k }),
            values: fc.array(num, { minLength: d, maxLength: d }),
            std: fc.option(fc.array(fc.double({ min: 0.01, max: 30, noNaN: true }), { minLength: d, maxLength: d })),
            mean: fc.array(num, { minLength: d, maxLength: d }),
          }),
        ),
        ({ weights, bias, values, std, mean }) => {
          const classes = weights.map((_, c) => `class ${c}`);
          const model = layerModel({ weights, bias, activation: 'softmax', classes, ...(std === null ? {} : { scaling: { mean, std } }) });
          checkLayerText(renderSteps(explainValues(model, values)), weights.length);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('the fixture rows keep to four decimals where that holds (a class needing more does not lengthen the others)', () => {
    const model = loadLayer('iris-sample.softmax.weights.json');
    const steps = explainValues(model, [5.1, 3.5, 1.4, 0.2]);
    const text = renderSteps(steps);
    checkLayerText(text, 3);
    expect(chooseLayerDecimals(steps)).toEqual({ classes: [4, 4, 4], factor: 4, scaling: 4, softmax: 4 });
  });
});

describe('plotProbabilities', () => {
  it('draws each probability as a bar of 40 cells, in eighths, and marks the class', () => {
    const plot = plotProbabilities(['setosa', 'versicolor', 'virginica'], [0.5, 0.3125, 0.1875], 0).split('\n');
    // 0.5 · 40 = 20 cells; 0.3125 · 40 = 12.5 = 12 cells and 4 eighths (▌); 0.1875 · 40 = 7.5 = 7 cells and ▌
    expect(plot).toEqual([
      `setosa      0.5000 ${'█'.repeat(20)}${' '.repeat(20)} ◀`,
      `versicolor  0.3125 ${'█'.repeat(12)}▌`,
      `virginica   0.1875 ${'█'.repeat(7)}▌`,
      '',
    ]);
  });

  it('in ASCII for a dumb terminal, and with control characters in a class name escaped', () => {
    const plot = plotProbabilities(['a\u202eb', 'c'], [0.25, 0.75], 1, false).split('\n');
    expect(plot).toEqual([`a\\u202eb  0.2500 ${'#'.repeat(10)}`, `c         0.7500 ${'#'.repeat(30)}${' '.repeat(10)} <`, '']);
  });
});
