/**
 * The parallel reader (eval, metrics, train) on cases chosen by hand (the random ones are in
 * test/properties/parallel.test.ts): each is run with --threads 1 and with
 * several threads over blocks small enough that every file is cut many
 * times, and the two must agree on stdout, stderr and exit code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { planBlocks } from '../../src/cli/parallel.js';
import { BIN, fixture, runBin } from '../support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-parallel-e2e-'));
const AB = fixture('ab.weights.json');

function write(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

const rows = (n: number, row: (i: number) => string) => Array.from({ length: n }, (_, i) => row(i)).join('');

/** --threads 1 and --threads 3 over blocks of `blockBytes` give the same result. */
function same(args: string[], blockBytes = 16) {
  const one = runBin([...args, '--threads', '1']);
  const many = runBin([...args, '--threads', '3', '--block-bytes', String(blockBytes)]);
  expect(many).toEqual(one);
  return one;
}

describe('parallel eval', () => {
  it('quoted line breaks across the cuts: from the first block that ends inside a quote, the rest on one thread; the same rows', () => {
    // Every row's name holds a line break, and a cut falls inside most of them.
    const path = write('quoted.csv', `a,b,name\n${rows(40, (i) => `${i},1,"line ${i}\nmore"\n`)}7,oops,x\n`);
    expect(planBlocks(path, 1, 16)).toBeDefined();
    const result = same(['eval', path, '-w', AB, '--keep', 'name']);
    expect(result.stdout.split('\n').length).toBe(82);
    expect(result.stderr).toMatch(/quoted\.csv:82:2: column "b": "oops" is not a number/);
  });

  it('the first bad row in the file is the one reported, though later blocks fail too', () => {
    const path = write('bad.csv', `a,b\n${rows(200, (i) => (i % 50 === 49 ? `${i},x${i}\n` : `${i},${i}\n`))}`);
    const result = same(['eval', path, '-w', AB]);
    expect(result.stderr).toMatch(/bad\.csv:51:2: column "b": "x49" is not a number/);
    expect(result.stdout.split('\n').length).toBe(51);
  });

  it('--missing skip: the skipped lines are numbered in the whole file', () => {
    const path = write('skip.csv', `a,b\n${rows(300, (i) => (i % 37 === 0 ? `${i},NA\r\n` : `${i},${i}\r\n`))}`);
    const result = same(['eval', path, '-w', AB, '--missing', 'skip']);
    expect(result.stderr).toBe('neuron: skipped 9 rows with a missing value (lines 2, 39, 76, 113, 150, ...)\n');
  });

  it('--label with metrics: the same sums (metrics JSON and accuracy)', () => {
    const path = write('labels.csv', `a,b,label\n${rows(500, (i) => `${(i * 0.37) % 5},${-(i * 0.11) % 3},${i % 3 === 0 ? 1 : 0}\n`)}`);
    const w = write('sig.json', JSON.stringify({ features: ['a', 'b'], weights: [0.7, 1.3], bias: -1.1 }));
    const one = runBin(['eval', path, '-w', w, '--label', 'label', '--metrics', join(dir, 'm1.json'), '--threads', '1']);
    const many = runBin(['eval', path, '-w', w, '--label', 'label', '--metrics', join(dir, 'm2.json'), '--threads', '2', '--block-bytes', '64']);
    expect(many).toEqual(one);
    expect(execFileSync('cat', [join(dir, 'm2.json')], { encoding: 'utf8' })).toBe(execFileSync('cat', [join(dir, 'm1.json')], { encoding: 'utf8' }));
  });

  it("without --threads (the default: the cores, at most 4), eval and metrics give the one thread's bytes and figures", () => {
    const path = write('default.csv', `a,b,label\n${rows(400, (i) => `${i % 13},${(i * 7) % 11},${i % 3 === 0 ? 1 : 0}\n`)}`);
    for (const command of [
      ['eval', path, '-w', AB, '--label', 'label'],
      ['metrics', path, '-w', AB, '--label', 'label'],
    ]) {
      const one = runBin([...command, '--threads', '1']);
      expect(one.code).toBe(0);
      expect(runBin([...command, '--block-bytes', '64'])).toEqual(one);
    }
  });

  it('--no-header, with a byte-order mark', () => {
    const path = write('noheader.csv', `\uFEFF${rows(100, (i) => `${i},${i + 1}\n`)}`);
    expect(planBlocks(path, 0, 16)?.start).toBe(3);
    same(['eval', path, '-w', AB, '--no-header', '--features', '1,2', '--keep', '1']);
  });

  it('a quoted header (as R writes it) leaves the data to the workers', () => {
    const path = write('qheader.csv', `"a","b"\n${rows(100, (i) => `${i},${i}\n`)}`);
    same(['eval', path, '-w', AB, '--format', 'ndjson']);
  });

  it.each(['json', 'table'])('--format %s (written on one thread: its text depends on the rows before)', (format) => {
    const path = write(`fmt-${format}.csv`, `a,b\n${rows(100, (i) => `${i},${i}\n`)}`);
    same(['eval', path, '-w', AB, '--format', format]);
  });

  it('gzip and standard input are read on one thread, with the same result', () => {
    const text = `a,b\n${rows(100, (i) => `${i},${i}\n`)}`;
    const path = write('data.csv.gz', gzipSync(text));
    expect(planBlocks(path, 1, 16)).toBeUndefined();
    expect(same(['eval', path, '-w', AB]).stdout).toBe(runBin(['eval', '-', '-w', AB], { input: text }).stdout);
  });

  it('| head -n 1: exits 0 quietly', () => {
    const path = write('long.csv', `a,b\n${rows(20000, (i) => `${i},${i}\n`)}`);
    const command = `"${process.execPath}" "${BIN}" eval "${path}" -w "${AB}" --threads 2 --block-bytes 1024 2>&1 | head -n 1; echo "exit \${PIPESTATUS[0]}"`;
    const out = execFileSync('bash', ['-c', command], {
      encoding: 'utf8',
    });
    expect(out).toBe('z,identity,class\nexit 0\n');
  });

  it('metrics: the same figures, and the first bad row in the file', () => {
    const path = write('m.csv', `a,b,label\n${rows(400, (i) => `${(i * 0.37) % 5},${-(i * 0.11) % 3},${i % 3 === 0 ? 1 : 0}\n`)}`);
    const w = write('m.json', JSON.stringify({ features: ['a', 'b'], weights: [0.7, 1.3], bias: -1.1 }));
    expect(planBlocks(path, 1, 64)).toBeDefined();
    const good = same(['metrics', path, '-w', w, '--label', 'label', '--format', 'json'], 64);
    expect(JSON.parse(good.stdout).rows).toBe(400);
    const bad = write('mbad.csv', `a,b,label\n${rows(400, (i) => (i % 150 === 149 ? `${i},1,maybe\n` : `${i},1,${i % 2}\n`))}`);
    expect(planBlocks(bad, 1, 64)).toBeDefined();
    expect(same(['metrics', bad, '-w', w, '--label', 'label'], 64).stderr).toMatch(/mbad\.csv:151:3: --label column "label": "maybe" is neither/);
  });

  it('train: the same weights file, categories and classes first seen in later blocks', () => {
    // "c" first appears near the end, the label "yes" after the first blocks: codes are the one thread's order of appearance.
    const path = write(
      't.csv',
      `a,port,label\n${rows(600, (i) => `${(i * 0.7) % 3},${i > 500 && i % 2 ? 'c' : i % 3 ? 'a' : 'b'},${i > 40 && i % 3 === 0 ? 'yes' : 'no'}\n`)}`,
    );
    expect(planBlocks(path, 1, 64)).toBeDefined();
    const result = same(['train', path, '--label', 'label', '--categorical', 'port', '-q'], 64);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).features).toEqual(['a', 'port=a', 'port=b', 'port=c']);
  });

  it('train --missing skip: the skipped lines are numbered in the whole file', () => {
    const path = write('tskip.csv', `a,b,label\n${rows(500, (i) => (i % 97 === 5 ? `${i},NA,1\n` : `${i % 7},${i % 5},${i % 2}\n`))}`);
    expect(planBlocks(path, 1, 32)).toBeDefined();
    const result = same(['train', path, '--label', 'label', '--missing', 'skip', '-q'], 32);
    expect(result.stderr).toBe('neuron: skipped 6 rows with a missing value (lines 7, 104, 201, 298, 395, ...)\n');
  });

  it.each(['metrics', 'train'])('%s --threads with --engine: refused (the engine uses every core)', (command) => {
    const args =
      command === 'train'
        ? ['train', fixture('obesity.csv'), '--label', 'Condition']
        : ['metrics', fixture('obesity.csv'), '-w', fixture('obesity.weights.json'), '--label', 'Condition'];
    const result = runBin([...args, '--engine', 'duckdb', '--threads', '2']);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('neuron: --threads is for in-process reading; the engine uses every core — drop --threads\n');
  });

  it('--threads must be a whole number from 1', () => {
    const result = runBin(['eval', fixture('obesity.csv'), '-w', fixture('obesity.weights.json'), '--threads', '0']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/--threads <n>' argument '0' is invalid/);
  });
});
