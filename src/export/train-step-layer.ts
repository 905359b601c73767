/**
 * One Newton step of multinomial logistic regression (a softmax layer of k
 * neurons) as one aggregate SELECT: at the weights given, the sums the step
 * needs, over the rows whose label is a class: the row count, the summed
 * softmax loss, the gradient Σ (p − [c = y])·x̃ and the Hessian's blocks
 * Σ p_c·([c = c′] − p_c′)·x̃x̃ᵀ (x̃ = 1, then the inputs: index 0 is the
 * bias), the k·(d + 1) parameters of src/learn/multinomial.ts. Each block of
 * a class pair c <= c′ is symmetric, so its upper triangle comes back.
 * `neuron export --to sql --train-step` prints it for a softmax weights file;
 * `train --engine` runs it once per trial point of its line search.
 *
 * Per row, with m = max z (softmax.ts's steps):
 *   e_c = exp(max(z_c − m, −700))   (no engine's exp underflows; beyond it e_c < 1e-304 adds nothing next to e = 1)
 *   S = Σ e_c,  p_c = e_c / S,  loss = ln S − (z_y − m)
 *   correct: the first class with z = m is the label.
 * With `before` (train --engine, for the separation test of multinomial.ts's
 * separationKind): `right`, the rows whose own z exceeds every other, and
 * `low`/`high`, the smallest and largest change of z_y − z_c (c ≠ y) from
 * the weights `before` to these. A row whose label is not a class adds nothing.
 */
import { exponentLiteral, type LayerModel } from './linear.js';
import { type DialectName, dialects, type SqlDialect } from './sql.js';
import { overTable, stepFence, type TrainStepOptions } from './train-step.js';

/** A layer's biases and weights (k neurons over d inputs). */
export interface LayerWeights {
  readonly bias: readonly number[];
  readonly weights: readonly (readonly number[])[];
}

/** Column names of the step query's one row, in order (k classes, d inputs; `margins`: right, low, high last). */
export function layerStepColumns(k: number, d: number, margins: boolean): string[] {
  const names = ['n', 'rows', 'loss', 'correct'];
  for (let c = 0; c < k; c++) for (let j = 0; j <= d; j++) names.push(`g${c}_${j}`);
  for (let c = 0; c < k; c++) {
    for (let c2 = c; c2 < k; c2++) for (let a = 0; a <= d; a++) for (let b = a; b <= d; b++) names.push(`h${c}_${c2}_${a}_${b}`);
  }
  if (margins) names.push('right', 'low', 'high');
  return names;
}

export interface LayerStepQuery extends LayerWeights {
  readonly dialect: DialectName;
  /** The FROM item, inserted as written. */
  readonly from: string;
  /** Each input's value as a double, in weight order (SQL expressions over the FROM item). */
  readonly inputs: readonly string[];
  /** The label as its class index 0..k − 1 (NULL: the row is left out). */
  readonly y: string;
  /** The weights of the point before: adds right, low and high. */
  readonly before?: LayerWeights | undefined;
}

/** The step query of a softmax layer for SQL expressions of the inputs and the label. */
export function layerStepSql(q: LayerStepQuery): string {
  const d: SqlDialect = dialects[q.dialect];
  const id = d.identifier;
  const n = d.number;
  const k = q.bias.length;
  const classes = Array.from({ length: k }, (_, c) => c);
  const x = q.inputs.map((_, j) => id(`neuron_x${j + 1}`));
  const y = id('neuron_y');
  const name = (stem: string) => classes.map((c) => id(`neuron_${stem}${c}`));
  const [z, dz, e, p, r] = [name('z'), name('dz'), name('e'), name('p'), name('r')];
  const [m, zy, winner, loss] = ['neuron_m', 'neuron_zy', 'neuron_winner', 'neuron_loss'].map(id) as [string, string, string, string];
  const total = `(${e.join(' + ')})`;
  const linear = (bias: number, weights: readonly number[]) => {
    let sum = n(bias);
    weights.forEach((w, j) => {
      sum += ` ${w < 0 || Object.is(w, -0) ? '-' : '+'} ${n(Math.abs(w))} * ${x[j]}`;
    });
    return `CASE WHEN ${y} IS NOT NULL THEN ${sum} END`;
  };
  const greatest = (list: readonly string[]) => (list.length === 1 ? (list[0] as string) : d.greatest(list));
  // The label's own value of a per-class column, and the largest over the other classes.
  const own = (cols: readonly string[]) => `CASE ${y} ${classes.map((c) => `WHEN ${n(c)} THEN ${cols[c]}`).join(' ')} END`;
  const others = (cols: readonly string[], sign: '' | '-') =>
    `CASE ${y} ${classes.map((c) => `WHEN ${n(c)} THEN ${greatest(cols.filter((_, c2) => c2 !== c).map((col) => `${sign}${col}`))}`).join(' ')} END`;
  const before = q.before;
  // PostgreSQL pulls each subquery up into the one above, writing a column's expression at every use: z into m, e,
  // p and every sum, a tree that took seconds to plan. OFFSET 0 keeps each level a level (computed once a row).
  const fence = stepFence(q.dialect);
  const zs = classes.map((c) => `${linear(q.bias[c] as number, q.weights[c] ?? [])} AS ${z[c]}`);
  const changes =
    before === undefined
      ? []
      : classes.map((c) => {
          const w = q.weights[c] ?? [];
          const was = before.weights[c] ?? [];
          return `${linear(
            (q.bias[c] as number) - (before.bias[c] as number),
            w.map((wj, j) => wj - (was[j] as number)),
          )} AS ${dz[c]}`;
        });
  const kept = [...x, y];
  const withZ = [...kept, ...z, ...(before === undefined ? [] : dz)];
  const winnerCase = `CASE ${classes.map((c) => `WHEN ${z[c]} = ${m} THEN ${n(c)}`).join(' ')} END`;
  const margins =
    before === undefined
      ? []
      : [
          `${own(z)} - ${others(z, '')} AS ${id('neuron_margin')}`,
          `${own(dz)} - ${others(dz, '')} AS ${id('neuron_low')}`,
          `${own(dz)} + ${others(dz, '-')} AS ${id('neuron_high')}`,
        ];
  const sums = [
    `count(${loss}) AS ${id('n')}`,
    `count(*) AS ${id('rows')}`,
    `sum(${loss}) AS ${id('loss')}`,
    `sum(CASE WHEN ${winner} = ${y} THEN 1 ELSE 0 END) AS ${id('correct')}`,
  ];
  const factor = (j: number) => (j === 0 ? '' : ` * ${x[j - 1]}`);
  for (const c of classes) for (let j = 0; j <= x.length; j++) sums.push(`sum(${r[c]}${factor(j)}) AS ${id(`g${c}_${j}`)}`);
  const curvature: string[] = [];
  for (const c of classes) {
    for (const c2 of classes.slice(c)) {
      const wName = id(`neuron_w${c}_${c2}`);
      curvature.push(`${p[c]} * (${c === c2 ? n(1) : n(0)} - ${p[c2]}) AS ${wName}`);
      for (let a = 0; a <= x.length; a++)
        for (let b = a; b <= x.length; b++) sums.push(`sum(${wName}${factor(a)}${factor(b)}) AS ${id(`h${c}_${c2}_${a}_${b}`)}`);
    }
  }
  if (before !== undefined) {
    sums.push(
      `sum(CASE WHEN ${id('neuron_margin')} > ${n(0)} THEN 1 ELSE 0 END) AS ${id('right')}`,
      `min(${id('neuron_low')}) AS ${id('low')}`,
      `max(${id('neuron_high')}) AS ${id('high')}`,
    );
  }
  return (
    `SELECT\n  ${sums.join(',\n  ')}\nFROM (\n` +
    `  SELECT\n    ${[...x, y, ...p, winner, loss, ...r.map((rc, c) => `${p[c]} - CASE WHEN ${y} = ${n(c)} THEN ${n(1)} ELSE ${n(0)} END AS ${rc}`), ...curvature, ...margins].join(',\n    ')}\n` +
    '  FROM (\n' +
    `    SELECT ${[...withZ, m, zy, winner].join(', ')}, ${p.map((pc, c) => `${e[c]} / ${total} AS ${pc}`).join(', ')}, ln(${total}) - (${zy} - ${m}) AS ${loss}\n` +
    '    FROM (\n' +
    `      SELECT ${[...withZ, m].join(', ')}, ${own(z)} AS ${zy}, ${winnerCase} AS ${winner}, ${classes
      .map((c) => `exp(${d.greatest([`${z[c]} - ${m}`, n(-700)])}) AS ${e[c]}`)
      .join(', ')}\n` +
    '      FROM (\n' +
    `        SELECT ${withZ.join(', ')}, ${greatest(z)} AS ${m}\n` +
    '        FROM (\n' +
    `          SELECT ${[...kept, ...zs, ...changes].join(', ')}\n` +
    '          FROM (\n' +
    `            SELECT ${[...q.inputs.map((input, j) => `${input} AS ${x[j]}`), `${q.y} AS ${y}`].join(', ')}\n` +
    `            FROM ${q.from}\n` +
    `          ${fence}) AS neuron_rows\n        ${fence}) AS neuron_z\n      ${fence}) AS neuron_m\n    ${fence}) AS neuron_e\n  ${fence}) AS neuron_p\n${fence}) AS neuron_terms`
  );
}

/**
 * `neuron export --to sql --train-step -w layer.json`: the step query at a
 * softmax layer's weights, over a table's columns named as its features
 * (each cast to a double, standardizedTerm as the model says).
 */
export function exportLayerTrainStep(model: LayerModel, options: TrainStepOptions): string {
  const sql = layerStepSql({
    ...overTable(model.inputs, model.classes, options),
    bias: model.neurons.map((neuron) => neuron.bias),
    weights: model.neurons.map((neuron) => neuron.weights),
  });
  const names = ['bias', ...model.inputs.map((input) => input.feature)];
  const k = model.classes.length;
  return (
    `-- neuron export (${options.dialect}): one Newton step of a softmax layer (multinomial logistic regression) at these weights, as sums over the rows\n` +
    `-- n: rows used, rows: all rows (a row with a NULL input, or a label that is no class name nor its index 0..${k - 1}, is left out)\n` +
    "-- loss: the summed softmax loss (-log p of the row's class); correct: rows whose first largest z is their class\n" +
    '-- gc_j: the gradient sum (p_c - [c = y]) x_j; hc_e_i_j (c <= e, i <= j): the Hessian block sum p_c ([c = e] - p_e) x_i x_j\n' +
    `-- classes ${model.classes.map((c, i) => `${i} ${JSON.stringify(c)}`).join(', ')}; inputs ${names.map((name, j) => `${j} ${JSON.stringify(name)}`).join(', ')}\n` +
    model.neurons
      .map((neuron, c) => `-- class ${c} at bias ${exponentLiteral(neuron.bias)}, weights ${neuron.weights.map(exponentLiteral).join(', ')}\n`)
      .join('') +
    `${sql};\n`
  );
}
