import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LayerScore } from '../../src/neuron/layer-scorer.js';
import type { Score } from '../../src/neuron/scorer.js';
import { createRowWriter, drawBar, type FormatName, formatNumber, type OutputSpec, type RowScore } from '../../src/render/formats.js';

const spec: OutputSpec = {
  keepNames: ['id'],
  keepIndices: [0],
  activation: 'sigmoid',
  classes: ['Not Obese', 'Obese'],
  withCorrect: true,
  precision: undefined,
};
const rows: [string[], Score, boolean][] = [
  [['a,1'], { z: 2, output: 0.8807970779778824, cls: 1 }, true],
  [['b"2'], { z: -0.5, output: 0.3775406687981454, cls: 0 }, false],
];

function render(format: FormatName, s: OutputSpec = spec, data: [string[], RowScore, boolean][] = rows): string {
  const writer = createRowWriter(format, s);
  return writer.start() + data.map(([record, score, correct]) => writer.row(record, 0, score, correct)).join('') + writer.end();
}

describe('formatNumber', () => {
  it.each([
    [0.1 + 0.2, undefined, '0.30000000000000004'],
    [2, undefined, '2'],
    [-0, undefined, '0'],
    [1e-7, undefined, '1e-7'],
    [0.8807970779778824, 4, '0.8808'],
    [-0.00001, 4, '0.0000'],
    [2, 2, '2.00'],
  ])('%d with precision %s is %s', (x, precision, text) => {
    expect(formatNumber(x, precision)).toBe(text);
  });

  it('is lossless without a precision: the text reads back as the same double', () => {
    for (const x of [Math.PI, 1 / 3, 5e-324, 1.7976931348623157e308, -123.456e-30]) {
      expect(Number(formatNumber(x, undefined))).toBe(x);
    }
  });
});

describe('row writers', () => {
  it('csv: header, quoted fields where needed, class names, correct', () => {
    expect(render('csv')).toBe('id,z,sigmoid,class,correct\n"a,1",2,0.8807970779778824,Obese,true\n"b""2",-0.5,0.3775406687981454,Not Obese,false\n');
  });

  it('tsv: tab-separated', () => {
    expect(render('tsv')).toBe('id\tz\tsigmoid\tclass\tcorrect\na,1\t2\t0.8807970779778824\tObese\ttrue\n"b""2"\t-0.5\t0.3775406687981454\tNot Obese\tfalse\n');
  });

  it('json: one array of objects, numbers as numbers, classes as strings', () => {
    const text = render('json');
    expect(JSON.parse(text)).toEqual([
      { id: 'a,1', z: 2, sigmoid: 0.8807970779778824, class: 'Obese', correct: true },
      { id: 'b"2', z: -0.5, sigmoid: 0.3775406687981454, class: 'Not Obese', correct: false },
    ]);
  });

  it('json: an empty input is an empty array', () => {
    expect(JSON.parse(render('json', spec, []))).toEqual([]);
  });

  it('ndjson: one object per line', () => {
    const lines = render('ndjson').trimEnd().split('\n');
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      { id: 'a,1', z: 2, sigmoid: 0.8807970779778824, class: 'Obese', correct: true },
      { id: 'b"2', z: -0.5, sigmoid: 0.3775406687981454, class: 'Not Obese', correct: false },
    ]);
  });

  it('json with a precision still parses, with rounded numbers', () => {
    expect(JSON.parse(render('json', { ...spec, precision: 2 }))[0]).toEqual({ id: 'a,1', z: 2, sigmoid: 0.88, class: 'Obese', correct: true });
  });

  it('table: aligned columns, 4 decimals, a bar for the output', () => {
    expect(render('table')).toBe(
      [
        'id         z  sigmoid             class      correct',
        'a,1   2.0000   0.8808 ████████▊   Obese      yes',
        'b"2  -0.5000   0.3775 ███▊        Not Obese  no',
        '',
      ].join('\n'),
    );
  });

  it('reads a record at an offset in a batch of cells', () => {
    const writer = createRowWriter('csv', spec);
    expect(writer.row(['x', 'a,1', 'y'], 1, { z: 2, output: 0.5, cls: 1 }, false)).toBe('"a,1",2,0.5,Obese,false\n');
  });

  it('table: no bar for an unbounded activation', () => {
    const text = render('table', { ...spec, activation: 'identity', keepNames: [], keepIndices: [], withCorrect: false }, [
      [[], { z: 3, output: 3, cls: 1 }, undefined as never],
    ]);
    expect(text).toBe('     z  identity  class\n3.0000    3.0000  Obese\n');
  });
});

describe('row writers for a softmax layer', () => {
  const layer: OutputSpec = { keepNames: ['id'], keepIndices: [0], activation: 'softmax', classes: ['a', 'b,c', 'd'], withCorrect: true, precision: undefined };
  // softmax(1, 2, 0.5) by scipy.special.softmax: [0.2312..., 0.6285..., 0.1402...]; the class is the largest z.
  const score = { z: Float64Array.of(1, 2, 0.5), p: Float64Array.of(0.2312238976221491, 0.6285317192117624, 0.14024438316608848), cls: 1 };
  const layerRows: [string[], LayerScore, boolean][] = [[['r1'], score, true]];

  it('csv: z_<class> for each class, softmax_<class> for each class, then class and correct; names quoted', () => {
    expect(render('csv', layer, layerRows)).toBe(
      'id,z_a,"z_b,c",z_d,softmax_a,"softmax_b,c",softmax_d,class,correct\nr1,1,2,0.5,0.2312238976221491,0.6285317192117624,0.14024438316608848,"b,c",true\n',
    );
  });

  it('ndjson: the same keys, numbers as JSON numbers', () => {
    expect(JSON.parse(render('ndjson', layer, layerRows))).toEqual({
      id: 'r1',
      z_a: 1,
      'z_b,c': 2,
      z_d: 0.5,
      softmax_a: 0.2312238976221491,
      'softmax_b,c': 0.6285317192117624,
      softmax_d: 0.14024438316608848,
      class: 'b,c',
      correct: true,
    });
  });

  it('table: the winning class with its probability and a bar', () => {
    expect(render('table', layer, layerRows)).toBe(['id  softmax             class  correct', 'r1   0.6285 ██████▎     b,c    yes', ''].join('\n'));
  });
});

describe('drawBar', () => {
  it.each([
    [0, '          '],
    [1, '██████████'],
    [0.5, '█████     '],
    [0.0625, '▋         '], // 0.625 of a cell: five eighths
    [0.05, '▌         '],
    [-1, '          '],
    [2, '██████████'],
  ])('%d', (fraction, bar) => {
    expect(drawBar(fraction)).toBe(bar);
  });
});

describe('formatNumber without a precision is String(x)', () => {
  it('on any double, bit patterns included', () => {
    fc.assert(
      fc.property(fc.double(), (x) => formatNumber(x, undefined) === (Object.is(x, -0) ? '0' : String(x))),
      { numRuns: 20000 },
    );
  });
});
