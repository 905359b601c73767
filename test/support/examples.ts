/**
 * Documentation examples as tests. An example is a block of JavaScript
 * (in an `@example` doc tag, or a README code block) whose lines state their
 * results in comments:
 *
 *     scoreValues(model, [4, 80]).class; // => 'Obese'
 *     parseModel({}); // throws 'expected a JSON object ...'
 *
 * `// => v` checks that the expression before it deep-equals v (strictly:
 * 0 and -0 differ); `// throws m` that it throws an error with message m.
 * `import { ... } from 'neuron-cli'` is run as a dynamic import, so every
 * example runs in one node process against the package as built.
 */
import { spawnSync } from 'node:child_process';
import { ROOT } from './helpers.js';

export interface Example {
  /** Where it comes from, for the test name: `scoreValues` or `README.md block 2`. */
  readonly name: string;
  readonly code: string;
}

export interface ExampleResult {
  readonly name: string;
  /** The number of `// =>` and `// throws` lines run. */
  readonly checks: number;
  readonly error: string | undefined;
}

/** The code of an example: its fenced block's content (or the whole text without fences). */
export function exampleCode(text: string): string {
  const fenced = /```(?:js|javascript|ts)?\n([\s\S]*?)```/.exec(text);
  return (fenced?.[1] ?? text).trim();
}

/** One example as the body of an async function: imports made dynamic, result comments made checks. */
export function compileExample(code: string): string {
  return code
    .split('\n')
    .map((line, i) => {
      const where = JSON.stringify(`line ${i + 1}: ${line.trim()}`);
      const imported = /^import\s*\{([^}]*)\}\s*from\s*(['"][^'"]+['"]);?\s*$/.exec(line);
      if (imported !== null) return `const {${(imported[1] ?? '').replace(/\bas\b/g, ':')}} = await import(${imported[2]});`;
      const result = /^(.*?);?\s*\/\/ => (.*)$/.exec(line);
      if (result !== null) return `await __check(${where}, async () => (${result[1]}), () => (${result[2]}));`;
      const throws = /^(.*?);?\s*\/\/ throws (.*)$/.exec(line);
      if (throws !== null) return `await __throws(${where}, async () => { ${throws[1]}; }, ${throws[2]});`;
      return line;
    })
    .join('\n');
}

const RUNNER = `
import { deepStrictEqual } from 'node:assert/strict';
let checks = 0;
const show = (v) => { try { return JSON.stringify(v) ?? String(v); } catch { return String(v); } };
async function __check(where, actual, expected) {
  checks++;
  const got = await actual();
  const want = expected();
  try { deepStrictEqual(got, want); } catch { throw new Error(where + ' gives ' + show(got) + ', the comment says ' + show(want)); }
}
async function __throws(where, run, message) {
  checks++;
  try { await run(); } catch (error) {
    if (error?.message === message) return;
    throw new Error(where + ' throws ' + show(error?.message) + ', the comment says ' + show(message));
  }
  throw new Error(where + ' does not throw; the comment says it throws ' + show(message));
}
const results = [];
`;

/** Runs the examples in one node process in the package directory; one result each, in order. */
export function runExamples(examples: readonly Example[]): ExampleResult[] {
  const bodies = examples.map(
    (example) =>
      `checks = 0; try { await (async () => {\n${compileExample(example.code)}\n})(); results.push({ name: ${JSON.stringify(example.name)}, checks, error: undefined }); }` +
      ` catch (error) { results.push({ name: ${JSON.stringify(example.name)}, checks, error: String(error?.message ?? error) }); }`,
  );
  const script = `${RUNNER}\n${bodies.join('\n')}\nconsole.log(JSON.stringify(results));`;
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`the examples did not run: ${run.stderr}`);
  return JSON.parse(run.stdout) as ExampleResult[];
}
