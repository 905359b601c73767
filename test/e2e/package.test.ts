/**
 * The package's entry points (built dist/, as `npm test` builds first):
 * `neuron-cli` is the pure core and loads nothing that does I/O;
 * `neuron-cli/cli` is the command line (`run`, with commander, chalk, fs).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; exports: Record<string, { types: string; import: string }> };

/** Every module specifier outside the package that `entry` loads, following its relative imports. */
function externalImports(entry: string): Set<string> {
  const external = new Set<string>();
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    // Static imports and re-exports as tsc writes them: at the start of a line, ending in the module's name.
    for (const match of text.matchAll(/^(?:import|export)\s(?:[^;'"]*?\sfrom\s)?['"]([^'"]+)['"];$/gm)) {
      const specifier = match[1] as string;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else external.add(specifier);
    }
    // Dynamic imports (commands and libraries loaded on demand) count too.
    for (const match of text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
      const specifier = match[1] as string;
      if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier));
      else external.add(specifier);
    }
  };
  visit(join(ROOT, entry));
  return external;
}

/** Runs an ES module snippet with node in the package directory, where `neuron-cli` resolves to itself. */
function node(code: string): string {
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: ROOT, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  return result.stdout;
}

describe('package entry points', () => {
  it('declare files that exist', () => {
    expect(Object.keys(pkg.exports)).toEqual(['.', './cli']);
    for (const target of Object.values(pkg.exports)) {
      expect(existsSync(join(ROOT, target.types)), target.types).toBe(true);
      expect(existsSync(join(ROOT, target.import)), target.import).toBe(true);
    }
  });

  it('the main entry loads only the pure core: no commander, chalk or node: modules', () => {
    expect([...externalImports(pkg.exports['.']?.import ?? '')]).toEqual(['pure-rand/generator/mersenne']);
  });

  it('the cli entry is where commander, chalk and the file system come in', () => {
    const cli = externalImports(pkg.exports['./cli']?.import ?? '');
    expect(['commander', 'chalk', 'node:fs/promises'].filter((name) => !cli.has(name))).toEqual([]);
  });

  it('the main entry does not export run; neuron-cli/cli does', () => {
    const out = node(
      `const core = await import('${pkg.name}'); const cli = await import('${pkg.name}/cli');` +
        `console.log(JSON.stringify({ core: 'run' in core, parseModel: typeof core.parseModel, run: typeof cli.run }));`,
    );
    expect(JSON.parse(out)).toEqual({ core: false, parseModel: 'function', run: 'function' });
  });

  it('neuron-cli/cli runs a command against a World', () => {
    const out = node(
      `import { PassThrough } from 'node:stream'; import { run } from '${pkg.name}/cli';` +
        `const stdout = new PassThrough(); let text = ''; stdout.on('data', (c) => { text += c; });` +
        `const code = await run(['random-init', '--inputs', '1', '--seed', '42', '--init', 'uniform'], { stdin: process.stdin, stdout, stderr: process.stderr, env: {}, randomSeed: () => 0 });` +
        `console.log(JSON.stringify({ code, weights: JSON.parse(text).weights }));`,
    );
    // np.random.seed(42); np.random.uniform(-0.05, 0.05, 1)
    expect(JSON.parse(out)).toEqual({ code: 0, weights: [-0.012545988115263751] });
  });
});
