/**
 * The README's walk-throughs ("Learn mode", and "Real data" on Iris and the
 * passenger table): every ```console block is re-run, command by command, in
 * a copy of fixtures/ (one per section), and its output must match the text
 * line for line. Needs a POSIX shell and `head`, as the walk-throughs do.
 */
import { execSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../support/helpers.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');

/** The ```console blocks of the README section that starts with `heading`. */
function blocksOf(heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  if (start === -1) return [];
  const doc = readme.slice(start, readme.indexOf('\n## ', start + 1));
  return [...doc.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => m[1] as string);
}

/** Each "$ command" line with the text under it. */
function steps(block: string): { command: string; output: string }[] {
  return block
    .split(/^\$ /m)
    .slice(1)
    .map((chunk) => {
      const newline = chunk.indexOf('\n');
      return { command: chunk.slice(0, newline), output: chunk.slice(newline + 1) };
    });
}

describe.each([
  ['## Learn mode: explain, measure, train', 5],
  ['## Real data: many classes, categories, missing values', 2],
])('walk-through %s', (heading, least) => {
  const blocks = blocksOf(heading);
  const dir = mkdtempSync(join(tmpdir(), 'neuron-walkthrough-'));
  cpSync(join(ROOT, 'fixtures'), join(dir, 'fixtures'), { recursive: true });

  it('has blocks to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(least);
  });

  // Blocks run in order: later ones read the files earlier ones write.
  it.each(blocks.map((block, i) => [i + 1, block] as const))(
    'block %i shows what the commands print',
    (_, block) => {
      for (const { command, output } of steps(block)) {
        const actual = execSync(`neuron() { node "${BIN}" "$@"; }; { ${command}; } 2>&1`, {
          cwd: dir,
          shell: '/bin/sh',
          encoding: 'utf8',
          env: { PATH: process.env.PATH ?? '' },
        });
        expect(actual, command).toBe(output);
      }
      // A block of plot commands loads Vega and draws: seconds on a busy machine.
    },
    120_000,
  );
});
