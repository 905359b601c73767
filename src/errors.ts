/**
 * The one error type of neuron. Every failure a user can cause is a
 * NeuronError with a code from a closed set; the CLI turns it into one line
 * on stderr and an exit code, never a stack trace.
 */

/** What kind of failure it is; decides the exit code. */
export type ErrorCode =
  | 'data' // the CSV: bad number, ragged row, missing column...
  | 'weights' // the weights file: invalid JSON, wrong type, unknown key...
  | 'usage' // the command line: bad option value, missing argument...
  | 'io' // a file that cannot be read or written
  | 'interrupted'; // Ctrl-C

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
 * The one error type of neuron: a code (what kind of failure), the place,
 * and a hint on how to fix it. Every failure a caller can cause is one.
 * @example
 * ```js
 * import { NeuronError, parseModel } from 'neuron-cli';
 * let error;
 * try { parseModel({ weights: [1], bias: 0, bais: 1 }); } catch (e) { error = e; }
 * error instanceof NeuronError; // => true
 * [error.code, error.message, error.hint]; // => ['weights', '"bais": unknown key', 'did you mean "bias"?']
 * ```
 */
export class NeuronError extends Error {
  override readonly name = 'NeuronError';
  readonly code: ErrorCode;
  readonly where: Location;
  /** How to fix it, printed after an em dash. */
  readonly hint: string | undefined;

  constructor(code: ErrorCode, message: string, where: Location = {}, hint?: string) {
    super(message);
    this.code = code;
    this.where = where;
    this.hint = hint;
  }

  get exitCode(): number {
    if (this.code === 'usage') return EXIT.usage;
    if (this.code === 'interrupted') return EXIT.interrupted;
    return EXIT.data;
  }
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
