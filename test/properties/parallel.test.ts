/**
 * The parallel reader gives the one thread's result, byte for byte, for
 * eval, metrics and train: on random
 * files (numbers of every size, bad and missing cells, ragged rows, blank
 * lines, every line break, quoted fields with line breaks in them, invalid
 * UTF-8), cut into random numbers of blocks so that cuts fall everywhere
 * (inside quoted fields too), with random options (--keep, --label,
 * --metrics, --missing, formats; train's --categorical), `--threads 1` and
 * `--threads N` write the same stdout, stderr, exit code and metrics file
 * (eval), metrics (metrics), weights file (train). Runs the built CLI
 * (workers run the built JavaScript).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planBlocks } from '../../src/cli/parallel.js';
import { runBin } from '../support/helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const dir = mkdtempSync(join(tmpdir(), 'neuron-parallel-'));
const weights = join(dir, 'w.json');
writeFileSync(weights, JSON.stringify({ features: ['a', 'b'], weights: [1.5, -2.25], bias: 0.125 }));

const number = fc.oneof(
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map(String),
  fc.integer({ min: -99, max: 99 }).map(String),
  fc.constantFrom('.5', '-0', '1e3', ' 4 '),
);
const name = fc.constantFrom('x', 'é', '"q,1"', '"two\nlines"', '"cr\r\nlf"', '"say ""hi"""', '"end\r"', '5\'11"');
const row = fc.oneof(
  { weight: 20, arbitrary: fc.tuple(number, number, name, fc.constantFrom('0', '1')).map((cells) => cells.join(',')) },
  { weight: 1, arbitrary: fc.tuple(number, fc.constantFrom('oops', '', 'NA', '1e400'), name).map((cells) => `${cells.join(',')},1`) },
  { weight: 1, arbitrary: fc.constant('1,2') },
  { weight: 1, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.constant('1,2,\xe9,0') },
);
const file = fc.tuple(fc.array(fc.tuple(row, fc.constantFrom('\n', '\r\n', '\r')), { minLength: 10, maxLength: 120 }), fc.boolean()).map(([rows, quoted]) => {
  const body = rows.map(([text, end]) => text + end).join('');
  return Buffer.from(`${quoted ? '"a","b","name","label"' : 'a,b,name,label'}\n${body}`, 'latin1');
});
const options = fc.record({
  keep: fc.boolean(),
  label: fc.boolean(),
  metrics: fc.boolean(),
  missing: fc.constantFrom('error', 'skip', 'zero'),
  format: fc.constantFrom('csv', 'tsv', 'ndjson'),
  threads: fc.integer({ min: 2, max: 3 }),
  blocks: fc.integer({ min: 32, max: 60 }),
});

/**
 * train's files: bad rows rarer (so that many fits run to the end), and, for
 * --categorical name, names that may be categories (no control character:
 * quoted line breaks are in the files without it).
 */
const level = fc.constantFrom('x', 'é', 'y', 'z', '"q,1"', '"say ""hi"""', '5\'11"', '"w"');
const trainRow = (names: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 120, arbitrary: fc.tuple(number, number, names, fc.constantFrom('0', '1')).map((cells) => cells.join(',')) },
    { weight: 1, arbitrary: fc.tuple(number, fc.constantFrom('oops', '', 'NA'), names).map((cells) => `${cells.join(',')},1`) },
    { weight: 1, arbitrary: fc.tuple(number, number, names, fc.constantFrom('', 'NA')).map((cells) => cells.join(',')) },
    { weight: 1, arbitrary: fc.constant('1,2') },
    { weight: 1, arbitrary: fc.constant('') },
  );
const trainFile = (categorical: boolean) =>
  fc.array(fc.tuple(trainRow(categorical ? level : name), fc.constantFrom('\n', '\r\n', '\r')), { minLength: 10, maxLength: 120 }).map((rows) => {
    const body = rows.map(([text, end]) => text + end).join('');
    return Buffer.from(`a,b,name,label\n${body}`, 'utf8');
  });

/** train's options: the categorical column's levels must be coded in the one thread's order of appearance. */
const trainOptions = fc.record({
  missing: fc.constantFrom('error', 'skip'),
  categorical: fc.boolean(),
  solver: fc.constantFrom('newton', 'gd'),
  threads: fc.integer({ min: 2, max: 3 }),
  blocks: fc.integer({ min: 32, max: 60 }),
});

let run = 0;

/** A random file written, with the block size that cuts its data into `blocks` blocks (checked: the run is parallel). */
function writeData(bytes: Buffer, blocks: number): { at: string; blockBytes: number } {
  const at = join(dir, `data-${run++}.csv`);
  writeFileSync(at, bytes);
  const headerBytes = bytes.indexOf(10) + 1;
  const blockBytes = Math.max(1, Math.floor((bytes.length - headerBytes) / blocks));
  expect(planBlocks(at, 1, blockBytes)).toBeDefined();
  return { at, blockBytes };
}

/** stdout, stderr and exit code of `args` with --threads 1 and with `threads` over blocks of `blockBytes`. */
function bothWays(args: string[], threads: number, blockBytes: number) {
  const one = runBin([...args, '--threads', '1']);
  const many = runBin([...args, '--threads', String(threads), '--block-bytes', String(blockBytes)]);
  return { one, many };
}

describe('parallel reading = one thread', () => {
  it('eval, on random files, options and cuts', async () => {
    fc.assert(
      fc.property(file, options, (bytes, o) => {
        const { at, blockBytes } = writeData(bytes, o.blocks);
        const args = ['eval', at, '-w', weights, '--format', o.format, '--missing', o.missing];
        if (o.keep) args.push('--keep', 'name');
        if (o.label) args.push('--label', 'label');
        const outcome = (threads: string[], metricsFile: string) => {
          const result = runBin([...args, ...(o.label && o.metrics ? ['--metrics', metricsFile] : []), ...threads]);
          let metrics: string | undefined;
          try {
            metrics = readFileSync(metricsFile, 'utf8');
            rmSync(metricsFile);
          } catch {
            metrics = undefined;
          }
          return { ...result, metrics };
        };
        const one = outcome(['--threads', '1'], `${at}.m1.json`);
        const many = outcome(['--threads', String(o.threads), '--block-bytes', String(blockBytes)], `${at}.m2.json`);
        expect(many).toEqual(one);
        rmSync(at);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);

  it('metrics, on random files, options and cuts', async () => {
    fc.assert(
      fc.property(file, options, (bytes, o) => {
        const { at, blockBytes } = writeData(bytes, o.blocks);
        const { one, many } = bothWays(['metrics', at, '-w', weights, '--label', 'label', '--missing', o.missing, '--format', 'json'], o.threads, blockBytes);
        expect(many).toEqual(one);
        rmSync(at);
      }),
      { numRuns: RUNS, endOnFailure: true },
    );
  }, 600_000);

  it('train, on random files, options and cuts', async () => {
    let fitted = 0;
    fc.assert(
      fc.property(
        trainOptions.chain((o) => trainFile(o.categorical).map((bytes) => ({ bytes, o }))),
        ({ bytes, o }) => {
          const { at, blockBytes } = writeData(bytes, o.blocks);
          const args = ['train', at, '--label', 'label', '--missing', o.missing, '--solver', o.solver, ...(o.solver === 'gd' ? ['--epochs', '20'] : []), '-q'];
          args.push(...(o.categorical ? ['--categorical', 'name'] : ['--features', 'a,b']));
          const { one, many } = bothWays(args, o.threads, blockBytes);
          expect(many).toEqual(one);
          if (one.code === 0) fitted++;
          rmSync(at);
        },
      ),
      { numRuns: RUNS, endOnFailure: true },
    );
    // Some fits run to the end, so the matrix and the codes are compared, not only the errors.
    expect(fitted).toBeGreaterThan(0);
  }, 600_000);
});
