/**
 * The playground page: the session from the server, the controls, and
 * everything recomputed from the model on each change. Framework-free; the
 * numbers come from src/neuron and src/learn, bundled by esbuild
 * (scripts/build-playground.mjs).
 */
import { Trainer } from '../learn/train.js';
import { activationNames, activations, isActivationName } from '../neuron/activations.js';
import { DEFAULT_SCHEME, randomWeights } from '../neuron/init.js';
import { type Model, modelToJson, parseModel, plainModel } from '../neuron/model.js';
import type { Session } from '../serve/session.js';
import { largestInputs, safeLearningRate, scoreAll, trainingData } from './compute.js';
import { ParameterControl } from './controls.js';
import { byId, el } from './dom.js';
import { LossChart } from './loss-chart.js';
import { Pictures } from './pictures.js';
import { RowsView } from './rows-view.js';

/** Epochs per animation frame: about 200,000 row-features of work, at least 1, at most 50. */
function epochsPerFrame(rows: number, features: number): number {
  return Math.max(1, Math.min(50, Math.floor(200_000 / (rows * (features + 1)))));
}

async function start(): Promise<void> {
  const response = await fetch('/session.json', { credentials: 'same-origin' });
  if (!response.ok) throw new Error(`the server answered ${response.status}`);
  const session = (await response.json()) as Session;
  const { rows } = session;
  // The server sends only two-class plain models (the CLI refuses others before serving).
  const initial = plainModel(parseModel(session.model), 'the playground');
  let model: Model = initial;
  let trainedEpochs = 0;
  let trainer: Trainer | undefined;
  let running = false;

  const status = byId('status');
  const say = (text: string) => {
    status.textContent = text;
  };
  byId('source').textContent =
    `${rows.source}: ${rows.values.length} rows, inputs ${rows.names.join(', ')}${rows.label === undefined ? '' : `, label ${rows.label.column}`}`;

  const view = new RowsView(rows, byId<HTMLTableElement>('rows'), byId('explain'), byId('metrics'));
  const loss = new LossChart();
  const pictures = new Pictures(byId('pictures'), rows);

  const scales = largestInputs(initial, rows);
  const controls: ParameterControl[] = [];
  /** Everything recomputed from the model: the table, explain and metrics now, the pictures at the next frame. */
  const show = () => {
    const since = performance.now();
    const scores = scoreAll(model, rows);
    view.update(model, scores);
    pictures.update(model, scores, view.explainedRow, since);
  };
  view.onExplain = show;
  const refresh = () => {
    show();
    controls.forEach((control, j) => {
      control.set(j < model.weights.length ? (model.weights[j] as number) : model.bias);
    });
  };
  /** A change by hand: training stops and restarts from the new weights. */
  const edit = (next: Model) => {
    model = next;
    trainer = undefined;
    running = false;
    show();
  };
  model.weights.forEach((w, j) => {
    const control = new ParameterControl({ id: `w-${j}`, label: `w${j + 1} · ${rows.names[j]}`, scale: scales[j] as number }, w, (value) =>
      edit({ ...model, weights: model.weights.map((old, k) => (k === j ? value : old)) }),
    );
    controls.push(control);
  });
  controls.push(new ParameterControl({ id: 'bias', label: 'b · bias', scale: 1 }, model.bias, (value) => edit({ ...model, bias: value })));

  const activation = el('select', { id: 'activation' }, ...activationNames.map((name) => el('option', { value: name }, name)));
  activation.value = model.activation;
  // Gradient descent fits the log loss, so it needs an output that is a probability (the sigmoid).
  const trainable = () => data !== undefined && activations[model.activation].probability;
  activation.addEventListener('change', () => {
    if (isActivationName(activation.value)) edit({ ...model, activation: activation.value });
    trainButton.disabled = stepButton.disabled = !trainable();
  });
  const threshold = el('input', { type: 'number', id: 'threshold', step: 'any', placeholder: 'none (z ≥ 0)' });
  if (model.threshold !== undefined) threshold.value = String(model.threshold);
  threshold.addEventListener('input', () => {
    const t = threshold.value === '' ? undefined : threshold.valueAsNumber;
    if (t === undefined || Number.isFinite(t)) edit({ ...model, threshold: t });
  });

  const data = trainingData(initial, rows);
  const lr = el('input', { type: 'number', id: 'lr', step: 'any', min: '0' });
  lr.value = String(data === undefined ? 0.1 : safeLearningRate(data));
  const seed = el('input', { type: 'number', id: 'seed', step: '1', min: '0', max: String(2 ** 32 - 1) });
  seed.value = String(session.seed ?? 0);

  const randomButton = el('button', { type: 'button', id: 'random' }, 'random weights');
  const stepButton = el('button', { type: 'button', id: 'step' }, 'one step');
  const trainButton = el('button', { type: 'button', id: 'train' }, 'train');
  const resetButton = el('button', { type: 'button', id: 'reset' }, 'reset');
  const saveButton = el('button', { type: 'button', id: 'save' }, 'save');
  trainButton.disabled = stepButton.disabled = !trainable();

  /** Runs `epochs` epochs of gradient descent from the weights shown; false if it cannot. */
  const descend = (epochs: number): boolean => {
    const rate = lr.valueAsNumber;
    if (data === undefined || !(rate > 0)) {
      say('give a learning rate greater than 0');
      return false;
    }
    try {
      if (trainer === undefined) {
        trainer = new Trainer(data, { weights: model.weights, bias: model.bias }, { lr: rate, l2: 0 });
        loss.add(trainedEpochs, trainer.current.loss);
      }
      for (let i = 0; i < epochs; i++) trainer.step(i === epochs - 1);
    } catch (error) {
      say(`training stopped: ${(error as Error).message}; lower the learning rate`);
      trainer = undefined;
      return false;
    }
    trainedEpochs += epochs;
    model = { ...model, weights: Array.from(trainer.weights), bias: trainer.bias };
    loss.add(trainedEpochs, trainer.current.loss);
    refresh();
    return true;
  };
  lr.addEventListener('input', () => {
    trainer = undefined;
  });
  stepButton.addEventListener('click', () => {
    running = false;
    descend(1);
  });
  const perFrame = epochsPerFrame(rows.values.length, model.weights.length);
  const frame = () => {
    if (!running) {
      trainButton.textContent = 'train';
      return;
    }
    if (!descend(perFrame)) running = false;
    requestAnimationFrame(frame);
  };
  trainButton.addEventListener('click', () => {
    running = !running;
    trainButton.textContent = running ? 'stop' : 'train';
    if (running) requestAnimationFrame(frame);
  });
  randomButton.addEventListener('click', () => {
    const n = seed.valueAsNumber;
    if (!(Number.isInteger(n) && n >= 0 && n <= 2 ** 32 - 1)) {
      say('the seed is a whole number from 0 to 4294967295');
      return;
    }
    edit({
      ...model,
      weights: randomWeights(model.weights.length, n, DEFAULT_SCHEME),
      bias: 0,
      init: { seed: n, scheme: DEFAULT_SCHEME, generator: 'mt19937' },
    });
    refresh();
    say(`random weights from seed ${n} (${DEFAULT_SCHEME}, as neuron random-init --seed ${n}); the next press uses seed ${n + 1}`);
    seed.value = String(n + 1);
  });
  resetButton.addEventListener('click', () => {
    edit(initial);
    trainedEpochs = 0;
    loss.clear();
    activation.value = initial.activation;
    threshold.value = initial.threshold === undefined ? '' : String(initial.threshold);
    refresh();
    say('back to the starting weights');
  });
  saveButton.addEventListener('click', () => {
    const target = session.weightsFile;
    const replace =
      target !== undefined && window.confirm(`Replace ${target} with these weights? (Cancel writes a new file in ${session.saveFolder} instead.)`);
    void save(session, model, replace, trainedEpochs).then(say);
  });

  const field = (label: string, input: HTMLElement) => el('div', { class: 'field' }, el('label', { for: input.id }, label), input);
  byId('controls').append(
    el('h2', {}, 'Weights'),
    ...controls.map((c) => c.root),
    el('h2', {}, 'Neuron'),
    field('activation', activation),
    field('threshold on the output', threshold),
    el('h2', {}, 'Learn'),
    el('div', { class: 'buttons' }, field('seed', seed), randomButton),
    el('div', { class: 'buttons' }, field('learning rate', lr), stepButton, trainButton),
    el('div', { class: 'buttons' }, resetButton, saveButton),
    loss.root,
  );
  refresh();
  say(session.seed === undefined ? 'the weights of the -w file' : `random weights from seed ${session.seed}`);
}

async function save(session: Session, model: Model, replace: boolean, steps: number): Promise<string> {
  try {
    const response = await fetch('/save', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Neuron-Token': session.token },
      body: JSON.stringify({ model: modelToJson(model), replace, steps }),
    });
    const answer = (await response.json()) as { saved?: string; error?: string };
    return answer.saved !== undefined ? `saved to ${answer.saved}` : `not saved: ${answer.error ?? response.status}`;
  } catch (error) {
    return `not saved: ${(error as Error).message} (is neuron playground still running?)`;
  }
}

start().catch((error: unknown) => {
  byId('status').textContent = `the playground could not start: ${(error as Error).message}`;
});
