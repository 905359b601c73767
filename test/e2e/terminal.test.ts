/**
 * Issue 10, defect 12: colour and block characters follow the terminal, as
 * chalk's supports-color decides (plus NO_COLOR and FORCE_COLOR), tested
 * under a real pseudo-terminal: util-linux `script` runs the built
 * bin/neuron.js with its stdout on a pty.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../support/helpers.js';

const SCRIPT = '/usr/bin/script';
const ESC = '\x1b';
const BLOCKS = /[█▏▎▍▌▋▊▉]/;
const BOX = /[●│┤└─▲]/; // (the formula's w1·x1 keeps its middle dot)

/** stdout and stderr of a command run on a pseudo-terminal (script merges them, with CRLF line ends). */
function onTerminal(args: string[], env: Record<string, string>): string {
  const command = [process.execPath, BIN, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const result = spawnSync(SCRIPT, ['-qec', command, '/dev/null'], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.replaceAll('\r\n', '\n');
}

const EVAL = ['eval', 'fixtures/obesity.csv', '-w', 'fixtures/obesity.weights.json'];
const EXPLAIN = ['explain', 'fixtures/obesity.csv', '-w', 'fixtures/obesity.weights.json'];

describe.skipIf(!existsSync(SCRIPT))('on a real terminal (script)', () => {
  it('TERM=xterm-256color: a coloured table with block bars', () => {
    const out = onTerminal(EVAL, { TERM: 'xterm-256color' });
    expect(out).toContain(`${ESC}[35m`);
    expect(out).toMatch(BLOCKS);
  });

  it('TERM=dumb: a table with no escape code and no block character; bars in #', () => {
    const out = onTerminal(EVAL, { TERM: 'dumb' });
    expect(out).toContain('sigmoid');
    expect(out).not.toContain(ESC);
    expect(out).not.toMatch(BLOCKS);
    expect(out).toMatch(/ 0\.8808 ######### {2}/);
  });

  it('TERM=dumb: explain draws its plot in ASCII', () => {
    const out = onTerminal(EXPLAIN, { TERM: 'dumb' });
    expect(out).toContain('^ z = 2');
    expect(out).not.toMatch(BOX);
    expect(out).not.toContain(ESC);
  });

  it('TERM=dumb with FORCE_COLOR=1: colour, as chalk does, but still no block characters', () => {
    const out = onTerminal(EVAL, { TERM: 'dumb', FORCE_COLOR: '1' });
    expect(out).toContain(`${ESC}[35m`);
    expect(out).not.toMatch(BLOCKS);
  });

  it('NO_COLOR=1 on xterm: no escape code', () => {
    const out = onTerminal(EVAL, { TERM: 'xterm', NO_COLOR: '1' });
    expect(out).not.toContain(ESC);
    expect(out).toMatch(BLOCKS);
  });

  it('a 40-column terminal: the table shows the inputs first, elided with … so that no line is wider than 40 (issue 10, defect 11)', () => {
    const command = `stty cols 40; ${[process.execPath, BIN, 'eval', 'fixtures/patients.csv', '-w', 'fixtures/obesity.weights.json', '--activation', 'identity'].join(' ')}`;
    const result = spawnSync(SCRIPT, ['-qec', command, '/dev/null'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', TERM: 'xterm', NO_COLOR: '1' },
      encoding: 'utf8',
    });
    const lines = result.stdout.replaceAll('\r\n', '\n').trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Hei\S*… +Wei\S*… +z +identity +class$/);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(40);
  });

  it('no TERM at all: no colour (supports-color gives level 0)', () => {
    expect(onTerminal(EVAL, {})).not.toContain(ESC);
  });
});
