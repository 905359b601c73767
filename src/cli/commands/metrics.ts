/** `neuron metrics`: how good are the weights on labelled data — the summary of `eval --label` alone. */
import { type Command, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { type Metrics, MetricsAccumulator, metricsToJson } from '../../learn/metrics.js';
import { type ClassMetrics, ClassMetricsAccumulator } from '../../learn/multiclass-metrics.js';
import { type ActivationName, activations } from '../../neuron/activations.js';
import type { Records } from '../../neuron/cells.js';
import type { BoundModel } from '../../neuron/columns.js';
import { type UnknownPolicy, unknownPolicies } from '../../neuron/encoding.js';
import { LabelReader } from '../../neuron/labels.js';
import { LayerScorer, layerScore } from '../../neuron/layer-scorer.js';
import { type AnyModel, isSoftmax, type SoftmaxModel } from '../../neuron/model.js';
import type { MissingPolicy } from '../../neuron/numbers.js';
import { type Score, Scorer } from '../../neuron/scorer.js';
import { formatMetrics } from '../../render/metrics.js';
import { type CsvData, eachRow } from '../data.js';
import { checkEngineOptions, type EngineName } from '../engine-options.js';
import { formatFromExtension, LABEL_ROLE, MISSING_WORDING, parsePrecision, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { withBoundInput } from '../scoring.js';
import { SKIPPED_SHOWN, saySkipped } from '../skipped.js';
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

/** Feeds every row of the data to `add`, which returns false for a row skipped (--missing skip); then says how many were. */
async function eachLabelledRow(world: World, data: CsvData, add: (records: Records, r: number) => boolean): Promise<void> {
  let skipped = 0;
  const skippedLines: number[] = [];
  await eachRow(world, data, (records, r) => {
    if (!add(records, r) && skipped++ < SKIPPED_SHOWN) skippedLines.push(records.lines[r] as number);
  });
  saySkipped(world, skipped, skippedLines);
}

/** The metrics of the rows of a file, in-process: one neuron's (encoded or not), or a softmax layer's. */
async function fileMetrics(world: World, dataPath: string, options: MetricsOptions): Promise<Measured> {
  const model = await loadWeights(world, options.weights, dataPath);
  const labelled = (bound: BoundModel<AnyModel>) => new LabelReader(bound, options.label, { role: LABEL_ROLE });
  if (isSoftmax(model)) {
    checkLayerOptions(options, model);
    return withBoundInput(world, dataPath, options, model, async ({ bound, file, data }) => {
      const scorer = new LayerScorer(bound, { missing: options.missing, unknown: options.unknown });
      const accumulator = new ClassMetricsAccumulator(scorer.k);
      const labels = labelled(bound);
      const score = layerScore(scorer.k);
      await eachLabelledRow(world, data, (records, r) => {
        if (scorer.scoreRow(records, r, file, score) === undefined) return false;
        accumulator.add(score.p, score.cls, labels.classIn(records, r, file));
        return true;
      });
      return { metrics: accumulator.result(), classes: bound.model.classes };
    });
  }
  return withBoundInput(world, dataPath, options, model, async ({ bound, file, data }) => {
    const scorer = new Scorer(bound, { activation: options.activation, threshold: options.threshold, missing: options.missing, unknown: options.unknown });
    const accumulator = new MetricsAccumulator(activations[scorer.activation].probability);
    const labels = labelled(bound);
    const score: Score = { z: 0, output: 0, cls: 0 };
    await eachLabelledRow(world, data, (records, r) => {
      if (scorer.scoreRow(records, r, file, score) === undefined) return false;
      accumulator.add(score.z, score.output, score.cls, labels.truthIn(records, r, file));
      return true;
    });
    return { metrics: accumulator.result(), classes: bound.model.classes };
  });
}

async function runMetrics(world: World, data: string | undefined, options: MetricsOptions): Promise<void> {
  checkEngineOptions(options, data);
  if (data === undefined && options.engine !== 'postgres') throw new NeuronError('missing-option', 'no data', {}, 'name the CSV file, or - for standard input');
  const { metrics, classes } = options.engine !== undefined ? await engineMetrics(world, data, options) : await fileMetrics(world, data ?? '-', options);
  const format = options.format ?? formatFromExtension(options.output, metricsFormats) ?? 'table';
  const text = format === 'json' ? `${JSON.stringify(metricsToJson(metrics, classes), null, 2)}\n` : formatMetrics(metrics, classes, options.precision);
  await writeText(world, options.output, text);
}
