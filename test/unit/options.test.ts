/** Option value parsers: what each accepts and the usage message for what it refuses. */
import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';
import { parseNonNegativeNumber, parseTrainClasses } from '../../src/cli/options.js';

describe('parseNonNegativeNumber (train --l2)', () => {
  it.each([
    ['0', 0],
    ['0.0', 0],
    ['0e0', 0],
    ['-0', 0],
    ['+0', 0],
    ['.5', 0.5],
    ['1e-3', 0.001],
    ['2', 2],
  ])('accepts %s as %d', (text, value) => {
    expect(Object.is(parseNonNegativeNumber(text), value)).toBe(true);
  });

  it.each(['-1', '-1e-9', 'abc', '', '0x1', 'Infinity', '1e400', 'NaN'])('refuses %j', (text) => {
    expect(() => parseNonNegativeNumber(text)).toThrow(new InvalidArgumentError('Expected a number of 0 or more, such as 0.01.'));
  });
});

describe('parseTrainClasses (train --classes)', () => {
  it.each([
    ['Obese', ['Obese']],
    ['Not Obese,Obese', ['Not Obese', 'Obese']],
  ])('accepts %j', (text, values) => {
    expect(parseTrainClasses(text)).toEqual(values);
  });

  it.each(['', 'a,', ',b', 'a,a', 'a,b,c'])('refuses %j without talking of column names', (text) => {
    expect(() => parseTrainClasses(text)).toThrow(
      new InvalidArgumentError(
        'Expected one label value (class 1), or two different ones comma-separated (class 0,class 1), such as Obese or "Not Obese,Obese".',
      ),
    );
  });
});
