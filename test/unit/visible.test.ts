import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { visible, visibleLines } from '../../src/render/visible.js';

describe('visible: control characters escaped for a terminal', () => {
  it.each([
    ['\x1b[2J', '\\x1b[2J'],
    ['\x1b]0;pwned\x07', '\\x1b]0;pwned\\x07'],
    ['a\tb\nc\rd', 'a\\tb\\nc\\rd'],
    ['\x00\x7f\x85\x9b', '\\x00\\x7f\\x85\\x9b'],
    ['abc\u202edef', 'abc\\u202edef'],
    ['line\u2028sep', 'line\\u2028sep'],
    ['Not Obese, 肥満 😀 é', 'Not Obese, 肥満 😀 é'],
  ])('%j -> %j', (text, shown) => {
    expect(visible(text)).toBe(shown);
  });

  it('keeps the line breaks of a multi-line text with visibleLines', () => {
    expect(visibleLines('one \x1b[2J\ntwo\n')).toBe('one \\x1b[2J\ntwo\n');
  });

  it('never lets a C0, DEL or C1 control through, for any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        // biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters
        expect(visible(text)).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
      }),
    );
  });
});
