/**
 * A training history, as `train --history FILE` writes it: NDJSON, one
 * object per iteration (Newton, L-BFGS) or epoch (gradient descent), line 0
 * the starting point:
 * `{"iteration":0,"objective":0.693,"loss":0.693,"gradientNorm":0.5,"accuracy":0.5,"solver":"newton"}`.
 * `iteration` and `objective` are required; `loss`, `gradientNorm` and
 * `accuracy` are drawn when every line has them; other keys are ignored (a
 * later neuron may write more).
 */
import { NeuronError } from '../errors.js';

export interface HistoryPoint {
  readonly iteration: number;
  readonly objective: number;
  readonly loss: number | undefined;
  readonly gradientNorm: number | undefined;
  readonly accuracy: number | undefined;
}

export interface History {
  readonly points: readonly HistoryPoint[];
  /** The solver named on the lines (the first line's), if any. */
  readonly solver: string | undefined;
}

const HINT = 'a history file is what `neuron train --history FILE` writes: one JSON object per line';

/** Parses the text of a history file; errors name the file, the line and the key. */
export function parseHistory(text: string, file: string): History {
  const points: HistoryPoint[] = [];
  let solver: string | undefined;
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return;
    const where = { file, line: i + 1 };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new NeuronError('bad-history', 'not a JSON object (invalid JSON)', where, HINT);
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new NeuronError('bad-history', 'not a JSON object', where, HINT);
    const record = value as Record<string, unknown>;
    const number = (key: string, required: boolean, valid: (x: number) => boolean, wanted: string): number | undefined => {
      const x = Object.hasOwn(record, key) ? record[key] : undefined;
      if (x === undefined && !required) return undefined;
      if (typeof x !== 'number' || !Number.isFinite(x) || !valid(x)) {
        const got = x === undefined ? 'nothing' : JSON.stringify(x);
        throw new NeuronError('bad-history', `${key}: expected ${wanted}, got ${got}`, where, HINT);
      }
      return x;
    };
    const iteration = number('iteration', true, (x) => Number.isSafeInteger(x) && x >= 0, 'a whole number from 0') as number;
    const previous = points.at(-1);
    if (previous !== undefined && iteration <= previous.iteration) {
      throw new NeuronError(
        'bad-history',
        `iteration: ${iteration} does not follow ${previous.iteration}`,
        where,
        'the lines must be in the order train wrote them',
      );
    }
    points.push({
      iteration,
      objective: number('objective', true, () => true, 'a finite number') as number,
      loss: number('loss', false, () => true, 'a finite number'),
      gradientNorm: number('gradientNorm', false, (x) => x >= 0, 'a finite number >= 0'),
      accuracy: number('accuracy', false, (x) => x >= 0 && x <= 1, 'a number from 0 to 1'),
    });
    if (solver === undefined && typeof record.solver === 'string') solver = record.solver;
  });
  if (points.length === 0) throw new NeuronError('empty-data', 'the history is empty', { file }, HINT);
  return { points, solver };
}
