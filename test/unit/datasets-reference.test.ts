/**
 * The bundled data sets against scikit-learn (fixtures/reference/datasets.json,
 * written by datasets_reference.py): a weights file holding the reference's
 * coefficients, categories, fills and scaling, scored on the raw CSV by the
 * scorers, gives scikit-learn's probabilities. This pins the encoding rules
 * (one-hot of every category, fills for missing cells, an unknown category
 * as all zeros) to ColumnTransformer's, and the softmax to
 * LogisticRegression's, independently of training.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NeuronError } from '../../src/errors.js';
import { bindModel } from '../../src/neuron/columns.js';
import { LayerScorer, layerScore } from '../../src/neuron/layer-scorer.js';
import { isSoftmax, parseModel, type SoftmaxModel } from '../../src/neuron/model.js';
import { type Score, Scorer } from '../../src/neuron/scorer.js';
import { fixture, neuronModel } from '../support/helpers.js';

interface PassengerCase {
  name: string;
  C?: number;
  features: string[];
  categories: Record<string, string[]>;
  impute: Record<string, number | string>;
  weights?: Record<string, number>;
  bias?: number;
  probabilities: Record<string, { file: string; p1: number[] }>;
}

interface SoftmaxCase {
  name: string;
  file: string;
  label: string;
  classes: string[];
  features: string[];
  weights: number[][];
  bias: number[];
  scaling?: { mean: number[]; std: number[] };
  probabilities: { training: { p: number[][] } };
}

const reference = JSON.parse(readFileSync(fixture('reference/datasets.json'), 'utf8')) as { cases: (PassengerCase | SoftmaxCase)[] };
const passengerCases = reference.cases.filter((c): c is PassengerCase => c.name.startsWith('passengers'));
const softmaxCases = reference.cases.filter((c): c is SoftmaxCase => !c.name.startsWith('passengers'));

/** A fixture CSV (these have no quoted fields): the header, and each record with its line number. */
function readCsv(path: string): { header: string[]; rows: { cells: string[]; line: number }[] } {
  const [header, ...lines] = readFileSync(fixture(path.replace(/^fixtures\//, '')), 'utf8')
    .trimEnd()
    .split('\n');
  return { header: (header as string).split(','), rows: lines.map((text, i) => ({ cells: text.split(','), line: i + 2 })) };
}

describe('the passenger pipelines (SimpleImputer + OneHotEncoder + LogisticRegression, C=1)', () => {
  const penalised = passengerCases.filter((c) => c.weights !== undefined);
  it('has the cases the docstring lists', () => {
    expect(passengerCases.map((c) => c.name)).toEqual([
      'passengers, impute mean, unpenalised',
      'passengers, impute mean, C=1',
      'passengers, impute median, unpenalised',
      'passengers, impute median, C=1',
    ]);
    expect(penalised).toHaveLength(2);
  });

  describe.each(penalised)('$name', (c) => {
    const model = neuronModel({ weights: c.weights, bias: c.bias, categories: c.categories, impute: c.impute });

    it.each(['training', 'holdout', 'unseen'])('scores the %s rows as scikit-learn, missing cells filled', (set) => {
      const expected = c.probabilities[set] as { file: string; p1: number[] };
      const { header, rows } = readCsv(expected.file);
      const scorer = new Scorer(bindModel(model, header, { label: 'survived' }), { unknown: 'zero' });
      const into: Score = { z: 0, output: 0, cls: 0 };
      const got = rows.map(({ cells, line }) => scorer.score(cells, line, expected.file, into)?.output);
      expect(got).toHaveLength(expected.p1.length);
      got.forEach((p, i) => {
        expect(p).toBeCloseTo(expected.p1[i] as number, 12);
      });
    });

    it('refuses the unseen port "B" by default, naming the place', () => {
      const { header, rows } = readCsv('fixtures/passengers-unseen.csv');
      const scorer = new Scorer(bindModel(model, header, { label: 'survived' }));
      const first = rows[0] as { cells: string[]; line: number };
      let error: unknown;
      try {
        scorer.score(first.cells, first.line, 'passengers-unseen.csv', { z: 0, output: 0, cls: 0 });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(NeuronError);
      expect((error as NeuronError).reason).toBe('unknown-category');
      expect((error as NeuronError).where).toMatchObject({ file: 'passengers-unseen.csv', line: 2, column: 4 });
    });
  });

  it('mean and median imputation give different probabilities (the fills matter)', () => {
    const [mean, median] = penalised as [PassengerCase, PassengerCase];
    expect(mean.impute.age).not.toBe(median.impute.age);
    const [a, b] = [mean, median].map((c) => c.probabilities.holdout?.p1 ?? []) as [number[], number[]];
    expect(a).toHaveLength(60);
    const gap = Math.max(...a.map((p, i) => Math.abs(p - (b[i] as number))));
    expect(gap).toBeGreaterThan(1e-5);
  });
});

describe.each(softmaxCases)('$name (LogisticRegression multinomial)', (c) => {
  it('scores the training rows as scikit-learn', () => {
    const model = parseModel({
      features: c.features,
      weights: c.weights,
      bias: c.bias,
      activation: 'softmax',
      classes: c.classes,
      ...(c.scaling === undefined ? {} : { scaling: c.scaling }),
    });
    expect(isSoftmax(model)).toBe(true);
    const { header, rows } = readCsv(c.file);
    const scorer = new LayerScorer(bindModel(model as SoftmaxModel, header, { label: c.label }));
    const into = layerScore(c.classes.length);
    rows.forEach(({ cells, line }, i) => {
      const score = scorer.score(cells, line, c.file, into);
      const expected = c.probabilities.training.p[i] as number[];
      expected.forEach((p, k) => {
        expect(score?.p[k]).toBeCloseTo(p, 12);
      });
      expect(score?.cls).toBe(expected.indexOf(Math.max(...expected)));
    });
  });
});
