/** Reading a training history (train --history): one JSON object per line, errors located. */
import { describe, expect, it } from 'vitest';
import { NeuronError } from '../../src/errors.js';
import { parseHistory } from '../../src/learn/history.js';

const line = (o: object) => JSON.stringify(o);

describe('parseHistory', () => {
  it('reads the documented format, ignoring blank lines, CRLF and unknown keys', () => {
    const text = [
      line({ iteration: 0, objective: 0.69, loss: 0.69, gradientNorm: 0.5, accuracy: 0.5, solver: 'newton' }),
      '',
      `${line({ iteration: 1, objective: 0.3, loss: 0.29, gradientNorm: 0.01, accuracy: 0.9, solver: 'newton', step: 1 })}\r`,
    ].join('\n');
    expect(parseHistory(text, 'h.ndjson')).toEqual({
      solver: 'newton',
      points: [
        { iteration: 0, objective: 0.69, loss: 0.69, gradientNorm: 0.5, accuracy: 0.5 },
        { iteration: 1, objective: 0.3, loss: 0.29, gradientNorm: 0.01, accuracy: 0.9 },
      ],
    });
  });

  it.each([
    ['{"iteration":0}', 'h.ndjson:1: objective: expected a finite number, got nothing'],
    ['{"iteration":0,"objective":1}\n{"iteration":0,"objective":1}', 'h.ndjson:2: iteration: 0 does not follow 0'],
    ['{"iteration":0,"objective":1,"accuracy":2}', 'h.ndjson:1: accuracy: expected a number from 0 to 1, got 2'],
    ['{"iteration":-1,"objective":1}', 'h.ndjson:1: iteration: expected a whole number from 0, got -1'],
    ['{"iteration":0,"objective":"1"}', 'h.ndjson:1: objective: expected a finite number, got "1"'],
    ['[1]', 'h.ndjson:1: not a JSON object'],
    ['{"iteration":0,', 'h.ndjson:1: not a JSON object (invalid JSON)'],
    ['\n\n', 'h.ndjson: the history is empty'],
  ])('refuses %j', (text, message) => {
    let error: unknown;
    try {
      parseHistory(text, 'h.ndjson');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(NeuronError);
    const e = error as NeuronError;
    const place = [e.where.file, e.where.line].filter((p) => p !== undefined).join(':');
    expect(`${place}: ${e.message}`).toBe(message);
    expect(e.exitCode).toBe(1);
  });
});
