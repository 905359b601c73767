/** `neuron explain`: the arithmetic of a row, step by step, with the activation curve. */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { NeuronError } from '../../errors.js';
import { explainRow, type Steps } from '../../learn/explain.js';
import type { ActivationName } from '../../neuron/activations.js';
import { parseNumberCell } from '../../neuron/numbers.js';
import { type Score, Scorer } from '../../neuron/scorer.js';
import { plotActivation, renderSteps } from '../../render/steps.js';
import { checkInterrupt } from '../input.js';
import { formatFromExtension, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { truthOf, withScoringInput } from '../scoring.js';
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

function parseRow(text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new InvalidArgumentError('expected a row number from 1 (the first row under the header).');
  }
  return Number(text);
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

async function runExplain(world: World, dataPath: string, options: ExplainOptions): Promise<void> {
  if (options.row !== undefined && options.rows !== undefined) {
    throw new NeuronError('usage', '--row and --rows both given', {}, 'use --row N for one row, or --rows A-B for several');
  }
  const range: RowRange = options.rows ?? { first: options.row ?? 1, last: options.row ?? 1 };
  const last = range.last ?? range.first + MAX_OPEN_ROWS - 1;
  const { steps, rowCount } = await withScoringInput(world, dataPath, options, async ({ bound, file, rows }) => {
    const scorer = new Scorer(bound, { activation: options.activation, threshold: options.threshold });
    const found: Steps[] = [];
    let count = 0;
    for await (const row of rows) {
      checkInterrupt(world);
      count++;
      if (count < range.first) continue;
      const score: Score = { z: 0, output: 0, cls: 0 };
      scorer.score(row.record, row.line, file, score);
      const label =
        options.label === undefined
          ? undefined
          : { column: options.label, value: (row.record[bound.labelIndex as number] ?? '').trim(), cls: truthOf(row, bound, options.label, file) };
      found.push(
        explainRow({
          row: count,
          line: row.line,
          names: bound.inputNames,
          values: bound.inputIndices.map((i) => parseNumberCell(row.record[i] as string)),
          model: bound.model,
          activation: scorer.activation,
          threshold: scorer.threshold,
          score,
          label,
        }),
      );
      if (count >= last) break;
    }
    return { steps: found, rowCount: count };
  });
  if (steps.length === 0) {
    throw new NeuronError(
      'usage',
      `there is no row ${range.first}: the data has ${rowCount} row${rowCount === 1 ? '' : 's'}`,
      {},
      'rows count from 1 under the header',
    );
  }
  if (range.last !== undefined && steps.length < range.last - range.first + 1) {
    say(world, `the data ends at row ${rowCount}; explained rows ${range.first}-${rowCount}`);
  } else if (options.rows !== undefined && range.last === undefined && steps.length === MAX_OPEN_ROWS) {
    say(world, `explained ${MAX_OPEN_ROWS} rows, ${range.first}-${last}; give --rows ${range.first}-N for more`);
  }
  const format = options.format ?? formatFromExtension(options.output, explainFormats) ?? 'text';
  const text =
    format === 'json'
      ? `${JSON.stringify(steps, null, 2)}\n`
      : steps.map((s) => renderSteps(s) + (options.plot ? `\n${plotActivation(s.activation.name, s.z, unicodeGraphics(world.env))}` : '')).join('\n');
  await writeText(world, options.output, text);
}
