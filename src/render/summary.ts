/** `neuron summary` as text: the layout of statsmodels' Logit summary, in plain columns. Pure. */
import type { Summary } from '../learn/statistics.js';

const number = (x: number | undefined, digits = 4) =>
  x === undefined ? '' : Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-4) ? x.toExponential(3) : x.toFixed(digits);

/** The table: model facts first, then one line per coefficient (bias first), then the note if any. */
export function formatSummary(summary: Summary, label: string): string {
  const facts: [string, string][] = [
    ['dependent variable', label],
    ['rows', String(summary.rows)],
    ['df model', String(summary.dfModel)],
    ['df residuals', String(summary.dfResid)],
    ['log-likelihood', number(summary.logLikelihood)],
    ['null log-likelihood', number(summary.nullLogLikelihood)],
    ['pseudo R² (McFadden)', number(summary.pseudoR2)],
    ['AIC', number(summary.aic)],
    ['BIC', number(summary.bic)],
    ['converged', `${summary.converged ? 'yes' : 'no'} (gradient norm ${summary.gradientNorm.toExponential(2)})`],
  ];
  const factWidth = Math.max(...facts.map(([k]) => k.length));
  const head = ['', 'coef', 'std err', 'z', 'P>|z|', '[0.025', '0.975]', 'odds ratio'];
  const body = summary.coefficients.map((c) => [
    JSON.stringify(c.name).slice(1, -1),
    number(c.coef),
    number(c.stdErr),
    c.z === undefined ? '' : c.z.toFixed(3),
    c.p === undefined ? '' : c.p < 0.001 ? c.p.toExponential(2) : c.p.toFixed(3),
    number(c.low),
    number(c.high),
    number(c.oddsRatio),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] as string).length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[0] as number) : cell.padStart(widths[i] as number)))
      .join('  ')
      .trimEnd();
  const rule = '-'.repeat(line(head).length);
  return [
    'Logistic regression (maximum likelihood), in the units of the data',
    ...facts.map(([k, v]) => `${k.padEnd(factWidth)}  ${v}`),
    rule,
    line(head),
    rule,
    ...body.map(line),
    ...(summary.note === undefined ? [] : [`note: ${summary.note}`]),
    '',
  ].join('\n');
}
