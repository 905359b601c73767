/**
 * The playground's "save": what the page sends, checked as a weights file is
 * checked, and the text written. The page only says what to save and whether
 * to replace the -w file; the server alone picks the path, so no name from a
 * request reaches the file system.
 */
import { NeuronError } from '../errors.js';
import { formatModel, type Model, parseModel, plainModel } from '../neuron/model.js';

/** The body of POST /save: `{"model": <a weights file>, "replace": true|false, "steps": <epochs trained on the page>}`. */
export interface SaveRequest {
  readonly model: Model;
  /** Replace the -w file (the page asked the user first), else write a new file. */
  readonly replace: boolean;
  /** Gradient descent epochs run on the page since the weights were loaded or reset. */
  readonly steps: number;
}

/** Reads the body of a save; a NeuronError (answered 400) if it is not one. */
export function parseSaveRequest(text: string): SaveRequest {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new NeuronError('bad-request', 'the save request is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new NeuronError('bad-request', 'the save request is not a JSON object');
  const { model, replace, steps, ...rest } = value as Record<string, unknown>;
  const extra = Object.keys(rest)[0];
  if (extra !== undefined) throw new NeuronError('bad-request', `the save request has an unknown key ${JSON.stringify(extra)}`);
  if (typeof replace !== 'boolean') throw new NeuronError('bad-request', 'the save request needs "replace": true or false');
  if (!Number.isSafeInteger(steps) || (steps as number) < 0) throw new NeuronError('bad-request', 'the save request needs "steps": a whole number');
  return { model: plainModel(parseModel(model, 'the page'), 'the playground', 'the page'), replace, steps: steps as number };
}

/** The weights file written: the page's model with a note of what produced it, in the format `eval` reads. */
export function savedText(request: SaveRequest, source: string): string {
  const trained = request.steps === 0 ? '' : `, after ${request.steps} epoch${request.steps === 1 ? '' : 's'} of gradient descent`;
  return formatModel({ ...request.model, note: `saved by neuron playground on ${source}${trained}` });
}

/** The name of the n-th new file in the save folder. */
export function newFileName(n: number): string {
  return `playground-${n}.weights.json`;
}
