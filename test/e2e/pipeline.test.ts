/** The built CLI inside real shell pipelines. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { BIN } from '../support/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'neuron-pipe-'));
const data = join(dir, 'big.csv');
const weights = join(dir, 'w.json');

function sh(script: string) {
  const result = spawnSync('bash', ['--norc', '--noprofile', '-c', script], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH ?? '', NEURON: `${process.execPath} ${BIN}` },
  });
  return { stdout: result.stdout, stderr: result.stderr, code: result.status };
}

beforeAll(() => {
  // sigmoid(z) for z < 0 is e^z / (1 + e^z): Python's math.exp(-3)/(1+math.exp(-3)) = 0.04742587317756679.
  // 300,000 rows: far more than a pipe buffer, so `head` closes the pipe while neuron is still writing.
  const rows = Array.from({ length: 300_000 }, (_, i) => `${i},${(i % 7) - 3}`);
  writeFileSync(data, `a,b\n${rows.join('\n')}\n`);
  writeFileSync(weights, '{"weights": [0, 1], "bias": 0}');
});

describe('pipelines', () => {
  it('| head -n 3 prints three lines and neuron exits 0 without a word', () => {
    const result = sh(`$NEURON eval ${data} -w ${weights} | head -n 3; echo "status \${PIPESTATUS[0]}" >&2`);
    expect(result.stdout).toBe('z,sigmoid,class\n-3,0.04742587317756679,0\n-2,0.11920292202211755,0\n');
    expect(result.stderr).toBe('status 0\n');
  });

  it('reads standard input from a pipe and writes every row', () => {
    const result = sh(`cat ${data} | $NEURON eval - -w ${weights} --format ndjson | wc -l`);
    expect(result.stdout.trim()).toBe('300000');
    expect(result.stderr).toBe('');
  });
});
