/**
 * Issue 10, defect 9: metrics has eval's options for the same things:
 * --missing, --classes, and the format from -o's extension. Each expected
 * value is another run on data edited by hand, not the code's own output.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture, runInProcess } from '../support/helpers.js';

const W = fixture('obesity.weights.json');
const ROWS = ['h,w,c', '4,80,Obese', '5.5,60,Not Obese', '6,70,Not Obese', '5,90,Obese'];
const metrics = (rows: string[], ...args: string[]) =>
  runInProcess(['metrics', '-', '-w', W, '--features', 'h,w', '--label', 'c', '--format', 'json', ...args], { stdin: `${rows.join('\n')}\n` });

describe('metrics --missing', () => {
  it('skip: the metrics of the data without the row, and the skipped line on stderr', async () => {
    const holes = await metrics([...ROWS.slice(0, 3), '5,,Obese', 'NA,70,Obese', ...ROWS.slice(3)], '--missing', 'skip');
    const clean = await metrics(ROWS);
    expect(holes.stdout).toBe(clean.stdout);
    expect(holes.stderr).toBe('neuron: skipped 2 rows with a missing value (lines 4, 5)\n');
    expect(holes.code).toBe(0);
  });

  it('zero: the metrics of the data with 0 written in', async () => {
    const holes = await metrics([...ROWS, '5,,Obese'], '--missing', 'zero');
    const zero = await metrics([...ROWS, '5,0,Obese']);
    expect(holes.stdout).toBe(zero.stdout);
  });

  it('error (the default): names the line and points to --missing', async () => {
    const result = await metrics([...ROWS, '5,,Obese']);
    expect(result.stderr).toBe(
      'neuron: <stdin>:6:2: column "w": empty cell where a number is needed — fill in the value, or pass --missing skip (drop the row) or --missing zero\n',
    );
    expect(result.code).toBe(1);
  });
});

describe('metrics --classes', () => {
  it('renames the classes: swapped, every row is wrong', async () => {
    const right = JSON.parse((await metrics(ROWS)).stdout) as { accuracy: number };
    const swapped = JSON.parse((await metrics(ROWS, '--classes', 'Obese,Not Obese')).stdout) as { accuracy: number };
    expect(right.accuracy).toBe(1);
    expect(swapped.accuracy).toBe(0);
  });

  it('spaces around a name are trimmed: "Not Obese, Obese" is "Not Obese,Obese" (issue 10, minor)', async () => {
    const trimmed = await metrics(ROWS, '--classes', ' Not Obese , Obese');
    const plain = await metrics(ROWS, '--classes', 'Not Obese,Obese');
    expect(trimmed.stdout).toBe(plain.stdout);
    expect(JSON.parse(trimmed.stdout).confusion_matrix.labels).toEqual(['Not Obese', 'Obese']);
  });
});

describe('metrics -o FILE.json writes JSON, as eval infers the format from the extension', () => {
  it('equals metrics --format json', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'neuron-metrics-o-')), 'm.json');
    const json = await metrics(ROWS);
    const toFile = await runInProcess(['metrics', '-', '-w', W, '--features', 'h,w', '--label', 'c', '-o', file], { stdin: `${ROWS.join('\n')}\n` });
    expect(toFile.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe(json.stdout);
  });

  it('explain -o FILE.json too', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'neuron-explain-o-')), 'steps.json');
    const args = ['explain', '-', '-w', W, '--features', 'h,w'];
    const json = await runInProcess([...args, '--format', 'json'], { stdin: `${ROWS.join('\n')}\n` });
    await runInProcess([...args, '-o', file], { stdin: `${ROWS.join('\n')}\n` });
    expect(readFileSync(file, 'utf8')).toBe(json.stdout);
  });
});

describe('the same options for the same things', () => {
  it.each(['eval', 'metrics'])('%s --help lists --missing and --classes', async (command) => {
    const help = (await runInProcess([command, '--help'])).stdout;
    expect(help).toMatch(/--missing <policy>/);
    expect(help).toMatch(/--classes <names>/);
  });
});
