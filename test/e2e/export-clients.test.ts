/**
 * Issue 10, defect 1: names from a weights file someone else wrote must not
 * make a command-line client run a command. The exported files are run as
 * the README runs them, through the real clients (`sqlite3` and `psql` from
 * Debian, `node`, `python3`), in an empty folder, with names built to be
 * read as client commands (`\! touch pwned`, `.shell touch pwned`) if the
 * quoting ever broke. Afterwards no file may have appeared, and z, the
 * output and the class must be `neuron eval`'s. Names with control
 * characters (NUL, CR, ESC...) are refused when the weights file is read.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { runBin } from '../support/helpers.js';

const found = (command: string, args: string[]) => spawnSync(command, args).status === 0;
const sqlite3 = found('sqlite3', ['--version']);
const psqlFound = found('psql', ['--version']);
const url = process.env.NEURON_TEST_POSTGRES;
const python = found('/usr/bin/python3', ['--version']) ? '/usr/bin/python3' : found('python3', ['--version']) ? 'python3' : undefined;

/** Each would run a command if it reached the client outside quotes or at the start of a line. */
const FEATURES = ['\\! touch pwned-psql #', '.shell touch pwned-sqlite', 'a\u2028b\u2029c', `it's "odd" \`x\``, "back\\slash\\'", '.system touch pwned-system'];
const CLASSES: [string, string] = ["\\'; \\! touch pwned-class; --", "x\\' || (SELECT 'pwned') || '"];
const WEIGHTS = [0.5, -1.25, 2, 0.1, -3e-3, 7];
const ROWS = [
  [1, 2, 3, 4, 5, 6],
  [-1, 0.5, 0.25, 100, -7, 0],
  [0, 0, 0, -50, 0, 0],
  [3.75, -2, 1e-3, 5, 8, -0.5],
];

const csvField = (text: string) => `"${text.replaceAll('"', '""')}"`;

function folder(): string {
  return mkdtempSync(join(tmpdir(), 'neuron-clients-'));
}

/** The weights file and data CSV in `dir`; returns eval's z, output and class for each row (as strings in CSV). */
function prepare(dir: string): string[][] {
  writeFileSync(join(dir, 'w.json'), JSON.stringify({ features: FEATURES, weights: WEIGHTS, bias: 0.25, activation: 'sigmoid', classes: CLASSES }));
  writeFileSync(join(dir, 'data.csv'), `${['id', ...FEATURES].map(csvField).join(',')}\n${ROWS.map((r, i) => [i, ...r].join(',')).join('\n')}\n`);
  const evaluated = runBin(['eval', join(dir, 'data.csv'), '-w', join(dir, 'w.json'), '--format', 'csv']);
  expect(evaluated.stderr).toBe('');
  const records = parse(evaluated.stdout, { columns: true }) as Record<string, string>[];
  // Both classes occur, so a class literal that lost its quoting would show.
  expect(new Set(records.map((r) => r.class))).toEqual(new Set(CLASSES));
  return records.map((r) => [r.z, r.sigmoid, r.class].map(String));
}

function exportTo(dir: string, args: string[], file: string): void {
  const result = runBin(['export', '-w', join(dir, 'w.json'), ...args, '-o', join(dir, file)]);
  expect(result).toEqual({ stdout: '', stderr: '', code: 0 });
}

/** Only the files the test wrote: nothing the names could have created. */
function expectNoNewFiles(dir: string, expected: string[]) {
  expect(readdirSync(dir).sort()).toEqual([...expected].sort());
}

/** z and output as numbers (to compare values, not spellings), class as text. */
const values = (rows: string[][]) => rows.map(([z, output, cls]) => [Number(z), Number(output), cls]);

describe('names with control characters are refused when the weights file is read', { timeout: 60_000 }, () => {
  it.each([
    ['NUL in a feature', { features: ['a', 'b\u0000'], weights: [1, 2], bias: 0 }, 'features[1]: "b\\u0000" holds a control character (U+0000)'],
    ['CR in a feature', { features: ['a\rb', 'c'], weights: [1, 2], bias: 0 }, 'features[0]: "a\\rb" holds a control character (U+000D)'],
    ['LF in a weights key', { weights: { 'a\nb': 1 }, bias: 0 }, 'weights["a\\nb"]: "a\\nb" holds a control character (U+000A)'],
    [
      'ESC in a class',
      { features: ['a'], weights: [1], bias: 0, classes: ['no', '\u001b[2Jyes'] },
      'classes[1]: "\\u001b[2Jyes" holds a control character (U+001B)',
    ],
    [
      'a C1 control (NEL) in a class',
      { features: ['a'], weights: [1], bias: 0, classes: ['n\u0085o', 'yes'] },
      // JSON.stringify leaves C1 controls and DEL raw; every message escapes them for the terminal (src/render/visible.ts).
      'classes[0]: "n\\x85o" holds a control character (U+0085)',
    ],
    ['DEL in a feature', { features: ['a\u007f'], weights: [1], bias: 0 }, 'features[0]: "a\\x7f" holds a control character (U+007F)'],
  ])('%s: exit 1 naming the JSON path, for export and eval alike', (_, weights, message) => {
    const dir = folder();
    const file = join(dir, 'w.json');
    writeFileSync(file, JSON.stringify(weights));
    const hint = 'names may not hold control characters (U+0000-U+001F, U+007F-U+009F) or unpaired surrogates: rename it';
    for (const args of [
      ['export', '-w', file, '--to', 'sql', '--dialect', 'postgres', '--table', 't'],
      ['export', '-w', file, '--to', 'python'],
      ['eval', '-', '-w', file],
    ]) {
      expect(runBin(args, { input: 'a,b\n1,2\n' })).toEqual({ stdout: '', stderr: `neuron: ${file}: ${message} — ${hint}\n`, code: 1 });
    }
    expectNoNewFiles(dir, ['w.json']);
  });

  it('--features with a control character (ESC; the system refuses NUL in arguments) is a usage error (exit 2)', () => {
    const dir = folder();
    writeFileSync(join(dir, 'w.json'), JSON.stringify({ weights: [1, 2], bias: 0 }));
    const result = runBin(['export', '-w', join(dir, 'w.json'), '--to', 'sql', '--table', 't', '--features', 'a,b\u001bc']);
    expect(result.stderr).toBe(
      'neuron: --features: "b\\u001bc" holds a control character (U+001B) — names may not hold control characters (U+0000-U+001F, U+007F-U+009F) or unpaired surrogates: rename it\n',
    );
    expect(result.code).toBe(2);
  });

  it('train and random-init refuse to write such a name from a CSV header (exit 1, line 1) or --features (exit 2)', () => {
    const dir = folder();
    const data = join(dir, 'data.csv');
    writeFileSync(data, '"a\u001b[2J",b,label\n1,2,0\n3,4,1\n');
    const message =
      '"a\\u001b[2J" holds a control character (U+001B) — names may not hold control characters (U+0000-U+001F, U+007F-U+009F) or unpaired surrogates: rename it';
    expect(runBin(['train', data, '--label', 'label', '-o', join(dir, 'w.json')])).toEqual({
      stdout: '',
      stderr: `neuron: ${data}:1: the header: ${message}\n`,
      code: 1,
    });
    expect(runBin(['random-init', '--from', data, '--label', 'label', '--seed', '1'])).toEqual({
      stdout: '',
      stderr: `neuron: ${data}:1: the header: ${message}\n`,
      code: 1,
    });
    expect(runBin(['random-init', '--features', 'b,a\u001b[2J', '--seed', '1'])).toEqual({ stdout: '', stderr: `neuron: --features: ${message}\n`, code: 2 });
    expectNoNewFiles(dir, ['data.csv']);
  });

  it.each([
    ['a line break', 'people\n\\! touch pwned', 'holds a control character or line break (U+000A)'],
    ['U+2028', 'people\u2028x', 'holds a control character or line break (U+2028)'],
  ])('--table with %s is refused (exit 2)', (_, table, problem) => {
    const result = runBin(['export', '-w', 'fixtures/obesity.weights.json', '--to', 'sql', '--dialect', 'sqlite', '--table', table]);
    // Messages reach a terminal: a line separator is shown escaped as \u2028, as JSON.stringify shows \n.
    const shown = JSON.stringify(table).replace('\u2028', '\\u2028');
    expect(result.stderr).toBe(`neuron: --table ${shown} ${problem} — give the FROM item on one line\n`);
    expect(result.code).toBe(2);
  });

  it('--table with a backslash is refused for PostgreSQL, where psql would read it as a command', () => {
    const result = runBin(['export', '-w', 'fixtures/obesity.weights.json', '--to', 'sql', '--dialect', 'postgres', '--table', 'people \\! touch pwned']);
    expect(result.stderr).toBe(
      'neuron: --table "people \\\\! touch pwned" holds "\\\\", which psql reads as the start of a command — remove the "\\\\", or put the data in a table or view and name that\n',
    );
    expect(result.code).toBe(2);
  });
});

describe('hostile names through the real command-line clients', { timeout: 60_000 }, () => {
  it.skipIf(!sqlite3)('sqlite3 runs the exported file: no command runs, the numbers are eval’s', () => {
    const dir = folder();
    const expected = prepare(dir);
    exportTo(dir, ['--to', 'sql', '--dialect', 'sqlite', '--table', 'people'], 'score.sql');
    // The table is made with the test's own quoting ("..." doubled), not neuron's.
    const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const setup = `CREATE TABLE people (id INTEGER, ${FEATURES.map((f) => `${ident(f)} REAL`).join(', ')});\n${ROWS.map(
      (r, i) => `INSERT INTO people VALUES (${[i, ...r].join(', ')});`,
    ).join('\n')}\n`;
    const made = spawnSync('sqlite3', ['db.sqlite'], { cwd: dir, input: setup, encoding: 'utf8' });
    expect(made.stderr).toBe('');
    // As the README runs it: the file on standard input. Quote mode prints 20 significant digits and quotes strings.
    const run = spawnSync('sqlite3', ['-bail', '-quote', 'db.sqlite'], { cwd: dir, input: readFileSync(join(dir, 'score.sql'), 'utf8'), encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const rows = (parse(run.stdout, { quote: "'", escape: "'" }) as string[][]).map((r) => r.slice(-3));
    expect(values(rows)).toEqual(values(expected));
    expectNoNewFiles(dir, ['w.json', 'data.csv', 'score.sql', 'db.sqlite']);
  });

  it.for([
    ['on', 'on'],
    ['off', 'off'],
  ])('psql -f runs the exported file with standard_conforming_strings=%s: no command runs, the numbers are eval’s', ([, setting], context) => {
    if (url === undefined || !psqlFound) {
      context.skip(`${url === undefined ? 'NEURON_TEST_POSTGRES is not set' : 'psql is not installed'}: the exported PostgreSQL was not run through psql`);
      return;
    }
    const dir = folder();
    const expected = prepare(dir);
    exportTo(dir, ['--to', 'sql', '--dialect', 'postgres', '--table', 'people'], 'score.sql');
    const schema = `harden_export_clients_${process.pid}_${setting}`;
    const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;
    const env = { ...process.env, PGOPTIONS: `-c standard_conforming_strings=${setting} -c search_path=${schema}` };
    const psql = (args: string[], input = '') =>
      spawnSync('psql', [url, '-X', '-q', '--csv', '-v', 'ON_ERROR_STOP=1', ...args], { cwd: dir, input, env, encoding: 'utf8' });
    const made = psql(
      [],
      `SET client_min_messages = warning; DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema};\n` +
        `CREATE TABLE ${schema}.people (id integer, ${FEATURES.map((f) => `${ident(f)} double precision`).join(', ')});\n` +
        `COPY ${schema}.people FROM STDIN WITH (FORMAT csv);\n${ROWS.map((r, i) => [i, ...r].join(',')).join('\n')}\n\\.\n`,
    );
    expect(made.stderr).toBe('');
    try {
      const shown = psql(['-c', 'SHOW standard_conforming_strings']);
      expect(shown.stdout).toBe(`standard_conforming_strings\n${setting}\n`);
      const run = psql(['-f', 'score.sql']);
      expect(run.stderr).toBe('');
      const rows = (parse(run.stdout, { from_line: 2 }) as string[][]).map((r) => r.slice(-3));
      expect(values(rows)).toEqual(values(expected));
      expectNoNewFiles(dir, ['w.json', 'data.csv', 'score.sql']);
    } finally {
      psql([], `DROP SCHEMA ${schema} CASCADE;`);
    }
  });

  it('node runs the exported JavaScript: the numbers are eval’s', () => {
    const dir = folder();
    const expected = prepare(dir);
    exportTo(dir, ['--to', 'js'], 'score.mjs');
    const script = `import { score } from './score.mjs';
const names = ${JSON.stringify(FEATURES)};
for (const row of ${JSON.stringify(ROWS)}) {
  const r = score(Object.fromEntries(names.map((n, i) => [n, row[i]])));
  console.log(JSON.stringify([String(r.z), String(r.sigmoid), r.class]));
}`;
    writeFileSync(join(dir, 'run.mjs'), script);
    const run = spawnSync(process.execPath, ['run.mjs'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(
      values(
        run.stdout
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as string[]),
      ),
    ).toEqual(values(expected));
    expectNoNewFiles(dir, ['w.json', 'data.csv', 'score.mjs', 'run.mjs']);
  });

  it.skipIf(python === undefined)('python3 runs the exported Python: the numbers are eval’s to 1e-15', () => {
    const dir = folder();
    const expected = prepare(dir);
    exportTo(dir, ['--to', 'python'], 'score.py');
    const script = `import json
from score import score
names = json.loads(${JSON.stringify(JSON.stringify(FEATURES))})
for row in json.loads(${JSON.stringify(JSON.stringify(ROWS))}):
    r = score(dict(zip(names, row)))
    print(json.dumps([repr(r["z"]), repr(r["sigmoid"]), r["class"]]))
`;
    writeFileSync(join(dir, 'run.py'), script);
    const run = spawnSync(python ?? 'python3', ['-B', 'run.py'], { cwd: dir, encoding: 'utf8' });
    expect(run.stderr).toBe('');
    const rows = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
    rows.forEach(([z, output, cls], i) => {
      const [ez, eo, ec] = expected[i] as string[];
      expect([Number(z), cls]).toEqual([Number(ez), ec]);
      expect(Math.abs(Number(output) - Number(eo))).toBeLessThanOrEqual(1e-15 * Math.abs(Number(eo)));
    });
    expectNoNewFiles(dir, ['w.json', 'data.csv', 'score.py', 'run.py']);
  });
});
