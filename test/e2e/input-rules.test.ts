/**
 * The README's "Input rules" table, one test per row, through the built CLI:
 * stdout, stderr and exit code. The weights are fixtures/ab.weights.json:
 * z = a + 2b + 0.5 with the identity activation, so every expected number
 * here can be checked by hand.
 */
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, createWriteStream, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, fixture, runBin } from '../support/helpers.js';

const AB = fixture('ab.weights.json');
const HEAD = 'z,identity,class\n';
const dir = mkdtempSync(join(tmpdir(), 'neuron-rules-'));

interface Rule {
  rule: string;
  input: string | Buffer;
  args?: string[];
  stdout: string;
  stderr: string;
  code: number;
}

function check({ input, args = [], stdout, stderr, code }: Rule) {
  const result = runBin(['eval', '-', '-w', AB, ...args], { input });
  expect({ stderr: result.stderr, stdout: result.stdout, code: result.code }).toEqual({ stderr, stdout, code });
}

const structure: Rule[] = [
  { rule: 'empty file', input: '', stdout: '', stderr: 'neuron: <stdin>: the data is empty: no header line — the first line must name the columns\n', code: 1 },
  { rule: 'header only', input: 'a,b\n', stdout: HEAD, stderr: '', code: 0 },
  { rule: 'header only, json', input: 'a,b\n', args: ['--format', 'json'], stdout: '[]\n', stderr: '', code: 0 },
  { rule: 'UTF-8 BOM', input: '\uFEFFa,b\n1,2\n', stdout: `${HEAD}5.5,5.5,1\n`, stderr: '', code: 0 },
  { rule: 'CRLF', input: 'a,b\r\n1,2\r\n', stdout: `${HEAD}5.5,5.5,1\n`, stderr: '', code: 0 },
  {
    rule: 'mixed CRLF and LF: no stray \\r in values',
    input: 'a,b,name\r\n1,2,x\n3,4,y\r\n',
    args: ['--keep', 'name'],
    stdout: 'name,z,identity,class\nx,5.5,5.5,1\ny,11.5,11.5,1\n',
    stderr: '',
    code: 0,
  },
  {
    rule: 'quoted fields with commas, quotes and newlines; later errors name the physical line',
    input: 'a,b,name\n1,2,"Smith, J."\n3,4,"say ""hi"""\n5,6,"two\nlines"\n7,oops,z\n',
    args: ['--keep', 'name'],
    stdout: 'name,z,identity,class\n"Smith, J.",5.5,5.5,1\n"say ""hi""",11.5,11.5,1\n"two\nlines",17.5,17.5,1\n',
    stderr: 'neuron: <stdin>:6:2: column "b": "oops" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5\n',
    code: 1,
  },
  {
    rule: 'a CRLF inside a quoted field is one line (csv-parse counts two; neuron corrects it)',
    input: 'a,b,name\r\n1,2,"two\r\nlines"\r\n3,oops,z\r\n',
    args: ['--keep', 'name'],
    stdout: 'name,z,identity,class\n"two\r\nlines",5.5,5.5,1\n',
    stderr: 'neuron: <stdin>:4:2: column "b": "oops" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5\n',
    code: 1,
  },
  {
    rule: 'unclosed quote',
    input: 'a,b,name\n1,2,"open\n3,4,x\n',
    stdout: HEAD,
    stderr: 'neuron: <stdin>:2: a quoted field on this row is never closed (the file ends inside it) — add the closing double quote\n',
    code: 1,
  },
  {
    rule: 'ragged row',
    input: 'a,b\n1,2\n3\n',
    stdout: `${HEAD}5.5,5.5,1\n`,
    stderr: 'neuron: <stdin>:3: row has 1 fields but the header has 2 — every row needs one value per column; check for a missing or extra delimiter\n',
    code: 1,
  },
  {
    rule: 'trailing delimiter on a data row',
    input: 'a,b\n1,2,\n',
    stdout: HEAD,
    stderr: 'neuron: <stdin>:2: row has 3 fields but the header has 2 — every row needs one value per column; check for a missing or extra delimiter\n',
    code: 1,
  },
  { rule: 'trailing delimiter on every line: an empty-named column', input: 'a,b,\n1,2,\n', stdout: `${HEAD}5.5,5.5,1\n`, stderr: '', code: 0 },
  { rule: 'blank lines are skipped', input: 'a,b\n\n1,2\n\n\n3,4\n', stdout: `${HEAD}5.5,5.5,1\n11.5,11.5,1\n`, stderr: '', code: 0 },
  { rule: 'no final newline', input: 'a,b\n1,2', stdout: `${HEAD}5.5,5.5,1\n`, stderr: '', code: 0 },
  {
    rule: 'duplicate header names, used as an input',
    input: 'a,b,b\n1,2,3\n',
    stdout: '',
    stderr: 'neuron: <stdin>:1: feature "b" names more than one column of the header — rename the duplicate columns\n',
    code: 1,
  },
  { rule: 'duplicate header names, not used', input: 'a,b,c,c\n1,2,x,y\n', stdout: `${HEAD}5.5,5.5,1\n`, stderr: '', code: 0 },
  {
    rule: 'columns named __proto__ and constructor are ordinary columns',
    input: '__proto__,constructor\n1,2\n',
    args: ['--features', '__proto__,constructor', '--keep', 'constructor'],
    stdout: `constructor,${HEAD}2,5.5,5.5,1\n`,
    stderr: '',
    code: 0,
  },
  {
    rule: 'invalid UTF-8 in a file with CR line endings: the line counts CRs',
    input: Buffer.from('a,b\r1,2\r3,\xe9\r', 'latin1'),
    // The lines before the bad one are read: the \r ends the row 1,2, as the line after it is not a \n.
    stdout: `${HEAD}5.5,5.5,1\n`,
    stderr: 'neuron: <stdin>:3: not UTF-8 text (byte 0xE9) — save it as UTF-8 (for example: iconv -f latin1 -t utf-8 in.csv > out.csv)\n',
    code: 1,
  },
  {
    rule: 'invalid UTF-8: the rows before its line are written, then the error',
    input: Buffer.from('a,b\n1,2\n3,\xe9\n', 'latin1'),
    stdout: `${HEAD}5.5,5.5,1\n`,
    stderr: 'neuron: <stdin>:3: not UTF-8 text (byte 0xE9) — save it as UTF-8 (for example: iconv -f latin1 -t utf-8 in.csv > out.csv)\n',
    code: 1,
  },
  {
    rule: 'UTF-16 with a byte-order mark',
    input: Buffer.from('\uFEFFa,b\n1,2\n', 'utf16le'),
    stdout: '',
    stderr: 'neuron: <stdin>:1: the file is UTF-16, not UTF-8 — convert it: iconv -f utf-16 -t utf-8 in.csv > out.csv\n',
    code: 1,
  },
  {
    rule: 'UTF-16 without a byte-order mark',
    input: Buffer.from('a,b\n1,2\n', 'utf16le'),
    stdout: '',
    stderr:
      'neuron: <stdin>:1: the file has NUL bytes: it is UTF-16 or binary, not UTF-8 text — save it as UTF-8 (for example: iconv -f latin1 -t utf-8 in.csv > out.csv)\n',
    code: 1,
  },
  { rule: 'a 10 MB single line', input: `a,b,note\n1,2,${'x'.repeat(10_000_000)}\n`, stdout: `${HEAD}5.5,5.5,1\n`, stderr: '', code: 0 },
];

const fix = (text: string) => `only ASCII spaces and tabs around a number are ignored; remove the others`.replace(/^/, text);
const notANumber = (cell: string) =>
  `neuron: <stdin>:2:1: column "a": ${JSON.stringify(cell)} is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5\n`;
const missing = (cell: string) =>
  `neuron: <stdin>:2:1: column "a": ${cell === '' ? 'empty cell' : `missing value ${JSON.stringify(cell)}`} where a number is needed — fill in the value, or pass --missing skip (drop the row) or --missing zero\n`;

/** Each cell goes in column a, with b = 0: z = a + 0.5. */
const numbers: [string, string, string][] = [
  ['', '', missing('')],
  ['NA', '', missing('NA')],
  ['NaN', '', missing('NaN')],
  ['null', '', missing('null')],
  [' 4 ', '4.5', ''],
  ['\u00a04', '', `neuron: <stdin>:2:1: column "a": "\u00a04" has a non-breaking or other Unicode space — ${fix('')}\n`],
  ['1e3', '1000.5', ''],
  ['.5', '1', ''],
  ['5.', '5.5', ''],
  ['+5', '5.5', ''],
  ['-0', '0.5', ''],
  ['"4,5"', '', 'neuron: <stdin>:2:1: column "a": "4,5" is not a number — use a point as the decimal separator (4.5, not 4,5)\n'],
  ['4abc', '', notANumber('4abc')],
  ['12px', '', notANumber('12px')],
  ['0x10', '', notANumber('0x10')],
  ['1_000', '', notANumber('1_000')],
  ['４', '', notANumber('４')],
  ['Infinity', '', notANumber('Infinity')],
  ['1e400', '', 'neuron: <stdin>:2:1: column "a": "1e400" is out of range for a 64-bit float — use a value between -1.7e308 and 1.7e308\n'],
];

describe('Input rules: CSV structure', () => {
  it.each(structure.map((r) => [r.rule, r] as const))('%s', (_, rule) => check(rule));
});

describe('Input rules: a NUL byte after the first 64 KiB (issue 10, minor)', () => {
  it('is refused as one in the first chunk is, naming its line, and never reaches the output', () => {
    const rows = `a,b,name\n${'1,2,x\n'.repeat(20_000)}`; // 120 KB: line 20,002 is far past the first chunk
    const result = runBin(['eval', '-', '-w', AB, '--keep', 'name'], { input: `${rows}3,4,n\u0000l\n` });
    expect(result.stderr).toBe(
      'neuron: <stdin>:20002: the file has NUL bytes: it is UTF-16 or binary, not UTF-8 text — save it as UTF-8 (for example: iconv -f latin1 -t utf-8 in.csv > out.csv)\n',
    );
    expect(result.code).toBe(1);
    expect(result.stdout).not.toContain('\u0000');
  });
});

describe('Input rules: numbers', () => {
  it.each(numbers)('%j', (cell, z, stderr) => {
    check({
      rule: cell,
      input: `a,b\n${cell},0\n`,
      stdout: z === '' ? HEAD : `${HEAD}${z},${z},1\n`,
      stderr,
      code: stderr === '' ? 0 : 1,
    });
  });

  it('a row whose w·x overflows', () => {
    check({
      rule: 'overflow',
      input: 'a,b\n1e308,1e308\n',
      stdout: HEAD,
      stderr: 'neuron: <stdin>:2: z = w·x + b overflows to Infinity on this row — scale the inputs or the weights down\n',
      code: 1,
    });
  });
});

describe('Input rules: missing values', () => {
  const input = 'id,a,b\n1,1,2\n2,,3\n3,NA,1\n4,2,null\n5,1,1\n6,NaN,0\n7,None,0\n8,n/a,1\n';
  it('--missing error (the default) stops at the first', () => {
    check({
      rule: 'error',
      input,
      args: ['--keep', 'id'],
      stdout: 'id,z,identity,class\n1,5.5,5.5,1\n',
      stderr:
        'neuron: <stdin>:3:2: column "a": empty cell where a number is needed — fill in the value, or pass --missing skip (drop the row) or --missing zero\n',
      code: 1,
    });
  });

  it('--missing skip drops the rows and counts them on stderr, with the first five lines', () => {
    check({
      rule: 'skip',
      input,
      args: ['--keep', 'id', '--missing', 'skip'],
      stdout: 'id,z,identity,class\n1,5.5,5.5,1\n5,3.5,3.5,1\n',
      stderr: 'neuron: skipped 6 rows with a missing value (lines 3, 4, 5, 7, 8, ...)\n',
      code: 0,
    });
  });

  it('--missing skip --strict exits 1 when a row was skipped', () => {
    check({
      rule: 'strict',
      input: 'a,b\n1,2\n,3\n',
      args: ['--missing', 'skip', '--strict'],
      stdout: `${HEAD}5.5,5.5,1\n`,
      stderr:
        'neuron: skipped 1 row with a missing value (line 3)\nneuron: <stdin>: --strict: 1 row was skipped — fill in the missing values, or drop --strict\n',
      code: 1,
    });
  });

  it('--missing zero reads them as 0', () => {
    check({
      rule: 'zero',
      input: 'a,b\n,3\nNA,1\n',
      args: ['--missing', 'zero'],
      stdout: `${HEAD}6.5,6.5,1\n2.5,2.5,1\n`,
      stderr: '',
      code: 0,
    });
  });

  it('--missing zero still rejects a value that is not missing but wrong', () => {
    check({ rule: 'zero-bad', input: 'a,b\n4abc,3\n', args: ['--missing', 'zero'], stdout: HEAD, stderr: notANumber('4abc'), code: 1 });
  });
});

describe('Input rules: the weights file', () => {
  const weights = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const cases: [string, () => string, string][] = [
    ['missing path', () => join(dir, 'nope.json'), 'no such file (the weights) — check the path'],
    [
      'a directory',
      () => {
        mkdirSync(join(dir, 'd.json'), { recursive: true });
        return join(dir, 'd.json');
      },
      'is a directory, not a file (the weights) — name a file inside it',
    ],
    ['empty', () => weights('empty.json', ''), 'the file is empty — a weights file is a JSON object with "weights" and "bias"'],
    [
      'invalid JSON',
      () => weights('syntax.json', '{\n  "weights": [1, 2],\n  "bias": 0,\n}\n'),
      ':4:1: invalid JSON: expected a property name in double quotes (a trailing comma?) — fix the syntax (a JSON linter shows it too)',
    ],
    ['wrong type', () => weights('type.json', '{"weights": {"a": [1]}, "bias": 0}'), ': weights["a"]: expected a finite number, got an array'],
    ['a string where a number belongs', () => weights('string.json', '{"weights": [1, "2"], "bias": 0}'), ': weights[1]: expected a finite number, got "2"'],
    ['missing bias', () => weights('nobias.json', '{"weights": [1, 2]}'), ': bias: missing — add "bias": a number (0 if the model has none)'],
    [
      'unknown key',
      () => weights('key.json', '{"weights": [1, 2], "bias": 0, "activaton": "tanh"}'),
      ': "activaton": unknown key — did you mean "activation"?',
    ],
    [
      'too few weights for the features',
      () => weights('few.json', '{"features": ["a", "b"], "weights": [1], "bias": 0}'),
      ': weights: has 1 numbers but "features" names 2 columns — give one weight per feature',
    ],
    [
      'too many weights for the data',
      () => weights('many.json', '{"weights": [1, 2, 3], "bias": 0}'),
      ': the weights file has 3 weights but the data has 2 input columns ("a", "b") — name the input columns with --features, or add "features" to the weights file',
    ],
    [
      'NaN smuggled in',
      () => weights('nan.json', '{"weights": [NaN, 1], "bias": 0}'),
      ':1:14: invalid JSON: unexpected character (JSON has no NaN, Infinity or comments; strings take double quotes) — fix the syntax (a JSON linter shows it too)',
    ],
    [
      'Infinity smuggled in as 1e400',
      () => weights('inf.json', '{"weights": [1e400, 1], "bias": 0}'),
      ': weights[0]: expected a finite number, got Infinity (out of range)',
    ],
    ['duplicate keys', () => weights('dup.json', '{"weights": [1, 2],\n "bias": 0,\n "bias": 1}'), ':3:2: bias: duplicate key "bias" — keep one of them'],
    [
      '__proto__ key',
      () => weights('proto.json', '{"weights": {"a": 1, "__proto__": {"b": 2}}, "bias": 0}'),
      ':1:22: weights.__proto__: the key "__proto__" is not allowed — rename it',
    ],
    [
      'over the size cap',
      () => weights('big.json', `{"weights": [1, 2], "bias": 0, "x": "${'y'.repeat(1024 * 1024 - 37)}"}`),
      ': the weights file is 1048578 bytes, over the 1048576-byte limit — a weights file holds one small JSON object; check the path',
    ],
    [
      'nested 5,000 arrays deep (issue 10, defect 13: was an internal error, exit 70)',
      () => weights('deep.json', `{"weights": ${'['.repeat(5000)}${']'.repeat(5000)}, "bias": 0}`),
      ':1:76: invalid weights: nested more than 64 arrays or objects deep — a weights file is one flat JSON object of numbers and lists of numbers',
    ],
    [
      'brackets inside strings do not count as nesting',
      () => weights('brackets.json', `{"weights": [1, 2], "bias": 0, "x": "${'['.repeat(100)}\\"${'{'.repeat(100)}"}`),
      ': "x": unknown key — the keys are features, weights, bias, activation, classes, threshold, init, scaling, categories, impute, note',
    ],
  ];
  it.each(cases)('%s', (_, make, message) => {
    const path = make();
    const result = runBin(['eval', '-', '-w', path], { input: 'a,b\n1,2\n' });
    expect(result).toEqual({ stdout: '', stderr: `neuron: ${path}${message.startsWith(':') ? '' : ': '}${message}\n`, code: 1 });
  });

  it('unreadable (as a user other than root)', () => {
    if (process.getuid?.() === 0) {
      // root reads any file; the mapping of EACCES is covered in test/files.test.ts.
      expect(process.getuid()).toBe(0);
      return;
    }
    const path = weights('secret.json', '{"weights": [1, 2], "bias": 0}');
    chmodSync(path, 0o000);
    expect(runBin(['eval', '-', '-w', path], { input: 'a,b\n1,2\n' }).stderr).toBe(
      `neuron: ${path}: permission denied (the weights) — check the file's permissions\n`,
    );
  });
});

describe('Input rules: usage', () => {
  it.each([
    [['--seed', '-1'], "neuron: option '--seed <n>' argument '-1' is invalid. Expected a whole number from 0 to 4294967295.\n"],
    [['--seed', '4294967296'], "neuron: option '--seed <n>' argument '4294967296' is invalid. Expected a whole number from 0 to 4294967295.\n"],
    [['--seed', '1.5'], "neuron: option '--seed <n>' argument '1.5' is invalid. Expected a whole number from 0 to 4294967295.\n"],
    [['--seed', 'abc'], "neuron: option '--seed <n>' argument 'abc' is invalid. Expected a whole number from 0 to 4294967295.\n"],
    [['-w', AB, '--threshold', 'high'], "neuron: option '--threshold <t>' argument 'high' is invalid. Expected a number such as 0.5.\n"],
    [['-w', AB, '--threshold', ''], "neuron: option '--threshold <t>' argument '' is invalid. Expected a number such as 0.5.\n"],
    [
      ['-w', AB, '--activation', 'softmax'],
      "neuron: option '--activation <name>' argument 'softmax' is invalid. Allowed choices are sigmoid, tanh, relu, identity, step.\n",
    ],
    [
      ['-w', AB, '--format', 'xml'],
      "neuron: option '--format <format>' argument 'xml' is invalid. Allowed choices are table, csv, tsv, json, ndjson, parquet.\n",
    ],
    [['-w', AB, '--missing', 'drop'], "neuron: option '--missing <policy>' argument 'drop' is invalid. Allowed choices are error, skip, zero.\n"],
    [['-w', AB, '--strict'], 'neuron: --strict only goes with --missing skip — add --missing skip, or drop --strict\n'],
  ])('%j', (args, message) => {
    const result = runBin(['eval', '-', ...args], { input: 'a,b\n1,2\n' });
    const hint = message.includes('--strict only') ? '' : '(run "neuron eval --help" for usage)\n';
    expect(result).toEqual({ stdout: '', stderr: message + hint, code: 2 });
  });
});

describe('Input rules: memory', () => {
  it('gives up on a 1 GB unclosed quote after reading a bounded amount', async () => {
    const child = spawn(process.execPath, [BIN, 'eval', '-', '-w', AB], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    let sent = 0;
    const chunk = Buffer.alloc(1024 * 1024, 'x');
    child.stdin.on('error', () => {}); // EPIPE once neuron has stopped reading
    child.stdin.write('a,b\n1,"');
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    let done = false;
    void exited.then(() => {
      done = true;
    });
    // Write only as fast as neuron reads: `sent` then counts what it consumed, give or take the pipe buffers.
    while (!done && sent < 1024 * 1024 * 1024) {
      sent += chunk.length;
      if (!child.stdin.write(chunk)) await Promise.race([once(child.stdin, 'drain').catch(() => {}), exited]);
    }
    child.stdin.destroy();
    expect(await exited).toBe(1);
    expect(stderr).toBe('neuron: <stdin>:2: a row longer than 16777216 characters — check for an unclosed quote\n');
    expect(sent).toBeLessThan(128 * 1024 * 1024);
  }, 60_000);
});

describe('Input rules: the weights file from a pipe', () => {
  // A FIFO stands for `-w <(yes)`: stat gives its size as 0. (Node's child
  // stdin is a socket, not a pipe, so /dev/stdin cannot be used here.)
  const fifoAndData = (name: string) => {
    const fifo = join(dir, `${name}.fifo`);
    execFileSync('mkfifo', [fifo]);
    const data = join(dir, `${name}.csv`);
    writeFileSync(data, 'a,b\n1,2\n');
    return { fifo, data };
  };
  const run = (data: string, fifo: string) => {
    const child = spawn(process.execPath, [BIN, 'eval', data, '-w', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out = { stdout: '', stderr: '' };
    child.stdout.on('data', (chunk) => {
      out.stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      out.stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const writer = createWriteStream(fifo);
    writer.on('error', () => {}); // EPIPE once neuron has stopped reading
    return { out, exited, writer };
  };

  it('refuses an endless weights pipe after reading about the 1 MiB cap', async () => {
    const { fifo, data } = fifoAndData('endless');
    const { out, exited, writer } = run(data, fifo);
    let done = false;
    void exited.then(() => {
      done = true;
    });
    writer.write('{"weights": [1, 2], "bias": 0.5, "x": "');
    const chunk = Buffer.alloc(1024 * 1024, 'y');
    let sent = 0;
    // As `yes` would: write until neuron stops reading (or far past the cap).
    while (!done && sent < 256 * 1024 * 1024) {
      sent += chunk.length;
      if (!writer.write(chunk)) await Promise.race([once(writer, 'drain').catch(() => {}), exited]);
    }
    writer.destroy();
    expect(await exited).toBe(1);
    expect(out.stderr).toBe(`neuron: ${fifo}: the weights file is over the 1048576-byte limit — a weights file holds one small JSON object; check the path\n`);
    expect(sent).toBeLessThan(16 * 1024 * 1024);
  }, 60_000);

  it('reads a small weights file from a pipe', async () => {
    const { fifo, data } = fifoAndData('small');
    const { out, exited, writer } = run(data, fifo);
    writer.end('{"weights": [1, 2], "bias": 0.5, "activation": "identity"}');
    expect(await exited).toBe(0);
    expect(out).toEqual({ stdout: `${HEAD}5.5,5.5,1\n`, stderr: '' });
  });
});
