/**
 * neuron as a library: the pure core, with no I/O (no file system, no
 * process, no console). The command line itself (`run(argv, world)`, its
 * `World` and exit codes) is the separate entry `neuron-cli/cli`.
 *
 * Every value exported here has a one-line doc comment and an `@example`
 * that test/e2e/examples.test.ts runs against the built package.
 */

// Errors: one type, with a reason from a closed set, the place and a hint.
export { type ErrorKind, type ErrorReason, errorReasons, formatError, type Location, NeuronError } from './errors.js';
// Export: the model as SQL, JavaScript or Python.
export { type CodeOptions, exportJs, exportPython } from './export/code.js';
export { type ExportInputs, type ExportModel, exportModel, type LayerModel, type LinearModel, linearModel } from './export/linear.js';
export { DEFAULT_DIALECT, type DialectName, dialectNames, exportSql, type SqlOptions } from './export/sql.js';
// Learn mode: explain as data, metrics, training.
export { type AnySteps, explainValues, isLayerSteps, type LayerSteps, type StepInput, type Steps } from './learn/explain.js';
export { datasetOf, type TrainedModel, type TrainModelOptions, trainModel } from './learn/fit.js';
export { type Metrics, MetricsAccumulator, metricsOf, metricsToJson } from './learn/metrics.js';
export {
  type ClassMetrics,
  ClassMetricsAccumulator,
  type ClassReport,
  classMetricsToJson,
  isClassMetrics,
} from './learn/multiclass-metrics.js';
export { fitMultinomial, type MultinomialData, type MultinomialOptions, type MultinomialResult } from './learn/multinomial.js';
// Training: gradient descent is the solver today (learn/train.ts); another solver is exported beside it, and picked in trainModel.
export {
  type Dataset,
  type GradientDescentOptions,
  runTrainer,
  type StepOptions,
  standardizeDataset,
  Trainer,
  type TrainResult,
  unscale,
} from './learn/train.js';
// The neuron: activations, the weights file, binding and scoring.
export { type Activation, type ActivationName, activationNames, activations, sigmoid } from './neuron/activations.js';
export { type BindOptions, type BoundModel, bindModel, type Columns } from './neuron/columns.js';
export { type EncodedInput, encodedInputs, type UnknownPolicy, unknownPolicies } from './neuron/encoding.js';
export { DEFAULT_SCHEME, type InitScheme, initSchemes, randomLayer, randomWeights } from './neuron/init.js';
export { type LayerScore, LayerScorer, layerScore } from './neuron/layer-scorer.js';
export {
  type AnyModel,
  DEFAULT_CLASSES,
  formatModel,
  type InitInfo,
  isSoftmax,
  type Model,
  type ModelBase,
  modelToJson,
  parseModel,
  type Scaling,
  type SoftmaxModel,
} from './neuron/model.js';
export { parseNumberCell } from './neuron/numbers.js';
export { NumpyRandom } from './neuron/random.js';
export type { Score } from './neuron/scorer.js';
export { SOFTMAX_FORMULA, softmaxInto } from './neuron/softmax.js';
export { type Prediction, type PredictOptions, type SoftmaxPrediction, scoreRecord, scoreValues } from './neuron/values.js';
// Text out: the output formats, explain's text and plot, the metrics summary.
export {
  createRowWriter,
  type FormatName,
  formatNames,
  formatNumber,
  type OutputSpec,
  plainStyle,
  type RowScore,
  type RowWriter,
  type TableStyle,
} from './render/formats.js';
export { formatMetrics } from './render/metrics.js';
export { plotActivation, plotProbabilities, renderSteps } from './render/steps.js';
