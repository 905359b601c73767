/**
 * Scoring where the data lives (`eval` and `metrics` with --engine): the
 * engine checks the cells, computes z with the export's own SQL (the same
 * double as `eval`: see the README's "How close is it?"), and neuron applies
 * the activation and the class rule to each z, so that the output is `eval`'s
 * byte for byte. Parquet output is written by the engine itself, with the
 * export's whole query (activation and class in SQL).
 */
import { NeuronError } from '../errors.js';
import { type CellsQuery, canGuard, GUARD_MARKER, type SourceColumn, usedInput, usedRowsSql } from '../export/engine-query.js';
import { type LinearModel, linearModel } from '../export/linear.js';
import { dialects, exportSql, zSql } from '../export/sql.js';
import { labelSql } from '../export/train-step.js';
import type { Engine } from '../io/engines/engine.js';
import type { ActivationName } from '../neuron/activations.js';
import { type BindOptions, type BoundModel, bindModel, type Columns } from '../neuron/columns.js';
import { LabelReader, labelClass } from '../neuron/labels.js';
import type { Model } from '../neuron/model.js';
import type { MissingPolicy } from '../neuron/numbers.js';
import { type Score, Scorer } from '../neuron/scorer.js';
import { type CheckedData, checkCells, engineColumns, inputColumns, type LabelCheck, rowName } from './engine-data.js';

export { withEngine } from './engine-data.js';

import { checkInterrupt } from './input.js';
import { LABEL_ROLE } from './options.js';
import type { World } from './world.js';

export interface EngineScoringOptions extends Omit<BindOptions, 'dataFile'> {
  readonly activation?: ActivationName | undefined;
  readonly threshold?: number | undefined;
  readonly missing: MissingPolicy;
  /** The hint for a label that is not a class. */
  readonly labelHint?: string | undefined;
  /** Bring back the input columns rather than --keep's (eval's table without --keep shows the inputs). */
  readonly showInputs?: boolean | undefined;
}

export interface EngineScoring {
  readonly engine: Engine;
  readonly bound: BoundModel<Model>;
  readonly scorer: Scorer;
  /** The columns whose cells each scored row carries: --keep's, or the inputs (showInputs). */
  readonly shownIndices: readonly number[];
  readonly cells: CellsQuery;
  readonly checked: CheckedData;
  readonly missing: MissingPolicy;
  /** The model over `usedRowsSql`'s input names, for the export's SQL. */
  readonly inner: LinearModel;
  /** The check query: throws the located error of the first bad cell or label. */
  readonly check: () => Promise<CheckedData>;
}

/** Binds the model (chosen once the columns are known) to the engine's columns and checks every cell. */
export async function prepareScoring(
  world: World,
  engine: Engine,
  modelFor: (columns: Columns) => Model,
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
  });
  const scorer = new Scorer(bound, { activation: options.activation, threshold: options.threshold, missing: options.missing });
  const shownIndices = options.showInputs === true ? bound.inputIndices : bound.keepIndices;
  const cells: CellsQuery = {
    dialect: engine.dialect,
    from: engine.from,
    inputs: inputColumns(engine, source, bound.inputIndices),
    keep: shownIndices.map((i) => source[i] as SourceColumn),
    label: bound.labelIndex === undefined ? undefined : source[bound.labelIndex],
  };
  const reader = options.label === undefined ? undefined : new LabelReader(bound, options.label, { role: LABEL_ROLE, hint: options.labelHint });
  const labels: LabelCheck | undefined =
    reader === undefined ? undefined : { classes: bound.model.classes, refuse: (value) => reader.truthOf(value, 0, undefined) as never };
  // DuckDB checks the cells in the query that reads them (error() at the first bad one, then the check query
  // names it); else one aggregate query checks them first. --missing skip counts its rows first either way.
  const guarded = canGuard(engine.dialect) && options.missing !== 'skip';
  const check = () => checkCells(world, engine, cells, options.missing, labels);
  const checked = guarded ? { skipped: 0, skippedRows: [], rows: 0 } : await check();
  const label = labels === undefined ? undefined : (text: string) => labelSql(engine.dialect, text, labels.classes);
  const inner = linearModel(
    { ...bound.model, activation: scorer.activation, threshold: scorer.threshold },
    { features: bound.inputNames.map((_, i) => usedInput(i)) },
  );
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

/** One scored row: the kept cells (at the kept columns' indices), the score and the true class (with --label). */
export type ScoredRow = (cells: readonly string[], score: Score, truth: 0 | 1 | undefined) => void;

/**
 * Every used row's score, in the data's order, batch by batch; `afterBatch`
 * returns false to stop (a reader that went away).
 */
export async function eachScore(world: World, s: EngineScoring, visit: ScoredRow, afterBatch: () => Promise<boolean>): Promise<void> {
  const { engine, bound, scorer, cells } = s;
  const keep = cells.keep.map((_, k) => `neuron_k${k}`);
  const label = cells.label === undefined ? [] : ['neuron_label'];
  const sql = `SELECT ${[...keep, ...label, `${zSql(s.inner, engine.dialect)} AS neuron_z`].join(', ')} FROM (${usedRowsSql(cells, s.missing)}) AS neuron_used`;
  const width = Math.max(0, ...s.shownIndices.map((i) => i + 1));
  const row = new Array<string>(width).fill('');
  const score: Score = { z: 0, output: 0, cls: 0 };
  const classes = bound.model.classes;
  let count = 0;
  await guarded(s, () =>
    engine.eachBatch(sql, async (rows) => {
      checkInterrupt(world);
      for (const values of rows) {
        count++;
        for (let k = 0; k < keep.length; k++) row[s.shownIndices[k] as number] = values[k] === null ? '' : String(values[k]);
        const z = values[keep.length + label.length];
        if (typeof z !== 'number')
          throw new NeuronError('engine-failed', `${rowName(engine, String(count))}: z came back as ${String(z)}`, { file: engine.name });
        try {
          scorer.finish(z, count, undefined, score);
        } catch (error) {
          throw error instanceof NeuronError
            ? new NeuronError(error.reason, `scored row ${count}: ${error.message}`, { file: engine.name }, error.hint)
            : error;
        }
        const truth = label.length === 0 ? undefined : labelClass(String(values[keep.length] ?? ''), classes);
        visit(row, score, truth);
      }
      return afterBatch();
    }),
  );
}

/**
 * The scores as the engine writes them (Parquet): the export's query over the
 * used rows, the kept columns under their names, then z, the activation, class
 * (and `correct` with --label), copied by the engine to `path`.
 */
export function scoresQuery(s: EngineScoring, keepNames: readonly string[]): string {
  const d = dialects[s.engine.dialect];
  const query = exportSql(s.inner, { dialect: s.engine.dialect, table: `(${usedRowsSql(s.cells, s.missing)}) AS neuron_used` })
    .replace(/^--.*\n/gm, '')
    .trimEnd()
    .replace(/;$/, '');
  const [z, output, cls] = ['z', s.scorer.activation, 'class'].map((name) => d.identifier(name));
  const items = keepNames.map((name, k) => `neuron_k${k} AS ${d.identifier(name)}`);
  items.push(`${z}`, `${output}`, `${cls}`);
  if (s.cells.label !== undefined) {
    const truth = labelSql(s.engine.dialect, 'neuron_label', s.bound.model.classes);
    const predicted = `CASE WHEN ${cls} = ${d.string(s.bound.model.classes[1])} THEN 1 ELSE 0 END`;
    items.push(`(${truth}) = ${predicted} AS ${d.identifier('correct')}`);
  }
  return `SELECT ${items.join(', ')} FROM (${query}) AS neuron_scored`;
}
