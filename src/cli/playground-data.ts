/**
 * The playground's rows: the whole data read once, every row scored as
 * `eval` scores it (so a bad cell or label is `eval`'s error, and nothing is
 * served), the input values kept in weight order and the labels as classes.
 * Without data, the lesson's table shipped in the package; without -w,
 * random-init's weights.
 */
import { Readable } from 'node:stream';
import { NeuronError } from '../errors.js';
import { readWeightsFile } from '../io/weights-file.js';
import { DEFAULT_ACTIVATION } from '../neuron/activations.js';
import { cellNumber, cellText } from '../neuron/cells.js';
import { bindModel, checkUniqueInputs, defaultInputs } from '../neuron/columns.js';
import { DEFAULT_SCHEME, randomWeights } from '../neuron/init.js';
import { LabelReader, sortLabels } from '../neuron/labels.js';
import { DEFAULT_CLASSES, type Model, plainModel } from '../neuron/model.js';
import { type Score, Scorer } from '../neuron/scorer.js';
import { LESSON_CSV, LESSON_LABEL, LESSON_NAME } from '../serve/lesson.js';
import { MAX_PLAYGROUND_ROWS, type PlaygroundRows } from '../serve/session.js';
import { type CsvData, eachRow, withCsvData, withCsvInput } from './data.js';
import { LABEL_ROLE } from './options.js';
import type { World } from './world.js';

export interface PlaygroundDataOptions {
  weights?: string;
  label?: string;
  features?: string[];
  classes?: [string, string];
  seed?: number;
  delimiter: string;
  header: boolean;
}

export interface PlaygroundStart {
  readonly rows: PlaygroundRows;
  readonly model: Model;
  /** The seed of random starting weights (no -w). */
  readonly seed: number | undefined;
}

/** Reads the data (or the lesson's table) and the starting weights. */
export async function loadPlayground(world: World, dataPath: string | undefined, options: PlaygroundDataOptions): Promise<PlaygroundStart> {
  const label = dataPath === undefined ? (options.label ?? LESSON_LABEL) : options.label;
  const given = options.weights === undefined ? undefined : plainModel(await readWeightsFile(options.weights), 'neuron playground', options.weights);
  const read = (use: (data: CsvData) => Promise<PlaygroundStart>) =>
    dataPath === undefined
      ? withCsvInput(world, { stream: Readable.from([LESSON_CSV]), file: LESSON_NAME }, LESSON_NAME, { delimiter: ',', header: true }, use)
      : withCsvData(world, dataPath, options, use);
  return read(async (data) => {
    const { file } = data;
    let seed: number | undefined;
    let model = given;
    if (model === undefined) {
      const inputs = options.features ?? defaultInputs(data.columns, { label, dataFile: file });
      checkUniqueInputs(inputs, options.features === undefined ? 'the header' : '--features', options.features === undefined ? { file, line: 1 } : {});
      if (inputs.length === 0) throw new NeuronError('no-inputs', 'no input columns left', { file, line: 1 }, 'the header needs a column that is not --label');
      seed = options.seed ?? world.randomSeed();
      model = {
        features: inputs,
        weights: randomWeights(inputs.length, seed, DEFAULT_SCHEME),
        bias: 0,
        activation: DEFAULT_ACTIVATION,
        classes: options.classes ?? DEFAULT_CLASSES,
        threshold: undefined,
        init: { seed, scheme: DEFAULT_SCHEME, generator: 'mt19937' },
      };
    } else if (options.classes !== undefined) {
      model = { ...model, classes: options.classes };
    }
    const bound = bindModel(model, data.columns, { features: options.features, label, weightsFile: options.weights, dataFile: file });
    const scorer = new Scorer(bound);
    const score: Score = { z: 0, output: 0, cls: 0 };
    const values: number[][] = [];
    const labels: { text: string; line: number }[] = [];
    await eachRow(world, data, (records, r) => {
      if (values.length === MAX_PLAYGROUND_ROWS) {
        throw new NeuronError(
          'too-many-rows',
          `more than ${MAX_PLAYGROUND_ROWS} rows: the playground scores every row on every move of a slider`,
          { file },
          `give it a sample, such as the first ${MAX_PLAYGROUND_ROWS} rows (head -n ${MAX_PLAYGROUND_ROWS + 1})`,
        );
      }
      // Scored as eval scores it: the same error for a cell that is not a number.
      scorer.scoreRow(records, r, file, score);
      values.push(bound.inputIndices.map((column) => cellNumber(records, r, column)));
      if (bound.labelIndex !== undefined) labels.push({ text: cellText(records, r, bound.labelIndex).trim(), line: records.lines[r] as number });
    });
    if (values.length === 0) throw new NeuronError('no-rows', 'no data rows', { file }, 'the data needs rows under its header');
    if (label !== undefined && given === undefined && options.classes === undefined) model = { ...model, classes: classesOf(labels, label, file) };
    const final = { ...bound, model };
    const reader =
      label === undefined
        ? undefined
        : new LabelReader(final, label, { role: LABEL_ROLE, hint: 'name the classes as the labels do, with --classes or "classes" in the weights file' });
    const truths = reader === undefined ? undefined : labels.map((l) => reader.truthOf(l.text, l.line, file));
    const rows: PlaygroundRows = {
      source: file,
      names: bound.inputNames,
      values,
      label: label === undefined || truths === undefined ? undefined : { column: label, texts: labels.map((l) => l.text), truths },
    };
    return { rows, model, seed };
  });
}

/** Random weights name no classes: take them from the label's two values, ordered as `train` orders them. */
function classesOf(labels: readonly { text: string; line: number }[], column: string, file: string): readonly [string, string] {
  const seen = [...new Set(labels.map((l) => l.text))];
  if (seen.every((value) => value === '0' || value === '1')) return DEFAULT_CLASSES;
  if (seen.length !== 2) {
    const third = labels.find((l) => l.text === seen[2]);
    throw new NeuronError(
      seen.length < 2 ? 'one-class' : 'bad-label',
      seen.length < 2
        ? `${LABEL_ROLE} ${JSON.stringify(column)} has one value only (${JSON.stringify(seen[0] ?? '')}), so the two classes are not known`
        : `${LABEL_ROLE} ${JSON.stringify(column)}: ${JSON.stringify(seen[2])} is a third class (${seen
            .slice(0, 2)
            .map((s) => JSON.stringify(s))
            .join(', ')})`,
      { file, line: seen.length < 2 ? undefined : third?.line },
      'a neuron tells two classes apart; name them with --classes "class0,class1"',
    );
  }
  return sortLabels(seen[0] as string, seen[1] as string);
}
