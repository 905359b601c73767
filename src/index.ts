/**
 * neuron as a library: the pure core (no I/O). The command line itself
 * (`run` and its `World`) is the separate entry `neuron-cli/cli`.
 */

export { type ErrorKind, type ErrorReason, EXIT, errorReasons, formatError, NeuronError } from './errors.js';
export { type Activation, type ActivationName, activationNames, activations, sigmoid } from './neuron/activations.js';
export { type BoundModel, bindModel, type Columns } from './neuron/columns.js';
export { DEFAULT_SCHEME, type InitScheme, initSchemes, randomWeights } from './neuron/init.js';
export { DEFAULT_CLASSES, formatModel, type InitInfo, type Model, modelToJson, parseModel } from './neuron/model.js';
export { parseNumberCell } from './neuron/numbers.js';
export { NumpyRandom } from './neuron/random.js';
export { type Score, Scorer } from './neuron/scorer.js';
export { createRowWriter, type FormatName, formatNames, formatNumber, type OutputSpec, type RowWriter } from './render/formats.js';
