/**
 * The parallel eval gives the one thread's result, byte for byte: on random
 * files (numbers of every size, bad and missing cells, ragged rows, blank
 * lines, every line break, quoted fields with line breaks in them, invalid
 * UTF-8), cut into random numbers of blocks so that cuts fall everywhere
 * (inside quoted fields too), with random options (--keep, --label,
 * --metrics, --missing, formats), `--threads 1` and `--threads N` write the
 * same stdout, stderr, exit code and metrics file. Runs the built CLI
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

let run = 0;
describe('parallel eval = one thread', () => {
  it('on random files, options and cuts', async () => {
    fc.assert(
      fc.property(file, options, (bytes, o) => {
        const at = join(dir, `data-${run++}.csv`);
        writeFileSync(at, bytes);
        const headerBytes = bytes.indexOf(10) + 1;
        const blockBytes = Math.max(1, Math.floor((bytes.length - headerBytes) / o.blocks));
        // The cuts are made: this run is the parallel one.
        expect(planBlocks(at, 1, blockBytes)).toBeDefined();
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
});
