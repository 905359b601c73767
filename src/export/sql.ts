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
import { activations, type SqlFunctions } from '../neuron/activations.js';
import { findCodePoint, isControl, isLineSeparator } from '../neuron/name-rules.js';
import { namesOf } from '../neuron/names.js';
import { exponentLiteral, isScaled, type LinearModel, outputNames, refuseControlCharacters, standardizedTerm, type Term } from './linear.js';

export interface SqlDialect extends SqlFunctions {
  /** A column name, quoted so that any text (spaces, quotes, reserved words) is taken as a name, and never as a string. */
  readonly identifier: (name: string) => string;
  /** A string literal, read the same under every server setting (PostgreSQL's standard_conforming_strings). */
  readonly string: (text: string) => string;
  /** A column's value as a double. */
  readonly double: (expression: string) => string;
  /** The expression, or NULL where it is NaN (so a NaN z gives no class: NaN >= 0 is true in DuckDB, PostgreSQL, Spark). */
  readonly nanToNull: (expression: string) => string;
  /**
   * When two names are one column to the engine: they have the same key.
   * `keyRule` says why, for the message.
   */
  readonly identifierKey: (name: string) => string;
  readonly keyRule: string;
  /** A character that the dialect's command-line client reads as the start of its own command anywhere outside quotes. */
  readonly clientCommand?: { readonly character: string; readonly client: string };
}

/** "name" with " doubled: SQL standard, PostgreSQL, DuckDB. */
const doubleQuoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
/** `name` with ` doubled: Spark, and SQLite, where (unlike "name") a name that is no column is an error, not a string. */
const backQuoted = (name: string) => `\`${name.replaceAll('`', '``')}\``;
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

/** Case-insensitive for A-Z only (DuckDB, SQLite: "É" and "é" stay two columns; checked in the tests). */
const asciiLower = (name: string) => name.replace(/[A-Z]/g, (c) => c.toLowerCase());
const ASCII_RULE = 'it does not distinguish upper and lower case A-Z in names';
/** Case-insensitive, assumed for all of Unicode (Spark's default spark.sql.caseSensitive=false, BigQuery column names). */
const unicodeLower = (name: string) => name.toLowerCase();
const UNICODE_RULE = 'it does not distinguish upper and lower case in names';

/** PostgreSQL keeps quoted names as written but cuts them to 63 bytes (NAMEDATALEN - 1), at a character boundary. */
function postgresKey(name: string): string {
  let bytes = 0;
  let out = '';
  for (const ch of name) {
    const c = ch.codePointAt(0) as number;
    bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (bytes > 63) break;
    out += ch;
  }
  return out;
}

export const dialects = {
  duckdb: {
    identifier: doubleQuoted,
    string: singleQuoted,
    // 1.5e+0 is a DOUBLE in DuckDB; 1.5 would be a DECIMAL(2,1).
    number: exponentLiteral,
    double: (e) => `CAST(${e} AS DOUBLE)`,
    tanh: (e) => `tanh(${e})`,
    // DuckDB orders NaN as a value, equal to itself.
    nanToNull: (e) => `NULLIF(${e}, CAST('NaN' AS DOUBLE))`,
    identifierKey: asciiLower,
    keyRule: ASCII_RULE,
    expUnderflow: 'zero',
  },
  postgres: {
    identifier: doubleQuoted,
    // E'...' reads the same whatever standard_conforming_strings says; '' and \\ are its escapes.
    string: (text) => `E'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`,
    // A numeric constant cast to float8: numeric holds the decimal exactly and float8in rounds it correctly.
    number: (x) => `${exponentLiteral(x)}::float8`,
    double: (e) => `CAST(${e} AS DOUBLE PRECISION)`,
    tanh: (e) => `tanh(${e})`,
    // PostgreSQL's float8 NaN equals itself.
    nanToNull: (e) => `NULLIF(${e}, 'NaN'::float8)`,
    identifierKey: postgresKey,
    keyRule: 'it keeps only the first 63 bytes of a name',
    clientCommand: { character: '\\', client: 'psql' },
    expUnderflow: 'error',
  },
  sqlite: {
    identifier: backQuoted,
    string: singleQuoted,
    // A literal with an exponent is REAL; an integer literal would make integer arithmetic.
    number: exponentLiteral,
    double: (e) => `CAST(${e} AS REAL)`,
    tanh: (e) => `tanh(${e})`,
    // SQLite has no NaN: a NaN result is stored as NULL already.
    nanToNull: (e) => e,
    identifierKey: asciiLower,
    keyRule: ASCII_RULE,
    expUnderflow: 'zero',
  },
  spark: {
    identifier: backQuoted,
    string: (text) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`,
    // The D suffix makes a DOUBLE whatever spark.sql.legacy.exponentLiteralAsDecimal.enabled says.
    number: (x) => `${exponentLiteral(x).toUpperCase()}D`,
    double: (e) => `CAST(${e} AS DOUBLE)`,
    tanh: (e) => `tanh(${e})`,
    // Spark SQL: NaN = NaN is true.
    nanToNull: (e) => `NULLIF(${e}, CAST('NaN' AS DOUBLE))`,
    identifierKey: unicodeLower,
    keyRule: UNICODE_RULE,
    expUnderflow: 'zero',
  },
  bigquery: {
    identifier: (name) => bigQueryEscape(name, '`'),
    string: (text) => bigQueryEscape(text, "'"),
    // Literals with a point or an exponent are FLOAT64 in GoogleSQL.
    number: exponentLiteral,
    double: (e) => `CAST(${e} AS FLOAT64)`,
    tanh: (e) => `TANH(${e})`,
    // IS_NAN rather than NULLIF, which would depend on how = treats NaN.
    nanToNull: (e) => `IF(IS_NAN(${e}), NULL, ${e})`,
    identifierKey: unicodeLower,
    keyRule: UNICODE_RULE,
    expUnderflow: 'zero',
  },
} as const satisfies Record<string, SqlDialect>;

/** The name of a SQL dialect: `duckdb`, `postgres`, `sqlite`, `bigquery`, `spark`. */
export type DialectName = keyof typeof dialects;
/**
 * The SQL dialects `exportSql` writes.
 * @example
 * ```js
 * import { dialectNames } from 'neuron-cli';
 * dialectNames.includes('postgres'); // => true
 * ```
 */
export const dialectNames = namesOf(dialects);
/**
 * The dialect of `neuron export --to sql` unless told.
 * @example
 * ```js
 * import { DEFAULT_DIALECT } from 'neuron-cli';
 * DEFAULT_DIALECT; // => 'duckdb'
 * ```
 */
export const DEFAULT_DIALECT: DialectName = 'duckdb';

/** Wraps an expression in parentheses unless it is a bare name. */
function operand(expression: string): string {
  return /^(?:"[^"]*(?:""[^"]*)*"|`[^`]*`|\w+)$/.test(expression) ? expression : `(${expression})`;
}

/** The value of one input as a double; for a standardised model ((x - mean) / std), as Scorer computes it. */
function input(d: SqlDialect, term: Term): string {
  return standardizedTerm(term, d.double(d.identifier(term.feature)), d.number);
}

/**
 * z = bias + w1 * x1 + w2 * x2 ..., left to right, on one line; a negative
 * weight is written as a subtraction (a - w*x is a + (-w)*x exactly). NULL
 * where the sum is NaN (weights of ±1e308, or a NaN input), as eval refuses such a row.
 */
function zExpression(d: SqlDialect, model: LinearModel): string {
  const parts = [d.number(model.bias)];
  for (const term of model.terms) {
    const negative = term.weight < 0 || Object.is(term.weight, -0);
    parts.push(`${negative ? '-' : '+'} ${d.number(Math.abs(term.weight))} * ${input(d, term)}`);
  }
  return d.nanToNull(parts.join(' '));
}

/** The activation of z (an expression that may be evaluated several times). */
function activationExpression(d: SqlDialect, model: LinearModel, zText: string): string {
  return activations[model.activation].sql(operand(zText), zText, d);
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

/** What SQL to write: the dialect, and a whole query over `table` or only the `expression`s. */
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

/** Refuses, naming both, two features that the dialect takes for one column, or a feature named like an output column. */
function refuseCollisions(d: SqlDialect, dialect: DialectName, model: LinearModel, withOutputs: boolean): void {
  const seen = new Map<string, string>();
  for (const { feature } of model.terms) {
    const key = d.identifierKey(feature);
    const other = seen.get(key);
    if (other !== undefined) {
      throw new NeuronError(
        'name-collision',
        `the features ${JSON.stringify(other)} and ${JSON.stringify(feature)} are one column in ${dialect} (${d.keyRule})`,
        {},
        'rename one of them (in the weights file, or name the inputs yourself)',
      );
    }
    seen.set(key, feature);
  }
  if (!withOutputs) return;
  const outputs = outputNames(model);
  const clash = model.terms.find((t) => outputs.some((name) => d.identifierKey(name) === d.identifierKey(t.feature)));
  if (clash !== undefined) {
    throw new NeuronError(
      'output-name-clash',
      `the input column ${JSON.stringify(clash.feature)} has the name of an output column (${outputs.join(', ')})`,
      {},
      'ask for the bare expressions and name the outputs yourself, or rename the column',
    );
  }
}

/**
 * --table goes into FROM as written, so it may not hold what would end the
 * line (control characters, U+2028, U+2029) or, for psql, a backslash: psql
 * reads one outside quotes as the start of one of its own commands (\\!).
 */
function checkTable(d: SqlDialect, table: string): void {
  const control = findCodePoint(table, (c) => isControl(c) || isLineSeparator(c));
  if (control !== undefined) {
    throw new NeuronError(
      'bad-table',
      `the table ${JSON.stringify(table)} holds a control character or line break (${control})`,
      {},
      'give the FROM item on one line',
    );
  }
  const command = d.clientCommand;
  if (command !== undefined && table.includes(command.character)) {
    throw new NeuronError(
      'bad-table',
      `the table ${JSON.stringify(table)} holds ${JSON.stringify(command.character)}, which ${command.client} reads as the start of a command`,
      {},
      `remove the ${JSON.stringify(command.character)}, or put the data in a table or view and name that`,
    );
  }
}

/**
 * SQL that computes z, the output and the class in the database, as `neuron export --to sql`. Throws a usage NeuronError (reason missing-option, output-name-clash, name-collision or bad-table) when the query form
 * cannot be built, or when the dialect would take two features for one column.
 *
 * Both forms are one SELECT over the table with z, the output and the class as
 * select-list items, each computed from the inputs (z written out again
 * inside the others). No inner query names a column, so none can be shadowed
 * by a column of the table that happens to be called z, sigmoid or class.
 * @example
 * ```js
 * import { exportSql, linearModel, parseModel } from 'neuron-cli';
 * const model = parseModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4, classes: ['Not Obese', 'Obese'] });
 * const sql = exportSql(linearModel(model), { dialect: 'sqlite', table: 'people' });
 * sql.split('\n')[0]; // => '-- neuron export (sqlite): a query adding z, sigmoid and class; inputs are cast to double, NULL in gives NULL out'
 * sql.includes('  -4e+0 + 5e-1 * CAST(`height` AS REAL) + 5e-2 * CAST(`weight` AS REAL) AS `z`,\n'); // => true
 * exportSql(linearModel(model), { dialect: 'sqlite' }); // throws 'no table to score'
 * ```
 */
export function exportSql(model: LinearModel, options: SqlOptions): string {
  refuseControlCharacters(model);
  const d: SqlDialect = dialects[options.dialect];
  const query = options.expression !== true;
  if (query && (options.table === undefined || options.table.trim() === '')) {
    throw new NeuronError(
      'missing-option',
      'no table to score',
      {},
      "give a table (any FROM item, e.g. read_csv('data.csv')), or ask for the bare expressions",
    );
  }
  refuseCollisions(d, options.dialect, model, query);
  const [zName, outputName, className] = outputNames(model).map((name) => d.identifier(name)) as [string, string, string];
  const z = zExpression(d, model);
  const output = activationExpression(d, model, z);
  const items = [`${z} AS ${zName}`, `${output} AS ${outputName}`, `${classExpression(d, model, z, output)} AS ${className}`];
  if (!query) return `${header(options, model)}${items.join(',\n')}\n`;
  const table = options.table as string;
  checkTable(d, table);
  return `${header(options, model)}SELECT\n  *,\n${items.map((item) => `  ${item}`).join(',\n')}\nFROM ${table};\n`;
}

/** z alone, on one line, for the queries neuron runs in an engine (src/cli/engine-*.ts): the same expression as the export. */
export function zSql(model: LinearModel, dialect: DialectName): string {
  return zExpression(dialects[dialect], model);
}
