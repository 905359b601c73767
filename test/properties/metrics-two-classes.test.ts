/**
 * A softmax layer of two classes is the sigmoid neuron of z = z1 - z0
 * (w = w1 - w0, b = b1 - b0): on random models and labelled rows, the k-class
 * metrics of the layer and the two-class metrics of that neuron agree where
 * they overlap: the confusion matrix and accuracy, class 1's precision,
 * recall and F1, the ROC AUC, and the log loss: the layer's to 1e-12 of the
 * exact mean of log(1 + e^-(z_true - z_other)), the neuron's to 1e-6 of it
 * (as sklearn's binary log_loss, it takes P(class 0) as 1 - P(class 1),
 * which loses digits when P(class 1) is near 1). A row with z1 = z0 is left out: there the
 * layer picks the first class and the neuron (z >= 0) the second, each as
 * its rule says.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { metricsOf } from '../../src/learn/metrics.js';
import { parseModel, type SoftmaxModel } from '../../src/neuron/model.js';
import { neuronModel } from '../support/helpers.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 100);

// Small integers: z and z1 - z0 are exact, and |z1 - z0| <= 24 keeps P(class 1) strictly increasing in it,
// so ranking rows by the layer's probability and by the neuron's z is the same ranking.
const small = fc.integer({ min: -2, max: 2 });
const layer = fc.record({ w0: small, w1: small, b0: small, b1: small });
const rows = fc.array(fc.tuple(fc.integer({ min: -5, max: 5 }), fc.constantFrom(0, 1)), { minLength: 1, maxLength: 40 });

describe('a two-class softmax layer measures as the sigmoid neuron of z1 - z0', () => {
  it('same confusion matrix, accuracy, class 1 figures, ROC AUC and log loss', () => {
    fc.assert(
      fc.property(layer, rows, ({ w0, w1, b0, b1 }, data) => {
        const kept = data.filter(([x]) => w1 * x + b1 !== w0 * x + b0);
        fc.pre(kept.length > 0);
        const softmax = parseModel({ weights: [[w0], [w1]], bias: [b0, b1], activation: 'softmax', classes: ['no', 'yes'] }) as SoftmaxModel;
        const sigmoid = neuronModel({ weights: [w1 - w0], bias: b1 - b0, classes: ['no', 'yes'] });
        const inputs = kept.map(([x]) => [x]);
        const labels = kept.map(([, y]) => y);
        const k = metricsOf(softmax, inputs, labels);
        const two = metricsOf(sigmoid, inputs, labels);
        expect(k.confusion).toEqual(two.confusion);
        expect(k.accuracy).toBe(two.accuracy);
        expect([k.perClass[1]?.precision, k.perClass[1]?.recall, k.perClass[1]?.f1]).toEqual([two.precision, two.recall, two.f1]);
        if (two.rocAuc === undefined) expect(k.rocAuc).toBeUndefined();
        else expect(k.rocAuc).toBeCloseTo(two.rocAuc, 12);
        const margins = kept.map(([x, y]) => (y === 1 ? 1 : -1) * ((w1 - w0) * x + b1 - b0));
        const exact = margins.reduce((sum, m) => sum + Math.log1p(Math.exp(-Math.abs(m))) + Math.max(-m, 0), 0) / margins.length;
        expect(Math.abs((k.logLoss as number) - exact)).toBeLessThanOrEqual(1e-12 * Math.max(1, exact));
        expect(Math.abs((two.logLoss as number) - exact)).toBeLessThanOrEqual(1e-6 * Math.max(1, exact));
      }),
      { numRuns: RUNS },
    );
  });
});
