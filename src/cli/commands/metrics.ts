/** `neuron metrics`: how good are the weights on labelled data — the summary of `eval --label` alone. */
import { type Command, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { type Metrics, metricsToJson } from '../../learn/metrics.js';
import type { ClassMetrics, ClassMetricsAccumulator } from '../../learn/multiclass-metrics.js';
import type { ActivationName } from '../../neuron/activations.js';
import { type UnknownPolicy, unknownPolicies } from '../../neuron/encoding.js';
import { LabelReader } from '../../neuron/labels.js';
import { isSoftmax, type SoftmaxModel } from '../../neuron/model.js';
import type { MissingPolicy } from '../../neuron/numbers.js';
import { NO_OUTPUT } from '../../render/formats.js';
import { formatMetrics } from '../../render/metrics.js';
import { eachRow } from '../data.js';
import { checkEngineOptions, type EngineName } from '../engine-options.js';
import { metricsFor, scoreEach, scorerFor } from '../eval-rows.js';
import { checkInterrupt } from '../input.js';
import { checkThreads, defaultThreads, formatFromExtension, LABEL_ROLE, MISSING_WORDING, parsePrecision, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { planBlocks } from '../parallel.js';
import { emptyTally, scoreInParallel } from '../parallel-eval.js';
import { withBoundInput } from '../scoring.js';
import { saySkipped } from '../skipped.js';
import { loadWeights, weightsName } from '../weights.js';
import type { World } from '../world.js';

const metricsFormats = ['table', 'json'] as const;
type MetricsFormat = (typeof metricsFormats)[number];

/** The pure layers' hints, in this command's flags. */
const METRICS_WORDING = {
  ...MISSING_WORDING,
  'unknown-category': () => ({ hint: 'fix the cell, or pass --unknown zero (every indicator of the column 0)' }),
} as const;

/** The metrics of a run, and the class names they are reported under. */
interface Measured {
  readonly metrics: Metrics | ClassMetrics;
  readonly classes: readonly string[];
}

interface MetricsOptions {
  weights: string;
  label: string;
  features?: string[];
  activation?: ActivationName;
  threshold?: number;
  classes?: [string, string];
  missing: MissingPolicy;
  unknown: UnknownPolicy;
  format?: MetricsFormat;
  precision: number;
  delimiter: string;
  header: boolean;
  output?: string;
  engine?: EngineName;
  db?: string;
  table?: string;
  threads?: number;
  blockBytes: number;
}

export function metricsCommand(program: Command, world: World): void {
  program
    .command('metrics')
    .description('accuracy, precision, recall, F1, log loss, ROC AUC and the confusion matrix of the weights on labelled data')
    .argument('[data]', 'CSV file with a header line, or - for standard input (with --engine duckdb: also .csv.gz, Parquet, NDJSON or a glob)')
    .addOption(shared.weights().makeOptionMandatory())
    .requiredOption('--label <column>', 'ground-truth column: class names from the weights file, or their indices (0/1; 0 to k - 1)')
    .addOption(shared.features())
    .addOption(shared.activation())
    .addOption(shared.threshold())
    .addOption(shared.classes())
    .addOption(shared.missing())
    .addOption(
      new Option('--unknown <policy>', 'a category the model does not know (a model with "categories"): error, or zero (every indicator of the column 0)')
        .choices(unknownPolicies)
        .default('error'),
    )
    .addOption(
      new Option('--format <format>', 'table for people, json (exact figures) for programs (default: json for an -o file ending in .json, else table)').choices(
        metricsFormats,
      ),
    )
    .option('--precision <digits>', 'decimals in the table', parsePrecision, 4)
    .addOption(shared.delimiter())
    .addOption(shared.noHeader())
    .addOption(shared.output())
    .addOption(shared.threads())
    .addOption(shared.blockBytes())
    .addOption(shared.engine())
    .addOption(shared.db())
    .addOption(shared.table())
    .action(async (data: string | undefined, options: MetricsOptions) => {
      try {
        await runMetrics(world, data, options);
      } catch (error) {
        throw reword(error, METRICS_WORDING);
      }
    });
}

/** The metrics of the rows in an engine: the z's from the engine, the rest as in-process. */
async function engineMetrics(world: World, dataPath: string | undefined, options: MetricsOptions): Promise<Measured> {
  const model = await loadWeights(world, options.weights);
  if (isSoftmax(model)) checkLayerOptions(options, model);
  const { withEngine, prepareScoring, eachScore, rowMetrics } = await import('../engine-scoring.js');
  return withEngine(world, dataPath, options, async (engine) => {
    const named = options.classes === undefined || isSoftmax(model) ? model : { ...model, classes: options.classes };
    const s = await prepareScoring(world, engine, () => named, { ...options, weightsFile: weightsName(options.weights) });
    const metrics = rowMetrics(s.scorer);
    await eachScore(
      world,
      s,
      (_, score, truth) => metrics.add(score, truth ?? 0),
      async () => true,
    );
    saySkipped(world, s.checked.skipped, s.checked.skippedRows, 'row');
    return { metrics: metrics.result(), classes: s.bound.model.classes };
  });
}

/** A softmax model's class is the largest z, under its own class names: the two-class overrides are refused. */
function checkLayerOptions(options: MetricsOptions, model: SoftmaxModel): void {
  for (const [flag, given] of [
    ['--activation', options.activation],
    ['--threshold', options.threshold],
    ['--classes', options.classes],
  ] as const) {
    if (given !== undefined) {
      throw new NeuronError(
        'conflicting-options',
        `${flag} does not apply to a softmax model (${model.classes.length} classes): its class is the largest z, named by its "classes"`,
        { file: weightsName(options.weights) },
        `drop ${flag}`,
      );
    }
  }
}

/** The metrics of the rows of a file, in-process: one neuron's (encoded or not), or a softmax layer's; on worker threads for a large file. */
async function fileMetrics(world: World, dataPath: string, options: MetricsOptions): Promise<Measured> {
  const model = await loadWeights(world, options.weights, dataPath);
  if (isSoftmax(model)) checkLayerOptions(options, model);
  return withBoundInput(world, dataPath, options, model, async ({ bound, file, data }) => {
    const score = { activation: options.activation, threshold: options.threshold, missing: options.missing, unknown: options.unknown };
    const scorer = scorerFor(bound, score);
    const { metrics, classMetrics } = metricsFor(scorer);
    const labelWording = { role: LABEL_ROLE };
    const labels = new LabelReader(bound, options.label, labelWording);
    const tally = emptyTally();
    // eval's row step, writing nothing.
    const out = { text: '' };
    const width = data.columns.names.length;
    const visit = scoreEach({ scorer, writer: NO_OUTPUT, labels, metrics, classMetrics, file, tally }, width, out);
    const threads = options.threads ?? defaultThreads();
    const plan = threads > 1 ? planBlocks(data.path, data.headerLines, options.blockBytes) : undefined;
    if (plan === undefined) {
      await eachRow(world, data, visit, async () => {
        out.text = '';
        return true;
      });
    } else {
      const setup = {
        path: data.path,
        file,
        delimiter: options.delimiter,
        width,
        bound,
        score,
        output: undefined,
        label: options.label,
        labelWording,
        metrics: true,
      };
      const check = () => checkInterrupt(world);
      await scoreInParallel({
        setup,
        threads,
        blockBytes: options.blockBytes,
        plan,
        lines: data.headerLines,
        sink: undefined,
        tally,
        metrics,
        classMetrics,
        visit,
        out,
        check,
      });
    }
    saySkipped(world, tally.skipped, tally.skippedLines);
    return { metrics: (metrics ?? (classMetrics as ClassMetricsAccumulator)).result(), classes: bound.model.classes };
  });
}

async function runMetrics(world: World, data: string | undefined, options: MetricsOptions): Promise<void> {
  checkEngineOptions(options, data);
  checkThreads(options);
  if (data === undefined && options.engine !== 'postgres') throw new NeuronError('missing-option', 'no data', {}, 'name the CSV file, or - for standard input');
  const { metrics, classes } = options.engine !== undefined ? await engineMetrics(world, data, options) : await fileMetrics(world, data ?? '-', options);
  const format = options.format ?? formatFromExtension(options.output, metricsFormats) ?? 'table';
  const text = format === 'json' ? `${JSON.stringify(metricsToJson(metrics, classes), null, 2)}\n` : formatMetrics(metrics, classes, options.precision);
  await writeText(world, options.output, text);
}
