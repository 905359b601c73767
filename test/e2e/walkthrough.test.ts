/**
 * The learn-mode walk-through (the README's "Learn mode" section): every
 * ```console block is re-run, command by command, in a copy
 * of fixtures/, and its output must match the text line for line.
 * Needs a POSIX shell and `head`, as the walk-through itself does.
 */
import { execSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../support/helpers.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const start = readme.indexOf('## Learn mode');
const doc = readme.slice(start, readme.indexOf('\n## ', start + 1));
const blocks = [...doc.matchAll(/```console\n([\s\S]*?)```/g)].map((m) => m[1] as string);

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

describe('walk-through', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neuron-walkthrough-'));
  cpSync(join(ROOT, 'fixtures'), join(dir, 'fixtures'), { recursive: true });

  it('has blocks to check', () => {
    expect(blocks.length).toBeGreaterThanOrEqual(5);
  });

  // Blocks run in order: later ones read the files earlier ones write.
  it.each(blocks.map((block, i) => [i + 1, block] as const))(
    'block %i shows what the commands print',
    (_, block) => {
      for (const { command, output } of steps(block)) {
        const actual = execSync(`neuron() { node "${BIN}" "$@"; }; ${command} 2>&1`, {
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
