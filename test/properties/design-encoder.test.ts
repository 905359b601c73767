/**
 * Two paths must agree: the design matrix train fits (RawReader reads the
 * cells, design.ts computes the categories and fills and encodes) and what
 * RowEncoder, the one encoder every command uses, makes of the same rows
 * under the model train stores. On random tables of numeric and categorical
 * columns with missing cells, any --impute per column, and --standardize.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RawReader } from '../../src/cli/train-data.js';
import { designOf, type ImputeStrategy, standardizeDesign } from '../../src/learn/design.js';
import { packCells } from '../../src/neuron/cells.js';
import { bindModel } from '../../src/neuron/columns.js';
import { RowEncoder } from '../../src/neuron/encoding.js';
import { type Model, modelToJson, parseModel } from '../../src/neuron/model.js';

const MISSING = ['', 'NA', ' n/a ', 'None'];
const numberCell = fc.oneof(
  fc.integer({ min: -50, max: 50 }).map(String),
  fc.double({ min: -1e3, max: 1e3, noNaN: true }).map(String),
  fc.constantFrom(...MISSING),
);
const categoryCell = fc.oneof(fc.constantFrom('a', 'b', 'B', 'a ', 'ç', 'x=y'), fc.constantFrom(...MISSING));
const strategy: fc.Arbitrary<ImputeStrategy | undefined> = fc.constantFrom(
  undefined,
  { kind: 'mean' },
  { kind: 'median' },
  { kind: 'zero' },
  { kind: 'constant', value: '7' },
  { kind: 'constant', value: 'new' },
);

describe('design.ts against RowEncoder', () => {
  it('every training row encodes to its design row (fills, one-hot, scaling)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
        fc.integer({ min: 1, max: 12 }),
        fc.array(strategy, { minLength: 4, maxLength: 4 }),
        fc.boolean(),
        fc.infiniteStream(fc.tuple(numberCell, categoryCell)),
        (categorical, rows, strategies, standardize, cells) => {
          const names = categorical.map((_, j) => `c${j}`);
          const header = [...names, 'y'];
          const stream = cells[Symbol.iterator]();
          const table = Array.from({ length: rows }, (_, i) => [
            ...categorical.map((isCategorical) => {
              const [n, c] = stream.next().value as [string, string];
              return isCategorical ? c : n;
            }),
            String(i % 2),
          ]);
          const columns = new Map<string, ImputeStrategy>();
          names.forEach((name, j) => {
            const s = strategies[j];
            // zero and a non-number constant are refused for the other kind of column; so are they here.
            if (s === undefined || (categorical[j] && s.kind === 'zero') || (!categorical[j] && s.kind === 'constant' && s.value === 'new')) return;
            columns.set(name, s);
          });
          const options = {
            label: 'y',
            missing: 'skip' as const,
            delimiter: ',',
            header: true,
            categorical: names.filter((_, j) => categorical[j]),
            impute: { columns },
          };
          const records = packCells(
            table.flat(),
            header.length,
            table.map((_, i) => i + 2),
          );
          const reader = new RawReader({ names: header, fromHeader: true }, options, 'f.csv');
          const x = new Float64Array(rows * names.length);
          let kept = 0;
          const keptRows: number[] = [];
          for (let r = 0; r < rows; r++) {
            if (reader.read(records, r, x, kept * names.length)) {
              keptRows.push(r);
              kept++;
            }
          }
          if (kept === 0) return; // train refuses: no rows to train on
          let design: ReturnType<typeof designOf>;
          try {
            design = designOf(reader.table(x.subarray(0, kept * names.length), kept), options.impute);
          } catch {
            return; // a column with no value to compute its fill from: refused, nothing to compare
          }
          const d = design.names.length;
          const dataset = { x: design.x, y: new Uint8Array(kept), rows: kept, features: d };
          let scaling: Model['scaling'];
          if (standardize) {
            try {
              scaling = standardizeDesign(dataset, design.names, design.numeric);
            } catch {
              return; // a constant numeric column cannot be scaled
            }
          }
          const model = parseModel(
            modelToJson({
              features: design.names,
              weights: design.names.map(() => 0),
              bias: 0,
              activation: 'sigmoid',
              classes: ['0', '1'],
              threshold: undefined,
              init: undefined,
              ...(scaling === undefined ? {} : { scaling }),
              ...(design.categories === undefined ? {} : { categories: design.categories }),
              ...(design.impute === undefined ? {} : { impute: design.impute }),
            }),
          );
          if (design.categories === undefined && design.impute === undefined) return; // a plain model: no encoding to compare
          const encoder = new RowEncoder(bindModel(model, header), { missing: 'skip' });
          const into = new Float64Array(d);
          const all = new Float64Array(d);
          for (const [i, r] of keptRows.entries()) {
            expect(encoder.encodeRow(records, r, 'f.csv', into)).toBe(true);
            all.set(design.x.subarray(i * d, (i + 1) * d));
            for (let j = 0; j < d; j++) expect(into[j]).toBeCloseTo(all[j] as number, 9);
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
