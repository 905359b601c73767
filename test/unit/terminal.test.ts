import { describe, expect, it } from 'vitest';
import { colorLevel, unicodeGraphics } from '../../src/cli/terminal.js';

describe("colorLevel follows supports-color's rules, with --no-color and NO_COLOR first", () => {
  it.each([
    [{ TERM: 'xterm' }, true, true, 1],
    [{ TERM: 'xterm-256color' }, true, true, 2],
    [{ TERM: 'xterm', COLORTERM: 'truecolor' }, true, true, 3],
    [{ TERM: 'dumb' }, true, true, 0],
    [{ TERM: 'dumb', FORCE_COLOR: '1' }, true, true, 1],
    [{ TERM: 'xterm' }, false, true, 0],
    [{ FORCE_COLOR: '2' }, false, true, 2],
    [{ FORCE_COLOR: '0', TERM: 'xterm' }, true, true, 0],
    [{ FORCE_COLOR: 'false', TERM: 'xterm' }, true, true, 0],
    [{ FORCE_COLOR: '', TERM: 'dumb' }, true, true, 1],
    [{ FORCE_COLOR: '9' }, false, true, 3],
    [{ NO_COLOR: '1', FORCE_COLOR: '3', TERM: 'xterm' }, true, true, 0],
    [{ NO_COLOR: '', TERM: 'xterm' }, true, true, 1],
    [{ TERM: 'xterm', FORCE_COLOR: '1' }, true, false, 0],
    [{}, true, true, 0],
    [{ CI: 'true', GITHUB_ACTIONS: 'true' }, true, true, 3],
    [{ CI: 'true', TERM: 'xterm' }, true, true, 0],
  ] as const)('%j, terminal %s, --color %s: level %i', (env, terminal, flag, level) => {
    expect(colorLevel(env, terminal, flag)).toBe(level);
  });

  it('block characters on every terminal but a dumb one', () => {
    expect(unicodeGraphics({ TERM: 'dumb' })).toBe(false);
    expect(unicodeGraphics({ TERM: 'xterm' })).toBe(true);
    expect(unicodeGraphics({})).toBe(true);
  });
});
