/**
 * train's loop around the pure solvers: one iteration (Newton, L-BFGS) or a
 * slice of epochs (gradient descent) at a time, yielding to the event loop
 * between them so Ctrl-C is heard; the progress line on a terminal; the
 * history records (one per iteration or epoch, line 0 the start).
 */
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SingleBar } from 'cli-progress';
import { NeuronError } from '../errors.js';
import { type Frame, frameGradientNorm } from '../learn/logistic.js';
import type { SteppedFit, Stop } from '../learn/solvers.js';
import { type Trainer, trainEpochs } from '../learn/train.js';
import { checkInterrupt } from './input.js';
import { say, type World } from './world.js';

/** One line of `train --history`. */
export interface HistoryRecord {
  readonly iteration: number;
  readonly objective: number;
  readonly loss: number;
  readonly gradientNorm: number;
  /** Training rows classified right, in [0, 1]. */
  readonly accuracy: number;
  readonly solver: 'newton' | 'lbfgs' | 'gd';
}

/** The history as NDJSON, one record a line. */
export function formatHistory(records: readonly HistoryRecord[]): string {
  return records.map((r) => `${JSON.stringify(r)}\n`).join('');
}

interface LoopOptions {
  readonly quiet: boolean;
  /** Keep a history record per iteration/epoch. */
  readonly history: boolean;
}

const exponent = (x: number) => x.toExponential(2);

function progressBar(world: World, options: LoopOptions, format: string): SingleBar | undefined {
  if (options.quiet || world.stderr.isTTY !== true) return undefined;
  return new SingleBar({ stream: world.stderr, format, hideCursor: true, clearOnComplete: true });
}

/** Stops the bar and, on Ctrl-C, says where training stopped before the error goes up (exit 130). */
async function guarded<T>(world: World, bar: SingleBar | undefined, where: () => string, body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    if (error instanceof NeuronError && error.kind === 'interrupted') say(world, `interrupted at ${where()}, nothing written`);
    throw error;
  } finally {
    bar?.stop();
  }
}

/** Runs a Newton or L-BFGS fit (two classes, or a softmax layer) to its stop. */
export async function runFit(world: World, fit: SteppedFit, options: LoopOptions): Promise<{ stop: Stop; history: HistoryRecord[] }> {
  const rows = fit.rows;
  const history: HistoryRecord[] = [];
  let recorded = -1;
  const record = () => {
    const { point } = fit;
    recorded = fit.iteration;
    if (options.history) {
      history.push({
        iteration: fit.iteration,
        objective: point.objective,
        loss: point.loss,
        gradientNorm: point.gradientNorm,
        accuracy: point.correct / rows,
        solver: fit.solver,
      });
    }
  };
  const bar = progressBar(world, options, 'training {solver} iteration {value} | objective {objective} | gradient norm {gradient}');
  const values = () => ({ solver: fit.solver, objective: fit.point.objective.toFixed(6), gradient: exponent(fit.point.gradientNorm) });
  bar?.start(0, 0, values());
  record();
  return guarded(
    world,
    bar,
    () => `iteration ${fit.iteration}`,
    async () => {
      for (;;) {
        const stop = fit.step();
        if (stop !== undefined) {
          // The step that converged (or hit --max-iter) was taken: its line too, so the last line is the model written.
          if (fit.iteration > recorded) record();
          return { stop, history };
        }
        record();
        bar?.update(fit.iteration, values());
        await nextTurn();
        checkInterrupt(world);
      }
    },
  );
}

export interface DescentOptions extends LoopOptions {
  readonly epochs: number;
  readonly lr: number;
  readonly l2: number;
  readonly tol?: number | undefined;
}

/**
 * Gradient descent to its last epoch (or --tol). The objective is checked
 * every CHECK_EVERY epochs and at the last (it costs a log per row): if it
 * rose since the previous check, the run is diverging and stops with an
 * error instead of writing a worse model. With --history, every epoch.
 */
export async function runDescent(
  world: World,
  trainer: Trainer,
  frame: Frame,
  options: DescentOptions,
): Promise<{ converged: boolean; history: HistoryRecord[] }> {
  const rows = trainer.rows;
  const history: HistoryRecord[] = [];
  const record = () => {
    const { loss, correct } = trainer.current;
    history.push({
      iteration: trainer.epoch,
      objective: trainer.objective,
      loss,
      gradientNorm: frameGradientNorm(frame, trainer.gradient),
      accuracy: correct / rows,
      solver: 'gd',
    });
  };
  const bar = progressBar(world, options, 'training {bar} epoch {value}/{total} | objective {objective} | gradient norm {gradient}');
  const values = () => ({ objective: trainer.objective.toFixed(6), gradient: exponent(frameGradientNorm(frame, trainer.gradient)) });
  bar?.start(options.epochs, 0, values());
  if (options.history) record();
  let checked = trainer.objective;
  let checkedAt = 0;
  const check = () => {
    checkedAt = trainer.epoch;
    const now = trainer.objective;
    // A rise beyond rounding (at the optimum the last bits wander).
    if (now > checked + 1e-12 * Math.abs(checked)) {
      throw new NeuronError(
        'loss-rose',
        `gradient descent diverged: the objective rose to ${now} at epoch ${trainer.epoch} (from ${checked})`,
        {},
        'lower --lr or use --standardize; or train without --solver gd, --lr, --epochs and --tol: Newton needs no learning rate',
      );
    }
    checked = now;
  };
  return guarded(
    world,
    bar,
    () => `epoch ${trainer.epoch}`,
    async () => {
      // Slices of epochs between turns of the event loop; one epoch a slice with --history.
      const slice = options.history ? 1 : Math.min(CHECK_EVERY, Math.max(1, Math.floor(2_000_000 / (rows * (frame.mean.length + 1)))));
      let converged = false;
      let shown = Date.now();
      do {
        const epochs = Math.min(options.epochs, trainer.epoch + slice);
        converged = trainEpochs(trainer, { epochs, lr: options.lr, l2: options.l2, tol: options.tol });
        const last = converged || trainer.epoch >= options.epochs;
        if (options.history) record();
        if (last || options.history || trainer.epoch - checkedAt >= CHECK_EVERY) check();
        if (bar !== undefined) {
          if (last || Date.now() - shown >= 1000) {
            bar.update(trainer.epoch, values());
            shown = Date.now();
          } else {
            bar.update(trainer.epoch);
          }
        }
        await nextTurn();
        checkInterrupt(world);
      } while (!converged && trainer.epoch < options.epochs);
      return { converged, history };
    },
  );
}

/** Epochs between two checks that gradient descent is not diverging. */
export const CHECK_EVERY = 10;
