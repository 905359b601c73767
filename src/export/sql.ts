/**
 * `neuron export --to sql`: the neuron as SQL that a database evaluates
 * natively. What differs between engines lives in one typed table,
 * `dialects`; the query shape is shared.
 *
 * Exactness: every weight is a DOUBLE literal printed with the shortest
 * digits that read back as the same double (in exponent form, which every
 * dialect here reads as a double, never as a DECIMAL); every input is cast
 * to a double (and standardised, ((x - mean) / std), when the model has
 * scaling); z is summed left to right from the bias, as Scorer does.
 */
import { NeuronError } from '../errors.js';
import { exponentLiteral, isScaled, type LinearModel, outputNames, standardised, type Term } from './linear.js';

export interface SqlDialect {
  /** A column name, quoted so that any text (spaces, quotes, reserved words) is taken as a name. */
  readonly identifier: (name: string) => string;
  /** A string literal. */
  readonly string: (text: string) => string;
  /** A double-precision literal that reads back as exactly `x`. */
  readonly number: (x: number) => string;
  /** A column's value as a double. */
  readonly double: (expression: string) => string;
  readonly tanh: (expression: string) => string;
  /**
   * What exp() does when its result is too small for a normal double.
   * 'zero': returns 0 or a subnormal, as C does. 'error': fails the query
   * when the result rounds to 0 (PostgreSQL), so the sigmoid keeps exp's
   * argument above -745.13.
   */
  readonly expUnderflow: 'zero' | 'error';
}

/** "name" with " doubled: SQL standard, PostgreSQL, DuckDB, SQLite. */
const doubleQuoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** 'text' with ' doubled: SQL standard string literal. */
const singleQuoted = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** BigQuery escapes in quoted identifiers and string literals: backslash sequences, no raw control characters. */
function bigQueryEscape(text: string, quote: string): string {
  let out = '';
  for (const ch of text) {
    if (ch === '\\' || ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${quote}${out}${quote}`;
}

export const dialects = {
  duckdb: {
    identifier: doubleQuoted,
    string: singleQuoted,
    // 1.5e+0 is a DOUBLE in DuckDB; 1.5 would be a DECIMAL(2,1).
    number: exponentLiteral,
    double: (e) => `CAST(${e} AS DOUBLE)`,
    tanh: (e) => `tanh(${e})`,
    expUnderflow: 'zero',
  },
  postgres: {
    identifier: doubleQuoted,
    string: singleQuoted,
    // A numeric constant cast to float8: numeric holds the decimal exactly and float8in rounds it correctly.
    number: (x) => `${exponentLiteral(x)}::float8`,
    double: (e) => `CAST(${e} AS DOUBLE PRECISION)`,
    tanh: (e) => `tanh(${e})`,
    expUnderflow: 'error',
  },
  sqlite: {
    identifier: doubleQuoted,
    string: singleQuoted,
    // A literal with an exponent is REAL; an integer literal would make integer arithmetic.
    number: exponentLiteral,
    double: (e) => `CAST(${e} AS REAL)`,
    tanh: (e) => `tanh(${e})`,
    expUnderflow: 'zero',
  },
  spark: {
    identifier: (name) => `\`${name.replaceAll('`', '``')}\``,
    string: (text) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`,
    // The D suffix makes a DOUBLE whatever spark.sql.legacy.exponentLiteralAsDecimal.enabled says.
    number: (x) => `${exponentLiteral(x).toUpperCase()}D`,
    double: (e) => `CAST(${e} AS DOUBLE)`,
    tanh: (e) => `tanh(${e})`,
    expUnderflow: 'zero',
  },
  bigquery: {
    identifier: (name) => bigQueryEscape(name, '`'),
    string: (text) => bigQueryEscape(text, "'"),
    // Literals with a point or an exponent are FLOAT64 in GoogleSQL.
    number: exponentLiteral,
    double: (e) => `CAST(${e} AS FLOAT64)`,
    tanh: (e) => `TANH(${e})`,
    expUnderflow: 'zero',
  },
} as const satisfies Record<string, SqlDialect>;

export type DialectName = keyof typeof dialects;
export const dialectNames = Object.keys(dialects) as DialectName[];
export const DEFAULT_DIALECT: DialectName = 'duckdb';

/** Wraps an expression in parentheses unless it is a bare name. */
function operand(expression: string): string {
  return /^(?:"[^"]*(?:""[^"]*)*"|`[^`]*`|\w+)$/.test(expression) ? expression : `(${expression})`;
}

/** The value of one input as a double; for a standardised model ((x - mean) / std), as Scorer computes it. */
function input(d: SqlDialect, term: Term): string {
  return standardised(term, d.double(d.identifier(term.feature)), d.number);
}

/** z = bias + w1 * x1 + w2 * x2 ..., left to right; a negative weight is written as a subtraction (a - w*x is a + (-w)*x exactly). */
function zExpression(d: SqlDialect, model: LinearModel, indent: string): string {
  const lines = [d.number(model.bias)];
  for (const term of model.terms) {
    const negative = term.weight < 0 || Object.is(term.weight, -0);
    lines.push(`${negative ? '-' : '+'} ${d.number(Math.abs(term.weight))} * ${input(d, term)}`);
  }
  return lines.join(`\n${indent}`);
}

/** The activation of z (an expression that may be evaluated several times). */
function activationExpression(d: SqlDialect, model: LinearModel, zText: string): string {
  const z = operand(zText);
  const zero = d.number(0);
  switch (model.activation) {
    case 'sigmoid':
      if (d.expUnderflow === 'error') {
        // exp(x) fails here once its result rounds to 0 (x < -745.1332). Past z = 745.13 the sigmoid is
        // exactly 1; below -745.13 it is 0 (eval gives 5e-324 down to -745.1332, then 0 as well).
        const edge = d.number(745.13);
        return (
          `CASE WHEN ${z} >= 0 THEN 1 - exp(-LEAST(${z}, ${edge})) / (1 + exp(-LEAST(${z}, ${edge}))) ` +
          `WHEN ${z} >= ${d.number(-745.13)} THEN exp(${z}) / (1 + exp(${z})) ELSE ${zero} END`
        );
      }
      // Stable: exp only ever sees -|z|, so z = ±1000 cannot overflow.
      return `CASE WHEN ${z} >= 0 THEN 1 - exp(-${z}) / (1 + exp(-${z})) ELSE exp(${z}) / (1 + exp(${z})) END`;
    case 'tanh':
      return d.tanh(zText);
    case 'relu':
      return `CASE WHEN ${z} > 0 THEN ${z} WHEN ${z} <= 0 THEN ${zero} END`;
    case 'identity':
      return zText;
    case 'step':
      return `CASE WHEN ${z} >= 0 THEN ${d.number(1)} WHEN ${z} < 0 THEN ${zero} END`;
  }
}

/** The class name; NULL when z is NULL (a NULL input), never the wrong class. */
function classExpression(d: SqlDialect, model: LinearModel, zText: string, outputText: string): string {
  const [class0, class1] = model.classes.map((name) => d.string(name));
  if (model.threshold === undefined) {
    const z = operand(zText);
    return `CASE WHEN ${z} >= 0 THEN ${class1} WHEN ${z} < 0 THEN ${class0} END`;
  }
  const output = operand(outputText);
  const t = d.number(model.threshold);
  return `CASE WHEN ${output} >= ${t} THEN ${class1} WHEN ${output} < ${t} THEN ${class0} END`;
}

export interface SqlOptions {
  readonly dialect: DialectName;
  /** The FROM item, inserted as written: a table name, `schema.table`, `read_csv('data.csv')`... */
  readonly table?: string | undefined;
  /** Only the three select-list items (z, output, class), to paste into a query of one's own. */
  readonly expression?: boolean | undefined;
}

function header(options: SqlOptions, model: LinearModel): string {
  const what = options.expression === true ? 'select-list items for' : 'a query adding';
  const [z, output, cls] = outputNames(model);
  const scaling = isScaled(model) ? "-- each input is standardised with the weights file's scaling, (x - mean) / std, before its weight applies\n" : '';
  return `-- neuron export (${options.dialect}): ${what} ${z}, ${output} and ${cls}; inputs are cast to double, NULL in gives NULL out\n${scaling}`;
}

/** SQL text for the model. Throws a usage NeuronError when the query form cannot be built. */
export function exportSql(model: LinearModel, options: SqlOptions): string {
  const d: SqlDialect = dialects[options.dialect];
  const [zName, outputName, className] = outputNames(model).map((name) => d.identifier(name)) as [string, string, string];

  if (options.expression === true) {
    // On one line: it is repeated inside the CASEs.
    const z = zExpression(d, model, '').replaceAll('\n', ' ');
    const output = activationExpression(d, model, z);
    return `${header(options, model)}${z} AS ${zName},\n${output} AS ${outputName},\n${classExpression(d, model, z, output)} AS ${className}\n`;
  }

  if (options.table === undefined || options.table.trim() === '') {
    throw new NeuronError(
      'usage',
      'no table to score',
      {},
      "give --table NAME (any FROM item, e.g. read_csv('data.csv')), or --expression for the bare expressions",
    );
  }
  const outputs = outputNames(model);
  const clash = model.terms.find((t) => outputs.some((name) => name.toLowerCase() === t.feature.toLowerCase()));
  if (clash !== undefined) {
    throw new NeuronError(
      'usage',
      `the input column ${JSON.stringify(clash.feature)} has the name of an output column (${outputs.join(', ')})`,
      {},
      'use --expression and name the outputs yourself, or rename the column',
    );
  }
  return (
    header(options, model) +
    `SELECT\n  *,\n  ${classExpression(d, model, zName, outputName)} AS ${className}\nFROM (\n` +
    `  SELECT\n    *,\n    ${activationExpression(d, model, zName)} AS ${outputName}\n  FROM (\n` +
    `    SELECT\n      *,\n      ${zExpression(d, model, '      ')} AS ${zName}\n    FROM ${options.table}\n` +
    '  ) AS neuron_z\n) AS neuron_output;\n'
  );
}

/** z alone, on one line, for the queries neuron runs in an engine (src/cli/engine-*.ts): the same expression as the export. */
export function zSql(model: LinearModel, dialect: DialectName): string {
  return zExpression(dialects[dialect], model, '').replaceAll('\n', ' ');
}
