/**
 * `neuron playground` in-process: what the page is given (the session) for
 * the lesson's table, random starting weights and the label's classes, and
 * the refusals before anything is served.
 */
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/program.js';
import type { Session } from '../../src/serve/session.js';
import { fixture, runInProcess } from '../support/helpers.js';

/** Runs the playground in this process, fetches its session, then stops it as Ctrl-C would. */
async function session(argv: string[]): Promise<{ session: Session; code: number; stderr: string }> {
  const controller = new AbortController();
  const stderr = new PassThrough();
  let text = '';
  const url = new Promise<string>((resolve) => {
    stderr.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = /http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+/.exec(text);
      if (match !== null) resolve(match[0]);
    });
  });
  const running = run(['playground', ...argv], {
    stdin: Readable.from([]),
    stdout: new PassThrough(),
    stderr,
    env: {},
    randomSeed: () => 7,
    signal: controller.signal,
  });
  const address = new URL(await url);
  const token = address.searchParams.get('token') ?? '';
  const answer = await fetch(new URL('/session.json', address), { headers: { cookie: `neuron-playground-${address.port}=${token}` } });
  const body = (await answer.json()) as Session;
  controller.abort();
  const code = await running;
  return { session: body, code, stderr: text };
}

describe('neuron playground, in-process', () => {
  it("without data or weights: the lesson's table and random-init's weights for the seed, classes from the labels", async () => {
    const { session: s, code, stderr } = await session([]);
    expect(code).toBe(130);
    expect(stderr).toContain('playground on the lesson’s table (14 rows)');
    const init = await runInProcess(['random-init', '--from', fixture('obesity.csv'), '--label', 'Condition', '--seed', '7', '--classes', 'Not Obese,Obese']);
    expect(s.model).toEqual(JSON.parse(init.stdout));
    expect(s.seed).toBe(7);
    expect(s.rows.names).toEqual(['Height (in feet)', 'Weight (in kgs)']);
    expect(s.rows.label?.column).toBe('Condition');
    expect(s.rows.label?.truths.slice(0, 3)).toEqual([1, 0, 0]);
    expect(s.weightsFile).toBeUndefined();
  });

  it('with -w and --features: those weights over those columns, no seed', async () => {
    const { session: s } = await session([fixture('patients.csv'), '-w', fixture('obesity.weights.json'), '--seed', '3']);
    expect(s.seed).toBeUndefined();
    expect(s.model.weights).toEqual([-1.5, 0.1]);
    expect(s.rows.values[0]).toEqual([4, 80]);
    expect(s.rows.label).toBeUndefined();
    expect(s.weightsFile).toBe(fixture('obesity.weights.json'));
  });

  it.each([
    [
      'a third class',
      [fixture('train-three-classes.csv'), '--label', 'label'],
      /^neuron: .*train-three-classes\.csv:\d+: --label column "label": ".*" is a third class \(".*", ".*"\) — a neuron tells two classes apart; name them with --classes "class0,class1"\n$/,
      1,
    ],
    [
      'a save folder that is not one',
      ['--save-dir', fixture('obesity.csv')],
      /^neuron: --save-dir ".*obesity\.csv" is not a folder — name an existing folder\n$/,
      1,
    ],
    ['a bad port', ['--port', '70000'], /^neuron: option '--port <n>' argument '70000' is invalid\. Expected a port number from 1 to 65535\.\n/, 2],
  ])('refuses %s before serving', async (_, argv, message, code) => {
    const result = await runInProcess(['playground', ...argv]);
    expect(result.code).toBe(code);
    expect(result.stderr).toMatch(message);
  });
});
