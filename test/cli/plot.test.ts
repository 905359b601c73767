/**
 * `neuron plot` run in-process: every kind's Vega-Lite specification
 * validates against the schema that ships with vega-lite, compiles and
 * renders without a warning, and its SVG is well-formed XML with one mark
 * per drawn row; the format rules and every usage or data error.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSvg } from '../../src/io/picture.js';
import { fixture, runInProcess } from '../support/helpers.js';
import { marksOf, parseSvg, schemaErrors } from '../support/pictures.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-plot-'));
const obesity = fixture('obesity.csv');
const weights = fixture('obesity.weights.json');
const base = [obesity, '-w', weights, '--label', 'Condition'];

const history = join(dir, 'history.ndjson');
writeFileSync(
  history,
  `${[0.69, 0.4, 0.2, 0.1, 0.05]
    .map((loss, i) => JSON.stringify({ iteration: i, objective: loss + 0.001, loss, gradientNorm: 0.5 / 10 ** i, accuracy: 0.5 + i / 10, solver: 'newton' }))
    .join('\n')}\n`,
);

async function spec(argv: string[]): Promise<Record<string, unknown>> {
  const result = await runInProcess(['plot', ...argv, '--format', 'vega-lite']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout);
}

const kinds: [string, string[]][] = [
  ['boundary', [...base, '--kind', 'boundary']],
  ['boundary without a label', [obesity, '-w', weights]],
  ['boundary of a standardised model', [obesity, '-w', fixture('obesity.scaled.weights.json'), '--label', 'Condition']],
  ['activation', [...base, '--kind', 'activation', '--row', '1']],
  ['activation with a threshold', [...base, '--kind', 'activation', '--threshold', '0.7']],
  ['roc', [...base, '--kind', 'roc']],
  ['pr', [...base, '--kind', 'pr']],
  ['confusion', [...base, '--kind', 'confusion']],
  ['loss', ['--kind', 'loss', history]],
];

describe.each(kinds)('plot %s', (_, argv) => {
  it('prints a Vega-Lite spec that validates against vega-lite’s schema and renders without a warning', async () => {
    const chart = await spec(argv);
    expect(schemaErrors(chart)).toEqual([]);
    const { svg, warnings } = await renderSvg(chart);
    expect(warnings).toEqual([]);
    expect(() => parseSvg(svg)).not.toThrow();
  }, 120_000);
});

describe('the SVG has one mark per drawn row', () => {
  it.each([
    ['boundary', 'rows', 14],
    ['activation', 'rows', 14],
    ['boundary', 'boundary', 1],
    ['confusion', 'cells', 4],
  ])(
    '--kind %s: %s has %i marks',
    async (kind, layer, count) => {
      const out = join(dir, `${kind}-${layer}.svg`);
      const result = await runInProcess(['plot', ...base, '--kind', kind, '-o', out]);
      expect(result).toEqual({ stdout: '', stderr: '', code: 0 });
      expect(marksOf(readFileSync(out, 'utf8'), layer)).toHaveLength(count);
    },
    120_000,
  );

  it('draws a deterministic sample of 2,000 rows beyond that, and says so', async () => {
    const rows = Array.from({ length: 5000 }, (_, i) => `${4 + (i % 23) / 10},${40 + (i % 81)},${i % 3 === 0 ? 'Obese' : 'Not Obese'}`);
    const big = join(dir, 'big.csv');
    writeFileSync(big, `Height (in feet),Weight (in kgs),Condition\n${rows.join('\n')}\n`);
    const runs = await Promise.all([1, 2].map(() => runInProcess(['plot', big, '-w', weights, '--label', 'Condition', '--format', 'svg'])));
    const svg = runs[0]?.stdout ?? '';
    expect(marksOf(svg, 'rows')).toHaveLength(2000);
    expect(svg).toContain('a random sample of 2,000 of 5,000 rows drawn');
    expect(runs[1]?.stdout).toBe(svg);
  }, 120_000);

  it('names the inputs held at their mean for a model with more than two inputs', async () => {
    const data = join(dir, 'three.csv');
    writeFileSync(data, 'a,b,c\n1,2,3\n3,4,5\n');
    const w = join(dir, 'three.json');
    writeFileSync(w, JSON.stringify({ features: ['a', 'b', 'c'], weights: [1, -1, 2], bias: 0 }));
    const chart = await spec([data, '-w', w, '--kind', 'boundary', '--x', 'c', '--y', 'a']);
    const title = chart.title as { subtitle: string[] };
    expect(title.subtitle).toContain('other inputs held at their mean: b = 3');
    // z = a - b + 2c with b = 3: on x = c, y = a the line is 2x + y - 3 = 0.
    expect(title.subtitle[0]).toBe('boundary 2·x + 1·y - 3 = 0, with x = c, y = a');
  });
});

describe('a boundary outside the data', () => {
  it('says so when the line misses the view: the README’s random weights put every row on the "Obese" side', async () => {
    const w = join(dir, 'random.json');
    writeFileSync(w, JSON.stringify({ weights: [-0.3548541309195532, 1.2748125697609727], bias: 0, classes: ['Not Obese', 'Obese'] }));
    const chart = await spec([obesity, '-w', w, '--label', 'Condition']);
    // z = -0.35 h + 1.27 w is 0 at w = 0.28 h: about 1.7 kg at the tallest row, far below the axis.
    expect((chart.title as { subtitle: string[] }).subtitle[1]).toBe(
      'class "Obese" where z >= 0; the line lies outside this view (every point of it is one class)',
    );
    expect((chart.layer as { name?: string }[]).map((l) => l.name)).toEqual(['field', 'rows']);
  });
});

describe('formats', () => {
  it('writes PNG for -o .png and SVG for -o .svg', async () => {
    const png = join(dir, 'b.png');
    const svg = join(dir, 'b.svg');
    expect((await runInProcess(['plot', ...base, '-o', png])).code).toBe(0);
    expect((await runInProcess(['plot', ...base, '-o', svg])).code).toBe(0);
    expect(readFileSync(png).subarray(1, 4).toString()).toBe('PNG');
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg /);
  }, 120_000);

  it('prints SVG in a pipe, and a text chart for activation and roc on a terminal', async () => {
    expect((await runInProcess(['plot', ...base])).stdout).toMatch(/^<svg /);
    const activation = await runInProcess(['plot', ...base, '--kind', 'activation'], { stdoutIsTTY: true });
    expect(activation.code).toBe(0);
    expect(activation.stdout).toContain('The sigmoid of z, with the rows on it (all 14 rows drawn)');
    expect(activation.stdout.split('●').length - 1).toBeGreaterThan(0);
    const roc = await runInProcess(['plot', ...base, '--kind', 'roc'], { stdoutIsTTY: true });
    expect(roc.stdout).toContain('ROC curve of "Obese" (AUC = 1)');
  }, 120_000);

  it('refuses bad combinations with a usage error (exit 2)', async () => {
    const cases: [string[], string, boolean?][] = [
      [[...base], 'neuron: --kind boundary draws a picture, not text — give -o picture.svg or -o picture.png\n', true],
      [[...base, '--format', 'png'], 'neuron: a PNG would be written to the terminal — give -o picture.png, or redirect standard output to a file\n', true],
      [
        [...base, '-o', join(dir, 'x.gif')],
        `neuron: cannot tell the picture format from ${JSON.stringify(join(dir, 'x.gif'))} — name the file .svg, .png or .json, or give --format\n`,
      ],
      [
        [...base, '--kind', 'confusion', '--format', 'text'],
        'neuron: --format text draws only --kind activation or roc, not confusion — give -o picture.svg or -o picture.png\n',
      ],
      [[obesity, '-w', weights, '--kind', 'roc'], 'neuron: --kind roc needs the true classes — give --label COLUMN\n'],
      [[obesity, '--kind', 'boundary'], 'neuron: --kind boundary needs the weights — give -w model.json\n'],
      [[...base, '--x', 'Age'], 'neuron: --x "Age" is not an input of the model (inputs: "Height (in feet)", "Weight (in kgs)") — name one of the inputs\n'],
      [[...base, '--x', 'Weight (in kgs)', '--y', 'Weight (in kgs)'], 'neuron: --x and --y both name "Weight (in kgs)" — choose two different inputs\n'],
      [[...base, '--kind', 'activation', '--row', '15'], 'neuron: there is no row 15: the data has 14 rows — rows count from 1 under the header\n'],
    ];
    for (const [argv, stderr, tty] of cases) {
      const result = await runInProcess(['plot', ...argv], { stdoutIsTTY: tty ?? false });
      expect({ argv, stderr: result.stderr, code: result.code }).toEqual({ argv, stderr, code: 2 });
    }
  });

  it('reports a bad history line with its file and line (exit 1)', async () => {
    const bad = join(dir, 'bad.ndjson');
    writeFileSync(bad, '{"iteration":0,"objective":0.7}\n{"iteration":1,"objective":null}\n');
    const result = await runInProcess(['plot', '--kind', 'loss', bad, '-o', join(dir, 'loss.svg')]);
    expect(result.stderr).toBe(
      `neuron: ${bad}:2: objective: expected a finite number, got null — a history file is what \`neuron train --history FILE\` writes: one JSON object per line\n`,
    );
    expect(result.code).toBe(1);
  });
});

describe('options of one kind only, and names that need escaping', () => {
  it.each([
    [['--kind', 'roc', '--row', '2'], 'neuron: --row is for --kind activation, not --kind roc — drop --row, or give --kind activation\n'],
    [['--row', '2'], 'neuron: --row is for --kind activation, not --kind boundary — drop --row, or give --kind activation\n'],
    [['--kind', 'activation', '--x', 'Weight (in kgs)'], 'neuron: --x is for --kind boundary, not --kind activation — drop --x, or give --kind boundary\n'],
  ])('refuses %j (exit 2)', async (extra, stderr) => {
    const result = await runInProcess(['plot', ...base, ...extra, '-o', join(dir, 'never.svg')]);
    expect({ stderr: result.stderr, code: result.code }).toEqual({ stderr, code: 2 });
  });

  it('refuses weights with --kind loss', async () => {
    const result = await runInProcess(['plot', '--kind', 'loss', history, '-w', weights, '-o', join(dir, 'never.svg')]);
    expect(result.stderr).toBe('neuron: --kind loss draws a training history, not weights — drop -w, and give the history file as the data\n');
    expect(result.code).toBe(2);
  });

  it('writes column and class names with markup as text: the SVG stays well-formed and shows them as written', async () => {
    // (A name with a control character is refused before any command sees it: see the Input rules.)
    const data = join(dir, 'markup.csv');
    writeFileSync(data, '"<b>&""x",y,label\n1,2,</svg>\n2,1,ok\n3,0,ok\n');
    const w = join(dir, 'markup.json');
    writeFileSync(w, JSON.stringify({ features: ['<b>&"x', 'y'], weights: [1, -1], bias: 0, classes: ['</svg>', 'ok'] }));
    const svg = await runInProcess(['plot', data, '-w', w, '--label', 'label', '--format', 'svg']);
    expect(svg.code).toBe(0);
    const document = parseSvg(svg.stdout);
    const texts = Array.from(document.getElementsByTagName('text')).map((t) => t.textContent);
    expect(texts).toContain('<b>&"x');
    expect(texts).toContain('</svg>');
    const text = await runInProcess(['plot', data, '-w', w, '--label', 'label', '--kind', 'activation', '--format', 'text']);
    expect(text.stdout).toContain('○ </svg>');
  }, 120_000);
});
