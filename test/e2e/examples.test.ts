/**
 * The library's documentation is tested: every export of src/index.ts has a
 * doc comment, every value export an `@example`, and every example (and
 * every code block of the README's "As a library" section) runs against the
 * built package with the results its comments state (test/support/examples.ts).
 * A stale example fails here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { type Example, exampleCode, runExamples } from '../support/examples.js';
import { ROOT } from '../support/helpers.js';

interface Documented {
  readonly name: string;
  readonly isValue: boolean;
  readonly doc: string;
  readonly examples: string[];
}

/** Each export of the entry, with its doc comment and examples, as the TypeScript checker sees them. */
function documentedExports(entry: string): Documented[] {
  const program = ts.createProgram([entry], {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    noEmit: true,
  });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(entry);
  const module = source === undefined ? undefined : checker.getSymbolAtLocation(source);
  if (module === undefined) throw new Error(`no module at ${entry}`);
  return checker.getExportsOfModule(module).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return {
      name: symbol.name,
      isValue: (target.flags & ts.SymbolFlags.Value) !== 0,
      doc: ts.displayPartsToString(target.getDocumentationComment(checker)).trim(),
      examples: target
        .getJsDocTags(checker)
        .filter((tag) => tag.name === 'example')
        .map((tag) => exampleCode(ts.displayPartsToString(tag.text))),
    };
  });
}

/** The code blocks of the README's "As a library" section. */
function readmeExamples(): Example[] {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = /\n## As a library\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  return [...section.matchAll(/```js\n([\s\S]*?)```/g)].map((match, i) => ({ name: `README.md "As a library" block ${i + 1}`, code: (match[1] ?? '').trim() }));
}

const exported = documentedExports(join(ROOT, 'src/index.ts'));
const examples: Example[] = [
  ...exported.flatMap((item) => item.examples.map((code, i) => ({ name: item.examples.length === 1 ? item.name : `${item.name} #${i + 1}`, code }))),
  ...readmeExamples(),
];
const results = new Map(runExamples(examples).map((result) => [result.name, result]));

describe('the library surface (src/index.ts)', () => {
  it('exports the entries the README names, and no CLI concept', () => {
    const names = exported.map((item) => item.name);
    for (const name of [
      'parseModel',
      'bindModel',
      'scoreValues',
      'scoreRecord',
      'metricsOf',
      'trainModel',
      'explainValues',
      'exportSql',
      'createRowWriter',
      'randomWeights',
    ]) {
      expect(names, name).toContain(name);
    }
    for (const name of ['EXIT', 'run', 'Scorer']) expect(names, name).not.toContain(name);
  });

  it.each(exported.map((item) => [item.name, item]))('%s has a doc comment', (_, item) => {
    expect(item.doc).not.toBe('');
  });

  it.each(exported.filter((item) => item.isValue).map((item) => [item.name, item]))('%s has an @example', (_, item) => {
    expect(item.examples.length).toBeGreaterThan(0);
  });
});

describe('documentation examples run with the results they state', () => {
  it('the README section has examples', () => {
    expect(readmeExamples().length).toBeGreaterThan(0);
  });

  it.each(examples.map((example) => [example.name, example]))('%s', (name) => {
    const result = results.get(name);
    expect(result?.error).toBeUndefined();
    expect(result?.checks).toBeGreaterThan(0);
  });
});

describe('the example checker', () => {
  it('fails a stale result, another error message, or no error, and passes a true one', () => {
    const checked = runExamples([
      { name: 'stale', code: "import { sigmoid } from 'neuron-cli';\nsigmoid(0); // => 0.4" },
      { name: 'other message', code: "import { parseModel } from 'neuron-cli';\nparseModel({}); // throws 'nope'" },
      { name: 'no error', code: "import { sigmoid } from 'neuron-cli';\nsigmoid(0); // throws 'nope'" },
      { name: 'true', code: "import { sigmoid as s } from 'neuron-cli';\ns(0); // => 0.5\n-s(0); // => -0.5" },
    ]);
    expect(checked.map((result) => [result.name, result.checks, result.error])).toEqual([
      ['stale', 1, 'line 2: sigmoid(0); // => 0.4 gives 0.5, the comment says 0.4'],
      ['other message', 1, `line 2: parseModel({}); // throws 'nope' throws "weights: missing", the comment says "nope"`],
      ['no error', 1, `line 2: sigmoid(0); // throws 'nope' does not throw; the comment says it throws "nope"`],
      ['true', 2, undefined],
    ]);
  });
});
