/** `neuron explain`: the arithmetic of a row, step by step, with the activation curve. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { NeuronError } from '../../errors.js';
import { explainRow, type Steps } from '../../learn/explain.js';
import type { ActivationName } from '../../neuron/activations.js';
import { cellNumber, cellText } from '../../neuron/cells.js';
import { LabelReader } from '../../neuron/labels.js';
import { type Score, Scorer } from '../../neuron/scorer.js';
import { plotActivation, renderSteps } from '../../render/steps.js';
import { eachRow } from '../data.js';
import { formatFromExtension, LABEL_ROLE, parseRow, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { withScoringInput } from '../scoring.js';
import { unicodeGraphics } from '../terminal.js';
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
    .option('--no-plot', 'no activation curve under the text')
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
  const { steps, rowCount } = await withScoringInput(world, dataPath, options, 'neuron explain', async ({ bound, file, data }) => {
    const scorer = new Scorer(bound, { activation: options.activation, threshold: options.threshold });
    const labels = options.label === undefined ? undefined : new LabelReader(bound, options.label, { role: LABEL_ROLE });
    const found: Steps[] = [];
    let count = 0;
    await eachRow(world, data, (records, r) => {
      count++;
      if (count < range.first) return true;
      const score: Score = { z: 0, output: 0, cls: 0 };
      scorer.scoreRow(records, r, file, score);
      const label =
        labels === undefined
          ? undefined
          : { column: options.label ?? '', value: cellText(records, r, labels.index).trim(), cls: labels.truthIn(records, r, file) };
      found.push(
        explainRow({
          row: count,
          line: records.lines[r] as number,
          names: bound.inputNames,
          values: bound.inputIndices.map((i) => cellNumber(records, r, i)),
          model: bound.model,
          activation: scorer.activation,
          threshold: scorer.threshold,
          score,
          label,
        }),
      );
      return count < last;
    });
    return { steps: found, rowCount: count };
  });
  checkFound(world, options, range, steps.length, rowCount);
  await writeText(world, options.output, renderExplained(steps, options, unicodeGraphics(world.env)));
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
function renderExplained(steps: readonly Steps[], options: ExplainOptions, unicode: boolean): string {
  const format = options.format ?? formatFromExtension(options.output, explainFormats) ?? 'text';
  if (format === 'json') return `${JSON.stringify(steps, null, 2)}\n`;
  return steps.map((s) => renderSteps(s) + (options.plot ? `\n${plotActivation(s.activation.name, s.z, unicode)}` : '')).join('\n');
}
