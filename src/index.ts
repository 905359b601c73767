/**
 * neuron as a library: the pure core (no I/O). The command line itself
 * (`run` and its `World`) is the separate entry `neuron-cli/cli`.
 */

export { type Activation, type ActivationName, activationNames, activations, sigmoid } from './core/activations.js';
export { type ErrorCode, EXIT, formatError, NeuronError } from './core/errors.js';
export { createRowWriter, type FormatName, formatNames, formatNumber, type OutputSpec, type RowWriter } from './core/format.js';
export { DEFAULT_SCHEME, type InitScheme, initSchemes, randomWeights } from './core/init.js';
export { DEFAULT_CLASSES, formatModel, type InitInfo, type Model, modelToJson, parseModel } from './core/model.js';
export { parseNumberCell } from './core/numbers.js';
export { NumpyRandom } from './core/random.js';
export { type BoundModel, bindModel, type Columns, type Score, Scorer } from './core/score.js';
