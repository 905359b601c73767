/**
 * What the playground's page is given: the rows (input values in weight
 * order and the true classes), the starting weights and where "save" goes.
 * Built by the command from the data, sent once as `/session.json`; the
 * page computes every number from it with the same pure modules as the
 * command line.
 */
import { type Model, modelToJson } from '../neuron/model.js';

/** The rows the page holds at most: each is drawn in the table and scored on every slider move. */
export const MAX_PLAYGROUND_ROWS = 100_000;

export interface PlaygroundRows {
  /** The data's name for people: the file as given, or the lesson's table. */
  readonly source: string;
  /** The input columns, in weight order. */
  readonly names: readonly string[];
  /** One array of input values per row, in weight order. */
  readonly values: readonly (readonly number[])[];
  /** With a label column: its name, each row's label as written, and its class (0 or 1). */
  readonly label: { readonly column: string; readonly texts: readonly string[]; readonly truths: readonly (0 | 1)[] } | undefined;
}

export interface Session {
  /** Sent back in the X-Neuron-Token header of "save". */
  readonly token: string;
  readonly rows: PlaygroundRows;
  /** The starting weights file, as `modelToJson` writes it. */
  readonly model: Record<string, unknown>;
  /** The seed the starting weights came from, when random. */
  readonly seed: number | undefined;
  /** The -w file, which "save" may replace after a confirmation; undefined without -w. */
  readonly weightsFile: string | undefined;
  /** The folder where "save" writes a new file. */
  readonly saveFolder: string;
}

export function sessionOf(token: string, rows: PlaygroundRows, model: Model, options: Omit<Session, 'token' | 'rows' | 'model'>): Session {
  return { token, rows, model: modelToJson(model), ...options };
}
