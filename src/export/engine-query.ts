/**
 * The queries neuron itself runs in an engine (`--engine duckdb|postgres`):
 * neuron's input rules written as SQL, so that the engine reads each input
 * cell as `eval` reads it and says which cells are missing or not numbers.
 *
 * A text cell is a number only if it matches the number rule of
 * src/neuron/numbers.ts (a plain decimal, ASCII spaces and tabs around) and
 * is finite; empty, NA, N/A, NaN, null, None (any case) and NULL are missing.
 * A numeric column's NULL and NaN are missing, and ±Infinity is not a number.
 *
 * Every query selects from `cellsSql`: one row per data row with, for input
 * cell i, `neuron_v{i}` (the double, or NULL; for a one-hot column its
 * category's text) and `neuron_m{i}` (0 a number or a category, 1 missing,
 * 2 not a number, 3 a category the model does not know), the kept columns
 * and the label as text. `usedRowsSql` turns the cells into the model's
 * inputs (one-hot 1 or 0, fills in), so the export's SQL only sums them.
 */
import type { UnknownPolicy } from '../neuron/encoding.js';
import type { MissingPolicy } from '../neuron/numbers.js';
import { type DialectName, dialects } from './sql.js';

export type EngineDialect = Extract<DialectName, 'duckdb' | 'postgres'>;

/** A column of the engine's data, as neuron sees it. */
export interface SourceColumn {
  /** The name in messages and options (the header's, or 1, 2, ... without one). */
  readonly name: string;
  /** The engine's own name for it. */
  readonly sqlName: string;
  /** The engine's type, as it spells it. */
  readonly type: string;
  readonly kind: 'number' | 'text' | 'other';
}

/**
 * The number rule of numbers.ts as a regular expression (RE2 in DuckDB, POSIX ARE in PostgreSQL);
 * [[:blank:]] is a space or a tab. No backslash, so that no SQL client reads one as a command.
 */
const NUMBER = '^[[:blank:]]*[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?[[:blank:]]*$';

interface EngineSql {
  readonly matches: (text: string, re: string) => string;
  readonly trim: (text: string) => string;
  readonly text: (e: string) => string;
  /** A text that matches NUMBER as a double; NULL when it is out of range. */
  readonly toDouble: (text: string) => string;
  /** NaN or an infinity, as booleans over a double. */
  readonly isNan: (x: string) => string;
  readonly isInfinite: (x: string) => string;
  /** Neither NULL, NaN nor an infinity (one call where the engine has one: the fast path of a guarded cell). */
  readonly isFinite: (x: string) => string;
  /** Names a row in messages: its position (DuckDB) or its ctid (PostgreSQL). */
  readonly rowId: string;
  /** An expression that fails the query with a message, where the engine has one (DuckDB's error()). */
  readonly fail?: (message: string) => string;
}

const engineSql = {
  duckdb: {
    matches: (t, re) => `regexp_matches(${t}, '${re}')`,
    trim: (t) => `trim(${t}, ' ' || chr(9))`,
    text: (e) => `CAST(${e} AS VARCHAR)`,
    // DuckDB's cast rounds correctly and gives NULL past the double range.
    toDouble: (t) => `TRY_CAST(${t} AS DOUBLE)`,
    isNan: (x) => `isnan(${x})`,
    isInfinite: (x) => `isinf(${x})`,
    // NULL for NULL, which a CASE reads as false.
    isFinite: (x) => `isfinite(${x})`,
    rowId: 'row_number() OVER ()',
    fail: (message) => `error('${message}')`,
  },
  postgres: {
    matches: (t, re) => `(${t} ~ '${re}')`,
    trim: (t) => `btrim(${t}, ' ' || chr(9))`,
    text: (e) => `CAST(${e} AS TEXT)`,
    // float8in fails the query on a value out of range: read it as numeric first (exact), and
    // give NULL beyond the largest double, 0 where it rounds to zero, as Number() does.
    toDouble: (t) =>
      `CASE WHEN abs(CAST(${t} AS NUMERIC)) >= 1.797693134862315807e308 THEN NULL ` +
      `WHEN abs(CAST(${t} AS NUMERIC)) <= 2.4703282292062328e-324 THEN 0::float8 ELSE CAST(${t} AS DOUBLE PRECISION) END`,
    isNan: (x) => `(${x} = 'NaN'::float8)`,
    isInfinite: (x) => `(${x} IN ('Infinity'::float8, '-Infinity'::float8))`,
    isFinite: (x) => `(${x} NOT IN ('Infinity'::float8, '-Infinity'::float8, 'NaN'::float8))`,
    rowId: 'ctid::text',
  },
} as const satisfies Record<EngineDialect, EngineSql>;

export function engineRowId(dialect: EngineDialect): string {
  return engineSql[dialect].rowId;
}

/**
 * How an encoded model (one with "categories" or "impute") reads a cell, as
 * src/neuron/encoding.ts's RowEncoder does: a number whose missing cell takes
 * `fill`, or (one-hot) a text compared exactly with `categories`, a missing
 * cell taking the category `fill`, one it does not know an error (state 3) or,
 * with `unknown: 'zero'`, every indicator 0. Undefined: a plain number.
 */
export interface CellRule {
  readonly fill?: number | string | undefined;
  /** One-hot: the model's categories of the column. */
  readonly categories?: readonly string[] | undefined;
  readonly unknown?: UnknownPolicy | undefined;
}

/** State 3: a one-hot column's text that is none of the model's categories. */
export const UNKNOWN_STATE = 3;

const MISSING_WORDS = "('', 'na', 'n/a', 'nan', 'null', 'none')";

/** Whether column `c`'s cell is missing as text: NULL, or empty, NA, N/A, NaN, null, None (any case, spaces and tabs around). */
function missingText(dialect: EngineDialect, c: SourceColumn): string {
  const e: EngineSql = engineSql[dialect];
  const x = dialects[dialect].identifier(c.sqlName);
  return `${x} IS NULL OR lower(${e.trim(e.text(x))}) IN ${MISSING_WORDS}`;
}

/**
 * The SQL for input i's value and state over column `c`: a double, or (one-hot) the category's text;
 * `checked`, the value of a cell known to be in state 0 (checked already), without the checks;
 * `finite`, for a number column, the double itself, which a cell whose double is finite is.
 */
function cell(dialect: EngineDialect, c: SourceColumn, rule: CellRule | undefined): { value: string; state: string; checked: string; finite?: string } {
  const e: EngineSql = engineSql[dialect];
  const d = dialects[dialect];
  const x = d.identifier(c.sqlName);
  const t = e.text(x);
  const trimmed = e.trim(t);
  const textMissing = missingText(dialect, c);
  if (rule?.categories !== undefined) {
    const known = `${t} IN (${rule.categories.map((name) => d.string(name)).join(', ')})`;
    const fill = typeof rule.fill === 'string' ? d.string(rule.fill) : 'NULL';
    const value = `CASE WHEN ${known} THEN ${t} WHEN ${textMissing} THEN ${fill} END`;
    return {
      value,
      checked: value,
      state:
        `CASE WHEN ${known} THEN 0 WHEN ${textMissing} THEN ${typeof rule.fill === 'string' ? 0 : 1} ` +
        `ELSE ${rule.unknown === 'zero' ? 0 : UNKNOWN_STATE} END`,
    };
  }
  let missing: string;
  let value: string;
  let bad: string;
  // A number in state 0 is the double (a number column's) or the text read as one (it matched NUMBER).
  let number: string;
  if (c.kind === 'number') {
    number = d.double(x);
    missing = `${x} IS NULL OR ${e.isNan(number)}`;
    value = `CASE WHEN ${e.isNan(number)} OR ${e.isInfinite(number)} THEN NULL ELSE ${number} END`;
    bad = e.isInfinite(number);
  } else {
    number = e.toDouble(trimmed);
    value = `CASE WHEN ${e.matches(t, NUMBER)} THEN ${number} END`;
    missing = textMissing;
    // Not a number: NULL (no match, or out of range) or an infinity; the value once, not once per test (it is never NaN).
    bad = `${e.isFinite(`(${value})`)} IS NOT TRUE`;
  }
  // A missing cell with the model's fill is the fill, and no longer missing.
  const filled = typeof rule?.fill === 'number';
  const fill = (v: string) => (filled ? `CASE WHEN ${missing} THEN ${d.number(rule?.fill as number)} ELSE ${v} END` : v);
  return {
    value: fill(value),
    state: `CASE WHEN ${missing} THEN ${filled ? 0 : 1} WHEN ${bad} THEN 2 ELSE 0 END`,
    checked: fill(number),
    ...(c.kind === 'number' ? { finite: number } : {}),
  };
}

/**
 * In a failure raised by a guarded query (`CellsQuery.guard`): a cell broke
 * the input rules, and the check query (which names it) is to be run.
 */
export const GUARD_MARKER = 'neuron: a cell breaks the input rules';

/** Whether the engine can check the cells in the query that reads them (one pass instead of two). */
export function canGuard(dialect: EngineDialect): boolean {
  return (engineSql[dialect] as EngineSql).fail !== undefined;
}

export interface CellsQuery {
  readonly dialect: EngineDialect;
  readonly from: string;
  /** The input cells: one per input of a plain model; an encoded model's numeric inputs, then its one-hot columns. */
  readonly inputs: readonly SourceColumn[];
  /** An encoded model: how each input cell is read (parallel to `inputs`). */
  readonly rules?: readonly (CellRule | undefined)[] | undefined;
  /**
   * An encoded model: its inputs in weight order, each a cell of `inputs` and
   * (one-hot) the category that makes it 1. Undefined: input i is cell i.
   */
  readonly encoded?: readonly { readonly cell: number; readonly category?: string | undefined }[] | undefined;
  readonly keep: readonly SourceColumn[];
  readonly label?: SourceColumn | undefined;
  /**
   * Training: a missing label (NULL, empty, NA, ...) is a missing cell, as
   * `train` reads it: `neuron_lm` is 1 for it, and --missing skip leaves its row out.
   */
  readonly labelMissing?: boolean | undefined;
  /** Add `neuron_row`, naming each row (for the query that locates a problem). */
  readonly rowId?: boolean;
  /**
   * Fail the query (GUARD_MARKER) at a cell that is not a number, a missing
   * one unless --missing allows it, or a label that is not a class, instead
   * of checking in a query of its own first (engines with `fail`).
   */
  readonly guard?: { readonly missing: MissingPolicy; readonly label?: ((text: string) => string) | undefined } | undefined;
}

/** Input i as `neuron_v{i}` and `neuron_m{i}`, kept column k as text `neuron_k{k}`, the label as text `neuron_label`. */
export function cellsSql(q: CellsQuery): string {
  const d = dialects[q.dialect];
  const e: EngineSql = engineSql[q.dialect];
  const items: string[] = [];
  if (q.rowId === true) items.push(`${e.rowId} AS neuron_row`);
  const fail = q.guard === undefined || e.fail === undefined ? undefined : e.fail(GUARD_MARKER);
  q.inputs.forEach((c, i) => {
    const { value, state, finite } = cell(q.dialect, c, q.rules?.[i]);
    const missing = q.guard?.missing === 'error' ? fail : 'NULL';
    // A number column's finite double is in state 0 and is its value: one test per cell on the way every good cell takes.
    const fast = finite === undefined ? '' : `WHEN ${e.isFinite(finite)} THEN ${finite} `;
    const guarded = fail === undefined ? value : `CASE ${fast}WHEN (${state}) = 0 THEN ${value} WHEN (${state}) = 1 THEN ${missing} ELSE ${fail} END`;
    items.push(`${guarded} AS neuron_v${i}`, `${state} AS neuron_m${i}`, `${e.text(d.identifier(c.sqlName))} AS neuron_t${i}`);
  });
  q.keep.forEach((c, k) => {
    items.push(`${e.text(d.identifier(c.sqlName))} AS neuron_k${k}`);
  });
  if (q.label !== undefined) {
    const text = e.text(d.identifier(q.label.sqlName));
    // q.guard.label: the label's class as SQL (NULL for a value that is not a class) over its text.
    const check = q.guard?.label;
    items.push(`${fail === undefined || check === undefined ? text : `CASE WHEN (${check(text)}) IS NULL THEN ${fail} ELSE ${text} END`} AS neuron_label`);
    if (q.labelMissing === true) items.push(`CASE WHEN ${missingText(q.dialect, q.label)} THEN 1 ELSE 0 END AS neuron_lm`);
  }
  return `SELECT ${items.join(', ')} FROM ${q.from}`;
}

/** Whether any input of the row is missing (state 1), not a number (state 2) or an unknown category (state 3). */
export function anyState(inputs: number, state: 1 | 2 | 3): string {
  return Array.from({ length: inputs }, (_, i) => `neuron_m${i} = ${state}`).join(' OR ') || 'FALSE';
}

/** Whether a cell of the row is missing: an input (state 1), or the label when the query reads it as training does. */
export function anyMissing(q: Pick<CellsQuery, 'inputs' | 'label' | 'labelMissing'>): string {
  const inputs = anyState(q.inputs.length, 1);
  return q.label !== undefined && q.labelMissing === true ? `neuron_lm = 1 OR ${inputs}` : inputs;
}

/**
 * The rows that scoring and training read, by the --missing policy (skipped
 * rows left out, or missing values as 0): input i as `neuron_x{i}`, with the
 * kept columns and the label as `cellsSql` names them.
 */
export function usedRowsSql(q: CellsQuery, missing: MissingPolicy): string {
  // --missing zero: a missing number is 0 (a one-hot column's missing cell is no category: every indicator 0).
  const value = (i: number, oneHot: boolean) => (missing === 'zero' && !oneHot ? `COALESCE(neuron_v${i}, 0)` : `neuron_v${i}`);
  const kept = q.keep.map((_, k) => `neuron_k${k}`);
  const label = q.label === undefined ? [] : ['neuron_label'];
  const where = missing === 'skip' ? ` WHERE NOT (${anyMissing(q)})` : '';
  return `SELECT ${[...kept, ...label, ...modelInputs(q, value)].join(', ')} FROM (${cellsSql(q)}) AS neuron_cells${where}`;
}

/**
 * `usedRowsSql`'s rows (with --missing error) for data whose cells `checkCells` has found good: each
 * cell read straight from its column, with none of the checks, so that a query run many times over the
 * same data (a Newton step) does not check every cell again. The label is its text, as `cellsSql` gives it.
 */
export function checkedRowsSql(q: CellsQuery): string {
  const d = dialects[q.dialect];
  const e: EngineSql = engineSql[q.dialect];
  const text = (c: SourceColumn) => e.text(d.identifier(c.sqlName));
  const cells = q.inputs.map((c, i) => cell(q.dialect, c, q.rules?.[i]).checked);
  const kept = q.keep.map((c, k) => `${text(c)} AS neuron_k${k}`);
  const label = q.label === undefined ? [] : [`${text(q.label)} AS neuron_label`];
  return `SELECT ${[...kept, ...label, ...modelInputs(q, (i) => `(${cells[i]})`)].join(', ')} FROM ${q.from}`;
}

/** The model's inputs in weight order as `neuron_x{j}`, from each cell's value (a one-hot input: 1 where the text is its category, else 0). */
function modelInputs(q: CellsQuery, value: (cell: number, oneHot: boolean) => string): string[] {
  const d = dialects[q.dialect];
  const encoded = q.encoded ?? q.inputs.map((_, cell) => ({ cell, category: undefined }));
  return encoded.map(
    ({ cell, category }, j) =>
      `${category === undefined ? value(cell, false) : `CASE WHEN ${value(cell, true)} = ${d.string(category)} THEN ${d.number(1)} ELSE ${d.number(0)} END`} AS ${usedInput(j)}`,
  );
}

/** The name of input i in `usedRowsSql`. */
export function usedInput(i: number): string {
  return `neuron_x${i}`;
}
