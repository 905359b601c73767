/**
 * The parallel eval (src/cli/parallel.ts) gives exactly what one thread
 * gives: the same bytes on stdout, the same stderr and exit code, also when
 * a quote or a bad row comes late in the file. Files are over the 8 MB
 * threshold; NEURON_THREADS=1 is the single-thread reference.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runBin } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-par-'));
const AB = fixture('ab.weights.json'); // z = a + 2b + 0.5, identity

/** About 12 MB: rows `id,a,b` with varied numbers; `edit` may change row i. */
function bigFile(name: string, edit: (i: number, row: string) => string = (_, row) => row): string {
  const rows: string[] = [];
  for (let i = 0; i < 600_000; i++) rows.push(edit(i, `r${i},${(i % 997) / 8},${-(i % 13) / 3}`));
  const path = join(dir, name);
  writeFileSync(path, `id,a,b\n${rows.join('\n')}\n`);
  return path;
}

function both(args: string[]) {
  const parallel = runBin(args, { env: { NEURON_THREADS: '2' } });
  const single = runBin(args, { env: { NEURON_THREADS: '1' } });
  return { parallel, single };
}

describe('parallel eval', { timeout: 60_000 }, () => {
  it('writes the same bytes as one thread, in file order', () => {
    const path = bigFile('plain.csv');
    const { parallel, single } = both(['eval', path, '-w', AB, '--keep', 'id']);
    expect(single.code).toBe(0);
    expect(parallel).toEqual(single);
    // Row 123456 is line 123458: a = (123456 % 997) / 8 = 825 / 8 (997 * 123 = 122631), b = -(123456 % 13) / 3 = -8 / 3.
    expect(parallel.stdout.split('\n')[123457]).toBe(`r123456,${825 / 8 + 2 * (-8 / 3) + 0.5},${825 / 8 + 2 * (-8 / 3) + 0.5},1`);
  });

  it('hands over to one thread at a late quoted field, with the same output', () => {
    const path = bigFile('quoted.csv', (i, row) => (i === 400_000 ? 'r400000,"1",2' : row));
    const { parallel, single } = both(['eval', path, '-w', AB, '--keep', 'id', '--format', 'ndjson']);
    expect(single.code).toBe(0);
    expect(parallel).toEqual(single);
  });

  it('stops at a late bad row with the same message, line and earlier output', () => {
    const path = bigFile('bad.csv', (i, row) => (i === 500_001 ? 'r500001,4abc,1' : row));
    const { parallel, single } = both(['eval', path, '-w', AB]);
    expect(single.stderr).toBe(`neuron: ${path}:500003:2: column "a": "4abc" is not a number — numbers are plain decimals such as 4, -0.5, 1e3 or .5\n`);
    expect(parallel).toEqual(single);
  });

  it('counts skipped rows across blocks as one thread does', () => {
    const path = bigFile('missing.csv', (i, row) => (i % 100_000 === 99 ? `r${i},NA,1` : row));
    const { parallel, single } = both(['eval', path, '-w', AB, '--missing', 'skip']);
    expect(single.stderr).toBe('neuron: skipped 6 rows with a missing value (lines 101, 100101, 200101, 300101, 400101, ...)\n');
    expect(parallel).toEqual(single);
  });

  it('reads CRLF files and a ragged row the same way', () => {
    const crlf = join(dir, 'crlf.csv');
    writeFileSync(crlf, `id,a,b\r\n${Array.from({ length: 600_000 }, (_, i) => (i === 599_000 ? `r${i},1` : `r${i},${i % 7},1`)).join('\r\n')}\r\n`);
    const { parallel, single } = both(['eval', crlf, '-w', AB, '--keep', 'id']);
    expect(single.stderr).toBe(
      `neuron: ${crlf}:599002: row has 2 fields but the header has 3 — every row needs one value per column; check for a missing or extra delimiter\n`,
    );
    expect(parallel).toEqual(single);
  });
});
