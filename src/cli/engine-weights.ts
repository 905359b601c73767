/**
 * Row weights in an engine (`train --engine` and `summary --engine` with
 * --sample-weight, `train --engine` with --class-weight), by in-process
 * train's rules: the --sample-weight column is one more cell of the check
 * query (a missing one is an error or, with --missing skip, drops its row; a
 * cell that is not a number is an error), then one query over the rows used
 * finds a negative weight, weights that are all 0, and the rows of each
 * class (for `balanced`). The step query (src/export/train-step.ts) then
 * multiplies each row's terms by sᵢ = class weight × sample weight.
 */
import { NeuronError } from '../errors.js';
import { anyMissing, type CellsQuery, cellsSql, type SourceColumn, usedInput, usedRowsSql } from '../export/engine-query.js';
import type { Engine } from '../io/engines/engine.js';
import { type ClassWeights, perClassWeights } from '../learn/row-weights.js';
import { type Columns, findColumn } from '../neuron/columns.js';
import type { MissingPolicy } from '../neuron/numbers.js';
import { inputColumns, rowName } from './engine-data.js';

/** The --sample-weight column as a cell of the check query (a column that cannot hold numbers is refused). */
export function sampleWeightColumn(engine: Engine, columns: Columns, source: readonly SourceColumn[], name: string): SourceColumn {
  const index = findColumn(columns, name, '--sample-weight column', engine.name);
  return inputColumns(engine, source, [index])[0] as SourceColumn;
}

export interface EngineRowWeights {
  /** sᵢ's sample part over the rows used (usedRowsSql's names), for StepQuery.sample. */
  readonly sample?: string | undefined;
  /** Each class's weight (class 0's, class 1's): `balanced` counted. */
  readonly classWeights?: readonly number[] | undefined;
}

export interface RowWeightsQuery {
  readonly engine: Engine;
  readonly cells: CellsQuery;
  readonly missing: MissingPolicy;
  /** --sample-weight: its column's cell in `cells`, its input in the used rows, its name. */
  readonly sample?: { readonly cell: number; readonly input: number; readonly name: string } | undefined;
  readonly classWeights?: ClassWeights | undefined;
  /** The label as 0 or 1 over the rows used. */
  readonly y: string;
}

/** Checks the sample weights (each >= 0, not all 0) and counts the classes for `balanced`: one query, and one more to name a bad row. */
export async function rowWeightsInEngine(q: RowWeightsQuery): Promise<EngineRowWeights> {
  const { engine, cells, sample } = q;
  if (sample === undefined && q.classWeights === undefined) return {};
  const s = sample === undefined ? undefined : usedInput(sample.input);
  const [row] = await engine.rows(
    `SELECT count(*), sum(${q.y}), ${s === undefined ? '0, 1' : `min(${s}), sum(${s})`} FROM (${usedRowsSql(cells, q.missing)}) AS neuron_used`,
  );
  const [rows, positive, least, total] = (row ?? []).map((v) => Number(v ?? Number.NaN)) as [number, number, number, number];
  const column = JSON.stringify(sample?.name ?? '');
  if (sample !== undefined && least < 0) {
    const skipped = q.missing === 'skip' ? ` AND NOT (${anyMissing(cells)})` : '';
    const [bad] = await engine.rows(
      `SELECT neuron_row, neuron_v${sample.cell} FROM (${cellsSql({ ...cells, rowId: true })}) AS neuron_cells WHERE neuron_v${sample.cell} < 0${skipped} LIMIT 1`,
    );
    throw new NeuronError(
      'bad-row-weight',
      `${rowName(engine, String(bad?.[0]))}: --sample-weight column ${column}: ${Number(bad?.[1])} is not a weight`,
      { file: engine.name },
      'row weights are numbers >= 0',
    );
  }
  if (sample !== undefined && !(total > 0)) {
    throw new NeuronError('bad-row-weight', `--sample-weight column ${column} is 0 on every row`, { file: engine.name }, 'give some rows a weight above 0');
  }
  return {
    ...(s === undefined ? {} : { sample: s }),
    ...(q.classWeights === undefined ? {} : { classWeights: perClassWeights(q.classWeights, [rows - positive, positive]) }),
  };
}
