/**
 * explain: the steps as data, and the text's promise that every equality
 * holds at the printed precision, checked by re-reading the printed text.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainRow, explainValues } from '../../src/learn/explain.js';
import { type ActivationName, activationNames, activations } from '../../src/neuron/activations.js';
import { bindModel } from '../../src/neuron/columns.js';
import type { Model } from '../../src/neuron/model.js';
import { type Score, Scorer } from '../../src/neuron/scorer.js';
import { plotActivation, readable, renderSteps } from '../../src/render/steps.js';
import { neuronModel } from '../support/helpers.js';

function explain(model: Model, values: number[], activation: ActivationName = model.activation, threshold?: number) {
  const names = values.map((_, j) => `x${j + 1}`);
  const bound = bindModel(model, { names, fromHeader: true });
  const score: Score = { z: 0, output: 0, cls: 0 };
  new Scorer(bound, { activation, threshold }).score(values.map(String), 2, 'd.csv', score);
  return explainRow({ row: 1, line: 2, names, values, model, activation, threshold, score });
}

const model = (weights: number[], bias: number, extra: Partial<Model> = {}): Model => ({
  features: undefined,
  weights,
  bias,
  activation: 'sigmoid',
  classes: ['no', 'yes'],
  threshold: undefined,
  init: undefined,
  ...extra,
});

/** Half a unit in the last printed place of `text`, plus float noise. */
function slack(text: string, value: number): number {
  const decimals = text.split('.')[1]?.length ?? 0;
  return 0.5 * 10 ** -decimals + 1e-12 * Math.abs(value) + 1e-15;
}

const NUMBER = String.raw`-?\d+(?:\.\d+)?(?:e[+-]?\d+)?`;
const stripParens = (t: string) => t.replace(/^\((.*)\)$/, '$1');

/** Re-reads the text and checks each line's equality from its printed numbers. */
function checkText(text: string, activation: ActivationName): void {
  const lines = text.split('\n');
  const scaled = new Map<number, number>();
  for (const line of lines) {
    const s = new RegExp(String.raw`^  x(\d+)' = \((${NUMBER}) - \(?(${NUMBER})\)?\) / (${NUMBER}) = (${NUMBER})$`).exec(line);
    if (s !== null) {
      const [, j, x, mean, std, result] = s as unknown as string[];
      const value = (Number(x) - Number(mean)) / Number(std);
      expect(Math.abs(value - Number(result)), line).toBeLessThanOrEqual(slack(result as string, value));
      scaled.set(Number(j), Number(result));
    }
  }
  const productLine = lines.find((l) => l.startsWith('  = ') && l.includes(' × '));
  const sumLine = lines.find((l) => l.startsWith('  = ') && !l.includes(' × '));
  expect(productLine).toBeDefined();
  expect(sumLine).toBeDefined();
  const productParts = (productLine as string).slice(4).split(' + ');
  const sumMatch = /^ {2}= (.*) = (\S+)$/.exec(sumLine as string) as RegExpExecArray;
  const sumTerms = (sumMatch[1] as string).replace(/ - /g, ' + -').split(' + ').map(Number);
  const z = Number(sumMatch[2]);
  // each w × x equals the printed product; the bias is repeated as is
  productParts.slice(0, -1).forEach((part, j) => {
    const [w, x] = part.split(' × ').map((t) => Number(stripParens(t)));
    const product = (w as number) * (x as number);
    expect(Math.abs(product - (sumTerms[j] as number)), part).toBeLessThanOrEqual(slack(String(sumTerms[j]), product) * 1.0000001);
  });
  expect(Number(stripParens(productParts.at(-1) as string))).toBe(sumTerms.at(-1));
  const total = sumTerms.reduce((a, b) => a + b, 0);
  const zText = sumMatch[2] as string;
  expect(Math.abs(total - z), sumLine).toBeLessThanOrEqual(slack(zText, total));
  const act = new RegExp(String.raw`^${activation}\(z\) = (?:.* = )?(${NUMBER})$`).exec(lines.find((l) => l.startsWith(`${activation}(z)`)) ?? '');
  expect(act).not.toBeNull();
  const outText = (act as RegExpExecArray)[1] as string;
  const output = activations[activation].fn(z);
  expect(Math.abs(output - Number(outText))).toBeLessThanOrEqual(slack(outText, output));
}

describe('explain text', () => {
  it("is the issue's layout for the tutorial row (weights -1.5, 0.1; bias 0; row 4, 80)", () => {
    const steps = explain(model([-1.5, 0.1], 0, { classes: ['Not Obese', 'Obese'] }), [4, 80]);
    // by hand: z = -1.5·4 + 0.1·80 + 0 = 2; sigmoid(2) = 1 / (1 + e^-2) = 0.880797...
    expect(renderSteps(steps)).toBe(
      [
        'row 1: x1 = 4, x2 = 80',
        'z = w1·x1 + w2·x2 + b',
        '  = -1.5 × 4 + 0.1 × 80 + 0',
        '  = -6 + 8 + 0 = 2',
        'sigmoid(z) = 1 / (1 + e^(-2)) = 0.8808',
        '0.8808 >= 0.5, so the class is "Obese"',
        '',
      ].join('\n'),
    );
  });

  it('shows the scaling step of a standardised model', () => {
    const steps = explain(model([-1, 2], 0.5, { scaling: { mean: [5, 80], std: [0.5, 20] } }), [4, 90]);
    // by hand: x1' = (4 - 5) / 0.5 = -2, x2' = (90 - 80) / 20 = 0.5; z = 2 + 1 + 0.5 = 3.5; sigmoid(3.5) = 0.970688
    expect(renderSteps(steps)).toContain(
      [
        "scaling: x' = (x - mean) / std",
        "  x1' = (4 - 5) / 0.5 = -2",
        "  x2' = (90 - 80) / 20 = 0.5",
        "z = w1·x1' + w2·x2' + b",
        '  = -1 × (-2) + 2 × 0.5 + 0.5',
        '  = 2 + 1 + 0.5 = 3.5',
        'sigmoid(z) = 1 / (1 + e^(-3.5)) = 0.9707',
      ].join('\n'),
    );
  });

  it.each([
    ['tanh', undefined, 'tanh(z) = tanh(-1) = -0.7616', '-0.7616 < 0, so the class is "no"'],
    ['relu', undefined, 'relu(z) = max(0, -1) = 0', 'z = -1 < 0, so the class is "no"'],
    ['identity', undefined, 'identity(z) = -1', '-1 < 0, so the class is "no"'],
    ['step', undefined, 'step(z) = (1 if -1 >= 0, else 0) = 0', 'z = -1 < 0, so the class is "no"'],
    ['sigmoid', 0.2, 'sigmoid(z) = 1 / (1 + e^(1)) = 0.2689', '0.2689 >= 0.2, so the class is "yes"'],
  ] as const)('%s (threshold %s)', (activation, threshold, activationLine, classLine) => {
    // z = 1·1 + (-2) = -1
    const text = renderSteps(explain(model([1], -2), [1], activation, threshold));
    expect(text).toContain(`\n${activationLine}\n${classLine}\n`);
  });

  it('prints more decimals when rounding would break an equality', () => {
    // 3 × 0.33333 = 0.99999: at 4 decimals 0.3333 × 3 = 0.9999 ≠ 1.0000
    const text = renderSteps(explain(model([1 / 3, 1 / 3, 1 / 3], 0), [1, 1, 1]));
    checkText(text, 'sigmoid');
    expect(text).not.toContain('0.3333 + 0.3333 + 0.3333 + 0 = 1\n');
  });

  it('every equality holds at the printed precision, for any weights, inputs, scaling and activation', () => {
    const num = fc.double({ min: -50, max: 50, noNaN: true, noDefaultInfinity: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }).chain((d) =>
          fc.record({
            weights: fc.array(num, { minLength: d, maxLength: d }),
            values: fc.array(num, { minLength: d, maxLength: d }),
            bias: num,
            std: fc.option(fc.array(fc.double({ min: 0.01, max: 30, noNaN: true }), { minLength: d, maxLength: d })),
            mean: fc.array(num, { minLength: d, maxLength: d }),
            activation: fc.constantFrom(...activationNames),
          }),
        ),
        ({ weights, values, bias, std, mean, activation }) => {
          const m = model(weights, bias, std === null ? {} : { scaling: { mean, std } });
          checkText(renderSteps(explain(m, values, activation)), activation);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('explain data', () => {
  it('holds the exact numbers, the rule and the label', () => {
    const m = model([-1.5, 0.1], 0, { classes: ['Not Obese', 'Obese'] });
    const names = ['h', 'w'];
    const score: Score = { z: 2, output: 1 / (1 + Math.exp(-2)), cls: 1 };
    const steps = explainRow({
      row: 1,
      line: 2,
      names,
      values: [4, 80],
      model: m,
      activation: 'sigmoid',
      threshold: undefined,
      score,
      label: { column: 'c', value: 'Obese', cls: 1 },
    });
    expect(steps.terms).toEqual([
      { name: 'h', weight: -1.5, input: 4, product: -6 },
      { name: 'w', weight: 0.1, input: 80, product: 0.1 * 80 },
    ]);
    expect(steps.rule).toEqual({ on: 'output', value: score.output, threshold: 0.5, passed: true });
    expect(steps.label).toEqual({ column: 'c', value: 'Obese', correct: true });
  });

  it('tells the rule on z when the output cannot show it (sigmoid rounds to 0.5 for a tiny negative z)', () => {
    const steps = explain(model([1], 0), [-1e-17]);
    expect(steps.activation.output).toBe(0.5);
    expect(steps.rule.on).toBe('z');
    expect(renderSteps(steps)).toContain('z = -1e-17 < 0, so the class is "no"');
  });
});

describe('readable', () => {
  it.each([
    [2, 4, '2'],
    [0.88079707797788, 4, '0.8808'],
    [-0.00001, 4, '0'],
    [1.5, undefined, '1.5'],
    [-0, undefined, '0'],
  ] as const)('%s at %s decimals is %s', (x, d, text) => expect(readable(x, d)).toBe(text));
});

describe('plotActivation', () => {
  it('marks the row on the curve and under the axis', () => {
    const plot = plotActivation('sigmoid', 2).split('\n');
    expect(plot[0]).toMatch(/^ {2}1 ┤/);
    expect(plot.filter((l) => l.includes('●'))).toHaveLength(1);
    // z = 2 on [-6, 6] over 41 columns: column round((2 + 6) / 12 · 40) = 27
    const pointLine = plot.find((l) => l.includes('●')) as string;
    expect([...pointLine].indexOf('●') - [...'  1 ┤'].length).toBe(27);
    expect(plot.at(-2)).toBe('    ▲ z = 2'.padStart(4 + 1 + 27 + 7));
  });
});

describe('explainValues on an encoded two-class model', () => {
  it('takes the inputs already encoded, in weight order, and works them out as for any neuron', () => {
    // inputs (sex=f, sex=m, age) = (0, 1, 30): z = 2·0 + (-1)·1 + 0.1·30 + 0.5 = 2.5; sigmoid(2.5) = 0.924142
    const model = neuronModel({ weights: { 'sex=f': 2, 'sex=m': -1, age: 0.1 }, bias: 0.5, categories: { sex: ['f', 'm'] }, impute: { age: 28 } });
    const steps = explainValues(model, [0, 1, 30]);
    expect(steps.terms.map((t) => [t.name, t.product])).toEqual([
      ['sex=f', 0],
      ['sex=m', -1],
      ['age', 0.1 * 30],
    ]);
    expect(steps.z).toBe(-1 + 0.1 * 30 + 0.5);
    expect(renderSteps(steps)).toContain('sigmoid(z) = 1 / (1 + e^(-2.5)) = 0.9241\n');
    // Without cells there is nothing to say about where a value came from: the inputs are listed on one line.
    expect(renderSteps(steps).split('\n')[0]).toBe('row 1: sex=f = 0, sex=m = 1, age = 30');
  });
});
