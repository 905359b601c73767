/**
 * One Newton step of logistic regression as one aggregate SELECT: at the
 * weights given, the sums over the rows that the step needs: the row count,
 * the log-likelihood (as the summed log loss), the gradient Xᵀ(p − y) and the
 * Hessian XᵀWX with W = diag(p(1 − p)), the bias being x₀ = 1. Every engine
 * runs it in parallel over any number of rows, and only (d + 1)(d + 4)/2 + 4
 * numbers come back (and `correct`, the rows classified right). `neuron export --to sql --train-step` prints it for a
 * user's own loop; `train --engine` runs it once per iteration.
 *
 * Per row, with e = exp(-|z|) (|z| capped at 700 so that no engine's exp
 * underflows: beyond it e < 1e-304 and every term below is unchanged at
 * double precision in a sum):
 *   p = 1 - e/(1+e) for z >= 0, e/(1+e) for z < 0 (the stable sigmoid)
 *   loss = ln(1 + e) + max(z, 0) - y·z   (−log-likelihood of the row)
 *   p(1 − p) = e / (1 + e)²
 * A row whose z is NULL (a NULL input, or a label that is not a class) adds
 * nothing: `n` counts the rows used and `rows` all of them.
 */
import type { StepSums } from '../learn/newton-sums.js';
import type { ClassWeights } from '../learn/row-weights.js';
import { exponentLiteral, type Input, type LinearModel, standardizedTerm } from './linear.js';
import { type DialectName, dialects, type SqlDialect } from './sql.js';

/** What a dialect writes differently in the step query (the rest is in sql.ts's `dialects`). */
interface StepDialect {
  readonly least: (a: string, b: string) => string;
  readonly greatest: (a: string, b: string) => string;
  /** A value as text, to compare a label with the class names. */
  readonly text: (e: string) => string;
  /**
   * Written before a subquery's closing parenthesis to keep the dialect from pulling the subquery up into the
   * one above. PostgreSQL does, writing a column's expression again at every use (z in r, w and the loss, each
   * in every sum; the cell checks inside each input): OFFSET 0 keeps each level computed once a row.
   */
  readonly fence: string;
}

const standardStep: StepDialect = {
  least: (a, b) => `least(${a}, ${b})`,
  greatest: (a, b) => `greatest(${a}, ${b})`,
  text: (e) => `CAST(${e} AS VARCHAR)`,
  fence: '',
};

const stepDialects = {
  duckdb: standardStep,
  postgres: { ...standardStep, text: (e) => `CAST(${e} AS TEXT)`, fence: 'OFFSET 0\n' },
  // SQLite's scalar min() and max() take several arguments; it has no least/greatest.
  sqlite: { least: (a, b) => `min(${a}, ${b})`, greatest: (a, b) => `max(${a}, ${b})`, text: (e) => `CAST(${e} AS TEXT)`, fence: '' },
  spark: { ...standardStep, text: (e) => `CAST(${e} AS STRING)` },
  bigquery: { least: (a, b) => `LEAST(${a}, ${b})`, greatest: (a, b) => `GREATEST(${a}, ${b})`, text: (e) => `CAST(${e} AS STRING)`, fence: '' },
} as const satisfies Record<DialectName, StepDialect>;

/** What keeps `dialect` from pulling a subquery up into the query above (StepDialect's `fence`), for every step query. */
export function stepFence(dialect: DialectName): string {
  return stepDialects[dialect].fence;
}

/** The columns of the step query's one row, in order: n, rows, loss, correct, g0..gd, then h{j}_{k} for j <= k. */
export function stepColumns(features: number): string[] {
  const names = ['n', 'rows', 'loss', 'correct'];
  for (let j = 0; j <= features; j++) names.push(`g${j}`);
  for (const [j, k] of upperPairs(features + 1)) names.push(`h${j}_${k}`);
  return names;
}

/** The entries (j, k), j <= k, of a symmetric k × k matrix's upper triangle, row by row. */
export function upperPairs(size: number): [number, number][] {
  const pairs: [number, number][] = [];
  for (let j = 0; j < size; j++) for (let k = j; k < size; k++) pairs.push([j, k]);
  return pairs;
}

/** The step query's row as sums (the Hessian filled in from its upper triangle); its columns are stepColumns(k - 1). */
export function stepSumsOf(row: readonly unknown[], k: number): StepSums {
  const hessian = new Float64Array(k * k);
  upperPairs(k).forEach(([j, m], i) => {
    const h = Number(row[4 + k + i] ?? Number.NaN);
    hessian[j * k + m] = h;
    hessian[m * k + j] = h;
  });
  const at = (i: number) => Number(row[i] ?? Number.NaN);
  return { n: at(0), loss: at(2), correct: at(3), gradient: Float64Array.from({ length: k }, (_, j) => at(4 + j)), hessian };
}

export interface StepQuery {
  readonly dialect: DialectName;
  /** The FROM item, inserted as written. */
  readonly from: string;
  /** Each input's value as a double, in weight order (SQL expressions over the FROM item). */
  readonly inputs: readonly string[];
  /** The label as 0 or 1 (NULL: the row is left out). */
  readonly y: string;
  readonly bias: number;
  readonly weights: readonly number[];
  /** Each row's weight (a double over the FROM item; a NULL or negative one leaves the row out); undefined: 1. */
  readonly sample?: string | undefined;
  /** The classes' weights (class 0's, class 1's), or `balanced`: n / (2 · rows of the class) over the rows used; undefined: 1. */
  readonly classWeights?: ClassWeights | undefined;
}

/** The step query for SQL expressions of the inputs and the label. */
export function stepSql(q: StepQuery): string {
  const d: SqlDialect = dialects[q.dialect];
  const s: StepDialect = stepDialects[q.dialect];
  const id = d.identifier;
  const n = d.number;
  const x = q.inputs.map((_, j) => id(`neuron_x${j + 1}`));
  const [yName, zName, eName, rName, wName, lName] = ['neuron_y', 'neuron_z', 'neuron_e', 'neuron_r', 'neuron_w', 'neuron_loss'].map(id) as [
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  let z = n(q.bias);
  q.weights.forEach((w, j) => {
    const negative = w < 0 || Object.is(w, -0);
    z += ` ${negative ? '-' : '+'} ${n(Math.abs(w))} * ${x[j]}`;
  });
  const right = `(${zName} >= ${n(0)} AND ${yName} = ${n(1)}) OR (${zName} < ${n(0)} AND ${yName} = ${n(0)})`;
  const sums = [
    `count(${zName}) AS ${id('n')}`,
    `count(*) AS ${id('rows')}`,
    `sum(${lName}) AS ${id('loss')}`,
    `sum(CASE WHEN ${right} THEN 1 ELSE 0 END) AS ${id('correct')}`,
    `sum(${rName}) AS ${id('g0')}`,
  ];
  x.forEach((xj, j) => {
    sums.push(`sum(${rName} * ${xj}) AS ${id(`g${j + 1}`)}`);
  });
  const factor = (j: number) => (j === 0 ? '' : ` * ${x[j - 1]}`);
  for (const [j, k] of upperPairs(x.length + 1)) sums.push(`sum(${wName}${factor(j)}${factor(k)}) AS ${id(`h${j}_${k}`)}`);
  const one = n(1);
  const q1 = `${eName} / (${one} + ${eName})`;
  // sᵢ = class weight × sample weight (as row-weights.ts), multiplying each row's loss, residual and curvature.
  const sName = id('neuron_s');
  const swName = id('neuron_sw');
  const weighted = q.sample !== undefined || q.classWeights !== undefined;
  const classWeight =
    q.classWeights === undefined
      ? undefined
      : q.classWeights === 'balanced'
        ? `${d.double(`count(${zName}) OVER ()`)} / (${n(2)} * NULLIF(count(${zName}) OVER (PARTITION BY ${yName}), 0))`
        : classWeightSql(q.dialect, yName, q.classWeights);
  const rowWeight = rowWeightSql(classWeight, q.sample === undefined ? undefined : sName);
  const times = weighted ? `${swName} * ` : '';
  const kept = [...x, yName, ...(q.sample === undefined ? [] : [sName])];
  const usable = q.sample === undefined ? `${yName} IS NOT NULL` : `${yName} IS NOT NULL AND ${sName} >= ${n(0)}`;
  return (
    `SELECT\n  ${sums.join(',\n  ')}\nFROM (\n` +
    `  SELECT\n    ${[...x, yName, zName].join(', ')},\n` +
    `    ${times}(CASE WHEN ${zName} >= ${n(0)} THEN ${one} - ${q1} ELSE ${q1} END - ${yName}) AS ${rName},\n` +
    `    ${times}${eName} / ((${one} + ${eName}) * (${one} + ${eName})) AS ${wName},\n` +
    `    ${times}(ln(${one} + ${eName}) + ${s.greatest(zName, n(0))} - ${yName} * ${zName}) AS ${lName}\n` +
    '  FROM (\n' +
    `    SELECT ${[...x, yName, zName].join(', ')}, exp(-${s.least(`abs(${zName})`, n(700))}) AS ${eName}${weighted ? `, ${rowWeight} AS ${swName}` : ''}\n` +
    '    FROM (\n' +
    `      SELECT ${kept.join(', ')}, CASE WHEN ${usable} THEN ${z} END AS ${zName}\n` +
    '      FROM (\n' +
    `        SELECT ${[...q.inputs.map((input, j) => `${input} AS ${x[j]}`), `${q.y} AS ${yName}`, ...(q.sample === undefined ? [] : [`${q.sample} AS ${sName}`])].join(', ')}\n` +
    `        FROM ${q.from}\n` +
    `      ${s.fence}) AS neuron_rows\n    ${s.fence}) AS neuron_z\n  ${s.fence}) AS neuron_e\n${s.fence}) AS neuron_terms`
  );
}

/** sᵢ = class weight × sample weight (row-weights.ts's order), or undefined when every row weighs 1. */
function rowWeightSql(classWeight: string | undefined, sample: string | undefined): string | undefined {
  const factors = [classWeight, sample].filter((f) => f !== undefined);
  return factors.length === 0 ? undefined : factors.join(' * ');
}

/** The class weight of a row whose label (0 or 1) is `y`. */
export function classWeightSql(dialect: DialectName, y: string, weights: readonly number[]): string {
  const n = dialects[dialect].number;
  return `CASE WHEN ${y} = ${n(1)} THEN ${n(weights[1] as number)} ELSE ${n(weights[0] as number)} END`;
}

/**
 * The sums that a summary needs beside the step's: `n`, the total weight
 * Σsᵢ (`weight`) and Σsᵢyᵢ (`positive`), and the Gram matrix of [1 x]
 * (`gj_k`, j <= k, index 0 the bias) for the design's rank; every row of
 * the FROM item counts.
 */
export function gramSql(
  q: Pick<StepQuery, 'dialect' | 'from' | 'inputs' | 'y' | 'sample'> & { readonly classWeights?: readonly number[] | undefined },
): string {
  const d: SqlDialect = dialects[q.dialect];
  const id = d.identifier;
  const s = rowWeightSql(q.classWeights === undefined ? undefined : classWeightSql(q.dialect, q.y, q.classWeights), q.sample) ?? d.number(1);
  const column = (j: number) => (j === 0 ? d.number(1) : `(${q.inputs[j - 1]})`);
  const sums = [`count(*) AS ${id('n')}`, `sum(${s}) AS ${id('weight')}`, `sum(${s} * (${q.y})) AS ${id('positive')}`];
  for (const [j, k] of upperPairs(q.inputs.length + 1)) sums.push(`sum(${column(j)} * ${column(k)}) AS ${id(`g${j}_${k}`)}`);
  return `SELECT ${sums.join(', ')} FROM ${q.from}`;
}

/** The label as its class index (0/1, or 0 to k - 1) from its text: a class name or its index, as `eval --label` reads it; NULL otherwise. */
export function labelSql(dialect: DialectName, column: string, classes: readonly string[]): string {
  const d: SqlDialect = dialects[dialect];
  const text = `trim(${stepDialects[dialect].text(column)})`;
  const named = classes.map((c, i) => `WHEN ${text} = ${d.string(c)} THEN ${d.number(i)}`);
  const numbered = classes.map((_, i) => `WHEN ${text} = '${i}' THEN ${d.number(i)}`);
  return `CASE ${named.join(' ')} ${numbered.join(' ')} END`;
}

/** The header line on row weights: what multiplies each row's loss, gradient and Hessian terms. */
function rowWeightWords(classes: readonly string[], options: TrainStepOptions): string {
  const { sampleWeight, classWeights } = options;
  if (sampleWeight === undefined && classWeights === undefined) return '';
  const parts: string[] = [];
  if (classWeights === 'balanced') parts.push('the class weight n / (2 * rows of the class) over the rows used');
  else if (classWeights !== undefined) parts.push(`the class weight (${classes.map((c, i) => `${JSON.stringify(c)} ${classWeights[i]}`).join(', ')})`);
  if (sampleWeight !== undefined) parts.push(`the column ${JSON.stringify(sampleWeight)}`);
  return `-- each row's loss, gradient and Hessian terms are times its weight: ${parts.join(' times ')} (n still counts rows)\n`;
}

export interface TrainStepOptions {
  readonly dialect: DialectName;
  readonly table: string;
  /** The label column: a class name of the model, or 0/1. */
  readonly label: string;
  /** A column of row weights. */
  readonly sampleWeight?: string | undefined;
  readonly classWeights?: ClassWeights | undefined;
}

/** A step query's dialect, FROM item, inputs and label over a table whose columns are named as the model's inputs. */
export function overTable(
  inputs: readonly Input[],
  classes: readonly string[],
  options: TrainStepOptions,
): { dialect: DialectName; from: string; inputs: string[]; y: string } {
  const d: SqlDialect = dialects[options.dialect];
  return {
    dialect: options.dialect,
    from: options.table,
    inputs: inputs.map((input) => standardizedTerm(input, d.double(d.identifier(input.feature)), d.number)),
    y: labelSql(options.dialect, d.identifier(options.label), classes),
  };
}

/**
 * `neuron export --to sql --train-step`: the step query at the model's
 * weights, over a table's columns named as the model's features (each cast
 * to a double, standardizedTerm as the model says).
 */
export function exportTrainStep(model: LinearModel, options: TrainStepOptions): string {
  const d: SqlDialect = dialects[options.dialect];
  const sql = stepSql({
    ...overTable(model.terms, model.classes, options),
    bias: model.bias,
    weights: model.terms.map((t) => t.weight),
    sample: options.sampleWeight === undefined ? undefined : d.double(d.identifier(options.sampleWeight)),
    classWeights: options.classWeights,
  });
  const names = ['bias', ...model.terms.map((t) => t.feature)];
  const weights = rowWeightWords(model.classes, options);
  return (
    `-- neuron export (${options.dialect}): one Newton step of logistic regression at these weights, as sums over the rows\n` +
    `-- n: rows used, rows: all rows (a row with a NULL input${options.sampleWeight === undefined ? '' : ', a NULL or negative weight'} or a label that is neither ${model.classes.map((c) => JSON.stringify(c)).join(' nor ')} nor 0/1 is left out)\n` +
    '-- loss: the summed log loss (minus the log-likelihood); correct: rows whose class (z >= 0) is their label\n' +
    weights +
    '-- g0..gd: the gradient X^T (p - y); hj_k: the Hessian X^T W X, W = p (1 - p)\n' +
    `-- index 0 is the bias; ${names.map((name, j) => `${j} ${JSON.stringify(name)}`).join(', ')}\n` +
    `-- at bias ${exponentLiteral(model.bias)}, weights ${model.terms.map((t) => exponentLiteral(t.weight)).join(', ')}\n` +
    `${sql};\n`
  );
}
