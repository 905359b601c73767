/**
 * The frame an engine fit works in (two classes or a softmax layer): each
 * feature's mean and population standard deviation over the rows used, read
 * in one query (a constant feature: 0 and 1, refused with --standardize), and
 * each input as a SQL expression standardised by it, as in-process train's
 * frame (logistic.ts's frameOf) is.
 */
import { NeuronError } from '../errors.js';
import { usedInput } from '../export/engine-query.js';
import { standardizedTerm } from '../export/linear.js';
import { dialects } from '../export/sql.js';
import type { Engine } from '../io/engines/engine.js';

export interface EngineFrame {
  readonly mean: Float64Array;
  readonly scale: Float64Array;
  /** Each input, (x − mean) / scale, over the rows used. */
  readonly inputs: string[];
  /** The rows used. */
  readonly rows: number;
}

/** The frame of the features `names` over `used` (a FROM item of usedRowsSql's rows). */
export async function engineFrame(engine: Engine, used: string, names: readonly string[], standardize: boolean): Promise<EngineFrame> {
  const d = names.length;
  const [moments] = await engine.rows(`SELECT ${names.map((_, j) => `avg(${usedInput(j)}), stddev_pop(${usedInput(j)})`).join(', ')}, count(*) FROM ${used}`);
  const mean = Float64Array.from({ length: d }, (_, j) => Number(moments?.[2 * j]));
  const scale = Float64Array.from({ length: d }, (_, j) => Number(moments?.[2 * j + 1]));
  for (let j = 0; j < d; j++) {
    if ((scale[j] as number) > 0 && Number.isFinite(scale[j])) continue;
    if (standardize) {
      throw new NeuronError(
        'constant-feature',
        `feature ${JSON.stringify(names[j])} is constant`,
        { file: engine.name },
        'leave it out with --features, or train without --standardize',
      );
    }
    mean[j] = 0;
    scale[j] = 1;
  }
  const sql = dialects[engine.dialect];
  const inputs = names.map((_, j) =>
    standardizedTerm({ feature: usedInput(j), weight: 1, scaling: { mean: mean[j] as number, std: scale[j] as number } }, usedInput(j), sql.number),
  );
  return { mean, scale, inputs, rows: Number(moments?.[2 * d]) };
}
