/** The loss curve beside "train": mean log loss against epoch, growing as gradient descent runs. */
import { readable } from '../render/steps.js';
import { el, svg } from './dom.js';

const WIDTH = 300;
const HEIGHT = 150;
const PAD = { left: 50, right: 12, top: 10, bottom: 28 };

export class LossChart {
  readonly root: HTMLElement;
  private readonly line = svg('polyline', { fill: 'none', stroke: '#1f5fbf', 'stroke-width': 2, class: 'loss-line' });
  private readonly labels: SVGTextElement[];
  private readonly caption = el('p', { class: 'caption' });
  private points: { epoch: number; loss: number }[] = [];

  constructor() {
    const plot = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, width: WIDTH, height: HEIGHT, role: 'img', 'aria-label': 'mean log loss by epoch' });
    const axes = svg('path', {
      d: `M${PAD.left},${PAD.top} V${HEIGHT - PAD.bottom} H${WIDTH - PAD.right}`,
      stroke: '#444',
      fill: 'none',
    });
    const at = (x: number, y: number, anchor: string) => svg('text', { x, y, 'text-anchor': anchor, 'font-size': 12, fill: '#333' });
    this.labels = [
      at(PAD.left - 6, PAD.top + 10, 'end'),
      at(PAD.left - 6, HEIGHT - PAD.bottom, 'end'),
      at(PAD.left, HEIGHT - 10, 'start'),
      at(WIDTH - PAD.right, HEIGHT - 10, 'end'),
      at((PAD.left + WIDTH - PAD.right) / 2, HEIGHT - 10, 'middle'),
    ];
    (this.labels[4] as SVGTextElement).textContent = 'epoch';
    plot.append(axes, this.line, ...this.labels);
    this.root = el('figure', { class: 'loss-chart' }, el('figcaption', {}, 'Training: mean log loss'), plot, this.caption);
    this.clear();
  }

  clear(): void {
    this.points = [];
    this.draw();
  }

  add(epoch: number, loss: number): void {
    this.points.push({ epoch, loss });
    this.draw();
  }

  /** The losses drawn so far, first to last. */
  get losses(): readonly number[] {
    return this.points.map((p) => p.loss);
  }

  private draw(): void {
    const { points } = this;
    const [top, bottom, first, last] = this.labels as [SVGTextElement, SVGTextElement, SVGTextElement, SVGTextElement];
    if (points.length === 0) {
      this.line.setAttribute('points', '');
      top.textContent = bottom.textContent = first.textContent = last.textContent = '';
      this.caption.textContent = 'press "one step" or "train" to run gradient descent from the weights shown';
      delete this.root.dataset.first;
      delete this.root.dataset.last;
      this.root.dataset.points = '0';
      return;
    }
    const losses = points.map((p) => p.loss);
    // The exact first and last losses, for a reader that wants the numbers (the browser test does).
    this.root.dataset.first = String(losses[0]);
    this.root.dataset.last = String(losses[losses.length - 1]);
    this.root.dataset.points = String(losses.length);
    const high = Math.max(...losses);
    const low = Math.min(0, ...losses);
    const e0 = (points[0] as { epoch: number }).epoch;
    const e1 = Math.max(e0 + 1, (points[points.length - 1] as { epoch: number }).epoch);
    const x = (e: number) => PAD.left + ((e - e0) / (e1 - e0)) * (WIDTH - PAD.left - PAD.right);
    const y = (l: number) => HEIGHT - PAD.bottom - ((l - low) / (high - low || 1)) * (HEIGHT - PAD.top - PAD.bottom);
    this.line.setAttribute('points', points.map((p) => `${x(p.epoch).toFixed(1)},${y(p.loss).toFixed(1)}`).join(' '));
    top.textContent = readable(high, 3);
    bottom.textContent = readable(low, 3);
    first.textContent = String(e0);
    last.textContent = String(e1);
    const now = points[points.length - 1] as { epoch: number; loss: number };
    this.caption.textContent = `epoch ${now.epoch}: mean log loss ${readable(now.loss, 6)}`;
  }
}
