/**
 * Golden files for end-to-end runs of the built CLI: one file per case
 * under test/golden/, holding the command, exit code, stdout and stderr.
 * `UPDATE_GOLDEN=1 npx vitest run` rewrites them; review the diff before
 * committing, and check new numbers independently.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';
import { type Result, runBin } from './helpers.js';

export interface GoldenCase {
  /** File name under test/golden/, without extension. */
  readonly name: string;
  readonly args: string[];
  readonly stdin?: string;
  readonly env?: Record<string, string>;
}

export function render(c: GoldenCase, result: Result): string {
  const stdin = c.stdin === undefined ? '' : ` < (stdin: ${JSON.stringify(c.stdin)})`;
  const env = Object.entries(c.env ?? {})
    .map(([k, v]) => `${k}=${v} `)
    .join('');
  return `$ ${env}neuron ${c.args.map((a) => (/^[\w./=,-]+$/.test(a) ? a : JSON.stringify(a))).join(' ')}${stdin}\n--- exit ${result.code}\n--- stdout\n${result.stdout}--- stderr\n${result.stderr}`;
}

export function checkGolden(c: GoldenCase): void {
  const result = runBin(c.args, { ...(c.stdin === undefined ? {} : { input: c.stdin }), ...(c.env === undefined ? {} : { env: c.env }) });
  const actual = render(c, result);
  const path = new URL(`../golden/${c.name}.txt`, import.meta.url);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, actual);
  expect(existsSync(path), `golden file test/golden/${c.name}.txt is missing (UPDATE_GOLDEN=1 creates it)`).toBe(true);
  expect(actual).toBe(readFileSync(path, 'utf8'));
}
