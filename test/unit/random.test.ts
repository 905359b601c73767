import { describe, expect, it } from 'vitest';
import { randomWeights } from '../../src/neuron/init.js';
import { NumpyRandom } from '../../src/neuron/random.js';

// Reference values from NumPy 1.24 (Debian python3-numpy), legacy API:
//   np.random.seed(42); np.random.randn(5)
//   np.random.seed(42); np.random.random_sample(3)
//   np.random.seed(0);  np.random.uniform(-0.05, 0.05, 3)
//   np.random.seed(7);  np.random.normal(0, 0.05, 3)
//   np.random.seed(42); np.random.uniform(-np.sqrt(6/3), np.sqrt(6/3), 2)   # xavier-uniform, n=2
//   np.random.seed(4294967295); np.random.random_sample(2)
describe('NumpyRandom', () => {
  it('matches np.random.seed(42); np.random.randn(5)', () => {
    const rng = new NumpyRandom(42);
    const values = Array.from({ length: 5 }, () => rng.gauss());
    expect(values).toEqual([0.4967141530112327, -0.13826430117118466, 0.6476885381006925, 1.5230298564080254, -0.23415337472333597]);
  });

  it('matches np.random.seed(42); np.random.random_sample(3)', () => {
    const rng = new NumpyRandom(42);
    expect([rng.randomSample(), rng.randomSample(), rng.randomSample()]).toEqual([0.3745401188473625, 0.9507143064099162, 0.7319939418114051]);
  });

  it('matches NumPy at the largest seed', () => {
    // np.random.seed(4294967295); np.random.random_sample(2)
    const rng = new NumpyRandom(4294967295);
    expect([rng.randomSample(), rng.randomSample()]).toEqual([0.0976320289940138, 0.9123828453026218]);
  });
});

describe('randomWeights', () => {
  it('uniform: np.random.seed(0); np.random.uniform(-0.05, 0.05, 3)', () => {
    expect(randomWeights(3, 0, 'uniform')).toEqual([0.004881350392732478, 0.021518936637241942, 0.010276337607164385]);
  });

  it('normal: np.random.seed(7); np.random.normal(0, 0.05, 3)', () => {
    expect(randomWeights(3, 7, 'normal')).toEqual([0.08452628519001781, -0.02329686852704164, 0.0016410081839292202]);
  });

  it('xavier-uniform over 2 inputs: limit sqrt(6/3)', () => {
    expect(randomWeights(2, 42, 'xavier-uniform')).toEqual([-0.3548541309195532, 1.2748125697609727]);
  });

  it('he-normal over 4 inputs: np.random.seed(3); np.random.normal(0, np.sqrt(2/4), 4)', () => {
    expect(randomWeights(4, 3, 'he-normal')).toEqual([1.2647513225859208, 0.3086590753517539, 0.06823401404104966, -1.317688327240683]);
  });

  it('zeros draws nothing', () => {
    expect(randomWeights(3, 42, 'zeros')).toEqual([0, 0, 0]);
  });

  it('seeds a generator of its own on each call: draws in between do not shift the values', () => {
    // np.random.seed(99); np.random.normal(0, np.sqrt(2/8), 8)
    const numpy = [
      -0.07117942135097408, 1.0286108687907474, 0.1416309705530171, 0.6649059891282725, -0.0773109255237144, -0.03451542956504296, 0.3775902425389593,
      0.4128233242563111,
    ];
    expect(randomWeights(8, 99, 'he-normal')).toEqual(numpy);
    randomWeights(5, 1, 'uniform');
    new NumpyRandom(99).gauss();
    expect(randomWeights(8, 99, 'he-normal')).toEqual(numpy);
  });
});
