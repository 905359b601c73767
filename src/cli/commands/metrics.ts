/** `neuron metrics`: how good are the weights on labelled data — the summary of `eval --label` alone. */
import { type Command, Option } from 'commander';
import { NeuronError, reword } from '../../errors.js';
import { type Metrics, MetricsAccumulator, metricsToJson } from '../../learn/metrics.js';
import { type ActivationName, activations } from '../../neuron/activations.js';
import { LabelReader } from '../../neuron/labels.js';
import type { MissingPolicy } from '../../neuron/numbers.js';
import { type Score, Scorer } from '../../neuron/scorer.js';
import { formatMetrics } from '../../render/metrics.js';
import { eachRow } from '../data.js';
import { checkEngineOptions, type EngineName } from '../engine-options.js';
import { formatFromExtension, LABEL_ROLE, MISSING_WORDING, parsePrecision, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { withScoringInput } from '../scoring.js';
import { SKIPPED_SHOWN, saySkipped } from '../skipped.js';
import { loadPlainWeights, weightsName } from '../weights.js';
import type { World } from '../world.js';

const metricsFormats = ['table', 'json'] as const;
type MetricsFormat = (typeof metricsFormats)[number];

interface MetricsOptions {
  weights: string;
  label: string;
  features?: string[];
  activation?: ActivationName;
  threshold?: number;
  classes?: [string, string];
  missing: MissingPolicy;
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
    .requiredOption('--label <column>', 'ground-truth column: class names from the weights file, or 0/1')
    .addOption(shared.features())
    .addOption(shared.activation())
    .addOption(shared.threshold())
    .addOption(shared.classes())
    .addOption(shared.missing())
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
        throw reword(error, MISSING_WORDING);
      }
    });
}

/** The metrics of the rows in an engine: z from the engine, the rest as in-process. */
async function engineMetrics(
  world: World,
  dataPath: string | undefined,
  options: MetricsOptions,
): Promise<{ metrics: Metrics; classes: readonly [string, string] }> {
  const model = await loadPlainWeights(world, options.weights, 'neuron metrics');
  const { withEngine, prepareScoring, eachScore } = await import('../engine-scoring.js');
  return withEngine(world, dataPath, options, async (engine) => {
    const s = await prepareScoring(world, engine, () => model, { ...options, weightsFile: weightsName(options.weights) });
    const accumulator = new MetricsAccumulator(activations[s.scorer.activation].probability);
    await eachScore(
      world,
      s,
      (_, score, truth) => accumulator.add(score.z, score.output, score.cls, truth ?? 0),
      async () => true,
    );
    saySkipped(world, s.checked.skipped, s.checked.skippedRows, 'row');
    return { metrics: accumulator.result(), classes: s.bound.model.classes };
  });
}

async function runMetrics(world: World, data: string | undefined, options: MetricsOptions): Promise<void> {
  checkEngineOptions(options, data);
  if (data === undefined && options.engine !== 'postgres') throw new NeuronError('missing-option', 'no data', {}, 'name the CSV file, or - for standard input');
  const dataPath = data ?? '-';
  const { metrics, classes } =
    options.engine !== undefined
      ? await engineMetrics(world, data, options)
      : await withScoringInput(world, dataPath, options, 'neuron metrics', async ({ bound, file, data }) => {
          const scorer = new Scorer(bound, { activation: options.activation, threshold: options.threshold, missing: options.missing });
          const accumulator = new MetricsAccumulator(activations[scorer.activation].probability);
          const labels = new LabelReader(bound, options.label, { role: LABEL_ROLE });
          const score: Score = { z: 0, output: 0, cls: 0 };
          let skipped = 0;
          const skippedLines: number[] = [];
          await eachRow(world, data, (records, r) => {
            if (scorer.scoreRow(records, r, file, score) === undefined) {
              if (skipped++ < SKIPPED_SHOWN) skippedLines.push(records.lines[r] as number);
              return;
            }
            accumulator.add(score.z, score.output, score.cls, labels.truthIn(records, r, file));
          });
          saySkipped(world, skipped, skippedLines);
          return { metrics: accumulator.result(), classes: bound.model.classes };
        });
  const format = options.format ?? formatFromExtension(options.output, metricsFormats) ?? 'table';
  const text = format === 'json' ? `${JSON.stringify(metricsToJson(metrics, classes), null, 2)}\n` : formatMetrics(metrics, classes, options.precision);
  await writeText(world, options.output, text);
}
