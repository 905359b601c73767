/**
 * The package's entry points (built dist/, as `npm test` builds first):
 * `neuron-cli` is the pure core and loads nothing that does I/O;
 * `neuron-cli/cli` is the command line (`run`, with commander, chalk, fs).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/helpers.js';

const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  name: string;
  version: string;
  exports: Record<string, { types: string; import: string }>;
};

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

interface LockEntry {
  readonly dev?: boolean;
  readonly link?: boolean;
  readonly [key: string]: unknown;
}

/**
 * A consumer's package-lock.json for the tarball: the package itself, and
 * its runtime dependencies as this repository's lockfile pins them (the
 * same versions, integrity and places), so `npm ci --offline` installs from
 * the npm cache that `npm ci` filled, with no registry request.
 */
function consumerLock(tarball: string): object {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const self = lock.packages[''] ?? {};
  const packages: Record<string, unknown> = {
    '': { name: 'consumer', dependencies: { [pkg.name]: `file:${tarball}` } },
    [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: `file:${tarball}`, dependencies: self.dependencies, bin: self.bin, engines: self.engines },
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path !== '' && entry.dev !== true && entry.link !== true) packages[path] = entry;
  }
  return { name: 'consumer', lockfileVersion: 3, requires: true, packages };
}

describe('npm pack from a clean checkout, installed by a consumer', () => {
  // The files a clone has (tracked, and new ones not ignored): no dist/, so `prepack` must build it.
  const work = mkdtempSync(join(tmpdir(), 'neuron-pack-'));
  const clean = join(work, 'clean');
  const consumer = join(work, 'consumer');
  const tarball = `${pkg.name}-${pkg.version}.tgz`;

  it('packs: prepack builds dist/, and the tarball holds bin, dist, README and package.json only', () => {
    const files = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
    for (const file of files.filter((f) => f !== '' && existsSync(join(ROOT, f)))) {
      mkdirSync(dirname(join(clean, file)), { recursive: true });
      copyFileSync(join(ROOT, file), join(clean, file));
    }
    expect(existsSync(join(clean, 'dist'))).toBe(false);
    symlinkSync(join(ROOT, 'node_modules'), join(clean, 'node_modules'));
    const pack = spawnSync('npm', ['pack', '--pack-destination', work], { cwd: clean, encoding: 'utf8' });
    expect(pack.status, pack.stderr).toBe(0);
    expect(readdirSync(work)).toContain(tarball);
    const listed = execFileSync('tar', ['-tzf', join(work, tarball)], { encoding: 'utf8' }).split('\n');
    const tops = new Set(listed.filter((f) => f !== '').map((f) => f.replace(/^package\//, '').split('/')[0]));
    expect([...tops].sort()).toEqual(['README.md', 'bin', 'dist', 'package.json']);
    for (const file of ['dist/index.js', 'dist/index.d.ts', 'dist/cli/program.js', 'dist/cli/program.d.ts', 'bin/neuron.js']) {
      expect(listed, file).toContain(`package/${file}`);
    }
  }, 120_000);

  it('installs offline in an empty folder; both entries import, the types check, and the bin runs', () => {
    mkdirSync(consumer);
    copyFileSync(join(work, tarball), join(consumer, tarball));
    writeFileSync(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { [pkg.name]: `file:${tarball}` } }),
    );
    writeFileSync(join(consumer, 'package-lock.json'), JSON.stringify(consumerLock(tarball), null, 2));
    const install = spawnSync('npm', ['ci', '--offline', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: consumer, encoding: 'utf8' });
    expect(install.status, install.stderr).toBe(0);

    const script = [
      `import { PassThrough } from 'node:stream';`,
      `import { parseModel, scoreValues } from '${pkg.name}';`,
      `import { EXIT, run } from '${pkg.name}/cli';`,
      `const model = parseModel({ weights: [-1.5, 0.1], bias: 0, classes: ['Not Obese', 'Obese'] });`,
      `const stdout = new PassThrough(); let text = ''; stdout.on('data', (c) => { text += c; });`,
      `const code = await run(['random-init', '--inputs', '1', '--seed', '42', '--init', 'uniform'], { stdin: process.stdin, stdout, stderr: process.stderr, env: {}, randomSeed: () => 0 });`,
      `console.log(JSON.stringify({ score: scoreValues(model, [4, 80]), ok: code === EXIT.ok, weights: JSON.parse(text).weights }));`,
    ].join('\n');
    const used = spawnSync(process.execPath, ['--input-type=module', '-e', script], { cwd: consumer, encoding: 'utf8' });
    expect(used.stderr).toBe('');
    // z = -1.5·4 + 0.1·80 = 2; np.random.seed(42); np.random.uniform(-0.05, 0.05, 1)
    expect(JSON.parse(used.stdout)).toEqual({
      score: { z: 2, output: 0.8807970779778824, class: 'Obese', classIndex: 1 },
      ok: true,
      weights: [-0.012545988115263751],
    });

    // A TypeScript consumer: the shipped declarations type-check strict code against both entries.
    writeFileSync(
      join(consumer, 'use.ts'),
      [
        `import { isSoftmax, type Prediction, parseModel, scoreValues, type SoftmaxPrediction } from '${pkg.name}';`,
        `import { run, type World } from '${pkg.name}/cli';`,
        // parseModel gives either kind of model; once narrowed, each kind's prediction has its own type.
        `const model = parseModel({ weights: [1], bias: 0 });`,
        `const p: Prediction | SoftmaxPrediction = scoreValues(model, [1]);`,
        `if (isSoftmax(model)) throw new Error(String(p.z));`,
        `const c: 0 | 1 = scoreValues(model, [1]).classIndex;`,
        `export const go = (world: World): Promise<number> => run(['--version'], world).then((code) => code + c);`,
      ].join('\n'),
    );
    const tsc = spawnSync(
      process.execPath,
      [
        join(ROOT, 'node_modules/typescript/bin/tsc'),
        '--noEmit',
        '--strict',
        '--module',
        'nodenext',
        '--target',
        'es2022',
        '--types',
        'node',
        '--typeRoots',
        join(ROOT, 'node_modules/@types'),
        'use.ts',
      ],
      { cwd: consumer, encoding: 'utf8' },
    );
    expect(tsc.stdout + tsc.stderr).toBe('');

    const bin = spawnSync(process.execPath, [join(consumer, 'node_modules/.bin/neuron'), 'eval', '-', '--seed', '1', '--format', 'csv'], {
      cwd: consumer,
      input: 'x\n1\n',
      encoding: 'utf8',
    });
    expect(bin.status, bin.stderr).toBe(0);
    expect(bin.stdout.split('\n')[0]).toBe('z,sigmoid,class');
  }, 120_000);
});
