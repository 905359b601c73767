/**
 * `neuron export --to js|python`: the neuron as one small function,
 * `score(row)`, with no dependencies. Both compute what Scorer computes, in
 * the same order: z from the bias, adding w_i * x_i in feature order (x_i
 * standardised first, ((x - mean) / std), when the model has scaling); the
 * same stable sigmoid; the same class rule. The JavaScript function runs the
 * same double operations and Math functions as `neuron eval`, so it agrees
 * bit for bit; Python's math.exp and math.tanh come from the C library and
 * may differ from V8's in the last bit.
 *
 * An encoded model ("categories", "impute") is applied as RowEncoder applies
 * it: each one-hot column's cell is looked up once among its categories, a
 * missing cell (undefined/None, null, NaN, or a string eval reads as missing:
 * "", NA, N/A, NaN, null, None) takes the fill, and a category the model does
 * not know throws, as eval does (or, `unknown: 'zero'`, sets no indicator).
 * A softmax layer gives z_<class>, softmax_<class> (the largest z subtracted
 * before exp) and the class (the first largest z), as eval.
 */
import { activations } from '../neuron/activations.js';
import type { UnknownPolicy } from '../neuron/encoding.js';
import { MISSING } from '../neuron/numbers.js';
import {
  categoriesOf,
  columnOf,
  type ExportModel,
  type Input,
  isEncodedExport,
  isLayer,
  isScaled,
  type LayerModel,
  type LinearModel,
  layerOutputNames,
  neuronsOf,
  outputNames,
  standardizedTerm,
} from './linear.js';

/** Strict decimal cells, as src/core/numbers.ts reads them: `4`, `-0.5`, `1e3`, `.5`; not `0x10`, `''` or `Infinity`. */
const DECIMAL_SOURCE = String.raw`^[ \t]*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?[ \t]*$`;

/** What the generated code does with a category the model does not know: throw, as eval (default), or set no indicator. */
export interface CodeOptions {
  readonly unknown?: UnknownPolicy | undefined;
}

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

/** How one target language writes an input: the rest of the two generators differs too much to share. */
interface Language {
  readonly number: (x: number) => string;
  /** A numeric input's value; `fill` for a missing cell (encoded models only). */
  readonly input: (column: string, fill: number | undefined, encoded: boolean) => string;
  /** Looks a one-hot column's cell up once: the category (or the fill), into `variable`. */
  readonly lookup: (variable: string, column: string, categories: readonly string[], fill: string | undefined) => string;
  /** 1 when the looked-up category is `category`, else 0. */
  readonly indicator: (variable: string, category: string) => string;
}

const js: Language = {
  number: jsNumber,
  input: (column, fill, encoded) => `input(row, ${str(column)}${encoded ? `, ${fill === undefined ? 'undefined' : jsNumber(fill)}` : ''})`,
  lookup: (variable, column, categories, fill) =>
    `const ${variable} = category(row, ${str(column)}, [${categories.map(str).join(', ')}], ${fill === undefined ? 'undefined' : str(fill)});`,
  indicator: (variable, category) => `(${variable} === ${str(category)} ? 1 : 0)`,
};

const python: Language = {
  number: pyNumber,
  input: (column, fill, encoded) => `_input(row, ${str(column)}${encoded ? `, ${fill === undefined ? 'None' : pyNumber(fill)}` : ''})`,
  lookup: (variable, column, categories, fill) =>
    `${variable} = _category(row, ${str(column)}, [${categories.map(str).join(', ')}], ${fill === undefined ? 'None' : str(fill)})`,
  indicator: (variable, category) => `(1.0 if ${variable} == ${str(category)} else 0.0)`,
};

/**
 * Each input's value in weight order (standardised when the model has
 * scaling), and the lines before them that look each one-hot column up once.
 */
function inputValues(model: ExportModel, lang: Language): { readonly lookups: string[]; readonly values: string[] } {
  const { inputs } = neuronsOf(model);
  const encoded = isEncodedExport(model);
  const variables = new Map<string, string>();
  const lookups: string[] = [];
  const values = inputs.map((input: Input) => {
    const e = input.encoding;
    if (e?.category === undefined)
      return standardizedTerm(input, lang.input(columnOf(input), typeof e?.fill === 'number' ? e.fill : undefined, encoded), lang.number);
    let variable = variables.get(e.column);
    if (variable === undefined) {
      variable = `c${variables.size}`;
      variables.set(e.column, variable);
      lookups.push(lang.lookup(variable, e.column, categoriesOf(inputs, e.column), typeof e.fill === 'string' ? e.fill : undefined));
    }
    return standardizedTerm(input, lang.indicator(variable, e.category), lang.number);
  });
  return { lookups, values };
}

/** Header lines saying how the inputs are prepared: encoding, scaling. */
function notes(model: ExportModel, comment: string, unknown: UnknownPolicy): string {
  const lines: string[] = [];
  if (isEncodedExport(model)) {
    const unknownRule = unknown === 'zero' ? 'counts as every indicator of its column 0' : 'throws, as eval does';
    lines.push(
      `${comment} One-hot columns and fills come from the weights file ("categories", "impute"): a missing cell (none, null, NaN, or "", NA, N/A, NaN, null, None) takes the fill; a category the model does not know ${unknownRule}.`,
    );
  }
  if (isScaled(model)) lines.push(`${comment} Each input is standardised with the weights file's scaling, (x - mean) / std, before its weight applies.`);
  return lines.map((line) => `${line}\n`).join('');
}

const indent = (lines: readonly string[], by: string) => lines.map((line) => (line === '' ? '' : by + line)).join('\n');

/** The JavaScript helpers that read a cell: input(), and for an encoded model the missing test and category(). */
function jsHelpers(model: ExportModel, unknown: UnknownPolicy): string {
  const decimal = `const DECIMAL = /${DECIMAL_SOURCE}/;\n`;
  const read = `  const x = typeof value === 'number' ? value : typeof value === 'string' && DECIMAL.test(value) ? Number(value) : Number.NaN;
  if (!Number.isFinite(x)) throw new TypeError(\`column \${JSON.stringify(name)}: \${JSON.stringify(value)} is not a number\`);
  return x;
}`;
  if (!isEncodedExport(model)) return `${decimal}\nfunction input(row, name) {\n  const value = row[name];\n${read}\n`;
  const unknownLine =
    unknown === 'zero'
      ? '  return undefined;'
      : `  throw new RangeError(\`column \${JSON.stringify(name)}: \${JSON.stringify(value)} is not one of the model's categories (\${categories.map((c) => JSON.stringify(c)).join(', ')})\`);`;
  return `${decimal}const MISSING = /${MISSING.source}/${MISSING.flags};

function missing(value) {
  if (value === undefined || value === null) return true;
  if (typeof value === 'number') return Number.isNaN(value);
  return typeof value === 'string' && MISSING.test(value.replace(/^[ \\t]+|[ \\t]+$/g, ''));
}

function input(row, name, fill) {
  const value = row[name];
  if (fill !== undefined && missing(value)) return fill;
${read}

function category(row, name, categories, fill) {
  const value = row[name];
  const text = typeof value === 'string' ? value : typeof value === 'number' && Number.isFinite(value) ? String(value) : undefined;
  if (text !== undefined && categories.includes(text)) return text;
  if (missing(value)) {
    if (fill !== undefined) return fill;
    throw new TypeError(\`column \${JSON.stringify(name)}: \${JSON.stringify(value)} is missing where a category is needed\`);
  }
${unknownLine}
}
`;
}

/** The Python helpers, as jsHelpers. */
function pyHelpers(model: ExportModel, unknown: UnknownPolicy): string {
  const decimal = `_DECIMAL = re.compile(r"${DECIMAL_SOURCE}")\n`;
  const read = `    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        x = float(value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        x = float(value)
    else:
        x = math.nan
    if not math.isfinite(x):
        raise ValueError(f"column {name!r}: {value!r} is not a number")
    return x
`;
  if (!isEncodedExport(model)) return `${decimal}\n\ndef _input(row, name):\n    value = row[name]\n${read}`;
  const unknownLine =
    unknown === 'zero' ? '    return None' : '    raise ValueError(f"column {name!r}: {value!r} is not one of the model\'s categories {categories!r}")';
  return `${decimal}_MISSING = re.compile(r"${MISSING.source.replaceAll('\\/', '/')}", re.IGNORECASE)


def _missing(value):
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and _MISSING.fullmatch(value.strip(" \\t")) is not None


def _input(row, name, fill):
    value = row[name]
    if fill is not None and _missing(value):
        return fill
${read}

def _category(row, name, categories, fill):
    value = row[name]
    if isinstance(value, str):
        text = value
    elif isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    else:
        text = None
    if text is not None and text in categories:
        return text
    if _missing(value):
        if fill is not None:
            return fill
        raise ValueError(f"column {name!r}: {value!r} is missing where a category is needed")
${unknownLine}
`;
}

/** The JavaScript body of score(row) for one two-class neuron. */
function jsNeuronBody(model: LinearModel, lookups: readonly string[], values: readonly string[]): string[] {
  const [zName, outputName, className] = outputNames(model).map(str);
  const test = model.threshold === undefined ? 'z >= 0' : `output >= ${jsNumber(model.threshold)}`;
  return [
    ...lookups,
    `let z = ${jsNumber(model.bias)};`,
    ...model.terms.map((term, j) => `z += ${jsNumber(term.weight)} * ${values[j]};`),
    'if (!Number.isFinite(z)) throw new RangeError("z = w·x + b overflows to " + z);',
    ...activations[model.activation].js,
    `return { ${zName}: z, ${outputName}: output, ${className}: ${test} ? ${str(model.classes[1])} : ${str(model.classes[0])} };`,
  ];
}

/** The JavaScript body of score(row) for a softmax layer: the z sums, softmax with the max subtracted, the first largest z. */
function jsLayerBody(model: LayerModel, lookups: readonly string[], values: readonly string[]): string[] {
  const names = layerOutputNames(model);
  const fields = [
    ...names.z.map((name, c) => `${str(name)}: z[${c}]`),
    ...names.p.map((name, c) => `${str(name)}: e[${c}] / sum`),
    `${str(names.cls)}: CLASSES[best]`,
  ];
  return [
    ...lookups,
    'const x = [',
    ...values.map((value) => `  ${value},`),
    '];',
    'const z = [];',
    'for (let c = 0; c < BIAS.length; c++) {',
    '  let s = BIAS[c];',
    '  for (let j = 0; j < x.length; j++) s += WEIGHTS[c][j] * x[j];',
    `  if (!Number.isFinite(s)) throw new RangeError(\`z = w·x + b of class \${JSON.stringify(CLASSES[c])} overflows to \${s}\`);`,
    '  z.push(s);',
    '}',
    'let best = 0;',
    'for (let c = 1; c < z.length; c++) if (z[c] > z[best]) best = c;',
    'const e = z.map((v) => Math.exp(v - z[best]));',
    'let sum = 0;',
    'for (const v of e) sum += v;',
    `return { ${fields.join(', ')} };`,
  ];
}

/** The Python body of score(row) for one two-class neuron. */
function pyNeuronBody(model: LinearModel, lookups: readonly string[], values: readonly string[]): string[] {
  const [zName, outputName, className] = outputNames(model).map(str);
  const test = model.threshold === undefined ? 'z >= 0' : `output >= ${pyNumber(model.threshold)}`;
  return [
    ...lookups,
    `z = ${pyNumber(model.bias)}`,
    ...model.terms.map((term, j) => `z += ${pyNumber(term.weight)} * ${values[j]}`),
    'if not math.isfinite(z):',
    '    raise ValueError(f"z = w·x + b overflows to {z}")',
    ...activations[model.activation].python,
    `return {${zName}: z, ${outputName}: output, ${className}: ${str(model.classes[1])} if ${test} else ${str(model.classes[0])}}`,
  ];
}

/** The Python body of score(row) for a softmax layer. */
function pyLayerBody(model: LayerModel, lookups: readonly string[], values: readonly string[]): string[] {
  const names = layerOutputNames(model);
  const fields = [
    ...names.z.map((name, c) => `${str(name)}: z[${c}]`),
    ...names.p.map((name, c) => `${str(name)}: e[${c}] / total`),
    `${str(names.cls)}: _CLASSES[best]`,
  ];
  return [
    ...lookups,
    'x = [',
    ...values.map((value) => `    ${value},`),
    ']',
    'z = []',
    'for c, bias in enumerate(_BIAS):',
    '    s = bias',
    '    for w, v in zip(_WEIGHTS[c], x):',
    '        s += w * v',
    '    if not math.isfinite(s):',
    '        raise ValueError(f"z = w·x + b of class {_CLASSES[c]!r} overflows to {s}")',
    '    z.append(s)',
    'best = 0',
    'for c in range(1, len(z)):',
    '    if z[c] > z[best]:',
    '        best = c',
    'e = [math.exp(v - z[best]) for v in z]',
    'total = 0.0',
    'for v in e:',
    '    total += v',
    `return {${fields.join(', ')}}`,
  ];
}

/** A softmax layer's weights, biases and classes as module constants. */
function layerConstants(model: LayerModel, number: (x: number) => string, declare: (name: string) => string, prefix: string): string {
  const rows = model.neurons.map((n) => `  [${n.weights.map(number).join(', ')}],`).join('\n');
  return (
    `${declare(`${prefix}WEIGHTS`)} = [\n${rows}\n]\n` +
    `${declare(`${prefix}BIAS`)} = [${model.neurons.map((n) => number(n.bias)).join(', ')}]\n` +
    `${declare(`${prefix}CLASSES`)} = [${model.classes.map(str).join(', ')}]\n`
  );
}

/** What score(row) gives, for the first header line. */
function gives(model: ExportModel): string {
  return isLayer(model) ? `z_<class>, softmax_<class> and class for ${model.classes.length} classes` : `z, ${model.activation} and class`;
}

/**
 * An ES module exporting `score(row)`, which gives the same z, output and class as `neuron eval`, bit for bit
 * (for a softmax layer z_<class>, softmax_<class> and class).
 * @example
 * ```js
 * import { exportJs, linearModel, parseModel } from 'neuron-cli';
 * const model = parseModel({ features: ['height', 'weight'], weights: [0.5, 0.05], bias: -4, classes: ['Not Obese', 'Obese'] });
 * const { score } = await import(`data:text/javascript,${encodeURIComponent(exportJs(linearModel(model)))}`);
 * score({ height: 4, weight: '80' }); // => { z: 2, sigmoid: 0.8807970779778824, class: 'Obese' }
 * ```
 */
export function exportJs(model: ExportModel, options: CodeOptions = {}): string {
  const unknown = options.unknown ?? 'error';
  const { lookups, values } = inputValues(model, js);
  const body = isLayer(model) ? jsLayerBody(model, lookups, values) : jsNeuronBody(model, lookups, values);
  const constants = isLayer(model) ? `\n${layerConstants(model, jsNumber, (name) => `const ${name}`, '').replaceAll(']\n', '];\n')}` : '';
  return `// neuron export --to js: score(row) gives ${gives(model)} as \`neuron eval\` does, bit for bit.
// row: an object keyed by column name; values are numbers or decimal strings such as "4.5".
${notes(model, '//', unknown)}
${jsHelpers(model, unknown)}${constants}
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
export function exportPython(model: ExportModel, options: CodeOptions = {}): string {
  const unknown = options.unknown ?? 'error';
  const { lookups, values } = inputValues(model, python);
  const body = isLayer(model) ? pyLayerBody(model, lookups, values) : pyNeuronBody(model, lookups, values);
  const constants = isLayer(model) ? `\n\n${layerConstants(model, pyNumber, (name) => name, '_')}` : '';
  return `# neuron export --to python: score(row) gives ${gives(model)} as \`neuron eval\` does.
# row: a mapping from column name to a number or a decimal string such as "4.5".
${notes(model, '#', unknown)}import math
import re

${pyHelpers(model, unknown)}${constants}

def score(row):
${indent(body, '    ')}
`;
}
