/**
 * The one error type of neuron. Every failure a user can cause is a
 * NeuronError with a code from a closed set; the CLI turns it into one line
 * on stderr and an exit code, never a stack trace.
 */

/** What kind of failure it is; decides the exit code. */
export type ErrorKind =
  | 'data' // the CSV: bad number, ragged row, missing column...
  | 'weights' // the weights file: invalid JSON, wrong type, unknown key...
  | 'usage' // the command line: bad option value, missing argument...
  | 'io' // a file that cannot be read or written
  | 'interrupted'; // Ctrl-C

/**
 * Every reason a NeuronError can have, and its kind: a closed set (as
 * csv-parse's CsvError codes), so that a caller decides on `error.reason`,
 * never on the message's text.
 */
const reasonKinds = {
  // The data (exit 1).
  'empty-data': 'data', // no header line, or no rows at all
  'not-utf8': 'data', // UTF-16, NUL bytes, an invalid byte
  'ragged-row': 'data', // a row with another number of fields than the header
  'row-too-long': 'data', // a row past the record size limit
  'unclosed-quote': 'data',
  'bad-csv': 'data', // another CSV syntax error (csv-parse's message)
  'bad-gzip': 'data', // gzip input that is truncated or corrupt
  'unknown-column': 'data', // a named column the data does not have
  'duplicate-column': 'data', // a header with a name twice
  'not-a-number': 'data', // an input cell that is not a number
  'missing-value': 'data', // an input cell that is empty, NA, NaN, null, None
  'z-overflow': 'data', // z = w·x + b is not finite
  'bad-label': 'data', // a label cell that is no class (or a third class, in train)
  'missing-label': 'data', // a label cell that is empty, NA, NaN, null, None (train)
  'one-class': 'data', // training labels of one class only
  'no-inputs': 'data', // no input column left
  'no-rows': 'data', // no data rows to train on
  'constant-feature': 'data', // a feature that standardizing cannot scale
  'loss-overflow': 'data', // the loss is not finite at the starting point
  'loss-diverged': 'data', // the loss became infinite or NaN while training
  'loss-rose': 'data', // an epoch made the loss larger
  'bad-row-weight': 'data', // a --sample-weight cell below 0, or all 0
  'not-optimal': 'data', // separated data or no convergence, under train --strict
  'rows-skipped': 'data', // rows skipped with a missing value, under --strict
  'labels-count': 'data', // the library given another number of labels than rows
  'not-a-record': 'data', // the library given a record that is not an object
  'too-many-rows': 'data', // more rows than the playground holds
  'bad-history': 'data', // a training history line that is not what train --history writes
  'bad-column-name': 'data', // a header name with a control character (see name-rules.ts)
  'bad-column-type': 'data', // an engine's input column of a type that holds no numbers (a date, a boolean)
  'no-such-table': 'data', // --engine postgres: the --table is not in the database
  'cannot-connect': 'data', // --engine postgres: no server, a wrong database, user or password
  'engine-failed': 'data', // the engine's own error (its message), or a connection lost mid-run
  'unknown-category': 'data', // a cell of a one-hot column that is none of the model's categories (eval without --unknown zero)
  // The weights file (exit 1).
  'empty-weights': 'weights',
  'weights-too-big': 'weights',
  'nested-too-deep': 'weights', // arrays or objects nested deeper than a weights file can be (checked before parsing)
  'invalid-json': 'weights',
  'forbidden-key': 'weights', // __proto__ and the like
  'duplicate-key': 'weights',
  'unknown-key': 'weights',
  'conflicting-keys': 'weights', // keys that do not go together
  'missing-key': 'weights',
  'wrong-type': 'weights', // a value of the wrong type or out of range
  'unknown-name': 'weights', // an activation or init scheme neuron does not have
  'duplicate-name': 'weights', // a feature or class named twice
  'weights-count': 'weights', // weights, features, scaling or input columns of different lengths
  'bad-name': 'weights', // a feature or class name with a control character (see name-rules.ts)
  'positional-weights': 'weights', // no "features" where column names are needed
  // The command line (exit 2).
  'conflicting-options': 'usage', // two options that do not go together, or one without the other it needs
  'missing-option': 'usage', // a needed option not given
  'stdin-is-terminal': 'usage',
  'stdin-twice': 'usage', // the data and the weights both "-"
  'same-file': 'usage', // an output that is an input, or two outputs that are one file
  'repeated-input': 'usage', // an input or kept column named twice
  'inputs-count': 'usage', // a list of inputs of another length than the weights
  'output-name-clash': 'usage', // an input or kept column with the name of an output column
  'label-is-input': 'usage',
  'unknown-class': 'usage', // --classes naming no label value
  'no-such-row': 'usage',
  'output-is-directory': 'usage',
  'picture-format': 'usage', // plot: no format to be had from -o, or none that the terminal or the kind can take
  'not-an-input': 'usage', // plot --x/--y naming a column that is not an input of the model
  'bad-name-option': 'usage', // a name on the command line with a control character
  'name-collision': 'usage', // two features that a SQL dialect takes for one column
  'bad-url': 'usage', // --db that is not a connection URL
  'table-exists': 'usage', // --into names a table that exists
  'engine-unavailable': 'usage', // --engine whose client package is not installed
  'bad-table': 'usage', // a table (FROM item) that would break the generated script's line
  'port-unavailable': 'usage', // the playground's --port is in use or needs privileges
  'bad-request': 'usage', // a playground request the page would not send (a save that is not a weights file)
  'unsupported-model': 'usage', // a command given a model it cannot use (a softmax layer, or one-hot/imputed inputs, where only one plain neuron goes)
  // Files (exit 1).
  'no-such-file': 'io',
  'is-directory': 'io',
  'not-a-directory': 'io',
  'permission-denied': 'io',
  'no-space': 'io',
  'io-failed': 'io',
  'page-missing': 'io', // the playground's built page is not there (npm run build)
  // Ctrl-C (exit 130).
  interrupted: 'interrupted',
} as const satisfies Record<string, ErrorKind>;

/** Why it failed: one of a closed set, each of one kind. */
export type ErrorReason = keyof typeof reasonKinds;

/**
 * Every reason a NeuronError can have: decide on `error.reason`, never on the message.
 * @example
 * ```js
 * import { errorReasons } from 'neuron-cli';
 * errorReasons.includes('not-a-number'); // => true
 * errorReasons.slice(0, 3); // => ['empty-data', 'not-utf8', 'ragged-row']
 * ```
 */
export const errorReasons = Object.keys(reasonKinds) as ErrorReason[];

/** Exit codes, documented in the README. */
export const EXIT = {
  ok: 0,
  data: 1,
  usage: 2,
  interrupted: 130,
} as const;

/** Where a failure is: the file, line and column, each only when known. */
export interface Location {
  /** File name as the user gave it, or `<stdin>`. */
  readonly file?: string | undefined;
  /** 1-based physical line in the file. */
  readonly line?: number | undefined;
  /** 1-based column (field number in a CSV, character in JSON). */
  readonly column?: number | undefined;
}

/**
 * The one error type of neuron: a reason from a closed set (decide on it),
 * its kind (which sets the exit code), the place, and a hint on how to fix
 * it. Every failure a caller can cause is one.
 * @example
 * ```js
 * import { NeuronError, parseModel } from 'neuron-cli';
 * let error;
 * try { parseModel({ weights: [1], bias: 0, bais: 1 }); } catch (e) { error = e; }
 * error instanceof NeuronError; // => true
 * [error.reason, error.kind, error.message, error.hint]; // => ['unknown-key', 'weights', '"bais": unknown key', 'did you mean "bias"?']
 * ```
 */
export class NeuronError extends Error {
  override readonly name = 'NeuronError';
  /** Why it failed: decide on this, not on the message. */
  readonly reason: ErrorReason;
  /** The reason's kind: decides the exit code. */
  readonly kind: ErrorKind;
  readonly where: Location;
  /** How to fix it, printed after an em dash. */
  readonly hint: string | undefined;

  constructor(reason: ErrorReason, message: string, where: Location = {}, hint?: string) {
    super(message);
    this.reason = reason;
    this.kind = reasonKinds[reason];
    this.where = where;
    this.hint = hint;
  }

  get exitCode(): number {
    if (this.kind === 'usage') return EXIT.usage;
    if (this.kind === 'interrupted') return EXIT.interrupted;
    return EXIT.data;
  }

  /** The same failure told another way: the CLI's wording, which names its flags. */
  reworded(wording: Wording): NeuronError {
    return new NeuronError(this.reason, wording.message ?? this.message, this.where, wording.hint ?? this.hint);
  }
}

/** A caller's own message or hint for an error. */
export interface Wording {
  readonly message?: string | undefined;
  readonly hint?: string | undefined;
}

/**
 * `error` reworded when its reason has an entry in `wordings` (the CLI's
 * flag hints); any other error as it is.
 */
export function reword(error: unknown, wordings: { readonly [R in ErrorReason]?: (error: NeuronError) => Wording }): unknown {
  if (!(error instanceof NeuronError)) return error;
  const wording = wordings[error.reason];
  return wording === undefined ? error : error.reworded(wording(error));
}

/**
 * The error as `neuron` prints it: `file:line:column: message — hint`, leaving out the parts that are unknown.
 * @example
 * ```js
 * import { formatError, parseModel } from 'neuron-cli';
 * let text;
 * try { parseModel({ weights: [0.5, '0.1'], bias: 0 }, 'w.json'); } catch (e) { text = formatError(e); }
 * text; // => 'w.json: weights[1]: expected a finite number, got "0.1"'
 * ```
 */
export function formatError(error: NeuronError): string {
  const { file, line, column } = error.where;
  const place = [file, line, line === undefined ? undefined : column].filter((part) => part !== undefined).join(':');
  const head = place === '' ? error.message : `${place}: ${error.message}`;
  return error.hint === undefined ? head : `${head} — ${error.hint}`;
}

/** A short, quoted rendering of a user's value for an error message. */
export function quote(value: unknown, max = 40): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const cut = text.length > max ? `${text.slice(0, max)}…` : text;
  return JSON.stringify(cut);
}
