/**
 * Nothing lost: interruption and slow readers, with the built CLI in a child
 * process (real signals, real pipes).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, fixture, runBin } from '../support/helpers.js';

const AB = fixture('ab.weights.json');

function collect(child: ChildProcess) {
  const out = { stdout: '', stderr: '' };
  child.stdout?.on('data', (c) => {
    out.stdout += c;
  });
  child.stderr?.on('data', (c) => {
    out.stderr += c;
  });
  const code = new Promise<number | null>((resolve) => child.on('close', resolve));
  return { out, code };
}

const waitFor = async (check: () => boolean) => {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 10));
};

describe('Ctrl-C', () => {
  it('stops promptly with exit 130 and no half-written line on stdout', async () => {
    const child = spawn(process.execPath, [BIN, 'eval', '-', '-w', AB], { stdio: ['pipe', 'pipe', 'pipe'] });
    const { out, code } = collect(child);
    // Enough rows to fill the first output chunk, then the input stays open.
    child.stdin?.write(`a,b\n${'1,2\n'.repeat(20_000)}`);
    await waitFor(() => out.stdout.length > 0);
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(out.stderr).toBe('');
    expect(out.stdout.endsWith('\n')).toBe(true);
    expect(
      out.stdout
        .split('\n')
        .slice(1, -1)
        .every((line) => line === '5.5,5.5,1'),
    ).toBe(true);
  });

  it('leaves an existing -o file untouched and no temporary file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neuron-int-'));
    const target = join(dir, 'out.csv');
    writeFileSync(target, 'before\n');
    const child = spawn(process.execPath, [BIN, 'eval', '-', '-w', AB, '-o', target], { stdio: ['pipe', 'pipe', 'pipe'] });
    const { out, code } = collect(child);
    child.stdin?.write(`a,b\n${'1,2\n'.repeat(20_000)}`);
    await waitFor(() => readdirSync(dir).length > 1); // the temporary file exists: the run has started
    child.kill('SIGINT');
    expect(await code).toBe(130);
    expect(out.stderr).toBe('');
    expect(readFileSync(target, 'utf8')).toBe('before\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });
});

describe('kill and a closed terminal', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s stops with exit %i and leaves no temporary file', async (signal, exit) => {
    const dir = mkdtempSync(join(tmpdir(), 'neuron-sig-'));
    const target = join(dir, 'out.csv');
    writeFileSync(target, 'before\n');
    const child = spawn(process.execPath, [BIN, 'eval', '-', '-w', AB, '-o', target], { stdio: ['pipe', 'pipe', 'pipe'] });
    const { out, code } = collect(child);
    child.stdin?.write(`a,b\n${'1,2\n'.repeat(20_000)}`);
    await waitFor(() => readdirSync(dir).length > 1);
    child.kill(signal);
    expect(await code).toBe(exit);
    expect(out.stderr).toBe('');
    expect(readFileSync(target, 'utf8')).toBe('before\n');
    expect(readdirSync(dir)).toEqual(['out.csv']);
  });
});

describe('a slow reader', () => {
  // About 20 MB of output by default; BACKPRESSURE_MB=1024 makes it the 1 GB.
  const megabytes = Number(process.env.BACKPRESSURE_MB ?? 20);
  it(`gets all ${megabytes} MB, byte-identical to the output written to a file`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'neuron-slow-'));
    const data = join(dir, 'in.csv');
    const rowsNeeded = Math.ceil((megabytes * 1024 * 1024) / 40);
    const lines = Array.from({ length: rowsNeeded }, (_, i) => `${i % 1000},${(i % 37) / 8}`);
    writeFileSync(data, `a,b\n${lines.join('\n')}\n`);
    const file = runBin(['eval', data, '-w', AB, '-o', join(dir, 'out.csv')]);
    expect(file.code).toBe(0);
    const expected = createHash('sha256')
      .update(readFileSync(join(dir, 'out.csv')))
      .digest('hex');

    const child = spawn(process.execPath, [BIN, 'eval', data, '-w', AB], { stdio: ['ignore', 'pipe', 'pipe'] });
    const hash = createHash('sha256');
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += c;
    });
    let chunks = 0;
    let newlines = 0;
    let head = '';
    child.stdout.on('data', (chunk: Buffer) => {
      hash.update(chunk);
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) newlines++;
      if (head.length < 4096) head += chunk.toString('utf8', 0, 4096);
      // Every 16th chunk, stop reading for 5 ms: neuron must wait, not buffer or drop.
      if (++chunks % 16 === 0) {
        child.stdout.pause();
        setTimeout(() => child.stdout.resume(), 5);
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(hash.digest('hex')).toBe(expected);
    // The header and one line per row, nothing dropped or doubled.
    expect(newlines).toBe(rowsNeeded + 1);
    // z = a + 2b + 0.5 (identity): the first rows are 0,0 -> 0.5 and 1,0.125 -> 1 + 0.25 + 0.5 = 1.75.
    expect(head.split('\n').slice(0, 3)).toEqual(['z,identity,class', '0.5,0.5,1', '1.75,1.75,1']);
  }, 120_000);
});
