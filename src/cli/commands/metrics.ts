/** `neuron metrics`: how good are the weights on labelled data — the summary of `eval --label` alone. */
import { type Command, Option } from 'commander';
import { reword } from '../../errors.js';
import { MetricsAccumulator, metricsToJson } from '../../learn/metrics.js';
import { type ActivationName, activations } from '../../neuron/activations.js';
import { LabelReader } from '../../neuron/labels.js';
import type { MissingPolicy } from '../../neuron/numbers.js';
import { type Score, Scorer } from '../../neuron/scorer.js';
import { formatMetrics } from '../../render/metrics.js';
import { eachRow } from '../data.js';
import { formatFromExtension, LABEL_ROLE, MISSING_WORDING, parsePrecision, shared } from '../options.js';
import { writeText } from '../output-target.js';
import { withScoringInput } from '../scoring.js';
import { SKIPPED_SHOWN, saySkipped } from '../skipped.js';
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
}

export function metricsCommand(program: Command, world: World): void {
  program
    .command('metrics')
    .description('accuracy, precision, recall, F1, log loss, ROC AUC and the confusion matrix of the weights on labelled data')
    .argument('<data>', 'CSV file with a header line, or - for standard input')
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
    .action(async (data: string, options: MetricsOptions) => {
      try {
        await runMetrics(world, data, options);
      } catch (error) {
        throw reword(error, MISSING_WORDING);
      }
    });
}

async function runMetrics(world: World, dataPath: string, options: MetricsOptions): Promise<void> {
  const { metrics, classes } = await withScoringInput(world, dataPath, options, async ({ bound, file, data }) => {
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
