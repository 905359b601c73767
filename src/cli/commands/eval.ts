/** `neuron eval`: score every row of a CSV with a neuron. */
import { type Command, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { createAtomicFile } from '../../io/atomic-file.js';
import type { OutputSink } from '../../io/output-sink.js';
import { type Metrics, metricsToJson } from '../../learn/metrics.js';
import type { ClassMetrics } from '../../learn/multiclass-metrics.js';
import { type ActivationName, DEFAULT_ACTIVATION } from '../../neuron/activations.js';
import { type BoundModel, bindModel, checkUniqueInputs, defaultInputs } from '../../neuron/columns.js';
import type { UnknownPolicy } from '../../neuron/encoding.js';
import { DEFAULT_SCHEME, randomWeights } from '../../neuron/init.js';
import { LabelReader } from '../../neuron/labels.js';
import { LayerScorer } from '../../neuron/layer-scorer.js';
import { type AnyModel, DEFAULT_CLASSES, formatModel, isSoftmax, type Model, SOFTMAX } from '../../neuron/model.js';
import type { MissingPolicy } from '../../neuron/numbers.js';
import {
  createRowWriter,
  type FormatName,
  formatNames,
  type OutputSpec,
  plainStyle,
  type RowScore,
  type RowWriter,
  rowByRow,
  scoredColumns,
  type TableStyle,
} from '../../render/formats.js';
import { formatMetrics } from '../../render/metrics.js';
import { type CsvData, eachRow, withCsvData } from '../data.js';
import { checkEngineOptions, type EngineName } from '../engine-options.js';
import type { EngineScoring } from '../engine-scoring.js';
import { type AnyScorer, metricsFor, scoreEach, scorerFor, type Tally } from '../eval-rows.js';
import { checkInterrupt } from '../input.js';
import {
  checkThreads,
  defaultThreads,
  FLAG_NAMES,
  formatFromExtension,
  LABEL_ROLE,
  MAX_DEFAULT_THREADS,
  MISSING_WORDING,
  parseList,
  parsePrecision,
  parseSeed,
  shared,
  UNKNOWN_WORDING,
} from '../options.js';
import { type OutputTarget, openOutput } from '../output-target.js';
import { planBlocks } from '../parallel.js';
import { scoreInParallel } from '../parallel-eval.js';
import { saySkipped } from '../skipped.js';
import { type ColorLevel, colorLevel, unicodeGraphics } from '../terminal.js';
import { loadWeights, weightsName } from '../weights.js';
import { say, type World } from '../world.js';

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
  format?: EvalFormat;
  precision?: number;
  delimiter: string;
  header: boolean;
  output?: string;
  color: boolean;
  missing: MissingPolicy;
  unknown: UnknownPolicy;
  strict?: boolean;
  /**
   * Default 1: on the 2-core machine measured, 2 worker threads took 1.09x the wall time of one when
   * it was quiet (0.89x when busy), for 1.1-1.4x the CPU (README, Performance: On every core).
   */
  threads?: number;
  blockBytes: number;
  engine?: EngineName;
  db?: string;
  table?: string;
  into?: string;
}

/** The row formats, and Parquet, which only an engine writes (--engine duckdb). */
const evalFormats = [...formatNames, 'parquet'] as const;
type EvalFormat = (typeof evalFormats)[number];

const LABEL_HINT = 'name the classes as the labels do, with --classes or "classes" in the weights file';
/** A softmax layer's classes are the weights file's (--classes names two). */
const LAYER_LABEL_HINT = 'name the classes as the labels do, in "classes" in the weights file';

/** The wording of a bad cell's hint in eval: with its --missing and --unknown. */
const EVAL_WORDING = { ...MISSING_WORDING, ...UNKNOWN_WORDING } as const;

/** --seed picked the inputs: say so when one of them turns out not to be numeric. */
const SEEDED_HINT = '--seed takes every column that is not --keep or --label as an input: name the inputs with --features';
const SEEDED_WORDING = { 'not-a-number': () => ({ hint: SEEDED_HINT }), 'missing-value': () => ({ hint: SEEDED_HINT }) } as const;

/** A softmax layer picks the largest z: the overrides of one neuron's class rule do not apply. */
const LAYER_OVERRIDES = [
  ['--activation', 'activation', "the layer's activation is softmax"],
  ['--threshold', 'threshold', 'the class is the largest z'],
  ['--classes', 'classes', 'the weights file names its classes'],
] as const;

export function evalCommand(program: Command, world: World): void {
  program
    .command('eval')
    .description('score every row of a CSV: z = w·x + b, the activation output and the class')
    .argument('[data]', 'CSV file with a header line, or - for standard input (with --engine duckdb: also .csv.gz, Parquet, NDJSON or a glob)')
    .addOption(shared.weights())
    .option('--seed <n>', 'no weights file: random weights from this seed (as random-init)', parseSeed)
    .option('--save-weights <file>', 'with --seed: write the random weights to this file')
    .addOption(shared.features())
    .option('--keep <columns>', 'columns to copy to the output, comma-separated', parseList)
    .option('--label <column>', 'ground-truth column: adds "correct" and prints the accuracy')
    .option('--metrics <file>', 'with --label: write the metrics (as `neuron metrics`) to this file as JSON')
    .addOption(shared.activation())
    .addOption(shared.classes())
    .addOption(shared.threshold())
    .addOption(
      new Option(
        '--format <format>',
        'output format (default: from the -o extension, else table on a terminal, else csv); parquet with --engine duckdb',
      ).choices(evalFormats),
    )
    .option('--precision <digits>', 'round numbers to this many decimals (default: exact)', parsePrecision)
    .addOption(shared.delimiter())
    .addOption(shared.noHeader())
    .addOption(shared.output())
    .option('--no-color', 'no colour in the table (also: NO_COLOR=1)')
    .addOption(shared.missing())
    .addOption(shared.unknown())
    .option('--strict', 'with --missing skip: exit 1 if any row was skipped')
    .addOption(shared.threads(`worker threads that score a large file (default: the cores, at most ${MAX_DEFAULT_THREADS})`))
    .addOption(shared.blockBytes())
    .addOption(shared.engine())
    .addOption(shared.db())
    .addOption(shared.table())
    .option('--into <table>', 'with --engine postgres: write the scores to this new table (refused if it exists), not to a file')
    .action(async (data: string | undefined, options: EvalOptions) => {
      await runEval(world, data, options);
    });
}

/** Format when --format is not given: from the -o extension, else table on a terminal, csv in a pipe. */
function chooseFormat(world: World, options: EvalOptions): EvalFormat {
  const format = options.format ?? formatFromExtension(options.output, evalFormats);
  if (format !== undefined) return format;
  return options.output === undefined && world.stdout.isTTY === true ? 'table' : 'csv';
}

/** chalk level for the table: --no-color, NO_COLOR, FORCE_COLOR, TERM and the like, as chalk's supports-color decides. */
function tableColorLevel(world: World, options: EvalOptions): ColorLevel {
  return colorLevel(world.env, options.output === undefined && world.stdout.isTTY === true, options.color);
}

/** Colours, glyphs and display widths for the table; chalk and string-width are loaded only for a table. */
async function tableStyle(world: World, format: FormatName, level: ColorLevel): Promise<TableStyle> {
  if (format !== 'table') return plainStyle;
  const unicode = unicodeGraphics(world.env);
  const { default: width } = await import('string-width');
  if (level === 0) return { ...plainStyle, unicode, width };
  const { Chalk } = await import('chalk');
  const chalk = new Chalk({ level });
  return {
    header: (t) => chalk.bold(t),
    class0: (t) => chalk.blue(t),
    class1: (t) => chalk.magenta(t),
    bar: (t) => chalk.dim(t),
    correct: (ok, t) => (ok ? chalk.green(t) : chalk.red(t)),
    unicode,
    width,
  };
}

/** Random weights over the input columns, announced on stderr so the run can be repeated. */
function randomModel(world: World, seed: number, features: string[], options: EvalOptions): Model {
  const model: Model = {
    features,
    weights: randomWeights(features.length, seed, DEFAULT_SCHEME),
    bias: 0,
    activation: options.activation ?? DEFAULT_ACTIVATION,
    classes: options.classes ?? DEFAULT_CLASSES,
    threshold: undefined,
    init: { seed, scheme: DEFAULT_SCHEME, generator: 'mt19937' },
  };
  const listed = features.map((name, i) => `${JSON.stringify(name)} ${model.weights[i]}`).join(', ');
  const keep = options.saveWeights === undefined ? ' (--save-weights FILE keeps them)' : `; saved to ${options.saveWeights} when the run succeeds`;
  say(world, `random weights from --seed ${seed} (${DEFAULT_SCHEME}): ${listed}, bias 0${keep}`);
  return model;
}

/** Output columns that --keep must not repeat: JSON would keep only one of the two keys. */
function checkKeep(options: EvalOptions, activation: OutputSpec['activation'], classes: readonly string[]): void {
  const taken = scoredColumns({ activation, classes, withCorrect: options.label !== undefined });
  for (const name of options.keep ?? []) {
    if (taken.includes(name)) {
      throw new NeuronError(
        'output-name-clash',
        `--keep ${JSON.stringify(name)} has the name of an output column (${taken.map((column) => JSON.stringify(column)).join(', ')})`,
        {},
        'rename the column in the data, or do not keep it',
      );
    }
  }
  checkUniqueInputs(options.keep ?? [], FLAG_NAMES.keep);
}

function checkSources(options: EvalOptions): void {
  if (options.weights !== undefined && options.seed !== undefined) {
    throw new NeuronError(
      'conflicting-options',
      '--weights and --seed both given',
      {},
      'use --weights for a weights file, or --seed for random weights, not both',
    );
  }
  if (options.weights === undefined && options.seed === undefined) {
    throw new NeuronError('missing-option', 'no weights', {}, 'give --weights FILE, or --seed N for random weights');
  }
  if (options.strict === true && options.missing !== 'skip') {
    throw new NeuronError('conflicting-options', '--strict only goes with --missing skip', {}, 'add --missing skip, or drop --strict');
  }
  for (const [flag, path] of [
    ['--save-weights', options.saveWeights],
    ['--metrics', options.metrics],
  ] as const) {
    if (path === '-')
      throw new NeuronError('conflicting-options', `${flag} - would mix JSON into the scores on standard output`, {}, `give ${flag} a file name`);
  }
  if (options.saveWeights !== undefined && options.seed === undefined) {
    throw new NeuronError('conflicting-options', '--save-weights only goes with --seed', {}, 'drop --save-weights; the weights file already holds the weights');
  }
}

async function runEval(world: World, data: string | undefined, options: EvalOptions): Promise<void> {
  checkSources(options);
  checkEngineOptions(options, data);
  if (data === undefined && options.engine !== 'postgres') {
    throw new NeuronError('missing-option', 'no data', {}, 'name the CSV file, or - for standard input');
  }
  const dataPath = data ?? '-';
  if (options.into !== undefined && (options.engine !== 'postgres' || options.output !== undefined || options.format !== undefined)) {
    throw new NeuronError(
      'conflicting-options',
      '--into writes a table with --engine postgres, instead of -o and --format',
      {},
      'add --engine postgres and drop -o and --format, or drop --into',
    );
  }
  checkThreads(options);
  const format = chooseFormat(world, options);
  if (format === 'parquet' && (options.engine !== 'duckdb' || options.output === undefined || options.output === '-')) {
    throw new NeuronError(
      'conflicting-options',
      'Parquet output is written by --engine duckdb, to a file',
      {},
      'add --engine duckdb and -o FILE.parquet, or choose another --format',
    );
  }
  if (options.metrics !== undefined && options.label === undefined) {
    throw new NeuronError('conflicting-options', '--metrics needs --label', {}, 'name the ground-truth column with --label');
  }
  const loaded = options.weights === undefined ? undefined : await loadWeights(world, options.weights, dataPath);
  if (loaded !== undefined) checkModelOptions(options, loaded);
  // The side files are opened before any row is read, so a bad path fails at once, not after the run.
  const side = {
    metrics: options.metrics === undefined ? undefined : await openOutput(world, options.metrics),
    weights: options.saveWeights === undefined ? undefined : await openOutput(world, options.saveWeights),
  };
  try {
    await evalData(world, dataPath, options, loaded, side);
  } catch (error) {
    await side.metrics?.fail();
    await side.weights?.fail();
    throw error;
  }
}

/** What a softmax layer or an encoded model cannot take: the refusals before any row is read. */
function checkModelOptions(options: EvalOptions, model: AnyModel): void {
  const file = weightsName(options.weights);
  if (isSoftmax(model)) {
    for (const [flag, key, why] of LAYER_OVERRIDES) {
      if (options[key] !== undefined) {
        throw new NeuronError(
          'conflicting-options',
          `${flag} does not apply to a softmax model (${model.classes.length} classes): ${why}`,
          { file },
          `drop ${flag}`,
        );
      }
    }
  }
}

interface SideFiles {
  readonly metrics: OutputTarget | undefined;
  readonly weights: OutputTarget | undefined;
}

async function evalData(world: World, dataPath: string, options: EvalOptions, loaded: AnyModel | undefined, side: SideFiles): Promise<void> {
  if (options.engine !== undefined) {
    try {
      await evalInEngine(world, dataPath, options, loaded, side);
    } catch (error) {
      throw reword(error, loaded === undefined && options.features === undefined ? SEEDED_WORDING : EVAL_WORDING);
    }
    return;
  }
  await withCsvData(world, dataPath, options, async (data) => {
    const { file, columns } = data;
    const seeded = loaded === undefined;
    const features =
      options.features ?? (seeded ? defaultInputs(columns, { keep: options.keep, label: options.label, dataFile: file, names: FLAG_NAMES }) : undefined);
    const source = loaded ?? randomModel(world, options.seed ?? 0, features ?? [], options);
    const model: AnyModel = options.classes === undefined || isSoftmax(source) ? source : { ...source, classes: options.classes };
    const bound = bindModel(model, columns, {
      features: options.features,
      keep: options.keep,
      label: options.label,
      weightsFile: weightsName(options.weights),
      dataFile: file,
      names: FLAG_NAMES,
    });
    const scorer = scorerFor(bound, { activation: options.activation, threshold: options.threshold, missing: options.missing, unknown: options.unknown });
    checkKeep(options, activationOf(scorer), model.classes);
    try {
      await scoreRows(world, options, bound, scorer, data, side.metrics);
    } catch (error) {
      throw reword(error, seeded && options.features === undefined ? SEEDED_WORDING : EVAL_WORDING);
    }
    if (side.weights !== undefined) {
      await side.weights.sink.write(formatModel(source));
      await side.weights.finish();
    }
  });
}

/** The name the output columns take the scores by: the activation, or softmax for a layer. */
function activationOf(scorer: AnyScorer): OutputSpec['activation'] {
  return scorer instanceof LayerScorer ? SOFTMAX : scorer.activation;
}

/** The output columns and their layout. The table is for people: without --keep it shows the inputs first, so a reader can tell the rows apart. */
function outputSpec(world: World, options: EvalOptions, bound: BoundModel, scorer: AnyScorer, format: FormatName): OutputSpec {
  const showInputs = format === 'table' && options.keep === undefined;
  const terminal = options.output === undefined && world.stdout.isTTY === true;
  return {
    keepNames: showInputs ? bound.inputNames : (options.keep ?? []),
    keepIndices: showInputs ? bound.inputIndices : bound.keepIndices,
    keptAreInputs: showInputs,
    maxWidth: format === 'table' && terminal ? world.stdout.columns : undefined,
    activation: activationOf(scorer),
    classes: bound.model.classes,
    withCorrect: bound.labelIndex !== undefined,
    precision: options.precision,
  };
}

async function rowWriter(world: World, options: EvalOptions, spec: OutputSpec, format: FormatName): Promise<RowWriter> {
  return createRowWriter(format, spec, await tableStyle(world, format, tableColorLevel(world, options)));
}

/** Scores every data row into the output, then writes the summary and the metrics. */
async function scoreRows(
  world: World,
  options: EvalOptions,
  bound: BoundModel,
  scorer: AnyScorer,
  data: CsvData,
  metricsFile: OutputTarget | undefined,
): Promise<void> {
  const { file } = data;
  const format = chooseFormat(world, options) as FormatName;
  const spec = outputSpec(world, options, bound, scorer, format);
  const writer = await rowWriter(world, options, spec, format);
  const target = await openOutput(world, options.output);
  const { sink } = target;
  const tally: Tally = { rows: 0, correct: 0, skipped: 0, skippedLines: [] };
  // One neuron's metrics, or a softmax layer's (as neuron metrics computes them), under a table and in --metrics.
  const labelled = bound.labelIndex !== undefined;
  const { metrics, classMetrics } = labelled ? metricsFor(scorer) : { metrics: undefined, classMetrics: undefined };
  const hint = isSoftmax(bound.model) ? LAYER_LABEL_HINT : LABEL_HINT;
  const labels = bound.labelIndex === undefined ? undefined : new LabelReader(bound, options.label ?? '', { role: LABEL_ROLE, hint });
  // Each batch's rows are written out together, after the batch.
  const out = { text: '' };
  try {
    sink.append(writer.start());
    const scoring = { scorer, writer, labels, metrics, classMetrics, file, tally };
    const threads = options.threads ?? defaultThreads();
    const plan = threads > 1 && rowByRow[format] ? planBlocks(data.path, data.headerLines, options.blockBytes) : undefined;
    const visit = scoreEach(scoring, data.columns.names.length, out);
    if (plan !== undefined) {
      const score = { activation: options.activation, threshold: options.threshold, missing: options.missing, unknown: options.unknown };
      const setup = { path: data.path, file, delimiter: options.delimiter, width: data.columns.names.length, bound, score, output: { format, spec } };
      await scoreInParallel({
        setup: { ...setup, label: options.label, labelWording: { role: LABEL_ROLE, hint }, metrics: labelled },
        threads,
        blockBytes: options.blockBytes,
        plan,
        lines: data.headerLines,
        sink,
        tally,
        metrics,
        classMetrics,
        visit,
        out,
        check: () => checkInterrupt(world),
      });
    } else {
      await writeBatches(sink, out, (flush) => eachRow(world, data, visit, flush));
    }
    sink.append(writer.end());
    if (tally.skipped > 0 && options.strict === true && !sink.closed) {
      summary(world, options, tally);
      throw new NeuronError(
        'rows-skipped',
        `--strict: ${tally.skipped} row${tally.skipped === 1 ? ' was' : 's were'} skipped`,
        { file },
        'fill in the missing values, or drop --strict',
      );
    }
    await target.finish();
  } catch (error) {
    await target.fail();
    throw error;
  }
  if (sink.closed) return;
  summary(world, options, tally);
  await reportMetrics(world, format, metrics ?? classMetrics, bound.model.classes, metricsFile);
}

/** The lines on stderr after the scores: skipped rows, accuracy. */
function summary(world: World, options: EvalOptions, tally: Tally): void {
  saySkipped(world, tally.skipped, tally.skippedLines, tally.unit);
  if (options.label !== undefined) {
    const percent = tally.rows === 0 ? 'n/a' : `${((100 * tally.correct) / tally.rows).toFixed(2)}%`;
    say(world, `accuracy ${tally.correct}/${tally.rows} = ${percent} (label column ${JSON.stringify(options.label)})`);
  }
}

/** eval --engine: the model bound to the engine's columns, its cells checked there, then the scores. */
async function evalInEngine(world: World, dataPath: string, options: EvalOptions, loaded: AnyModel | undefined, side: SideFiles): Promise<void> {
  const engines = await import('../engine-scoring.js');
  await engines.withEngine(world, dataPath, options, async (engine) => {
    let source: AnyModel | undefined;
    const scoring = await engines.prepareScoring(
      world,
      engine,
      (columns) => {
        const features =
          options.features ??
          (loaded === undefined ? defaultInputs(columns, { keep: options.keep, label: options.label, dataFile: engine.name, names: FLAG_NAMES }) : undefined);
        source = loaded ?? randomModel(world, options.seed ?? 0, features ?? [], options);
        return options.classes === undefined || isSoftmax(source) ? source : { ...source, classes: options.classes };
      },
      {
        ...options,
        weightsFile: options.weights,
        labelHint: LABEL_HINT,
        showInputs: chooseFormat(world, options) === 'table' && options.keep === undefined && options.into === undefined,
      },
    );
    checkKeep(options, activationOf(scoring.scorer), scoring.bound.model.classes);
    await scoreInEngine(world, options, scoring, side.metrics, engines);
    if (side.weights !== undefined && source !== undefined) {
      await side.weights.sink.write(formatModel(source));
      await side.weights.finish();
    }
  });
}

/** The engine's scores through eval's writers, or written by the engine itself (Parquet, --into). */
async function scoreInEngine(
  world: World,
  options: EvalOptions,
  s: EngineScoring,
  metricsFile: OutputTarget | undefined,
  { eachScore, guarded, rowMetrics, scoresQuery }: typeof import('../engine-scoring.js'),
): Promise<void> {
  const { bound, scorer, engine } = s;
  const tally: Tally = { rows: 0, correct: 0, skipped: s.checked.skipped, skippedLines: [...s.checked.skippedRows], unit: 'row' };
  // One neuron's metrics, or a softmax layer's, as in-process.
  const metrics = bound.labelIndex === undefined ? undefined : rowMetrics(scorer);
  // One scored row from the engine, counted as scoreEach counts a row of a file.
  const count = (score: RowScore, truth: number | undefined): boolean | undefined => {
    tally.rows++;
    if (truth === undefined) return undefined;
    metrics?.add(score, truth);
    if (truth === score.cls) tally.correct++;
    return truth === score.cls;
  };
  const format = chooseFormat(world, options);
  const strict = () => {
    if (tally.skipped > 0 && options.strict === true) {
      summary(world, options, tally);
      throw new NeuronError(
        'rows-skipped',
        `--strict: ${tally.skipped} row${tally.skipped === 1 ? ' was' : 's were'} skipped`,
        { file: engine.name },
        'fill in the missing values, or drop --strict',
      );
    }
  };
  if (format !== 'parquet' && options.into === undefined) {
    const writer = await rowWriter(world, options, outputSpec(world, options, bound, scorer, format as FormatName), format as FormatName);
    const target = await openOutput(world, options.output);
    const { sink } = target;
    const out = { text: '' };
    try {
      sink.append(writer.start());
      await writeBatches(sink, out, (flush) => eachScore(world, s, (row, score, truth) => (out.text += writer.row(row, 0, score, count(score, truth))), flush));
      sink.append(writer.end());
      if (!sink.closed) strict();
      await target.finish();
    } catch (error) {
      await target.fail();
      throw error;
    }
    if (sink.closed) return;
  } else {
    // The engine writes the scores; the accuracy and the metrics need them too: one pass before, nothing written.
    if (metrics !== undefined)
      await eachScore(
        world,
        s,
        (_, score, truth) => count(score, truth),
        async () => true,
      );
    strict();
    const query = scoresQuery(s, options.keep ?? []);
    if (options.into !== undefined) {
      await guarded(s, async () => engine.createTable?.(options.into ?? '', query));
    } else {
      const file = await createAtomicFile(options.output ?? '');
      try {
        await guarded(s, async () => engine.copyToParquet?.(query, file.path));
        await file.commit();
      } catch (error) {
        await file.abort();
        throw error;
      }
    }
  }
  summary(world, options, tally);
  await reportMetrics(world, format, metrics, bound.model.classes, metricsFile);
}

/**
 * Runs `read`, which appends each batch's rows to `out.text` and calls `flush` after it: the text goes to
 * the sink (waiting when it is full), and `flush` says whether to go on (false once the reader has gone).
 * On a bad row, the rows before it are written, then the error stops the run.
 */
async function writeBatches(sink: OutputSink, out: { text: string }, read: (flush: () => Promise<boolean>) => Promise<unknown>): Promise<void> {
  try {
    await read(async () => {
      if (sink.append(out.text)) await sink.flush();
      out.text = '';
      return !sink.closed;
    });
  } catch (error) {
    sink.append(out.text);
    throw error;
  }
}

/** The metrics after the rows (one neuron's, or a softmax layer's): under a table on stderr, and into --metrics's file when given. */
async function reportMetrics(
  world: World,
  format: string,
  metrics: { result(): Metrics | ClassMetrics } | undefined,
  classes: readonly string[],
  metricsFile: OutputTarget | undefined,
): Promise<void> {
  if (metrics === undefined) return;
  const result = metrics.result();
  if (format === 'table') world.stderr.write(formatMetrics(result, classes));
  if (metricsFile !== undefined) {
    await metricsFile.sink.write(`${JSON.stringify(metricsToJson(result, classes), null, 2)}\n`);
    await metricsFile.finish();
  }
}
