/**
 * How train words data without a finite optimum (separation), in process
 * and on an engine: the one wording of both. Pure text.
 */

/** The features that carry most of a direction in which the loss keeps falling (sizes in z-scored units), for messages. */
export function leadingFeatures(sizes: readonly number[], names: readonly string[]): string {
  const size = Math.max(...sizes);
  const leading = names
    .map((name, j) => ({ name, size: sizes[j] as number }))
    .filter((f) => f.size >= 0.1 * size && f.size > 0)
    .sort((a, b) => b.size - a.size)
    .slice(0, 3)
    .map((f) => JSON.stringify(f.name));
  return leading.length > 0 ? ` (mostly along ${leading.join(', ')})` : '';
}

/** The first five 1-based row numbers. */
function listRows(rows: readonly number[]): string {
  return `${rows
    .slice(0, 5)
    .map((r) => r + 1)
    .join(', ')}${rows.length > 5 ? ', ...' : ''}`;
}

/**
 * Why there is no finite optimum: perfect separation (`perfect` says how the
 * classes are split), or the rows a direction predicts with certainty
 * (undefined: not listed, as an engine's rows have no numbers).
 */
export function describeSeparation(kind: 'perfect' | 'quasi', rows: readonly number[] | undefined, along: string, perfect: string, iteration: number): string {
  const head =
    kind === 'perfect'
      ? `the classes are perfectly separated: ${perfect}, so without a penalty the loss falls toward 0 as the weights grow without bound`
      : `the data is quasi-separated: ${rows === undefined ? 'some rows' : `${rows.length} rows (data rows ${listRows(rows)})`} are predicted with certainty by a direction${along} in which the loss keeps falling as the weights grow`;
  const wrote =
    kind === 'perfect'
      ? `the weights written are iteration ${iteration}'s, which classify every training row right`
      : `the weights written are iteration ${iteration}'s`;
  return `${head}; the unpenalised weights are not unique and have no finite optimum; ${wrote} — --l2 or --C (such as --C 1) gives a finite, unique optimum`;
}

/** describeSeparation for a softmax layer: `direction` k rows of d + 1 (bias last), in z-scored units. */
export function describeLayerSeparation(
  kind: 'perfect' | 'quasi',
  rows: readonly number[] | undefined,
  direction: readonly (readonly number[])[],
  names: readonly string[],
  iteration: number,
): string {
  const along = leadingFeatures(
    names.map((_, j) => Math.max(...direction.map((row) => Math.abs(row[j] as number)))),
    names,
  );
  return describeSeparation(kind, rows, along, `each row's own class has the largest z, along a direction${along}`, iteration);
}
