/**
 * `neuron plot`: pictures of the neuron on the data — the decision boundary,
 * the activation with the rows on it, ROC and PR curves, the confusion
 * matrix, and the loss curve of a training history — as SVG, PNG, the
 * Vega-Lite specification, or (activation, roc) text on a terminal.
 */
import { extname } from 'node:path';
import { type Command, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { readHistory } from '../../io/history-file.js';
import { PlotCollector, type PlotData, type PlotRow } from '../../learn/plot-rows.js';
import { type ActivationName, activations } from '../../neuron/activations.js';
import { cellNumber } from '../../neuron/cells.js';
import { LabelReader } from '../../neuron/labels.js';
import { type Score, Scorer } from '../../neuron/scorer.js';
import { activationChart, activationText } from '../../render/charts/activation.js';
import { boundaryChart } from '../../render/charts/boundary.js';
import { confusionChart } from '../../render/charts/confusion.js';
import { prChart, rocChart, rocText, type Scored } from '../../render/charts/curves.js';
import { lossChart } from '../../render/charts/loss.js';
import type { ChartModel } from '../../render/charts/model.js';
import type { Spec } from '../../render/charts/style.js';
import { renderTextChart, type TextChart } from '../../render/text-chart.js';
import { eachRow } from '../data.js';
import { openData } from '../input.js';
import { parseRow, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { withScoringInput } from '../scoring.js';
import type { World } from '../world.js';

export const plotKinds = ['boundary', 'activation', 'roc', 'pr', 'loss', 'confusion'] as const;
export type PlotKind = (typeof plotKinds)[number];
export const pictureFormats = ['svg', 'png', 'vega-lite', 'text'] as const;
export type PictureFormat = (typeof pictureFormats)[number];

/** A softmax layer or an encoded model: plot's pictures are of one neuron over numeric inputs; pictures for k classes are not drawn yet. */
const PLOT_MODEL_WORDING = {
  'unsupported-model': () => ({
    hint: "plot draws a two-class neuron over numeric inputs; neuron explain shows any model's working, a softmax layer's probabilities as bars",
  }),
} as const;

/** The kinds that need --label, and those with a text form for a terminal. */
const LABELLED: ReadonlySet<PlotKind> = new Set(['roc', 'pr', 'confusion']);
const TEXT: ReadonlySet<PlotKind> = new Set(['activation', 'roc']);
const EXTENSIONS: Record<string, PictureFormat> = { '.svg': 'svg', '.png': 'png', '.json': 'vega-lite' };

interface PlotOptions {
  weights?: string;
  kind?: PlotKind;
  label?: string;
  x?: string;
  y?: string;
  row?: number;
  features?: string[];
  activation?: ActivationName;
  threshold?: number;
  format?: PictureFormat;
  delimiter: string;
  header: boolean;
  output?: string;
}

export function plotCommand(program: Command, world: World): void {
  program
    .command('plot')
    .description('draw the neuron on the data: decision boundary, activation, ROC, PR, confusion matrix, or a training history (loss)')
    .argument('<data>', 'CSV file with a header line, or - for standard input (for --kind loss: the history file of train --history)')
    .addOption(shared.weights('weights file (JSON); not for --kind loss'))
    .addOption(new Option('--kind <kind>', 'the picture (default: boundary for a model with two inputs, else activation)').choices(plotKinds))
    .option('--label <column>', 'ground-truth column: colour the rows by it and mark the misclassified (needed by roc, pr, confusion)')
    .option('--x <column>', 'boundary: the input on the x axis (default: the first input)')
    .option('--y <column>', 'boundary: the input on the y axis (default: the second input); other inputs are held at their mean')
    .option('--row <n>', 'activation: highlight this row (1 = the first under the header) with its numbers', parseRow)
    .addOption(shared.features())
    .addOption(shared.activation())
    .addOption(shared.threshold())
    .addOption(
      new Option('--format <format>', 'svg, png, vega-lite (the chart as JSON), text (activation, roc); default: from the -o extension').choices(
        pictureFormats,
      ),
    )
    .addOption(shared.delimiter())
    .addOption(shared.noHeader())
    .addOption(shared.output('write the picture to this file (atomically): .svg, .png or .json (Vega-Lite)'))
    .action(async (data: string, options: PlotOptions) => {
      await runPlot(world, data, options);
    });
}

/** The output format: --format, else the -o extension, else text on a terminal (where there is one) or SVG in a pipe. */
export function chooseFormat(options: Pick<PlotOptions, 'format' | 'output'>, kind: PlotKind | undefined, terminal: boolean): PictureFormat {
  let format = options.format;
  if (format === undefined && options.output !== undefined && options.output !== '-') {
    const extension = extname(options.output).toLowerCase();
    format = Object.hasOwn(EXTENSIONS, extension) ? EXTENSIONS[extension] : undefined;
    if (format === undefined) {
      throw new NeuronError(
        'picture-format',
        `cannot tell the picture format from ${JSON.stringify(options.output)}`,
        {},
        'name the file .svg, .png or .json, or give --format',
      );
    }
  }
  if (format === undefined && terminal) {
    if (kind !== undefined && TEXT.has(kind)) return 'text';
    throw new NeuronError('picture-format', `--kind ${kind ?? 'boundary'} draws a picture, not text`, {}, 'give -o picture.svg or -o picture.png');
  }
  format ??= 'svg';
  if (format === 'text' && (kind === undefined || !TEXT.has(kind))) {
    throw new NeuronError(
      'picture-format',
      `--format text draws only --kind activation or roc, not ${kind ?? 'boundary'}`,
      {},
      'give -o picture.svg or -o picture.png',
    );
  }
  if (format === 'png' && terminal && (options.output === undefined || options.output === '-')) {
    throw new NeuronError('picture-format', 'a PNG would be written to the terminal', {}, 'give -o picture.png, or redirect standard output to a file');
  }
  return format;
}

/** Options that belong to one kind only: given with another, they would be silently ignored. */
function checkKindOptions(options: PlotOptions, kind: PlotKind): void {
  const only = (given: boolean, option: string, wanted: PlotKind) => {
    if (given && kind !== wanted) {
      throw new NeuronError('conflicting-options', `${option} is for --kind ${wanted}, not --kind ${kind}`, {}, `drop ${option}, or give --kind ${wanted}`);
    }
  };
  only(options.row !== undefined, '--row', 'activation');
  only(options.x !== undefined, '--x', 'boundary');
  only(options.y !== undefined, '--y', 'boundary');
  if (kind === 'loss' && options.weights !== undefined) {
    throw new NeuronError('conflicting-options', '--kind loss draws a training history, not weights', {}, 'drop -w, and give the history file as the data');
  }
}

async function runPlot(world: World, dataPath: string, options: PlotOptions): Promise<void> {
  const terminal = world.stdout.isTTY === true && (options.output === undefined || options.output === '-');
  if (options.kind !== undefined) checkKindOptions(options, options.kind);
  if (options.kind === 'loss') {
    const format = chooseFormat(options, 'loss', terminal);
    const input = await openData(world, dataPath);
    const history = await readHistory(input.stream, input.file);
    await writePicture(world, options, format, lossChart(history, input.file), undefined);
    return;
  }
  if (options.weights === undefined)
    throw new NeuronError('missing-option', `--kind ${options.kind ?? 'boundary'} needs the weights`, {}, 'give -w model.json');
  if (options.kind !== undefined && LABELLED.has(options.kind) && options.label === undefined) {
    throw new NeuronError('missing-option', `--kind ${options.kind} needs the true classes`, {}, 'give --label COLUMN');
  }
  // Whether a terminal gets text depends on the kind, which may depend on the model: check what can be checked now.
  if (options.kind !== undefined) chooseFormat(options, options.kind, terminal);
  const { data, model, kind, highlight } = await readPlotData(world, dataPath, options, options.weights).catch((error: unknown) => {
    throw reword(error, PLOT_MODEL_WORDING);
  });
  const format = chooseFormat(options, kind, terminal);
  if (format === 'text') {
    await writePicture(world, options, format, undefined, textOf(kind, data, model));
    return;
  }
  await writePicture(world, options, format, chartOf(kind, data, model, options, highlight), undefined);
}

interface PlotInput {
  readonly data: PlotData;
  readonly model: ChartModel;
  readonly kind: PlotKind;
  readonly highlight: PlotRow | undefined;
}

/** One pass over the data: every row scored and handed to the collector, the --row row kept. */
function readPlotData(world: World, dataPath: string, options: PlotOptions, weights: string): Promise<PlotInput> {
  return withScoringInput(world, dataPath, { ...options, weights }, 'neuron plot', async ({ bound, file, data }) => {
    const scorer = new Scorer(bound, { activation: options.activation, threshold: options.threshold });
    const kind: PlotKind = options.kind ?? (bound.inputNames.length === 2 ? 'boundary' : 'activation');
    checkKindOptions(options, kind);
    const model: ChartModel = {
      model: bound.model,
      names: bound.inputNames,
      activation: scorer.activation,
      threshold: scorer.threshold,
      classes: bound.model.classes,
      probability: activations[scorer.activation].probability,
      label: options.label,
    };
    const labels = options.label === undefined ? undefined : new LabelReader(bound, options.label);
    const collector = new PlotCollector(bound.inputNames.length, LABELLED.has(kind), model.probability);
    const indices = Int32Array.from(bound.inputIndices);
    const values = new Float64Array(indices.length);
    const score: Score = { z: 0, output: 0, cls: 0 };
    let count = 0;
    let highlight: PlotRow | undefined;
    await eachRow(world, data, (records, r) => {
      count++;
      scorer.scoreRow(records, r, file, score);
      // The input values (read again: the Scorer keeps its own) are drawn only by the boundary.
      if (kind === 'boundary') for (let j = 0; j < indices.length; j++) values[j] = cellNumber(records, r, indices[j] as number);
      const truth = labels?.truthIn(records, r, file);
      collector.add(values, score, truth);
      if (count === options.row) highlight = { row: count, values: Array.from(values), z: score.z, output: score.output, predicted: score.cls, truth };
    });
    if (count === 0) throw new NeuronError('no-rows', 'the data has no rows to draw', { file }, 'give at least one row under the header');
    if (options.row !== undefined && highlight === undefined) {
      throw new NeuronError(
        'no-such-row',
        `there is no row ${options.row}: the data has ${count} row${count === 1 ? '' : 's'}`,
        {},
        'rows count from 1 under the header',
      );
    }
    return { data: collector.result(), model, kind, highlight };
  });
}

function scored(data: PlotData): Scored {
  if (data.scores === undefined || data.truths === undefined || data.metrics === undefined) throw new Error('scored() without a label');
  return { scores: data.scores, truths: data.truths, metrics: data.metrics };
}

function chartOf(kind: PlotKind, data: PlotData, model: ChartModel, options: PlotOptions, highlight: PlotRow | undefined): Spec {
  switch (kind) {
    case 'boundary':
      return boundaryChart(data, model, boundaryAxes(model.names, options));
    case 'activation':
      return activationChart(data, model, highlight);
    case 'roc':
      return rocChart(scored(data), model);
    case 'pr':
      return prChart(scored(data), model);
    case 'confusion':
      return confusionChart(scored(data).metrics, model);
    case 'loss':
      throw new Error('a loss picture is drawn from a history, not from data');
  }
}

function textOf(kind: PlotKind, data: PlotData, model: ChartModel): TextChart {
  return kind === 'roc' ? rocText(scored(data), model) : activationText(data, model);
}

/** --x and --y as input indices: the first two inputs unless named. */
function boundaryAxes(names: readonly string[], options: Pick<PlotOptions, 'x' | 'y'>): { x: number; y: number } {
  if (names.length < 2) {
    throw new NeuronError(
      'conflicting-options',
      `--kind boundary needs a model with two inputs or more; this one has ${names.length}`,
      {},
      'use --kind activation',
    );
  }
  const index = (name: string | undefined, option: string, fallback: number) => {
    if (name === undefined) return fallback;
    const i = names.indexOf(name);
    if (i === -1) {
      throw new NeuronError(
        'not-an-input',
        `${option} ${JSON.stringify(name)} is not an input of the model (inputs: ${names.map((n) => JSON.stringify(n)).join(', ')})`,
        {},
        'name one of the inputs',
      );
    }
    return i;
  };
  const x = index(options.x, '--x', options.y === names[0] ? 1 : 0);
  const y = index(options.y, '--y', x === 1 ? 0 : 1);
  if (x === y) throw new NeuronError('conflicting-options', `--x and --y both name ${JSON.stringify(names[x])}`, {}, 'choose two different inputs');
  return { x, y };
}

async function writePicture(world: World, options: PlotOptions, format: PictureFormat, spec: Spec | undefined, text: TextChart | undefined): Promise<void> {
  if (format === 'text' && text !== undefined) {
    await writeText(world, options.output, renderTextChart(text));
    return;
  }
  if (spec === undefined) throw new Error('writePicture without a chart');
  if (format === 'vega-lite') {
    await writeText(world, options.output, `${JSON.stringify(spec, null, 2)}\n`);
    return;
  }
  const { renderSvg, rasterise } = await import('../../io/picture.js');
  const { svg } = await renderSvg(spec);
  await writeText(world, options.output, format === 'png' ? await rasterise(svg) : svg);
}
