/**
 * The data in an engine (`--engine duckdb|postgres`), for every command: open
 * it, bind the model to its columns, and check every input cell by neuron's
 * input rules inside the engine (one aggregate query), so that a missing or
 * non-numeric cell is an error naming the column, the value and the row, or
 * follows --missing, before any score is written.
 */
import { NeuronError } from '../errors.js';
import {
  anyMissing,
  anyState,
  type CellRule,
  type CellsQuery,
  cellsSql,
  checkedRowsSql,
  type SourceColumn,
  UNKNOWN_STATE,
  usedRowsSql,
} from '../export/engine-query.js';
import { labelSql } from '../export/train-step.js';
import { type Engine, type EngineName, openEngine } from '../io/engines/engine.js';
import type { BoundModel, Columns } from '../neuron/columns.js';
import { encodedInputs, missingCategoryError, type UnknownPolicy, unknownCategoryError } from '../neuron/encoding.js';
import { type AnyModel, isEncoded } from '../neuron/model.js';
import { explainBadNumber, type MissingPolicy } from '../neuron/numbers.js';
import type { EngineOptions } from './engine-options.js';
import { checkInterrupt } from './input.js';
import { saySkipped } from './skipped.js';
import type { World } from './world.js';

export type { EngineOptions } from './engine-options.js';

/** Runs `use` with the engine open; closes it afterwards, also on error. Ctrl-C is heard between queries. */
export async function withEngine<T>(world: World, dataPath: string | undefined, options: EngineOptions, use: (engine: Engine) => Promise<T>): Promise<T> {
  const name = options.engine as EngineName;
  const engine = await openEngine(name, { path: dataPath, db: options.db, table: options.table, delimiter: options.delimiter, header: options.header });
  const abort = () => engine.interrupt();
  world.signal?.addEventListener('abort', abort, { once: true });
  try {
    return await use(engine);
  } catch (error) {
    // The engine's own error for a query cut short by Ctrl-C.
    if (world.signal?.aborted === true) throw new NeuronError('interrupted', 'interrupted');
    throw error;
  } finally {
    world.signal?.removeEventListener('abort', abort);
    await engine.close();
  }
}

/** The engine's columns as neuron's Columns, and as the engine names and types them. */
export async function engineColumns(engine: Engine): Promise<{ columns: Columns; source: SourceColumn[] }> {
  const source = await engine.columns();
  return { columns: { names: source.map((c) => c.name), fromHeader: true }, source };
}

/** The source columns of the inputs, refusing a type that cannot hold numbers (a date, a boolean...). */
export function inputColumns(engine: Engine, source: readonly SourceColumn[], indices: readonly number[]): SourceColumn[] {
  return indices.map((i) => {
    const column = source[i] as SourceColumn;
    if (column.kind === 'other') {
      throw new NeuronError(
        'bad-column-type',
        `column ${JSON.stringify(column.name)} has the type ${column.type}, not a number`,
        { file: engine.name },
        'choose numeric input columns, or cast this one to a number',
      );
    }
    return column;
  });
}

/** The input cells of a bound model as the engine queries read them (CellsQuery's inputs, rules and encoded). */
export type InputCells = Pick<CellsQuery, 'inputs' | 'rules' | 'encoded'>;

/**
 * The input cells of any bound model: one per input of a plain model; for an
 * encoded one, its numeric inputs (each with its fill) in weight order, then
 * each one-hot column once (its categories, its fill, `unknown`), as
 * RowEncoder reads a row, so that the check query stops at the cell eval
 * stops at. A one-hot column may have any type (its text is compared).
 */
export function inputCells(engine: Engine, source: readonly SourceColumn[], bound: BoundModel<AnyModel>, unknown: UnknownPolicy = 'error'): InputCells {
  if (!isEncoded(bound.model)) return { inputs: inputColumns(engine, source, bound.inputIndices) };
  const model = bound.model;
  const encoded = encodedInputs(model);
  const inputs: SourceColumn[] = [];
  const rules: CellRule[] = [];
  const at: { cell: number; category?: string | undefined }[] = [];
  encoded.forEach((input, j) => {
    if (input.category !== undefined) return;
    at[j] = { cell: inputs.length };
    inputs.push(...inputColumns(engine, source, [bound.inputIndices[j] as number]));
    rules.push({ fill: input.fill });
  });
  const columns = new Map<string, number>();
  encoded.forEach((input, j) => {
    if (input.category === undefined) return;
    let cell = columns.get(input.column);
    if (cell === undefined) {
      cell = inputs.length;
      columns.set(input.column, cell);
      inputs.push(source[bound.inputIndices[j] as number] as SourceColumn);
      rules.push({ fill: input.fill, categories: model.categories?.get(input.column) ?? [], unknown });
    }
    at[j] = { cell, category: input.category };
  });
  return { inputs, rules, encoded: at };
}

export interface CheckedData {
  /** Rows left out by --missing skip, and the first few of them (row numbers, or ctids in PostgreSQL). */
  readonly skipped: number;
  readonly skippedRows: readonly string[];
  readonly rows: number;
}

export interface LabelCheck {
  readonly classes: readonly string[];
  /** Throws the message for a label value that is not a class. */
  readonly refuse: (value: string) => never;
}

/** How many skipped rows a message lists. */
const SHOWN = 5;

/**
 * Checks every input cell (and the label) in the engine: a cell that is not a
 * number is an error whatever --missing says; a missing one is an error, or
 * skips its row, or counts as 0.
 */
export async function checkCells(world: World, engine: Engine, q: CellsQuery, missing: MissingPolicy, label?: LabelCheck): Promise<CheckedData> {
  const n = q.inputs.length;
  const missingRow = anyMissing(q);
  const usedRow = missing === 'skip' ? `NOT (${missingRow})` : 'TRUE';
  const badLabel = label === undefined ? 'FALSE' : `${usedRow} AND (${labelSql(q.dialect, 'neuron_label', label.classes)}) IS NULL`;
  const cells = `${anyState(n, 2)} OR ${anyState(n, UNKNOWN_STATE)}`;
  // Training reads the label first: --missing skip drops a row without one before its cells are read.
  const labelled = q.label !== undefined && q.labelMissing === true;
  const broken = labelled && missing === 'skip' ? `(${cells}) AND neuron_lm = 0` : cells;
  const sums = [
    `count(*)`,
    `sum(CASE WHEN ${broken} THEN 1 ELSE 0 END)`,
    `sum(CASE WHEN ${missingRow} THEN 1 ELSE 0 END)`,
    `sum(CASE WHEN ${badLabel} THEN 1 ELSE 0 END)`,
  ];
  const [row] = await engine.rows(`SELECT ${sums.join(', ')} FROM (${cellsSql(q)}) AS neuron_cells`);
  checkInterrupt(world);
  const [rows, bad, absent, labels] = (row ?? []).map((v) => Number(v ?? 0)) as [number, number, number, number];
  const located = (where: string, limit: number) =>
    engine.rows(
      `SELECT neuron_row, ${Array.from({ length: n }, (_, i) => `neuron_m${i}, neuron_t${i}`).join(', ')}${q.label === undefined ? '' : ', neuron_label'}` +
        `${labelled ? ', neuron_lm' : ''} FROM (${cellsSql({ ...q, rowId: true })}) AS neuron_cells WHERE ${where} LIMIT ${limit}`,
    );
  if (bad > 0 || (absent > 0 && missing === 'error')) {
    // As eval stops: at the first row with a problem, at its first input with one (a missing one counts unless --missing says).
    const [first] = await located(missing === 'error' ? `${missingRow} OR ${broken}` : broken, 1);
    throw cellError(engine, q, first ?? [], missing);
  }
  if (labels > 0 && label !== undefined) {
    const [first] = await located(badLabel, 1);
    const value = first?.[1 + 2 * n];
    try {
      label.refuse(value === null || value === undefined ? '' : String(value));
    } catch (error) {
      throw atRow(error, engine, String(first?.[0]));
    }
  }
  if (absent > 0 && missing === 'skip') {
    const firstRows = await located(missingRow, SHOWN);
    return { skipped: absent, skippedRows: firstRows.map((r) => String(r[0])), rows };
  }
  return { skipped: 0, skippedRows: [], rows };
}

/** Checks the cells (checkCells), says which rows --missing skip left out, and gives the rows used as a FROM item (training, summary). */
export async function checkedRows(world: World, engine: Engine, q: CellsQuery, missing: MissingPolicy, label?: LabelCheck): Promise<string> {
  const checked = await checkCells(world, engine, q, missing, label);
  saySkipped(world, checked.skipped, checked.skippedRows, 'row');
  // Every cell is good now (under --missing skip, good or missing): with none missing, the queries read many times
  // (Newton steps) take the cells straight from their columns, unchecked; a text file's rows are parsed once, into a
  // scratch table (Engine.keep).
  return engine.keep(missing === 'error' ? checkedRowsSql(q) : usedRowsSql(q, missing), 'neuron_used');
}

/** The error for the first problem of `row` (located query: row id, state and text per input, then the label's text and state). */
function cellError(engine: Engine, q: CellsQuery, row: readonly unknown[], missing: MissingPolicy): NeuronError {
  const n = q.inputs.length;
  if (q.label !== undefined && q.labelMissing === true && Number(row[2 + 2 * n]) === 1 && missing === 'error') {
    return missingLabelError(engine, q.label, row[1 + 2 * n], String(row[0]));
  }
  const i = q.inputs.findIndex((_, k) => {
    const state = Number(row[1 + 2 * k]);
    return state === 2 || state === UNKNOWN_STATE || (missing === 'error' && state === 1);
  });
  const state = Number(row[1 + 2 * i]);
  const column = q.inputs[i] as SourceColumn;
  // A CSV's empty cell is NULL to DuckDB: say what the user sees in the file.
  const text = row[2 + 2 * i] ?? (engine.nullIsEmpty ? '' : null);
  const categories = q.rules?.[i]?.categories;
  if (categories !== undefined) {
    const prefix = `${rowName(engine, String(row[0]))}: `;
    const where = { file: engine.name };
    if (state === UNKNOWN_STATE) return unknownCategoryError(String(text), column.name, categories, where, prefix);
    // A NULL where the file has no cell to show (a table): "empty" is the nearest word for it.
    return missingCategoryError(text === null ? '' : String(text), column.name, where, prefix);
  }
  const shown = text === null ? 'NULL where a number is needed' : explainBadNumber(String(text)).problem;
  const { hint } = explainBadNumber(String(text ?? ''));
  const fix = state === 1 && missing === 'error' ? 'fill in the value, or pass --missing skip (drop the row) or --missing zero' : hint;
  return new NeuronError(
    state === 1 ? 'missing-value' : 'not-a-number',
    `${rowName(engine, String(row[0]))}: column ${JSON.stringify(column.name)}: ${shown}`,
    { file: engine.name },
    fix,
  );
}

/** A row's missing label, in in-process train's words (a DuckDB CSV's empty cell is NULL: empty, as in the file). */
function missingLabelError(engine: Engine, label: SourceColumn, cell: unknown, id: string): NeuronError {
  const value = cell === null || cell === undefined ? (engine.nullIsEmpty ? '' : null) : String(cell).trim();
  const what = value === null ? 'NULL label' : value === '' ? 'empty label' : `missing label ${JSON.stringify(value)}`;
  return new NeuronError(
    'missing-label',
    `${rowName(engine, id)}: --label column ${JSON.stringify(label.name)}: ${what}`,
    { file: engine.name },
    'fill in the label, or pass --missing skip (drop the row)',
  );
}

/** "row 3" (DuckDB: the data row's position) or "row (0,3)" (PostgreSQL: its ctid, for WHERE ctid = '(0,3)'). */
export function rowName(engine: Engine, id: string): string {
  return engine.dialect === 'postgres' ? `row ctid ${id}` : `row ${id}`;
}

/** A NeuronError from a row check, with the row named. */
function atRow(error: unknown, engine: Engine, id: string): unknown {
  if (!(error instanceof NeuronError)) return error;
  return new NeuronError(error.reason, `${rowName(engine, id)}: ${error.message}`, { file: engine.name }, error.hint);
}
