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
 *
 * An encoded model ("categories", "impute") is written out as eval applies
 * it: a one-hot input is `CASE WHEN CAST(col AS text) = 'male' THEN 1 ...`,
 * a fill is `COALESCE(col, fill)`. In SQL only NULL is missing (not '' or
 * 'NA', which a CSV reader turns into NULL or not). A category the model
 * does not know cannot raise an error in every dialect, so by default its
 * row gets NULL scores (eval refuses it); `unknown: 'zero'` scores it with
 * every indicator 0, as `eval --unknown zero`.
 *
 * A softmax layer gives z_<class> for each class, softmax_<class> with the
 * largest z subtracted before exp (so exp never overflows), and the class:
 * the first with the largest z, as eval.
 */
import { NeuronError } from '../errors.js';
import { activations, type SqlFunctions } from '../neuron/activations.js';
import type { UnknownPolicy } from '../neuron/encoding.js';
import { findCodePoint, isControl, isLineSeparator } from '../neuron/name-rules.js';
import { namesOf } from '../neuron/names.js';
import {
  allOutputNames,
  categoriesOf,
  columnOf,
  columnsOf,
  type ExportModel,
  exponentLiteral,
  type Input,
  isEncodedExport,
  isLayer,
  isScaled,
  type LayerModel,
  type LinearModel,
  layerOutputNames,
  type Neuron,
  neuronsOf,
  outputNames,
  refuseControlCharacters,
  standardizedTerm,
} from './linear.js';

export interface SqlDialect extends SqlFunctions {
  /** A column name, quoted so that any text (spaces, quotes, reserved words) is taken as a name, and never as a string. */
  readonly identifier: (name: string) => string;
  /** A string literal, read the same under every server setting (PostgreSQL's standard_conforming_strings). */
  readonly string: (text: string) => string;
  /** A column's value as a double. */
  readonly double: (expression: string) => string;
  /** A column's value as text (a one-hot column is compared with its categories as text). */
  readonly text: (expression: string) => string;
  /** The largest of several doubles (NULL or not when one is NULL: the callers do not rely on it). */
  readonly greatest: (expressions: readonly string[]) => string;
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
    text: (e) => `CAST(${e} AS VARCHAR)`,
    greatest: (es) => `greatest(${es.join(', ')})`,
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
    text: (e) => `CAST(${e} AS TEXT)`,
    greatest: (es) => `greatest(${es.join(', ')})`,
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
    text: (e) => `CAST(${e} AS TEXT)`,
    // SQLite's scalar max() takes several arguments; it has no greatest().
    greatest: (es) => `max(${es.join(', ')})`,
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
    text: (e) => `CAST(${e} AS STRING)`,
    greatest: (es) => `greatest(${es.join(', ')})`,
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
    text: (e) => `CAST(${e} AS STRING)`,
    greatest: (es) => `GREATEST(${es.join(', ')})`,
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

/**
 * The value of one input as a double, as RowEncoder computes it: the column
 * (or, one-hot, 1 or 0 from its text), a NULL cell taking the fill, then
 * ((x - mean) / std) for a standardised model.
 */
function input(d: SqlDialect, model: ExportModel, term: Input, unknown: UnknownPolicy): string {
  const column = d.identifier(columnOf(term));
  const encoding = term.encoding;
  const fill = encoding?.fill;
  const category = encoding?.category;
  if (category === undefined) {
    const x = d.double(column);
    return standardizedTerm(term, typeof fill === 'number' ? `COALESCE(${x}, ${d.number(fill)})` : x, d.number);
  }
  const text = typeof fill === 'string' ? `COALESCE(${d.text(column)}, ${d.string(fill)})` : d.text(column);
  // NULL (no class) for a NULL cell with no fill, and (unknown 'error') for a category the model does not know.
  const other =
    unknown === 'zero'
      ? `${text} IS NOT NULL`
      : `${text} IN (${categoriesOf(neuronsOf(model).inputs, columnOf(term))
          .map((name) => d.string(name))
          .join(', ')})`;
  return standardizedTerm(term, `CASE WHEN ${text} = ${d.string(category)} THEN ${d.number(1)} WHEN ${other} THEN ${d.number(0)} END`, d.number);
}

/**
 * z = bias + w1 * x1 + w2 * x2 ..., left to right, on one line; a negative
 * weight is written as a subtraction (a - w*x is a + (-w)*x exactly). NULL
 * where the sum is NaN (weights of ±1e308, or a NaN input), as eval refuses such a row.
 */
function zExpression(d: SqlDialect, model: ExportModel, neuron: Neuron, unknown: UnknownPolicy): string {
  const parts = [d.number(neuron.bias)];
  neuronsOf(model).inputs.forEach((term, j) => {
    const weight = neuron.weights[j] as number;
    const negative = weight < 0 || Object.is(weight, -0);
    parts.push(`${negative ? '-' : '+'} ${d.number(Math.abs(weight))} * ${input(d, model, term, unknown)}`);
  });
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

/**
 * exp(x) for x <= 0 (z minus the largest z). PostgreSQL refuses a result that
 * underflows to 0, in exp and in the division by the sum after it, so there
 * exp(x) below x = -708 (3.3e-308, the smallest normal doubles) is 0: a
 * probability under 1e-307 is 0 where eval may give a subnormal number.
 */
function expNonPositive(d: SqlDialect, x: string): string {
  if (d.expUnderflow === 'zero') return `exp(${x})`;
  return `CASE WHEN ${x} < ${d.number(-708)} THEN ${d.number(0)} ELSE exp(${x}) END`;
}

/**
 * A softmax layer's select-list items, named as eval names its columns:
 * each class's z, then softmax with m = the largest z subtracted,
 * exp(z_i - m) / Σ exp(z_j - m) (every exp at most 1: no overflow), then
 * the first class whose z is m. A NULL z (a NULL input, an unknown
 * category) makes every probability and the class NULL.
 */
function layerItems(d: SqlDialect, model: LayerModel, unknown: UnknownPolicy): string[] {
  const names = layerOutputNames(model);
  const zs = model.neurons.map((neuron) => zExpression(d, model, neuron, unknown));
  const m = operand(d.greatest(zs));
  const exps = zs.map((z) => expNonPositive(d, `${operand(z)} - ${m}`));
  const sum = exps.join(' + ');
  const ps = exps.map((e) => d.nanToNull(`${operand(e)} / (${sum})`));
  const anyNull = `${zs.map(operand).join(' + ')} IS NULL`;
  const cls = `CASE WHEN ${anyNull} THEN NULL ${zs.map((z, c) => `WHEN ${operand(z)} = ${m} THEN ${d.string(model.classes[c] as string)}`).join(' ')} END`;
  return [
    ...zs.map((z, c) => `${z} AS ${d.identifier(names.z[c] as string)}`),
    ...ps.map((p, c) => `${p} AS ${d.identifier(names.p[c] as string)}`),
    `${cls} AS ${d.identifier(names.cls)}`,
  ];
}

/** A two-class neuron's select-list items: z, the output, the class. */
function neuronItems(d: SqlDialect, model: LinearModel, unknown: UnknownPolicy): string[] {
  const [zName, outputName, className] = outputNames(model).map((name) => d.identifier(name)) as [string, string, string];
  const z = zExpression(d, model, neuronsOf(model).neurons[0] as Neuron, unknown);
  const output = activationExpression(d, model, z);
  return [`${z} AS ${zName}`, `${output} AS ${outputName}`, `${classExpression(d, model, z, output)} AS ${className}`];
}

/** What SQL to write: the dialect, and a whole query over `table` or only the `expression`s. */
export interface SqlOptions {
  readonly dialect: DialectName;
  /** The FROM item, inserted as written: a table name, `schema.table`, `read_csv('data.csv')`... */
  readonly table?: string | undefined;
  /** Only the select-list items (z, output, class; for a softmax layer z_<class>, softmax_<class>, class), to paste into a query of one's own. */
  readonly expression?: boolean | undefined;
  /** A category a one-hot column does not know: NULL scores ('error', the default: SQL cannot raise it everywhere), or every indicator 0 ('zero'). */
  readonly unknown?: UnknownPolicy | undefined;
}

function header(options: SqlOptions, model: ExportModel): string {
  const what = options.expression === true ? 'select-list items for' : 'a query adding';
  const outputs = isLayer(model)
    ? `z_<class>, softmax_<class> (largest z subtracted) and class for ${model.classes.length} classes (the first on a tie)`
    : (([z, output, cls]) => `${z}, ${output} and ${cls}`)(outputNames(model));
  const lines = [`-- neuron export (${options.dialect}): ${what} ${outputs}; inputs are cast to double, NULL in gives NULL out`];
  if (isEncodedExport(model)) {
    const unknown = options.unknown === 'zero' ? 'scores with every indicator of its column 0' : 'gives NULL (eval refuses it)';
    lines.push(`-- one-hot columns are compared as text; a category the model does not know ${unknown}; a NULL cell takes the model's fill ("impute")`);
  }
  if (isScaled(model)) lines.push("-- each input is standardised with the weights file's scaling, (x - mean) / std, before its weight applies");
  return `${lines.join('\n')}\n`;
}

/**
 * Refuses, naming both, two input columns that the dialect takes for one,
 * two outputs it takes for one, or an input column named like an output.
 */
function refuseCollisions(d: SqlDialect, dialect: DialectName, model: ExportModel, withOutputs: boolean): void {
  const columns = columnsOf(neuronsOf(model).inputs);
  const same = (names: readonly string[]) => {
    const seen = new Map<string, string>();
    for (const name of names) {
      const other = seen.get(d.identifierKey(name));
      if (other !== undefined) return [other, name] as const;
      seen.set(d.identifierKey(name), name);
    }
    return undefined;
  };
  const twins = same(columns);
  if (twins !== undefined) {
    throw new NeuronError(
      'name-collision',
      `the features ${JSON.stringify(twins[0])} and ${JSON.stringify(twins[1])} are one column in ${dialect} (${d.keyRule})`,
      {},
      'rename one of them (in the weights file, or name the inputs yourself)',
    );
  }
  const outputs = allOutputNames(model);
  const outputTwins = same(outputs);
  if (outputTwins !== undefined) {
    throw new NeuronError(
      'name-collision',
      `the output columns ${JSON.stringify(outputTwins[0])} and ${JSON.stringify(outputTwins[1])} are one column in ${dialect} (${d.keyRule})`,
      {},
      'rename one of the classes in the weights file',
    );
  }
  if (!withOutputs) return;
  const clash = columns.find((column) => outputs.some((name) => d.identifierKey(name) === d.identifierKey(column)));
  if (clash !== undefined) {
    throw new NeuronError(
      'output-name-clash',
      `the input column ${JSON.stringify(clash)} has the name of an output column (${isLayer(model) ? 'z_<class>, softmax_<class>, class' : outputs.join(', ')})`,
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
export function exportSql(model: ExportModel, options: SqlOptions): string {
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
  const unknown = options.unknown ?? 'error';
  const items = isLayer(model) ? layerItems(d, model, unknown) : neuronItems(d, model, unknown);
  if (!query) return `${header(options, model)}${items.join(',\n')}\n`;
  const table = options.table as string;
  checkTable(d, table);
  return `${header(options, model)}SELECT\n  *,\n${items.map((item) => `  ${item}`).join(',\n')}\nFROM ${table};\n`;
}

/** z alone, on one line, for the queries neuron runs in an engine (src/cli/engine-*.ts): the same expression as the export. */
export function zSql(model: LinearModel, dialect: DialectName): string {
  return zSqls(model, dialect)[0] as string;
}

/** Each neuron's z (one for a two-class model, one per class for a softmax layer), as zSql writes it. */
export function zSqls(model: ExportModel, dialect: DialectName): string[] {
  return neuronsOf(model).neurons.map((neuron) => zExpression(dialects[dialect], model, neuron, 'error'));
}
