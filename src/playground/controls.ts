/**
 * One labelled slider and number box per weight and the bias: the slider
 * moves in round steps over a range from the data's scale (arrow keys move
 * it one step), the box holds the exact value and takes any number.
 */
import { roundTo, type SliderRange, sliderRange } from './compute.js';
import { el } from './dom.js';

export interface Parameter {
  /** 'w-0', 'w-1', ..., 'bias'. */
  readonly id: string;
  readonly label: string;
  /** The largest |input| it multiplies (1 for the bias), which sets the slider's range. */
  readonly scale: number;
}

export class ParameterControl {
  readonly root: HTMLElement;
  private readonly slider: HTMLInputElement;
  private readonly box: HTMLInputElement;
  private range: SliderRange;

  constructor(
    readonly parameter: Parameter,
    value: number,
    onChange: (value: number) => void,
  ) {
    this.range = sliderRange(value, parameter.scale);
    this.slider = el('input', { type: 'range', id: parameter.id, 'aria-describedby': `${parameter.id}-value` });
    this.box = el('input', { type: 'number', id: `${parameter.id}-value`, step: 'any', 'aria-label': `${parameter.label}, exact value` });
    const label = el('label', { for: parameter.id }, parameter.label);
    this.root = el('div', { class: 'parameter' }, label, this.slider, this.box);
    this.slider.addEventListener('input', () => {
      const next = roundTo(this.slider.valueAsNumber, this.range.step);
      this.box.value = String(next);
      onChange(next);
    });
    this.box.addEventListener('input', () => {
      const next = this.box.valueAsNumber;
      if (!Number.isFinite(next)) return;
      this.placeSlider(next);
      onChange(next);
    });
    this.set(value);
  }

  /** Shows a value set from outside (training, random weights, reset). */
  set(value: number): void {
    this.box.value = String(value);
    this.placeSlider(value);
  }

  private placeSlider(value: number): void {
    if (value < this.range.min || value > this.range.max) this.range = sliderRange(value, this.parameter.scale);
    const { min, max, step } = this.range;
    this.slider.min = String(min);
    this.slider.max = String(max);
    this.slider.step = String(step);
    this.slider.value = String(value);
    this.slider.setAttribute('aria-valuetext', String(value));
  }
}
