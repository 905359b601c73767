import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { errorReasons, formatError, NeuronError, reword } from '../../src/errors.js';

describe('NeuronError', () => {
  // The exit codes of the README's "Errors and exit codes".
  it.each([
    ['ragged-row', 'data', 1],
    ['not-a-number', 'data', 1],
    ['invalid-json', 'weights', 1],
    ['unknown-key', 'weights', 1],
    ['no-such-file', 'io', 1],
    ['conflicting-options', 'usage', 2],
    ['output-is-directory', 'usage', 2],
    ['interrupted', 'interrupted', 130],
  ] as const)('a %s error is of kind %s and exits %d', (reason, kind, exit) => {
    const error = new NeuronError(reason, 'message');
    expect([error.reason, error.kind, error.exitCode]).toEqual([reason, kind, exit]);
  });

  it('gives every reason an exit code of the documented ones', () => {
    for (const reason of errorReasons) expect([1, 2, 130]).toContain(new NeuronError(reason, 'm').exitCode);
  });

  it('has every reason thrown somewhere in src (no reason that nothing gives)', () => {
    const root = fileURLToPath(new URL('../../src/', import.meta.url));
    const source = readdirSync(root, { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.ts') && f !== 'errors.ts')
      .map((f) => readFileSync(join(root, f), 'utf8'))
      .join('\n');
    expect(errorReasons.filter((reason) => !source.includes(`'${reason}'`))).toEqual([]);
  });
});

describe('reword', () => {
  const error = new NeuronError('missing-value', 'column "a": empty cell where a number is needed', { file: 'd.csv', line: 2, column: 1 }, 'fill in the value');

  it('puts the caller’s hint on an error of a listed reason, keeping its reason and place', () => {
    const reworded = reword(error, { 'missing-value': () => ({ hint: 'pass --missing skip' }) });
    expect(reworded).toBeInstanceOf(NeuronError);
    expect([(reworded as NeuronError).reason, formatError(reworded as NeuronError)]).toEqual([
      'missing-value',
      'd.csv:2:1: column "a": empty cell where a number is needed — pass --missing skip',
    ]);
  });

  it('can extend the message from the error itself', () => {
    const reworded = reword(error, { 'missing-value': (e) => ({ message: `${e.message} (flag)` }) }) as NeuronError;
    expect(formatError(reworded)).toBe('d.csv:2:1: column "a": empty cell where a number is needed (flag) — fill in the value');
  });

  it('leaves an error of another reason, and anything that is not a NeuronError, as it is', () => {
    const other = new Error('bug');
    expect(reword(error, { 'not-a-number': () => ({ hint: 'no' }) })).toBe(error);
    expect(reword(other, { 'missing-value': () => ({ hint: 'no' }) })).toBe(other);
  });
});
