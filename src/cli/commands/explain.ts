/** `neuron explain`: the arithmetic of a row, step by step, with the activation curve. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { type AnySteps, explainLayer, explainRow, isLayerSteps } from '../../learn/explain.js';
import type { ActivationName } from '../../neuron/activations.js';
import { cellText, type Records } from '../../neuron/cells.js';
import { RowEncoder } from '../../neuron/encoding.js';
import { LabelReader } from '../../neuron/labels.js';
import { LayerScorer, layerScore } from '../../neuron/layer-scorer.js';
import { type AnyModel, isEncoded, isSoftmax } from '../../neuron/model.js';
import { type Score, Scorer } from '../../neuron/scorer.js';
import { plotActivation, plotProbabilities, renderSteps } from '../../render/steps.js';
import { eachRow } from '../data.js';
import { formatFromExtension, LABEL_ROLE, parseRow, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { type ScoringInput, withBoundInput } from '../scoring.js';
import { unicodeGraphics } from '../terminal.js';
import { loadWeights, weightsName } from '../weights.js';
import { say, type World } from '../world.js';

const explainFormats = ['text', 'json'] as const;
type ExplainFormat = (typeof explainFormats)[number];

interface ExplainOptions {
  weights: string;
  row?: number;
  rows?: RowRange;
  label?: string;
  features?: string[];
  activation?: ActivationName;
  threshold?: number;
  classes?: [string, string];
  format?: ExplainFormat;
  plot: boolean;
  delimiter: string;
  header: boolean;
  output?: string;
}

/** Rows shown when --rows has no end. */
export const MAX_OPEN_ROWS = 20;

interface RowRange {
  readonly first: number;
  /** Undefined: to the end of the data, at most MAX_OPEN_ROWS rows. */
  readonly last: number | undefined;
}

function parseRowRange(text: string): RowRange {
  const match = /^(\d+)-(\d*)$/.exec(text);
  if (match === null) throw new InvalidArgumentError('expected a range such as 1-5, or 3- for row 3 onwards.');
  const first = parseRow(match[1] ?? '');
  const last = match[2] === '' || match[2] === undefined ? undefined : parseRow(match[2]);
  if (last !== undefined && last < first) throw new InvalidArgumentError(`the range ends (${last}) before it starts (${first}).`);
  return { first, last };
}

export function explainCommand(program: Command, world: World): void {
  program
    .command('explain')
    .description('show the arithmetic of a row step by step: z = w·x + b, the activation, the class, and the curve')
    .argument('<data>', 'CSV file with a header line, or - for standard input')
    .addOption(shared.weights().makeOptionMandatory())
    .option('--row <n>', 'the row to explain, 1 = the first under the header (default: 1)', parseRow)
    .option('--rows <a-b>', `a range of rows, such as 2-5; "a-" runs to the end, at most ${MAX_OPEN_ROWS} rows`, parseRowRange)
    .option('--label <column>', 'ground-truth column: say whether the class is correct')
    .addOption(shared.features())
    .addOption(shared.activation())
    .addOption(shared.threshold())
    .addOption(shared.classes())
    .addOption(
      new Option('--format <format>', 'text for people, json for the steps as data (default: json for an -o file ending in .json, else text)').choices(
        explainFormats,
      ),
    )
    .option('--no-plot', "no plot under the text (the activation curve, or a softmax layer's probabilities as bars)")
    .addOption(shared.delimiter())
    .addOption(shared.noHeader())
    .addOption(shared.output())
    .action(async (data: string, options: ExplainOptions) => {
      await runExplain(world, data, options);
    });
}

/** The last row to explain: the range's end, or MAX_OPEN_ROWS rows on. */
const lastRow = (range: RowRange) => range.last ?? range.first + MAX_OPEN_ROWS - 1;

/** The rows asked for, from --row or --rows (default: row 1). */
function rowRange(options: ExplainOptions): RowRange {
  if (options.row !== undefined && options.rows !== undefined) {
    throw new NeuronError('conflicting-options', '--row and --rows both given', {}, 'use --row N for one row, or --rows A-B for several');
  }
  return options.rows ?? { first: options.row ?? 1, last: options.row ?? 1 };
}

async function runExplain(world: World, dataPath: string, options: ExplainOptions): Promise<void> {
  const range = rowRange(options);
  const last = lastRow(range);
  const model = await loadWeights(world, options.weights, dataPath);
  if (options.classes !== undefined) refuseClasses(model, weightsName(options.weights));
  const { steps, rowCount } = await withBoundInput(world, dataPath, options, model, async (input) => {
    const explain = rowExplainer(input, options);
    const found: AnySteps[] = [];
    let count = 0;
    await eachRow(world, input.data, (records, r) => {
      count++;
      if (count < range.first) return true;
      found.push(explain(records, r, count));
      return count < last;
    });
    return { steps: found, rowCount: count };
  }).catch((error: unknown) => {
    throw reword(error, EXPLAIN_WORDING);
  });
  checkFound(world, options, range, steps.length, rowCount);
  await writeText(world, options.output, renderExplained(steps, options, unicodeGraphics(world.env)));
}

/** explain has no --unknown (eval's): a category the model does not know is only to be fixed. */
const EXPLAIN_WORDING = { 'unknown-category': () => ({ hint: 'fix the cell, or explain another row' }) } as const;

type RowExplainer = (records: Records, r: number, row: number) => AnySteps;

/**
 * The working of record `r` (data row `row`): the scorer's numbers (the same
 * as eval's), and the inputs as the model's encoding reads them before
 * scaling, with the cells they came from.
 */
function rowExplainer({ bound, file }: ScoringInput<AnyModel>, options: ExplainOptions): RowExplainer {
  const labels = options.label === undefined ? undefined : new LabelReader(bound, options.label, { role: LABEL_ROLE });
  const model = bound.model;
  const unscaled = new RowEncoder({ ...bound, model: { ...model, scaling: undefined } });
  const x = new Float64Array(unscaled.width);
  const rowOf = (records: Records, r: number, row: number) => {
    unscaled.encodeRow(records, r, file, x);
    return {
      row,
      line: records.lines[r] as number,
      names: bound.inputNames,
      values: Array.from(x),
      cells: isEncoded(model) ? bound.inputIndices.map((i) => cellText(records, r, i)) : undefined,
    };
  };
  const labelOf = (records: Records, r: number) =>
    labels === undefined ? undefined : { column: options.label ?? '', value: cellText(records, r, labels.index).trim(), cls: labels.classIn(records, r, file) };
  if (isSoftmax(model)) {
    refuseOverrides(options, model.classes.length);
    const scorer = new LayerScorer({ ...bound, model });
    const score = layerScore(scorer.k);
    return (records, r, row) => {
      scorer.scoreRow(records, r, file, score);
      return explainLayer({ ...rowOf(records, r, row), model, score, label: labelOf(records, r) });
    };
  }
  const scorer = new Scorer({ ...bound, model }, { activation: options.activation, threshold: options.threshold });
  const score: Score = { z: 0, output: 0, cls: 0 };
  return (records, r, row) => {
    scorer.scoreRow(records, r, file, score);
    return explainRow({ ...rowOf(records, r, row), model, activation: scorer.activation, threshold: scorer.threshold, score, label: labelOf(records, r) });
  };
}

/** --classes names two classes: a softmax layer of more than two keeps its own. */
function refuseClasses(model: AnyModel, file: string): void {
  if (!isSoftmax(model) || model.classes.length === 2) return;
  throw new NeuronError(
    'conflicting-options',
    `--classes names two classes, but the model is a softmax layer of ${model.classes.length} (${model.classes.map((name) => JSON.stringify(name)).join(', ')})`,
    { file },
    'drop --classes, or set "classes" in the weights file',
  );
}

/** --activation and --threshold belong to one neuron: a softmax layer takes the largest z. */
function refuseOverrides(options: ExplainOptions, k: number): void {
  const given = options.activation !== undefined ? '--activation' : options.threshold !== undefined ? '--threshold' : undefined;
  if (given === undefined) return;
  throw new NeuronError(
    'conflicting-options',
    `${given} does not apply to a softmax model (${k} classes)`,
    {},
    `a softmax layer picks the class with the largest z; drop ${given}`,
  );
}

/** No row found is an error; fewer rows than asked for, or the cap of an open range, a note on stderr. */
function checkFound(world: World, options: ExplainOptions, range: RowRange, found: number, rowCount: number): void {
  if (found === 0) {
    throw new NeuronError(
      'no-such-row',
      `there is no row ${range.first}: the data has ${rowCount} row${rowCount === 1 ? '' : 's'}`,
      {},
      'rows count from 1 under the header',
    );
  }
  if (range.last !== undefined && found < range.last - range.first + 1) {
    say(world, `the data ends at row ${rowCount}; explained rows ${range.first}-${rowCount}`);
  } else if (options.rows !== undefined && range.last === undefined && found === MAX_OPEN_ROWS) {
    say(world, `explained ${MAX_OPEN_ROWS} rows, ${range.first}-${lastRow(range)}; give --rows ${range.first}-N for more`);
  }
}

/** The steps as JSON (also for an -o file ending in .json), or as text with the plot under each row. */
function renderExplained(steps: readonly AnySteps[], options: ExplainOptions, unicode: boolean): string {
  const format = options.format ?? formatFromExtension(options.output, explainFormats) ?? 'text';
  if (format === 'json') return `${JSON.stringify(steps, null, 2)}\n`;
  return steps.map((s) => renderSteps(s) + (options.plot ? `\n${plotOf(s, unicode)}` : '')).join('\n');
}

/** The plot under a row: the activation curve with its z, or a softmax layer's probabilities as bars. */
function plotOf(steps: AnySteps, unicode: boolean): string {
  if (isLayerSteps(steps))
    return plotProbabilities(
      steps.layer.map((neuron) => neuron.class),
      steps.softmax.probabilities,
      steps.classIndex,
      unicode,
    );
  return plotActivation(steps.activation.name, steps.z, unicode);
}
