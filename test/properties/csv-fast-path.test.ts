/**
 * The fast path of the CSV reader (FastSplitter) against csv-parse, which
 * defines what neuron accepts: on any input, in any chunking, both give the
 * same records, line numbers and error (message and line). Inputs are built
 * from the pieces that matter (delimiters, every line break, quotes, BOM,
 * spaces, empty lines, multi-byte text), and cut into random chunks, so that
 * a break or a quote also falls on a chunk boundary.
 */

import { Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatError, NeuronError } from '../../src/errors.js';
import { readCsvBatches } from '../../src/io/csv.js';
import { recordOf } from '../../src/neuron/cells.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 3000);

interface Outcome {
  rows: { record: string[]; line: number }[];
  error: string | undefined;
}

async function read(chunks: Buffer[], fast: boolean, delimiter: string, maxRecordChars: number): Promise<Outcome> {
  const rows: Outcome['rows'] = [];
  try {
    for await (const batch of readCsvBatches(Readable.from(chunks), { file: 'f.csv', delimiter, fast, maxRecordChars })) {
      for (let r = 0; r < batch.count; r++) {
        rows.push({ record: recordOf(batch, r), line: batch.lines[r] as number });
      }
    }
    return { rows, error: undefined };
  } catch (error) {
    if (!(error instanceof NeuronError)) throw error;
    return { rows, error: formatError(error) };
  }
}

/** Cuts `bytes` at the given fractions. */
function cut(bytes: Buffer, at: number[]): Buffer[] {
  const points = [...new Set(at.map((f) => Math.floor(f * bytes.length)))].sort((a, b) => a - b);
  const out: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    if (p > start) out.push(bytes.subarray(start, p));
    start = Math.max(start, p);
  }
  out.push(bytes.subarray(start));
  return out;
}

/** Quotes: bare, doubled, inside a field, and around whole fields (which the fast path splits in place). */
const quoting = ['""', '"', 'x"y', '"-2.5"', '"a,b;c"'];
const piece = fc.constantFrom('a', 'b', '1', '-2.5', ',', ';', '\t', '😀', ' ', '\n', '\r\n', '\r', '\n\n', ...quoting, 'é', '日本', '\uFEFF', 'NA');

function input(withQuotes: boolean) {
  const pieces = withQuotes ? piece : piece.filter((p) => !p.includes('"'));
  return fc.tuple(
    fc.boolean(),
    fc.array(pieces, { maxLength: 80 }),
    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
    fc.constantFrom(',', ';', '\t', '😀'),
    fc.constantFrom(1_000_000, 8, 3),
  );
}

async function agree([bom, parts, at, delimiter, max]: [boolean, string[], number[], string, number]) {
  const bytes = Buffer.from((bom ? '\uFEFF' : '') + parts.join(''), 'utf8');
  const chunks = cut(bytes, at);
  const fast = await read(chunks, true, delimiter, max);
  const reference = await read([bytes], false, delimiter, max);
  expect(fast).toEqual(reference);
}

describe('CSV fast path = csv-parse', () => {
  it('on input without quotes (the fast path throughout)', async () => {
    await fc.assert(fc.asyncProperty(input(false), agree), { numRuns: RUNS });
  }, 600_000);

  it('on input with quotes (whole quoted fields split in place, the rest handed over to csv-parse)', async () => {
    await fc.assert(fc.asyncProperty(input(true), agree), { numRuns: RUNS });
  }, 600_000);

  it('with an invalid UTF-8 byte somewhere (the rows before its line, then its error)', async () => {
    await fc.assert(
      fc.asyncProperty(input(true), fc.double({ min: 0, max: 1, noNaN: true }), async ([bom, parts, at, delimiter, max], where) => {
        const text = Buffer.from((bom ? '\uFEFF' : '') + parts.join(''), 'utf8');
        const cutAt = Math.floor(where * text.length);
        const bytes = Buffer.concat([text.subarray(0, cutAt), Buffer.from([0xe9]), text.subarray(cutAt)]);
        expect(await read(cut(bytes, at), true, delimiter, max)).toEqual(await read([bytes], false, delimiter, max));
      }),
      { numRuns: RUNS },
    );
  }, 600_000);

  it('on gzip input (compressed, then cut into random chunks: the magic number split too)', async () => {
    await fc.assert(
      fc.asyncProperty(input(true), fc.integer({ min: 1, max: 3 }), async ([bom, parts, at, delimiter, max], first) => {
        const bytes = Buffer.from((bom ? '\uFEFF' : '') + parts.join(''), 'utf8');
        const compressed = gzipSync(bytes);
        const chunks = [compressed.subarray(0, first), ...cut(compressed.subarray(first), at)];
        expect(await read(chunks, true, delimiter, max)).toEqual(await read([bytes], false, delimiter, max));
      }),
      { numRuns: Math.ceil(RUNS / 3) },
    );
  }, 600_000);

  it.each([
    ['a,b\n1,2\n', [0.5]],
    ['a,b\r\n1,2\r\n3,4', [0.2, 0.45, 0.5]],
    ['a,b\r', [0.5, 0.99]],
    ['a,b\n1,"x\ny",2\n3,4\n', [0.3]],
    ['a,b\n\n\n1\n', []],
    ['\uFEFF"a",b\n1,2\n', [0.1]],
    ['a,b\n1,2\n3,4,5\n6,7\n', [0.6]],
  ])('%j', async (text, at) => {
    const bytes = Buffer.from(text);
    expect(await read(cut(bytes, at), true, ',', 1_000_000)).toEqual(await read([bytes], false, ',', 1_000_000));
  });
});
