/**
 * Scoring where the data lives (`eval` and `metrics` with --engine): the
 * engine checks the cells, encodes them as the model says (one-hot, fills),
 * computes z (each class's, for a softmax layer) with the export's own SQL
 * (the same double as `eval`: see the README's "How close is it?"), and
 * neuron applies the activation and the class rule (softmax and the largest
 * z) to the z's, so that the output is `eval`'s byte for byte. Parquet
 * output is written by the engine itself, with the export's whole query
 * (activation and class in SQL).
 */
import { NeuronError } from '../errors.js';
import { type CellsQuery, canGuard, GUARD_MARKER, type SourceColumn, usedInput, usedRowsSql } from '../export/engine-query.js';
import { allOutputNames, type ExportModel, exportModel } from '../export/linear.js';
import { dialects, exportSql, zSqls } from '../export/sql.js';
import { labelSql } from '../export/train-step.js';
import type { Engine } from '../io/engines/engine.js';
import { type Metrics, MetricsAccumulator } from '../learn/metrics.js';
import { type ClassMetrics, ClassMetricsAccumulator } from '../learn/multiclass-metrics.js';
import { type ActivationName, activations } from '../neuron/activations.js';
import { type BindOptions, type BoundModel, bindModel, type Columns } from '../neuron/columns.js';
import type { UnknownPolicy } from '../neuron/encoding.js';
import { LabelReader, labelIndex } from '../neuron/labels.js';
import { type LayerScore, LayerScorer, layerScore } from '../neuron/layer-scorer.js';
import type { AnyModel } from '../neuron/model.js';
import type { MissingPolicy } from '../neuron/numbers.js';
import type { Score } from '../neuron/scorer.js';
import type { RowScore } from '../render/formats.js';
import { type CheckedData, checkCells, engineColumns, inputCells, type LabelCheck, rowName } from './engine-data.js';
import { type AnyScorer, scorerFor } from './eval-rows.js';

export { withEngine } from './engine-data.js';

import { checkInterrupt } from './input.js';
import { FLAG_NAMES, LABEL_ROLE } from './options.js';
import type { World } from './world.js';

export interface EngineScoringOptions extends Omit<BindOptions, 'dataFile'> {
  readonly activation?: ActivationName | undefined;
  readonly threshold?: number | undefined;
  readonly missing: MissingPolicy;
  /** A category the model does not know (a model with "categories"). */
  readonly unknown?: UnknownPolicy | undefined;
  /** The hint for a label that is not a class. */
  readonly labelHint?: string | undefined;
  /** Bring back the input columns rather than --keep's (eval's table without --keep shows the inputs). */
  readonly showInputs?: boolean | undefined;
}

export interface EngineScoring {
  readonly engine: Engine;
  readonly bound: BoundModel<AnyModel>;
  readonly scorer: AnyScorer;
  /** The columns whose cells each scored row carries: --keep's, or the inputs (showInputs). */
  readonly shownIndices: readonly number[];
  readonly cells: CellsQuery;
  readonly checked: CheckedData;
  readonly missing: MissingPolicy;
  /** The model over `usedRowsSql`'s input names (encoded already), for the export's SQL. */
  readonly inner: ExportModel;
  /** The check query: throws the located error of the first bad cell or label. */
  readonly check: () => Promise<CheckedData>;
}

/** Binds the model (chosen once the columns are known) to the engine's columns and checks every cell. */
export async function prepareScoring(
  world: World,
  engine: Engine,
  modelFor: (columns: Columns) => AnyModel,
  options: EngineScoringOptions,
): Promise<EngineScoring> {
  const { columns, source } = await engineColumns(engine);
  const model = modelFor(columns);
  const bound = bindModel(model, columns, {
    features: options.features,
    keep: options.keep,
    label: options.label,
    weightsFile: options.weightsFile,
    dataFile: engine.name,
    names: options.names ?? FLAG_NAMES,
  });
  const scorer = scorerFor(bound, { activation: options.activation, threshold: options.threshold, missing: options.missing, unknown: options.unknown });
  // eval's table shows the inputs: a one-hot column once.
  const shownIndices = options.showInputs === true ? [...new Set(bound.inputIndices)] : bound.keepIndices;
  const cells: CellsQuery = {
    dialect: engine.dialect,
    from: engine.from,
    ...inputCells(engine, source, bound, options.unknown),
    keep: shownIndices.map((i) => source[i] as SourceColumn),
    label: bound.labelIndex === undefined ? undefined : source[bound.labelIndex],
  };
  const reader = options.label === undefined ? undefined : new LabelReader(bound, options.label, { role: LABEL_ROLE, hint: options.labelHint });
  const labels: LabelCheck | undefined =
    reader === undefined ? undefined : { classes: bound.model.classes, refuse: (value) => reader.classOf(value, 0, undefined) as never };
  // DuckDB checks the cells in the query that reads them (error() at the first bad one, then the check query
  // names it); else one aggregate query checks them first. --missing skip counts its rows first either way.
  const guarded = canGuard(engine.dialect) && options.missing !== 'skip';
  const check = () => checkCells(world, engine, cells, options.missing, labels);
  const checked = guarded ? { skipped: 0, skippedRows: [], rows: 0 } : await check();
  const label = labels === undefined ? undefined : (text: string) => labelSql(engine.dialect, text, labels.classes);
  // The inputs come encoded (and filled) from usedRowsSql: the export's SQL only sums (and scales) them.
  const plain = { ...bound.model, categories: undefined, impute: undefined };
  const inner = exportModel(scorer instanceof LayerScorer ? plain : ({ ...plain, activation: scorer.activation, threshold: scorer.threshold } as AnyModel), {
    features: bound.inputNames.map((_, i) => usedInput(i)),
  });
  return {
    engine,
    bound,
    scorer,
    shownIndices,
    cells: guarded ? { ...cells, guard: { missing: options.missing, label } } : cells,
    checked,
    missing: options.missing,
    inner,
    check,
  };
}

/** Runs a query over the scoring's rows; a guarded query's failure becomes the check query's located error. */
export async function guarded<T>(s: EngineScoring, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (s.cells.guard !== undefined && error instanceof NeuronError && error.message.includes(GUARD_MARKER)) await s.check();
    throw error;
  }
}

/** Metrics fed each scored row as eachScore gives it: one neuron's, or a softmax layer's, as in-process. */
export interface RowMetrics {
  add(score: RowScore, truth: number): void;
  result(): Metrics | ClassMetrics;
}

/** The metrics accumulator for the scorer's kind of model. */
export function rowMetrics(scorer: AnyScorer): RowMetrics {
  if (scorer instanceof LayerScorer) {
    const layer = new ClassMetricsAccumulator(scorer.k);
    return { add: (score, truth) => layer.add((score as LayerScore).p, score.cls, truth), result: () => layer.result() };
  }
  const neuron = new MetricsAccumulator(activations[scorer.activation].probability);
  return {
    add: (score, truth) => neuron.add((score as Score).z, (score as Score).output, score.cls as 0 | 1, truth as 0 | 1),
    result: () => neuron.result(),
  };
}

/** One scored row: the kept cells (at the kept columns' indices), the score and the true class's index (with --label). */
export type ScoredRow = (cells: readonly string[], score: RowScore, truth: number | undefined) => void;

/**
 * Every used row's score, in the data's order, batch by batch; `afterBatch`
 * returns false to stop (a reader that went away).
 */
export async function eachScore(world: World, s: EngineScoring, visit: ScoredRow, afterBatch: () => Promise<boolean>): Promise<void> {
  const { engine, bound, scorer, cells } = s;
  const keep = cells.keep.map((_, k) => `neuron_k${k}`);
  const label = cells.label === undefined ? [] : ['neuron_label'];
  const zs = zSqls(s.inner, engine.dialect).map((z, c) => `${z} AS neuron_z${c}`);
  const sql = `SELECT ${[...keep, ...label, ...zs].join(', ')} FROM (${usedRowsSql(cells, s.missing)}) AS neuron_used`;
  const width = Math.max(0, ...s.shownIndices.map((i) => i + 1));
  const row = new Array<string>(width).fill('');
  const classes = bound.model.classes;
  const first = keep.length + label.length;
  // One neuron's z, or a layer's k of them, then the activation and the class as in-process.
  const layer = scorer instanceof LayerScorer ? layerScore(scorer.k) : undefined;
  const neuron: Score = { z: 0, output: 0, cls: 0 };
  const finish = (values: readonly unknown[], count: number): RowScore => {
    for (let c = 0; c < zs.length; c++) {
      const z = values[first + c];
      if (typeof z !== 'number')
        throw new NeuronError('engine-failed', `${rowName(engine, String(count))}: z came back as ${String(z)}`, { file: engine.name });
      if (layer !== undefined) layer.z[c] = z;
      else neuron.z = z;
    }
    if (scorer instanceof LayerScorer) return scorer.finishZ(count, undefined, layer as NonNullable<typeof layer>);
    return scorer.finish(neuron.z, count, undefined, neuron);
  };
  let count = 0;
  await guarded(s, () =>
    engine.eachBatch(sql, async (rows) => {
      checkInterrupt(world);
      for (const values of rows) {
        count++;
        for (let k = 0; k < keep.length; k++) row[s.shownIndices[k] as number] = values[k] === null ? '' : String(values[k]);
        let score: RowScore;
        try {
          score = finish(values, count);
        } catch (error) {
          throw error instanceof NeuronError && error.reason !== 'engine-failed'
            ? new NeuronError(error.reason, `scored row ${count}: ${error.message}`, { file: engine.name }, error.hint)
            : error;
        }
        const truth = label.length === 0 ? undefined : labelIndex(String(values[keep.length] ?? ''), classes);
        visit(row, score, truth);
      }
      return afterBatch();
    }),
  );
}

/**
 * The scores as the engine writes them (Parquet, --into): the export's query
 * over the used rows, the kept columns under their names, then eval's output
 * columns (z, the activation, class; a layer's z_<class>, softmax_<class>,
 * class), and `correct` with --label, copied by the engine to `path`.
 */
export function scoresQuery(s: EngineScoring, keepNames: readonly string[]): string {
  const d = dialects[s.engine.dialect];
  const query = exportSql(s.inner, { dialect: s.engine.dialect, table: `(${usedRowsSql(s.cells, s.missing)}) AS neuron_used` })
    .replace(/^--.*\n/gm, '')
    .trimEnd()
    .replace(/;$/, '');
  const outputs = allOutputNames(s.inner).map((name) => d.identifier(name));
  const items = keepNames.map((name, k) => `neuron_k${k} AS ${d.identifier(name)}`);
  items.push(...outputs);
  if (s.cells.label !== undefined) {
    const classes = s.bound.model.classes;
    const truth = labelSql(s.engine.dialect, 'neuron_label', classes);
    const predicted = `CASE ${outputs.at(-1)} ${classes.map((c, i) => `WHEN ${d.string(c)} THEN ${d.number(i)}`).join(' ')} END`;
    items.push(`(${truth}) = ${predicted} AS ${d.identifier('correct')}`);
  }
  return `SELECT ${items.join(', ')} FROM (${query}) AS neuron_scored`;
}
