/**
 * The inner loop of a training epoch: for each row, z = b + w·x, the
 * residual sigmoid(z) - y, and the sums of residual·x and of the residual;
 * with `withLoss`, also the log loss and the rows classified right.
 *
 * Written as a loop over features, V8 runs it at about half the speed it
 * runs the same loop with the weights, the row's cells and the gradient sums
 * in local variables (measured: 55 against 30 ms an epoch at 1M rows × 8
 * features), so for up to UNROLL_LIMIT features the loop is compiled once
 * per feature count from source text with one local per feature. The text
 * holds only numbers derived from the feature count, never data or names.
 * Both versions add the same terms in the same order, so they give the same
 * bits (test/unit/train-kernel.test.ts checks it on random data).
 */

/**
 * Writes Σ residual·x_j into gradient[j] and Σ residual into gradient[d];
 * into stats: [0] Σ loss, [1] rows right, [2] 1 if every |z| <= TAME_Z else 0
 * (loss and rows right are 0 unless the kernel computes the loss).
 */
export type Kernel = (x: Float64Array, y: Uint8Array, rows: number, w: Float64Array, b: number, gradient: Float64Array, stats: Float64Array) => void;

/**
 * Above this |z| the loss is not known to be finite without computing it:
 * with every |z| at most 1e290, each row's loss term is at most |z| + ln 2,
 * and fewer than 2^53 rows cannot sum to an overflow.
 */
export const TAME_Z = 1e290;

/** Beyond this many features the loop stays a loop (the unrolled text would grow without gaining). */
export const UNROLL_LIMIT = 32;

/**
 * The kernel as a loop over features: the definition, the fallback for many
 * features, and the reference the unrolled kernels are tested against.
 * The sigmoid is activations.ts's, inlined: e = exp(-|z|), q = e / (1 + e),
 * 1 - q for z >= 0, else q; log(1 + e^z) = max(z, 0) + log1p(e) shares e.
 */
export function loopKernel(withLoss: boolean): Kernel {
  return withLoss ? loopWithLoss : loopWithoutLoss;
}

const loopWithLoss = loop(true);
const loopWithoutLoss = loop(false);

function loop(withLoss: boolean): Kernel {
  return (x, y, rows, w, b, gradient, stats) => {
    const d = w.length;
    gradient.fill(0);
    let bias = 0;
    let loss = 0;
    let correct = 0;
    let tame = true;
    for (let i = 0, offset = 0; i < rows; i++, offset += d) {
      let z = b;
      for (let j = 0; j < d; j++) z += (w[j] as number) * (x[offset + j] as number);
      const magnitude = Math.abs(z);
      if (!(magnitude <= TAME_Z)) tame = false;
      const e = Math.exp(-magnitude);
      const q = e / (1 + e);
      const label = y[i] as number;
      if (withLoss) {
        loss += Math.max(z, 0) + Math.log1p(e) - label * z;
        if (z >= 0 === (label === 1)) correct++;
      }
      const residual = (z >= 0 ? 1 - q : q) - label;
      for (let j = 0; j < d; j++) gradient[j] = (gradient[j] as number) + residual * (x[offset + j] as number);
      bias += residual;
    }
    gradient[d] = bias;
    stats[0] = loss;
    stats[1] = correct;
    stats[2] = tame ? 1 : 0;
  };
}

/** The same loop with one local per feature, as source text for `d` features. */
export function unrolledSource(d: number, withLoss: boolean): string {
  const each = (f: (j: number) => string, separator: string) => Array.from({ length: d }, (_, j) => f(j)).join(separator);
  return `
${each((j) => `const w${j} = w[${j}];`, '\n')}
let bias = 0, loss = 0, correct = 0, tame = true;
${each((j) => `let g${j} = 0;`, '\n')}
for (let i = 0, o = 0; i < rows; i++, o += ${d}) {
  ${each((j) => `const x${j} = x[o + ${j}];`, '\n  ')}
  const z = b${each((j) => ` + w${j} * x${j}`, '')};
  const magnitude = Math.abs(z);
  if (!(magnitude <= ${TAME_Z})) tame = false;
  const e = Math.exp(-magnitude);
  const q = e / (1 + e);
  const label = y[i];
  ${withLoss ? 'loss += Math.max(z, 0) + Math.log1p(e) - label * z;\n  if (z >= 0 === (label === 1)) correct++;' : ''}
  const residual = (z >= 0 ? 1 - q : q) - label;
  ${each((j) => `g${j} += residual * x${j};`, '\n  ')}
  bias += residual;
}
${each((j) => `gradient[${j}] = g${j};`, '\n')}
gradient[${d}] = bias;
stats[0] = loss;
stats[1] = correct;
stats[2] = tame ? 1 : 0;
`;
}

const compiled = new Map<string, Kernel>();

/** The fastest kernel for `d` features, compiled on first use. */
export function kernelFor(d: number, withLoss: boolean): Kernel {
  if (!Number.isSafeInteger(d) || d < 0 || d > UNROLL_LIMIT) return loopKernel(withLoss);
  const key = `${d}:${withLoss}`;
  let kernel = compiled.get(key);
  if (kernel === undefined) {
    try {
      kernel = new Function('x', 'y', 'rows', 'w', 'b', 'gradient', 'stats', unrolledSource(d, withLoss)) as Kernel;
    } catch {
      // Code generation is disabled (node --disallow-code-generation-from-strings): same sums, slower loop.
      kernel = loopKernel(withLoss);
    }
    compiled.set(key, kernel);
  }
  return kernel;
}
