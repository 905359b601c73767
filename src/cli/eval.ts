/** `neuron eval`: score every row of a CSV with a neuron. */
import { Chalk } from 'chalk';
import { type Command, Option } from 'commander';
import { type ActivationName, activationNames } from '../core/activations.js';
import { NeuronError } from '../core/errors.js';
import { createRowWriter, type FormatName, formatNames, type OutputSpec, type TableStyle } from '../core/format.js';
import { DEFAULT_SCHEME, randomWeights } from '../core/init.js';
import { formatMetrics, MetricsAccumulator, metricsToJson } from '../core/metrics.js';
import { DEFAULT_CLASSES, formatModel, type Model } from '../core/model.js';
import { type MissingPolicy, missingPolicies } from '../core/numbers.js';
import { type BoundModel, bindModel, type Columns, labelClass, type Score, Scorer } from '../core/score.js';
import { readCsv } from '../io/csv.js';
import { readWeightsFile } from '../io/files.js';
import { checkInterrupt, openData } from './input.js';
import { parseClasses, parseDelimiter, parseFiniteNumber, parseList, parsePrecision, parseSeed } from './options.js';
import { openOutput, writeText } from './output-target.js';
import { say, type World } from './world.js';

interface EvalOptions {
  weights?: string;
  seed?: number;
  saveWeights?: string;
  features?: string[];
  keep?: string[];
  label?: string;
  metrics?: string;
  activation?: ActivationName;
  threshold?: number;
  classes?: [string, string];
  format?: FormatName;
  precision?: number;
  delimiter: string;
  header: boolean;
  output?: string;
  color: boolean;
  missing: MissingPolicy;
  strict?: boolean;
}

/** How many skipped line numbers are listed on stderr. */
const SKIPPED_SHOWN = 5;

export function evalCommand(program: Command, world: World): void {
  program
    .command('eval')
    .description('score every row of a CSV: z = w·x + b, the activation output and the class')
    .argument('<data>', 'CSV file with a header line, or - for standard input')
    .option('-w, --weights <file>', 'weights file (JSON)')
    .option('--seed <n>', 'no weights file: random weights from this seed (as random-init)', parseSeed)
    .option('--save-weights <file>', 'with --seed: write the random weights to this file')
    .option('--features <columns>', 'input columns, comma-separated, in weight order', parseList)
    .option('--keep <columns>', 'columns to copy to the output, comma-separated', parseList)
    .option('--label <column>', 'ground-truth column: adds "correct" and prints the accuracy')
    .option('--metrics <file>', 'with --label: write the metrics (as `neuron metrics`) to this file as JSON')
    .addOption(new Option('--activation <name>', 'override the activation').choices(activationNames))
    .option('--classes <names>', 'override the two class names, comma-separated (e.g. "Not Obese,Obese")', parseClasses)
    .option('--threshold <t>', 'class 1 iff the activation output >= t (default: iff z >= 0)', parseFiniteNumber)
    .addOption(new Option('--format <format>', 'output format (default: table on a terminal, else csv)').choices(formatNames))
    .option('--precision <digits>', 'round numbers to this many decimals (default: exact)', parsePrecision)
    .option('--delimiter <char>', 'input field delimiter', parseDelimiter, ',')
    .option('--no-header', 'the data has no header line: columns are named 1, 2, 3, ...')
    .option('-o, --output <file>', 'write to this file (atomically) instead of standard output')
    .option('--no-color', 'no colour in the table (also: NO_COLOR=1)')
    .addOption(new Option('--missing <policy>', 'a missing value (empty, NA, NaN, null, None) in an input').choices(missingPolicies).default('error'))
    .option('--strict', 'with --missing skip: exit 1 if any row was skipped')
    .action(async (data: string, options: EvalOptions) => {
      await runEval(world, data, options);
    });
}

/** Format when --format is not given: from the -o extension, else table on a terminal, csv in a pipe. */
function chooseFormat(world: World, options: EvalOptions): FormatName {
  if (options.format !== undefined) return options.format;
  const extension = /\.([a-z]+)$/i.exec(options.output ?? '')?.[1]?.toLowerCase();
  if (extension === 'jsonl') return 'ndjson';
  if (extension !== undefined && (formatNames as readonly string[]).includes(extension) && extension !== 'table') {
    return extension as FormatName;
  }
  return options.output === undefined && world.stdout.isTTY === true ? 'table' : 'csv';
}

/** chalk level for the table: --no-color and NO_COLOR win, then FORCE_COLOR, then whether stdout is a terminal. */
function colorLevel(world: World, options: EvalOptions): 0 | 1 | 2 | 3 {
  const { NO_COLOR, FORCE_COLOR } = world.env;
  if (!options.color || (NO_COLOR !== undefined && NO_COLOR !== '')) return 0;
  if (FORCE_COLOR !== undefined) {
    if (FORCE_COLOR === '0' || FORCE_COLOR === 'false') return 0;
    const level = Number(FORCE_COLOR);
    return level === 2 || level === 3 ? level : 1;
  }
  return options.output === undefined && world.stdout.isTTY === true ? 1 : 0;
}

function tableStyle(level: 0 | 1 | 2 | 3): TableStyle {
  const chalk = new Chalk({ level });
  return {
    header: (t) => chalk.bold(t),
    class0: (t) => chalk.blue(t),
    class1: (t) => chalk.magenta(t),
    bar: (t) => chalk.dim(t),
    correct: (ok, t) => (ok ? chalk.green(t) : chalk.red(t)),
  };
}

/** Random weights over the input columns, announced on stderr so the run can be repeated. */
async function randomModel(world: World, seed: number, columns: Columns, options: EvalOptions): Promise<Model> {
  const excluded = new Set([...(options.keep ?? []), ...(options.label === undefined ? [] : [options.label])]);
  const features = options.features ?? columns.names.filter((name) => !excluded.has(name));
  const model: Model = {
    features,
    weights: randomWeights(features.length, seed, DEFAULT_SCHEME),
    bias: 0,
    activation: options.activation ?? 'sigmoid',
    classes: options.classes ?? DEFAULT_CLASSES,
    threshold: undefined,
    init: { seed, scheme: DEFAULT_SCHEME, generator: 'mt19937' },
  };
  const listed = features.map((name, i) => `${JSON.stringify(name)} ${model.weights[i]}`).join(', ');
  if (options.saveWeights !== undefined) {
    await writeText(world, options.saveWeights, formatModel(model));
    say(world, `random weights from --seed ${seed} (${DEFAULT_SCHEME}): ${listed}, bias 0; saved to ${options.saveWeights}`);
  } else {
    say(world, `random weights from --seed ${seed} (${DEFAULT_SCHEME}): ${listed}, bias 0 (--save-weights FILE keeps them)`);
  }
  return model;
}

function checkSources(options: EvalOptions): void {
  if (options.weights !== undefined && options.seed !== undefined) {
    throw new NeuronError('usage', '--weights and --seed both given', {}, 'use --weights for a weights file, or --seed for random weights, not both');
  }
  if (options.weights === undefined && options.seed === undefined) {
    throw new NeuronError('usage', 'no weights', {}, 'give --weights FILE, or --seed N for random weights');
  }
  if (options.strict === true && options.missing !== 'skip') {
    throw new NeuronError('usage', '--strict only goes with --missing skip', {}, 'add --missing skip, or drop --strict');
  }
  if (options.saveWeights !== undefined && options.seed === undefined) {
    throw new NeuronError('usage', '--save-weights only goes with --seed', {}, 'drop --save-weights; the weights file already holds the weights');
  }
}

async function runEval(world: World, dataPath: string, options: EvalOptions): Promise<void> {
  checkSources(options);
  if (options.metrics !== undefined && options.label === undefined) {
    throw new NeuronError('usage', '--metrics needs --label', {}, 'name the ground-truth column with --label');
  }
  const loaded = options.weights === undefined ? undefined : await readWeightsFile(options.weights);
  const input = await openData(world, dataPath);
  const rows = readCsv(input.stream, { file: input.file, delimiter: options.delimiter });
  const abort = () => input.stream.destroy(new NeuronError('interrupted', 'interrupted'));
  world.signal?.addEventListener('abort', abort, { once: true });
  try {
    const first = await rows.next();
    if (first.done === true) {
      throw new NeuronError('data', 'the data is empty: no header line', { file: input.file }, 'the first line must name the columns');
    }
    const columns: Columns = options.header
      ? { names: first.value.record, fromHeader: true }
      : { names: first.value.record.map((_, i) => String(i + 1)), fromHeader: false };
    const source = loaded ?? (await randomModel(world, options.seed ?? 0, columns, options));
    const model = options.classes === undefined ? source : { ...source, classes: options.classes };
    const bound = bindModel(model, columns, {
      features: options.features,
      keep: options.keep,
      label: options.label,
      weightsFile: options.weights,
      dataFile: input.file,
    });
    const scorer = new Scorer(bound, { activation: options.activation, threshold: options.threshold, missing: options.missing });
    const headerRows = options.header ? [] : [first.value];
    await scoreRows(world, options, bound, scorer, input.file, headerRows, rows);
  } finally {
    world.signal?.removeEventListener('abort', abort);
    await rows.return(undefined);
  }
}

async function scoreRows(
  world: World,
  options: EvalOptions,
  bound: BoundModel,
  scorer: Scorer,
  file: string,
  firstRows: { record: string[]; line: number }[],
  rest: AsyncIterable<{ record: string[]; line: number }>,
): Promise<void> {
  const format = chooseFormat(world, options);
  const { model, keepIndices, labelIndex } = bound;
  const spec: OutputSpec = {
    keepNames: options.keep ?? [],
    keepIndices,
    activation: scorer.activation,
    classes: model.classes,
    withCorrect: labelIndex !== undefined,
    precision: options.precision,
  };
  const writer = createRowWriter(format, spec, tableStyle(colorLevel(world, options)));
  const target = await openOutput(world, options.output);
  const { sink } = target;
  const score: Score = { z: 0, output: 0, cls: 0 };
  let rowCount = 0;
  let correctCount = 0;
  const skipped: number[] = [];
  let skippedCount = 0;
  const metrics = labelIndex === undefined ? undefined : new MetricsAccumulator(scorer.activation === 'sigmoid');
  try {
    await sink.write(writer.start());
    const each = async (row: { record: string[]; line: number }) => {
      if (scorer.score(row.record, row.line, file, score) === undefined) {
        if (skippedCount++ < SKIPPED_SHOWN) skipped.push(row.line);
        return;
      }
      let correct: boolean | undefined;
      if (labelIndex !== undefined) {
        const truth = labelClass(row.record[labelIndex] ?? '', model.classes);
        if (truth === undefined) {
          throw new NeuronError(
            'data',
            `--label column ${JSON.stringify(options.label)}: ${JSON.stringify(row.record[labelIndex])} is neither a class name (${model.classes.map((c) => JSON.stringify(c)).join(', ')}) nor 0/1`,
            { file, line: row.line, column: labelIndex + 1 },
            'name the classes as the labels do, with --classes or "classes" in the weights file',
          );
        }
        correct = truth === score.cls;
        metrics?.add(score.z, score.output, score.cls, truth);
        if (correct) correctCount++;
      }
      rowCount++;
      await sink.write(writer.row(row.record, score, correct));
    };
    for (const row of firstRows) await each(row);
    for await (const row of rest) {
      checkInterrupt(world);
      if (sink.closed) break;
      await each(row);
    }
    await sink.write(writer.end());
    await target.finish();
  } catch (error) {
    await target.fail();
    throw error;
  }
  if (sink.closed) return;
  if (skippedCount > 0) {
    const more = skippedCount > SKIPPED_SHOWN ? ', ...' : '';
    say(
      world,
      `skipped ${skippedCount} row${skippedCount === 1 ? '' : 's'} with a missing value (line${skippedCount === 1 ? '' : 's'} ${skipped.join(', ')}${more})`,
    );
  }
  if (labelIndex !== undefined) {
    const percent = rowCount === 0 ? 'n/a' : `${((100 * correctCount) / rowCount).toFixed(2)}%`;
    say(world, `accuracy ${correctCount}/${rowCount} = ${percent} (label column ${JSON.stringify(options.label)})`);
  }
  if (metrics !== undefined) {
    const result = metrics.result();
    if (format === 'table') world.stderr.write(formatMetrics(result, model.classes));
    if (options.metrics !== undefined) await writeText(world, options.metrics, `${JSON.stringify(metricsToJson(result, model.classes), null, 2)}\n`);
  }
  if (skippedCount > 0 && options.strict === true) {
    throw new NeuronError(
      'data',
      `--strict: ${skippedCount} row${skippedCount === 1 ? ' was' : 's were'} skipped`,
      { file },
      'fill in the missing values, or drop --strict',
    );
  }
}
