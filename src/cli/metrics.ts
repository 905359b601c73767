/** `neuron metrics`: how good are the weights on labelled data — the summary of `eval --label` alone. */
import { type Command, Option } from 'commander';
import { type ActivationName, activationNames } from '../core/activations.js';
import { formatMetrics, MetricsAccumulator, metricsToJson } from '../core/metrics.js';
import { type Score, Scorer } from '../core/score.js';
import { checkInterrupt } from './input.js';
import { parseDelimiter, parseFiniteNumber, parseList, parsePrecision } from './options.js';
import { writeText } from './output-target.js';
import { truthOf, withScoringInput } from './scoring.js';
import type { World } from './world.js';

interface MetricsOptions {
  weights: string;
  label: string;
  features?: string[];
  activation?: ActivationName;
  threshold?: number;
  format: 'table' | 'json';
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
    .requiredOption('-w, --weights <file>', 'weights file (JSON)')
    .requiredOption('--label <column>', 'ground-truth column: class names from the weights file, or 0/1')
    .option('--features <columns>', 'input columns, comma-separated, in weight order', parseList)
    .addOption(new Option('--activation <name>', 'override the activation').choices(activationNames))
    .option('--threshold <t>', 'class 1 iff the activation output >= t (default: iff z >= 0)', parseFiniteNumber)
    .addOption(new Option('--format <format>', 'table for people, json (exact figures) for programs').choices(['table', 'json']).default('table'))
    .option('--precision <digits>', 'decimals in the table', parsePrecision, 4)
    .option('--delimiter <char>', 'input field delimiter', parseDelimiter, ',')
    .option('--no-header', 'the data has no header line: columns are named 1, 2, 3, ...')
    .option('-o, --output <file>', 'write to this file (atomically) instead of standard output')
    .action(async (data: string, options: MetricsOptions) => {
      await runMetrics(world, data, options);
    });
}

async function runMetrics(world: World, dataPath: string, options: MetricsOptions): Promise<void> {
  const { metrics, classes } = await withScoringInput(world, dataPath, options, async ({ bound, file, rows }) => {
    const scorer = new Scorer(bound, { activation: options.activation, threshold: options.threshold });
    const accumulator = new MetricsAccumulator(scorer.activation === 'sigmoid');
    const score: Score = { z: 0, output: 0, cls: 0 };
    for await (const row of rows) {
      checkInterrupt(world);
      scorer.score(row.record, row.line, file, score);
      accumulator.add(score.z, score.output, score.cls, truthOf(row, bound, options.label, file));
    }
    return { metrics: accumulator.result(), classes: bound.model.classes };
  });
  const text = options.format === 'json' ? `${JSON.stringify(metricsToJson(metrics, classes), null, 2)}\n` : formatMetrics(metrics, classes, options.precision);
  await writeText(world, options.output, text);
}
