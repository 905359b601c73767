/**
 * Issue 10, defect 10: escape sequences in the data never reach a
 * terminal. The table (even with --no-color), explain, metrics and error
 * messages show them escaped; CSV and JSON keep the bytes. A weights file
 * cannot hold such names (they are refused when it is read, name-rules.ts),
 * so here they come from the data and the command line (--features, --classes).
 */
import { describe, expect, it } from 'vitest';
import { fixture, runInProcess } from '../support/helpers.js';

const CLEAR = '\x1b[2J';
const TITLE = '\x1b]0;pwned\x07';
const WEIGHTS = JSON.stringify({ weights: [1, 2], bias: 0.5, activation: 'identity' });
/** The input names and the classes, given on the command line. */
const NAMES = ['--features', `a${CLEAR},b`, '--classes', `no${TITLE},yes${CLEAR}`];
const DATA = `a${CLEAR},b,name,label\n1,2,x${TITLE},yes${CLEAR}\n`;

/** Any C0, DEL or C1 control (a newline aside) in the text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters
const RAW = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/;

async function withWeights(argv: string[], extra: { stdoutIsTTY?: boolean; env?: Record<string, string> } = {}) {
  const { mkdtempSync, writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { tmpdir } = await import('node:os');
  const file = join(mkdtempSync(join(tmpdir(), 'neuron-esc-')), 'w.json');
  writeFileSync(file, WEIGHTS);
  return runInProcess([...argv.map((a) => (a === 'W' ? file : a)), ...NAMES], { stdin: DATA, ...extra });
}

describe('text for people shows control characters escaped', () => {
  it('eval table with --no-color: header, kept cell and class escaped', async () => {
    const result = await withWeights(['eval', '-', '-w', 'W', '--keep', 'name', '--format', 'table', '--no-color']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW);
    expect(result.stdout).toContain('x\\x1b]0;pwned\\x07');
    expect(result.stdout).toContain('yes\\x1b[2J');
  });

  it("eval table on a terminal with colour: only chalk's own SGR codes are raw", async () => {
    const result = await withWeights(['eval', '-', '-w', 'W', '--keep', 'name'], { stdoutIsTTY: true, env: { TERM: 'xterm' } });
    expect(result.stdout).toContain(`${'\x1b'}[35m`);
    const withoutSgr = result.stdout.replace(new RegExp(`${'\x1b'}\\[[0-9;]*m`, 'g'), '');
    expect(withoutSgr).not.toMatch(RAW);
    expect(withoutSgr).toContain('x\\x1b]0;pwned\\x07');
  });

  it('explain: the input name, the class and the label escaped', async () => {
    const result = await withWeights(['explain', '-', '-w', 'W', '--label', 'label', '--no-plot']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW);
    expect(result.stdout).toContain('row 1: a\\x1b[2J = 1, b = 2');
    expect(result.stdout).toContain('(label: yes\\x1b[2J, correct)');
  });

  it('explain for a softmax layer: input names and class names (in the steps and the bars) escaped', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const file = join(mkdtempSync(join(tmpdir(), 'neuron-esc-')), 'layer.json');
    // A weights file may hold U+202E and U+2028 in a name (name-rules.ts); the terminal gets them escaped.
    writeFileSync(
      file,
      JSON.stringify({
        weights: [
          [1, 0],
          [0, 1],
          [0, 0],
        ],
        bias: [0, 0, 0],
        activation: 'softmax',
        classes: ['no\u202e', 'yes\u2028', 'x"y'],
      }),
    );
    const result = await runInProcess(['explain', '-', '-w', file, '--features', `a${CLEAR},b`, '--label', 'label'], { stdin: `a${CLEAR},b,label\n1,2,0\n` });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW);
    expect(result.stdout).not.toMatch(/[\u2028\u202e]/);
    expect(result.stdout).toContain('row 1: a\\x1b[2J = 1, b = 2');
    expect(result.stdout).toContain('class "no\\u202e": z1 = w1·x + b1');
    expect(result.stdout).toContain('class "x\\"y": z3 = w3·x + b3');
    expect(result.stdout).toContain('so the class is "yes\\u2028"   (label: 0, wrong)');
    expect(result.stdout).toMatch(/^yes\\u2028 {2}0\.6652 █+/m);
  });

  it('metrics: class names in the confusion matrix escaped', async () => {
    const result = await withWeights(['metrics', '-', '-w', 'W', '--label', 'label']);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(RAW);
    expect(result.stdout).toContain('no\\x1b]0;pwned\\x07');
  });

  it("error messages: a file name and commander's quoted argument escaped", async () => {
    const missing = await runInProcess(['eval', `nope${CLEAR}.csv`, '-w', fixture('ab.weights.json')]);
    expect(missing.stderr).toBe('neuron: nope\\x1b[2J.csv: no such file (the data) — check the path\n');
    const unknown = await runInProcess(['eval', '-', `--x${CLEAR}`]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).not.toMatch(RAW);
    expect(unknown.stderr).toContain('--x\\x1b[2J');
  });

  it('CSV and JSON keep the bytes', async () => {
    const csv = await withWeights(['eval', '-', '-w', 'W', '--keep', 'name', '--format', 'csv']);
    expect(csv.stdout).toBe(`name,z,identity,class\nx${TITLE},5.5,5.5,yes${CLEAR}\n`);
    const json = await withWeights(['eval', '-', '-w', 'W', '--keep', 'name', '--format', 'ndjson']);
    expect(JSON.parse(json.stdout)).toEqual({ name: `x${TITLE}`, z: 5.5, identity: 5.5, class: `yes${CLEAR}` });
  });
});
