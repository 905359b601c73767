/**
 * `neuron export --to js|python`: the neuron as one small function,
 * `score(row)`, with no dependencies. Both compute what Scorer computes, in
 * the same order: z from the bias, adding w_i * x_i in feature order (x_i
 * standardised first, ((x - mean) / std), when the model has scaling); the
 * same stable sigmoid; the same class rule. The JavaScript function runs the
 * same double operations and Math functions as `neuron eval`, so it agrees
 * bit for bit; Python's math.exp and math.tanh come from the C library and
 * may differ from V8's in the last bit.
 */
import { activations } from '../neuron/activations.js';
import { isScaled, type LinearModel, outputNames, standardizedTerm, type Term } from './linear.js';

/** Strict decimal cells, as src/core/numbers.ts reads them: `4`, `-0.5`, `1e3`, `.5`; not `0x10`, `''` or `Infinity`. */
const DECIMAL_SOURCE = String.raw`^[ \t]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]*$`;

/** A JavaScript number literal that reads back as exactly x (String(x) is the shortest round-trip form). */
function jsNumber(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** The same, but always a Python float (never an int): "5" becomes "5.0". */
function pyNumber(x: number): string {
  if (Object.is(x, -0)) return '-0.0';
  const text = String(x);
  return /[.e]/.test(text) ? text : `${text}.0`;
}

/**
 * A string literal that is valid JavaScript and Python and holds no raw
 * control character or line separator: JSON.stringify escapes C0 controls,
 * quotes, backslashes and lone surrogates; DEL, C1 controls (U+0085 is a line
 * break to Python's str.splitlines) and U+2028/U+2029 (line breaks in a
 * JavaScript comment) are escaped here as \uXXXX, which both languages read.
 */
const str = (text: string) =>
  JSON.stringify(text).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${(c.codePointAt(0) as number).toString(16).padStart(4, '0')}`);

/** The value of one input; for a standardised model ((x - mean) / std), as Scorer computes it. */
function jsInput(term: Term): string {
  return standardizedTerm(term, `input(row, ${str(term.feature)})`, jsNumber);
}

function pyInput(term: Term): string {
  return standardizedTerm(term, `_input(row, ${str(term.feature)})`, pyNumber);
}

/** A header line saying that the inputs are standardised, for a model with scaling. */
function scalingNote(model: LinearModel, comment: string): string {
  return isScaled(model) ? `${comment} Each input is standardised with the weights file's scaling, (x - mean) / std, before its weight applies.\n` : '';
}

const indent = (lines: readonly string[], by: string) => lines.map((line) => (line === '' ? '' : by + line)).join('\n');

/**
 * An ES module exporting `score(row)`, which gives the same z, output and class as `neuron eval`, bit for bit.
 * @example
 * ```js
 * import { exportJs, linearModel, parseModel } from 'neuron-cli';
 * const model = parseModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4, classes: ['Not Obese', 'Obese'] });
 * const { score } = await import(`data:text/javascript,${encodeURIComponent(exportJs(linearModel(model)))}`);
 * score({ height: 4, weight: '80' }); // => { z: 2, sigmoid: 0.8807970779778824, class: 'Obese' }
 * ```
 */
export function exportJs(model: LinearModel): string {
  const [zName, outputName, className] = outputNames(model).map(str);
  const test = model.threshold === undefined ? 'z >= 0' : `output >= ${jsNumber(model.threshold)}`;
  const body = [
    `let z = ${jsNumber(model.bias)};`,
    ...model.terms.map((term) => `z += ${jsNumber(term.weight)} * ${jsInput(term)};`),
    'if (!Number.isFinite(z)) throw new RangeError("z = w·x + b overflows to " + z);',
    ...activations[model.activation].js,
    `return { ${zName}: z, ${outputName}: output, ${className}: ${test} ? ${str(model.classes[1])} : ${str(model.classes[0])} };`,
  ];
  return `// neuron export --to js: score(row) gives z, ${model.activation} and class as \`neuron eval\` does, bit for bit.
// row: an object keyed by column name; values are numbers or decimal strings such as "4.5".
${scalingNote(model, '//')}
const DECIMAL = /${DECIMAL_SOURCE}/;

function input(row, name) {
  const value = row[name];
  const x = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(x)) throw new TypeError(\`column \${JSON.stringify(name)}: \${JSON.stringify(value)} is not a number\`);
  return x;
}

export function score(row) {
${indent(body, '  ')}
}
`;
}

/**
 * A Python module defining `score(row)`, with no dependencies (math.exp is the C library's: the output may differ from eval's in the last bit).
 * @example
 * ```js
 * import { exportPython, linearModel, parseModel } from 'neuron-cli';
 * const model = parseModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4, classes: ['Not Obese', 'Obese'] });
 * exportPython(linearModel(model)).includes('def score(row):'); // => true
 * ```
 */
export function exportPython(model: LinearModel): string {
  const [zName, outputName, className] = outputNames(model).map(str);
  const test = model.threshold === undefined ? 'z >= 0' : `output >= ${pyNumber(model.threshold)}`;
  const body = [
    `z = ${pyNumber(model.bias)}`,
    ...model.terms.map((term) => `z += ${pyNumber(term.weight)} * ${pyInput(term)}`),
    'if not math.isfinite(z):',
    '    raise ValueError(f"z = w·x + b overflows to {z}")',
    ...activations[model.activation].python,
    `return {${zName}: z, ${outputName}: output, ${className}: ${str(model.classes[1])} if ${test} else ${str(model.classes[0])}}`,
  ];
  return `# neuron export --to python: score(row) gives z, ${model.activation} and class as \`neuron eval\` does.
# row: a mapping from column name to a number or a decimal string such as "4.5".
${scalingNote(model, '#')}import math
import re

_DECIMAL = re.compile(r"${DECIMAL_SOURCE}")


def _input(row, name):
    value = row[name]
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        x = float(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        x = float(value)
    else:
        x = math.nan
    if not math.isfinite(x):
        raise ValueError(f"column {name!r}: {value!r} is not a number")
    return x


def score(row):
${indent(body, '    ')}
`;
}
